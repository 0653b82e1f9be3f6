package fn

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- harness ----

// aggTArg is a non-constant argument of type t; aggTConst a constant one.
func aggTArg(t types.Type) builtins.Arg { return builtins.Arg{Type: t} }
func aggTConst(t types.Type, v any) builtins.Arg {
	return builtins.Arg{Type: t, Const: true, Value: aggTNorm(v)}
}

// aggTNorm turns Go ints into int64, the boxed form of long.
func aggTNorm(x any) any {
	if i, ok := x.(int); ok {
		return int64(i)
	}
	return x
}

// aggTCol builds a column of type t from boxed values (nil is null).
func aggTCol(t types.Type, vals ...any) *vec.Vec {
	v := vec.New(t, len(vals))
	for _, x := range vals {
		v.Append(aggTNorm(x))
	}
	return v
}

// aggTNew type-checks a call with the analyzer's registry and builds the
// aggregate's state constructor.
func aggTNew(t testing.TB, name string, args []builtins.Arg) func() Agg {
	t.Helper()
	f, ok := builtins.Lookup(name)
	if !ok || f.Kind != builtins.Aggregate {
		t.Fatalf("%s is not a registered aggregate", name)
	}
	if err := f.CheckCount(len(args)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rt, err := f.Result(args)
	if err != nil {
		t.Fatalf("%s: Result: %v", name, err)
	}
	mk, err := NewAgg(name, args, rt)
	if err != nil {
		t.Fatalf("%s: NewAgg: %v", name, err)
	}
	return mk
}

// aggTVecs completes cols: a nil column of a constant argument becomes a
// constant vector, as the executor passes it.
func aggTVecs(args []builtins.Arg, cols []*vec.Vec) []*vec.Vec {
	out := make([]*vec.Vec, len(args))
	for i, a := range args {
		if i < len(cols) && cols[i] != nil {
			out[i] = cols[i]
		} else {
			out[i] = vec.Constant(a.Type, a.Value)
		}
	}
	return out
}

// aggTFeed adds rows [from, to) to a in batches of batch rows.
func aggTFeed(t testing.TB, a Agg, vecs []*vec.Vec, groups []uint32, from, to, batch int) {
	t.Helper()
	for lo := from; lo < to; lo += batch {
		hi := min(lo+batch, to)
		part := make([]*vec.Vec, len(vecs))
		for i, v := range vecs {
			part[i] = v.Slice(lo, hi)
		}
		if err := a.Add(&Ctx{}, groups[lo:hi], part, hi-lo); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
}

// aggTOut returns every output column of a.
func aggTOut(a Agg, n int) []*vec.Vec {
	if m, ok := a.(MultiAgg); ok {
		return m.Results(n)
	}
	return []*vec.Vec{a.Result(n)}
}

// aggTRun runs one aggregate call over rows grouped by groups (ng groups)
// and returns its output columns as comparable values.
func aggTRun(t testing.TB, name string, args []builtins.Arg, cols []*vec.Vec, groups []uint32, ng int) [][]any {
	t.Helper()
	mk := aggTNew(t, name, args)
	vecs := aggTVecs(args, cols)
	if groups == nil {
		groups = make([]uint32, aggTRows(vecs))
	}
	a := mk()
	a.Grow(ng)
	aggTFeed(t, a, vecs, groups, 0, len(groups), 3)
	return aggTValues(aggTOut(a, ng))
}

func aggTRows(vecs []*vec.Vec) int {
	for _, v := range vecs {
		if !v.Const {
			return v.Len()
		}
	}
	return 1
}

// aggTValues turns columns into values: dynamic values become JSON text.
func aggTValues(cols []*vec.Vec) [][]any {
	out := make([][]any, len(cols))
	for k, c := range cols {
		n := c.Len()
		for i := 0; i < n; i++ {
			x := c.Get(i)
			if c.Type == types.Dynamic && x != nil {
				x = string(types.AppendJSON(nil, x))
			}
			out[k] = append(out[k], x)
		}
	}
	return out
}

// aggTEq compares values; reals within a relative 1e-9 (NaN equals NaN).
func aggTEq(a, b any) bool {
	a, b = aggTNorm(a), aggTNorm(b)
	fa, ok1 := a.(float64)
	fb, ok2 := b.(float64)
	if ok1 && ok2 {
		if math.IsNaN(fa) || math.IsNaN(fb) {
			return math.IsNaN(fa) && math.IsNaN(fb)
		}
		return fa == fb || math.Abs(fa-fb) <= 1e-12+1e-9*math.Max(math.Abs(fa), math.Abs(fb))
	}
	return a == b
}

func aggTEqCol(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !aggTEq(a[i], b[i]) {
			return false
		}
	}
	return true
}

// aggTCheck runs a call and compares its first (or every) output column.
func aggTCheck(t *testing.T, label, name string, args []builtins.Arg, cols []*vec.Vec, groups []uint32, ng int, want ...[]any) {
	t.Helper()
	got := aggTRun(t, name, args, cols, groups, ng)
	if len(got) < len(want) {
		t.Fatalf("%s: %d output columns, want %d", label, len(got), len(want))
	}
	for k, w := range want {
		if !aggTEqCol(got[k], w) {
			t.Errorf("%s: column %d = %v, want %v", label, k, got[k], w)
		}
	}
}

// aggTMergeCheck checks that splitting the rows between two workers (the
// second numbering its groups differently) and merging gives the result
// of one state over all rows, for every split point given.
func aggTMergeCheck(t *testing.T, label, name string, args []builtins.Arg, cols []*vec.Vec, groups []uint32, ng int, splits ...int) {
	t.Helper()
	mk := aggTNew(t, name, args)
	vecs := aggTVecs(args, cols)
	n := len(groups)
	seq := mk()
	seq.Grow(ng)
	aggTFeed(t, seq, vecs, groups, 0, n, 7)
	want := aggTValues(aggTOut(seq, ng))
	for _, k := range splits {
		// Worker B numbers group g as ng-1-g.
		local := make([]uint32, n)
		for i, g := range groups {
			local[i] = uint32(ng-1) - g
		}
		into := make([]uint32, ng)
		for g := range into {
			into[g] = uint32(ng - 1 - g)
		}
		a, b := mk(), mk()
		a.Grow(ng)
		b.Grow(ng)
		aggTFeed(t, a, vecs, groups, 0, k, 5)
		aggTFeed(t, b, vecs, local, k, n, 4)
		a.Merge(b, into)
		got := aggTValues(aggTOut(a, ng))
		// A fresh receiver that grows itself while merging.
		c := mk()
		ident := make([]uint32, ng)
		for g := range ident {
			ident[g] = uint32(g)
		}
		a2 := mk()
		a2.Grow(ng)
		aggTFeed(t, a2, vecs, groups, 0, k, 5)
		c.Merge(a2, ident)
		b2 := mk()
		b2.Grow(ng)
		aggTFeed(t, b2, vecs, local, k, n, 4)
		c.Merge(b2, into)
		got2 := aggTValues(aggTOut(c, ng))
		for col := range want {
			if !aggTEqCol(got[col], want[col]) {
				t.Errorf("%s: split at %d: merged column %d = %v, want %v", label, k, col, got[col], want[col])
			}
			if !aggTEqCol(got2[col], want[col]) {
				t.Errorf("%s: split at %d: merged into a fresh state, column %d = %v, want %v", label, k, col, got2[col], want[col])
			}
		}
	}
}

// aggTRand builds a random column of type t with about 20% nulls and few
// distinct values, so that groups share values.
func aggTRand(r *rand.Rand, t types.Type, n int) *vec.Vec {
	v := vec.New(t, n)
	for i := 0; i < n; i++ {
		if t != types.String && r.Intn(5) == 0 {
			v.AppendNull()
			continue
		}
		k := r.Intn(12) - 3
		switch t {
		case types.Bool:
			v.Append(k%2 == 0)
		case types.Int, types.Long:
			v.Append(int64(k))
		case types.Real:
			v.Append(float64(k) / 4)
		case types.String:
			if k < 0 {
				v.Append("")
			} else {
				v.Append(fmt.Sprintf("s%d", k))
			}
		case types.DateTime:
			v.Append(types.DT(int64(k) * 864000000000))
		case types.Timespan:
			v.Append(types.TS(int64(k) * 10000000))
		case types.Dynamic:
			switch k % 4 {
			case 0:
				v.Append([]any{int64(k), "a"})
			case 1:
				b := types.NewBag(1)
				b.Set(fmt.Sprintf("k%d", k), int64(k))
				v.Append(b)
			default:
				v.Append(fmt.Sprintf("d%d", k))
			}
		}
	}
	return v
}

func aggTGroups(r *rand.Rand, n, ng int) []uint32 {
	g := make([]uint32, n)
	for i := range g {
		g[i] = uint32(r.Intn(ng))
	}
	return g
}

// ---- registry ----

// Every aggregate builtin of this file set has a kernel, and the other
// way round.
func TestAggRegistryAgrees(t *testing.T) {
	for _, f := range builtins.All() {
		if f.Kind != builtins.Aggregate {
			continue
		}
		if !HasKernel(f.Name) {
			t.Errorf("aggregate %s has no kernel", f.Name)
		}
	}
	for _, alias := range []string{"argmax", "argmin", "any", "anyif"} {
		if !HasKernel(alias) {
			t.Errorf("alias %s does not resolve to a kernel", alias)
		}
	}
	if !HasKernel("dcount_hll") {
		t.Errorf("dcount_hll has no kernel")
	}
}

// ---- count / countif ----

func TestAggCount(t *testing.T) {
	x := aggTCol(types.Real, nil, 5.0, 5.0, nil)
	g := []uint32{0, 0, 1, 2}
	aggTCheck(t, "count()", "count", nil, nil, g, 4, []any{2, 1, 1, 0})
	// The summarize page: count(y) with a null y counts the row.
	aggTCheck(t, "count(y)", "count", []builtins.Arg{aggTArg(types.Real)}, []*vec.Vec{x}, g, 4, []any{2, 1, 1, 0})
	p := aggTCol(types.Bool, true, nil, false, true)
	aggTCheck(t, "count(bool) is countif", "count", []builtins.Arg{aggTArg(types.Bool)}, []*vec.Vec{p}, g, 4, []any{1, 0, 1, 0})
	aggTCheck(t, "countif", "countif", []builtins.Arg{aggTArg(types.Bool)}, []*vec.Vec{p}, g, 4, []any{1, 0, 1, 0})
	aggTCheck(t, "countif(true) constant", "countif", []builtins.Arg{aggTConst(types.Bool, true)}, nil, g, 4, []any{2, 1, 1, 0})
	aggTCheck(t, "countif(null) constant", "countif", []builtins.Arg{aggTConst(types.Bool, nil)}, nil, g, 4, []any{0, 0, 0, 0})
	// countif-aggregation-function-2: countif(strlen(name) > 4) over
	// John, Paul, George, Ringo.
	aggTCheck(t, "countif doc", "countif", []builtins.Arg{aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.Bool, false, false, true, true)}, nil, 1, []any{2})
}

