package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// cliCases pin what users and scripts see: output, messages with
// positions and carets, and exit codes.
var cliCases = []struct {
	name string
	args []string
}{
	{"no-args", nil},
	{"unknown-command", []string{"rnu"}},
	{"unknown-flag", []string{"query", "--fromat", "json", "print 1"}},
	{"query-json", []string{"query", "--format", "json", `print s = "a\"b", n = 1, r = 1.5, b = true, d = datetime(2026-11-25 10:00:00), t = 1d + 2h, g = guid(5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10), dyn = dynamic({"k":[1,"x",null]}), nul = long(null)`}},
	{"query-csv", []string{"query", `datatable(a:string, b:long)["x,y", 1, "z", 2]`, "--format", "csv"}},
	{"query-table", []string{"query", "--format", "table", `datatable(Name:string, Count:long)["alice", 10, "bob", 2]`}},
	{"flags-after-args", []string{"query", `print x = 1`, "--format", "json"}},
	{"syntax-error", []string{"query", "--format", "json", "print x = (1 + "}},
	{"unknown-column", []string{"query", "--format", "json", "datatable(Name:string)[\"a\"]\n| where Nmae == \"a\""}},
	{"rule-error-position", []string{"run", "testdata/inputs/bad-rule.yaml", "--format", "json", "--now", "2026-11-25T12:00:00Z"}},
	{"rule-syntax-error", []string{"check", "testdata/inputs/syntax-rule.yaml"}},
	{"check-json", []string{"check", "--format", "json", "testdata/inputs/bad.kql", "testdata/inputs/good.kql"}},
	{"check-ok", []string{"check", "testdata/inputs/good.kql"}},
	{"missing-table", []string{"query", "--format", "json", "--data", "testdata/inputs/data", "DeviceEvents | count"}},
	{"bad-input-line", []string{"query", "--format", "json", "--data", "testdata/inputs/data", "CloudAppEvents | project AccountObjectId, ActionType"}},
	{"bad-input-strict", []string{"query", "--format", "json", "--strict", "--data", "testdata/inputs/data", "CloudAppEvents | count"}},
	{"set-unknown-let", []string{"query", "--format", "json", "--set", "nosuch=5", "let x = 1; print x"}},
	{"set-override", []string{"query", "--format", "json", "--set", "x=5", "let x = 1; print y = x * 2"}},
	{"bad-now", []string{"query", "--now", "yesterday", "print 1"}},
	{"test-pass", []string{"test", "testdata/inputs/ruletests/uploads.test.yaml"}},
	{"test-fail", []string{"test", "-v", "testdata/inputs/ruletests"}},
	{"run-explain", []string{"run", "../../rules/code-repo-exfil.yaml", "--data", "../../examples/data", "--now", "2026-11-25T12:00:00Z", "--explain", "--evidence", "3"}},
	{"run-alerts", []string{"run", "../../rules/code-repo-exfil.yaml", "--data", "../../examples/data", "--now", "2026-11-25T12:00:00Z", "--format", "alerts", "--evidence", "1"}},
	{"run-tuned-suppressed", []string{"run", "../../rules/code-repo-exfil-web.yaml", "--data", "../../examples/scenarios", "--now", "2026-11-25T12:00:00Z", "--format", "json",
		"--tuning", "../../examples/tuning/code-repo-exfil.tuning.yaml", "--show-suppressed"}},
	{"run-tuned-text", []string{"run", "../../rules/code-repo-exfil-cli.yaml", "--data", "../../examples/scenarios", "--now", "2026-11-25T12:00:00Z", "--format", "table",
		"--tuning", "../../examples/tuning/code-repo-exfil.tuning.yaml", "--show-suppressed"}},
	{"tuning-bad-predicate", []string{"run", "../../rules/code-repo-exfil.yaml", "--data", "../../examples/data", "--now", "2026-11-25T12:00:00Z", "--format", "json", "--tuning", "testdata/inputs/bad.tuning.yaml"}},
	{"query-format-alerts", []string{"query", "--format", "alerts", "print 1"}},
	{"explain-with-json", []string{"run", "../../rules/code-repo-exfil.yaml", "--explain", "--format", "json"}},
	{"watchlist-unknown-alias", []string{"query", "--format", "json", "--watchlist", "KnownHosts=testdata/inputs/hosts.csv:Domain", "_GetWatchlist('KnownHost') | project SearchKey"}},
	{"watchlist-rows", []string{"query", "--format", "json", "--watchlist", "KnownHosts=testdata/inputs/hosts.csv:Owner", "_GetWatchlist('KnownHosts')"}},
	// A filter after row_number() must not be pushed down to the reader.
	{"row-function-barrier", []string{"query", "--format", "json", "--table", "T=testdata/inputs/rows.jsonl", `T | extend rn = row_number() | where Name == "x" | project Name, V, rn`}},
	{"memory-limit", []string{"query", "--format", "json", "--max-memory", "1MiB", "-f", "testdata/inputs/many.kql"}},
	// union * reads the tables of the data, once each, not the catalog.
	{"union-star-data", []string{"query", "--format", "json", "--data", "testdata/inputs/data", "--table", "T=testdata/inputs/rows.jsonl", "union withsource=Table * | summarize count() by Table"}},
}

func TestCLI(t *testing.T) {
	for _, c := range cliCases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := mainExit(c.args, &stdout, &stderr)
			got := "exit: " + itoa(code) + "\n-- stdout --\n" + stdout.String() + "-- stderr --\n" + stderr.String()
			path := filepath.Join("testdata", "golden", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/hunt -update)", err)
			}
			if got != string(want) {
				t.Errorf("hunt %s\n--- got\n%s\n--- want\n%s", strings.Join(c.args, " "), got, want)
			}
		})
	}
}

func itoa(n int) string {
	return string(rune('0' + n))
}
