package hunttest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"hunt/corpusrun"
)

var (
	corpusRun   = flag.Bool("corpus", os.Getenv("HUNT_CORPUS") != "", "run every corpus query against generated data (also HUNT_CORPUS=1)")
	corpusWrite = flag.Bool("corpus-write", false, "with -corpus, regenerate ../docs/corpus.md")
)

// corpusRanFloor is the share (percent) of reference-clean corpus queries
// that must run; it only goes up. The target is 95%.
const corpusRanFloor = 92.0

// TestCorpusRun executes every query of the shared corpus against 200
// generated rows per catalog table. It takes about a minute, so it runs
// only with -corpus (or HUNT_CORPUS=1). No query may crash hunt, and the
// share of queries Microsoft's analyzer accepts that run must not fall
// below corpusRanFloor.
func TestCorpusRun(t *testing.T) {
	if !*corpusRun {
		t.Skip("run with -corpus or HUNT_CORPUS=1")
	}
	const dir = "../../shared/corpus"
	if _, err := os.Stat(dir + "/REFERENCE.tsv"); err != nil {
		t.Skip("../shared is not beside the repository")
	}
	data := t.TempDir()
	const rows = 200
	if err := corpusrun.GenerateData(data, rows, corpusrun.DefaultNow); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "externaldata.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := corpusrun.Run(corpusrun.Options{Corpus: dir, Data: data, Now: corpusrun.DefaultNow, MaxMemory: 1 << 30, ExternalFile: empty})
	if err != nil {
		t.Fatal(err)
	}
	s := corpusrun.Summarize(rs)
	t.Logf("%d queries: %d ran, %d unsupported, %d failed, %d timed out, %d crashed; reference-clean %d/%d ran (%.1f%%)",
		s.Total, s.Ran, s.Unsupported, s.Failed, s.Timeout, s.Crashed, s.RefCleanRan, s.RefClean, s.RefCleanShare())
	for _, r := range rs {
		if r.Status == corpusrun.Crashed {
			t.Errorf("%s crashed hunt: %s", r.File, r.Message)
		}
	}
	if s.RefCleanShare() < corpusRanFloor {
		t.Errorf("%.1f%% of the reference-clean queries ran, below the floor of %.1f%%", s.RefCleanShare(), corpusRanFloor)
	}
	if *corpusWrite {
		var b bytes.Buffer
		corpusrun.WriteMarkdown(&b, rs, rows)
		if err := os.WriteFile("../docs/corpus.md", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
