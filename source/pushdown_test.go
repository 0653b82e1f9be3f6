package source

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// testSet makes a data set of one table T with a fixed schema.
func testSet(schema vec.Schema, files ...*File) *Set {
	t := &Table{Name: "T", Files: files}
	t.schemaOnce.Do(func() { t.schema = schema })
	return &Set{tables: map[string]*Table{"T": t}, names: []string{"T"}}
}

var pdSchema = schemaOf("S:string I:int L:long D:datetime TS:timespan B:bool G:guid Timestamp:datetime TimeGenerated:datetime ISP:string Isp:string V:dynamic")

// Value pools: each column gets values that pass and fail the filters
// below, in every spelling the decoder accepts, and some it does not.
var pdPools = map[string][]string{
	"S": {`"FileUploadedToCloud"`, `"fileuploadedtocloud"`, `"FILEUPLOADEDTOCLOUD"`, `"FileDownloaded"`, `""`, `"Kelvin"`,
		`"\u212Aelvin"`, "\"\u212Aelvin\"", `"File\u0055ploadedToCloud"`, `"a\"b"`, `11161`, `true`, `{"x":[1, 2]}`, `[ ]`, `null`,
		`"ſtrasse"`, `"\"S\":\"FileUploadedToCloud\""`},
	"I":             {`11161`, `"11161"`, `11161.0`, `1.1161e4`, `" 11161 "`, `20893`, `-5`, `2147483648`, `"abc"`, `true`, `null`, `{"a":1}`, `0`},
	"L":             {`11161`, `"11161"`, `-1`, `9223372036854775807`, `"x"`, `null`, `12.5`},
	"D":             {`"2026-11-24T12:00:00Z"`, `"2026-11-24T14:00:00+02:00"`, `"2026-11-24T11:59:59.9999999Z"`, `"2026-11-25T00:00:00"`, `"not a date"`, `1700000000`, `"2026-11-24 12:00:00.0000001"`, `null`},
	"TS":            {`"01:00:00"`, `"1.00:00:00"`, `"30m"`, `"00:30:00"`, `"x"`, `null`},
	"B":             {`true`, `false`, `"TRUE"`, `"false"`, `1`, `0`, `2`, `"yes"`, `null`},
	"G":             {`"5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10"`, `"5F0C2A4E-8B1D-4E63-9A57-2D8C1F3E7A10"`, `"00000000-0000-0000-0000-000000000001"`, `"bad"`, `null`},
	"Timestamp":     {`"2026-11-24T12:00:00Z"`, `"2026-11-25T01:00:00Z"`, `"2026-11-20T00:00:00Z"`, `"bad"`, `null`},
	"TimeGenerated": {`"2026-11-24T12:00:00Z"`, `"2026-11-25T01:00:00Z"`, `"2026-11-20T00:00:00Z"`, `null`},
	"ISP":           {`"Contoso"`, `"contoso"`, `"Other"`, `null`},
	"Isp":           {`"CONTOSO"`, `"Other"`},
	"V":             {`{"a":1,"b":"x","c":{"d":[1,2]}}`, `{"b":"y","a":null}`, `{"a":2,"a":3}`, `"{\"a\":4}"`, `[1,2]`, `"text"`, `{}`, `null`, `{"\u0061":5,"b":[]}`},
}

var pdPreds = []string{
	`S == "FileUploadedToCloud"`, `S =~ "fileuploadedtocloud"`, `S != "FileDownloaded"`, `S in ("FileDownloaded", "Kelvin")`,
	`S in~ ("KELVIN", "filedownloaded")`, `S =~ "kelvin"`, `S == ""`, `S =~ ""`, `S == "11161"`, `S == "true"`,
	`S == '{"x":[1,2]}'`, `S =~ "STRASSE"`, `S in ("a\"b", "[]")`,
	`I == 11161`, `I != 11161`, `I > 0`, `I in (11161, -5)`, `I <= 0`, `L >= 11161`, `L < 0`, `L == 9223372036854775807`,
	`D > datetime(2026-11-24T12:00:00Z)`, `D <= datetime(2026-11-24T12:00:00Z)`, `D == datetime(2026-11-24T12:00:00Z)`,
	`Timestamp > datetime(2026-11-24T12:00:00Z)`, `TimeGenerated == datetime(2026-11-24T12:00:00Z)`, `Timestamp > ago(1d)`,
	`TS > 30m`, `TS == 1h`, `TS in (30m, 1d)`,
	`B == true`, `B != false`, `B == false`,
	`G == guid(5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10)`, `G != guid(5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10)`,
	`ISP =~ "contoso"`, `ISP == "Other"`, `Isp == "CONTOSO"`,
	// Filters that only the executor's kernels describe (PathFilters
	// without a path), judged through their memo.
	`S has "kelvin"`, `S has_any ("uploaded", "FileDownloaded", "x")`, `S contains "Cloud"`, `not(S has "FileDownloaded")`,
	`strlen(S) > 3`, `S startswith "File"`, `ISP has "contoso"`, `isempty(S)`,
}

