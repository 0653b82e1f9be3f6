package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"hunt/catalog"
	"hunt/gen"
	"hunt/kql/types"
)

// dataVersion names the shape of the cached data; bump it when the
// generator's options or the Parquet conversion change so that stale
// caches are regenerated instead of silently reused.
const dataVersion = "huntbench-data-2"

// genNow is the end of the generated time range; hunt runs with
// --now genNow so that the flagship rule's ago(1d) covers every event.
var genNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const genSpan = 24 * time.Hour

// benchTables are the tables every size is generated for.
var benchTables = []string{"CloudAppEvents", "DeviceProcessEvents"}

// allFormats are the input formats of a size, in table order.
var allFormats = []string{"json", "gzip", "parquet"}

// dataset is the cached data of one size, laid out as the Defender XDR
// streaming export to a storage account lays it out: for each format and
// table, a folder of hourly files (PT1H.json, PT1H.json.gz), or one
// Parquet file per table.
type dataset struct {
	Version string `json:"version"`
	Events  int    `json:"events"`
	Root    string `json:"-"`
	// Dirs maps format and table to what hunt is given with --data;
	// Files to the files in it, which DuckDB is given.
	Dirs  map[string]map[string]string   `json:"dirs"`
	Files map[string]map[string][]string `json:"files"`
	// JSONBytes is the size of each table's plain JSON-lines export:
	// the text every format holds, used for MB/s.
	JSONBytes map[string]int64 `json:"json_bytes"`
	// ParquetBy says who wrote the Parquet files: "hunt gen" or "duckdb".
	ParquetBy string `json:"parquet_by"`
	// StoreImportSeconds is how long `hunt import` took per table, for
	// the tables imported into the store so far (see store.go).
	StoreImportSeconds map[string]float64 `json:"store_import_seconds,omitempty"`
}

func (d *dataset) dir(format string) string { return filepath.Join(d.Root, format) }

// diskBytes is the on-disk size of a table's files in a format.
func (d *dataset) diskBytes(format, table string) int64 {
	var n int64
	for _, f := range d.Files[format][table] {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

func (d *dataset) add(format, table, dir string, files []string) {
	if d.Dirs[format] == nil {
		d.Dirs[format] = map[string]string{}
		d.Files[format] = map[string][]string{}
	}
	d.Dirs[format][table] = dir
	d.Files[format][table] = files
}

// prepareData returns the dataset of n events per table under root,
// generating it unless it is cached. hunt's generator writes each table
// as one export file, which is cut into hourly files by the envelope's
// time and gzipped hour by hour; Parquet comes from hunt's generator when
// it can write it, else from DuckDB converting the plain export.
func prepareData(root string, n int, regen bool, self string, logf func(string, ...any)) (*dataset, error) {
	dir := filepath.Join(root, fmt.Sprintf("events-%d", n))
	manifest := filepath.Join(dir, "manifest.json")
	if !regen {
		if d, err := loadManifest(manifest); err == nil && d.Version == dataVersion && d.Events == n && d.complete() {
			d.Root = dir
			return d, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	d := &dataset{Version: dataVersion, Events: n, Root: dir, Dirs: map[string]map[string]string{},
		Files: map[string]map[string][]string{}, JSONBytes: map[string]int64{}}
	start := time.Now()
	logf("generating %d events per table (%s) in %s", n, strings.Join(benchTables, ", "), dir)
	// One goroutine per table: the generator is single-threaded, and the
	// machine the figures are quoted for has two cores.
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for _, t := range benchTables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := generateTable(d, t)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("generating %s: %w", t, err))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := writeParquet(d, self, logf); err != nil {
		return nil, err
	}
	logf("generated in %s", time.Since(start).Round(time.Second))
	return d, d.save()
}

// save writes the dataset's manifest, which makes it a cache later runs
// reuse.
func (d *dataset) save() error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.Root, "manifest.json"), b, 0o644)
}

// generateTable writes one table's plain and gzip hourly files.
func generateTable(d *dataset, table string) error {
	tmp := filepath.Join(d.Root, "tmp-"+table)
	files, err := gen.Generate(gen.Options{Table: table, Events: d.Events, Seed: 1, Now: genNow, Span: genSpan, Format: "defender", Out: tmp})
	if err != nil {
		return err
	}
	sub := "insights-logs-advancedhunting-" + strings.ToLower(table)
	plain, size, err := splitHourly(files[0], filepath.Join(d.dir("json"), sub))
	if err != nil {
		return err
	}
	d.add("json", table, filepath.Join(d.dir("json"), sub), plain)
	d.JSONBytes[table] = size
	var gz []string
	for _, f := range plain {
		rel, _ := filepath.Rel(d.dir("json"), f)
		out := filepath.Join(d.dir("gzip"), rel) + ".gz"
		if err := gzipFile(f, out); err != nil {
			return err
		}
		gz = append(gz, out)
	}
	d.add("gzip", table, filepath.Join(d.dir("gzip"), sub), gz)
	return os.RemoveAll(tmp)
}