// ---- sum / avg ----

func TestAggSum(t *testing.T) {
	g := []uint32{0, 0, 1, 1, 2}
	aggTCheck(t, "sum long", "sum", []builtins.Arg{aggTArg(types.Long)},
		[]*vec.Vec{aggTCol(types.Long, 1, 2, nil, 4, nil)}, g, 4, []any{3, 4, 0, 0})
	aggTCheck(t, "sum int widens", "sum", []builtins.Arg{aggTArg(types.Int)},
		[]*vec.Vec{aggTCol(types.Int, 1, 2, nil, 4, nil)}, g, 3, []any{3, 4, 0})
	aggTCheck(t, "sum real", "sum", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, 1.5, 2.25, nil, -4.0, nil)}, g, 4, []any{3.75, -4.0, 0.0, 0.0})
	aggTCheck(t, "sum timespan", "sum", []builtins.Arg{aggTArg(types.Timespan)},
		[]*vec.Vec{aggTCol(types.Timespan, types.TS(10), types.TS(20), nil, nil, types.TS(5))}, g, 3, []any{types.TS(30), types.TS(0), types.TS(5)})
	aggTCheck(t, "sum constant", "sum", []builtins.Arg{aggTConst(types.Long, 2)}, nil, g, 3, []any{4, 4, 2})
	// summarize page: sum(y) over null, 5, 5, 5 is 15.
	aggTCheck(t, "sum doc", "sum", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, nil, 5.0, 5.0, 5.0)}, nil, 1, []any{15.0})
	// sumif-aggregation-function-2.
	aggTCheck(t, "sumif doc", "sumif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.Long, 9, 18, 25, 7), aggTCol(types.Bool, false, false, true, true)}, nil, 1, []any{32})
}

