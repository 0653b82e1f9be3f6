package exec

import (
	"math"
	"slices"
	"sort"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// rollingPctOp computes evaluate rolling_percentile. State: every non-null
// value, per dimension values and bin.
//
// Decisions where the docs are silent: a group's rows run from its first
// to its last bin, so a bin without rows of its own still gets the window
// ending there; a window without values gives no row; the percentile is
// the nearest-rank one (the value at rank ceil(P/100*N)), which is what
// percentile() returns for small inputs and matches the docs' examples.
type rollingPctOp struct {
	in    Operator
	n     *plan.RollingPercentile
	val   evaluator
	index evaluator
	dims  []evaluator
	done  bool
}

func newRollingPercentile(ctx *Context, n *plan.RollingPercentile) (Operator, error) {
	evs, in, err := compileOver(ctx, n.Input, append([]plan.Expr{n.Value, n.Index}, n.Dims...)...)
	if err != nil {
		return nil, err
	}
	return &rollingPctOp{in: in, n: n, val: evs[0], index: evs[1], dims: evs[2:]}, nil
}

type rpGroup struct {
	bins  map[int64][]float64 // real values
	ibins map[int64][]int64   // long, datetime and timespan values, kept exact
}

// nearestRank returns the value at rank ceil(pct/100*N) of sorted w.
func nearestRank[T int64 | float64](w []T, pct float64) T {
	rank := int(math.Ceil(pct / 100 * float64(len(w))))
	return w[min(max(rank, 1), len(w))-1]
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (o *rollingPctOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	n := o.n
	groups := newDimGroups[*rpGroup]()
	err := drain(o.in, func(b *vec.Batch) error {
		dv, err := evalAll(o.dims, b, true)
		if err != nil {
			return err
		}
		vv, err := o.val.eval(b)
		if err != nil {
			return err
		}
		iv, err := o.index.eval(b)
		if err != nil {
			return err
		}
		groups.batch(dv, b.N)
		for i := 0; i < b.N; i++ {
			if iv.IsNull(i) || vv.IsNull(i) {
				continue
			}
			k := floorDiv(iv.Ints[iv.Row(i)], n.Bin)
			g := groups.group(dv, i, func() *rpGroup { return &rpGroup{bins: map[int64][]float64{}, ibins: map[int64][]int64{}} })
			if vv.Type == types.Real || vv.Type == types.Decimal {
				g.bins[k] = append(g.bins[k], vv.Reals[vv.Row(i)])
			} else {
				g.ibins[k] = append(g.ibins[k], vv.Ints[vv.Row(i)])
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s := n.Schema()
	out := vec.NewBuilder(s, 0)
	outT := s[len(s)-1].Type
	for gi, g := range groups.order {
		dims := groups.dims[gi]
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for k := range g.bins {
			lo, hi = min(lo, k), max(hi, k)
		}
		for k := range g.ibins {
			lo, hi = min(lo, k), max(hi, k)
		}
		for k := lo; k <= hi; k++ {
			var w []float64
			var iw []int64
			for j := k - n.Window + 1; j <= k; j++ {
				w = append(w, g.bins[j]...)
				iw = append(iw, g.ibins[j]...)
			}
			var v any
			switch {
			case len(w) > 0:
				sort.Float64s(w)
				v = nearestRank(w, n.Pct)
			case len(iw) > 0:
				slices.Sort(iw)
				v = nearestRank(iw, n.Pct)
			default:
				continue
			}
			start := k * n.Bin
			switch s[0].Type {
			case types.DateTime:
				out.Cols[0].Append(types.DT(start))
			case types.Timespan:
				out.Cols[0].Append(types.TS(start))
			default:
				out.Cols[0].Append(start)
			}
			for d, dv := range dims {
				out.Cols[1+d].Append(dv)
			}
			last := out.Cols[len(s)-1]
			switch outT {
			case types.DateTime:
				v = types.DT(v.(int64))
			case types.Timespan:
				v = types.TS(v.(int64))
			}
			last.Append(v)
		}
	}
	return &vec.Batch{Cols: out.Cols, N: out.Len()}, nil
}

func (o *rollingPctOp) Close() error { return o.in.Close() }
