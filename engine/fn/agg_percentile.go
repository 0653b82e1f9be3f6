package fn

// percentile, percentiles, percentiles_array, percentilew, percentilesw
// and percentilesw_array.
//
// Kusto estimates percentiles with a t-digest; hunt keeps every value of
// the group and computes the exact nearest-rank percentile the docs
// define: the P-th percentile (0 < P <= 100) of N ascending values is the
// value at rank ceil(P/100 * N) (1-based), and the 0-th is the smallest.
// Weighted variants treat each value as repeated weight times (rows with
// a null or non-positive weight are skipped). Kusto's t-digest is exact
// at the extremes and close elsewhere, so results can differ slightly
// from Kusto's for large groups, never for the small ones of the docs.
//
// Nulls are ignored; a group without values gives null. Reals order with
// NaN first. Result columns: int widens to long and decimal to real (as
// Kusto does); datetime and timespan keep their type. The *_array forms
// return one dynamic array of the values instead.

import (
	"math"
	"slices"
	"sort"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterAgg("percentile", aggPctFactory("percentile", false, false))
	RegisterAgg("percentiles", aggPctFactory("percentiles", false, false))
	RegisterAgg("percentiles_array", aggPctFactory("percentiles_array", false, true))
	RegisterAgg("percentilew", aggPctFactory("percentilew", true, false))
	RegisterAgg("percentilesw", aggPctFactory("percentilesw", true, false))
	RegisterAgg("percentilesw_array", aggPctFactory("percentilesw_array", true, true))
}

// aggPercents reads the constant percents from argument at on.
func aggPercents(name string, args []builtins.Arg, at int) ([]float64, error) {
	var ps []float64
	add := func(x any, k int) error {
		var p float64
		switch v := x.(type) {
		case int64:
			p = float64(v)
		case float64:
			p = v
		default:
			return Errorf("%s(): argument %d must be a constant number", name, k+1)
		}
		if !(p >= 0 && p <= 100) {
			return Errorf("%s(): percentile %v is out of range [0, 100]", name, p)
		}
		ps = append(ps, p)
		return nil
	}
	for k := at; k < len(args); k++ {
		a := args[k]
		if !a.Const {
			return nil, Errorf("%s(): argument %d must be a constant", name, k+1)
		}
		if arr, ok := a.Value.([]any); ok {
			for _, e := range arr {
				if err := add(e, k); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := add(a.Value, k); err != nil {
			return nil, err
		}
	}
	if len(ps) == 0 {
		return nil, Errorf("%s(): no percentile given", name)
	}
	return ps, nil
}

func aggPctFactory(name string, weighted, array bool) AggFactory {
	return func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		at := 1
		if weighted {
			at = 2
		}
		if len(args) <= at {
			return nil, Errorf("%s(): no percentile given", name)
		}
		ps, err := aggPercents(name, args, at)
		if err != nil {
			return nil, err
		}
		t := aggArgType(args, 0)
		out := builtins.AggPercentileType(t)
		switch t.Physical() {
		case types.PhysInt, types.PhysNone:
			return func() Agg {
				return &aggPct[int64]{ps: ps, weighted: weighted, array: array, out: out, col: func(v *vec.Vec) []int64 { return v.Ints }}
			}, nil
		case types.PhysReal:
			return func() Agg {
				return &aggPct[float64]{ps: ps, weighted: weighted, array: array, out: out, col: func(v *vec.Vec) []float64 { return v.Reals }}
			}, nil
		}
		return nil, Errorf("%s(): cannot compute percentiles of type %s", name, t)
	}
}

type aggPct[T int64 | float64] struct {
	ps       []float64
	weighted bool
	array    bool
	out      types.Type
	col      func(*vec.Vec) []T
	vals     [][]T
	weights  [][]int64
	bytes    int64
}

func (a *aggPct[T]) Grow(n int) {
	if n > len(a.vals) {
		a.bytes += 48 * int64(n-len(a.vals))
		a.vals = aggGrowTo(a.vals, n)
		if a.weighted {
			a.weights = aggGrowTo(a.weights, n)
		}
	}
}

func (a *aggPct[T]) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	data := a.col(x)
	if data == nil { // an untyped null column
		return nil
	}
	for i, g := range groups[:n] {
		if x.IsNull(i) {
			continue
		}
		if a.weighted {
			w := args[1]
			if w.IsNull(i) || w.Type.Physical() != types.PhysInt || w.Ints[w.Row(i)] <= 0 {
				continue
			}
			a.weights[g] = append(a.weights[g], w.Ints[w.Row(i)])
			a.bytes += 8
		}
		a.vals[g] = append(a.vals[g], data[x.Row(i)])
		a.bytes += 8
	}
	return nil
}

