package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// fuzzSchema has a column of every type, plus a partner pair.
var fuzzSchema = schemaOf("S:string L:long I:int R:real B:bool D:datetime T:timespan G:guid V:dynamic Timestamp:datetime TimeGenerated:datetime")

var jsonSeeds = []string{
	`{"S":"a","L":1,"I":2,"R":1.5,"B":true,"D":"2026-01-01T00:00:00Z","T":"01:00:00","G":"5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10","V":{"a":[1,"x",null]}}`,
	`{"S":{"a" : 1},"V":"{\"k\":1}","L":"17","R":"NaN","B":"TRUE"}` + "\r\n" + `{"Timestamp":"2026-01-01T00:00:00Z"}`,
	`{"A":"broken"` + "\n\nnot json\n[1,2]\n" + `{"A":"ok2","N":2} trailing` + "\n" + `{"S":"bad \x escape"}`,
	envLine("AdvancedHunting-CloudAppEvents", `{"S":"x","V":{"TargetDomain":"a"}}`) + "\n" + envLine("AdvancedHunting-Other", `{"S":"y"}`),
	`{"properties":{"S":"z"},"category":"AdvancedHunting-CloudAppEvents"}`,
	"{\n  \"records\": [\n    " + envLine("AdvancedHunting-CloudAppEvents", `{"S":"r"}`) + ",\n    7\n  ]\n}\n[{\"S\":1}]\n",
	`{"records":[{"category":"C","properties":{"S":"r7"}} {"x":1}]}`,
	`{"V":12345678901234567890,"L":9223372036854775808,"R":1e400,"S":"\ud83d\ude00\ud800"}`,
	`{"S":"a","S":null,"V":[],"V":null}`,
	"\xef\xbb\xbf" + `{"S":"bom"}`,
	`{"V":[[[[[[[[[[]]]]]]]]]]}`,
	`{"S":"\"\\\\"}`,
	`{"\u0053":"escaped key"}`,
	`{"S":"A","I":2,"N":{"S":"x"},"V":{"a":1,"k":[{"a":2}],"a":3}}` + "\n" + `{"S":"b","I":"3","Timestamp":"2026-02-01T00:00:00+01:00"}` + "\n" + `{"\u0053":"a","B":"TRUE","G":"5F0C2A4E-8B1D-4E63-9A57-2D8C1F3E7A10"}`,
	envLine("AdvancedHunting-T", `{"S":"x","L":1.0,"T":"00:30:00"}`) + "\r\n" + envLine("AdvancedHunting-T", `{"S":"y","L":"1"}`) + "\n{broken\n",
}

// FuzzJSONLines feeds arbitrary bytes to the JSON readers in every
// layout: they must not panic, every batch must be well formed, and a
// line that is valid JSON must decode to what kql/types.ParseJSON sees.
// The scan hints must hold too (fuzz_scan_test.go): filters pushed down
// drop only failing rows, paths keep members intact, and split parts or
// the parallel pipeline read what one reader reads.
func FuzzJSONLines(f *testing.F) {
	for _, s := range jsonSeeds {
		for mode := uint8(0); mode < 4; mode++ {
			f.Add([]byte(s), mode)
		}
	}
	f.Add([]byte(benchRecord(1)), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
		vec.BatchSize = 3
		formats := []Format{JSONLines, DefenderExport, EventHub, JSONDocument}
		format := formats[int(mode)%len(formats)]
		rows, _, err := readBytesErr(fuzzSchema, format, data)
		if err != nil {
			t.Fatalf("%v: %v", format, err)
		}
		_ = rows
		// Discovery and schema sampling look at the same bytes.
		analyzeJSON(data, true)
		analyzeJSON(data, false)
		for _, env := range []bool{false, true} {
			s := sampler{stats: newColStats(), envelope: env, filter: categoryFilter{table: "T", want: "C"}}
			for _, line := range bytes.Split(data, []byte("\n")) {
				s.record(line)
			}
			for _, fl := range s.stats.flags {
				resolveType(fl)
			}
		}
		checkTree(t, newTreeBuilder(), data)
		if validJSON(data) == nil {
			if _, err := types.ParseJSON(data); err != nil {
				t.Fatalf("validJSON accepts what ParseJSON rejects: %v", err)
			}
		}
		if format == JSONLines {
			checkAgainstParseJSON(t, data)
			checkPaths(t, data)
		}
		checkPushdown(t, format, data)
		if format == JSONLines || format == DefenderExport {
			checkSplit(t, format, data)
			checkKernelFilters(t, format, data)
		}
	})
}

// checkAgainstParseJSON decodes each valid line into a string and a
// dynamic column and compares with the tree kql/types builds.
func checkAgainstParseJSON(t *testing.T, data []byte) {
	s := schemaOf("S:string V:dynamic")
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = trimCR(line)
		if isBlank(line) || validJSON(line) != nil || bytes.HasPrefix(line, bomUTF8) {
			continue
		}
		tree, err := types.ParseJSON(line)
		if err != nil {
			continue
		}
		bag, ok := tree.(*types.Bag)
		if !ok {
			continue
		}
		rows, diag, err := readBytesErr(s, JSONLines, line)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 {
			t.Fatalf("valid line %q gave %d rows: %v", line, len(rows), errorsText(diag))
		}
		wantS := `""`
		if v, ok := bag.Get("S"); ok {
			if str, ok := v.(string); ok {
				wantS = fmtValue(str)
			} else {
				continue // numbers and containers keep their own text
			}
		}
		var wantV any
		if v, ok := bag.Get("V"); ok {
			wantV = v
			if str, ok := v.(string); ok && startsLikeJSONContainer([]byte(str)) {
				if p, err := types.ParseJSON([]byte(str)); err == nil {
					wantV = p
				}
			}
		}
		want := "S=" + wantS + " V=" + fmtValue(wantV)
		if rows[0] != want {
			t.Fatalf("line %q:\n got  %s\n want %s", line, rows[0], want)
		}
		// The same object as an envelope's properties, with the category
		// before or after it, kept by a filter or by none.
		for _, env := range []string{
			`{"category":"AdvancedHunting-T","properties":` + string(line) + `}`,
			`{"time":1,"properties":` + string(line) + `,"category":"AdvancedHunting-T"}`,
		} {
			for _, want := range []string{"", "AdvancedHunting-T"} {
				f := &File{Path: "mem", Format: DefenderExport, table: "T", Category: want}
				erows, ediag, err := readFileBytes(s, f, []byte(env))
				if err != nil {
					t.Fatal(err)
				}
				if len(erows) != 1 || erows[0] != rows[0] {
					t.Fatalf("envelope %q (filter %q): %v %v, flat %v", env, want, erows, errorsText(ediag), rows)
				}
			}
		}
	}
}

var csvSeeds = []string{
	"A,B,C\nx,1,[1]\n",
	"\xef\xbb\xbfA,B,C\r\nx,1,\r\ny,2,{}\r\n",
	"A,B\n\"a,b \"\"q\"\"\",7\n\"line1\nline2\r\nline3\",1\n",
	"A,C\nr,\"{\"\"TargetDomain\"\":\"\"x.com\"\",\"\"n\"\":[1,2]}\"\n",
	"A,B\n12\" monitor,3\n\"x\"y,1\n\"never closed,2\n",
	"S,L,I,R,B,D,T,G,V,TimeGenerated\nx,1,2,1.5,true,2026-01-01T00:00:00Z,01:00:00,5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10,\"{\"\"a\"\":1}\",2026-01-01\n",
	"A,B\nx,1\nonly\ny,2,extra\n\n\nz,3",
	"A\n\"\"\n\"\"\"\"\n",
}

// FuzzCSV feeds arbitrary bytes to the CSV reader: no panic, well-formed
// batches, and where encoding/csv parses the input strictly, the same
// records.
func FuzzCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
		vec.BatchSize = 3
		if _, _, err := readBytesErr(fuzzSchema, CSV, data); err != nil {
			t.Fatal(err)
		}
		src := newCSVSource(bytes.NewReader(data), func(int, string) {})
		defer src.release()
		sampleCSV(src, newColStats(), 1000)
		checkAgainstEncodingCSV(t, data)
	})
}

func checkAgainstEncodingCSV(t *testing.T, data []byte) {
	if bytes.IndexByte(data, '\r') >= 0 || bytes.HasPrefix(data, bomUTF8) {
		return
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var want [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return
		}
		want = append(want, rec)
	}
	var problems []string
	src := newCSVSource(bytes.NewReader(data), func(line int, reason string) { problems = append(problems, reason) })
	defer src.release()
	var got [][]string
	for {
		cells, _, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cells))
		for i, c := range cells {
			rec[i] = string(c)
		}
		got = append(got, rec)
	}
	if len(problems) > 0 {
		t.Fatalf("input encoding/csv accepts was reported: %v", problems)
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, encoding/csv has %d:\n got  %q\n want %q", len(got), len(want), got, want)
	}
	for i := range got {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") || len(got[i]) != len(want[i]) {
			t.Fatalf("record %d: got %q, encoding/csv %q", i, got[i], want[i])
		}
	}
}

// kernelQueries have filters only kernels describe (has_any, contains,
// has), on a string column and on members of a dynamic one: pushed down
// as pdMatch checks tested on the JSON text before it is decoded.
var kernelQueries = []string{
	`T | where S has_any ("a", "x") | project S, V`,
	`T | where S contains "b" | project S, L`,
	`T | where V.a has_any ("1", "x") | project S, V`,
	`T | where V.TargetDomain contains "a" | project S`,
	`T | where V.k has "a" and S !contains "z" | project S, V`,
	`T | where tostring(V.a) contains "1" | summarize count() by S`,
}

// checkKernelFilters: queries with kernel-only filters read the same rows
// with their filters pushed down to the reader as without, on one and
// two workers.
func checkKernelFilters(t *testing.T, format Format, data []byte) {
	p := writeFile(t, filepath.Join(t.TempDir(), "f.json"), data)
	set := testSet(fuzzSchema, &File{Path: p, Format: format, table: "T"})
	for _, q := range kernelQueries {
		want, _, err := kqlExec(t, set, q, false, 1)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, workers := range []int{1, 2} {
			got, _, err := kqlExec(t, set, q, true, workers)
			if err != nil {
				t.Fatalf("%s pushed down: %v", q, err)
			}
			if !sameRows(got, want) {
				t.Fatalf("%s, %d workers: pushed down\n got  %q\n want %q", q, workers, got, want)
			}
		}
	}
}
