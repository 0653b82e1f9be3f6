package syntax

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is one diagnostic. Pos is where the message points; Span, when set,
// is the half-open range [Span[0], Span[1]) of the offending text and is what
// Render underlines. Unsupported marks valid KQL that hunt does not handle
// yet (an operator, a plugin, a function), so that tools can count missing
// features apart from real mistakes.
type Error struct {
	Pos         Position
	Msg         string
	Span        [2]Pos
	Unsupported bool
}

// Error implements the error interface: "file:line:col: msg".
func (e *Error) Error() string {
	if e.Pos.Filename != "" || e.Pos.IsValid() {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Msg
}

// ErrorList is a list of *Errors. The zero value is an empty list ready to
// use.
type ErrorList []*Error

// Add appends an error with the given position and message.
func (l *ErrorList) Add(pos Position, msg string) {
	*l = append(*l, &Error{Pos: pos, Msg: msg})
}

// AddError appends e.
func (l *ErrorList) AddError(e *Error) { *l = append(*l, e) }

// Len, Swap and Less implement sort.Interface.
func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	e, f := l[i].Pos, l[j].Pos
	if e.Filename != f.Filename {
		return e.Filename < f.Filename
	}
	if e.Line != f.Line {
		return e.Line < f.Line
	}
	if e.Column != f.Column {
		return e.Column < f.Column
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by file, line, column and message.
func (l ErrorList) Sort() { sort.Stable(l) }

// RemoveMultiples sorts the list and keeps only the first error per line.
func (l *ErrorList) RemoveMultiples() {
	sort.Stable(*l)
	var last Position
	i := 0
	for _, e := range *l {
		if e.Pos.Filename != last.Filename || e.Pos.Line != last.Line || i == 0 {
			last = e.Pos
			(*l)[i] = e
			i++
		}
	}
	*l = (*l)[:i]
}

// Error implements the error interface: the first error and a count of the
// others.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns l as an error, or nil if the list is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Render formats err for a terminal: the "file:line:col: msg" line, the
// source line, and a caret under the offending text (^ then ~ for the rest of
// the span on that line). Tabs in the source line are kept in the padding so
// the caret lines up in any tab width.
func Render(src *Source, err *Error) string {
	var b strings.Builder
	b.WriteString(err.Error())
	if src == nil || !err.Pos.IsValid() {
		return b.String()
	}
	off := err.Pos.Offset
	if err.Span[0].IsValid() {
		off = err.Span[0].Offset()
	}
	if off > len(src.Text) {
		off = len(src.Text)
	}
	line, start := src.LineText(off)
	b.WriteByte('\n')
	b.WriteString(line)
	b.WriteByte('\n')
	col := off - start
	if col > len(line) {
		col = len(line)
	}
	for _, r := range line[:col] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	if err.Span[1].IsValid() {
		end := err.Span[1].Offset()
		if end > start+len(line) {
			end = start + len(line)
		}
		if n := end - off; n > 1 {
			w := utf8.RuneCountInString(src.Text[off:end])
			b.WriteString(strings.Repeat("~", w-1))
		}
	}
	return b.String()
}
