package source

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func envLine(cat, props string) string {
	return `{"time":"2026-11-25T10:00:01Z","tenantId":"t","operationName":"Publish","category":"` + cat + `","properties":` + props + `,"Tenant":"DefaultTenant"}`
}

// describe lists every table's files as "Table: path format compression category".
func describe(set *Set, root string) []string {
	var out []string
	for _, n := range set.Names() {
		t, _ := set.Table(n)
		for _, f := range t.Files {
			rel, err := filepath.Rel(root, f.Path)
			if err != nil {
				rel = f.Path
			}
			out = append(out, strings.TrimSpace(n+": "+filepath.ToSlash(rel)+" "+f.Format.String()+" "+f.Compression.String()+" "+f.Category))
		}
	}
	sort.Strings(out)
	return out
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	w := func(rel string, data []byte) { writeFile(t, filepath.Join(root, rel), data) }
	flat := []byte(`{"Timestamp":"2026-11-25T10:00:00Z","ActionType":"A"}` + "\n")
	w("CloudAppEvents.jsonl", flat)
	w("more/CloudAppEvents.json", []byte(envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"B"}`)+"\r\n"))
	w("cloudappevents.csv.gz", gzipBytes(t, []byte("Timestamp,ActionType\n2026-11-25T10:00:00Z,C\n")))
	w("DeviceProcessEvents.jsonl.zst", zstdBytes(t, flat))
	// Storage-account layout: the folder names the table when the records do not.
	w("insights-logs-advancedhunting-deviceevents/tenantId=0a1b/y=2026/m=11/d=25/h=10/m=00/PT1H.json", flat)
	// ... and the envelope's category wins over the folder.
	w("insights-logs-advancedhunting-cloudappevents/tenantId=0a1b/y=2026/m=11/d=25/h=10/m=00/PT1H.json",
		[]byte(envLine("AdvancedHunting-IdentityLogonEvents", `{"ActionType":"L"}`)+"\r\n"))
	w("data/DeviceNetworkEvents/part-0001.jsonl", flat)
	w("data/devicenetworkevents/2026/part-0002.jsonl", flat)
	w("MyTable_CL.jsonl", flat)
	// Event Hub capture, pretty-printed, two categories.
	w("hub/capture-01.json", []byte("{\n  \"records\": [\n    "+
		envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"H1"}`)+",\n    "+
		envLine("AdvancedHunting-DeviceLogonEvents", `{"ActionType":"H2"}`)+"\n  ]\n}\n"))
	// Not data.
	w("README.md", []byte("# exports\n"))
	w("notes.txt", flat)
	w("rules.yaml", []byte("query: x\n"))
	w(".hidden.jsonl", flat)
	w(".git/objects/CloudAppEvents.jsonl", flat)
	w("_SUCCESS", nil)
	w("LICENSE", []byte("MIT"))
	// Named .gz but not compressed: the magic bytes decide.
	w("mislabeled.json.gz", flat)
	// No extension: kept because it holds JSON.
	w("blob", gzipBytes(t, flat))
	w("scratch", []byte("not data at all\n"))
	w("table.parquet", []byte("PAR1...."))

	set, err := Discover(Options{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"CloudAppEvents: CloudAppEvents.jsonl json-lines none",
		"CloudAppEvents: cloudappevents.csv.gz csv gzip",
		"CloudAppEvents: hub/capture-01.json event-hub none AdvancedHunting-CloudAppEvents",
		"CloudAppEvents: more/CloudAppEvents.json defender-export none AdvancedHunting-CloudAppEvents",
		"DeviceEvents: insights-logs-advancedhunting-deviceevents/tenantId=0a1b/y=2026/m=11/d=25/h=10/m=00/PT1H.json json-lines none",
		"DeviceLogonEvents: hub/capture-01.json event-hub none AdvancedHunting-DeviceLogonEvents",
		"DeviceNetworkEvents: data/DeviceNetworkEvents/part-0001.jsonl json-lines none",
		"DeviceNetworkEvents: data/devicenetworkevents/2026/part-0002.jsonl json-lines none",
		"DeviceProcessEvents: DeviceProcessEvents.jsonl.zst json-lines zstd",
		"IdentityLogonEvents: insights-logs-advancedhunting-cloudappevents/tenantId=0a1b/y=2026/m=11/d=25/h=10/m=00/PT1H.json defender-export none AdvancedHunting-IdentityLogonEvents",
		"MyTable_CL: MyTable_CL.jsonl json-lines none",
		"blob: blob json-lines gzip",
		"mislabeled: mislabeled.json.gz json-lines none",
		"table: table.parquet parquet none",
	}
	diffRows(t, "tables", describe(set, root), want)

	names := set.Names()
	if !sort.StringsAreSorted(names) || len(names) != 10 {
		t.Errorf("Names() = %v", names)
	}
	if tb, ok := set.Table("cloudappevents"); !ok || tb.Name != "CloudAppEvents" {
		t.Errorf("case-insensitive Table lookup failed: %v %v", tb, ok)
	}
	if _, ok := set.Table("NoSuchTable"); ok {
		t.Errorf("found NoSuchTable")
	}
}

