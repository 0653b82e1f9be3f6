package hunttest

import (
	"testing"

	"hunt/corpusrun"
)

// Floors of the analyzer agreement with Microsoft's analyzer over the
// corpus (issue 4, item 2): the result columns of queries both accept, and
// unknown names reported where the reference reports them.
const (
	agreeColumnsFloor = 95.0
	agreeUnknownFloor = 95.0
)

// TestAnalyzerAgreement analyzes every corpus query without data, as
// `hunt check` does, and compares the result columns and the unknown-name
// errors with REFERENCE.tsv. It runs only with -corpus (or HUNT_CORPUS=1);
// -v lists every difference.
func TestAnalyzerAgreement(t *testing.T) {
	if !*corpusRun {
		t.Skip("run with -corpus or HUNT_CORPUS=1")
	}
	g, err := corpusrun.Agree("../../shared/corpus", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range g.Mismatches {
		t.Logf("columns differ: %s\n\treference: %s\n\thunt:      %s", m[0], m[1], m[2])
	}
	for _, f := range g.Missed {
		t.Logf("unknown name accepted: %s", f)
	}
	t.Logf("accepted by both: %d of %d reference-clean queries; same columns and types: %d (%.1f%%)",
		g.HuntClean, g.RefClean, g.Match, g.MatchShare())
	t.Logf("unknown names in the reference: %d; hunt rejects the query: %d (%.1f%%), naming it: %d",
		g.RefUnknown, g.Reported, g.ReportedShare(), g.Named)
	if g.MatchShare() < agreeColumnsFloor {
		t.Errorf("result columns match for %.1f%% of the queries both accept, below %.1f%%", g.MatchShare(), agreeColumnsFloor)
	}
	if g.ReportedShare() < agreeUnknownFloor {
		t.Errorf("hunt rejects %.1f%% of the queries with an unknown name, below %.1f%%", g.ReportedShare(), agreeUnknownFloor)
	}
}
