package fn

import (
	"math"
	"testing"

	"hunt/kql/types"
)

// statsNear checks that name(args) is within a relative tolerance of
// want in every run mode (NaN matches NaN; a nil want expects null).
func statsNear(t *testing.T, want any, name string, args ...strV) {
	t.Helper()
	for _, mode := range []strRunMode{strModeConst, strModeColumns, strModeLate, strModeWide} {
		got, _, err := strEval(name, mode, args...)
		if err != nil {
			t.Errorf("%s%v: %v", name, strArgsText(args), err)
			return
		}
		for _, g := range got {
			if want == nil {
				if g != nil {
					t.Errorf("%s%v = %v, want null", name, strArgsText(args), g)
				}
				continue
			}
			w := want.(float64)
			f, ok := g.(float64)
			switch {
			case !ok:
				t.Errorf("%s%v = %v (%T), want %v", name, strArgsText(args), g, g, w)
			case math.IsNaN(w):
				if !math.IsNaN(f) {
					t.Errorf("%s%v = %v, want NaN", name, strArgsText(args), f)
				}
			case math.Abs(f-w) > 1e-12+1e-9*math.Abs(w):
				t.Errorf("%s%v = %.17g, want %.17g", name, strArgsText(args), f, w)
			}
		}
	}
}

func TestAround(t *testing.T) {
	dt := func(s string) strV { ticks, _ := types.ParseDatetime(s); return strA(types.DateTime, types.DT(ticks)) }
	minute := strA(types.Timespan, types.TS(types.TicksPerMinute))
	// around-function-1: the rows of a minute either side of 01:30.
	center := dt("2021-01-01 01:30")
	strCheck(t, false, "around", dt("2021-01-01 01:28"), center, minute)
	strCheck(t, true, "around", dt("2021-01-01 01:29"), center, minute)
	strCheck(t, true, "around", dt("2021-01-01 01:30"), center, minute)
	strCheck(t, true, "around", dt("2021-01-01 01:31"), center, minute)
	strCheck(t, false, "around", dt("2021-01-01 01:32"), center, minute)
	strCheck(t, true, "around", strL(10), strR(10.5), strL(1))
	strCheck(t, false, "around", strR(8.9), strL(10), strL(1))
	strCheck(t, nil, "around", strNull(types.Long), strL(10), strL(1))
	strErr(t, "argument 1", "around", strS("a"), strL(1), strL(1))
}

func TestBeta(t *testing.T) {
	// beta-cdf-function, beta-pdf-function and beta-inv-function examples.
	statsNear(t, 0.999999999999959, "beta_cdf", strR(0.9), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_cdf", strR(1.5), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_cdf", strR(-10), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_cdf", strR(0.1), strR(-1), strR(20))
	statsNear(t, 0.746176019310951, "beta_pdf", strR(0.5), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_pdf", strR(1.5), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_pdf", strR(-10), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_pdf", strR(0.1), strR(-1), strR(20))
	statsNear(t, 0.226415022388749, "beta_inv", strR(0.1), strR(10), strR(20))
	statsNear(t, nil, "beta_inv", strR(1.5), strR(10), strR(20))
	statsNear(t, math.NaN(), "beta_inv", strR(0.1), strR(-1), strR(20))
	// beta_inv inverts beta_cdf; integer arguments convert.
	statsNear(t, 0.5, "beta_cdf", strR(0.5), strL(3), strL(3))
	statsNear(t, 0.25, "beta_inv", strR(statsBetaInc(0.25, 2, 5)), strL(2), strL(5))
	statsNear(t, nil, "beta_cdf", strNull(types.Real), strR(1), strR(1))
}

func TestWelchTest(t *testing.T) {
	// welch-test-function: Wikipedia's first example, p = 0.021.
	s1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	s2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	stats := func(s []float64) (float64, float64) {
		var m, v float64
		for _, x := range s {
			m += x
		}
		m /= float64(len(s))
		for _, x := range s {
			v += (x - m) * (x - m)
		}
		return m, v / float64(len(s)-1)
	}
	m1, v1 := stats(s1)
	m2, v2 := stats(s2)
	got, _, err := strEval("welch_test", strModeConst, strR(m1), strR(v1), strL(15), strR(m2), strR(v2), strL(15))
	if err != nil {
		t.Fatal(err)
	}
	if p := got[0].(float64); math.Abs(p-0.021) > 0.0005 {
		t.Errorf("welch_test = %v, want 0.021", p)
	}
	statsNear(t, math.NaN(), "welch_test", strR(1), strR(0), strL(5), strR(2), strR(0), strL(5))
}
