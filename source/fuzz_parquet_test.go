package source

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// pqFuzzRow has a column for each filter the fuzz queries push down: a
// time, a dictionary string, an optional string for has_any, RawEventData
// as JSON text (read by pqChunk when pqChunkMin is 0), plain and optional
// integers, and a repeated column.
type pqFuzzRow struct {
	Timestamp    time.Time `parquet:"Timestamp,timestamp(millisecond)"`
	ActionType   string    `parquet:"ActionType,dict"`
	FileName     *string   `parquet:"FileName,optional"`
	RawEventData string    `parquet:"RawEventData,plain"`
	Count        int32     `parquet:"Count"`
	Big          *int64    `parquet:"Big,optional"`
	Tags         []string  `parquet:"Tags,list"`
}

// pqFuzzRawRow has RawEventData optional: the chunk reader's
// definition levels.
type pqFuzzRawRow struct {
	Timestamp    time.Time `parquet:"Timestamp,timestamp(millisecond)"`
	RawEventData *string   `parquet:"RawEventData,optional,plain"`
}

func pqFuzzRows(n int) []pqFuzzRow {
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	names := []string{"a b.zip", "report.docx", "b", "x.exe"}
	var rows []pqFuzzRow
	for i := range n {
		r := pqFuzzRow{
			Timestamp:    base.Add(time.Duration(i) * time.Minute),
			ActionType:   []string{"FileUploadedToCloud", "FileDownloaded", "x"}[i%3],
			RawEventData: fmt.Sprintf(`{"FileExtension":"%s","TargetDomain":"t%d.example"}`, []string{"zip", "ZIP", "rar"}[i%3], i%4),
			Count:        int32(i % 5),
			Tags:         []string{"a", fmt.Sprint(i % 2)}[:i%3],
		}
		if i%4 != 3 {
			r.FileName = &names[i%len(names)]
		}
		if i%3 != 1 {
			x := int64(i) << 33
			r.Big = &x
		}
		if i%7 == 6 {
			r.RawEventData = "not json"
		}
		rows = append(rows, r)
	}
	return rows
}

// pqBytes writes rows as a Parquet file in memory.
func pqBytes[R any](tb testing.TB, rows []R, opts ...parquet.WriterOption) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[R](&buf, opts...)
	if _, err := w.Write(rows); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// parquetSeeds are small valid files of the shapes the reader handles:
// plain and dictionary strings, optional columns, timestamps, int32 and
// int64, nested and repeated columns, JSON text, several row groups of
// small pages, data pages v1 and v2, snappy and uncompressed.
func parquetSeeds(tb testing.TB) [][]byte {
	snappy := parquet.Compression(&parquet.Snappy)
	plain := parquet.Compression(&parquet.Uncompressed)
	small := parquet.PageBufferSize(256)
	var seeds [][]byte
	seeds = append(seeds,
		pqBytes(tb, pqFuzzRows(12), parquet.MaxRowsPerRowGroup(5), small, snappy),
		pqBytes(tb, pqFuzzRows(12), parquet.MaxRowsPerRowGroup(5), small, plain, parquet.DataPageVersion(1)),
		pqBytes(tb, pqFuzzRows(40), parquet.MaxRowsPerRowGroup(20), parquet.PageBufferSize(128), snappy, parquet.DataPageVersion(1)),
		pqBytes(tb, pqFuzzRows(3), plain),
		pqBytes(tb, pqRows(8), parquet.MaxRowsPerRowGroup(4), small),
	)
	var verdict []pqVerdictRow
	acts := []string{"FileUploadedToCloud", "FileDownloaded", "x"}
	for i := range 30 {
		r := pqVerdictRow{
			Timestamp: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Second),
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
		verdict = append(verdict, r)
	}
	seeds = append(seeds, pqBytes(tb, verdict, parquet.MaxRowsPerRowGroup(12), parquet.PageBufferSize(64), snappy))
	var raw []pqFuzzRawRow
	for i, text := range []string{
		`{"FileExtension":"zip","OriginatingDomain":"github.com"}`,
		`{"File\u0045xtension":"z\u0069p"}`,
		`{"FileExtension":["zip"]}`,
		``,
		`-`,
	} {
		r := pqFuzzRawRow{Timestamp: time.Date(2026, 11, 24, i, 0, 0, 0, time.UTC)}
		if text != "-" {
			r.RawEventData = &text
		}
		raw = append(raw, r)
	}
	seeds = append(seeds,
		pqBytes(tb, raw, parquet.MaxRowsPerRowGroup(2), snappy, parquet.DataPageVersion(1)),
		pqBytes(tb, raw, plain))
	return seeds
}

