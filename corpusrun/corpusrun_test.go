package corpusrun

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunSortsQueries runs a small corpus and checks each query lands in
// the right class, with the feature named, and that the report carries
// the figures.
func TestRunSortsQueries(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a/0001.kql": "print x = 1",
		"a/0002.kql": "DeviceFileEvents | invoke FileProfile(SHA1) | take 1",
		"a/0003.kql": "NoSuchTable | take 1",
		"a/0004.kql": "externaldata (Hash: string) [@'https://example.com/iocs.txt'] with (format='txt') | count",
		"a/0005.kql": "let f = (x: long) { x + 1 };",
		"b/0001.kql": "print bin_auto(5)",
	}
	ref := "file\tref_syntax_ok\tref_syntax_first_error\tref_semantic_errors\tref_semantic_first_error\tref_result_columns\n"
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		errs := "0"
		if name == "a/0003.kql" {
			errs = "1"
		}
		ref += name + "\ttrue\t\t" + errs + "\t\t\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "REFERENCE.tsv"), []byte(ref), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := Run(Options{Corpus: dir, Data: data, Now: DefaultNow, Timeout: 20 * time.Second, ExternalFile: empty})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status  Status
		feature string
	}{
		"a/0001.kql": {Ran, ""},
		"a/0002.kql": {Unsupported, "offline: FileProfile()"},
		"a/0003.kql": {Failed, ""},
		"a/0004.kql": {Ran, ""},
		"a/0005.kql": {Ran, ""},
		"b/0001.kql": {Unsupported, "bin_auto() without `set query_bin_auto_size`"},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d", len(rs), len(want))
	}
	for _, r := range rs {
		w := want[r.File]
		if r.Status != w.status || r.Feature != w.feature {
			t.Errorf("%s: %s %q (%s), want %s %q", r.File, r.Status, r.Feature, r.Message, w.status, w.feature)
		}
	}
	s := Summarize(rs)
	if s.Total != 6 || s.Ran != 3 || s.RefClean != 5 || s.RefCleanRan != 3 || s.LetsOnly != 1 || s.External != 1 {
		t.Errorf("summary %+v", s)
	}
	var b bytes.Buffer
	WriteMarkdown(&b, rs, 200)
	for _, frag := range []string{"| ran | 3 |", "5, of which **3 ran (60.0%)**", "| offline: FileProfile() | 1 | 1 | `a/0002.kql` |", "unknown table"} {
		if !strings.Contains(b.String(), frag) {
			t.Errorf("report lacks %q:\n%s", frag, b.String())
		}
	}
	// Without a bound file the web is out of reach, and that is named.
	rs, err = Run(Options{Corpus: dir, Data: data, Now: DefaultNow, Filter: "a/0004"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Status != Unsupported || rs[0].Feature != "offline: externaldata of a URL not bound to a file" {
		t.Errorf("unbound externaldata: %+v", rs)
	}
}