func (a *aggPct[T]) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggPct[T])
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.vals) {
			continue
		}
		a.vals[g] = append(a.vals[g], o.vals[j]...)
		a.bytes += 8 * int64(len(o.vals[j]))
		if a.weighted {
			a.weights[g] = append(a.weights[g], o.weights[j]...)
			a.bytes += 8 * int64(len(o.weights[j]))
		}
	}
}

// aggPctLess orders values ascending with NaN first.
func aggPctLess[T int64 | float64](a, b T) bool { return a < b || (a != a && b == b) }

// pick returns the nearest-rank percentiles of group g, ok=false when the
// group has no values.
func (a *aggPct[T]) pick(g int) ([]T, bool) {
	vs := a.vals[g]
	if len(vs) == 0 {
		return nil, false
	}
	out := make([]T, len(a.ps))
	if !a.weighted {
		slices.SortFunc(vs, func(x, y T) int {
			switch {
			case aggPctLess(x, y):
				return -1
			case aggPctLess(y, x):
				return 1
			}
			return 0
		})
		n := float64(len(vs))
		for k, p := range a.ps {
			out[k] = vs[aggRank(p, n)-1]
		}
		return out, true
	}
	ws := a.weights[g]
	idx := make([]int, len(vs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return aggPctLess(vs[idx[i]], vs[idx[j]]) })
	var total float64
	for _, w := range ws {
		total += float64(w)
	}
	for k, p := range a.ps {
		rank := float64(aggRank(p, total))
		var cum float64
		out[k] = vs[idx[len(idx)-1]]
		for _, i := range idx {
			cum += float64(ws[i])
			if cum >= rank {
				out[k] = vs[i]
				break
			}
		}
	}
	return out, true
}

// aggRank is the 1-based nearest rank of percentile p among n values.
func aggRank(p, n float64) int {
	r := math.Ceil(p * n / 100)
	if r < 1 {
		r = 1
	}
	if r > n {
		r = n
	}
	return int(r)
}

func (a *aggPct[T]) box(x T) any {
	switch a.out {
	case types.DateTime:
		return types.DT(any(x).(int64))
	case types.Timespan:
		return types.TS(any(x).(int64))
	}
	return any(x)
}

func (a *aggPct[T]) Results(n int) []*vec.Vec {
	a.Grow(n)
	if a.array {
		out := vec.New(types.Dynamic, n)
		for g := 0; g < n; g++ {
			vs, ok := a.pick(g)
			if !ok {
				out.AppendNull()
				continue
			}
			arr := make([]any, len(vs))
			for k, v := range vs {
				arr[k] = a.box(v)
			}
			out.Dyns = append(out.Dyns, arr)
		}
		return []*vec.Vec{out}
	}
	cols := make([]*vec.Vec, len(a.ps))
	for k := range cols {
		cols[k] = vec.New(a.out, n)
	}
	for g := 0; g < n; g++ {
		vs, ok := a.pick(g)
		for k, c := range cols {
			if !ok {
				c.AppendNull()
				continue
			}
			switch x := any(vs[k]).(type) {
			case int64:
				if c.Type.Physical() == types.PhysReal {
					c.Reals = append(c.Reals, float64(x))
				} else {
					c.Ints = append(c.Ints, x)
				}
			case float64:
				c.Reals = append(c.Reals, x)
			}
		}
	}
	return cols
}

func (a *aggPct[T]) Result(n int) *vec.Vec { return a.Results(n)[0] }

func (a *aggPct[T]) Bytes() int64 { return a.bytes }
