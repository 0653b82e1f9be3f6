package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// slidingWindowOp counts rows and distinct ids per bin and dimension
// values, then sums each bin's lookback window. State: one id set per
// (dimensions, bin).
type slidingWindowOp struct {
	in   Operator
	n    *plan.SlidingWindowCounts
	id   evaluator
	tm   evaluator
	dims []evaluator
	done bool
}

func newSlidingWindow(ctx *Context, n *plan.SlidingWindowCounts) (Operator, error) {
	evs, in, err := compileOver(ctx, n.Input, append([]plan.Expr{n.Id, n.Time}, n.Dims...)...)
	if err != nil {
		return nil, err
	}
	return &slidingWindowOp{in: in, n: n, id: evs[0], tm: evs[1], dims: evs[2:]}, nil
}

type swGroup struct {
	counts []int64
	ids    []map[string]bool
}

func (o *slidingWindowOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	n := o.n
	nbins := int((n.End-n.Start)/n.Bin) + 1
	if nbins <= 0 {
		return nil, nil
	}
	groups := newDimGroups[*swGroup]()
	var idEnc keyEncoder
	err := drain(o.in, func(b *vec.Batch) error {
		dv, err := evalAll(o.dims, b, true)
		if err != nil {
			return err
		}
		idv, err := o.id.eval(b)
		if err != nil {
			return err
		}
		tv, err := o.tm.eval(b)
		if err != nil {
			return err
		}
		groups.batch(dv, b.N)
		idEnc.encode([]*vec.Vec{idv.Expand(b.N)}, b.N, nil)
		for i := 0; i < b.N; i++ {
			if tv.IsNull(i) {
				continue
			}
			t := tv.Ints[tv.Row(i)]
			if t < n.Start || t >= n.Start+int64(nbins)*n.Bin {
				continue
			}
			k := int((t - n.Start) / n.Bin)
			g := groups.group(dv, i, func() *swGroup { return &swGroup{counts: make([]int64, nbins), ids: make([]map[string]bool, nbins)} })
			g.counts[k]++
			if g.ids[k] == nil {
				g.ids[k] = map[string]bool{}
			}
			g.ids[k][string(idEnc.key(i))] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(n.Dims) == 0 && len(groups.order) == 0 {
		// No rows: one all-zero series still describes the range.
		groups.order = append(groups.order, &swGroup{counts: make([]int64, nbins), ids: make([]map[string]bool, nbins)})
		groups.dims = append(groups.dims, nil)
	}
	window := int((n.Lookback + n.Bin - 1) / n.Bin)
	out := vec.NewBuilder(n.Schema(), len(groups.order)*nbins)
	for gi, g := range groups.order {
		dims := groups.dims[gi]
		for k := 0; k < nbins; k++ {
			var count int64
			seen := map[string]bool{}
			for j := max(0, k-window+1); j <= k; j++ {
				count += g.counts[j]
				for id := range g.ids[j] {
					seen[id] = true
				}
			}
			for d, v := range dims {
				out.Cols[d].Append(v)
			}
			nd := len(dims)
			out.Cols[nd].Append(types.DT(n.Start + int64(k)*n.Bin))
			out.Cols[nd+1].Append(count)
			out.Cols[nd+2].Append(int64(len(seen)))
		}
	}
	return &vec.Batch{Cols: out.Cols, N: out.Len()}, nil
}

func (o *slidingWindowOp) Close() error { return o.in.Close() }
