package exec

import (
	"regexp"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// parseOp runs parse and parse-where: one regex match per row, then each
// typed column converted for the whole batch at once.
type parseOp struct {
	ctx    *Context
	in     Operator
	n      *plan.Parse
	x      evaluator
	re     *regexp.Regexp
	groups []int
	convs  []fn.Scalar
	width  int
}

func newParse(ctx *Context, n *plan.Parse) (Operator, error) {
	re, err := regexp.Compile(n.Regex)
	if err != nil {
		return nil, err
	}
	x, err := compile(ctx, n.X)
	if err != nil {
		return nil, err
	}
	o := &parseOp{ctx: ctx, n: n, x: x, re: re, width: len(n.Input.Schema())}
	for _, c := range n.Cols {
		o.groups = append(o.groups, re.SubexpIndex(c.Group))
		conv, err := textConverter(c.Type)
		if err != nil {
			return nil, err
		}
		o.convs = append(o.convs, conv)
	}
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	o.in = in
	return o, nil
}

func (o *parseOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		xv, err := o.x.eval(b)
		if err != nil {
			return nil, err
		}
		xv = xv.Expand(b.N)
		texts := make([]*vec.Vec, len(o.groups))
		for k := range texts {
			texts[k] = vec.New(types.String, b.N)
		}
		ok := make([]bool, b.N)
		for i := 0; i < b.N; i++ {
			m := o.re.FindStringSubmatchIndex(xv.Strs[i])
			ok[i] = m != nil
			for k, g := range o.groups {
				s := ""
				if m != nil && m[2*g] >= 0 {
					s = xv.Strs[i][m[2*g]:m[2*g+1]]
				}
				texts[k].Strs = append(texts[k].Strs, s)
			}
		}
		cols := make([]*vec.Vec, len(o.groups))
		for k, conv := range o.convs {
			if cols[k], err = convertText(o.ctx, conv, texts[k], b.N); err != nil {
				return nil, err
			}
		}
		if !o.n.Relaxed {
			// Strict: one column that does not convert voids the row.
			for k, c := range cols {
				if o.convs[k] == nil {
					continue
				}
				for i := 0; i < b.N; i++ {
					if ok[i] && c.IsNull(i) {
						ok[i] = false
					}
				}
			}
		}
		if o.n.Where {
			var keep []int
			for i, y := range ok {
				if y {
					keep = append(keep, i)
				}
			}
			if len(keep) == 0 {
				continue
			}
			if len(keep) < b.N {
				b = b.Gather(keep)
				for k := range cols {
					cols[k] = cols[k].Gather(keep)
				}
			}
		} else {
			for k := range cols {
				cols[k] = nullWhere(cols[k], ok)
			}
		}
		out := &vec.Batch{Cols: append([]*vec.Vec(nil), b.Cols...), N: b.N}
		for k, c := range o.n.Cols {
			if c.Replace >= 0 {
				out.Cols[c.Replace] = cols[k]
			} else {
				out.Cols = append(out.Cols, cols[k])
			}
		}
		return out, nil
	}
}

func (o *parseOp) Close() error { return o.in.Close() }

// nullWhere returns v with the rows where ok is false set to null ("" for
// strings), copying v only when some row changes.
func nullWhere(v *vec.Vec, ok []bool) *vec.Vec {
	all := true
	for _, y := range ok {
		all = all && y
	}
	if all {
		return v
	}
	out := vec.New(v.Type, len(ok))
	for i, y := range ok {
		if y {
			out.AppendFrom(v, i)
		} else {
			out.AppendNull()
		}
	}
	return out
}
