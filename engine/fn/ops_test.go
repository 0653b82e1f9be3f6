package fn

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- shared test helpers (used by the conv, dynamic, datetime, math and
// cond tests too) ----

// coreV is one argument of a test call: its type and its value, boxed as
// vec.Vec.Get returns it (nil for null).
type coreV struct {
	T types.Type
	V any
}

func coreAL(x int64) coreV      { return coreV{types.Long, x} }
func coreAI(x int64) coreV      { return coreV{types.Int, x} }
func coreAR(x float64) coreV    { return coreV{types.Real, x} }
func coreAS(x string) coreV     { return coreV{types.String, x} }
func coreAB(x bool) coreV       { return coreV{types.Bool, x} }
func coreAD(x any) coreV        { return coreV{types.Dynamic, x} }
func coreAN(t types.Type) coreV { return coreV{t, nil} }

// coreAJ is a dynamic argument given as JSON text.
func coreAJ(s string) coreV { return coreV{types.Dynamic, coreJSON(s)} }

func coreADT(s string) coreV {
	t, ok := types.ParseDatetime(s)
	if !ok {
		panic("bad datetime " + s)
	}
	return coreV{types.DateTime, types.DT(t)}
}

func coreATS(s string) coreV {
	t, ok := types.ParseTimespan(s)
	if !ok {
		panic("bad timespan " + s)
	}
	return coreV{types.Timespan, types.TS(t)}
}

func coreJSON(s string) any {
	v, err := types.ParseJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

func coreDT(s string) types.DT { return coreADT(s).V.(types.DT) }
func coreTS(s string) types.TS { return coreATS(s).V.(types.TS) }

var coreTestNow = coreDT("2024-05-06 07:08:09.5")

// coreEval type-checks and evaluates name(args...) over n rows. mode 0
// passes every argument as a constant vector, mode 1 every argument as an
// n-row vector, mode 2 the first argument as n rows and the others as
// constants.
func coreEval(name string, args []coreV, mode, n int) (*vec.Vec, types.Type, error) {
	f, ok := builtins.Lookup(name)
	if !ok {
		return nil, types.Unknown, fmt.Errorf("no builtin %s", name)
	}
	if err := f.CheckCount(len(args)); err != nil {
		return nil, types.Unknown, err
	}
	info := make([]builtins.Arg, len(args))
	vs := make([]*vec.Vec, len(args))
	for i, a := range args {
		konst := mode == 0 || (mode == 2 && i > 0)
		info[i] = builtins.Arg{Type: a.T, Const: konst, Value: a.V}
		if konst {
			vs[i] = vec.Constant(a.T, a.V)
		} else {
			v := vec.New(a.T, n)
			for r := 0; r < n; r++ {
				v.Append(a.V)
			}
			vs[i] = v
		}
	}
	rt, err := f.Result(info)
	if err != nil {
		return nil, rt, err
	}
	k, err := NewScalar(name, info, rt)
	if err != nil {
		return nil, rt, err
	}
	out, err := k(&Ctx{Now: int64(coreTestNow)}, vs, n)
	return out, rt, err
}

// coreSame compares a result value with an expected one: reals within a
// relative 1e-9 (NaN equals NaN), dynamic values structurally.
func coreSame(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case float64:
		g, ok := got.(float64)
		if !ok {
			return false
		}
		if math.IsNaN(w) || math.IsNaN(g) {
			return math.IsNaN(w) && math.IsNaN(g)
		}
		if math.IsInf(w, 0) {
			return g == w
		}
		return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !coreSame(g[i], w[i]) {
				return false
			}
		}
		return true
	case *types.Bag:
		g, ok := got.(*types.Bag)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for i, k := range w.Keys {
			gv, ok := g.Get(k)
			if !ok || !coreSame(gv, w.Vals[i]) {
				return false
			}
		}
		return true
	}
	return got == want
}