// parquetFuzzQueries push down every kind of filter the Parquet reader
// takes: row group statistics, verdicts on plain and dictionary pages,
// path filters on JSON text, kernel-only filters, and nested columns.
var parquetFuzzQueries = []string{
	`T | where Timestamp > datetime(2026-11-24T00:05:00Z) | project Timestamp, ActionType`,
	`T | where ActionType =~ "x" | project FileName, Count, Big`,
	`T | where RawEventData.FileExtension =~ "zip" | project Timestamp, RawEventData`,
	`T | where FileName has_any ("a", "b") | project FileName, ActionType`,
	`T | where RawEventData.TargetDomain contains "t1" | count`,
	`T | where Count in (1, 2) and Big > 5 | summarize count() by ActionType`,
	`T | where ApplicationId == 11161 | project Name, Count`,
	`T | summarize count() by tostring(RawEventData.FileExtension), ActionType`,
	`T | take 50`,
}

// FuzzParquet feeds arbitrary bytes to the Parquet reader as a file and
// runs queries over it, with and without pushdown, on one and two
// workers: errors are fine, but not a panic, a hang or a huge allocation.
// Where both worker counts succeed they must agree.
func FuzzParquet(f *testing.F) {
	for _, s := range parquetSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer func(n int64) { pqChunkMin = n }(pqChunkMin)
		pqChunkMin = 0
		defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
		vec.BatchSize = 7
		hang := time.AfterFunc(fuzzHang, func() {
			buf := make([]byte, 1<<20)
			panic(fmt.Sprintf("FuzzParquet: input took over %v:\n%s", fuzzHang, buf[:runtime.Stack(buf, true)]))
		})
		defer hang.Stop()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc

		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "T.parquet"), data)
		set, err := Discover(Options{Paths: []string{dir}})
		if err != nil {
			return
		}
		tb, ok := set.Table("T")
		if !ok {
			return
		}
		schema, err := tb.Schema()
		if err != nil {
			return
		}
		for c := range schema {
			if schema[c].Name == "RawEventData" && schema[c].Type == types.String {
				tb.schema[c].Type = types.Dynamic
			}
		}
		// A few bytes can describe millions of rows of one value, as a
		// real file may: reading them is slow, not wrong.
		if file, pf, err := openParquetFile(filepath.Join(dir, "T.parquet"), ioCtx{}); err == nil {
			file.Close()
			if pf.NumRows() > 1<<16 {
				return
			}
		}
		for _, q := range parquetFuzzQueries {
			for _, pushdown := range []bool{false, true} {
				one, _, err1 := kqlExec(t, set, q, pushdown, 1)
				two, _, err2 := kqlExec(t, set, q, pushdown, 2)
				for _, err := range []error{err1, err2} {
					var pe *pqPanicError
					if errors.As(err, &pe) && pe.inSource() {
						t.Fatalf("%s: %v\n%s", q, err, pe.stack)
					}
				}
				if err1 == nil && err2 == nil && !sameRows(one, two) {
					t.Fatalf("%s (pushdown %v): 1 worker %d rows, 2 workers %d rows", q, pushdown, len(one), len(two))
				}
			}
		}
		runtime.ReadMemStats(&ms)
		if n := ms.TotalAlloc - before; n > 1<<30 {
			t.Fatalf("%d-byte file: %d bytes allocated", len(data), n)
		}
	})
}

// fuzzHang is how long one input may take.
const fuzzHang = 20 * time.Second

// TestParquetSeedsRead: the seeds FuzzParquet starts from are read
// without error by every query that fits them, so the fuzzer mutates
// files that reach the readers' inner paths.
func TestParquetSeedsRead(t *testing.T) {
	defer func(n int64) { pqChunkMin = n }(pqChunkMin)
	pqChunkMin = 0
	for i, data := range parquetSeeds(t) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "T.parquet"), data)
		set, err := Discover(Options{Paths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		tb, ok := set.Table("T")
		if !ok {
			t.Fatalf("seed %d: no table T in %v", i, set.Names())
		}
		schema, err := tb.Schema()
		if err != nil {
			t.Fatal(err)
		}
		for c := range schema {
			if schema[c].Name == "RawEventData" && schema[c].Type == types.String {
				tb.schema[c].Type = types.Dynamic
			}
		}
		ran := 0
		for _, q := range parquetFuzzQueries {
			want, _, err := kqlExec(t, set, q, false, 1)
			if errors.Is(err, errParse) {
				continue
			}
			if err != nil {
				t.Fatalf("seed %d: %s: %v", i, q, err)
			}
			ran++
			for _, workers := range []int{1, 2} {
				got, _, err := kqlExec(t, set, q, true, workers)
				if err != nil {
					t.Fatalf("seed %d: %s: %v", i, q, err)
				}
				if !sameRows(got, want) {
					t.Errorf("seed %d: %s, %d workers:\n got  %v\n want %v", i, q, workers, head(got), head(want))
				}
			}
		}
		if ran < 3 {
			t.Errorf("seed %d: only %d queries fit", i, ran)
		}
	}
}
