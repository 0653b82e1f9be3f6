package alert

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/query"
	"hunt/rules"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// uploads is an in-memory table of uploads: ann has five, three of one
// name; bob two; carol one, a day and a half ago.
func uploads() (map[string]*vec.Batch, map[string]vec.Schema) {
	s := vec.Schema{{Name: "Timestamp", Type: types.DateTime}, {Name: "User", Type: types.String}, {Name: "Uid", Type: types.String},
		{Name: "Path", Type: types.String}, {Name: "Target", Type: types.String}, {Name: "Raw", Type: types.Dynamic}}
	b := vec.NewBuilder(s, 0)
	at := func(h int) types.DT { return types.DT(types.FromTime(now.Add(-time.Duration(h) * time.Hour))) }
	rows := [][]any{
		{at(20), "ann", "u1", `C:\a\x.zip`, "mega.nz"},
		{at(10), "ann", "u1", `C:\a\y.zip`, "mega.nz"},
		{at(5), "ann", "u1", `C:\b\x.zip`, "drive.google.com"},
		{at(15), "bob", "u2", `C:\a\x.zip`, "mega.nz"},
		{at(3), "ann", "u1", `C:\c\x.zip`, "mega.nz"},
		{at(2), "ann", "u1", `C:\a\z.zip`, "mega.nz"},
		{at(1), "bob", "u2", `C:\a\q.zip`, "mega.nz"},
		{at(36), "carol", "u3", `C:\a\q.zip`, "mega.nz"},
	}
	for _, r := range rows {
		raw := types.NewBag(1)
		raw.Set("target", r[4])
		r = append(r, raw)
		for c, v := range r {
			b.Cols[c].Append(v)
		}
	}
	return map[string]*vec.Batch{"Uploads": {Cols: b.Cols, N: b.Len()}}, map[string]vec.Schema{"Uploads": s}
}

const ruleYAML = `id: 0e7d1c3a-0000-4000-8000-000000000001
name: Test uploads
severity: High
tactics: [Exfiltration]
relevantTechniques: [T1567]
queryPeriod: 1d
query: |
  let minFiles = 1;
  Uploads
  | where Timestamp > ago(1d)
  | extend File = tostring(parse_path(Path).Filename)
  | summarize files = dcount(File), names = make_set(File) by Uid, Who = User
  | where files > minFiles
  | project Who, Uid, files, names
`

type fixture struct {
	rule   *rules.Rule
	p      *query.Prepared
	tuner  *query.Tuner
	result *vec.Batch
}

func prepare(t *testing.T, yaml string, ex ...query.Exclusion) *fixture {
	t.Helper()
	r, err := rules.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	tables, schemas := uploads()
	tuner := &query.Tuner{Exclusions: ex}
	p, err := query.Prepare(r.Source, query.Options{Tables: tables, TableSchemas: schemas, Now: now, Rewrite: tuner.Rewrite})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{rule: r, p: p, tuner: tuner, result: b}
}

func (f *fixture) alerts(t *testing.T, limit int) []*Alert {
	t.Helper()
	as, err := Build(f.rule, f.p, f.tuner.Tuned(), f.result, Options{Now: now, Evidence: limit})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func decode(t *testing.T, a *Alert) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.AppendJSON(nil), &m); err != nil {
		t.Fatalf("alert JSON does not parse: %v\n%s", err, a.AppendJSON(nil))
	}
	return m
}

