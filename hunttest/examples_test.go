package hunttest

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hunt/gen"
	"hunt/query"
	"hunt/rules"
	"hunt/source"
)

const sampleFile = "insights-logs-advancedhunting-cloudappevents/tenantId=00000000-0000-0000-0000-0000000000aa/y=2026/m=11/d=25/h=12/m=00/PT1H.json.gz"

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

// TestSampleDataIsReproducible regenerates examples/data with the command
// in examples/README.md and compares the events with the committed file.
func TestSampleDataIsReproducible(t *testing.T) {
	dir := t.TempDir()
	_, err := gen.Generate(gen.Options{Table: "CloudAppEvents", Events: 3000, Seed: 7,
		Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), Span: 24 * time.Hour, Format: "defender", Gzip: true, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	got := gunzip(t, filepath.Join(dir, sampleFile))
	want := gunzip(t, filepath.Join("..", "examples", "data", sampleFile))
	if !bytes.Equal(got, want) {
		t.Fatal("examples/data differs from what the generator writes; regenerate it (see examples/README.md)")
	}
}

// TestReadmeCommand runs the README's first command and checks its
// alerts: the accounts with 14 and 11 distinct archives, not the one
// with 10.
func TestReadmeCommand(t *testing.T) {
	r, err := rules.Load("../rules/code-repo-exfil.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, err := source.Discover(source.Options{Paths: []string{"../examples/data"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Prepare(r.Source, query.Options{Data: set, Diag: &source.Diagnostics{}, Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	ci := p.Schema().Index("uploadedFiles")
	var counts []int64
	for i := 0; i < b.N; i++ {
		counts = append(counts, b.Cols[ci].Get(i).(int64))
	}
	if len(counts) != 2 || counts[0]+counts[1] != 25 {
		t.Fatalf("alerts with counts %v, want 14 and 11", counts)
	}
}
