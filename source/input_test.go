package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hunt/engine/vec"
)

// TestMalformedLines: bad lines are reported with their 1-based line
// numbers, counted, skipped, and reading goes on.
func TestMalformedLines(t *testing.T) {
	s := schemaOf("A:string N:long")
	data := strings.Join([]string{
		`{"A":"ok1","N":1}`,          // 1
		`{"A":"broken"`,              // 2
		``,                           // 3 blank: ignored
		`not json`,                   // 4
		`[1,2]`,                      // 5
		`"just a string"`,            // 6
		`{"A":"ok2","N":2} trailing`, // 7
		`{"A":"ok3" "N":3}`,          // 8
		`{"A":"bad \x escape"}`,      // 9
		`{"N":12x}`,                  // 10
		`{"N":nul}`,                  // 11
		`   `,                        // 12 blank
		`{"A":"ok4","N":4}`,          // 13
		`{"A":"ok5","N":"5"}`,        // 14
		`{"A":"unterminated}`,        // 15
		`{"A":{"x":[1,2}}}`,          // 16: A is requested, its value is broken
		`{"A":"ok6"}`,                // 17
	}, "\r\n")
	rows, diag := readBytes(t, s, JSONLines, []byte(data))
	diffRows(t, "rows", rows, []string{`A="ok1" N=1`, `A="ok4" N=4`, `A="ok5" N=5`, `A="ok6" N=null`})
	want := []string{
		"mem:2: invalid JSON at byte 14: unexpected end of record",
		"mem:4: invalid JSON at byte 1: record is not a JSON object",
		"mem:5: invalid JSON at byte 1: record is a JSON array, not an object",
		"mem:6: invalid JSON at byte 1: record is not a JSON object",
		"mem:7: invalid JSON at byte 19: unexpected text after the record",
		"mem:8: invalid JSON at byte 12: expected ',' or '}'",
		"mem:9: invalid JSON at byte 6: invalid escape in string",
		"mem:10: invalid JSON at byte 6: invalid literal",
		"mem:11: invalid JSON at byte 6: invalid literal",
		"mem:15: invalid JSON at byte 6: unterminated string",
		"mem:16: invalid JSON at byte 15: expected ',' or ']'",
	}
	diffRows(t, "errors", errorsText(diag), want)
	if diag.Skipped() != len(want) {
		t.Errorf("Skipped() = %d, want %d", diag.Skipped(), len(want))
	}
}

func TestLongLines(t *testing.T) {
	defer func(n int) { MaxLineBytes = n }(MaxLineBytes)
	MaxLineBytes = 100
	long := `{"A":"` + strings.Repeat("x", 3<<20) + `"}`
	data := `{"A":"a"}` + "\n" + long + "\n" + `{"A":"b"}` + "\n" + `{"A":"` + strings.Repeat("y", 200) + `"}` + "\n" + `{"A":"c"}`
	rows, diag := readBytes(t, schemaOf("A:string"), JSONLines, []byte(data))
	diffRows(t, "rows", rows, []string{`A="a"`, `A="b"`, `A="c"`})
	diffRows(t, "errors", errorsText(diag), []string{"mem:2: line longer than 100 bytes; skipped", "mem:4: line longer than 100 bytes; skipped"})
	// A long final line without a line end.
	rows, diag = readBytes(t, schemaOf("A:string"), JSONLines, []byte(`{"A":"a"}`+"\n"+long))
	diffRows(t, "rows", rows, []string{`A="a"`})
	diffRows(t, "errors", errorsText(diag), []string{"mem:2: line longer than 100 bytes; skipped"})
}

func TestDiagnosticsLimit(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 250; i++ {
		b.WriteString("bad\n")
	}
	b.WriteString(`{"A":"x"}`)
	rows, diag := readBytes(t, schemaOf("A:string"), JSONLines, []byte(b.String()))
	if len(rows) != 1 || diag.Skipped() != 250 || len(diag.Errors()) != MaxKeptErrors {
		t.Errorf("rows %d skipped %d kept %d", len(rows), diag.Skipped(), len(diag.Errors()))
	}
	if e := diag.Errors()[99]; e.Line != 100 || e.Error() != "mem:100: invalid JSON at byte 1: unexpected character 'b'" {
		t.Errorf("100th error %v", e)
	}
	var nilDiag *Diagnostics
	nilDiag.add("f", 1, "x")
	if nilDiag.Skipped() != 0 || nilDiag.Errors() != nil {
		t.Errorf("nil Diagnostics not empty")
	}
}

