package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"hunt/engine/vec"
	"hunt/kql/types"
)

type pqInfo struct {
	Host string `parquet:"Host"`
	Port int64  `parquet:"Port"`
}

// pqRow is a CloudAppEvents-like row as an export pipeline would write
// it: RawEventData as JSON text, a nullable int, nested columns.
type pqRow struct {
	Timestamp       time.Time  `parquet:"Timestamp,timestamp(microsecond)"`
	TimeGenerated   *time.Time `parquet:"TimeGenerated,optional,timestamp(millisecond)"`
	ActionType      string     `parquet:"ActionType"`
	ApplicationId   *int32     `parquet:"ApplicationId,optional"`
	AccountObjectId string     `parquet:"AccountObjectId"`
	RawEventData    string     `parquet:"RawEventData"`
	IsAdmin         *bool      `parquet:"IsAdminOperation,optional"`
	Score           float64    `parquet:"Score"`
	ReportId        [16]byte   `parquet:"ReportId,uuid"`
	Tags            []string   `parquet:"Tags,list"`
	Info            pqInfo     `parquet:"Info"`
}

func pqRows(n int) []pqRow {
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var rows []pqRow
	for i := 0; i < n; i++ {
		r := pqRow{
			Timestamp:       base.Add(time.Duration(i) * time.Minute).Add(123456 * time.Microsecond),
			ActionType:      []string{"FileUploadedToCloud", "FileDownloaded", "fileuploadedtocloud"}[i%3],
			AccountObjectId: fmt.Sprintf("acct-%d", i%7),
			RawEventData:    fmt.Sprintf(`{"FileExtension":"zip","TargetDomain":"t%d.example","Big":[%d,{"x":"y"}],"ObjectId":"C:\\f%d.zip"}`, i%4, i, i),
			Score:           float64(i) / 4,
			Tags:            []string{"a", fmt.Sprint(i % 3)},
			Info:            pqInfo{Host: fmt.Sprintf("h%d", i%2), Port: int64(i)},
		}
		r.ReportId[15] = byte(i)
		if i%5 != 0 {
			id := int32(11161 + i%2)
			r.ApplicationId = &id
		}
		if i%4 == 1 {
			tg := r.Timestamp.Add(time.Hour)
			r.TimeGenerated = &tg
		}
		if i%3 == 0 {
			b := i%2 == 0
			r.IsAdmin = &b
		}
		if i%11 == 3 {
			r.RawEventData = "not json"
		}
		rows = append(rows, r)
	}
	return rows
}

