package hunttest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"hunt/engine/vec"
	"hunt/query"
	"hunt/rules"
	"hunt/source"
	"hunt/store"
)

// TestFlagshipOverStore imports the flagship events, in each input
// format, into a store and runs Microsoft's rule, verbatim, over the
// store: the alerts (accounts, counts and files) must be those worked
// out by hand, as over the raw files. The store's time pruning, term
// and dictionary filters, and shredded RawEventData keys all take part.
func TestFlagshipOverStore(t *testing.T) {
	if _, err := os.Stat(verbatimRule); err != nil {
		t.Skip("../shared is not beside the repository")
	}
	for _, format := range []string{"defender", "jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			importAll(t, writeFlagshipData(t, format), dir)
			st, err := store.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1024, 5} {
				old := vec.BatchSize
				vec.BatchSize = size
				got := runRuleOnStore(t, verbatimRule, st)
				vec.BatchSize = old
				compareAlerts(t, got, flagshipExpected())
			}
		})
	}
}

// TestFlagshipStoreAppend imports the events in two halves: the second
// import adds parts, and the alerts are unchanged.
func TestFlagshipStoreAppend(t *testing.T) {
	if _, err := os.Stat(verbatimRule); err != nil {
		t.Skip("../shared is not beside the repository")
	}
	dir := filepath.Join(t.TempDir(), "store")
	importAll(t, writeFlagshipData(t, "jsonl"), dir)
	importAll(t, writeFlagshipData(t, "csv"), dir)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Every event is there twice: the counts of distinct files are the
	// same, so are the alerts.
	compareAlerts(t, runRuleOnStore(t, verbatimRule, st), flagshipExpected())
}

func importAll(t *testing.T, data, dir string) {
	t.Helper()
	set, err := source.Discover(source.Options{Paths: []string{data}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := store.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	diag := &source.Diagnostics{}
	if _, err := store.Import(w, set, diag, nil); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	if diag.Skipped() != 0 {
		t.Fatalf("skipped lines: %v", diag.Errors())
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func runRuleOnStore(t *testing.T, rulePath string, st *store.Store) []alert {
	t.Helper()
	r, err := rules.Load(rulePath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Prepare(r.Source, query.Options{Store: st, Now: flagshipNow})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	return alertsOf(t, p.Schema(), b)
}

// alertsOf reads the rule's result rows as alerts, sorted by account.
func alertsOf(t *testing.T, s vec.Schema, b *vec.Batch) []alert {
	t.Helper()
	ai, ni, ci, fi := s.Index("AccountObjectId"), s.Index("AccountDisplayName"), s.Index("uploadedFiles"), s.Index("files")
	if ai < 0 || ni < 0 || ci < 0 || fi < 0 {
		t.Fatalf("unexpected result columns %s", s)
	}
	var out []alert
	for i := 0; i < b.N; i++ {
		a := alert{account: b.Cols[ai].Get(i).(string), name: b.Cols[ni].Get(i).(string), count: b.Cols[ci].Get(i).(int64)}
		for _, f := range b.Cols[fi].Get(i).([]any) {
			a.files = append(a.files, f.(string))
		}
		sort.Strings(a.files)
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].account < out[j].account })
	return out
}
