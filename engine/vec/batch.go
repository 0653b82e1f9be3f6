package vec

import (
	"strings"

	"hunt/kql/types"
)

// Column names and types one column of a schema.
type Column struct {
	Name string
	Type types.Type
}

// Schema is the ordered list of columns of a table or operator output.
type Schema []Column

// Index returns the position of the column named name, or -1. Column names
// are case-sensitive in KQL.
func (s Schema) Index(name string) int {
	for i, c := range s {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = c.Name
	}
	return out
}

func (s Schema) String() string {
	parts := make([]string, len(s))
	for i, c := range s {
		parts[i] = c.Name + ":" + c.Type.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Batch is a set of equally long column vectors. Operators stream batches
// of up to BatchSize rows; a batch with N == 0 is never passed downstream
// except as the end-of-stream signal some operators use internally.
type Batch struct {
	Cols []*Vec
	N    int
}

// BatchSize is the number of rows readers and operators aim for per batch.
// It is a variable so that tests can run every query at small sizes and
// flush out batch-boundary bugs.
var BatchSize = 1024

// Gather returns a batch of rows idx of b.
func (b *Batch) Gather(idx []int) *Batch {
	out := &Batch{Cols: make([]*Vec, len(b.Cols)), N: len(idx)}
	for i, c := range b.Cols {
		out.Cols[i] = c.Gather(idx)
	}
	return out
}

// Slice returns rows [from, to) of b.
func (b *Batch) Slice(from, to int) *Batch {
	out := &Batch{Cols: make([]*Vec, len(b.Cols)), N: to - from}
	for i, c := range b.Cols {
		out.Cols[i] = c.Slice(from, to)
	}
	return out
}

// Builder accumulates rows column by column into a batch.
type Builder struct {
	Schema Schema
	Cols   []*Vec
}

// NewBuilder returns a builder for schema s with room for n rows.
func NewBuilder(s Schema, n int) *Builder {
	b := &Builder{Schema: s, Cols: make([]*Vec, len(s))}
	for i, c := range s {
		b.Cols[i] = New(c.Type, n)
	}
	return b
}

// Len returns the number of rows appended so far.
func (b *Builder) Len() int {
	if len(b.Cols) == 0 {
		return 0
	}
	return b.Cols[0].Len()
}

// Flush returns the accumulated rows as a batch and starts a new one.
func (b *Builder) Flush() *Batch {
	n := b.Len()
	out := &Batch{Cols: b.Cols, N: n}
	b.Cols = make([]*Vec, len(b.Schema))
	for i, c := range b.Schema {
		b.Cols[i] = New(c.Type, BatchSize)
	}
	return out
}
