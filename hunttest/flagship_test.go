package hunttest

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/kql/types"
	"hunt/query"
	"hunt/rules"
	"hunt/source"
)

// The flagship rule's edges (semantics.md section D), one user each. The
// expected alerts below were worked out by hand from the KQL semantics,
// not by running hunt.
var flagshipNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

type upload struct {
	ts            time.Time
	app           int
	action        string
	account, name string
	raw           map[string]any
}

func flagshipEvents() []upload {
	var out []upload
	t0 := flagshipNow.Add(-20 * time.Hour)
	seq := 0
	add := func(acct, name, file, ext, origin, target string, mod func(*upload)) {
		seq++
		raw := map[string]any{
			"Operation": "FileUploadedToCloud", "RecordType": 63, "Workload": "Endpoint",
			"ObjectId": `C:\Users\` + acct + `\Downloads\` + file, "FileExtension": ext,
			"OriginatingDomain": origin, "TargetDomain": target,
		}
		if origin == "" {
			delete(raw, "OriginatingDomain")
		}
		if target == "" {
			delete(raw, "TargetDomain")
		}
		u := upload{ts: t0.Add(time.Duration(seq) * time.Minute), app: 11161, action: "FileUploadedToCloud", account: "id-" + acct, name: name, raw: raw}
		if mod != nil {
			mod(&u)
		}
		out = append(out, u)
	}
	repo := func(i int) string { return fmt.Sprintf("repo%02d.zip", i) }
	// alice: 11 distinct names, a repeated name from another folder, case
	// variants of the extension and the action type: alerts with 11.
	for i := 1; i <= 11; i++ {
		ext := "zip"
		if i == 3 {
			ext = "ZIP"
		}
		add("alice", "Alice Ng", repo(i), ext, "codeload.github.com", "www.mediafire.com", func(u *upload) {
			if i == 4 {
				u.action = "fileuploadedtocloud"
			}
		})
	}
	add("alice", "Alice Ng", repo(5), "zip", "codeload.github.com", "www.mediafire.com", func(u *upload) {
		u.raw["ObjectId"] = `C:\Users\alice\Desktop\old\` + repo(5)
	})
	// bob: exactly 10 distinct: no alert (the threshold is > 10).
	for i := 1; i <= 10; i++ {
		add("bob", "Bob", repo(i), "zip", "gitlab.com", "drive.google.com", nil)
	}
	// carol: the 11th upload sits exactly at now-1d; the window is strict.
	for i := 1; i <= 11; i++ {
		add("carol", "Carol", repo(i), "zip", "codeload.github.com", "drive.google.com", func(u *upload) {
			if i == 11 {
				u.ts = flagshipNow.Add(-24 * time.Hour)
			}
		})
	}
	// dave: no TargetDomain at all; not(null has_any ...) is true: alerts.
	for i := 1; i <= 11; i++ {
		add("dave", "Dave", repo(i), "zip", "codeload.github.com", "", nil)
	}
	// eve: one upload lacks OriginatingDomain and is dropped: 10, no alert.
	for i := 1; i <= 11; i++ {
		origin := "codeload.github.com"
		if i == 7 {
			origin = ""
		}
		add("eve", "Eve", repo(i), "zip", origin, "drive.google.com", nil)
	}
	// frank: raw.githubusercontent.com has no term "github": 10, no alert.
	for i := 1; i <= 11; i++ {
		origin := "gitlab.com"
		if i == 11 {
			origin = "raw.githubusercontent.com"
		}
		add("frank", "Frank", repo(i), "zip", origin, "drive.google.com", nil)
	}
	// grace: targets that look like excluded ones but are not (myoffice.net,
	// office.network.com, blob storage has no term "azure"): alerts.
	targets := []string{"myoffice.net", "office.network.com", "mystorage.blob.core.windows.net"}
	for i := 1; i <= 11; i++ {
		add("grace", "Grace", repo(i), "zip", "bitbucket.org", targets[i%3], nil)
	}
	// heidi: dev.azure.com has no term "visualstudio": no alert.
	for i := 1; i <= 11; i++ {
		add("heidi", "Heidi", repo(i), "zip", "dev.azure.com", "drive.google.com", nil)
	}
	// ivan: ".zip" with a dot does not equal "zip": no alert.
	for i := 1; i <= 11; i++ {
		add("ivan", "Ivan", repo(i), ".zip", "codeload.github.com", "drive.google.com", nil)
	}
	// judy: one event of another application: 10, no alert.
	for i := 1; i <= 11; i++ {
		add("judy", "Judy", repo(i), "zip", "codeload.github.com", "drive.google.com", func(u *upload) {
			if i == 2 {
				u.app = 20893
			}
		})
	}
	// mallory: two display names split the group: 6 and 5, no alert.
	for i := 1; i <= 11; i++ {
		name := "Mallory"
		if i > 6 {
			name = "Mallory (contractor)"
		}
		add("mallory", name, repo(i), "zip", "codeload.github.com", "drive.google.com", nil)
	}
	// oscar: 10 names plus REPO01.zip; dcount is case-sensitive: alerts
	// with 11.
	for i := 1; i <= 10; i++ {
		add("oscar", "Oscar", repo(i), "zip", "osdn.net", "wetransfer.com", nil)
	}
	add("oscar", "Oscar", "REPO01.zip", "zip", "osdn.net", "wetransfer.com", nil)
	// peggy: uploads to teams.microsoft.com and outlook.office.net are
	// excluded: no alert.
	for i := 1; i <= 11; i++ {
		target := "teams.microsoft.com"
		if i%2 == 0 {
			target = "outlook.office.net"
		}
		add("peggy", "Peggy", repo(i), "zip", "myorg.visualstudio.com", target, nil)
	}
	// trent: 14 repos from Bitbucket to WeTransfer: alerts.
	for i := 1; i <= 14; i++ {
		add("trent", "Trent", repo(i), "zip", "bitbucket.org", "wetransfer.com", nil)
	}
	return out
}

type alert struct {
	account, name string
	count         int64
	files         []string
}

func flagshipExpected() []alert {
	names := func(n int, extra ...string) []string {
		var out []string
		for i := 1; i <= n; i++ {
			out = append(out, fmt.Sprintf("repo%02d.zip", i))
		}
		out = append(out, extra...)
		sort.Strings(out)
		return out
	}
	return []alert{
		{"id-alice", "Alice Ng", 11, names(11)},
		{"id-dave", "Dave", 11, names(11)},
		{"id-grace", "Grace", 11, names(11)},
		{"id-oscar", "Oscar", 11, names(10, "REPO01.zip")},
		{"id-trent", "Trent", 14, names(14)},
	}
}

func propsOf(u upload) map[string]any {
	return map[string]any{
		"Timestamp": u.ts.Format(time.RFC3339Nano), "ApplicationId": u.app, "ActionType": u.action,
		"AccountObjectId": u.account, "AccountDisplayName": u.name, "Application": "Microsoft 365",
		"RawEventData": u.raw,
	}
}

// writeFlagshipData writes the events in one of the input formats and
// returns the folder.
func writeFlagshipData(t *testing.T, format string) string {
	dir := t.TempDir()
	events := flagshipEvents()
	switch format {
	case "defender":
		// Storage-account layout, gzip-compressed, with envelopes.
		sub := filepath.Join(dir, "insights-logs-advancedhunting-cloudappevents", "tenantId=0a1b", "y=2026", "m=11", "d=25", "h=10", "m=00")
		os.MkdirAll(sub, 0o755)
		f, _ := os.Create(filepath.Join(sub, "PT1H.json.gz"))
		zw := gzip.NewWriter(f)
		for _, u := range events {
			rec := map[string]any{"time": u.ts.Format(time.RFC3339), "tenantId": "0a1b", "operationName": "Publish",
				"category": "AdvancedHunting-CloudAppEvents", "properties": propsOf(u)}
			line, _ := json.Marshal(rec)
			zw.Write(append(line, '\r', '\n'))
		}
		zw.Close()
		f.Close()
	case "jsonl":
		f, _ := os.Create(filepath.Join(dir, "CloudAppEvents.jsonl"))
		for _, u := range events {
			line, _ := json.Marshal(propsOf(u))
			f.Write(append(line, '\n'))
		}
		f.Close()
	case "csv":
		f, _ := os.Create(filepath.Join(dir, "CloudAppEvents.csv"))
		w := csv.NewWriter(f)
		w.Write([]string{"Timestamp", "ApplicationId", "ActionType", "AccountObjectId", "AccountDisplayName", "Application", "RawEventData"})
		for _, u := range events {
			raw, _ := json.Marshal(u.raw)
			w.Write([]string{u.ts.Format(time.RFC3339Nano), fmt.Sprint(u.app), u.action, u.account, u.name, "Microsoft 365", string(raw)})
		}
		w.Flush()
		f.Close()
	}
	return dir
}

// runRuleOn runs a rule file over a data folder and returns the alerts.
func runRuleOn(t *testing.T, rulePath, dir string) []alert {
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
	p, err := query.Prepare(r.Source, query.Options{Data: set, Diag: diag, Now: flagshipNow})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if diag.Skipped() != 0 {
		t.Fatalf("skipped lines: %v", diag.Errors())
	}
	s := p.Schema()
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

func compareAlerts(t *testing.T, got, want []alert) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alerts differ\n got: %v\nwant: %v", got, want)
	}
}

const verbatimRule = "../../shared/rules/codeRepoExfil.yaml"

// TestFlagshipVerbatim runs Microsoft's published rule, unmodified, over
// the same events in each input format hunt reads.
func TestFlagshipVerbatim(t *testing.T) {
	if _, err := os.Stat(verbatimRule); err != nil {
		t.Skip("../shared is not beside the repository")
	}
	for _, format := range []string{"defender", "jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			for _, size := range []int{1024, 5} {
				old := vec.BatchSize
				vec.BatchSize = size
				got := runRuleOn(t, verbatimRule, writeFlagshipData(t, format))
				vec.BatchSize = old
				compareAlerts(t, got, flagshipExpected())
			}
		})
	}
}

// TestFlagshipOwnRule checks that the rule shipped in rules/ finds the same
// accounts as the verbatim rule.
func TestFlagshipOwnRule(t *testing.T) {
	got := runRuleOn(t, "../rules/code-repo-exfil.yaml", writeFlagshipData(t, "jsonl"))
	compareAlerts(t, got, flagshipExpected())
}

var _ = strings.TrimSpace
var _ = types.FormatDatetime