func TestAggAvg(t *testing.T) {
	g := []uint32{0, 0, 1, 1, 2}
	aggTCheck(t, "avg long", "avg", []builtins.Arg{aggTArg(types.Long)},
		[]*vec.Vec{aggTCol(types.Long, 1, 2, nil, 4, nil)}, g, 4, []any{1.5, 4.0, math.NaN(), math.NaN()})
	// summarize page: avg(y) over null, 5, 5, 5 is 5.
	aggTCheck(t, "avg doc", "avg", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, nil, 5.0, 5.0, 5.0)}, nil, 1, []any{5.0})
	aggTCheck(t, "avgif", "avgif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.Long, 1, 2, 3, 4, 5), aggTCol(types.Bool, true, nil, true, false, true)}, g, 3, []any{1.0, 3.0, 5.0})
	aggTCheck(t, "avg timespan rounds", "avg", []builtins.Arg{aggTArg(types.Timespan)},
		[]*vec.Vec{aggTCol(types.Timespan, types.TS(1), types.TS(2), types.TS(-1), types.TS(-2), nil)}, g, 3, []any{types.TS(2), types.TS(-2), nil})
	// Datetimes near today overflow a 64-bit sum after a few hundred rows.
	const n = 5000
	d := vec.New(types.DateTime, n)
	base := int64(638000000000000000)
	for i := 0; i < n; i++ {
		d.Append(types.DT(base + int64(i)))
	}
	aggTCheck(t, "avg datetime without overflow", "avg", []builtins.Arg{aggTArg(types.DateTime)},
		[]*vec.Vec{d}, make([]uint32, n), 1, []any{types.DT(base + 2500)})
	big := aggTCol(types.Long, int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64))
	aggTCheck(t, "avg long without overflow", "avg", []builtins.Arg{aggTArg(types.Long)},
		[]*vec.Vec{big}, nil, 1, []any{float64(math.MaxInt64)})
}

// ---- min / max ----