// TestEventHubDocuments: records inside pretty-printed and one-line Event
// Hub bodies, with line numbers of bad records.
func TestEventHubDocuments(t *testing.T) {
	s := schemaOf("A:string")
	data := "{\n  \"records\": [\n    {\"category\":\"C\",\"properties\":{\"A\":\"r1\"}},\n    7,\n" +
		"    {\"category\":\"C\",\"properties\":{\"A\":\"r2\"}}\n  ]\n}\n" +
		`{"records":[{"category":"C","properties":{"A":"r3"}},{"category":"C","properties":{"A":"r4"}}]}` + "\n" +
		"[{\"category\":\"C\",\"properties\":{\"A\":\"r5\"}}]\n" +
		"nonsense\n" +
		"{\"category\":\"C\",\"properties\":{\"A\":\"r6\"}}\n" +
		`{"records":[{"category":"C","properties":{"A":"r7"}} {"x":1}]}` + "\n" +
		`{"records":[{"category":"C","properties":{"A":"r8"}}]`
	rows, diag := readBytes(t, s, EventHub, []byte(data))
	diffRows(t, "rows", rows, []string{`A="r1"`, `A="r2"`, `A="r3"`, `A="r4"`, `A="r5"`, `A="r6"`, `A="r7"`})
	diffRows(t, "errors", errorsText(diag), []string{
		"mem:4: record is not a JSON object",
		"mem:10: expected a JSON object or array; skipped to the next line",
		"mem:12: invalid JSON in records array: expected ',' or ']'; rest of this value skipped",
		"mem:13: JSON value is not closed before the end of the file",
	})
	// Flat records in documents.
	rows, _ = readBytes(t, s, JSONDocument, []byte("[\n {\"A\":\"x\"},\n {\"A\":\"y\"}\n]\n{\n \"A\": \"z\"\n}\n"))
	diffRows(t, "flat", rows, []string{`A="x"`, `A="y"`, `A="z"`})
}

func TestDocumentLimit(t *testing.T) {
	defer func(n int) { MaxDocumentBytes = n }(MaxDocumentBytes)
	MaxDocumentBytes = 1000
	big := `{"records":[` + strings.Repeat(`{"category":"C","properties":{"A":"big"}},`, 3<<15) + `{"category":"C","properties":{"A":"last"}}]}`
	data := `{"records":[{"category":"C","properties":{"A":"before"}}]}` + "\n" + big + "\n" + `[{"category":"C","properties":{"A":"after"}}]`
	rows, diag := readBytes(t, schemaOf("A:string"), EventHub, []byte(data))
	diffRows(t, "rows", rows, []string{`A="before"`, `A="after"`})
	diffRows(t, "errors", errorsText(diag), []string{"mem:2: JSON value longer than 1000 bytes; skipped (write the export as JSON lines to read values this large)"})
}

// TestCompressed reads gzip and zstd files, and a truncated gzip file
// whose readable rows are kept.
func TestCompressed(t *testing.T) {
	var b strings.Builder
	var want []string
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, `{"Timestamp":"2026-11-25T10:00:00Z","ActionType":"a%d","RawEventData":{"i":%d,"pad":"%s"}}`+"\r\n", i, i, strings.Repeat("z", i%50))
		want = append(want, fmt.Sprintf(`ActionType="a%d"`, i))
	}
	plain := []byte(b.String())
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gz", "CloudAppEvents.jsonl.gz"), gzipBytes(t, plain))
	writeFile(t, filepath.Join(dir, "zst", "CloudAppEvents.jsonl.zst"), zstdBytes(t, plain))
	gz := gzipBytes(t, plain)
	writeFile(t, filepath.Join(dir, "trunc", "CloudAppEvents.jsonl.gz"), gz[:len(gz)*2/3])
	writeFile(t, filepath.Join(dir, "badzst", "CloudAppEvents.jsonl.zst"), append(zstdBytes(t, plain)[:40], make([]byte, 100)...))
	s := schemaOf("ActionType:string")
	for _, sub := range []string{"gz", "zst"} {
		set, err := Discover(Options{Paths: []string{filepath.Join(dir, sub)}})
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := set.Table("CloudAppEvents")
		diag := &Diagnostics{}
		r, err := tb.Open(ScanSpec{Columns: []string{"ActionType"}}, diag)
		if err != nil {
			t.Fatal(err)
		}
		diffRows(t, sub, drain(t, r, s), want)
		if diag.Skipped() != 0 {
			t.Errorf("%s: %v", sub, errorsText(diag))
		}
	}
	for _, sub := range []string{"trunc", "badzst"} {
		set, err := Discover(Options{Paths: []string{filepath.Join(dir, sub)}})
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := set.Table("CloudAppEvents")
		diag := &Diagnostics{}
		r, err := tb.Open(ScanSpec{Columns: []string{"ActionType"}}, diag)
		if err != nil {
			t.Fatal(err)
		}
		rows := drain(t, r, s)
		if sub == "trunc" && (len(rows) < 1000 || len(rows) >= len(want) || !eqStrings(rows, want[:len(rows)])) {
			t.Errorf("%s: %d rows", sub, len(rows))
		}
		errs := errorsText(diag)
		if len(errs) != 1 || !strings.Contains(errs[0], "compressed data") {
			t.Errorf("%s: errors %v", sub, errs)
		}
		if sub == "trunc" && !strings.Contains(errs[0], fmt.Sprintf(":%d: compressed data ends early", len(rows)+1)) {
			t.Errorf("%s: error %v after %d rows", sub, errs, len(rows))
		}
	}
}

