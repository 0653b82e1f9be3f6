package exec

import (
	"fmt"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// multiResult is implemented by aggregates with several output columns
// (arg_max, take_any of several columns, percentiles).
type multiResult interface {
	Results(n int) []*vec.Vec
}

type aggState struct {
	call plan.AggCall
	args []evaluator
	st   fn.Agg
}

// aggregateOp is hash aggregation: each distinct key gets a dense group
// id, and every aggregate keeps its state in arrays indexed by group id,
// so memory grows with the number of groups, never with the rows.
type aggregateOp struct {
	ctx    *Context
	in     Operator
	n      *plan.Aggregate
	keys   []evaluator
	aggs   []aggState
	groups map[string]uint32
	ngroup int
	keyOut []*vec.Vec
	enc    keyEncoder
	gids   []uint32
	keyMem int64
	done   bool
}

func newAggregate(ctx *Context, n *plan.Aggregate) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	o := &aggregateOp{ctx: ctx, in: in, n: n, groups: map[string]uint32{}}
	for _, k := range n.Keys {
		ev, err := compile(ctx, k)
		if err != nil {
			in.Close()
			return nil, err
		}
		o.keys = append(o.keys, ev)
		o.keyOut = append(o.keyOut, vec.New(k.Type(), 0))
	}
	for _, a := range n.Aggs {
		s := aggState{call: a}
		info := make([]plan.Expr, len(a.Args))
		for i, arg := range a.Args {
			ev, err := compile(ctx, arg)
			if err != nil {
				in.Close()
				return nil, err
			}
			s.args = append(s.args, ev)
			info[i] = arg
			if c, ok := ev.(constEval); ok {
				info[i] = &plan.Const{T: arg.Type(), Value: c.v.Get(0)}
			}
		}
		mk, err := fn.NewAgg(a.Name, plan.ArgInfo(info), a.Out[0].Type)
		if err != nil {
			in.Close()
			return nil, err
		}
		s.st = mk()
		o.aggs = append(o.aggs, s)
	}
	if len(n.Keys) == 0 {
		o.ngroup = 1
		for _, a := range o.aggs {
			a.st.Grow(1)
		}
	}
	return o, nil
}

func (o *aggregateOp) consume(b *vec.Batch) error {
	if cap(o.gids) < b.N {
		o.gids = make([]uint32, b.N)
	}
	gids := o.gids[:b.N]
	if len(o.keys) > 0 {
		kv, err := evalAll(o.keys, b, true)
		if err != nil {
			return err
		}
		o.enc.encode(kv, b.N, nil)
		before := o.ngroup
		for i := 0; i < b.N; i++ {
			key := o.enc.key(i)
			g, ok := o.groups[string(key)]
			if !ok {
				g = uint32(o.ngroup)
				o.groups[string(key)] = g
				o.ngroup++
				o.keyMem += int64(len(key)) + 48
				for c, v := range kv {
					o.keyOut[c].AppendFrom(v, i)
				}
			}
			gids[i] = g
		}
		if o.ngroup != before {
			for _, a := range o.aggs {
				a.st.Grow(o.ngroup)
			}
		}
	} else {
		for i := range gids {
			gids[i] = 0
		}
	}
	for _, a := range o.aggs {
		args, err := evalAll(a.args, b, false)
		if err != nil {
			return err
		}
		if err := a.st.Add(&o.ctx.Fn, gids, args, b.N); err != nil {
			return fmt.Errorf("%s(): %w", a.call.Name, err)
		}
	}
	if o.ctx.MaxMemory > 0 {
		mem := o.keyMem
		for _, a := range o.aggs {
			mem += a.st.Bytes()
		}
		if mem > o.ctx.MaxMemory {
			return fmt.Errorf("summarize holds %d groups and about %d MiB: %w (raise --max-memory)", o.ngroup, mem>>20, ErrMemoryLimit)
		}
	}
	return nil
}

func (o *aggregateOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	if err := drain(o.in, o.consume); err != nil {
		return nil, err
	}
	return o.result()
}

// mergeFrom folds the groups of another partial aggregation of the same
// plan node into o: groups o has not seen are appended in p's first-seen
// order.
func (o *aggregateOp) mergeFrom(p *aggregateOp) error {
	into := make([]uint32, p.ngroup)
	if len(o.keys) == 0 {
		// One group on both sides.
	} else {
		keys := make([]string, p.ngroup)
		for k, g := range p.groups {
			keys[g] = k
		}
		before := o.ngroup
		for g, k := range keys {
			id, ok := o.groups[k]
			if !ok {
				id = uint32(o.ngroup)
				o.groups[k] = id
				o.ngroup++
				o.keyMem += int64(len(k)) + 48
				for c, kv := range p.keyOut {
					o.keyOut[c].AppendFrom(kv, g)
				}
			}
			into[g] = id
		}
		if o.ngroup != before {
			for _, a := range o.aggs {
				a.st.Grow(o.ngroup)
			}
		}
	}
	for i, a := range o.aggs {
		a.st.Merge(p.aggs[i].st, into)
	}
	return nil
}

// result returns the aggregated rows.
func (o *aggregateOp) result() (*vec.Batch, error) {
	n := o.ngroup
	if n == 0 {
		return nil, nil
	}
	out := &vec.Batch{N: n}
	out.Cols = append(out.Cols, o.keyOut...)
	for _, a := range o.aggs {
		if m, ok := a.st.(multiResult); ok && len(a.call.Out) > 1 {
			res := m.Results(n)
			out.Cols = append(out.Cols, res[:len(a.call.Out)]...)
			continue
		}
		out.Cols = append(out.Cols, a.st.Result(n))
	}
	return out, nil
}

func (o *aggregateOp) Close() error { return o.in.Close() }
