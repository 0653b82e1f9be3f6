package store

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/source"
)

// ImportStats is what an import added to one table.
type ImportStats struct {
	Table string
	Rows  int64
}

// Import reads every table of set through its reader (so rows, types and
// malformed lines are exactly what queries over the raw files see) and
// adds the rows to w. progress, when not nil, is called after each batch
// with the table and its rows so far. The caller commits or aborts w.
func Import(w *Writer, set *source.Set, diag *source.Diagnostics, progress func(table string, rows int64)) ([]ImportStats, error) {
	var out []ImportStats
	for _, name := range set.Names() {
		t, ok := set.Table(name)
		if !ok {
			continue
		}
		schema, err := t.Schema()
		if err != nil {
			return out, err
		}
		tw, err := w.Table(t.Name, schema)
		if err != nil {
			return out, err
		}
		r, err := t.Open(source.ScanSpec{Columns: schema.Names()}, diag)
		if err != nil {
			return out, err
		}
		before := tw.Rows()
		err = copyRows(r, tw, func() {
			if progress != nil {
				progress(t.Name, tw.Rows())
			}
		})
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return out, fmt.Errorf("importing %s: %w", t.Name, err)
		}
		out = append(out, ImportStats{Table: t.Name, Rows: tw.Rows() - before})
	}
	return out, nil
}

// copyRows reads on one goroutine and encodes on another, so that
// decoding the export and compressing the store overlap.
func copyRows(r source.Reader, tw *TableWriter, tick func()) error {
	type item struct {
		b   *vec.Batch
		err error
	}
	ch := make(chan item, 8)
	stop := make(chan struct{})
	defer func() {
		// The reader must be done before the caller closes it.
		close(stop)
		for range ch {
		}
	}()
	go func() {
		defer close(ch)
		for {
			b, err := r.Next()
			if b == nil && err == nil {
				return
			}
			select {
			case ch <- item{b, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for it := range ch {
		if it.err != nil {
			return it.err
		}
		if err := tw.Write(it.b); err != nil {
			return err
		}
		tick()
	}
	return nil
}
