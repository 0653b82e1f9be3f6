package plan_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/query"
)

var pushSchema = vec.Schema{
	{Name: "Timestamp", Type: types.DateTime}, {Name: "A", Type: types.String}, {Name: "B", Type: types.String},
	{Name: "N", Type: types.Long}, {Name: "D", Type: types.Dynamic},
}

// scanOf prepares text over table T and describes its scan: filters as
// Column[.Path] op pred, then paths.
func scanOf(t *testing.T, text string) string {
	t.Helper()
	p := prepareOverT(t, text)
	var scan *plan.Scan
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if s, ok := n.(*plan.Scan); ok {
			scan = s
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(p.Plan)
	var parts []string
	for _, f := range scan.Filters {
		col := f.Column
		if f.Path != "" {
			col += "." + f.Path
		}
		if f.Pred == nil {
			t.Fatalf("%s: filter on %s without Pred", text, col)
		}
		parts = append(parts, fmt.Sprintf("%s %s {%s}", col, f.Op, f.Pred))
	}
	var paths []string
	for c, ks := range scan.Paths {
		paths = append(paths, c+":"+strings.Join(ks, ","))
	}
	sort.Strings(paths)
	return strings.Join(parts, "; ") + " | " + strings.Join(paths, " ")
}

// prepareOverT prepares text over an empty table T of pushSchema.
func prepareOverT(t *testing.T, text string) *query.Prepared {
	t.Helper()
	p, err := query.Prepare(syntax.NewSource("q", text), query.Options{
		Tables:       map[string]*vec.Batch{"T": {Cols: nil}},
		TableSchemas: map[string]vec.Schema{"T": pushSchema},
	})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return p
}

func TestPushDown(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		// Classic comparisons keep their Op for readers of raw records.
		{`T | where N == 5 and A =~ "x"`, `N == {(N == 5)}; A =~ {(A =~ "x")} | `},
		// A filter above projects is rewritten onto the scan's columns;
		// a member of a dynamic column becomes a path filter. (The filter
		// on A, a column the project passes through, moves below it and
		// so comes first; see TestSinkFilters.)
		{`T | project A, e = D.Ext | where e =~ "zip" | where A has "k"`,
			`A pred {(A has "k")}; D.Ext pred {(D.Ext =~ "zip")} | D:Ext`},
		{`T | extend x = B | where not(x has_any ("a", "b"))`, `B pred {not(has_any(B, "a", "b"))} | `},
		{`T | where tolower(A) == "x"`, `A pred {(tolower(A) == "x")} | `},
		// Several values of a row, volatile functions, and filters past
		// a summarize or mv-expand stay where they are.
		{`T | where A == B`, ` | `},
		{`T | where N > rand() * 10`, ` | `},
		{`T | summarize c = count() by A | where A == "x"`, ` | `},
		{`T | mv-expand D | where A == "x"`, ` | `},
		{`T | where D.a == 1 and D.b has "x" | project D.a`, `D.a pred {(D.a == 1)}; D.b pred {(D.b has "x")} | D:a,b`},
		// A whole-column use keeps bags whole.
		{`T | where D.a == 1 | project D`, `D.a pred {(D.a == 1)} | `},
	} {
		if got := scanOf(t, c.query); got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.query, got, c.want)
		}
	}
}

// TestReaderFilters: readers of raw records get only the classic
// comparisons, never pred or path filters they could misread.
func TestReaderFilters(t *testing.T) {
	fs := []plan.ScanFilter{
		{Column: "N", Op: "==", Value: int64(5)},
		{Column: "D", Op: plan.OpPred, Path: "a"},
		{Column: "A", Op: plan.OpPred},
	}
	got := plan.ReaderFilters(fs)
	if len(got) != 1 || got[0].Column != "N" {
		t.Fatalf("ReaderFilters = %v", got)
	}
}
