package plan_test

import (
	"strings"
	"testing"

	"hunt/kql/plan"
)

// shape prepares text over table T and prints its plan's operators, top
// first, one per line, with Scan's hints left out.
func shape(t *testing.T, text string) string {
	t.Helper()
	p := prepareOverT(t, text)
	var lines []string
	for n := p.Plan; n != nil; {
		d := n.Describe()
		if _, ok := n.(*plan.Scan); ok {
			d = "Scan"
		}
		lines = append(lines, d)
		ins := n.Inputs()
		if len(ins) != 1 {
			break
		}
		n = ins[0]
	}
	return strings.Join(lines, "\n")
}

func TestSinkFilters(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		// The flagship's shape: filters on passed-through columns run
		// before the expensive column is computed; a filter on a computed
		// column stays above it, and the order among each set is kept.
		{`T | extend f = parse_path(A) | where N > 1 | where f.Filename == "x" | where B has "k"`, `
Filter (__member(f, "Filename") == "x")
Project Timestamp, A, B, N, D, f=parse_path(A)
Filter (B has "k")
Filter (N > 1)
Scan`},
		// A rename is followed.
		{`T | project X = A, f = strlen(B) | where X == "a"`, `
Project X=A, f=strlen(B)
Filter (A == "a")
Scan`},
		// A row function in the projection sees the rows before it:
		// nothing moves below it.
		{`T | serialize | extend r = row_number() | where A == "a"`, `
Filter (A == "a")
Project Timestamp, A, B, N, D, r=row_number()
Scan`},
	} {
		if got := shape(t, c.query); got != strings.TrimPrefix(c.want, "\n") {
			t.Errorf("%s\n got:\n%s\nwant:%s", c.query, got, c.want)
		}
	}
}
