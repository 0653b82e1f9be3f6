package fn

import (
	"math"
	"testing"

	"hunt/kql/types"
)

func TestMathFunctions(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("abs", int64(5), coreAL(-5)),
		coreC("abs", int64(5), coreAI(-5)),
		coreC("abs", 2.5, coreAR(-2.5)),
		coreC("abs", coreTS("1h"), coreATS("-1h")),
		coreC("abs", nil, coreAN(types.Long)),
		// round-function examples
		coreC("round", 2.988, coreAR(2.98765), coreAL(3)),
		coreC("round", 2.2, coreAR(2.15), coreAL(1)),
		coreC("round", 2.0, coreAR(2.15)),
		coreC("round", -100.0, coreAR(-50.55), coreAL(-2)),
		coreC("round", 20.0, coreAR(21.5), coreAL(-1)),
		coreC("round", -3.0, coreAR(-2.5)),
		coreC("round", int64(1200), coreAL(1234), coreAL(-2)),
		coreC("round", int64(-1300), coreAL(-1250), coreAL(-2)),
		coreC("round", int64(7), coreAL(7)),
		// ceiling-function example
		coreC("ceiling", -1.0, coreAR(-1.1)),
		coreC("ceiling", int64(0), coreAL(0)),
		coreC("ceiling", 1.0, coreAR(0.9)),
		coreC("sqrt", 3.0, coreAL(9)),
		coreC("sqrt", nil, coreAL(-1)),
		coreC("pow", 8.0, coreAL(2), coreAL(3)),
		coreC("exp", 7.38905609893065, coreAL(2)),
		coreC("exp2", 8.0, coreAL(3)),
		coreC("exp10", 1000.0, coreAL(3)),
		coreC("log", 1.6094379124341003, coreAL(5)),
		coreC("log10", 0.69897000433601886, coreAL(5)),
		coreC("log2", 2.3219280948873622, coreAL(5)),
		coreC("log", nil, coreAR(-1)),
		coreC("log", math.Inf(-1), coreAR(0)),
		coreC("sign", -1.0, coreAL(-42)),
		coreC("sign", 0.0, coreAL(0)),
		coreC("sign", 1.0, coreAR(11.2)),
		coreC("pi", math.Pi),
		coreC("gamma", 24.0, coreAL(5)),
		coreC("loggamma", 3.1780538303479458, coreAL(5)),
		coreC("cot", 0.64209261593433065, coreAL(1)),
		coreC("atan2", 0.785398163397448, coreAL(1), coreAL(1)),
		coreC("atan2", 3.14159265358979, coreAL(0), coreAL(-1)),
		coreC("atan2", -1.5707963267949, coreAL(-1), coreAL(0)),
		coreC("degrees", 45.0, coreAR(math.Pi/4)),
		coreC("degrees", 270.0, coreAR(math.Pi*1.5)),
		coreC("radians", math.Pi, coreAL(180)),
		coreC("cos", 1.0, coreAL(0)),
		coreC("erf", 0.0, coreAL(0)),
		coreC("isnan", true, coreAR(math.NaN())),
		coreC("isnan", false, coreAR(-1)),
		coreC("isnan", false, coreAN(types.Real)),
		coreC("isinf", true, coreAR(math.Inf(-1))),
		coreC("isinf", false, coreAR(math.NaN())),
		coreC("isfinite", false, coreAR(math.Inf(1))),
		coreC("isfinite", false, coreAR(math.NaN())),
		coreC("isfinite", true, coreAL(3)),
		coreC("binary_and", int64(2), coreAL(6), coreAL(3)),
		coreC("binary_or", int64(7), coreAL(6), coreAL(3)),
		coreC("binary_xor", int64(5), coreAL(6), coreAL(3)),
		coreC("binary_not", int64(-101), coreAL(100)),
		coreC("binary_shift_left", int64(4), coreAL(1), coreAL(2)),
		coreC("binary_shift_left", int64(4), coreAL(1), coreAL(66)),
		coreC("binary_shift_left", nil, coreAL(1), coreAL(-1)),
		coreC("binary_shift_right", int64(2), coreAL(8), coreAL(2)),
		coreC("binary_shift_right", int64(-2), coreAL(-8), coreAL(2)),
		coreC("bitset_count_ones", int64(3), coreAL(42)),
		coreC("binary_and", nil, coreAN(types.Long), coreAL(3)),
	})
	// The AppInstanceId connector id from the CloudAppEvents schema.
	out, _, _ := coreEval("binary_shift_left", []coreV{coreAI(1), coreAL(20)}, 0, 1)
	if out.Get(0) != int64(1<<20) {
		t.Errorf("binary_shift_left(1, 20) = %v", out.Get(0))
	}
	coreExpectTypeError(t, "sqrt", coreAS("4"))
	coreExpectTypeError(t, "binary_and", coreAR(1), coreAL(1))
	coreExpectTypeError(t, "round", coreAR(1), coreAR(1))
	if _, rt, _ := coreEval("round", []coreV{coreAL(1)}, 0, 1); rt != types.Long {
		t.Errorf("round(long) type %s", rt)
	}
}

func TestMathRand(t *testing.T) {
	out, _, err := coreEval("rand", nil, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if out.Const || len(out.Reals) != 100 {
		t.Fatalf("rand() gave %d values (const %v), want 100 rows", len(out.Reals), out.Const)
	}
	distinct := map[float64]bool{}
	for _, x := range out.Reals {
		if x < 0 || x >= 1 {
			t.Errorf("rand() = %v out of [0,1)", x)
		}
		distinct[x] = true
	}
	if len(distinct) < 90 {
		t.Errorf("rand() repeated values: %d distinct of 100", len(distinct))
	}
	out, _, _ = coreEval("rand", []coreV{coreAL(10)}, 0, 50)
	for i := 0; i < 50; i++ {
		x := out.Get(i).(float64)
		if x != math.Trunc(x) || x < 0 || x >= 10 {
			t.Errorf("rand(10) = %v", x)
		}
	}
}