func TestDiscoverFolderRoot(t *testing.T) {
	// The folder named on the command line may itself name the table.
	root := t.TempDir()
	p := writeFile(t, filepath.Join(root, "CloudAppEvents", "part-0001.jsonl"), []byte(`{"ActionType":"A"}`+"\n"))
	set, err := Discover(Options{Paths: []string{filepath.Dir(p)}})
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "tables", set.Names(), []string{"CloudAppEvents"})
	// A folder above the --data folder that happens to be called like a
	// table does not count.
	root2 := filepath.Join(t.TempDir(), "Event", "exports")
	writeFile(t, filepath.Join(root2, "part-7.jsonl"), []byte(`{"A":1}`+"\n"))
	set, err = Discover(Options{Paths: []string{root2}})
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "tables", set.Names(), []string{"part-7"})
}

func TestDiscoverExplicit(t *testing.T) {
	root := t.TempDir()
	flat := []byte(`{"ActionType":"A"}` + "\n")
	readme := writeFile(t, filepath.Join(root, "README.md"), []byte("a,b\n1,2\n"))
	x := writeFile(t, filepath.Join(root, "x.jsonl"), flat)
	writeFile(t, filepath.Join(root, "folder", "y.jsonl"), flat)
	writeFile(t, filepath.Join(root, "folder", "z.csv"), []byte("ActionType\nZ\n"))
	mixed := writeFile(t, filepath.Join(root, "mixed.jsonl"), []byte(
		envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"C"}`)+"\n"+
			envLine("AdvancedHunting-DeviceEvents", `{"ActionType":"D"}`)+"\n"))

	set, err := Discover(Options{
		Paths: []string{readme, root},
		Tables: map[string][]string{
			"Custom":         {x, filepath.Join(root, "folder")},
			"cloudappevents": {mixed},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"CloudAppEvents: mixed.jsonl defender-export none AdvancedHunting-CloudAppEvents",
		"Custom: folder/y.jsonl json-lines none",
		"Custom: folder/z.csv csv none",
		"Custom: x.jsonl json-lines none",
		"README: README.md csv none",
	}
	diffRows(t, "tables", describe(set, root), want)

	tb, _ := set.Table("CloudAppEvents")
	r, err := tb.Open(ScanSpec{Columns: []string{"ActionType"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "bound rows", drain(t, r, schemaOf("ActionType:string")), []string{`ActionType="C"`})

	for _, bad := range []Options{
		{Paths: []string{filepath.Join(root, "nope")}},
		{Tables: map[string][]string{"T": {filepath.Join(root, "nope.jsonl")}}},
		{Tables: map[string][]string{"": {x}}},
	} {
		if _, err := Discover(bad); err == nil {
			t.Errorf("Discover(%v) succeeded", bad)
		}
	}
	if _, err := Discover(Options{Paths: []string{filepath.Join(root, "nope")}}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error for missing path: %v", err)
	}
}

// TestMixedCategories reads an Event Hub file holding two tables, plus a
// category that appears only after the sample.
func TestMixedCategories(t *testing.T) {
	defer func(n int) { sniffRecords = n }(sniffRecords)
	sniffRecords = 3
	root := t.TempDir()
	recs := []string{
		envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"c1"}`),
		envLine("AdvancedHunting-DeviceEvents", `{"ActionType":"d1"}`),
		envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"c2"}`),
		envLine("AdvancedHunting-AlertInfo", `{"Title":"late"}`),
		envLine("AdvancedHunting-DeviceEvents", `{"ActionType":"d2"}`),
		envLine("AdvancedHunting-AlertInfo", `{"Title":"late again"}`),
	}
	body := `{"records":[` + strings.Join(recs, ",") + `]}` + "\n" + `{"records":[` + recs[2] + `]}`
	writeFile(t, filepath.Join(root, "hub.json"), []byte(body))
	set, err := Discover(Options{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "names", set.Names(), []string{"CloudAppEvents", "DeviceEvents"})
	diag := &Diagnostics{}
	read := func(table string) []string {
		tb, _ := set.Table(table)
		r, err := tb.Open(ScanSpec{Columns: []string{"ActionType"}}, diag)
		if err != nil {
			t.Fatal(err)
		}
		return drain(t, r, schemaOf("ActionType:string"))
	}
	diffRows(t, "CloudAppEvents", read("CloudAppEvents"), []string{`ActionType="c1"`, `ActionType="c2"`, `ActionType="c2"`})
	diffRows(t, "DeviceEvents", read("DeviceEvents"), []string{`ActionType="d1"`, `ActionType="d2"`})
	errs := errorsText(diag)
	if len(errs) != 1 || !strings.Contains(errs[0], `hub.json:1: record of category "AdvancedHunting-AlertInfo" skipped`) {
		t.Errorf("errors: %v", errs)
	}
	if diag.Skipped() != 2 {
		t.Errorf("Skipped() = %d, want 2 (both AlertInfo records)", diag.Skipped())
	}
}

func TestFormats(t *testing.T) {
	cases := []struct {
		name, data string
		want       Format
	}{
		{"a.jsonl", `{"a":1}` + "\n" + `{"a":2}`, JSONLines},
		{"a.json", envLine("AdvancedHunting-X", `{}`), DefenderExport},
		{"a.json", `{"records":[` + envLine("AdvancedHunting-X", `{}`) + `]}`, EventHub},
		{"a.json", "{\n \"records\": [\n" + envLine("AdvancedHunting-X", `{}`) + "]\n}", EventHub},
		{"a.json", `[{"a":1},{"a":2}]`, JSONDocument},
		{"a.json", "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", JSONDocument},
		{"a.json", "\xef\xbb\xbf" + `{"a":1}`, JSONLines},
		{"a.json", "", JSONLines},
		{"a.csv", "a,b\n1,2\n", CSV},
		// A damaged first line does not make a JSON lines file a document.
		{"a.jsonl", `{"category":"C","properties":{"a":` + "\n" + envLine("C", `{}`) + "\n" + envLine("C", `{}`) + "\n", DefenderExport},
		{"a.json", "{\n  \"records\": [\n" + envLine("C", `{}`) + ",\n" + envLine("C", `{}`) + "\n  ]\n}\n", EventHub},
		{"a.ndjson", `{"a":1}`, JSONLines},
		// One huge line longer than the sniff sample.
		{"a.json", `{"records":[` + strings.Repeat(envLine("AdvancedHunting-X", `{"p":"`+strings.Repeat("x", 1000)+`"}`)+",", 2000) + envLine("AdvancedHunting-X", `{}`) + `]}`, EventHub},
	}
	for _, c := range cases {
		p := writeFile(t, filepath.Join(t.TempDir(), c.name), []byte(c.data))
		sr, err := sniff(p, true)
		if err != nil {
			t.Fatal(err)
		}
		if sr.format != c.want {
			t.Errorf("%s %.60q: format %v, want %v", c.name, c.data, sr.format, c.want)
		}
	}
}

func TestDiscoverNamesAndLinks(t *testing.T) {
	root := t.TempDir()
	flat := []byte(`{"A":1}` + "\n")
	writeFile(t, filepath.Join(root, "CloudAppEvents_2026-11-25.jsonl"), flat)
	writeFile(t, filepath.Join(root, "DeviceProcessEvents-part1.json"), flat)
	writeFile(t, filepath.Join(root, "Eventual.jsonl"), flat) // not "Event"
	other := t.TempDir()
	target := writeFile(t, filepath.Join(other, "IdentityLogonEvents.jsonl"), flat)
	writeFile(t, filepath.Join(other, "sub", "DeviceEvents.jsonl"), flat)
	if err := os.Symlink(target, filepath.Join(root, "linked.jsonl")); err != nil {
		t.Skip(err)
	}
	os.Symlink(filepath.Join(other, "sub"), filepath.Join(root, "linkdir"))
	os.Symlink(root, filepath.Join(root, "loop"))
	set, err := Discover(Options{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "names", set.Names(), []string{"CloudAppEvents", "DeviceProcessEvents", "Eventual", "linked"})
}

// TestNoProgress: a reader that returns nothing forever ends the file.
func TestNoProgress(t *testing.T) {
	diag := &Diagnostics{}
	f := &File{Path: "mem", Format: JSONLines}
	fr := newFileReader(f, fileRange{file: f, end: -1}, stuckReader{}, nopCloser{}, diag)
	done, err := fr.fill(newRowBuilder(schemaOf("A:string")), &localCounts{})
	if !done || err != nil || diag.Skipped() != 1 {
		t.Errorf("done %v err %v errors %v", done, err, errorsText(diag))
	}
}

type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }
