package rules

import (
	"path/filepath"
	"strings"
	"testing"
)

const tuningText = `watchlists:
  Hosts: lists/hosts.csv:Domain
rules:
  AAAA-1:
    set:
      limit: 5
      names: [a, "b c", 3, true]
      window: 2d
    watchlists:
      Hosts: {file: /abs/other.csv, key: Host}
    exclusions: &shared
    - name: first
      reason: >
        a reason
        on two lines
      owner: team@example.com
      input:
        table: Events
        where: |
          User == "x"
          and Size > 10
    - name: second
      reason: r
      owner: o
      where: n < 2
  bbbb-2:
    exclusions: *shared
`

func TestParseTuning(t *testing.T) {
	tu, err := ParseTuning("dir/t.yaml", []byte(tuningText))
	if err != nil {
		t.Fatal(err)
	}
	rt := tu.For(&Rule{ID: "aaaa-1"})
	if rt == nil {
		t.Fatal("rule ids match regardless of case")
	}
	if rt.Set["limit"] != "5" || rt.Set["window"] != "2d" || rt.Set["names"] != `dynamic(["a", "b c", 3, true])` {
		t.Errorf("set %v", rt.Set)
	}
	ws := tu.AllWatchlists(rt)
	if ws["Hosts"].Path != "/abs/other.csv" || ws["Hosts"].Key != "Host" {
		t.Errorf("the rule's binding wins: %+v", ws["Hosts"])
	}
	if w := tu.AllWatchlists(nil)["Hosts"]; w.Path != filepath.Join("dir", "lists", "hosts.csv") || w.Key != "Domain" {
		t.Errorf("shared binding %+v", w)
	}
	if len(rt.Exclusions) != 2 {
		t.Fatalf("exclusions %v", rt.Exclusions)
	}
	e := rt.Exclusions[0]
	if e.Name != "first" || e.Reason != "a reason on two lines" || e.Owner != "team@example.com" || e.Table != "Events" || e.At != "dir/t.yaml:12:7" {
		t.Errorf("exclusion %+v", e)
	}
	// The predicate keeps its place in the file: line 20, column 11.
	if p := e.Source.Position(e.Where.Pos()); p.Line != 20 || p.Column != 11 {
		t.Errorf("predicate at %v", p)
	}
	if p := rt.Exclusions[1].Source.Position(rt.Exclusions[1].Where.Pos()); p.Line != 25 || p.Column != 14 {
		t.Errorf("plain predicate at %v", p)
	}
	if b := tu.For(&Rule{ID: "BBBB-2"}); b == nil || len(b.Exclusions) != 2 {
		t.Errorf("an alias shares the exclusions: %+v", b)
	}
	if tu.For(&Rule{ID: "cccc"}) != nil {
		t.Error("an untuned rule has no tuning")
	}
}

func TestTuningErrors(t *testing.T) {
	ex := func(body string) string {
		return "rules:\n  r1:\n    exclusions:\n    - " + strings.ReplaceAll(body, "\n", "\n      ") + "\n"
	}
	cases := []struct{ text, want string }{
		{"rule:\n  r1: {}\n", `t.yaml:1:1: unknown field "rule" in the tuning file; did you mean "rules"?`},
		{"rules:\n  r1:\n    exclusion: []\n", `t.yaml:3:5: unknown field "exclusion" in the tuning of rule r1; did you mean "exclusions"?`},
		{ex("name: a\nreason: r\nwhere: x"), "t.yaml:4:7: the exclusion has no owner"},
		{ex("name: a\nreason: r\nowner: ''\nwhere: x"), "the exclusion's owner is empty"},
		{ex("name: a\nreason: r\nowner: o"), `exclusion "a" has no predicate`},
		{ex("name: a\nreason: r\nowner: o\nwhere: x\ninput: {table: T, where: y}"), "give either where (over result rows) or input"},
		{ex("name: a\nreason: r\nowner: o\ninput: {where: y}"), `exclusion "a": input needs a table and a where`},
		{ex("name: a\nreason: r\nowner: o\nwhere: x =="), "t.yaml:7:"},
		{ex("name: a\nreason: r\nowner: o\nwhere: x =="), "expected expression"},
		{"rules:\n  r1:\n    exclusions:\n    - {name: a, reason: r, owner: o, where: x}\n    - {name: a, reason: r, owner: o, where: y}\n", `two exclusions are named "a"`},
		{"rules:\n  R1: {}\n  r1: {}\n", "rule r1 is tuned twice"},
		{"rules:\n  r1:\n    set:\n      x: {a: 1}\n", "want a value or a list of values"},
	}
	for _, c := range cases {
		_, err := ParseTuning("t.yaml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %q", c.text, err, c.want)
		}
	}
}

func TestCheckSets(t *testing.T) {
	r, err := Parse("r.yaml", []byte("id: r1\nquery: |\n  let filesThreshold = 10;\n  print filesThreshold\n"))
	if err != nil {
		t.Fatal(err)
	}
	tu, err := ParseTuning("t.yaml", []byte("rules:\n  r1:\n    set:\n      fileThreshold: 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = tu.For(r).CheckSets(r)
	if err == nil || err.Error() != `t.yaml:4:7: set fileThreshold: rule r.yaml has no top-level let named fileThreshold; did you mean "filesThreshold"? (its lets: filesThreshold)` {
		t.Errorf("got %v", err)
	}
}

func TestParseWatchlistSpec(t *testing.T) {
	for _, c := range []struct{ in, path, key string }{
		{"a.csv", "a.csv", ""}, {"a.csv:Key", "a.csv", "Key"}, {`C:\lists\a.csv`, `C:\lists\a.csv`, ""},
		{`C:\lists\a.csv:K`, `C:\lists\a.csv`, "K"}, {"dir:x/a.csv", "dir:x/a.csv", ""},
	} {
		p, k := ParseWatchlistSpec(c.in)
		if p != c.path || k != c.key {
			t.Errorf("%q: got %q %q", c.in, p, k)
		}
	}
}
