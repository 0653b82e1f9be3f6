package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := mainExit(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestImportThenQuery: hunt import makes a store that --data accepts in
// place of the exports, with the same rows; the flagship rule finds the
// same alerts over both.
func TestImportThenQuery(t *testing.T) {
	st := filepath.Join(t.TempDir(), "store")
	code, out, errs := runCLI("import", "--out", st, "--data", "../../examples/data")
	if code != 0 || !strings.Contains(out, "CloudAppEvents: ") || !strings.Contains(errs, "imported") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{
		{"query", "--format", "json", "CloudAppEvents | summarize n = count(), a = dcount(AccountObjectId) by ActionType | sort by ActionType asc"},
		{"query", "--format", "json", "CloudAppEvents | where RawEventData.FileExtension =~ 'zip' | project ReportId, RawEventData | sort by ReportId asc"},
		{"run", "../../rules/code-repo-exfil.yaml", "--now", "2026-11-25T12:00:00Z", "--format", "json"},
	} {
		c1, raw, e1 := runCLI(append(args, "--data", "../../examples/data")...)
		c2, fromStore, e2 := runCLI(append(args, "--data", st)...)
		if c1 != 0 || c2 != 0 || raw == "" {
			t.Fatalf("%v: exit %d %d\n%s\n%s", args, c1, c2, e1, e2)
		}
		if raw != fromStore {
			t.Errorf("%v: store and exports differ\nstore:\n%s\nexports:\n%s", args, fromStore, raw)
		}
	}
	// A table in both the store and the files is refused, not halved.
	code, _, errs = runCLI("query", "CloudAppEvents | count", "--data", st, "--data", "../../examples/data")
	if code != exitUsage || !strings.Contains(errs, "both in the store") {
		t.Errorf("store plus the same exports: exit %d: %s", code, errs)
	}
	// A store is not an export.
	code, _, errs = runCLI("import", "--out", filepath.Join(t.TempDir(), "s2"), "--data", st)
	if code != exitUsage || !strings.Contains(errs, "is a store") {
		t.Errorf("importing a store: exit %d: %s", code, errs)
	}
	code, _, errs = runCLI("import", "--data", "../../examples/data")
	if code != exitUsage || !strings.Contains(errs, "--out") {
		t.Errorf("no --out: exit %d: %s", code, errs)
	}
}
