package exec

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// externalDataOp reads the local files bound to an externaldata's URLs,
// one batch at a time. Cells are read as text and converted to the
// declared column types with the engine's conversion functions.
type externalDataOp struct {
	ctx   *Context
	n     *plan.ExternalData
	files []string
	cur   int
	rows  rowReader
	close func() error
	convs []fn.Scalar
	first bool
}

// rowReader yields the text cells of the next row, io.EOF at the end.
type rowReader func() ([]string, error)

func newExternalData(ctx *Context, n *plan.ExternalData) (Operator, error) {
	o := &externalDataOp{ctx: ctx, n: n}
	for _, u := range n.URLs {
		f, ok := ctx.ExternalData[u]
		if !ok {
			return nil, fmt.Errorf("not available offline: externaldata of %s (bind it with --externaldata URL=FILE)", u)
		}
		o.files = append(o.files, f)
	}
	for _, c := range n.Cols {
		conv, err := textConverter(c.Type)
		if err != nil {
			return nil, err
		}
		o.convs = append(o.convs, conv)
	}
	return o, nil
}

func (o *externalDataOp) open(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("externaldata: %w", err)
	}
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return fmt.Errorf("externaldata: %s: %w", path, err)
		}
		r = gz
	}
	o.close = f.Close
	o.first = o.n.IgnoreFirst
	switch o.n.Format {
	case "json", "multijson":
		o.rows = jsonRows(r, o.n.Cols, path)
	case "txt", "raw":
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		o.rows = func() ([]string, error) {
			if !sc.Scan() {
				if err := sc.Err(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
			return []string{strings.TrimSuffix(sc.Text(), "\r")}, nil
		}
	default:
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		switch o.n.Format {
		case "tsv", "tsve":
			cr.Comma = '\t'
		case "psv":
			cr.Comma = '|'
		case "scsv":
			cr.Comma = ';'
		case "sohsv":
			cr.Comma = '\x01'
		}
		o.rows = func() ([]string, error) {
			rec, err := cr.Read()
			if err != nil && err != io.EOF {
				return nil, fmt.Errorf("externaldata: %s: %w", path, err)
			}
			return rec, err
		}
	}
	return nil
}

func (o *externalDataOp) Next() (*vec.Batch, error) {
	texts := make([]*vec.Vec, len(o.n.Cols))
	for c := range texts {
		texts[c] = vec.New(types.String, vec.BatchSize)
	}
	n := 0
	for n < vec.BatchSize && o.cur < len(o.files) {
		if o.rows == nil {
			if err := o.open(o.files[o.cur]); err != nil {
				return nil, err
			}
		}
		rec, err := o.rows()
		if err == io.EOF {
			o.close()
			o.rows = nil
			o.cur++
			continue
		}
		if err != nil {
			return nil, err
		}
		if o.first {
			o.first = false
			continue
		}
		if len(rec) == 1 && rec[0] == "" && len(o.n.Cols) > 1 {
			continue
		}
		for c := range o.n.Cols {
			s := ""
			if c < len(rec) {
				s = rec[c]
			}
			texts[c].Strs = append(texts[c].Strs, s)
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	out := &vec.Batch{Cols: make([]*vec.Vec, len(texts)), N: n}
	for c, t := range texts {
		v, err := convertText(o.ctx, o.convs[c], t, n)
		if err != nil {
			return nil, err
		}
		if o.convs[c] != nil {
			// Empty cells are null, as Kusto reads them.
			ok := make([]bool, n)
			for i, s := range t.Strs {
				ok[i] = strings.TrimSpace(s) != ""
			}
			v = nullWhere(v, ok)
		}
		out.Cols[c] = v
	}
	return out, nil
}

func (o *externalDataOp) Close() error {
	if o.rows != nil && o.close != nil {
		o.rows = nil
		return o.close()
	}
	return nil
}

// jsonRows reads JSON objects (one per line, or an array of them) and
// yields the text of each declared column: strings as they are, other
// values as JSON.
func jsonRows(r io.Reader, cols vec.Schema, path string) rowReader {
	data, err := io.ReadAll(r)
	if err != nil {
		return func() ([]string, error) { return nil, err }
	}
	var objs []any
	if v, err := types.ParseJSON(data); err == nil {
		if arr, ok := v.([]any); ok {
			objs = arr
		} else {
			objs = []any{v}
		}
	} else {
		for ln, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			v, err := types.ParseJSON([]byte(line))
			if err != nil {
				return func() ([]string, error) {
					return nil, fmt.Errorf("externaldata: %s:%d: %v", path, ln+1, err)
				}
			}
			objs = append(objs, v)
		}
	}
	i := 0
	return func() ([]string, error) {
		if i >= len(objs) {
			return nil, io.EOF
		}
		obj := objs[i]
		i++
		rec := make([]string, len(cols))
		bag, _ := obj.(*types.Bag)
		for c, col := range cols {
			if bag == nil {
				continue
			}
			v, ok := bag.Get(col.Name)
			if !ok || v == nil {
				continue
			}
			if s, ok := v.(string); ok {
				rec[c] = s
			} else {
				rec[c] = string(types.AppendJSON(nil, v))
			}
		}
		return rec, nil
	}
}

var _ = sort.Strings
