package exec

import (
	"math/rand/v2"
	"sort"

	"hunt/engine/vec"
	"hunt/kql/plan"
)

// sampleOp is reservoir sampling (algorithm R) with a seeded generator:
// it holds N rows at most and emits them in input order.
type sampleOp struct {
	in   Operator
	n    *plan.Sample
	done bool
}

func newSample(ctx *Context, n *plan.Sample) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &sampleOp{in: in, n: n}, nil
}

func (o *sampleOp) Next() (*vec.Batch, error) {
	if o.done || o.n.N <= 0 {
		return nil, nil
	}
	o.done = true
	rng := rand.New(rand.NewPCG(o.n.Seed, 0x68756e74))
	res := vec.NewBuilder(o.n.Schema(), 0)
	var order []int64 // input position of each reservoir row
	var seen int64
	err := drain(o.in, func(b *vec.Batch) error {
		for i := 0; i < b.N; i++ {
			if seen < o.n.N {
				for c, v := range b.Cols {
					res.Cols[c].AppendFrom(v, i)
				}
				order = append(order, seen)
			} else if j := rng.Int64N(seen + 1); j < o.n.N {
				for c, v := range b.Cols {
					replaceRow(res.Cols[c], int(j), v, i)
				}
				order[j] = seen
			}
			seen++
		}
		return nil
	})
	if err != nil || len(order) == 0 {
		return nil, err
	}
	idx := make([]int, len(order))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return order[idx[a]] < order[idx[b]] })
	return (&vec.Batch{Cols: res.Cols, N: len(order)}).Gather(idx), nil
}

// replaceRow overwrites row j of dst with row i of src.
func replaceRow(dst *vec.Vec, j int, src *vec.Vec, i int) {
	tmp := vec.New(dst.Type, 1)
	tmp.AppendFrom(src, i)
	switch {
	case dst.Bools != nil:
		dst.Bools[j] = tmp.Bools[0]
	case dst.Ints != nil:
		dst.Ints[j] = tmp.Ints[0]
	case dst.Reals != nil:
		dst.Reals[j] = tmp.Reals[0]
	case dst.Strs != nil:
		dst.Strs[j] = tmp.Strs[0]
	case dst.Guids != nil:
		dst.Guids[j] = tmp.Guids[0]
	default:
		dst.Dyns[j] = tmp.Dyns[0]
	}
	if tmp.Nulls != nil && tmp.Nulls.Get(0) {
		dst.Nulls = dst.Nulls.Set(j)
	} else if dst.Nulls != nil && dst.Nulls.Get(j) {
		dst.Nulls.Clear(j)
	}
}

func (o *sampleOp) Close() error { return o.in.Close() }
