package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/output"
)

// events is an in-memory table: who uploaded what where.
func events() (map[string]*vec.Batch, map[string]vec.Schema) {
	s := vec.Schema{{Name: "User", Type: types.String}, {Name: "Target", Type: types.String}, {Name: "Size", Type: types.Long}}
	b := vec.NewBuilder(s, 0)
	rows := [][]any{
		{"ann", "mega.nz", int64(5)}, {"ann", "artifactory", int64(7)}, {"bob", "mega.nz", int64(3)},
		{"bob", "mega.nz", nil}, {"ci", "artifactory", int64(9)}, {"ci", "artifactory", int64(1)},
	}
	for _, r := range rows {
		for c, v := range r {
			b.Cols[c].Append(v)
		}
	}
	return map[string]*vec.Batch{"Events": {Cols: b.Cols, N: b.Len()}}, map[string]vec.Schema{"Events": s}
}

func exclusion(name, table, where string) Exclusion {
	src := syntax.NewSource("tuning.yaml", where)
	e, errs := syntax.ParseExpr(src)
	if len(errs) > 0 {
		panic(errs[0].Error())
	}
	return Exclusion{Name: name, Reason: "r", Owner: "o", Table: table, Where: e, Source: src, At: "tuning.yaml:1:1"}
}

// runTuned runs query text with exclusions and returns its rows as text.
func runTuned(t *testing.T, text string, ex ...Exclusion) string {
	t.Helper()
	out, err := tryTuned(text, ex...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tryTuned(text string, ex ...Exclusion) (string, error) {
	tables, schemas := events()
	tuner := &Tuner{Exclusions: ex}
	p, err := Prepare(syntax.NewSource("q", text), Options{Tables: tables, TableSchemas: schemas, Rewrite: tuner.Rewrite, Now: time.Unix(0, 0)})
	if err != nil {
		return "", err
	}
	b, err := p.Collect()
	if err != nil {
		return "", err
	}
	var rows []string
	for i := 0; i < b.N; i++ {
		var cells []string
		for _, c := range b.Cols {
			cells = append(cells, output.Text(c, i))
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	return strings.Join(rows, "; "), nil
}

func TestInputExclusionSeesRawRows(t *testing.T) {
	// The query rewrites Target before it filters; the exclusion runs
	// right after the scan, so it sees the table's own Target.
	q := `Events | extend Target = "x" | summarize n = count() by User | order by User asc`
	if got, want := runTuned(t, q), "ann 2; bob 2; ci 2"; got != want {
		t.Fatalf("untuned: got %q, want %q", got, want)
	}
	got := runTuned(t, q, exclusion("ci-uploads", "Events", `User == "ci" and Target == "artifactory"`))
	if want := "ann 2; bob 2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestResultExclusionKeepsNullPredicate(t *testing.T) {
	// Size > 4 is null for bob's second row: an exclusion removes only
	// rows its predicate is true for.
	got := runTuned(t, `Events | where User == "bob"`, exclusion("small", "", "Size < 4"))
	if want := "bob mega.nz "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExclusionsReachEveryScan(t *testing.T) {
	ex := exclusion("no-ci", "Events", `User == "ci"`)
	cases := []struct{ q, want string }{
		// Both sides of a join and both inputs of a union.
		{`Events | summarize n = count() by User | join kind=inner (Events | summarize m = count() by User) on User | order by User asc | project User, n, m`, "ann 2 2; bob 2 2"},
		{`union Events, Events | summarize count()`, "8"},
		// A sub-query inside an expression.
		{`print n = toscalar(Events | count)`, "4"},
		// A materialized let used twice stays consistent.
		{`let m = materialize(Events | summarize c = count()); m | join kind=inner (m) on c | project c`, "4"},
	}
	for _, c := range cases {
		if got := runTuned(t, c.q, ex); got != c.want {
			t.Errorf("%s\n got %q, want %q", c.q, got, c.want)
		}
	}
}

func TestExclusionsApplyInOrderAndTogether(t *testing.T) {
	got := runTuned(t, `Events | summarize n = count() by User | order by User asc`,
		exclusion("no-ci", "Events", `User == "ci"`),
		exclusion("few", "", `n < 2`),
		exclusion("no-mega", "Events", `Target == "mega.nz" and User == "ann"`))
	// ann loses one row to no-mega (n = 1) and then her result row to few.
	if want := "bob 2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExclusionErrors(t *testing.T) {
	cases := []struct {
		ex   Exclusion
		want string
	}{
		{exclusion("x", "Event", "true"), `tuning.yaml:1:1: exclusion "x": the rule reads no table Event; did you mean Events? (it reads: Events)`},
		{exclusion("x", "Events", `Usr == "a"`), "tuning.yaml:1:1: unknown column or name 'Usr'"},
		{exclusion("x", "", `User`), `exclusion "x": the predicate must be bool, not string`},
		{exclusion("x", "", `Target == "a"`), "unknown column or name 'Target'"},
	}
	for _, c := range cases {
		_, err := tryTuned(`Events | summarize count() by User`, c.ex)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want it to contain %q", c.ex.Where, err, c.want)
		}
	}
}

func TestVariantAppliesOnlyTheChosenExclusions(t *testing.T) {
	tables, schemas := events()
	tuner := &Tuner{Exclusions: []Exclusion{exclusion("no-ci", "Events", `User == "ci"`), exclusion("no-bob", "Events", `User == "bob"`)}}
	p, err := Prepare(syntax.NewSource("q", `Events | summarize count()`), Options{Tables: tables, TableSchemas: schemas, Rewrite: tuner.Rewrite})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		which []int
		want  int64
	}{{nil, 6}, {[]int{0}, 4}, {[]int{1}, 4}, {[]int{0, 1}, 2}} {
		n, err := tuner.Variant(c.which)
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.CollectPlan(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Cols[0].Get(0); got != c.want {
			t.Errorf("variant %v: got %v, want %d", c.which, got, c.want)
		}
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(b.Cols[0].Get(0)); got != "2" {
		t.Errorf("tuned run: got %s, want 2", got)
	}
}
