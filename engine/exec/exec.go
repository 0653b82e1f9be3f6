// Package exec is hunt's embedded executor: it turns a logical plan into a
// tree of streaming operators over column batches (engine/vec) and runs
// scalar and aggregate kernels (engine/fn) over whole batches.
//
// Errors travel as values: every operator's Next returns (batch, error),
// and a nil batch means the end of the stream. Filters compact the rows
// that survive into a new, dense batch instead of carrying a selection
// vector: kernels then never consult a selection, which keeps the ~300
// kernels simple, and after projection pushdown a batch holds only the
// few columns the query reads, so the copy is cheap. (DESIGN.md suggests a
// selection vector; this is the trade we made, see docs/design.md.)
//
// Memory: scans, filters and projections stream; aggregation and joins
// hold state per group or per build-side row; sort holds its input.
package exec

import (
	"errors"
	"fmt"
	"runtime/debug"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// Operator is one streaming operator.
type Operator interface {
	// Next returns the next batch, or nil at the end. The returned batch
	// is owned by the caller until the next call.
	Next() (*vec.Batch, error)
	// Close releases resources; it may be called more than once.
	Close() error
}

// Source reads one table.
type Source interface {
	Next() (*vec.Batch, error)
	Close() error
}

// Context is what a query run provides to its operators.
type Context struct {
	Fn fn.Ctx
	// OpenTable opens a scan producing exactly the scan's columns; the
	// scan's Filters and Paths are hints the reader may use.
	OpenTable func(scan *plan.Scan) (Source, error)
	// MaxMemory bounds the bytes that blocking operators (aggregation,
	// join build sides, sort) may hold; 0 means no limit.
	MaxMemory int64
	// Stats, when not nil, receives per-operator row counts.
	Stats *Stats
	// ExternalData maps externaldata URLs to local files.
	ExternalData map[string]string
	// Workers is how many goroutines may read and process one table scan;
	// 0 or 1 means one.
	Workers int

	shared     map[int]*sharedResult
	subqueries map[*plan.Subquery]*plan.Const
	// inChain is set while building the inputs of a streaming operator, so
	// that only the top of a chain considers splitting it.
	inChain bool
}

// ErrMemoryLimit is returned when an operator would exceed MaxMemory.
var ErrMemoryLimit = errors.New("memory limit exceeded")

type sharedResult struct {
	batches []*vec.Batch
	err     error
	done    bool
}

// Build turns a plan into an operator tree.
func Build(ctx *Context, n plan.Node) (Operator, error) {
	if ctx.shared == nil {
		ctx.shared = map[int]*sharedResult{}
		ctx.subqueries = map[*plan.Subquery]*plan.Const{}
	}
	switch n.(type) {
	case *plan.Filter, *plan.Project, *plan.MvExpand:
	default:
		if ctx.inChain {
			c := *ctx
			c.inChain = false
			ctx = &c
		}
	}
	if w, ok := plan.SplitWindows(n); ok {
		n = w
	}
	var op Operator
	var err error
	switch x := n.(type) {
	case *plan.Scan:
		op, err = newScan(ctx, x)
	case *plan.Values:
		op = newValues(x)
	case *plan.Range:
		op, err = newRange(ctx, x)
	case *plan.Filter, *plan.Project, *plan.MvExpand:
		op, err = buildStreaming(ctx, n)
	case *plan.Aggregate:
		var parts []Source
		parts, err = splitScan(ctx, x.Input)
		if err == nil {
			if parts != nil {
				op, err = parallelAggregate(ctx, x, parts)
			} else {
				op, err = newAggregate(ctx, x)
			}
		}
	case *plan.Sort:
		op, err = newSort(ctx, x.Input, x.Keys, -1)
	case *plan.Top:
		op, err = newSort(ctx, x.Input, x.Keys, x.N)
	case *plan.Limit:
		op, err = newLimit(ctx, x)
	case *plan.Join:
		op, err = newJoin(ctx, x)
	case *plan.Union:
		op, err = newUnion(ctx, x)
	case *plan.Shared:
		op, err = newShared(ctx, x)
	case *plan.Parse:
		op, err = newParse(ctx, x)
	default:
		op, err = buildMore(ctx, n)
	}
	if err != nil {
		return nil, err
	}
	if _, parts := op.(*orderedExchange); ctx.Stats != nil && !parts {
		// An exchange's parts count the node's rows themselves.
		op = ctx.Stats.wrap(n, op)
	}
	return op, nil
}

// buildStreaming builds a Filter, Project or MvExpand. When it heads a
// chain of such operators over a splittable scan, and this is the top of
// the chain, the chain runs on several workers behind an ordered exchange.
func buildStreaming(ctx *Context, n plan.Node) (Operator, error) {
	if ctx.Workers > 1 && !ctx.inChain {
		parts, err := splitScan(ctx, n)
		if err != nil {
			return nil, err
		}
		if parts != nil {
			return newOrderedExchange(ctx, n, parts)
		}
	}
	inner := *ctx
	inner.inChain = true
	switch x := n.(type) {
	case *plan.Filter:
		return newFilter(&inner, x)
	case *plan.Project:
		return newProject(&inner, x)
	case *plan.MvExpand:
		return newMvExpand(&inner, x)
	}
	return nil, fmt.Errorf("exec: %T is not a streaming operator", n)
}

// InternalError is a bug in hunt caught at the root of a run: a panic in
// an operator or kernel becomes this error instead of a crash.
type InternalError struct {
	Value any
	Stack string
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error: %v (this is a bug in hunt; please report it with the query)", e.Value)
}

// Run builds n and calls emit for each output batch.
func Run(ctx *Context, n plan.Node, emit func(*vec.Batch) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &InternalError{Value: r, Stack: string(debug.Stack())}
		}
	}()
	return run(ctx, n, emit)
}

func run(ctx *Context, n plan.Node, emit func(*vec.Batch) error) error {
	op, err := Build(ctx, n)
	if err != nil {
		return err
	}
	defer op.Close()
	return drain(op, emit)
}

// Collect runs n and returns all its rows as one batch.
func Collect(ctx *Context, n plan.Node) (*vec.Batch, error) {
	out := vec.NewBuilder(n.Schema(), 0)
	err := Run(ctx, n, func(b *vec.Batch) error {
		appendBatch(out.Cols, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &vec.Batch{Cols: out.Cols, N: out.Len()}, nil
}

// appendBatch appends every row of b to the column builders dst.
func appendBatch(dst []*vec.Vec, b *vec.Batch) {
	for c, v := range b.Cols {
		d := dst[c]
		if !v.Const && v.Nulls == nil {
			switch {
			case v.Bools != nil && d.Bools != nil:
				d.Bools = append(d.Bools, v.Bools[:b.N]...)
				continue
			case v.Ints != nil && d.Ints != nil:
				d.Ints = append(d.Ints, v.Ints[:b.N]...)
				continue
			case v.Reals != nil && d.Reals != nil:
				d.Reals = append(d.Reals, v.Reals[:b.N]...)
				continue
			case v.Strs != nil && d.Strs != nil:
				d.Strs = append(d.Strs, v.Strs[:b.N]...)
				continue
			case v.Dyns != nil && d.Dyns != nil:
				d.Dyns = append(d.Dyns, v.Dyns[:b.N]...)
				continue
			}
		}
		for i := 0; i < b.N; i++ {
			d.AppendFrom(v, i)
		}
	}
}

// drain reads every batch of op.
func drain(op Operator, f func(*vec.Batch) error) error {
	for {
		b, err := op.Next()
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if b.N == 0 {
			continue
		}
		if err := f(b); err != nil {
			return err
		}
	}
}