func TestAggMinMax(t *testing.T) {
	g := []uint32{0, 0, 0, 1, 1, 2}
	l := aggTCol(types.Long, 5, nil, -3, 7, 7, nil)
	aggTCheck(t, "min long", "min", []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{l}, g, 4, []any{-3, 7, nil, nil})
	aggTCheck(t, "max long", "max", []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{l}, g, 4, []any{5, 7, nil, nil})
	r := aggTCol(types.Real, 1.5, math.NaN(), 0.5, nil, 2.0, 3.0)
	aggTCheck(t, "min real: NaN is least", "min", []builtins.Arg{aggTArg(types.Real)}, []*vec.Vec{r}, g, 3, []any{math.NaN(), 2.0, 3.0})
	aggTCheck(t, "max real: NaN is least", "max", []builtins.Arg{aggTArg(types.Real)}, []*vec.Vec{r}, g, 3, []any{1.5, 2.0, 3.0})
	s := aggTCol(types.String, "b", "", "a", "z", "y", "q")
	aggTCheck(t, "min string: empty is a value", "min", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{s}, g, 4, []any{"", "y", "q", ""})
	aggTCheck(t, "max string", "max", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{s}, g, 3, []any{"b", "z", "q"})
	d := aggTCol(types.DateTime, types.DT(30), types.DT(10), nil, nil, nil, types.DT(5))
	aggTCheck(t, "min datetime", "min", []builtins.Arg{aggTArg(types.DateTime)}, []*vec.Vec{d}, g, 3, []any{types.DT(10), nil, types.DT(5)})
	b := aggTCol(types.Bool, true, false, nil, true, true, nil)
	aggTCheck(t, "min bool", "min", []builtins.Arg{aggTArg(types.Bool)}, []*vec.Vec{b}, g, 3, []any{false, true, nil})
	aggTCheck(t, "max bool", "max", []builtins.Arg{aggTArg(types.Bool)}, []*vec.Vec{b}, g, 3, []any{true, true, nil})
	p := aggTCol(types.Bool, false, true, true, false, true, true)
	aggTCheck(t, "minif", "minif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)}, []*vec.Vec{l, p}, g, 3, []any{-3, 7, nil})
	aggTCheck(t, "maxif", "maxif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)}, []*vec.Vec{l, p}, g, 3, []any{-3, 7, nil})
	aggTCheck(t, "max constant", "max", []builtins.Arg{aggTConst(types.Long, 4)}, nil, g, 4, []any{4, 4, 4, nil})
	aggTCheck(t, "max untyped null", "max", []builtins.Arg{aggTConst(types.Unknown, nil)}, nil, g, 2, []any{nil, nil})
}

// ---- binary_all_* ----

func TestAggBinary(t *testing.T) {
	// The binary_all_* pages: each folds its four values to 0xCAFEF00D.
	for _, c := range []struct {
		name string
		vals []any
	}{
		{"binary_all_and", []any{0xFFFFFFFF, 0xFFFFF00F, 0xCFFFFFFD, 0xFAFEFFFF}},
		{"binary_all_or", []any{0x88888008, 0x42000000, 0x00767000, 0x00000005}},
		{"binary_all_xor", []any{0x44404440, 0x1E1E1E1E, 0x90ABBA09, 0x000B105A}},
	} {
		aggTCheck(t, c.name, c.name, []builtins.Arg{aggTArg(types.Long)},
			[]*vec.Vec{aggTCol(types.Long, append(c.vals, nil)...)}, nil, 1, []any{0xCAFEF00D})
	}
	aggTCheck(t, "binary_all_and empty group", "binary_all_and", []builtins.Arg{aggTArg(types.Long)},
		[]*vec.Vec{aggTCol(types.Long, 6, nil)}, []uint32{0, 1}, 3, []any{6, nil, nil})
}

// ---- stdev / variance / covariance ----

func TestAggStats(t *testing.T) {
	one := func(xs ...any) []*vec.Vec { return []*vec.Vec{aggTCol(types.Long, xs...)} }
	l := []builtins.Arg{aggTArg(types.Long)}
	// The stdev, stdevp, variance and variancep pages: 1..5.
	aggTCheck(t, "stdev doc", "stdev", l, one(1, 2, 3, 4, 5), nil, 1, []any{1.58113883008419})
	aggTCheck(t, "stdevp doc", "stdevp", l, one(1, 2, 3, 4, 5), nil, 1, []any{1.4142135623731})
	aggTCheck(t, "variance doc", "variance", l, one(1, 2, 3, 4, 5), nil, 1, []any{2.5})
	aggTCheck(t, "variancep doc", "variancep", l, one(1, 2, 3, 4, 5), nil, 1, []any{2.0})
	// stdevif, varianceif, variancepif pages: 1..100 where x % 2 == 0.
	var xs, ps []any
	for x := 1; x <= 100; x++ {
		xs = append(xs, x)
		ps = append(ps, x%2 == 0)
	}
	lp := []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)}
	cols := []*vec.Vec{aggTCol(types.Long, xs...), aggTCol(types.Bool, ps...)}
	aggTCheck(t, "stdevif doc", "stdevif", lp, cols, nil, 1, []any{29.1547594742265})
	aggTCheck(t, "varianceif doc", "varianceif", lp, cols, nil, 1, []any{850.0})
	// The variancepif page shows 850, the sample variance; the population
	// variance of 2, 4, ..., 100 is 833.
	aggTCheck(t, "variancepif", "variancepif", lp, cols, nil, 1, []any{833.0})
	// Defaults and nulls.
	g := []uint32{0, 1, 1}
	aggTCheck(t, "variance defaults", "variance", l, one(3, nil, nil), g, 3, []any{0.0, 0.0, 0.0})
	aggTCheck(t, "stdev defaults", "stdev", l, one(3, nil, nil), g, 3, []any{0.0, 0.0, 0.0})
	aggTCheck(t, "variancep defaults", "variancep", l, one(3, nil, nil), g, 3, []any{0.0, nil, nil})
	aggTCheck(t, "stdev real", "stdev", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, 1.0, nil, 3.0)}, nil, 1, []any{math.Sqrt2})

	// The covariance pages.
	x := aggTCol(types.Real, 1.0, 2.0, 3.0, 4.0, 5.0, nil, 9.0)
	y := aggTCol(types.Real, 14.0, 10.0, 17.0, 20.0, 50.0, 3.0, nil)
	rr := []builtins.Arg{aggTArg(types.Real), aggTArg(types.Real)}
	aggTCheck(t, "covariance doc", "covariance", rr, []*vec.Vec{x, y}, nil, 1, []any{20.5})
	aggTCheck(t, "covariancep doc", "covariancep", rr, []*vec.Vec{x, y}, nil, 1, []any{16.4})
	var cx, cy, cp []any
	for i := 1; i <= 100; i++ {
		cx = append(cx, i)
		if i%2 == 0 {
			cy = append(cy, i*2)
		} else {
			cy = append(cy, i*3)
		}
		cp = append(cp, i%3 == 0)
	}
	aggTCheck(t, "covarianceif doc", "covarianceif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Long), aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.Long, cx...), aggTCol(types.Long, cy...), aggTCol(types.Bool, cp...)}, nil, 1, []any{2142.0})
	aggTCheck(t, "covariance empty", "covariance", rr, []*vec.Vec{aggTCol(types.Real, nil), aggTCol(types.Real, 1.0)}, nil, 2, []any{nil, nil})
}