func coreShow(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", x)
	case types.DT:
		return "datetime(" + types.FormatDatetime(int64(x)) + ")"
	case types.TS:
		return "timespan(" + types.FormatTimespan(int64(x)) + ")"
	case []any, *types.Bag:
		return string(types.AppendJSON(nil, x))
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

type coreTCase struct {
	name string
	args []coreV
	want any
}

// coreRunCases checks every case in all three modes: the constant result
// must be constant, and every row must equal want.
func coreRunCases(t *testing.T, cases []coreTCase) {
	t.Helper()
	coreRunModes(t, cases, 0, 1, 2)
}

// coreRunModes is coreRunCases restricted to some evaluation modes (for
// functions that need a constant argument).
func coreRunModes(t *testing.T, cases []coreTCase, modes ...int) {
	t.Helper()
	for _, c := range cases {
		for _, mode := range modes {
			if mode == 2 && len(c.args) < 2 {
				continue
			}
			n := 3
			out, rt, err := coreEval(c.name, c.args, mode, n)
			if err != nil {
				t.Errorf("%s%s: %v", c.name, coreShowArgs(c.args), err)
				break
			}
			if out.Type != rt && !(rt == types.Unknown) {
				t.Errorf("%s%s: result type %s, Result() said %s", c.name, coreShowArgs(c.args), out.Type, rt)
			}
			if mode == 0 && !out.Const {
				t.Errorf("%s%s: constant arguments gave a non-constant result", c.name, coreShowArgs(c.args))
			}
			for r := 0; r < n; r++ {
				if got := out.Get(r); !coreSame(got, c.want) {
					t.Errorf("%s%s [mode %d row %d] = %s, want %s", c.name, coreShowArgs(c.args), mode, r, coreShow(got), coreShow(c.want))
					break
				}
			}
		}
	}
}

func coreShowArgs(args []coreV) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = a.T.String() + ":" + coreShow(a.V)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// coreExpectTypeError checks that Result rejects the argument types.
func coreExpectTypeError(t *testing.T, name string, args ...coreV) {
	t.Helper()
	if _, _, err := coreEval(name, args, 0, 1); err == nil {
		t.Errorf("%s%s: expected a type error", name, coreShowArgs(args))
	}
}

func coreC(name string, want any, args ...coreV) coreTCase { return coreTCase{name, args, want} }

// ---- operator tests ----

func TestCoreArithmetic(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("+", int64(5), coreAL(2), coreAL(3)),
		coreC("+", int64(5), coreAI(2), coreAI(3)),
		coreC("+", 5.5, coreAL(2), coreAR(3.5)),
		coreC("-", int64(-1), coreAL(2), coreAL(3)),
		coreC("*", int64(6), coreAI(2), coreAL(3)),
		coreC("/", int64(0), coreAL(1), coreAL(2)), // integer division truncates
		coreC("/", int64(-2), coreAL(-5), coreAL(2)),
		coreC("/", 0.5, coreAR(1), coreAL(2)),
		coreC("/", 0.5, coreAL(1), coreAR(2)),
		coreC("/", nil, coreAL(1), coreAL(0)),
		coreC("%", nil, coreAL(1), coreAL(0)),
		coreC("/", math.Inf(1), coreAR(1), coreAR(0)),
		coreC("/", math.NaN(), coreAR(0), coreAR(0)),
		// numerical-operators-1: modulo is a small non-negative number.
		coreC("%", int64(2), coreAL(14), coreAL(12)),
		coreC("%", int64(10), coreAL(-14), coreAL(12)),
		coreC("%", int64(2), coreAL(14), coreAL(-12)),
		coreC("%", int64(10), coreAL(-14), coreAL(-12)),
		coreC("%", 0.5, coreAR(-1.5), coreAR(1)),
		// null-values-4
		coreC("+", nil, coreAN(types.Int), coreAL(10)),
		coreC("*", nil, coreAN(types.Int), coreAL(10)),
		coreC("+", nil, coreAL(1), coreAN(types.Unknown)),
		// datetime / timespan arithmetic
		coreC("-", coreTS("31791.00:00:00"), coreADT("1997-06-25"), coreADT("1910-06-11")),
		coreC("+", coreDT("1910-06-12"), coreADT("1910-06-11"), coreATS("1d")),
		coreC("+", coreDT("1910-06-12"), coreATS("1d"), coreADT("1910-06-11")),
		coreC("-", coreDT("1910-06-10"), coreADT("1910-06-11"), coreATS("1d")),
		coreC("+", coreTS("3d"), coreATS("1d"), coreATS("2d")),
		coreC("/", 4.8, coreATS("1d"), coreATS("5h")),
		coreC("/", 3600.0, coreATS("1h"), coreATS("1s")),
		coreC("*", coreTS("1.5h"), coreAR(1.5), coreATS("1h")),
		coreC("*", coreTS("00:00:05"), coreATS("1s"), coreAL(5)),
		coreC("/", coreTS("00:30:00"), coreATS("1h"), coreAL(2)),
		coreC("/", coreTS("00:40:00"), coreATS("1h"), coreAR(1.5)),
		coreC("%", coreTS("00:10:00"), coreATS("70m"), coreATS("1h")),
		// unix time conversions from the datetime-timespan-arithmetic page
		coreC("+", coreDT("2019-01-07 21:45:31"), coreADT("1970-01-01"), coreV{types.Timespan, types.TS(1546897531 * types.TicksPerSecond)}),
		coreC("/", 1546897531.0, coreV{types.Timespan, types.TS(coreDT("2019-01-07 21:45:31"))}, coreATS("1s")),
		// dynamic operands convert to the other side's type
		coreC("+", int64(6), coreAD(int64(5)), coreAL(1)),
		coreC("+", 6.5, coreAD(5.5), coreAR(1)),
		coreC("+", int64(6), coreAD("5"), coreAI(1)),
		coreC("+", nil, coreAD("x"), coreAL(1)),
		coreC("+", int64(3), coreAD(int64(1)), coreAD(int64(2))),
		coreC("*", 3.0, coreAD(1.5), coreAD(int64(2))),
		coreC("+", nil, coreAD("a"), coreAD(int64(2))),
		coreC("neg", int64(-3), coreAL(3)),
		coreC("neg", -2.5, coreAR(2.5)),
		coreC("neg", coreTS("-1d"), coreATS("1d")),
		coreC("neg", int64(-4), coreAD(int64(4))),
		coreC("neg", nil, coreAN(types.Long)),
	})
	coreExpectTypeError(t, "+", coreAS("a"), coreAL(1))
	coreExpectTypeError(t, "+", coreADT("2020-01-01"), coreADT("2020-01-01"))
	coreExpectTypeError(t, "*", coreATS("1d"), coreADT("2020-01-01"))
	coreExpectTypeError(t, "neg", coreAS("a"))
	// int op int is long (numerical-operators page).
	if _, rt, _ := coreEval("+", []coreV{coreAI(1), coreAI(2)}, 0, 1); rt != types.Long {
		t.Errorf("int + int: type %s, want long", rt)
	}
}

