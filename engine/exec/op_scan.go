package exec

import (
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// scanOperator runs the scan operator's state machine. Each step holds at most
// one match in progress; a record is tried against the steps from last
// to first and goes to the first that takes it: step k takes it from
// step k-1's match when its condition holds (the match moves on), or
// extends its own match; the first step starts a new match. Conditions
// and assignments are evaluated over a one-row frame (plan.ScanOpStep
// describes its columns). The steps are inherently sequential, so the
// operator reads its whole input and walks it row by row.
type scanOperator struct {
	in    Operator
	n     *plan.ScanOp
	cond  []evaluator
	asg   [][]evaluator
	done  bool
	width int // input columns + declared variables
}

// scanOperatorMatch is a match in progress: the variables as they stand and what
// each step recorded (nil for a step not reached).
type scanOperatorMatch struct {
	id    int64
	vars  []any
	steps [][]any
}

func newScanOperator(ctx *Context, n *plan.ScanOp) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	o := &scanOperator{in: in, n: n, width: len(n.Input.Schema()) + len(n.Declare)}
	for _, st := range n.Steps {
		c, err := compile(ctx, st.Cond)
		if err != nil {
			in.Close()
			return nil, err
		}
		o.cond = append(o.cond, c)
		var as []evaluator
		for _, e := range st.Assign {
			ev, err := compile(ctx, e)
			if err != nil {
				in.Close()
				return nil, err
			}
			as = append(as, ev)
		}
		o.asg = append(o.asg, as)
	}
	return o, nil
}

// frame builds the one-row batch of record rec seen from match m (nil for
// no match: the variables take their defaults).
func (o *scanOperator) frame(rec []any, m *scanOperatorMatch) *vec.Batch {
	in := o.n.Input.Schema()
	nSteps := len(o.n.Steps)
	b := &vec.Batch{N: 1, Cols: make([]*vec.Vec, 0, o.width*(1+nSteps))}
	add := func(c vec.Column, v any) {
		x := vec.New(c.Type, 1)
		if v == nil {
			x.AppendNull()
		} else {
			x.Append(v)
		}
		b.Cols = append(b.Cols, x)
	}
	vars := o.n.Defaults
	if m != nil {
		vars = m.vars
	}
	for i, c := range in {
		add(c, rec[i])
	}
	for i, c := range o.n.Declare {
		add(c, vars[i])
	}
	for j := 0; j < nSteps; j++ {
		var row []any
		if m != nil {
			row = m.steps[j]
		}
		for i, c := range in {
			var v any
			if row != nil {
				v = row[i]
			}
			add(c, v)
		}
		for i, c := range o.n.Declare {
			v := o.n.Defaults[i]
			if row != nil {
				v = row[len(in)+i]
			}
			add(c, v)
		}
	}
	return b
}

func (o *scanOperator) holds(k int, f *vec.Batch) (bool, error) {
	v, err := o.cond[k].eval(f)
	if err != nil {
		return false, err
	}
	if v.IsNull(0) {
		return false, nil
	}
	t, _ := v.Get(0).(bool)
	return t, nil
}

// advance applies step k's assignments over frame f to match m (a copy of
// the match it extends) and records rec at step k.
func (o *scanOperator) advance(k int, f *vec.Batch, m *scanOperatorMatch, rec []any) error {
	vals := make([]any, len(o.asg[k]))
	for i, ev := range o.asg[k] {
		v, err := ev.eval(f)
		if err != nil {
			return err
		}
		vals[i] = v.Get(0)
	}
	for i, vi := range o.n.Steps[k].Vars {
		m.vars[vi] = vals[i]
	}
	row := append(append([]any(nil), rec...), m.vars...)
	m.steps[k] = row
	return nil
}

func (o *scanOperator) copyMatch(m *scanOperatorMatch) *scanOperatorMatch {
	c := &scanOperatorMatch{id: m.id, vars: append([]any(nil), m.vars...), steps: make([][]any, len(m.steps))}
	copy(c.steps, m.steps)
	return c
}

func (o *scanOperator) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	nSteps := len(o.n.Steps)
	states := make([]*scanOperatorMatch, nSteps)
	var nextID int64
	res := vec.NewBuilder(o.n.Schema(), 0)
	emit := func(k int, rec []any, m *scanOperatorMatch) {
		if o.n.Steps[k].Output == "none" {
			return
		}
		c := 0
		for _, v := range rec {
			appendAny(res.Cols[c], v)
			c++
		}
		for _, v := range m.vars {
			appendAny(res.Cols[c], v)
			c++
		}
		if o.n.MatchID != "" {
			res.Cols[c].Append(m.id)
		}
	}
	err := drain(o.in, func(b *vec.Batch) error {
		for i := 0; i < b.N; i++ {
			rec := make([]any, len(b.Cols))
			for c, v := range b.Cols {
				rec[c] = v.Get(i)
			}
			for k := nSteps - 1; k >= 0; k-- {
				if k > 0 && states[k-1] != nil {
					f := o.frame(rec, states[k-1])
					ok, err := o.holds(k, f)
					if err != nil {
						return err
					}
					if ok {
						m := o.copyMatch(states[k-1])
						if err := o.advance(k, f, m, rec); err != nil {
							return err
						}
						states[k], states[k-1] = m, nil
						emit(k, rec, m)
						break
					}
				}
				if states[k] != nil || k == 0 {
					f := o.frame(rec, states[k])
					ok, err := o.holds(k, f)
					if err != nil {
						return err
					}
					if !ok {
						continue
					}
					var m *scanOperatorMatch
					if states[k] != nil {
						m = o.copyMatch(states[k])
					} else {
						m = &scanOperatorMatch{id: nextID, vars: append([]any(nil), o.n.Defaults...), steps: make([][]any, nSteps)}
						nextID++
					}
					if err := o.advance(k, f, m, rec); err != nil {
						return err
					}
					states[k] = m
					emit(k, rec, m)
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res.Flush(), nil
}

func appendAny(v *vec.Vec, x any) {
	if x == nil {
		v.AppendNull()
		return
	}
	v.Append(x)
}

func (o *scanOperator) Close() error { return o.in.Close() }
