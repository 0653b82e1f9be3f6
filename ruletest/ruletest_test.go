package ruletest

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rule = `id: 5a0c0e55-0000-4000-8000-000000000001
name: Big uploads
query: |
  let minBytes = 100;
  Uploads
  | where Timestamp > ago(1d) and Bytes > minBytes
  | summarize total = sum(Bytes), first = min(Timestamp), tags = make_set(Tag) by User
`

// write puts files in a temporary folder and returns its path.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func results(t *testing.T, test string, extra map[string]string) []Result {
	t.Helper()
	files := map[string]string{"big.yaml": rule, "big.test.yaml": test}
	for k, v := range extra {
		files[k] = v
	}
	dir := write(t, files)
	return RunFile(filepath.Join(dir, "big.test.yaml"), nil)
}

const header = `rule: big.yaml
now: 2026-11-25T12:00:00Z
defaults:
  Uploads: {Timestamp: 2026-11-25T10:00:00Z, User: ann, Bytes: 500, Tag: a}
cases:
`

func TestPassingExpectations(t *testing.T) {
	rs := results(t, header+`
- name: rows, contains, count, ordered and typed values
  data:
    Uploads:
    - {$repeat: 3, Bytes: '10{i}', Tag: 't{i:2}'}
    - {User: bob, Bytes: 50}
    - {User: carol, Timestamp: 2026-11-23T00:00:00Z}
  expect:
    count: 1
    rows: [{User: ann, total: 306, first: "2026-11-25T10:00:00Z", tags: [t01, t02, t03]}]
    ordered: true
    contains: [{total: 306.0}]
- name: parameters and inline watchlists
  set: {minBytes: 1000}
  watchlists:
    Vip: {key: Name, rows: [{Name: ann, Level: gold}]}
  data:
    Uploads: [{Bytes: 999}]
  expect: {count: 0}
- name: an expected error
  set: {minBytes: '"text"'}
  expect: {error: "the rule's value is long"}
`, nil)
	for _, r := range rs {
		if !r.Passed() {
			t.Errorf("%s: %s", r.Case, r.Failure)
		}
	}
	if len(rs) != 3 {
		t.Errorf("ran %d cases", len(rs))
	}
}

func TestFailingExpectationsFail(t *testing.T) {
	cases := []struct{ expect, want string }{
		{`{count: 2}`, "count: got 1 row(s), want 2"},
		{`{rows: [{User: bob}]}`, `rows: no result row matches expected row 1 {User: "bob"}`},
		{`{rows: [{User: ann}, {User: ann}]}`, "rows: got 1 row(s), want 2"},
		{`{contains: [{total: 501}]}`, "contains: no result row matches expected row 1 {total: 501}"},
		{`{rows: [{Usr: ann}]}`, `rows: the result has no column "Usr"`},
		{`{rows: [{first: "2026-11-25T10:00:01Z"}]}`, "no result row matches"},
		{`{rows: [{tags: [b]}]}`, "no result row matches"},
		{`{error: "boom"}`, `expected an error containing "boom"; the rule ran and returned 1 row(s)`},
		{`{suppressed: {nope: 1}}`, `suppressed: no exclusion named "nope" applies`},
	}
	for _, c := range cases {
		rs := results(t, header+"- name: c\n  data: {Uploads: [{}]}\n  expect: "+c.expect+"\n", nil)
		if len(rs) != 1 || rs[0].Passed() || !strings.Contains(rs[0].Failure, c.want) {
			t.Errorf("expect %s: got %+v, want a failure containing %q", c.expect, rs, c.want)
		}
	}
}

func TestTuningInTests(t *testing.T) {
	tuning := `rules:
  5a0c0e55-0000-4000-8000-000000000001:
    set: {minBytes: 10}
    exclusions:
    - {name: no-bob, reason: r, owner: o, input: {table: Uploads, where: User == "bob"}}
    - {name: small, reason: r, owner: o, where: total < 40}
`
	rs := results(t, header+`
- name: tuned
  tuning: t.tuning.yaml
  data:
    Uploads: [{}, {User: bob}, {User: carol, Bytes: 150}, {User: dan, Bytes: 20}]
  expect:
    rows: [{User: ann, total: 500}, {User: carol, total: 150}]
    suppressed: {no-bob: 1, small: 1}
- name: the tuning's set applies
  tuning: t.tuning.yaml
  data:
    Uploads: [{User: dan, Bytes: 50}]
  expect: {count: 1}
- name: the case's set wins over the tuning's
  tuning: t.tuning.yaml
  set: {minBytes: 130}
  data:
    Uploads: [{User: dan, Bytes: 120}]
  expect: {count: 0}
`, map[string]string{"t.tuning.yaml": tuning})
	for _, r := range rs {
		if !r.Passed() {
			t.Errorf("%s: %s", r.Case, r.Failure)
		}
	}
}

func TestLoadErrorsPointAtTheFile(t *testing.T) {
	cases := []struct{ text, want string }{
		{"rule: big.yaml\nnow: 2026-11-25T12:00:00Z\ncases:\n- name: a\n  expct: {count: 1}\n", `big.test.yaml:5:3: unknown field "expct" in a case; did you mean "expect"?`},
		{"rule: big.yaml\ncases:\n- name: a\n  expect: {count: 1}\n", `case "a": no now`},
		{"rule: big.yaml\nnow: yesterday\ncases: []\n", `now "yesterday": want RFC 3339`},
		{"now: 2026-11-25T12:00:00Z\ncases: []\n", "names no rule"},
		{"rule: big.yaml\nnow: 2026-11-25T12:00:00Z\ncases:\n- name: a\n  expect: {}\n", "expect checks nothing"},
		{"rule: big.yaml\nnow: 2026-11-25T12:00:00Z\ncases:\n- {name: a, expect: {count: 0}}\n- {name: a, expect: {count: 0}}\n", `two cases are named "a"`},
	}
	for _, c := range cases {
		rs := results(t, c.text, nil)
		if len(rs) != 1 || rs[0].Passed() || !strings.Contains(rs[0].Failure, c.want) {
			t.Errorf("%q: got %+v, want a failure containing %q", c.text, rs, c.want)
		}
	}
}

func TestJUnitReport(t *testing.T) {
	rs := []Result{{File: "a.test.yaml", Case: "ok"}, {File: "a.test.yaml", Case: "bad", Failure: "count: got 1\nmore"}, {File: "b.test.yaml", Failure: "b.test.yaml:1:1: broken"}}
	var b strings.Builder
	if err := WriteJUnit(&b, rs); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Tests != 3 || doc.Failures != 2 || len(doc.Suites) != 2 {
		t.Fatalf("totals %+v", doc)
	}
	bad := doc.Suites[0].Cases[1]
	if bad.Failure == nil || bad.Failure.Message != "count: got 1" || bad.Failure.Text != "count: got 1\nmore" {
		t.Errorf("failure %+v", bad.Failure)
	}
	if doc.Suites[1].Cases[0].Name != "(load)" {
		t.Errorf("load failure case %+v", doc.Suites[1].Cases[0])
	}
}

func TestFindSkipsTestdata(t *testing.T) {
	dir := write(t, map[string]string{"a.test.yaml": "", "sub/b.test.yml": "", "testdata/c.test.yaml": "", "d.yaml": ""})
	got, err := Find([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "a.test.yaml") || !strings.HasSuffix(got[1], "b.test.yml") {
		t.Errorf("found %v", got)
	}
}