// ---- defaults over empty input (the summarize page) ----

func TestAggEmptyDefaults(t *testing.T) {
	L, B := aggTArg(types.Long), aggTArg(types.Bool)
	for _, c := range []struct {
		name string
		args []builtins.Arg
		want any
	}{
		{"count", nil, int64(0)},
		{"count", []builtins.Arg{L}, int64(0)},
		{"countif", []builtins.Arg{B}, int64(0)},
		{"dcount", []builtins.Arg{L}, int64(0)},
		{"dcountif", []builtins.Arg{L, B}, int64(0)},
		{"count_distinct", []builtins.Arg{L}, int64(0)},
		{"sum", []builtins.Arg{L}, int64(0)},
		{"sumif", []builtins.Arg{L, B}, int64(0)},
		{"variance", []builtins.Arg{L}, 0.0},
		{"varianceif", []builtins.Arg{L, B}, 0.0},
		{"stdev", []builtins.Arg{L}, 0.0},
		{"stdevif", []builtins.Arg{L, B}, 0.0},
		{"avg", []builtins.Arg{L}, math.NaN()},
		{"make_set", []builtins.Arg{L}, "[]"},
		{"make_set_if", []builtins.Arg{L, B}, "[]"},
		{"make_list", []builtins.Arg{L}, "[]"},
		{"make_list_if", []builtins.Arg{L, B}, "[]"},
		{"make_list_with_nulls", []builtins.Arg{L}, "[]"},
		{"make_bag", []builtins.Arg{aggTArg(types.Dynamic)}, "{}"},
		{"make_bag_if", []builtins.Arg{aggTArg(types.Dynamic), B}, "{}"},
		{"max", []builtins.Arg{L}, nil},
		{"min", []builtins.Arg{L}, nil},
		{"take_any", []builtins.Arg{L}, nil},
		{"take_anyif", []builtins.Arg{L, B}, nil},
		{"arg_max", []builtins.Arg{L, aggTArg(types.Real)}, nil},
		{"arg_min", []builtins.Arg{L}, nil},
		{"percentile", []builtins.Arg{L, aggTConst(types.Long, 55)}, nil},
		{"percentiles_array", []builtins.Arg{L, aggTConst(types.Long, 55)}, nil},
		{"hll", []builtins.Arg{L}, nil},
		{"hll_merge", []builtins.Arg{aggTArg(types.Dynamic)}, nil},
		{"stdevp", []builtins.Arg{L}, nil},
		{"variancep", []builtins.Arg{L}, nil},
		{"covariance", []builtins.Arg{L, L}, nil},
		{"binary_all_or", []builtins.Arg{L}, nil},
		{"avg", []builtins.Arg{aggTArg(types.Timespan)}, nil},
	} {
		mk := aggTNew(t, c.name, c.args)
		a := mk()
		a.Grow(2) // groups without rows
		for _, col := range aggTValues(aggTOut(a, 2)) {
			for _, got := range col {
				if !aggTEq(got, c.want) {
					t.Errorf("%s%v over no rows = %#v, want %#v", c.name, c.args, got, c.want)
				}
			}
		}
	}
}

