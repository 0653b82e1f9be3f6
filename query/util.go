package query

import (
	"fmt"

	"hunt/kql/plan"
	"hunt/source"

	"hunt/engine/vec"
)

// batchSource serves an in-memory table, projected to the requested
// columns.
type batchSource struct {
	b    *vec.Batch
	done bool
}

func newBatchSource(b *vec.Batch, schema vec.Schema, cols vec.Schema) (*batchSource, error) {
	out := &vec.Batch{N: b.N}
	for _, c := range cols {
		i := schema.Index(c.Name)
		if i < 0 {
			return nil, fmt.Errorf("column %s missing", c.Name)
		}
		out.Cols = append(out.Cols, b.Cols[i])
	}
	return &batchSource{b: out}, nil
}

func (s *batchSource) Next() (*vec.Batch, error) {
	if s.done || s.b.N == 0 {
		return nil, nil
	}
	s.done = true
	return s.b, nil
}

func (s *batchSource) Close() error { return nil }

func scanFilters(fs []plan.ScanFilter) []source.Filter {
	out := make([]source.Filter, len(fs))
	for i, f := range fs {
		out[i] = source.Filter{Column: f.Column, Op: f.Op, Value: f.Value, Values: f.Values}
	}
	return out
}
