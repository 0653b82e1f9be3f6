package query

import (
	"fmt"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/source"
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

// pathFilters turns the scan's filters that readers cannot take as
// classic comparisons into PathFilters: those on one key of a dynamic
// column (RawEventData.FileExtension =~ "zip") and those on a string
// column as a whole (FileName has_any (...)). They are judged by the
// executor's own kernels (exec.ValuePredicate), so a reader that tests
// them early keeps exactly the values the Filter above the scan keeps; a
// predicate that fails to evaluate keeps the value.
func pathFilters(fs []plan.ScanFilter) []source.PathFilter {
	var out []source.PathFilter
	for _, f := range fs {
		if f.Pred == nil {
			continue
		}
		t := types.Dynamic
		var absent any // a missing key is null
		if f.Path == "" {
			if ref := plan.ValueRef(f.Pred); f.Op != plan.OpPred || ref == nil || ref.T != types.String {
				continue // classic filters go as Filters
			}
			t, absent = types.String, "" // a string is never null
		}
		probe, err := exec.NewValuePredicate(f.Pred, t)
		if err != nil {
			continue
		}
		absentPasses, err := probe.EvalOne(absent)
		probe.Close()
		if err != nil {
			continue
		}
		pred := f.Pred
		out = append(out, source.PathFilter{
			Column: f.Column, Path: f.Path, AbsentPasses: absentPasses,
			NewMatch: func() func(string) bool {
				vp, err := exec.NewValuePredicate(pred, t)
				if err != nil {
					return nil
				}
				return func(s string) bool {
					pass, err := vp.EvalOne(s)
					return err != nil || pass
				}
			},
		})
	}
	return out
}
