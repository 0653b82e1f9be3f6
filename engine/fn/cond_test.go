package fn

import (
	"testing"

	"hunt/kql/types"
)

func TestCoreConditionals(t *testing.T) {
	T, F := coreAB(true), coreAB(false)
	coreRunCases(t, []coreTCase{
		coreC("iff", "a", T, coreAS("a"), coreAS("b")),
		coreC("iff", "b", F, coreAS("a"), coreAS("b")),
		coreC("iif", "b", coreAN(types.Bool), coreAS("a"), coreAS("b")),
		coreC("iff", 2.0, F, coreAL(1), coreAR(2)),
		coreC("iff", 1.0, T, coreAL(1), coreAR(2)),
		coreC("iff", nil, T, coreAN(types.Unknown), coreAL(2)),
		coreC("iff", "x", T, coreAD("x"), coreAS("y")), // dynamic branch converts to string
		coreC("iff", int64(7), T, coreAD(int64(7)), coreAL(1)),
		coreC("iff", coreJSON(`[1]`), F, coreAD(nil), coreAJ(`[1]`)),
		coreC("iff", "a", coreAD(true), coreAS("a"), coreAS("b")),
		// case-function-1
		coreC("case", "Small", coreAB(true), coreAS("Small"), coreAB(true), coreAS("Medium"), coreAS("Large")),
		coreC("case", "Medium", F, coreAS("Small"), T, coreAS("Medium"), coreAS("Large")),
		coreC("case", "Large", F, coreAS("Small"), coreAN(types.Bool), coreAS("Medium"), coreAS("Large")),
		coreC("coalesce", int64(42), coreAN(types.Long), coreAL(42), coreAL(33)),
		coreC("coalesce", "b", coreAS(""), coreAS("b")),
		coreC("coalesce", nil, coreAN(types.Long), coreAN(types.Long)),
		coreC("coalesce", coreJSON(`"x"`), coreAD(nil), coreAS("x")),
		// max-of / min-of examples
		coreC("max_of", int64(17), coreAL(10), coreAL(1), coreAL(-3), coreAL(17)),
		coreC("min_of", int64(-3), coreAL(10), coreAL(1), coreAL(-3), coreAL(17)),
		coreC("max_of", int64(2), coreAN(types.Int), coreAI(2)),
		coreC("min_of", int64(1), coreAI(1), coreAN(types.Int)),
		coreC("max_of", nil, coreAN(types.Int), coreAN(types.Int)),
		coreC("max_of", coreDT("2024-12-15 07:15:24"), coreADT("2024-12-15 07:15:22"), coreADT("2024-12-15 07:15:24")),
		coreC("max_of", 2.5, coreAL(2), coreAR(2.5)),
		coreC("min_of", "a", coreAS("b"), coreAS("a")),
		coreC("isnull", false, coreAS("")),
		coreC("isnull", true, coreAN(types.Long)),
		coreC("isnull", true, coreAN(types.Unknown)),
		coreC("isnull", true, coreAD(nil)),
		coreC("isnull", false, coreAJ(`[]`)),
		coreC("isnull", false, coreAJ(`{}`)),
		coreC("isnotnull", true, coreAL(1)),
		coreC("notnull", false, coreAN(types.DateTime)),
	})
	coreExpectTypeError(t, "iff", coreAL(1), coreAS("a"), coreAS("b"))
	coreExpectTypeError(t, "iff", T, coreAS("a"), coreAL(1))
	coreExpectTypeError(t, "case", T, coreAS("a"))
	coreExpectTypeError(t, "coalesce", coreAS("a"), coreAL(1))
	coreExpectTypeError(t, "max_of", coreAD(nil), coreAD(nil))
	if _, rt, _ := coreEval("iff", []coreV{T, coreAI(1), coreAI(2)}, 0, 1); rt != types.Int {
		t.Errorf("iff(bool, int, int) type %s, want int", rt)
	}
}