var pdKeys = []string{"S", "I", "L", "D", "TS", "B", "G", "Timestamp", "TimeGenerated", "ISP", "Isp", "V"}

// pdRecord writes a random flat record: keys in random order, some
// missing, some repeated, some escaped, the same keys nested elsewhere,
// and text that spells keys and values inside strings.
func pdRecord(r *rand.Rand) string {
	var parts []string
	for _, k := range r.Perm(len(pdKeys)) {
		key := pdKeys[k]
		if r.IntN(5) == 0 {
			continue
		}
		pool := pdPools[key]
		name := strconv.Quote(key)
		if r.IntN(20) == 0 {
			name = `"\u00` + strconv.FormatInt(int64(key[0]), 16) + key[1:] + `"`
		}
		sep := ":"
		if r.IntN(6) == 0 {
			sep = " : "
		}
		parts = append(parts, name+sep+pool[r.IntN(len(pool))])
		if r.IntN(8) == 0 {
			parts = append(parts, name+":"+pool[r.IntN(len(pool))])
		}
	}
	if r.IntN(4) == 0 {
		k := pdKeys[r.IntN(len(pdKeys))]
		pool := pdPools[k]
		parts = append(parts, `"N":{"`+k+`":`+pool[r.IntN(len(pool))]+`}`)
	}
	if r.IntN(4) == 0 {
		k := pdKeys[r.IntN(len(pdKeys))]
		parts = append(parts, `"Note":"`+k+`"`, `"M":["`+k+`",{"`+k+`":1}]`)
	}
	r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	return "{" + strings.Join(parts, ",") + "}"
}

// pdEnvelope wraps a record as a Defender envelope, sometimes with the
// category after the properties or the properties as a string.
func pdEnvelope(r *rand.Rand, rec string) string {
	props := rec
	if r.IntN(8) == 0 {
		props = strconv.Quote(rec)
	}
	if r.IntN(3) == 0 {
		return `{"time":"2026-11-24T12:00:00Z","properties":` + props + `,"category":"AdvancedHunting-T","S":"FileUploadedToCloud"}`
	}
	return `{"category":"AdvancedHunting-T","properties":` + props + `,"Tenant":"x"}`
}

// TestPushdownRandom: queries give the same rows with and without
// pushdown, over random records built to trip every shortcut the
// pushdown takes; and pushdown does drop records, so the test is not
// passing vacuously.
func TestPushdownRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	var files []*File
	for fi, format := range []Format{JSONLines, DefenderExport} {
		var b strings.Builder
		for i := 0; i < 2000; i++ {
			rec := pdRecord(r)
			if format == DefenderExport {
				rec = pdEnvelope(r, rec)
			}
			if i%997 == 5 {
				// Truncated: must still be reported.
				rec = strings.TrimRight(rec[:len(rec)/2], "} ")
			}
			b.WriteString(rec)
			b.WriteString("\n")
		}
		p := writeFile(t, filepath.Join(dir, fmt.Sprintf("f%d.json", fi)), []byte(b.String()))
		files = append(files, &File{Path: p, Format: format, table: "T"})
	}
	set := testSet(pdSchema, files...)
	dropped := int64(0)
	queries := 0
	check := func(q string) {
		t.Helper()
		queries++
		want, wdiag := kqlRun(t, set, q, false, 1)
		got, gdiag := kqlRun(t, set, q, true, 1)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s:\nwith pushdown %d rows, without %d rows\nfirst difference: %s", q, len(got), len(want), firstDiff(got, want))
		}
		if gdiag.Skipped() != wdiag.Skipped() {
			t.Fatalf("%s: %d lines reported with pushdown, %d without", q, gdiag.Skipped(), wdiag.Skipped())
		}
		dropped += gdiag.Scan().Pushdown
	}
	for _, p := range pdPreds {
		check("T | where " + p + " | project S, I, D, Timestamp, ISP, x = V.a, y = V.b")
	}
	for range 80 {
		n := 1 + r.IntN(3)
		var ps []string
		for range n {
			ps = append(ps, pdPreds[r.IntN(len(pdPreds))])
		}
		q := "T | where " + strings.Join(ps, " and ")
		if r.IntN(2) == 0 {
			q = "T | where " + strings.Join(ps, " | where ")
		}
		check(q + " | project S, I, L, D, TS, B, G, Timestamp, TimeGenerated, ISP, Isp, V")
	}
	if dropped < int64(queries)*100 {
		t.Errorf("pushdown dropped only %d records over %d queries", dropped, queries)
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d:\n  with    %s\n  without %s", i, a[i], b[i])
		}
	}
	if len(a) > len(b) {
		return "extra row " + a[len(b)]
	}
	if len(b) > len(a) {
		return "missing row " + b[len(a)]
	}
	return ""
}