func TestCoreCompare(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("==", true, coreAL(1), coreAL(1)),
		coreC("==", true, coreAI(1), coreAL(1)),
		coreC("==", true, coreAL(1), coreAR(1)),
		coreC("<", true, coreAL(1), coreAR(1.5)),
		coreC(">", true, coreAR(0.23), coreAR(0.22)),
		coreC("<=", true, coreAL(4), coreAL(5)),
		coreC(">=", true, coreAL(5), coreAL(4)),
		coreC("!=", true, coreAL(1), coreAL(0)),
		coreC("<", true, coreATS("10s"), coreATS("1h")),
		coreC(">", true, coreATS("10m"), coreATS("1s")),
		coreC("<", true, coreADT("2020-01-01"), coreADT("2100-01-01")),
		coreC("==", false, coreAS("abc"), coreAS("ABC")), // case-sensitive
		coreC("<", true, coreAS("ABC"), coreAS("abc")),   // ordinal
		coreC("==", true, coreAB(true), coreAB(true)),
		coreC("<", true, coreAB(false), coreAB(true)),
		coreC("==", false, coreAR(math.NaN()), coreAR(math.NaN())),
		coreC("!=", true, coreAR(math.NaN()), coreAR(1)),
		// null rules (null-values-2)
		coreC("==", false, coreAL(5), coreAN(types.Int)),
		coreC("!=", true, coreAL(5), coreAN(types.Int)),
		coreC("==", nil, coreAN(types.Int), coreAN(types.Int)),
		coreC("!=", nil, coreAN(types.Int), coreAN(types.Int)),
		coreC(">", nil, coreAN(types.Int), coreAL(3)),
		coreC("<", nil, coreAL(3), coreAN(types.Long)),
		coreC("==", false, coreAS("x"), coreAN(types.Unknown)),
		coreC("==", nil, coreAN(types.Unknown), coreAN(types.Unknown)),
		// guids, also against strings
		coreC("==", true, coreV{types.Guid, types.GuidVal{1}}, coreV{types.Guid, types.GuidVal{1}}),
		coreC("==", true, coreV{types.Guid, types.GuidVal{0x01}}, coreAS("01000000-0000-0000-0000-000000000000")),
		coreC("!=", true, coreV{types.Guid, types.GuidVal{0x01}}, coreAS("not a guid")),
		// dynamic values compare by their underlying value
		coreC("==", true, coreAD(int64(5)), coreAL(5)),
		coreC("==", true, coreAD(int64(5)), coreAI(5)),
		coreC("==", true, coreAD(5.0), coreAL(5)),
		coreC("==", false, coreAD(5.5), coreAL(5)),
		coreC(">", true, coreAD(5.5), coreAL(5)),
		coreC("==", true, coreAD("5"), coreAL(5)),
		coreC("==", true, coreAD("b"), coreAS("b")),
		coreC("==", true, coreAS("b"), coreAD("b")),
		coreC("!=", false, coreAD("b"), coreAS("b")),
		coreC("==", true, coreAD(int64(5)), coreAS("5")),
		coreC("==", true, coreAD(nil), coreAS("")),
		coreC("==", false, coreAD(nil), coreAS("x")),
		coreC("<", true, coreAD(nil), coreAS("x")),
		coreC("!=", true, coreAD(nil), coreAS("x")),
		coreC("==", nil, coreAD(nil), coreAN(types.Long)),
		coreC("==", false, coreAD("abc"), coreAL(5)),
		coreC("<", nil, coreAD("abc"), coreAL(5)),
		coreC("==", true, coreAD(true), coreAB(true)),
		coreC("==", true, coreAD("2020-01-01T00:00:00Z"), coreADT("2020-01-01")),
		coreC(">", true, coreAD(coreDT("2021-01-01")), coreADT("2020-01-01")),
		coreC("==", true, coreAD(coreTS("1h")), coreATS("60m")),
		coreC("==", true, coreAJ(`[1,2]`), coreAJ(`[1,2]`)),
		coreC("==", false, coreAJ(`[1,2]`), coreAJ(`[2,1]`)),
		coreC("==", false, coreAD(int64(1)), coreAD("1")),
		coreC("!=", true, coreAD(int64(1)), coreAD("1")),
		coreC("==", true, coreAD(int64(1)), coreAD(1.0)),
		coreC("<", true, coreAD("a"), coreAD("b")),
		coreC("==", nil, coreAD(nil), coreAD(nil)),
		// A string or bool column compared with a number, as Kusto's
		// analyzer allows (ResultType == 0 in Sentinel rules).
		coreC("==", true, coreAS("0"), coreAL(0)),
		coreC("==", false, coreAS("50126"), coreAL(0)),
		coreC("!=", true, coreAS("abc"), coreAL(1)),
		coreC("==", true, coreAB(true), coreAL(1)),
		coreC("==", true, coreAS("true"), coreAB(true)),
	})
	coreExpectTypeError(t, "<", coreADT("2020-01-01"), coreATS("1d"))
	coreExpectTypeError(t, "==", coreADT("2020-01-01"), coreAL(1))
}