func writeParquet[R any](t testing.TB, path string, rows []R, perGroup int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[R](f, parquet.MaxRowsPerRowGroup(perGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// pqWant renders a row as the reader must return it.
func pqWant(r pqRow, cols []string) string {
	var parts []string
	for _, c := range cols {
		var v string
		switch c {
		case "Timestamp":
			v = types.FormatDatetime(types.FromTime(r.Timestamp))
		case "TimeGenerated":
			tg := r.Timestamp // the partner fills a null
			if r.TimeGenerated != nil {
				tg = r.TimeGenerated.Truncate(time.Millisecond)
			}
			v = types.FormatDatetime(types.FromTime(tg))
		case "ActionType":
			v = fmt.Sprintf("%q", r.ActionType)
		case "ApplicationId":
			v = "null"
			if r.ApplicationId != nil {
				v = fmt.Sprint(*r.ApplicationId)
			}
		case "AccountObjectId":
			v = fmt.Sprintf("%q", r.AccountObjectId)
		case "RawEventData":
			if p, err := types.ParseJSON([]byte(r.RawEventData)); err == nil {
				v = fmtValue(p)
			} else {
				v = fmtValue(r.RawEventData)
			}
		case "IsAdminOperation":
			v = "null"
			if r.IsAdmin != nil {
				v = fmt.Sprint(*r.IsAdmin)
			}
		case "Score":
			v = "r:" + types.FormatReal(r.Score)
		case "ReportId":
			v = "guid:" + types.FormatGuid(types.GuidVal(r.ReportId))
		case "Tags":
			v = fmt.Sprintf(`dyn:["%s","%s"]`, r.Tags[0], r.Tags[1])
		case "Info":
			v = fmt.Sprintf(`dyn:{"Host":"%s","Port":%d}`, r.Info.Host, r.Info.Port)
		}
		parts = append(parts, c+"="+v)
	}
	return strings.Join(parts, " ")
}

// TestParquet writes Parquet files with parquet-go and reads them back:
// the schema comes from the file, values convert to their KQL types,
// only requested columns are read, partners fill each other, and
// strings holding JSON become dynamic values.
func TestParquet(t *testing.T) {
	dir := t.TempDir()
	rows := pqRows(250)
	writeParquet(t, filepath.Join(dir, "Hunt.1.parquet"), rows[:200], 64)
	writeParquet(t, filepath.Join(dir, "Hunt.2.parquet"), rows[200:], 1000)
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, ok := set.Table("Hunt")
	if !ok {
		t.Fatalf("tables %v", set.Names())
	}
	s, err := tb.Schema()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.String(), "(Timestamp:datetime, TimeGenerated:datetime, ActionType:string, ApplicationId:int, AccountObjectId:string, RawEventData:string, IsAdminOperation:bool, Score:real, ReportId:guid, Tags:dynamic, Info:dynamic)"; got != want {
		t.Fatalf("schema\n got  %s\n want %s", got, want)
	}
	// RawEventData is a string in the file; read as dynamic (as the
	// catalog types it) it is parsed.
	tb.schema[5].Type = types.Dynamic
	s[5].Type = types.Dynamic
	cols := s.Names()
	defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
	for _, size := range []int{7, 1024} {
		vec.BatchSize = size
		diag := &Diagnostics{}
		r, err := tb.Open(ScanSpec{Columns: cols}, diag)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, row := range rows {
			want = append(want, pqWant(row, cols))
		}
		diffRows(t, fmt.Sprintf("size %d", size), drain(t, r, s), want)
		if st := diag.Scan(); st.Records != 250 || st.Rows != 250 || st.BytesRead == 0 {
			t.Errorf("scan stats %+v", st)
		}
	}
	// Split cuts between row groups (the first file has four).
	for n := 2; n <= 5; n++ {
		r, err := tb.Open(ScanSpec{Columns: cols}, nil)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := r.(*tableReader).Split(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) < 2 {
			t.Errorf("Split(%d): %d parts", n, len(parts))
		}
		var got []string
		for _, p := range parts {
			got = append(got, drain(t, p.(*tableReader), s)...)
		}
		var want []string
		for _, row := range rows {
			want = append(want, pqWant(row, cols))
		}
		diffRows(t, fmt.Sprintf("Split(%d)", n), got, want)
	}
	// Projection: two columns, in another order, one of them twice.
	pick := []string{"ActionType", "Timestamp", "ActionType"}
	r, err := tb.Open(ScanSpec{Columns: pick}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, row := range rows {
		want = append(want, pqWant(row, pick))
	}
	ps := vec.Schema{s[2], s[0], s[2]}
	diffRows(t, "projection", drain(t, r, ps), want)
}

// TestParquetPushdown: queries over Parquet give the same rows with and
// without pushdown, row groups outside a time filter are skipped unread,
// and paths cut RawEventData down.
func TestParquetPushdown(t *testing.T) {
	dir := t.TempDir()
	rows := pqRows(600)
	writeParquet(t, filepath.Join(dir, "Hunt.parquet"), rows, 50)
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("Hunt")
	tb.Schema()
	tb.schema[5].Type = types.Dynamic
	for _, q := range []string{
		`Hunt | where Timestamp > datetime(2026-11-24T08:00:00Z) | project Timestamp, ActionType`,
		`Hunt | where Timestamp between (datetime(2026-11-24T02:00:00Z) .. datetime(2026-11-24T03:00:00Z)) | count`,
		`Hunt | where ApplicationId == 11162 and ActionType =~ "FILEUPLOADEDTOCLOUD" | project ReportId, x = RawEventData.TargetDomain, o = RawEventData.ObjectId`,
		`Hunt | where TimeGenerated < datetime(2026-11-24T01:00:00Z) | project Timestamp, TimeGenerated`,
		`Hunt | summarize count() by ext = tostring(RawEventData.FileExtension), AccountObjectId | order by AccountObjectId asc, ext asc`,
	} {
		want, _ := kqlRun(t, set, q, false, 1)
		got, diag := kqlRun(t, set, q, true, 2)
		if !sameRows(got, want) {
			t.Errorf("%s:\n got  %v\n want %v", q, got, want)
		}
		if strings.Contains(q, "08:00") && diag.Scan().Pushdown < 400 {
			t.Errorf("%s: %d rows skipped by row group statistics", q, diag.Scan().Pushdown)
		}
	}
}

type pqRawRow struct {
	Timestamp    time.Time `parquet:"Timestamp,timestamp(millisecond)"`
	RawEventData string    `parquet:"RawEventData,plain"`
}

// TestParquetPathPushdown: filters on keys of RawEventData, tested on its
// JSON text before it is parsed, drop rows only when the query would:
// the same rows come back with and without pushdown, for every spelling
// of the text a filter could misjudge.
func TestParquetPathPushdown(t *testing.T) {
	old := pqChunkMin
	pqChunkMin = 0 // the chunk reader, as for RawEventData in real files
	defer func() { pqChunkMin = old }()
	texts := []string{
		`{"FileExtension":"zip","OriginatingDomain":"github.com","TargetDomain":"mega.nz"}`,
		`{"FileExtension":"ZIP","OriginatingDomain":"x.GitHub.io","TargetDomain":"github.com"}`,
		`{"FileExtension":"rar","OriginatingDomain":"github.com"}`,
		`{"Other":{"FileExtension":"zip"},"OriginatingDomain":"gitlab.com"}`,
		`{"File\u0045xtension":"zip","OriginatingDomain":"gitlab.com"}`,
		`{"FileExtension":"z\u0069p","OriginatingDomain":"notgithubx.com"}`,
		`{"FileExtension":null,"OriginatingDomain":"github.com"}`,
		`{"FileExtension":5,"OriginatingDomain":"github.com"}`,
		`{"FileExtension":["zip"],"OriginatingDomain":"github.com"}`,
		`{"FileExtension":"zip","FileExtension":"rar","OriginatingDomain":"bitbucket.org"}`,
		`{"FileExtension":"rar","FileExtension":"zip","OriginatingDomain":"bitbucket.org"}`,
		`{"OriginatingDomain":"github.com"}`,
		`{"FileExtension" : "zip" , "OriginatingDomain" : "a github b"}`,
		`{"Note":"\"FileExtension\":\"zip\"","FileExtension":"docx","OriginatingDomain":"github.com"}`,
		`"{\"FileExtension\":\"zip\",\"OriginatingDomain\":\"github.com\"}"`,
		`{"FileExtension":"zip","OriginatingDomain":"github.com"`,
		`[{"FileExtension":"zip"}]`,
		`not json`,
		``,
		` {"FileExtension":"zip","OriginatingDomain":"github.com"}`,
		`{"FileExtension":"zip","Dir":"C:\\temp","OriginatingDomain":"github.com"}`,
		`{"FileExtension":"zip","Dir":"C:\\Temp","OriginatingDomain":"github.com"}`,
	}
	var rows []pqRawRow
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i := range 6000 {
		text := texts[i%len(texts)]
		if i >= 4000 {
			// Many distinct values of one key: its memo fills up and the
			// check switches itself off part-way through.
			text = fmt.Sprintf(`{"FileExtension":"zip","OriginatingDomain":"github.com","ObjectId":"f%d.zip"}`, i)
		}
		rows = append(rows, pqRawRow{Timestamp: base.Add(time.Duration(i) * time.Second), RawEventData: text})
	}
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "CloudAppEvents.parquet"), rows, 1000)
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("CloudAppEvents")
	tb.Schema()
	for c := range tb.schema {
		if tb.schema[c].Name == "RawEventData" {
			tb.schema[c].Type = types.Dynamic
		}
	}
	for _, c := range []struct {
		query   string
		dropped int64 // at least
	}{
		{`CloudAppEvents | where RawEventData.FileExtension =~ "zip" | project Timestamp, RawEventData`, 600},
		{`CloudAppEvents | where RawEventData.FileExtension == "zip" | project Timestamp, e = RawEventData.FileExtension`, 600},
		{`CloudAppEvents | where RawEventData.OriginatingDomain has_any ("github", "gitlab") | project Timestamp`, 300},
		{`CloudAppEvents | project Timestamp, x = RawEventData.FileExtension, o = RawEventData.OriginatingDomain, f = RawEventData.ObjectId | where x in~ ("zip", "docx") | where not(o has "bitbucket") | where f startswith "f1"`, 600},
		{`CloudAppEvents | where isnull(RawEventData.FileExtension) | count`, 0},
		{`CloudAppEvents | where RawEventData.Dir == @"C:\temp" | count`, 3000},
		{`CloudAppEvents | where RawEventData.ObjectId has "f100" | count`, 0},
	} {
		want, _ := kqlRun(t, set, c.query, false, 1)
		got, diag := kqlRun(t, set, c.query, true, 2)
		if !sameRows(got, want) {
			t.Errorf("%s:\n got  %d rows %v\n want %d rows %v", c.query, len(got), head(got), len(want), head(want))
		}
		if d := diag.Scan().Pushdown; d < c.dropped {
			t.Errorf("%s: pushdown dropped %d rows, want at least %d", c.query, d, c.dropped)
		}
	}
}

func head(rows []string) []string { return rows[:min(len(rows), 5)] }