// ---- type checking ----

func TestAggResultTypes(t *testing.T) {
	A := aggTArg
	for _, c := range []struct {
		name string
		args []builtins.Arg
		want types.Type
		err  string
	}{
		{"count", nil, types.Long, ""},
		{"countif", []builtins.Arg{A(types.Long)}, 0, "bool"},
		{"dcount", []builtins.Arg{A(types.String)}, types.Long, ""},
		{"dcount", []builtins.Arg{A(types.String), aggTConst(types.Long, 2)}, types.Long, ""},
		{"dcount", []builtins.Arg{A(types.String), aggTConst(types.Long, 7)}, 0, "accuracy"},
		{"dcount", []builtins.Arg{A(types.String), A(types.Long)}, 0, "constant"},
		{"sum", []builtins.Arg{A(types.Int)}, types.Long, ""},
		{"sum", []builtins.Arg{A(types.Real)}, types.Real, ""},
		{"sum", []builtins.Arg{A(types.Decimal)}, types.Decimal, ""},
		{"sum", []builtins.Arg{A(types.Timespan)}, types.Timespan, ""},
		{"sum", []builtins.Arg{A(types.String)}, 0, "number"},
		{"sum", []builtins.Arg{A(types.Dynamic)}, 0, "number"},
		{"sumif", []builtins.Arg{A(types.Long), A(types.String)}, 0, "bool"},
		{"avg", []builtins.Arg{A(types.Long)}, types.Real, ""},
		{"avg", []builtins.Arg{A(types.Timespan)}, types.Timespan, ""},
		{"avg", []builtins.Arg{A(types.DateTime)}, types.DateTime, ""},
		{"avg", []builtins.Arg{A(types.Decimal)}, types.Decimal, ""},
		{"avg", []builtins.Arg{A(types.Bool)}, 0, "number"},
		{"min", []builtins.Arg{A(types.String)}, types.String, ""},
		{"max", []builtins.Arg{A(types.DateTime)}, types.DateTime, ""},
		{"max", []builtins.Arg{A(types.Dynamic)}, 0, "dynamic"},
		{"max", []builtins.Arg{A(types.Guid)}, 0, "guid"},
		{"maxif", []builtins.Arg{A(types.Long), A(types.Long)}, 0, "bool"},
		{"stdev", []builtins.Arg{A(types.Int)}, types.Real, ""},
		{"variance", []builtins.Arg{A(types.String)}, 0, "number"},
		{"make_set", []builtins.Arg{A(types.String)}, types.Dynamic, ""},
		{"make_set", []builtins.Arg{A(types.String), aggTConst(types.Long, 10)}, types.Dynamic, ""},
		{"make_set", []builtins.Arg{A(types.String), A(types.Long)}, 0, "constant"},
		{"make_set", []builtins.Arg{A(types.String), aggTConst(types.String, "x")}, 0, "int"},
		{"make_bag", []builtins.Arg{A(types.String)}, 0, "dynamic"},
		{"make_list_if", []builtins.Arg{A(types.Long), A(types.Long)}, 0, "bool"},
		{"arg_max", []builtins.Arg{A(types.DateTime), A(types.String)}, types.DateTime, ""},
		{"arg_max", []builtins.Arg{A(types.DateTime), {Star: true}}, types.DateTime, ""},
		{"arg_min", []builtins.Arg{A(types.Dynamic), A(types.String)}, 0, "dynamic"},
		{"argmax", []builtins.Arg{A(types.Long)}, types.Long, ""},
		{"take_any", []builtins.Arg{A(types.Guid), A(types.Long)}, types.Guid, ""},
		{"take_any", []builtins.Arg{{Star: true}}, types.Unknown, ""},
		{"take_anyif", []builtins.Arg{A(types.Long), A(types.Long)}, 0, "bool"},
		{"percentile", []builtins.Arg{A(types.Int), aggTConst(types.Long, 50)}, types.Long, ""},
		{"percentiles", []builtins.Arg{A(types.Decimal), aggTConst(types.Long, 50), aggTConst(types.Real, 99.9)}, types.Real, ""},
		{"percentiles", []builtins.Arg{A(types.Timespan), aggTConst(types.Long, 50)}, types.Timespan, ""},
		{"percentile", []builtins.Arg{A(types.Long), A(types.Long)}, 0, "constant"},
		{"percentile", []builtins.Arg{A(types.Long), aggTConst(types.Long, 101)}, 0, "range"},
		{"percentile", []builtins.Arg{A(types.String), aggTConst(types.Long, 50)}, 0, "number"},
		{"percentiles_array", []builtins.Arg{A(types.Long), aggTConst(types.Dynamic, []any{int64(5), 50.5})}, types.Dynamic, ""},
		{"percentilesw", []builtins.Arg{A(types.Long), A(types.Long), aggTConst(types.Long, 50)}, types.Long, ""},
		{"percentilesw", []builtins.Arg{A(types.Long), A(types.Real), aggTConst(types.Long, 50)}, 0, "int"},
		{"hll", []builtins.Arg{A(types.Real)}, 0, "real"},
		{"hll", []builtins.Arg{A(types.String), aggTConst(types.Long, 3)}, types.Dynamic, ""},
		{"hll_merge", []builtins.Arg{A(types.String)}, 0, "dynamic"},
		{"count_distinct", []builtins.Arg{A(types.Dynamic)}, 0, "dynamic"},
		{"binary_all_and", []builtins.Arg{A(types.Int)}, types.Int, ""},
		{"binary_all_and", []builtins.Arg{A(types.Real)}, 0, "int or long"},
		{"covariance", []builtins.Arg{A(types.Long), A(types.String)}, 0, "number"},
		{"sum", []builtins.Arg{{Star: true}}, 0, "*"},
	} {
		f, ok := builtins.Lookup(c.name)
		if !ok {
			t.Fatalf("%s not registered", c.name)
		}
		got, err := f.Result(c.args)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s%v: error %v, want one mentioning %q", c.name, c.args, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s%v = %v, %v; want %v", c.name, c.args, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"count", 2}, {"countif", 0}, {"dcount", 3}, {"percentile", 3}, {"make_list_with_nulls", 2}, {"take_anyif", 1}} {
		f, _ := builtins.Lookup(c.name)
		if f.CheckCount(c.n) == nil {
			t.Errorf("%s with %d arguments accepted", c.name, c.n)
		}
	}
}