func TestSummarizeAlertCarriesItsEvents(t *testing.T) {
	f := prepare(t, ruleYAML)
	as := f.alerts(t, 3)
	if len(as) != 2 {
		t.Fatalf("got %d alerts, want ann and bob", len(as))
	}
	ann := decode(t, as[0])
	// ann: five uploads in the window, three named x.zip: 3 distinct.
	ev := ann["evidence"].(map[string]any)
	if ev["total"] != 5.0 || ev["omitted"] != 2.0 || len(ev["events"].([]any)) != 3 {
		t.Errorf("evidence: %v", ev)
	}
	first := ev["events"].([]any)[0].(map[string]any)
	if first["Path"] != `C:\a\x.zip` || first["File"] != "x.zip" || first["Target"] != "mega.nz" {
		t.Errorf("first event %v", first)
	}
	if ann["firstEventTime"] != "2026-11-24T16:00:00.0000000Z" || ann["lastEventTime"] != "2026-11-25T10:00:00.0000000Z" {
		t.Errorf("event times %v .. %v", ann["firstEventTime"], ann["lastEventTime"])
	}
	// The group keys are found through the final project, renamed key
	// included.
	if g := ann["group"].(map[string]any); g["Uid"] != "u1" || g["Who"] != "ann" || len(g) != 2 {
		t.Errorf("group %v", g)
	}
	th := ann["threshold"].(map[string]any)
	check := th["checks"].([]any)[0].(map[string]any)
	if th["condition"] != "files > minFiles" || check["column"] != "files" || check["value"] != 3.0 || check["op"] != ">" || check["threshold"] != 1.0 {
		t.Errorf("threshold %v", th)
	}
	if ann["severity"] != "High" || ann["tactics"].([]any)[0] != "Exfiltration" || ann["techniques"].([]any)[0] != "T1567" {
		t.Errorf("metadata %v %v %v", ann["severity"], ann["tactics"], ann["techniques"])
	}
	w := ann["window"].(map[string]any)
	if w["start"] != "2026-11-24T12:00:00.0000000Z" || w["end"] != "2026-11-25T12:00:00.0000000Z" {
		t.Errorf("window %v", w)
	}
	// Without entityMappings, the keys give the entities by their names
	// only when they name one; custom details are the other columns.
	if d := ann["customDetails"].(map[string]any); len(d) != 2 || d["files"] != 3.0 {
		t.Errorf("custom details %v", d)
	}
	bob := decode(t, as[1])
	if ev := bob["evidence"].(map[string]any); ev["total"] != 2.0 || ev["omitted"] != 0.0 {
		t.Errorf("bob evidence %v", ev)
	}
}

