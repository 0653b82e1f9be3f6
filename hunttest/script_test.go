package hunttest

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hunt/engine/vec"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of query records")

// TestScripts runs every testdata/queries/*.test file at several batch
// sizes.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("../testdata/queries/*.test")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no script files found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runFile(t, f) })
	}
}

func runFile(t *testing.T, path string) {
	s, err := Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[*Record][]string{}
	defer func(old int) { vec.BatchSize = old }(vec.BatchSize)
	for _, r := range s.Records {
		var first Outcome
		for k, size := range []int{1024, 7, 1} {
			vec.BatchSize = size
			o := s.Run(r)
			if k == 0 {
				first = o
				check(t, path, r, o)
				continue
			}
			if (o.Err == nil) != (first.Err == nil) || strings.Join(o.Lines, "\n") != strings.Join(first.Lines, "\n") {
				t.Errorf("%s:%d: batch size %d disagrees with 1024:\n%s\nvs\n%s", path, r.Line, size, strings.Join(o.Lines, "\n"), strings.Join(first.Lines, "\n"))
			}
		}
		if r.Kind == "query" && first.Err == nil {
			got[r] = first.Lines
		}
	}
	if *rewrite {
		if err := os.WriteFile(path, []byte(s.Rewrite(got)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func check(t *testing.T, path string, r *Record, o Outcome) {
	t.Helper()
	switch r.Kind {
	case "error":
		if o.Err == nil {
			t.Errorf("%s:%d: expected an error matching %q, got none", path, r.Line, r.ErrRe)
			return
		}
		re, err := regexp.Compile(r.ErrRe)
		if err != nil {
			t.Errorf("%s:%d: bad regexp: %v", path, r.Line, err)
			return
		}
		if !re.MatchString(o.Err.Error()) {
			t.Errorf("%s:%d: error %q does not match %q", path, r.Line, o.Err.Error(), r.ErrRe)
		}
	case "query":
		if o.Err != nil {
			t.Errorf("%s:%d: %v", path, r.Line, o.Err)
			return
		}
		if *rewrite {
			return
		}
		want := r.Expected()
		if strings.Join(o.Lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:%d: result differs\n--- got\n%s\n--- want\n%s", path, r.Line, strings.Join(o.Lines, "\n"), strings.Join(want, "\n"))
		}
	}
}
