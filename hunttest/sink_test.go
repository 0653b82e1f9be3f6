package hunttest

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSinkBarrier checks the filter-sinking rewrite (kql/plan/sink.go)
// differentially: every script query with a where runs again with a
// `take` of every row in front of each where. A Limit between a filter
// and the projection under it stops the rewrite without changing the
// rows, so both versions must give the same result. (sink.test pins the
// expected rows of the tricky shapes by hand.)
func TestSinkBarrier(t *testing.T) {
	files, err := filepath.Glob("../testdata/queries/*.test")
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, f := range files {
		s, err := Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range s.Records {
			if r.Kind != "query" || !strings.Contains(r.Query, "| where ") {
				continue
			}
			want := s.Run(r)
			if want.Err != nil {
				continue
			}
			b := *r
			b.Query = strings.ReplaceAll(r.Query, "| where ", "| take 9223372036854775807 | where ")
			got := s.Run(&b)
			if got.Err != nil {
				continue // e.g. a row function, which needs a serialized input
			}
			compared++
			if g, w := strings.Join(got.Lines, "\n"), strings.Join(want.Lines, "\n"); g != w {
				t.Errorf("%s:%d: %s\nwith the rewrite:\n%s\nwithout:\n%s", f, r.Line, r.Query, w, g)
			}
		}
	}
	if compared < 40 {
		t.Errorf("only %d queries compared", compared)
	}
	t.Logf("%d queries compared", compared)
}