// TestCoreCompareBatch checks the typed loops over several rows with
// nulls, with the constant on either side and on neither.
func TestCoreCompareBatch(t *testing.T) {
	x := vec.New(types.Long, 4)
	for _, v := range []any{int64(1), nil, int64(3), int64(2)} {
		x.Append(v)
	}
	k := vec.Constant(types.Long, int64(2))
	y := vec.New(types.Long, 4)
	for _, v := range []any{int64(2), int64(2), nil, int64(2)} {
		y.Append(v)
	}
	check := func(label string, got *vec.Vec, want []any) {
		t.Helper()
		for i, w := range want {
			if g := got.Get(i); g != w {
				t.Errorf("%s row %d = %v, want %v", label, i, g, w)
			}
		}
	}
	check("x < 2", coreCompare(coreLT, x, k, 4), []any{true, nil, false, false})
	check("2 < x", coreCompare(coreLT, k, x, 4), []any{false, nil, true, false})
	check("x == y", coreCompare(coreEQ, x, y, 4), []any{false, false, false, true})
	check("x != y", coreCompare(coreNE, x, y, 4), []any{true, true, true, false})
	check("x >= y", coreCompare(coreGE, x, y, 4), []any{false, nil, nil, true})
	s := vec.New(types.String, 3)
	for _, v := range []any{"a", "b", "c"} {
		s.Append(v)
	}
	check("s > b", coreCompare(coreGT, s, vec.Constant(types.String, "b"), 3), []any{false, false, true})
	r := vec.New(types.Real, 3)
	for _, v := range []any{0.5, 2.0, nil} {
		r.Append(v)
	}
	check("r == 2", coreCompare(coreEQ, r, k, 3), []any{false, true, false})
	d := vec.New(types.Dynamic, 4)
	for _, v := range []any{int64(2), "2", nil, 2.5} {
		d.Append(v)
	}
	check("d == 2", coreCompare(coreEQ, d, k, 4), []any{true, true, false, false})
	check("d > 2", coreCompare(coreGT, d, k, 4), []any{false, false, nil, true})
}