// TestPushdownCases pins the cases where a record must be kept although
// a naive test of the raw bytes would drop it, and checks that the
// others are dropped.
func TestPushdownCases(t *testing.T) {
	s := schemaOf("ActionType:string ApplicationId:int Timestamp:datetime TimeGenerated:datetime")
	filters := []Filter{{Column: "ActionType", Op: "=~", Value: "FileUploadedToCloud"}}
	cases := []struct {
		rec  string
		keep bool
	}{
		{`{"ActionType":"FileUploadedToCloud"}`, true},
		{`{"ActionType":"fileUPLOADEDtocloud"}`, true},
		{`{"ActionType":"FileDownloaded"}`, false},
		{`{"Other":1}`, false}, // missing: "" fails
		{`{"ActionType":null}`, false},
		{`{"ActionType":"FileDownloaded","ActionType":"FileUploadedToCloud"}`, true},  // the last duplicate wins
		{`{"ActionType":"FileUploadedToCloud","ActionType":"FileDownloaded"}`, true},  // kept: the test does not know which wins
		{`{"Action\u0054ype":"FileUploadedToCloud"}`, true},                           // an escaped key
		{`{"Action\u0054ype":"x","Note":"\u00e9"}`, true},                             // kept: a key might be escaped
		{`{"ActionType":"x","Note":"caf\u00e9"}`, false},                              // an escape that cannot spell a key
		{`{"ActionType":"File\u0055ploadedToCloud"}`, true},                           // an escaped value
		{`{"N":{"ActionType":"FileDownloaded"}}`, false},                              // nested and failing; the column is "" anyway
		{`{"N":{"ActionType":"FileUploadedToCloud"}}`, true},                          // kept: the test does not know the depth
		{`{"ActionType":"x","N":{"ActionType":"FileUploadedToCloud"}}`, true},         // kept: the test does not know the depth
		{`{"ActionType":"x","Note":"\"ActionType\":\"FileUploadedToCloud\""}`, false}, // inside a string
		{`{"ActionType" : "FileUploadedToCloud"}`, true},
		{`{"ActionType":"x"`, true},                      // truncated: the decoder reports it
		{`{"ActionType":"x","B":tru}`, false},            // damage elsewhere: dropped unread
		{`{"ActionType":"FileUploadedToCloud\x"}`, true}, // a bad escape in the value: reported
	}
	for _, c := range cases {
		pd := compilePushdown(s, filters)
		if got := !pd.rejects([]byte(c.rec)); got != c.keep {
			t.Errorf("%s: kept %v, want %v", c.rec, got, c.keep)
		}
	}
	// Partners: Timestamp takes TimeGenerated's value when it has none.
	pd := compilePushdown(s, []Filter{{Column: "Timestamp", Op: ">", Value: dtValue(t, "2026-11-24T00:00:00Z")}})
	for _, c := range []struct {
		rec  string
		keep bool
	}{
		{`{"Timestamp":"2026-11-25T00:00:00Z"}`, true},
		{`{"Timestamp":"2026-11-23T00:00:00Z"}`, false},
		{`{"TimeGenerated":"2026-11-25T00:00:00Z"}`, true},
		{`{"Timestamp":"bad","TimeGenerated":"2026-11-25T00:00:00Z"}`, true},
		{`{"Timestamp":"2026-11-24T02:00:00+03:00"}`, false},
		{`{"Timestamp":"2026-11-24T02:00:00-03:00"}`, true},
		{`{}`, false},
	} {
		if got := !pd.rejects([]byte(c.rec)); got != c.keep {
			t.Errorf("%s: kept %v, want %v", c.rec, got, c.keep)
		}
	}
	// Ints compare as numbers whatever their spelling.
	pd = compilePushdown(s, []Filter{{Column: "ApplicationId", Op: "==", Value: int64(11161)}})
	for _, c := range []struct {
		rec  string
		keep bool
	}{
		{`{"ApplicationId":11161}`, true},
		{`{"ApplicationId":"11161"}`, true},
		{`{"ApplicationId":11161.0}`, true},
		{`{"ApplicationId":1.1161e4}`, true},
		{`{"ApplicationId":"011161"}`, true},
		{`{"ApplicationId":11162}`, false},
		{`{"ApplicationId":"x"}`, false},
		{`{"ApplicationId":1e}`, true}, // malformed: reported by the decoder
	} {
		if got := !pd.rejects([]byte(c.rec)); got != c.keep {
			t.Errorf("%s: kept %v, want %v", c.rec, got, c.keep)
		}
	}
	// Filters that cannot be tested exactly are not compiled.
	for _, f := range []Filter{
		{Column: "ActionType", Op: "=~", Value: "café"},
		{Column: "ActionType", Op: "!=", Value: "x"}, // a missing value passes
		{Column: "ActionType", Op: "==", Value: int64(1)},
		{Column: "ApplicationId", Op: "==", Value: 1.5},
		{Column: "ApplicationId", Op: "contains", Value: "1"},
		{Column: "NoSuchColumn", Op: "==", Value: "x"},
	} {
		if pd := compilePushdown(s, []Filter{f}); pd != nil {
			t.Errorf("%+v compiled", f)
		}
	}
}

