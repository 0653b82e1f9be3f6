package fn

// The scalar hll_merge(hll1, hll2, ...): the analyzer calls it __hll_merge
// because the aggregate of the same name takes the plain spelling.

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("__hll_merge", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := vec.New(types.Dynamic, m)
			for i := 0; i < m; i++ {
				var set aggHashSet
				var p uint8
				for _, x := range a {
					if x.Type != types.Dynamic || x.IsNull(i) {
						continue
					}
					s, sp, ok := aggParseSketch(x.Dyns[x.Row(i)])
					if !ok {
						return nil, Errorf("hll_merge(): the value is not an hll() result")
					}
					if p == 0 {
						p = sp
					} else if sp != p {
						return nil, Errorf("hll_merge(): cannot merge hll values of different accuracy")
					}
					set.merge(&s, p, aggExactLimit(p))
				}
				out.Append(set.sketch(p))
			}
			out.Const = c
			return out, nil
		}, nil
	})
}
