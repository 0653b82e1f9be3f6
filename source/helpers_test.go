package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"hunt/engine/vec"
	"hunt/kql/types"
)

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstdBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	w, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	return w.EncodeAll(data, nil)
}

// fmtValue renders a value as the tests spell expectations.
func fmtValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case types.DT:
		return types.FormatDatetime(int64(x))
	case types.TS:
		return "ts:" + types.FormatTimespan(int64(x))
	case types.GuidVal:
		return "guid:" + types.FormatGuid(x)
	case bool, int64:
		return fmt.Sprint(x)
	case float64:
		return "r:" + types.FormatReal(x)
	}
	return "dyn:" + string(types.AppendJSON(nil, v))
}

// checkBatch verifies the invariants every produced batch must keep.
func checkBatch(b *vec.Batch, s vec.Schema) error {
	if b.N <= 0 {
		return fmt.Errorf("batch with %d rows", b.N)
	}
	if b.N > max(vec.BatchSize, 1) {
		return fmt.Errorf("batch with %d rows > BatchSize %d", b.N, vec.BatchSize)
	}
	if len(b.Cols) != len(s) {
		return fmt.Errorf("batch has %d columns, want %d", len(b.Cols), len(s))
	}
	for i, c := range b.Cols {
		if c.Type != s[i].Type {
			return fmt.Errorf("column %s has type %v, want %v", s[i].Name, c.Type, s[i].Type)
		}
		if c.Len() != b.N {
			return fmt.Errorf("column %s has %d values, batch has %d", s[i].Name, c.Len(), b.N)
		}
		for w, word := range c.Nulls {
			for bit := 0; bit < 64; bit++ {
				if word&(1<<bit) != 0 && w*64+bit >= b.N {
					return fmt.Errorf("column %s has a null bit past its end", s[i].Name)
				}
			}
		}
		if c.Type == types.String && c.HasNulls() {
			return fmt.Errorf("string column %s has nulls", s[i].Name)
		}
		if c.Type == types.Dynamic {
			for _, d := range c.Dyns {
				if err := checkDyn(d, 0); err != nil {
					return fmt.Errorf("column %s: %v", s[i].Name, err)
				}
			}
		}
	}
	return nil
}

func checkDyn(v any, depth int) error {
	if depth > 600 {
		return fmt.Errorf("dynamic value nested too deep")
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string, types.DT, types.TS, types.GuidVal:
		return nil
	case []any:
		for _, e := range x {
			if err := checkDyn(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	case *types.Bag:
		if len(x.Keys) != len(x.Vals) {
			return fmt.Errorf("bag with %d keys and %d values", len(x.Keys), len(x.Vals))
		}
		for _, e := range x.Vals {
			if err := checkDyn(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unexpected dynamic Go type %T", v)
}

// drain reads r to the end and renders each row as "col=value ...".
func drain(t testing.TB, r Reader, s vec.Schema) []string {
	t.Helper()
	defer r.Close()
	var rows []string
	for {
		b, err := r.Next()
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if b == nil {
			break
		}
		if err := checkBatch(b, s); err != nil {
			t.Fatalf("bad batch: %v", err)
		}
		rows = append(rows, renderRows(b, s)...)
	}
	return rows
}

func renderRows(b *vec.Batch, s vec.Schema) []string {
	var rows []string
	for i := 0; i < b.N; i++ {
		parts := make([]string, len(s))
		for j := range s {
			parts[j] = s[j].Name + "=" + fmtValue(b.Cols[j].Get(i))
		}
		rows = append(rows, strings.Join(parts, " "))
	}
	return rows
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// readBytes decodes data as a file of the given format into columns s,
// without discovery, and returns the rendered rows and the diagnostics.
func readBytes(t testing.TB, s vec.Schema, format Format, data []byte) ([]string, *Diagnostics) {
	t.Helper()
	rows, diag, err := readBytesErr(s, format, data)
	if err != nil {
		t.Fatal(err)
	}
	return rows, diag
}

func readBytesErr(s vec.Schema, format Format, data []byte) ([]string, *Diagnostics, error) {
	return readFileBytes(s, &File{Path: "mem", Format: format, table: "T"}, data)
}

func readFileBytes(s vec.Schema, f *File, data []byte) ([]string, *Diagnostics, error) {
	diag := &Diagnostics{}
	fr := newFileReader(f, fileRange{file: f, end: -1}, bytes.NewReader(data), nopCloser{}, diag)
	defer fr.close()
	rb := newRowBuilder(s)
	var rows []string
	emit := func() error {
		n := rb.n
		b := &vec.Batch{Cols: rb.flush(), N: n}
		if err := checkBatch(b, s); err != nil {
			return err
		}
		rows = append(rows, renderRows(b, s)...)
		return nil
	}
	for {
		done, err := fr.fill(rb, &localCounts{})
		if err != nil {
			return nil, nil, err
		}
		if rb.full() || (done && rb.n > 0) {
			if err := emit(); err != nil {
				return nil, nil, err
			}
		}
		if done {
			return rows, diag, nil
		}
	}
}

func schemaOf(spec string) vec.Schema {
	var s vec.Schema
	for _, f := range strings.Fields(spec) {
		n, tn, _ := strings.Cut(f, ":")
		typ, ok := types.Parse(tn)
		if !ok {
			panic("bad type " + tn)
		}
		s = append(s, vec.Column{Name: n, Type: typ})
	}
	return s
}

func errorsText(d *Diagnostics) []string {
	var out []string
	for _, e := range d.Errors() {
		out = append(out, e.Error())
	}
	return out
}

func eqStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func diffRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if eqStrings(got, want) {
		return
	}
	t.Errorf("%s:\ngot  %d rows:\n  %s\nwant %d rows:\n  %s", what, len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
}

var _ = io.EOF