func dtValue(t *testing.T, s string) types.DT {
	t.Helper()
	v, ok := types.ParseDatetime(s)
	if !ok {
		t.Fatalf("bad datetime %q", s)
	}
	return types.DT(v)
}

// TestPushdownFromPlan: the filters the planner pushes down for the
// flagship rule's kind of query compile and drop records: a time bound
// from ago(), an int compared with a long literal, a case-insensitive
// string match.
func TestPushdownFromPlan(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 300; i++ {
		ts := "2026-11-20T00:00:00Z" // older than ago(1d)
		if i%3 == 0 {
			ts = "2026-11-25T01:00:00Z"
		}
		fmt.Fprintf(&b, `{"Timestamp":%q,"ApplicationId":%d,"ActionType":%q,"RawEventData":{"FileExtension":"zip","Other":[1,2,3]}}`+"\n",
			ts, 11161+i%2, []string{"FileUploadedToCloud", "FileDownloaded"}[i%5/4])
	}
	p := writeFile(t, filepath.Join(dir, "CloudAppEvents.jsonl"), []byte(b.String()))
	set := testSet(schemaOf("Timestamp:datetime ApplicationId:int ActionType:string RawEventData:dynamic"), &File{Path: p, Format: JSONLines, table: "T"})
	for _, c := range []struct {
		where   string
		dropped int64
	}{
		{`Timestamp > ago(1d)`, 200},
		{`ApplicationId == 11161`, 150},
		{`ActionType =~ "fileuploadedtocloud"`, 60},
	} {
		q := "T | where " + c.where + " | project Timestamp, ext = RawEventData.FileExtension"
		want, _ := kqlRun(t, set, q, false, 1)
		got, diag := kqlRun(t, set, q, true, 2)
		if !eqStrings(got, want) {
			t.Errorf("%s: %d rows, want %d", c.where, len(got), len(want))
		}
		if d := diag.Scan().Pushdown; d != c.dropped {
			t.Errorf("%s: pushdown dropped %d records, want %d", c.where, d, c.dropped)
		}
	}
}

// TestJSONPathPushdown: filters on keys of a dynamic column are tested on
// whole JSON records, and keep every record whose key they cannot see:
// the column given as a JSON string, the key spelled with escapes.
func TestJSONPathPushdown(t *testing.T) {
	recs := []string{
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"FileExtension":"zip","OriginatingDomain":"github.com"}}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"FileExtension":"rar","OriginatingDomain":"github.com"}}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":"{\"FileExtension\":\"zip\",\"OriginatingDomain\":\"gitlab.com\"}"}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":"{\"FileExtension\":\"rar\"}"}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"File\u0045xtension":"zip","OriginatingDomain":"github.com"}}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"Other":{"FileExtension":"zip"}},"AdditionalFields":{"FileExtension":"ZIP"}}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"OriginatingDomain":"github.com"}}`,
		`{"Timestamp":"2026-11-25T01:00:00Z","RawEventData":{"FileExtension":null}}`,
	}
	var b strings.Builder
	for range 50 {
		for _, r := range recs {
			b.WriteString(r)
			b.WriteString("\n")
		}
	}
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "T.jsonl"), []byte(b.String()))
	set := testSet(schemaOf("Timestamp:datetime RawEventData:dynamic AdditionalFields:dynamic"), &File{Path: p, Format: JSONLines, table: "T"})
	for _, c := range []struct {
		query   string
		dropped int64
	}{
		{`T | where RawEventData.FileExtension =~ "zip" | project e = tostring(RawEventData.FileExtension), o = tostring(RawEventData.OriginatingDomain)`, 150},
		{`T | where RawEventData.OriginatingDomain has_any ("github", "gitlab") | count`, 100},
	} {
		want, _ := kqlRun(t, set, c.query, false, 1)
		got, diag := kqlRun(t, set, c.query, true, 1)
		if !eqStrings(got, want) {
			t.Errorf("%s:\n got  %v\n want %v", c.query, got, want)
		}
		if d := diag.Scan().Pushdown; d < c.dropped {
			t.Errorf("%s: pushdown dropped %d records, want at least %d", c.query, d, c.dropped)
		}
	}
}