func TestAlertIDsAreStable(t *testing.T) {
	a1 := prepare(t, ruleYAML).alerts(t, 3)
	a2 := prepare(t, ruleYAML).alerts(t, 3)
	if a1[0].ID != a2[0].ID || a1[0].ID == a1[1].ID {
		t.Fatalf("ids %s %s / %s", a1[0].ID, a1[1].ID, a2[0].ID)
	}
	if !strings.HasPrefix(a1[0].ID[14:], "8") {
		t.Errorf("id %s is not version 8", a1[0].ID)
	}
	// Another window is another alert.
	f := prepare(t, ruleYAML)
	later, err := Build(f.rule, f.p, f.tuner.Tuned(), f.result, Options{Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if later[0].ID == a1[0].ID {
		t.Error("a different window gave the same id")
	}
	// The id follows the entities, not the row's other values.
	withMap := strings.Replace(ruleYAML, "queryPeriod: 1d\n", "queryPeriod: 1d\nentityMappings:\n- entityType: Account\n  fieldMappings:\n  - identifier: Name\n    columnName: Who\n", 1)
	m := prepare(t, withMap).alerts(t, 3)
	if m[0].EntityKey() != "Who=ann" {
		t.Errorf("entity key %q", m[0].EntityKey())
	}
	ents := decode(t, m[0])["entities"].([]any)
	if e := ents[0].(map[string]any); e["type"] != "Account" || e["Name"] != "ann" {
		t.Errorf("entities %v", ents)
	}
}

func TestRowResultIsItsOwnEvidence(t *testing.T) {
	y := strings.Replace(ruleYAML, `  | extend File = tostring(parse_path(Path).Filename)
  | summarize files = dcount(File), names = make_set(File) by Uid, Who = User
  | where files > minFiles
  | project Who, Uid, files, names
`, "  | where User == \"bob\"\n", 1)
	as := prepare(t, y).alerts(t, 3)
	if len(as) != 2 {
		t.Fatalf("got %d alerts", len(as))
	}
	m := decode(t, as[0])
	ev := m["evidence"].(map[string]any)
	if ev["total"] != 1.0 || ev["events"].([]any)[0].(map[string]any)["Path"] != `C:\a\x.zip` {
		t.Errorf("evidence %v", ev)
	}
	if m["group"] != nil || m["firstEventTime"] != m["lastEventTime"] {
		t.Errorf("group %v times %v %v", m["group"], m["firstEventTime"], m["lastEventTime"])
	}
}

func TestNoEvidenceWhenTheKeyIsDropped(t *testing.T) {
	y := strings.Replace(ruleYAML, "| project Who, Uid, files, names", "| project Who, files", 1)
	as := prepare(t, y).alerts(t, 3)
	m := decode(t, as[0])
	ev := m["evidence"].(map[string]any)
	if ev["unavailable"] != "the result does not carry the group key Uid" {
		t.Errorf("evidence %v", ev)
	}
}

func TestExplainShowsTheStory(t *testing.T) {
	var b strings.Builder
	if err := Explain(&b, prepare(t, ruleYAML).alerts(t, 2), "Test uploads (test.yaml)"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Test uploads (test.yaml): 2 alerts",
		"  group      Uid = u1, Who = ann",
		"  threshold  files > minFiles: files = 3 > 1",
		"  events     5 events from 2026-11-24T16:00:00.0000000Z to 2026-11-25T10:00:00.0000000Z",
		"    Timestamp                     File   Path        Target",
		"    2026-11-24T16:00:00.0000000Z  x.zip  C:\\a\\x.zip  mega.nz",
		"    ... and 3 more",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

func exclusion(name, table, where string) query.Exclusion {
	src := syntax.NewSource("tuning.yaml", where)
	e, errs := syntax.ParseExpr(src)
	if len(errs) > 0 {
		panic(errs[0].Error())
	}
	return query.Exclusion{Name: name, Reason: "because", Owner: "me", Table: table, Where: e, Source: src}
}

func TestSuppressedCreditsTheFirstExclusion(t *testing.T) {
	f := prepare(t, ruleYAML,
		exclusion("no-bob", "Uploads", `User == "bob"`),
		exclusion("no-mega", "Uploads", `Target == "mega.nz"`),
		exclusion("no-ann", "", `Who == "ann"`))
	if f.result.N != 0 {
		t.Fatalf("tuned run returned %d rows", f.result.N)
	}
	sups, err := Suppressed(f.p, f.tuner)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int{}
	for _, s := range sups {
		got[s.Exclusion.Name] = [2]int{int(s.InputRows), s.Rows.N}
	}
	// no-bob removes bob's 2 rows (and carol's row is outside the window
	// but still an input row of its table: not bob's); his alert goes.
	// no-mega removes ann's 4 mega rows and carol's: ann drops to 1
	// file, under the threshold, so her alert is credited to no-mega;
	// no-ann has nothing left to remove.
	want := map[string][2]int{"no-bob": {2, 1}, "no-mega": {5, 1}, "no-ann": {0, 0}}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got input rows, result rows %v, want %v", k, got[k], v)
		}
	}
	var b strings.Builder
	SuppressedJSON(&b, []byte(`{"rule":{"id":"x"}`), sups)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("JSON lines: %q", b.String())
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
	}
	if !strings.Contains(lines[2], `"exclusion":"no-ann"`) || !strings.HasSuffix(lines[2], `"row":null}`) {
		t.Errorf("last line %s", lines[2])
	}
}

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"1d", types.TicksPerDay}, {"5h", 5 * types.TicksPerHour}, {"PT1H", types.TicksPerHour}, {"P1D", types.TicksPerDay}, {"P1DT30M", types.TicksPerDay + 30*types.TicksPerMinute}, {"", 0}, {"soon", 0}} {
		got, _ := ParsePeriod(c.in)
		if got != c.want {
			t.Errorf("%q: got %d, want %d", c.in, got, c.want)
		}
	}
}

func TestExplainShowsValuesTakenFromDynamicColumns(t *testing.T) {
	// The verbatim flagship keeps origin and target as dynamic values
	// taken out of RawEventData: they are shown, the whole bag is not.
	y := strings.Replace(ruleYAML, `  | extend File = tostring(parse_path(Path).Filename)
  | summarize files = dcount(File), names = make_set(File) by Uid, Who = User
  | where files > minFiles
  | project Who, Uid, files, names
`, `  | project Timestamp, User, Uid, target = Raw.target, Raw
  | summarize files = count() by Uid, Who = User
`, 1)
	f := prepare(t, y)
	var b strings.Builder
	Explain(&b, f.alerts(t, 1), "x")
	if !strings.Contains(b.String(), "    Timestamp                     target\n") {
		t.Errorf("explain:\n%s", b.String())
	}
}
