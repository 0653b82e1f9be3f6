package exec

import (
	"sync"

	"hunt/engine/vec"
	"hunt/kql/plan"
)

// Splitter is implemented by sources that can be divided into parts read
// by separate workers. Split returns at most n sources whose rows, read
// one after another in order, are exactly the rows of the whole; the
// contiguity is what keeps parallel results identical to sequential ones.
type Splitter interface {
	Split(n int) ([]Source, error)
}

// pipelineScan finds the Scan at the bottom of a chain of streaming
// operators (Filter, Project, MvExpand) under n, or nil when the chain
// holds anything else: only such chains can be run by several workers.
func pipelineScan(n plan.Node) *plan.Scan {
	for {
		switch x := n.(type) {
		case *plan.Scan:
			return x
		case *plan.Filter:
			n = x.Input
		case *plan.Project:
			n = x.Input
		case *plan.MvExpand:
			n = x.Input
		default:
			return nil
		}
	}
}

// splitScan opens the scan of chain and splits it for the workers; it
// returns nil when the data cannot be split (then the chain runs alone).
func splitScan(ctx *Context, chain plan.Node) ([]Source, error) {
	if ctx.Workers <= 1 || ctx.OpenTable == nil {
		return nil, nil
	}
	scan := pipelineScan(chain)
	if scan == nil {
		return nil, nil
	}
	src, err := ctx.OpenTable(scan)
	if err != nil {
		return nil, err
	}
	sp, ok := src.(Splitter)
	if !ok {
		src.Close()
		return nil, nil
	}
	parts, err := sp.Split(ctx.Workers)
	src.Close()
	if err != nil || len(parts) <= 1 {
		for _, p := range parts {
			p.Close()
		}
		return nil, err
	}
	return parts, nil
}

// withSource returns a copy of ctx whose scan of table reads src.
func withSource(ctx *Context, src Source) *Context {
	c := *ctx
	c.OpenTable = func(*plan.Scan) (Source, error) { return src, nil }
	c.Workers = 1
	return &c
}

// orderedExchange runs one copy of a streaming chain per part in its own
// goroutine and returns their batches in part order, so the output is the
// same as a single worker's. Each worker may run ahead by a bounded number
// of batches.
type orderedExchange struct {
	chans []chan exchangeItem
	cur   int
	stop  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

type exchangeItem struct {
	b   *vec.Batch
	err error
}

const exchangeDepth = 8

func newOrderedExchange(ctx *Context, chain plan.Node, parts []Source) (*orderedExchange, error) {
	ops := make([]Operator, len(parts))
	for i, p := range parts {
		op, err := Build(withSource(ctx, p), chain)
		if err != nil {
			for _, o := range ops[:i] {
				o.Close()
			}
			for _, q := range parts[i:] {
				q.Close()
			}
			return nil, err
		}
		ops[i] = op
	}
	x := &orderedExchange{stop: make(chan struct{})}
	for _, op := range ops {
		ch := make(chan exchangeItem, exchangeDepth)
		x.chans = append(x.chans, ch)
		x.wg.Add(1)
		go x.work(op, ch)
	}
	return x, nil
}

func (x *orderedExchange) work(op Operator, ch chan exchangeItem) {
	defer x.wg.Done()
	defer close(ch)
	defer op.Close()
	defer func() {
		if r := recover(); r != nil {
			select {
			case ch <- exchangeItem{err: &InternalError{Value: r}}:
			case <-x.stop:
			}
		}
	}()
	for {
		b, err := op.Next()
		if b == nil && err == nil {
			return
		}
		select {
		case ch <- exchangeItem{b, err}:
		case <-x.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (x *orderedExchange) Next() (*vec.Batch, error) {
	for x.cur < len(x.chans) {
		it, ok := <-x.chans[x.cur]
		if !ok {
			x.cur++
			continue
		}
		return it.b, it.err
	}
	return nil, nil
}

func (x *orderedExchange) Close() error {
	x.once.Do(func() { close(x.stop) })
	x.wg.Wait()
	return nil
}

// parallelAggregate computes an Aggregate with one partial aggregation per
// part, then merges the partial states in part order, which assigns group
// ids and set orders exactly as a single worker would.
func parallelAggregate(ctx *Context, n *plan.Aggregate, parts []Source) (Operator, error) {
	aggs := make([]*aggregateOp, len(parts))
	for i, p := range parts {
		op, err := newAggregate(withSource(ctx, p), n)
		if err != nil {
			for _, a := range aggs[:i] {
				a.Close()
			}
			for _, q := range parts[i:] {
				q.Close()
			}
			return nil, err
		}
		aggs[i] = op.(*aggregateOp)
	}
	return &mergedAggregate{ctx: ctx, parts: aggs}, nil
}

type mergedAggregate struct {
	ctx   *Context
	parts []*aggregateOp
	done  bool
}

func (m *mergedAggregate) Next() (*vec.Batch, error) {
	if m.done {
		return nil, nil
	}
	m.done = true
	errs := make([]error, len(m.parts))
	var wg sync.WaitGroup
	for i, p := range m.parts {
		wg.Add(1)
		go func(i int, p *aggregateOp) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = &InternalError{Value: r}
				}
			}()
			errs[i] = drain(p.in, p.consume)
		}(i, p)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	base := m.parts[0]
	for _, p := range m.parts[1:] {
		if err := base.mergeFrom(p); err != nil {
			return nil, err
		}
	}
	base.done = true
	return base.result()
}

func (m *mergedAggregate) Close() error {
	for _, p := range m.parts {
		p.Close()
	}
	return nil
}