// ---- constant vs vector arguments ----

// A constant argument and an n-row vector repeating it give the same
// result.
func TestAggConstMatchesVector(t *testing.T) {
	g := []uint32{0, 1, 0, 2, 1}
	n := len(g)
	for _, c := range []struct {
		name string
		args []builtins.Arg
	}{
		{"sum", []builtins.Arg{aggTConst(types.Long, 3)}},
		{"avg", []builtins.Arg{aggTConst(types.Real, 2.5)}},
		{"max", []builtins.Arg{aggTConst(types.String, "x")}},
		{"dcount", []builtins.Arg{aggTConst(types.String, "x")}},
		{"make_set", []builtins.Arg{aggTConst(types.Long, 7)}},
		{"make_list", []builtins.Arg{aggTConst(types.Dynamic, []any{int64(1), "a"})}},
		{"countif", []builtins.Arg{aggTConst(types.Bool, true)}},
		{"take_any", []builtins.Arg{aggTConst(types.String, "v")}},
		{"arg_max", []builtins.Arg{aggTConst(types.Long, 1), aggTConst(types.String, "v")}},
		{"stdev", []builtins.Arg{aggTConst(types.Long, 1)}},
		{"percentile", []builtins.Arg{aggTConst(types.Long, 4), aggTConst(types.Long, 50)}},
	} {
		constOut := aggTRun(t, c.name, c.args, nil, g, 3)
		cols := make([]*vec.Vec, len(c.args))
		for i, a := range c.args {
			if i == 0 || c.name == "arg_max" {
				cols[i] = vec.Constant(a.Type, a.Value).Expand(n)
			}
		}
		vecOut := aggTRun(t, c.name, c.args, cols, g, 3)
		for k := range constOut {
			if !aggTEqCol(constOut[k], vecOut[k]) {
				t.Errorf("%s: constant gives %v, vector gives %v", c.name, constOut[k], vecOut[k])
			}
		}
	}
}

// ---- randomized merge ----

func TestAggMergeRandomized(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	A, C := aggTArg, aggTConst
	L, R, S, B, D, T := types.Long, types.Real, types.String, types.Bool, types.Dynamic, types.DateTime
	cases := []struct {
		name string
		args []builtins.Arg
	}{
		{"count", nil},
		{"count", []builtins.Arg{A(R)}},
		{"countif", []builtins.Arg{A(B)}},
		{"sum", []builtins.Arg{A(L)}},
		{"sum", []builtins.Arg{A(R)}},
		{"sumif", []builtins.Arg{A(R), A(B)}},
		{"avg", []builtins.Arg{A(L)}},
		{"avg", []builtins.Arg{A(R)}},
		{"avg", []builtins.Arg{A(T)}},
		{"min", []builtins.Arg{A(S)}},
		{"max", []builtins.Arg{A(R)}},
		{"max", []builtins.Arg{A(B)}},
		{"minif", []builtins.Arg{A(T), A(B)}},
		{"binary_all_xor", []builtins.Arg{A(L)}},
		{"stdev", []builtins.Arg{A(R)}},
		{"variancep", []builtins.Arg{A(L)}},
		{"stdevif", []builtins.Arg{A(L), A(B)}},
		{"covariance", []builtins.Arg{A(L), A(R)}},
		{"covariancepif", []builtins.Arg{A(R), A(L), A(B)}},
		{"dcount", []builtins.Arg{A(S)}},
		{"dcount", []builtins.Arg{A(D)}},
		{"dcountif", []builtins.Arg{A(R), A(B)}},
		{"count_distinct", []builtins.Arg{A(T)}},
		{"make_set", []builtins.Arg{A(S)}},
		{"make_set", []builtins.Arg{A(D)}},
		{"make_set", []builtins.Arg{A(L), C(L, 3)}},
		{"make_set_if", []builtins.Arg{A(R), A(B)}},
		{"make_list", []builtins.Arg{A(S)}},
		{"make_list", []builtins.Arg{A(D), C(L, 4)}},
		{"make_list_if", []builtins.Arg{A(T), A(B)}},
		{"make_list_with_nulls", []builtins.Arg{A(L)}},
		{"make_bag", []builtins.Arg{A(D)}},
		{"arg_max", []builtins.Arg{A(L), A(S), A(R)}},
		{"arg_min", []builtins.Arg{A(S), A(D)}},
		{"arg_max", []builtins.Arg{A(R), A(B)}},
		{"take_any", []builtins.Arg{A(S)}},
		{"take_any", []builtins.Arg{A(L), A(S)}},
		{"take_anyif", []builtins.Arg{A(R), A(B)}},
		{"percentiles", []builtins.Arg{A(L), C(L, 0), C(L, 50), C(R, 99.5)}},
		{"percentilesw", []builtins.Arg{A(R), A(L), C(L, 25), C(L, 100)}},
		{"percentiles_array", []builtins.Arg{A(T), C(L, 10), C(L, 90)}},
	}
	for _, c := range cases {
		for round := 0; round < 5; round++ {
			n := 20 + r.Intn(80)
			ng := 1 + r.Intn(6)
			cols := make([]*vec.Vec, len(c.args))
			for i, a := range c.args {
				if !a.Const {
					cols[i] = aggTRand(r, a.Type, n)
				}
			}
			groups := aggTGroups(r, n, ng)
			label := fmt.Sprintf("%s%v round %d", c.name, c.args, round)
			aggTMergeCheck(t, label, c.name, c.args, cols, groups, ng, 0, r.Intn(n), n)
		}
	}
}

// ---- allocations and benchmarks ----

// Steady-state Add of count, sum, min and max allocates nothing.
func TestAggAddAllocs(t *testing.T) {
	const n = 1024
	groups := make([]uint32, n)
	ints := vec.New(types.Long, n)
	reals := vec.New(types.Real, n)
	strs := vec.New(types.String, n)
	for i := 0; i < n; i++ {
		groups[i] = uint32(i % 16)
		ints.Append(int64(i))
		reals.Append(float64(i))
		strs.Append(fmt.Sprint(i))
	}
	for _, c := range []struct {
		name string
		col  *vec.Vec
	}{
		{"count", nil}, {"sum", ints}, {"sum", reals}, {"min", ints}, {"max", reals}, {"max", strs}, {"avg", ints},
		{"countif", nil},
	} {
		var args []builtins.Arg
		var vecs []*vec.Vec
		if c.col != nil {
			args = []builtins.Arg{aggTArg(c.col.Type)}
			vecs = []*vec.Vec{c.col}
		}
		if c.name == "countif" {
			p := vec.New(types.Bool, n)
			for i := 0; i < n; i++ {
				p.Append(i%3 == 0)
			}
			args, vecs = []builtins.Arg{aggTArg(types.Bool)}, []*vec.Vec{p}
		}
		a := aggTNew(t, c.name, args)()
		a.Grow(16)
		ctx := &Ctx{}
		allocs := testing.AllocsPerRun(20, func() {
			if err := a.Add(ctx, groups, vecs, n); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s(%v): %v allocations per Add", c.name, args, allocs)
		}
	}
}

func BenchmarkCount(b *testing.B) {
	const n = 1024
	groups := make([]uint32, n)
	for i := range groups {
		groups[i] = uint32(i % 64)
	}
	a := aggTNew(b, "count", nil)()
	a.Grow(64)
	ctx := &Ctx{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Add(ctx, groups, nil, n)
	}
}

func BenchmarkSumLong(b *testing.B) {
	const n = 1024
	groups := make([]uint32, n)
	x := vec.New(types.Long, n)
	for i := range groups {
		groups[i] = uint32(i % 64)
		x.Append(int64(i))
	}
	a := aggTNew(b, "sum", []builtins.Arg{aggTArg(types.Long)})()
	a.Grow(64)
	args := []*vec.Vec{x}
	ctx := &Ctx{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Add(ctx, groups, args, n)
	}
}
