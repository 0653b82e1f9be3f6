package source

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// The checks here extend FuzzJSONLines to the ScanSpec hints: pushed-down
// filters never drop a row that passes them, paths give the members the
// whole value gives, and split parts read what the whole file reads.

// fuzzFilters are filters on fuzzSchema's columns, each tried alone.
func fuzzFilters() []Filter {
	day, _ := types.ParseDatetime("2026-01-01T00:00:00Z")
	hour, _ := types.ParseTimespan("01:00:00")
	g, _ := types.ParseGuid("5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10")
	return []Filter{
		{Column: "S", Op: "=~", Value: "a"},
		{Column: "S", Op: "==", Value: "x"},
		{Column: "S", Op: "in~", Values: []any{"A", "r", nil}},
		{Column: "L", Op: "==", Value: int64(1)},
		{Column: "I", Op: "in", Values: []any{int64(2), int64(3)}},
		{Column: "I", Op: "<=", Value: int64(2)},
		{Column: "D", Op: ">", Value: types.DT(day)},
		{Column: "Timestamp", Op: ">=", Value: types.DT(day)},
		{Column: "T", Op: "<", Value: types.TS(hour)},
		{Column: "B", Op: "==", Value: true},
		{Column: "G", Op: "==", Value: types.GuidVal(g)},
	}
}

// decodeSpec decodes data as one file of f's format with spec, and
// returns the rows and, for each, whether it fails check (if not nil).
func decodeSpec(t *testing.T, f *File, data []byte, spec ScanSpec, check *pdCheck) ([]string, []bool) {
	t.Helper()
	cfg, err := newReadConfig("T", fuzzSchema, spec)
	if err != nil {
		t.Fatal(err)
	}
	rb := cfg.newRowBuilder()
	fr := newFileReader(f, fileRange{file: f, end: -1}, bytes.NewReader(data), nopCloser{}, &Diagnostics{})
	defer fr.close()
	var rows []string
	var fails []bool
	for {
		done, err := fr.fill(rb, &localCounts{})
		if err != nil {
			t.Fatal(err)
		}
		if rb.full() || (done && rb.n > 0) {
			n := rb.n
			vecs := rb.flush()
			rows = append(rows, renderRows(&vec.Batch{Cols: vecs, N: n}, fuzzSchema)...)
			for i := 0; i < n && check != nil; i++ {
				v := vecs[check.col]
				fails = append(fails, check.vecFails(v, i, !v.IsNull(i)))
			}
		}
		if done {
			return rows, fails
		}
	}
}

// checkPushdown: with each filter pushed down, the rows read are the rows
// read without it, less some that fail the filter.
func checkPushdown(t *testing.T, format Format, data []byte) {
	for _, flt := range fuzzFilters() {
		pd := compilePushdown(fuzzSchema, []Filter{flt})
		if pd == nil {
			t.Fatalf("%+v does not compile", flt)
		}
		f := &File{Path: "mem", Format: format, table: "T"}
		all, fails := decodeSpec(t, f, data, ScanSpec{}, pd.checks[0])
		got, _ := decodeSpec(t, f, data, ScanSpec{Filters: []Filter{flt}}, nil)
		j := 0
		for i, row := range all {
			if j < len(got) && got[j] == row {
				j++
				continue
			}
			if !fails[i] {
				t.Fatalf("%s %s %v dropped a passing row: %s", flt.Column, flt.Op, flt.Value, row)
			}
		}
		if j != len(got) {
			t.Fatalf("%s %s %v: rows not read without pushdown: %v", flt.Column, flt.Op, flt.Value, got[j:])
		}
	}
}

// checkPaths: each line that decodes whole gives, read with paths, the
// same members for those keys.
func checkPaths(t *testing.T, data []byte) {
	keys := []string{"a", "S", "k", ""}
	for _, line := range bytes.Split(data, []byte("\n")) {
		f := &File{Path: "mem", Format: JSONLines, table: "T"}
		whole, _ := decodeSpec(t, f, line, ScanSpec{}, nil)
		if len(whole) != 1 {
			continue
		}
		cut, _ := decodeSpec(t, f, line, ScanSpec{Paths: map[string][]string{"V": keys}}, nil)
		if len(cut) != 1 {
			t.Fatalf("%q: %d rows with paths", line, len(cut))
		}
		if w, c := members(t, line, nil, keys), members(t, line, keys, keys); w != c {
			t.Fatalf("%q: members\n whole %s\n paths %s", line, w, c)
		}
	}
}

// members renders V's members for keys, read with the given paths.
func members(t *testing.T, line []byte, paths, keys []string) string {
	cfg, _ := newReadConfig("T", fuzzSchema, ScanSpec{Columns: []string{"V"}})
	if paths != nil {
		cfg.spec.Paths = map[string][]string{"V": paths}
	}
	rb := cfg.newRowBuilder()
	f := &File{Path: "mem", Format: JSONLines, table: "T"}
	fr := newFileReader(f, fileRange{file: f, end: -1}, bytes.NewReader(line), nopCloser{}, &Diagnostics{})
	defer fr.close()
	if _, err := fr.fill(rb, &localCounts{}); err != nil || rb.n != 1 {
		return fmt.Sprintf("%d rows, %v", rb.n, err)
	}
	v := rb.flush()[0].Get(0)
	bag, ok := v.(*types.Bag)
	if !ok {
		return fmtValue(v)
	}
	var out []string
	for _, k := range keys {
		m, ok := bag.Get(k)
		out = append(out, fmt.Sprintf("%q:%v:%s", k, ok, fmtValue(m)))
	}
	return strings.Join(out, " ")
}

// checkSplit: split into parts cut anywhere, or decoded by the pipeline,
// the file reads the same rows and problems as on one goroutine.
func checkSplit(t *testing.T, format Format, data []byte) {
	defer func(n int64) { minSplitBytes = n }(minSplitBytes)
	minSplitBytes = 1
	p := writeFile(t, filepath.Join(t.TempDir(), "f.json"), data)
	set := testSet(fuzzSchema, &File{Path: p, Format: format, table: "T"})
	tb, _ := set.Table("T")
	read := func(workers, parts int) ([]string, []string) {
		diag := &Diagnostics{}
		r, err := tb.Open(ScanSpec{}, diag)
		if err != nil {
			t.Fatal(err)
		}
		r.(*tableReader).workers = workers
		var rows []string
		if parts == 0 {
			rows = drain(t, r, fuzzSchema)
		} else {
			srcs, err := r.(*tableReader).Split(parts)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range srcs {
				rows = append(rows, drain(t, s.(*tableReader), fuzzSchema)...)
			}
		}
		return rows, errorsText(diag)
	}
	wantRows, wantErrs := read(1, 0)
	for _, c := range []struct{ workers, parts int }{{2, 0}, {1, 2}, {1, 3}, {2, 4}} {
		rows, errs := read(c.workers, c.parts)
		what := fmt.Sprintf("workers %d parts %d", c.workers, c.parts)
		if !eqStrings(rows, wantRows) {
			t.Fatalf("%s: rows\n got  %q\n want %q", what, rows, wantRows)
		}
		if !eqStrings(errs, wantErrs) {
			t.Fatalf("%s: problems\n got  %q\n want %q", what, errs, wantErrs)
		}
	}
}