func TestCoreLogic(t *testing.T) {
	T, F, N := coreAB(true), coreAB(false), coreAN(types.Bool)
	coreRunCases(t, []coreTCase{
		coreC("and", true, T, T), coreC("and", false, T, F), coreC("and", false, F, N), coreC("and", false, N, F),
		coreC("and", nil, T, N), coreC("and", nil, N, N),
		coreC("or", true, F, T), coreC("or", false, F, F), coreC("or", true, T, N), coreC("or", true, N, T),
		coreC("or", nil, F, N), coreC("or", nil, N, N),
		coreC("not", false, T), coreC("not", true, F), coreC("not", nil, N),
		coreC("and", true, coreAD(true), T),
		coreC("or", true, coreAD(nil), T),
		coreC("not", nil, coreAD(nil)),
		coreC("and", nil, coreAN(types.Unknown), T),
		// logical-operators-5: iff(bool(null) and true, true, false) is false.
		coreC("iff", false, coreV{types.Bool, nil}, T, F),
	})
	coreExpectTypeError(t, "and", coreAL(1), T)
	coreExpectTypeError(t, "not", coreAS("true"))
}

func TestCoreBetween(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("between", true, coreAL(50), coreAL(50), coreAL(55)),
		coreC("between", true, coreAL(55), coreAL(50), coreAL(55)),
		coreC("between", false, coreAL(56), coreAL(50), coreAL(55)),
		coreC("!between", true, coreAL(56), coreAL(50), coreAL(55)),
		coreC("between", true, coreAR(5.5), coreAL(5), coreAL(6)),
		coreC("between", false, coreAL(5), coreAR(5.5), coreAL(6)),
		coreC("between", true, coreADT("2007-07-28"), coreADT("2007-07-27"), coreADT("2007-07-30")),
		coreC("between", true, coreADT("2007-07-30"), coreADT("2007-07-27"), coreATS("3d")),
		coreC("between", false, coreADT("2007-07-30 00:00:01"), coreADT("2007-07-27"), coreATS("3d")),
		coreC("between", true, coreATS("2h"), coreATS("1h"), coreATS("3h")),
		coreC("between", nil, coreAN(types.Long), coreAL(1), coreAL(2)),
		coreC("!between", nil, coreAN(types.Long), coreAL(1), coreAL(2)),
		coreC("between", nil, coreAL(1), coreAN(types.Long), coreAL(2)),
		coreC("between", true, coreAD(int64(51)), coreAL(50), coreAL(55)),
		coreC("between", true, coreAD(50.5), coreAL(50), coreAL(55)),
		coreC("between", nil, coreAD("x"), coreAL(50), coreAL(55)),
		coreC("between", true, coreAD("2007-07-28"), coreADT("2007-07-27"), coreADT("2007-07-30")),
	})
	coreExpectTypeError(t, "between", coreAS("a"), coreAS("a"), coreAS("b"))
	coreExpectTypeError(t, "between", coreAL(1), coreADT("2020-01-01"), coreAL(2))
	coreExpectTypeError(t, "between", coreATS("1h"), coreATS("1h"), coreADT("2020-01-01"))
}