// splitHourly cuts a Defender export file into the hourly files of the
// storage-account layout under dir, by each record's envelope time, and
// returns them sorted with their total size.
func splitHourly(path, dir string) ([]string, int64, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer in.Close()
	type out struct {
		f *os.File
		w *bufio.Writer
	}
	outs := map[string]*out{}
	var total int64
	r := bufio.NewReaderSize(in, 1<<20)
	const prefix = `{"time":"`
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return nil, 0, fmt.Errorf("%s: a record longer than 1 MiB", path)
		}
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				break
			}
			return nil, 0, err
		}
		// {"time":"2026-11-24T12:03:00.863Z",...
		if len(line) < len(prefix)+13 || string(line[:len(prefix)]) != prefix {
			return nil, 0, fmt.Errorf("%s: a record without a leading time: %.80s", path, line)
		}
		ts := line[len(prefix):]
		key := fmt.Sprintf("y=%s/m=%s/d=%s/h=%s/m=00", ts[0:4], ts[5:7], ts[8:10], ts[11:13])
		o := outs[key]
		if o == nil {
			name := filepath.Join(dir, "tenantId=00000000-0000-0000-0000-0000000000aa", key, "PT1H.json")
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return nil, 0, err
			}
			f, err := os.Create(name)
			if err != nil {
				return nil, 0, err
			}
			o = &out{f, bufio.NewWriterSize(f, 256<<10)}
			outs[key] = o
		}
		if _, err := o.w.Write(line); err != nil {
			return nil, 0, err
		}
		total += int64(len(line))
	}
	var files []string
	for _, o := range outs {
		if err := o.w.Flush(); err != nil {
			return nil, 0, err
		}
		if err := o.f.Close(); err != nil {
			return nil, 0, err
		}
		files = append(files, o.f.Name())
	}
	slices.Sort(files)
	return files, total, nil
}

func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}

func loadManifest(path string) (*dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d dataset
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *dataset) complete() bool {
	for _, f := range allFormats {
		for _, t := range benchTables {
			if len(d.Files[f][t]) == 0 {
				return false
			}
			for _, p := range d.Files[f][t] {
				if _, err := os.Stat(p); err != nil {
					return false
				}
			}
		}
	}
	return true
}

// writeParquet writes each table as one Parquet file named after the
// table (so hunt binds it by name). hunt's generator is asked first; the
// fallback is DuckDB's COPY from the plain export, run in a child process
// like every DuckDB run of the bench.
func writeParquet(d *dataset, self string, logf func(string, ...any)) error {
	dir := d.dir("parquet")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range benchTables {
		files, err := gen.Generate(gen.Options{Table: t, Events: d.Events, Seed: 1, Now: genNow, Span: genSpan, Format: "parquet", Out: dir})
		if err == nil {
			d.add("parquet", t, files[0], files)
			d.ParquetBy = "hunt gen"
			continue
		}
		if !strings.Contains(err.Error(), "unknown format") {
			return fmt.Errorf("generating %s (parquet): %w", t, err)
		}
		out := filepath.Join(dir, t+".parquet")
		sql := fmt.Sprintf("COPY (SELECT unnest(properties) FROM %s) TO %s (FORMAT parquet)",
			readJSON(d.Files["json"][t], false, t, nil), sqlString(out))
		res, err := runDuck(self, sql, true)
		if err != nil {
			return fmt.Errorf("writing %s with DuckDB: %w", out, err)
		}
		logf("wrote %s with DuckDB in %s (hunt gen cannot write Parquet)", filepath.Base(out), res.wall.Round(time.Millisecond))
		d.add("parquet", t, out, []string{out})
		d.ParquetBy = "duckdb"
	}
	return nil
}

// duckType is the DuckDB type a column of the catalog is read as.
func duckType(t types.Type) string {
	switch t {
	case types.Bool:
		return "BOOLEAN"
	case types.Int:
		return "INTEGER"
	case types.Long:
		return "BIGINT"
	case types.Real, types.Decimal:
		return "DOUBLE"
	case types.DateTime:
		return "TIMESTAMPTZ"
	case types.Dynamic:
		return "JSON"
	}
	// guid and timespan are text in the export.
	return "VARCHAR"
}

// readJSON is a DuckDB table function call reading a Defender export
// file: one column, properties, a STRUCT of the table's columns named in
// cols (every catalog column when cols is nil). Dynamic columns listed
// in raw are read as STRUCTs of those string fields instead of JSON, the
// fastest way DuckDB offers to reach into them.
func readJSON(paths []string, gz bool, table string, cols []string, raw ...rawField) string {
	schema, _ := catalog.Lookup(table)
	want := map[string]bool{}
	for _, c := range cols {
		want[c] = true
	}
	var fields []string
	seen := map[string]bool{}
	for _, c := range schema {
		if cols != nil && !want[c.Name] {
			continue
		}
		// DuckDB's names are case-insensitive; the catalog has a few
		// columns in two spellings (ISP, Isp), of which the export holds one.
		if seen[strings.ToLower(c.Name)] {
			continue
		}
		seen[strings.ToLower(c.Name)] = true
		typ := duckType(c.Type)
		var sub []string
		for _, r := range raw {
			if r.column == c.Name {
				sub = append(sub, sqlIdent(r.field)+" VARCHAR")
			}
		}
		if len(sub) > 0 {
			typ = "STRUCT(" + strings.Join(sub, ", ") + ")"
		}
		fields = append(fields, sqlIdent(c.Name)+" "+typ)
	}
	comp := "uncompressed"
	if gz {
		comp = "gzip"
	}
	return fmt.Sprintf("read_json(%s, format='newline_delimited', compression='%s', columns={properties: %s})",
		sqlList(paths), comp, sqlString("STRUCT("+strings.Join(fields, ", ")+")"))
}

// rawField is one field of a dynamic column a query reads.
type rawField struct{ column, field string }

func sqlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = sqlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func sqlIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