// TestBatchBoundaries: the same rows come out at any batch size, across
// files and with skipped lines in between.
func TestBatchBoundaries(t *testing.T) {
	dir := t.TempDir()
	var all []string
	for f := 0; f < 3; f++ {
		var b strings.Builder
		for i := 0; i < 7+f; i++ {
			if i%4 == 2 {
				b.WriteString("garbage\n")
			}
			fmt.Fprintf(&b, `{"ActionType":"f%d-%d","ApplicationId":%d,"RawEventData":{"k":%d}}`+"\n", f, i, i, i)
			all = append(all, fmt.Sprintf(`ActionType="f%d-%d" ApplicationId=%d RawEventData=dyn:{"k":%d}`, f, i, i, i))
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("CloudAppEvents.%d.jsonl", f)), []byte(b.String()))
	}
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("CloudAppEvents")
	cols := []string{"ActionType", "ApplicationId", "RawEventData"}
	s := schemaOf("ActionType:string ApplicationId:int RawEventData:dynamic")
	defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
	for _, size := range []int{1, 3, 1024} {
		vec.BatchSize = size
		diag := &Diagnostics{}
		r, err := tb.Open(ScanSpec{Columns: cols}, diag)
		if err != nil {
			t.Fatal(err)
		}
		batches := 0
		var rows []string
		for {
			b, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				break
			}
			if err := checkBatch(b, s); err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			batches++
			rows = append(rows, renderRows(b, s)...)
		}
		if b, err := r.Next(); b != nil || err != nil {
			t.Errorf("Next after end: %v %v", b, err)
		}
		r.Close()
		diffRows(t, fmt.Sprintf("size %d", size), rows, all)
		if wantBatches := (len(all) + size - 1) / size; batches != wantBatches {
			t.Errorf("size %d: %d batches, want %d", size, batches, wantBatches)
		}
		if diag.Skipped() != 6 {
			t.Errorf("size %d: skipped %d", size, diag.Skipped())
		}
	}
}

// TestProjection: only requested columns are decoded, so damage in the
// others does not cost the row; columns come out in the requested order.
func TestProjection(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "CloudAppEvents.jsonl"), []byte(strings.Join([]string{
		`{"ActionType":"A","ApplicationId":11161,"RawEventData":{"x":[1,2}},"IPAddress":tru,"City":"\q"}`,
		`{"ActionType":"B","ApplicationId":"x","RawEventData":{"y":1}}`,
	}, "\n")))
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("CloudAppEvents")
	diag := &Diagnostics{}
	r, err := tb.Open(ScanSpec{Columns: []string{"ApplicationId", "ActionType", "ApplicationId"}}, diag)
	if err != nil {
		t.Fatal(err)
	}
	s := schemaOf("ApplicationId:int ActionType:string ApplicationId:int")
	diffRows(t, "rows", drain(t, r, s), []string{
		`ApplicationId=11161 ActionType="A" ApplicationId=11161`,
		`ApplicationId=null ActionType="B" ApplicationId=null`,
	})
	if diag.Skipped() != 0 {
		t.Errorf("errors: %v", errorsText(diag))
	}
	// Requesting the damaged column makes the first line bad.
	r, err = tb.Open(ScanSpec{Columns: []string{"ActionType", "RawEventData"}}, diag)
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "rows", drain(t, r, schemaOf("ActionType:string RawEventData:dynamic")), []string{`ActionType="B" RawEventData=dyn:{"y":1}`})
	if diag.Skipped() != 1 {
		t.Errorf("errors: %v", errorsText(diag))
	}
	if _, err := tb.Open(ScanSpec{Columns: []string{"NoSuchColumn"}}, nil); err == nil {
		t.Errorf("Open with an unknown column succeeded")
	}
	// Zero columns still count rows.
	r, err = tb.Open(ScanSpec{Columns: []string{}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Next()
	if err != nil || b == nil || b.N != 2 || len(b.Cols) != 0 {
		t.Errorf("zero columns: %v %v", b, err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "CloudAppEvents.jsonl"), []byte(`{"ActionType":"A"}`))
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("CloudAppEvents")
	r, err := tb.Open(ScanSpec{Columns: []string{"ActionType"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if _, err := r.Next(); err == nil {
		t.Errorf("Next on a removed file succeeded")
	}
	writeFile(t, filepath.Join(dir, "p", "Custom.parquet"), []byte("PAR1"))
	set, _ = Discover(Options{Paths: []string{filepath.Join(dir, "p")}})
	tb, _ = set.Table("Custom")
	if _, err := tb.Open(ScanSpec{}, nil); err == nil || !strings.Contains(err.Error(), "Parquet") {
		t.Errorf("Open parquet: %v", err)
	}
}