// BenchmarkCoreCompareConst measures the hot comparison loop.
func BenchmarkCoreCompareConst(b *testing.B) {
	x := &vec.Vec{Type: types.Long, Ints: make([]int64, 1024)}
	for i := range x.Ints {
		x.Ints[i] = int64(i)
	}
	k := vec.Constant(types.Long, int64(500))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		coreCompare(coreGT, x, k, 1024)
	}
}

// coreMine lists the builtins the operator/conversion/dynamic/datetime/
// math/conditional files register; each must have a kernel.
var coreMine = []string{
	"+", "-", "*", "/", "%", "neg", "==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "between", "!between",
	"iff", "iif", "case", "coalesce", "max_of", "min_of", "isnull", "isnotnull", "notnull",
	"tostring", "toint", "tolong", "todouble", "toreal", "todecimal", "tobool", "toboolean", "todatetime",
	"totimespan", "totime", "toguid", "parse_json", "parsejson", "todynamic", "toobject",
	"__member", "__index", "pack_array", "bag_pack", "pack", "pack_dictionary", "array_length", "arraylength",
	"array_concat", "array_reverse", "array_sum", "array_slice", "array_index_of", "array_iff", "array_iif",
	"array_split", "array_shift_left", "array_shift_right", "array_rotate_left", "array_rotate_right",
	"array_sort_asc", "array_sort_desc", "set_has_element", "set_union", "set_intersect", "set_difference",
	"set_equals", "jaccard_index", "zip", "bag_keys", "bag_merge", "bag_remove_keys", "bag_has_key",
	"bag_set_key", "bag_zip", "treepath", "parse_path", "parse_xml", "extract_json", "extractjson",
	"now", "ago", "datetime_add", "datetime_diff", "datetime_part", "datepart", "getyear", "getmonth",
	"monthofyear", "dayofweek", "dayofmonth", "dayofyear", "hourofday", "week_of_year", "weekofyear",
	"startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth",
	"endofyear", "bin", "floor", "bin_at", "format_datetime", "format_timespan", "make_datetime",
	"make_timespan", "unixtime_seconds_todatetime", "unixtime_milliseconds_todatetime",
	"unixtime_microseconds_todatetime", "unixtime_nanoseconds_todatetime", "datetime_utc_to_local",
	"datetime_local_to_utc",
	"sqrt", "exp", "exp2", "exp10", "log", "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
	"cot", "degrees", "radians", "sign", "gamma", "loggamma", "erf", "erfc", "pow", "atan2", "pi", "rand",
	"isnan", "isinf", "isfinite", "abs", "ceiling", "round", "binary_and", "binary_or", "binary_xor",
	"binary_shift_left", "binary_shift_right", "binary_not", "bitset_count_ones",
	"gettype", "new_guid", "range", "repeat",
}

func TestCoreRegistryCoverage(t *testing.T) {
	for _, name := range coreMine {
		if _, ok := builtins.Lookup(name); !ok {
			t.Errorf("%s: not registered in builtins", name)
			continue
		}
		if !HasKernel(name) {
			t.Errorf("%s: no kernel", name)
		}
	}
}
