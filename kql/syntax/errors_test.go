package syntax

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata/errors")
	single = flag.String("single", "", "query for TestSingle")
)

// TestErrorGolden parses each testdata/errors/*.kql file and compares the
// rendered errors (file:line:col, source line, caret) with the .txt file of
// the same name. Run with -update to rewrite the .txt files.
func TestErrorGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.kql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src := NewSource(filepath.Base(file), string(data))
		_, errs := Parse(src)
		if len(errs) == 0 {
			t.Errorf("%s: no errors", file)
		}
		var b strings.Builder
		for _, e := range errs {
			b.WriteString(Render(src, e))
			b.WriteString("\n\n")
		}
		got := b.String()
		golden := strings.TrimSuffix(file, ".kql") + ".txt"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s: rendered errors differ from %s:\n--- got\n%s--- want\n%s", file, golden, got, want)
		}
	}
}

func TestPosition(t *testing.T) {
	text := "ab\ncd\n\nef"
	src := NewSource("f.kql", text)
	tests := []struct {
		off       int
		line, col int
	}{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {100, 4, 3},
	}
	for _, tt := range tests {
		p := src.Position(PosOf(tt.off))
		if p.Line != tt.line || p.Column != tt.col || p.Filename != "f.kql" {
			t.Errorf("offset %d: got %v, want %d:%d", tt.off, p, tt.line, tt.col)
		}
	}
	if p := src.Position(NoPos); p.IsValid() || p.String() != "f.kql" {
		t.Errorf("NoPos: %v", p)
	}
	// A query embedded in a YAML block scalar at line 10, indented 4.
	yaml := &Source{Name: "rule.yaml", Text: text, BaseLine: 10, BaseCol: 4}
	if got := yaml.Position(PosOf(4)).String(); got != "rule.yaml:11:6" {
		t.Errorf("embedded position = %s, want rule.yaml:11:6", got)
	}
	if got := (Position{Line: 3, Column: 4}).String(); got != "3:4" {
		t.Errorf("Position without file = %s", got)
	}
}

func TestRender(t *testing.T) {
	text := "T\n\t| where  x ==  'a' and y\n| take 1"
	src := NewSource("q.kql", text)
	from := PosOf(strings.Index(text, "x =="))
	e := &Error{Pos: src.Position(from), Msg: "bad", Span: [2]Pos{from, from + 4}}
	want := "q.kql:2:11: bad\n\t| where  x ==  'a' and y\n\t         ^~~~"
	if got := Render(src, e); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	// An error at the end of input points just past the last character.
	end := PosOf(len(text))
	e = &Error{Pos: src.Position(end), Msg: "eof", Span: [2]Pos{end, end}}
	if got := Render(src, e); got != "q.kql:3:9: eof\n| take 1\n        ^" {
		t.Errorf("Render at EOF:\n%q", got)
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Error("empty list Err() != nil")
	}
	l.Add(Position{Filename: "f", Line: 2, Column: 1}, "b")
	l.Add(Position{Filename: "f", Line: 1, Column: 5}, "a")
	l.Add(Position{Filename: "f", Line: 2, Column: 3}, "c")
	l.Sort()
	if l[0].Msg != "a" || l[2].Msg != "c" {
		t.Errorf("Sort: %v", l)
	}
	if got := l.Error(); got != "f:1:5: a (and 2 more errors)" {
		t.Errorf("Error() = %q", got)
	}
	l.RemoveMultiples()
	if len(l) != 2 {
		t.Errorf("RemoveMultiples kept %d", len(l))
	}
	if l.Err() == nil {
		t.Error("Err() = nil")
	}
}
