package syntax

import (
	"fmt"
	"sort"
)

// Pos is a compact position: the byte offset into Source.Text plus one. The
// zero value NoPos means "no position", so an unset field is never mistaken
// for the first byte.
type Pos int

// NoPos is the zero Pos: no position.
const NoPos Pos = 0

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p != NoPos }

// Offset returns the byte offset of p in its source text, or -1 for NoPos.
func (p Pos) Offset() int { return int(p) - 1 }

// PosOf returns the Pos of byte offset off.
func PosOf(off int) Pos { return Pos(off + 1) }

// Source is a query text with a name and, for queries embedded in a larger
// file such as a rule YAML, the line and column at which Text starts there.
// Text must not change once positions have been taken from it.
type Source struct {
	Name     string
	Text     string
	BaseLine int // line number of Text's first line in the file; 1 normally
	BaseCol  int // column offset added to every line (YAML block scalars); 0 normally

	lines []int // offsets of line starts; built by NewSource
}

// NewSource returns a Source for text with BaseLine 1 and BaseCol 0. A
// Source made with a struct literal works too; it just recomputes line
// starts on each Position call.
func NewSource(name, text string) *Source {
	return &Source{Name: name, Text: text, BaseLine: 1, lines: lineStarts(text)}
}

// Position is a human-readable position. Line and Column are 1-based;
// Column counts bytes.
type Position struct {
	Filename string
	Offset   int // byte offset into Source.Text
	Line     int
	Column   int
}

// IsValid reports whether the position has a line number.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "line:col" without a file name, or "-"
// for an invalid position.
func (p Position) String() string {
	s := p.Filename
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	if s == "" {
		s = "-"
	}
	return s
}

func lineStarts(text string) []int {
	lines := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// lineTable returns the line starts without caching them, so that a Source
// shared between goroutines is never written.
func (s *Source) lineTable() []int {
	if s.lines != nil {
		return s.lines
	}
	return lineStarts(s.Text)
}

// Position converts p to a Position with BaseLine and BaseCol applied.
// Positions past the end of Text are clamped to the end so that an
// "unexpected end of query" error still has a line. NoPos gives the zero
// Position with only Filename set.
func (s *Source) Position(p Pos) Position {
	if !p.IsValid() {
		return Position{Filename: s.Name}
	}
	off := p.Offset()
	if off > len(s.Text) {
		off = len(s.Text)
	}
	if off < 0 {
		off = 0
	}
	lines := s.lineTable()
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	base := s.BaseLine
	if base == 0 {
		base = 1
	}
	return Position{
		Filename: s.Name,
		Offset:   off,
		Line:     base + i,
		Column:   off - lines[i] + 1 + s.BaseCol,
	}
}

// LineText returns the text of the line holding byte offset off, without
// its newline, and the offset of the line start.
func (s *Source) LineText(off int) (string, int) {
	if off > len(s.Text) {
		off = len(s.Text)
	}
	lines := s.lineTable()
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	start := lines[i]
	end := len(s.Text)
	if i+1 < len(lines) {
		end = lines[i+1] - 1
	}
	line := s.Text[start:end]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, start
}
