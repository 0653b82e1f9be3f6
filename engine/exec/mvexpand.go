package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// mvExpandOp expands dynamic arrays and bags into one row per element,
// several columns in lock step (shorter ones padded with null). A null
// value yields one row with null; an empty array or bag yields no row.
type mvExpandOp struct {
	in Operator
	n  *plan.MvExpand
}

func newMvExpand(ctx *Context, n *plan.MvExpand) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &mvExpandOp{in: in, n: n}, nil
}

func (o *mvExpandOp) elements(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{nil}
	case []any:
		return x
	case *types.Bag:
		out := make([]any, len(x.Keys))
		for i, k := range x.Keys {
			if o.n.BagMode == "array" {
				out[i] = []any{k, x.Vals[i]}
			} else {
				b := types.NewBag(1)
				b.Set(k, x.Vals[i])
				out[i] = b
			}
		}
		return out
	}
	return []any{v}
}

func (o *mvExpandOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		schema := o.n.Schema()
		out := vec.NewBuilder(schema, b.N)
		expanded := map[int]int{}
		for k, c := range o.n.Cols {
			expanded[c] = k
		}
		elems := make([][]any, len(o.n.Cols))
		for i := 0; i < b.N; i++ {
			rows := 0
			for k, c := range o.n.Cols {
				elems[k] = o.elements(b.Cols[c].Get(i))
				rows = max(rows, len(elems[k]))
			}
			if o.n.Limit > 0 && int64(rows) > o.n.Limit {
				rows = int(o.n.Limit)
			}
			for r := 0; r < rows; r++ {
				for c := range b.Cols {
					k, isExp := expanded[c]
					if !isExp {
						out.Cols[c].AppendFrom(b.Cols[c], i)
						continue
					}
					var v any
					if r < len(elems[k]) {
						v = elems[k][r]
					}
					out.Cols[c].Append(castDynamic(v, o.n.ToTypes[k]))
				}
				if o.n.IndexName != "" {
					out.Cols[len(b.Cols)].Append(int64(r))
				}
			}
		}
		res := out.Flush()
		if res.N > 0 {
			return res, nil
		}
	}
}

// castDynamic applies mv-expand's `to typeof(T)`: a cast, not a parse, so
// elements of another kind become null.
func castDynamic(v any, t types.Type) any {
	if t == types.Dynamic || v == nil {
		return v
	}
	switch t {
	case types.String:
		if s, ok := v.(string); ok {
			return s
		}
		return types.DynString(v)
	case types.Int, types.Long:
		switch n := v.(type) {
		case int64:
			return n
		case float64:
			if n == float64(int64(n)) {
				return int64(n)
			}
		}
	case types.Real, types.Decimal:
		switch n := v.(type) {
		case int64:
			return float64(n)
		case float64:
			return n
		}
	case types.Bool:
		if x, ok := v.(bool); ok {
			return x
		}
	case types.DateTime:
		switch x := v.(type) {
		case types.DT:
			return x
		case string:
			if t, ok := types.ParseDatetime(x); ok {
				return types.DT(t)
			}
		}
	case types.Timespan:
		switch x := v.(type) {
		case types.TS:
			return x
		case string:
			if t, ok := types.ParseTimespan(x); ok {
				return types.TS(t)
			}
		}
	case types.Guid:
		switch x := v.(type) {
		case types.GuidVal:
			return x
		case string:
			if g, ok := types.ParseGuid(x); ok {
				return g
			}
		}
	}
	return nil
}

func (o *mvExpandOp) Close() error { return o.in.Close() }
