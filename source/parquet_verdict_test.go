package source

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"hunt/engine/vec"
	"hunt/kql/types"
)

type pqVerdictRow struct {
	Timestamp     time.Time `parquet:"Timestamp,timestamp(microsecond)"`
	ActionType    *string   `parquet:"ActionType,optional,dict"`
	ApplicationId *int32    `parquet:"ApplicationId,optional,dict"`
	Count         int64     `parquet:"Count"`
	Name          string    `parquet:"Name"`
	Big           int64     `parquet:"Big,dict"`
}

func writeVerdictParquet(t *testing.T) string {
	t.Helper()
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	acts := []string{"FileUploadedToCloud", "FileDownloaded", "fileuploadedTOCLOUD", "FileUploadedToCloudX", "Ünïcode"}
	var rows []pqVerdictRow
	for i := range 4000 {
		r := pqVerdictRow{
			Timestamp: base.Add(time.Duration(i) * 37 * time.Second),
			Count:     int64(i % 13),
			Name:      fmt.Sprint("n", i%6),
			Big:       int64(i%3) << 40,
		}
		if i%7 != 3 {
			r.ActionType = &acts[i%len(acts)]
		}
		if i%5 != 2 {
			id := int32(11160 + i%3)
			r.ApplicationId = &id
		}
		rows = append(rows, r)
	}
	path := filepath.Join(t.TempDir(), "Verdict.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[pqVerdictRow](f, parquet.MaxRowsPerRowGroup(1500), parquet.PageBufferSize(700))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestParquetVerdict reads every filter column of a file with
// dictionaries, nulls and several pages per row group, and checks for
// each row that the verdict taken from the stored value agrees with
// converting the value parquet-go reads and testing it as rowFails does:
// a null is never judged, a non-null value fails exactly when the
// converted one does.
func TestParquetVerdict(t *testing.T) {
	path := writeVerdictParquet(t)
	file, pf, err := openParquetFile(path, ioCtx{})
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var schema vec.Schema
	for _, c := range pf.Root().Columns() {
		schema = append(schema, vec.Column{Name: c.Name(), Type: parquetType(c)})
	}
	if schema[2].Type != types.Int {
		t.Fatalf("ApplicationId is %v", schema[2].Type)
	}
	filters := []Filter{
		{Column: "Timestamp", Op: ">", Value: types.DT(types.FromTime(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)))},
		{Column: "ActionType", Op: "=~", Value: "FileUploadedToCloud"},
		{Column: "ApplicationId", Op: "==", Value: int64(11161)},
		{Column: "Count", Op: "in", Values: []any{int64(2), int64(5), nil}},
		{Column: "Name", Op: "!=", Value: "n4"},
		{Column: "Big", Op: ">=", Value: int64(1) << 40},
	}
	rb := newRowBuilder(schema)
	rb.pd = compilePushdown(schema, filters)
	if rb.pd == nil || len(rb.pd.checks) != len(filters)-1 { // != keeps nulls: not pushed
		t.Fatalf("compiled %v", rb.pd)
	}
	judged := map[string]int{}
	dicts := map[string]bool{}
	for _, col := range pf.Root().Columns() {
		for gi, g := range pf.RowGroups() {
			c := &pqColumn{name: col.Name(), leaf: col.Index(), kind: pqKindOf(col), t: rb.keys[col.Name()],
				maxDef: byte(col.MaxDefinitionLevel()), buf: make([]parquet.Value, 16),
				pages: g.ColumnChunks()[col.Index()].Pages()}
			c.verdict = newPqVerdict(c, rb)
			if c.verdict == nil {
				c.pages.Close()
				continue
			}
			for i := range g.NumRows() {
				fails, err := c.fails()
				if err != nil {
					t.Fatal(err)
				}
				v, err := c.next()
				if err != nil {
					t.Fatal(err)
				}
				want := false
				if !v.IsNull() {
					rb.putParquet(c.t.own, prioOwn, c.kind, v)
					for _, k := range c.verdict.checks {
						want = want || k.decodedFails(&rb.cols[k.col], rb.n)
					}
					rb.rollback()
				}
				if fails != want {
					t.Fatalf("%s group %d row %d (%v): verdict %v, converted value fails %v", col.Name(), gi, i, v, fails, want)
				}
				if fails {
					judged[col.Name()]++
				}
			}
			if c.verdict.dict != nil {
				dicts[col.Name()] = true
			}
			if c.page != nil {
				parquet.Release(c.page)
			}
			c.pages.Close()
		}
	}
	for _, name := range []string{"Timestamp", "ActionType", "ApplicationId", "Count", "Big"} {
		if judged[name] == 0 {
			t.Errorf("%s: no row judged failing", name)
		}
	}
	for _, name := range []string{"ActionType", "ApplicationId", "Big"} {
		if !dicts[name] {
			t.Errorf("%s: no dictionary page judged", name)
		}
	}
}

// TestParquetVerdictQuery: queries whose filters are judged from stored
// values give the rows they give without pushdown.
func TestParquetVerdictQuery(t *testing.T) {
	path := writeVerdictParquet(t)
	set, err := Discover(Options{Paths: []string{filepath.Dir(path)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`Verdict | where Timestamp > datetime(2026-11-24T10:00:00Z) | where ApplicationId == 11161 | where ActionType =~ "FileUploadedToCloud" | project Timestamp, Count, Name`,
		`Verdict | where ActionType == "FileDownloaded" and Count in (2, 5) | project ApplicationId, Timestamp`,
		`Verdict | where Big >= 1099511627776 and ApplicationId == 11162 | summarize count() by Name, ActionType`,
	} {
		want, _ := kqlRun(t, set, q, false, 1)
		got, diag := kqlRun(t, set, q, true, 2)
		if len(want) == 0 {
			t.Fatalf("%s: no rows", q)
		}
		if !sameRows(got, want) {
			t.Errorf("%s:\n got  %v\n want %v", q, got, want)
		}
		if diag.Scan().Pushdown == 0 {
			t.Errorf("%s: no row dropped by pushdown", q)
		}
	}
}

// TestParquetDictStrings: string columns read from dictionary pages (the
// dictionary made into strings once per chunk) hold exactly the written
// values, nulls as "", across pages and row groups.
func TestParquetDictStrings(t *testing.T) {
	path := writeVerdictParquet(t)
	set, err := Discover(Options{Paths: []string{filepath.Dir(path)}})
	if err != nil {
		t.Fatal(err)
	}
	acts := []string{"FileUploadedToCloud", "FileDownloaded", "fileuploadedTOCLOUD", "FileUploadedToCloudX", "Ünïcode"}
	var want []string
	for i := range 4000 {
		act := ""
		if i%7 != 3 {
			act = acts[i%len(acts)]
		}
		want = append(want, fmt.Sprintf("ActionType=%q Name=\"n%d\"", act, i%6))
	}
	for _, workers := range []int{1, 2} {
		got, _ := kqlRun(t, set, `Verdict | project ActionType, Name`, false, workers)
		if !eqStrings(got, want) {
			t.Errorf("%d workers: %d rows, first difference: %s", workers, len(got), firstDiff(got, want))
		}
	}
}
