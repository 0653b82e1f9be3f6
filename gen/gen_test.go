package gen_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/gen"
	"hunt/kql/syntax"
	"hunt/output"
	"hunt/query"
	"hunt/rules"
	"hunt/source"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var scenarioTables = []string{"CloudAppEvents", "DeviceProcessEvents", "DeviceNetworkEvents"}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestScenarioSampleIsReproducible regenerates examples/scenarios with the
// command in examples/README.md and compares the events with the
// committed files.
func TestScenarioSampleIsReproducible(t *testing.T) {
	dir := t.TempDir()
	for _, table := range scenarioTables {
		files, err := gen.Generate(gen.Options{Table: table, Events: 3000, Seed: 7, Now: now, Span: 24 * time.Hour,
			Format: "defender", Gzip: true, Scenarios: true, Out: dir})
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, files[0])
		want := gunzip(t, filepath.Join("..", "examples", "scenarios", rel))
		if !bytes.Equal(gunzip(t, files[0]), want) {
			t.Errorf("examples/scenarios/%s differs from what the generator writes; regenerate it (see examples/README.md)", rel)
		}
	}
}

// alerts runs a rule over a data folder and returns its rows as text,
// sorted.
func alerts(t *testing.T, rulePath, dir string, cols ...string) []string {
	t.Helper()
	r, err := rules.Load(rulePath)
	if err != nil {
		t.Fatal(err)
	}
	set, err := source.Discover(source.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	diag := &source.Diagnostics{}
	p, err := query.Prepare(r.Source, query.Options{Data: set, Diag: diag, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if diag.Skipped() > 0 {
		t.Fatalf("malformed lines: %v", diag.Errors()[0])
	}
	var out []string
	for i := 0; i < b.N; i++ {
		var cells []string
		for _, c := range cols {
			cells = append(cells, output.Text(b.Cols[p.Schema().Index(c)], i))
		}
		out = append(out, strings.Join(cells, " "))
	}
	sort.Strings(out)
	return out
}

// TestEveryFormatGivesTheSameAlerts writes the scenario mix in each
// format and compression hunt reads and checks that the rules find the
// same accounts in each.
func TestEveryFormatGivesTheSameAlerts(t *testing.T) {
	wantWeb := []string{"Dana Whitfield 15", "Ines Weber 11", "Jenkins CI (svc-jenkins) 15", "Ken Ito 12", "Nadia Petrova 13",
		"Noah Fischer 14", "Omar Haddad 12", "Repository sync (svc-reposync) 20", "Rita Okafor 13", "Victor Brandt 12"}
	wantCLI := []string{"dana.whitfield github.com 4", "nadia.petrova nadia-personal-backups.s3.amazonaws.com 1",
		"omar.haddad contoso-docs.netlify.app 1", "rita.okafor backup-prod.example.com 1", "rita.okafor contoso-code-backups.s3.amazonaws.com 1",
		"svc-jenkins contoso-artifacts.s3.amazonaws.com 5", "svc-reposync contoso-repo-mirror.s3.amazonaws.com 3",
		"victor.brandt 203.0.113.50 1", "victor.brandt git.outside-example.net 2"}
	for _, c := range []struct{ format, compression string }{
		{"defender", "gzip"}, {"eventhub", ""}, {"jsonl", "zstd"}, {"csv", ""},
	} {
		t.Run(c.format+"-"+c.compression, func(t *testing.T) {
			dir := t.TempDir()
			for _, table := range scenarioTables {
				if _, err := gen.Generate(gen.Options{Table: table, Events: 3000, Seed: 7, Now: now,
					Format: c.format, Compression: c.compression, Scenarios: true, Out: dir}); err != nil {
					t.Fatal(err)
				}
			}
			if got := alerts(t, "../rules/code-repo-exfil-web.yaml", dir, "AccountDisplayName", "uploadedFiles"); fmt.Sprint(got) != fmt.Sprint(wantWeb) {
				t.Errorf("web hunt:\n got %q\nwant %q", got, wantWeb)
			}
			if got := alerts(t, "../rules/code-repo-exfil-cli.yaml", dir, "AccountName", "Destination", "Repositories"); fmt.Sprint(got) != fmt.Sprint(wantCLI) {
				t.Errorf("CLI hunt:\n got %q\nwant %q", got, wantCLI)
			}
		})
	}
}

// TestDefaultMixHasOnlyExfiltration: without the scenarios the device
// tables still carry the command-line exfiltration, and nothing benign
// that alerts.
func TestDefaultMixHasOnlyExfiltration(t *testing.T) {
	dir := t.TempDir()
	for _, table := range scenarioTables[1:] {
		if _, err := gen.Generate(gen.Options{Table: table, Events: 2000, Seed: 3, Now: now, Format: "jsonl", Out: dir}); err != nil {
			t.Fatal(err)
		}
	}
	got := alerts(t, "../rules/code-repo-exfil-cli.yaml", dir, "AccountName", "Destination")
	want := []string{"nadia.petrova nadia-personal-backups.s3.amazonaws.com", "victor.brandt 203.0.113.50", "victor.brandt git.outside-example.net"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestGenericTablesAreReadable writes a few catalog tables and reads every
// row back.
func TestGenericTablesAreReadable(t *testing.T) {
	dir := t.TempDir()
	for _, table := range []string{"SigninLogs", "DeviceFileEvents", "EmailEvents"} {
		if _, err := gen.Generate(gen.Options{Table: table, Events: 500, Seed: 1, Now: now, Format: "csv", Compression: "zstd", Out: dir}); err != nil {
			t.Fatal(err)
		}
	}
	set, err := source.Discover(source.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"SigninLogs", "DeviceFileEvents", "EmailEvents"} {
		diag := &source.Diagnostics{}
		p, err := query.Prepare(syntax.NewSource("q", table+" | where TimeGenerated > ago(1d) | count"), query.Options{Data: set, Diag: diag, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.Collect()
		if err != nil {
			t.Fatal(err)
		}
		if n := b.Cols[0].Get(0); n != int64(500) || diag.Skipped() > 0 {
			t.Errorf("%s: %v rows in the last day, %d malformed", table, n, diag.Skipped())
		}
	}
}

func TestDeterministicBySeed(t *testing.T) {
	read := func(seed uint64) []byte {
		dir := t.TempDir()
		files, err := gen.Generate(gen.Options{Table: "DeviceNetworkEvents", Events: 1000, Seed: seed, Now: now, Format: "jsonl", Scenarios: true, Out: dir})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(files[0])
		return data
	}
	if !bytes.Equal(read(5), read(5)) {
		t.Error("the same seed gave different files")
	}
	if bytes.Equal(read(5), read(6)) {
		t.Error("different seeds gave the same file")
	}
}
