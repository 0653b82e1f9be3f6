package source

import (
	"strings"
	"testing"

	"hunt/engine/vec"
)

// TestConvertJSON covers the conversion of every JSON kind into every
// column type: one record per case, one column.
func TestConvertJSON(t *testing.T) {
	cases := []struct {
		typ, value, want string
	}{
		// string: text as is, numbers and bools as JSON text, containers compact, null/missing ""
		{"string", `"abc"`, `"abc"`},
		{"string", `"a\"b\\c\u00e9\n"`, `"a\"b\\cé\n"`},
		{"string", `""`, `""`},
		{"string", `null`, `""`},
		{"string", `12.50`, `"12.50"`},
		{"string", `-3`, `"-3"`},
		{"string", `true`, `"true"`},
		{"string", `{ "a" : [1, 2 ], "b":"x y" }`, `"{\"a\":[1,2],\"b\":\"x y\"}"`},
		{"string", `[ ]`, `"[]"`},
		// long
		{"long", `42`, `42`},
		{"long", `-9223372036854775808`, `-9223372036854775808`},
		{"long", `9223372036854775808`, `null`},
		{"long", `3.0`, `3`},
		{"long", `1e3`, `1000`},
		{"long", `3.5`, `null`},
		{"long", `"17"`, `17`},
		{"long", `" 17 "`, `17`},
		{"long", `"17x"`, `null`},
		{"long", `true`, `null`},
		{"long", `null`, `null`},
		{"long", `{"a":1}`, `null`},
		// int: 32-bit range
		{"int", `2147483647`, `2147483647`},
		{"int", `2147483648`, `null`},
		{"int", `"-5"`, `-5`},
		// real
		{"real", `1.5`, `r:1.5`},
		{"real", `2`, `r:2`},
		{"real", `-0.25e2`, `r:-25`},
		{"real", `"3.25"`, `r:3.25`},
		{"real", `"NaN"`, `r:NaN`},
		{"real", `"Infinity"`, `r:Infinity`},
		{"real", `"-Infinity"`, `r:-Infinity`},
		{"real", `NaN`, `r:NaN`},
		{"real", `1e400`, `r:Infinity`},
		{"real", `"0x10"`, `null`},
		{"real", `"abc"`, `null`},
		{"real", `false`, `null`},
		// bool
		{"bool", `true`, `true`},
		{"bool", `false`, `false`},
		{"bool", `"TRUE"`, `true`},
		{"bool", `"False"`, `false`},
		{"bool", `1`, `true`},
		{"bool", `0`, `false`},
		{"bool", `2`, `null`},
		{"bool", `"yes"`, `null`},
		{"bool", `null`, `null`},
		// datetime
		{"datetime", `"2026-07-18T16:57:49.239Z"`, `2026-07-18T16:57:49.2390000Z`},
		{"datetime", `"2025-05-14T09:21:37"`, `2025-05-14T09:21:37.0000000Z`},
		{"datetime", `"2025-05-14 09:21:37.1234567"`, `2025-05-14T09:21:37.1234567Z`},
		{"datetime", `"2025-05-14T11:21:37+02:00"`, `2025-05-14T09:21:37.0000000Z`},
		{"datetime", `"not a date"`, `null`},
		{"datetime", `1700000000`, `null`},
		{"datetime", `""`, `null`},
		// timespan
		{"timespan", `"01:02:03"`, `ts:01:02:03`},
		{"timespan", `"1.02:00:00.5"`, `ts:1.02:00:00.5000000`},
		{"timespan", `"30m"`, `ts:00:30:00`},
		{"timespan", `"x"`, `null`},
		// guid
		{"guid", `"5F0C2A4E-8B1D-4E63-9A57-2D8C1F3E7A10"`, `guid:5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10`},
		{"guid", `"{5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10}"`, `guid:5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10`},
		{"guid", `"5f0c2a4e"`, `null`},
		{"guid", `7`, `null`},
		// dynamic: JSON value as is; stringified containers parsed; other strings stay strings
		{"dynamic", `{"b":1,"a":[true,null,1.5,"x"]}`, `dyn:{"b":1,"a":[true,null,1.5,"x"]}`},
		{"dynamic", `"{\"ObjectId\":\"C:\\\\a.zip\",\"FileSize\":12}"`, `dyn:{"ObjectId":"C:\\a.zip","FileSize":12}`},
		{"dynamic", `" [1,2]"`, `dyn:[1,2]`},
		{"dynamic", `"{not json"`, `"{not json"`},
		{"dynamic", `"plain"`, `"plain"`},
		{"dynamic", `""`, `""`},
		{"dynamic", `42`, `42`},
		{"dynamic", `12345678901234567890`, `r:12345678901234567000`},
		{"dynamic", `4.0`, `r:4`},
		{"dynamic", `true`, `true`},
		{"dynamic", `null`, `null`},
		{"dynamic", `[]`, `dyn:[]`},
	}
	for _, c := range cases {
		s := schemaOf("V:" + c.typ)
		rec := `{"V":` + c.value + `}`
		rows, diag := readBytes(t, s, JSONLines, []byte(rec+"\n"))
		if diag.Skipped() != 0 {
			t.Errorf("%s %s: skipped: %v", c.typ, c.value, errorsText(diag))
			continue
		}
		want := "V=" + c.want
		if len(rows) != 1 || rows[0] != want {
			t.Errorf("%s %s: got %v, want %s", c.typ, c.value, rows, want)
		}
	}
}

// TestMissingValues: absent keys are null, or "" for strings, and a
// missing key inside a dynamic value stays absent rather than null.
func TestMissingValues(t *testing.T) {
	s := schemaOf("S:string L:long D:datetime B:bool R:real G:guid Dy:dynamic")
	rows, _ := readBytes(t, s, JSONLines, []byte(`{}`+"\n"+`{"S":null,"L":null,"Dy":null}`+"\n"))
	want := `S="" L=null D=null B=null R=null G=null Dy=null`
	diffRows(t, "missing", rows, []string{want, want})

	raw := `{"RawEventData":{"OriginatingDomain":"codeload.github.com","FileExtension":"zip"}}`
	rows, _ = readBytes(t, schemaOf("RawEventData:dynamic"), JSONLines, []byte(raw))
	if len(rows) != 1 || strings.Contains(rows[0], "TargetDomain") {
		t.Fatalf("rows %v", rows)
	}
	// The same value read through a whole reader and inspected as a bag.
	dir := t.TempDir()
	writeFile(t, dir+"/CloudAppEvents.jsonl", []byte(raw+"\n"))
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("CloudAppEvents")
	r, err := tb.Open(ScanSpec{Columns: []string{"RawEventData", "ActionType"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Next()
	if err != nil || b == nil {
		t.Fatal(b, err)
	}
	bag := b.Cols[0].Get(0).(interface{ Get(string) (any, bool) })
	if _, ok := bag.Get("TargetDomain"); ok {
		t.Errorf("TargetDomain present in %v", bag)
	}
	if v, ok := bag.Get("OriginatingDomain"); !ok || v != "codeload.github.com" {
		t.Errorf("OriginatingDomain = %v, %v", v, ok)
	}
	if got := b.Cols[1].Get(0); got != "" {
		t.Errorf("missing string column = %#v, want \"\"", got)
	}
	if b.Cols[1].HasNulls() {
		t.Errorf("string column has nulls")
	}
}

// TestPartners checks Timestamp/TimeGenerated and ISP/Isp filling.
func TestPartners(t *testing.T) {
	s := schemaOf("Timestamp:datetime TimeGenerated:datetime ISP:string Isp:string")
	const t1, t2 = `"2026-01-01T00:00:00Z"`, `"2026-02-02T00:00:00Z"`
	cases := []struct{ rec, want string }{
		{`{"Timestamp":` + t1 + `}`, `Timestamp=2026-01-01T00:00:00.0000000Z TimeGenerated=2026-01-01T00:00:00.0000000Z ISP="" Isp=""`},
		{`{"TimeGenerated":` + t2 + `}`, `Timestamp=2026-02-02T00:00:00.0000000Z TimeGenerated=2026-02-02T00:00:00.0000000Z ISP="" Isp=""`},
		// Both present: each keeps its own, in either key order.
		{`{"Timestamp":` + t1 + `,"TimeGenerated":` + t2 + `}`, `Timestamp=2026-01-01T00:00:00.0000000Z TimeGenerated=2026-02-02T00:00:00.0000000Z ISP="" Isp=""`},
		{`{"TimeGenerated":` + t2 + `,"Timestamp":` + t1 + `}`, `Timestamp=2026-01-01T00:00:00.0000000Z TimeGenerated=2026-02-02T00:00:00.0000000Z ISP="" Isp=""`},
		// A null counts as absent.
		{`{"Timestamp":null,"TimeGenerated":` + t2 + `}`, `Timestamp=2026-02-02T00:00:00.0000000Z TimeGenerated=2026-02-02T00:00:00.0000000Z ISP="" Isp=""`},
		{`{"Isp":"Contoso Telecom"}`, `Timestamp=null TimeGenerated=null ISP="Contoso Telecom" Isp="Contoso Telecom"`},
		{`{"ISP":"A","Isp":"B"}`, `Timestamp=null TimeGenerated=null ISP="A" Isp="B"`},
	}
	for _, c := range cases {
		rows, _ := readBytes(t, s, JSONLines, []byte(c.rec))
		diffRows(t, c.rec, rows, []string{c.want})
	}
	// Only one of the pair requested: still filled from the other.
	rows, _ := readBytes(t, schemaOf("TimeGenerated:datetime"), DefenderExport,
		[]byte(`{"category":"AdvancedHunting-CloudAppEvents","properties":{"Timestamp":`+t1+`}}`))
	diffRows(t, "projected", rows, []string{`TimeGenerated=2026-01-01T00:00:00.0000000Z`})
	// And in CSV.
	rows, _ = readBytes(t, schemaOf("Timestamp:datetime ISP:string"), CSV,
		[]byte("TimeGenerated,Isp\n2026-01-01T00:00:00Z,X\n"))
	diffRows(t, "csv", rows, []string{`Timestamp=2026-01-01T00:00:00.0000000Z ISP="X"`})
}

// TestEnvelope: the columns of an envelope are those of "properties",
// whatever the key order, and other categories are skipped.
func TestEnvelope(t *testing.T) {
	s := schemaOf("ActionType:string ApplicationId:int")
	data := strings.Join([]string{
		`{"time":"x","category":"AdvancedHunting-CloudAppEvents","properties":{"ActionType":"A","ApplicationId":11161},"Tenant":"DefaultTenant"}`,
		`{"properties":{"ActionType":"B","ApplicationId":1},"category":"AdvancedHunting-CloudAppEvents"}`,
		`{"category":"AdvancedHunting-DeviceEvents","properties":{"ActionType":"C"}}`,
		`{"properties":{"ActionType":"D"},"category":"AdvancedHunting-DeviceEvents"}`,
		`{"category":"AdvancedHunting-CloudAppEvents","ActionType":"no properties"}`,
		`{"category":"AdvancedHunting-CloudAppEvents","properties":{"ActionType":"E","ActionType":"F"}}`,
		`{"category":"AdvancedHunting-CloudAppEvents","properties":"{\"ActionType\":\"G\",\"ApplicationId\":7}"}`,
		`{"category":"AdvancedHunting-CloudAppEvents","properties":{"ActionType":"H","ApplicationId":[1,}}}`,
		`{"category":"AdvancedHunting-NotSampled","properties":{}}`,
		`{"category":"AdvancedHunting-NotSampled","properties":{}}`,
		`{"properties":{"ActionType":"no category"}}`,
	}, "\n")
	diag := &Diagnostics{}
	f := &File{Path: "mem", Format: DefenderExport, table: "CloudAppEvents", Category: "AdvancedHunting-CloudAppEvents",
		categories: []string{"AdvancedHunting-CloudAppEvents", "AdvancedHunting-DeviceEvents"}, reportUnbound: true}
	fr := newFileReader(f, fileRange{file: f, end: -1}, strings.NewReader(data), nopCloser{}, diag)
	rb := newRowBuilder(s)
	if _, err := fr.fill(rb, &localCounts{}); err != nil {
		t.Fatal(err)
	}
	n := rb.n
	rows := renderRows(&vec.Batch{Cols: rb.flush(), N: n}, s)
	diffRows(t, "envelope", rows, []string{
		`ActionType="A" ApplicationId=11161`,
		`ActionType="B" ApplicationId=1`,
		`ActionType="F" ApplicationId=null`,
		`ActionType="G" ApplicationId=7`,
	})
	diffRows(t, "errors", errorsText(diag), []string{
		`mem:5: envelope has no "properties" object`,
		`mem:8: invalid JSON at byte 96: unexpected character '}'`,
		`mem:9: record of category "AdvancedHunting-NotSampled" skipped: no table is bound to it (the file's first records did not have it); use --table to read it`,
		`mem:11: envelope without "category" skipped: its table is unknown`,
	})
	if diag.Skipped() != 5 {
		t.Errorf("Skipped() = %d, want 5", diag.Skipped())
	}
}

// TestDuplicateKeys: the last duplicate of a key wins, even when it is
// null or does not convert, as with kql/types.ParseJSON.
func TestDuplicateKeys(t *testing.T) {
	s := schemaOf("A:string N:long D:dynamic")
	rows, _ := readBytes(t, s, JSONLines, []byte(
		`{"A":"x","A":"y","N":1,"N":2,"D":1,"D":[2]}`+"\n"+
			`{"A":"x","A":null,"N":1,"N":"abc","D":{},"D":null}`+"\n"))
	diffRows(t, "dups", rows, []string{`A="y" N=2 D=dyn:[2]`, `A="" N=null D=null`})
}
