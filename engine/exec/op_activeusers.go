package exec

import (
	"slices"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// activeUsersOp computes evaluate active_users_count. State: every
// appearance time per dimension values and id, including those before
// Start, which still count towards a later appearance's lookback.
//
// Decisions where the docs are silent: the lookback window excludes its
// start, (t-Lookback, t], as the docs' example requires (B on 7/8 is not
// active although 6/30 is exactly 8d before); bins are aligned at Start;
// End is inclusive; bins without active ids give no row.
type activeUsersOp struct {
	in   Operator
	n    *plan.ActiveUsersCount
	id   evaluator
	tm   evaluator
	dims []evaluator
	done bool
}

func newActiveUsers(ctx *Context, n *plan.ActiveUsersCount) (Operator, error) {
	evs, in, err := compileOver(ctx, n.Input, append([]plan.Expr{n.Id, n.Time}, n.Dims...)...)
	if err != nil {
		return nil, err
	}
	return &activeUsersOp{in: in, n: n, id: evs[0], tm: evs[1], dims: evs[2:]}, nil
}

type auGroup struct {
	ids   map[string][]int64
	idOrd []string
}

func (o *activeUsersOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	n := o.n
	groups := newDimGroups[*auGroup]()
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
		idv = idv.Expand(b.N)
		groups.batch(dv, b.N)
		idEnc.encode([]*vec.Vec{idv}, b.N, nil)
		for i := 0; i < b.N; i++ {
			if tv.IsNull(i) || idv.IsNull(i) {
				continue
			}
			t := tv.Ints[tv.Row(i)]
			if t > n.End {
				continue
			}
			g := groups.group(dv, i, func() *auGroup { return &auGroup{ids: map[string][]int64{}} })
			k := string(idEnc.key(i))
			if _, seen := g.ids[k]; !seen {
				g.idOrd = append(g.idOrd, k)
			}
			g.ids[k] = append(g.ids[k], t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := vec.NewBuilder(n.Schema(), 0)
	for gi, g := range groups.order {
		dims := groups.dims[gi]
		active := map[int64]int64{} // bin -> distinct active ids
		for _, k := range g.idOrd {
			ts := g.ids[k]
			slices.Sort(ts)
			seen := map[int64]bool{}
			lo := 0
			for i, t := range ts {
				for ts[lo] <= t-n.Lookback {
					lo++
				}
				if t < n.Start {
					continue
				}
				bin := floorDiv(t-n.Start, n.Bin)
				if seen[bin] {
					continue
				}
				periods, last := int64(0), int64(0)
				for j := lo; j <= i; j++ {
					if p := floorDiv(ts[j], n.Period); j == lo || p != last {
						periods, last = periods+1, p
					}
				}
				if periods >= n.MinPeriods {
					seen[bin] = true
					active[bin]++
				}
			}
		}
		bins := make([]int64, 0, len(active))
		for b := range active {
			bins = append(bins, b)
		}
		slices.Sort(bins)
		for _, b := range bins {
			out.Cols[0].Append(types.DT(n.Start + b*n.Bin))
			for d, v := range dims {
				out.Cols[1+d].Append(v)
			}
			out.Cols[len(dims)+1].Append(active[b])
		}
	}
	return &vec.Batch{Cols: out.Cols, N: out.Len()}, nil
}

func (o *activeUsersOp) Close() error { return o.in.Close() }
