// Package output writes result rows for people and for programs: aligned
// tables, JSON lines and CSV. The JSON encoding is hunt's contract with
// scripts: one object per row, keys in column order, datetimes as ISO 8601
// UTC with seven fraction digits, timespans in Kusto's [-][d.]hh:mm:ss[.f]
// form, dynamic values as nested JSON, null as null.
package output

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Writer receives result batches.
type Writer interface {
	Write(b *vec.Batch) error
	// Close flushes buffered output.
	Close() error
}

// AppendJSONValue appends row i of v as a JSON value.
func AppendJSONValue(buf []byte, v *vec.Vec, i int) []byte {
	if v.IsNull(i) {
		return append(buf, "null"...)
	}
	r := v.Row(i)
	switch v.Type {
	case types.Bool:
		if v.Bools[r] {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case types.Int, types.Long:
		return strconv.AppendInt(buf, v.Ints[r], 10)
	case types.Real, types.Decimal:
		return types.AppendJSONReal(buf, v.Reals[r])
	case types.String:
		return types.AppendJSONString(buf, v.Strs[r])
	case types.DateTime:
		buf = append(buf, '"')
		buf = types.AppendDatetime(buf, v.Ints[r])
		return append(buf, '"')
	case types.Timespan:
		buf = append(buf, '"')
		buf = types.AppendTimespan(buf, v.Ints[r])
		return append(buf, '"')
	case types.Guid:
		return types.AppendJSONString(buf, types.FormatGuid(v.Guids[r]))
	}
	return types.AppendJSON(buf, v.Dyns[r])
}

// Text returns row i of v as plain text: strings raw, dynamic values as
// compact JSON, null as "".
func Text(v *vec.Vec, i int) string {
	if v.IsNull(i) {
		return ""
	}
	r := v.Row(i)
	switch v.Type {
	case types.Bool:
		if v.Bools[r] {
			return "true"
		}
		return "false"
	case types.Int, types.Long:
		return strconv.FormatInt(v.Ints[r], 10)
	case types.Real, types.Decimal:
		return types.FormatReal(v.Reals[r])
	case types.String:
		return v.Strs[r]
	case types.DateTime:
		return types.FormatDatetime(v.Ints[r])
	case types.Timespan:
		return types.FormatTimespan(v.Ints[r])
	case types.Guid:
		return types.FormatGuid(v.Guids[r])
	}
	return types.DynString(v.Dyns[r])
}

// JSON writes JSON lines. Wrap, when set, surrounds each row object (hunt
// run writes {"rule":{...},"row":{...}}).
type JSON struct {
	w      *bufio.Writer
	keys   [][]byte
	prefix []byte
	suffix []byte
	buf    []byte
}

// NewJSON returns a JSON-lines writer for schema s.
func NewJSON(w io.Writer, s vec.Schema) *JSON {
	j := &JSON{w: bufio.NewWriterSize(w, 64<<10)}
	for i, c := range s {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = types.AppendJSONString(k, c.Name)
		k = append(k, ':')
		j.keys = append(j.keys, k)
	}
	return j
}

// SetWrap puts prefix before and suffix after every row object.
func (j *JSON) SetWrap(prefix, suffix string) {
	j.prefix, j.suffix = []byte(prefix), []byte(suffix)
}

// Write implements Writer.
func (j *JSON) Write(b *vec.Batch) error {
	for i := 0; i < b.N; i++ {
		j.buf = append(j.buf[:0], j.prefix...)
		j.buf = append(j.buf, '{')
		for c, v := range b.Cols {
			j.buf = append(j.buf, j.keys[c]...)
			j.buf = AppendJSONValue(j.buf, v, i)
		}
		j.buf = append(j.buf, '}')
		j.buf = append(j.buf, j.suffix...)
		j.buf = append(j.buf, '\n')
		if _, err := j.w.Write(j.buf); err != nil {
			return err
		}
	}
	return nil
}

// Close implements Writer.
func (j *JSON) Close() error { return j.w.Flush() }

// CSV writes a header row and one row per result row.
type CSV struct {
	w   *csv.Writer
	rec []string
}

// NewCSV returns a CSV writer for schema s; it writes the header at once.
func NewCSV(w io.Writer, s vec.Schema) (*CSV, error) {
	c := &CSV{w: csv.NewWriter(w), rec: make([]string, len(s))}
	return c, c.w.Write(s.Names())
}

// Write implements Writer.
func (c *CSV) Write(b *vec.Batch) error {
	for i := 0; i < b.N; i++ {
		for k, v := range b.Cols {
			c.rec[k] = Text(v, i)
		}
		if err := c.w.Write(c.rec); err != nil {
			return err
		}
	}
	return nil
}

// Close implements Writer.
func (c *CSV) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// Table buffers rows and prints them as an aligned table when closed.
// Cells longer than MaxCell are cut with an ellipsis so a wide dynamic
// value does not wreck the layout.
type Table struct {
	w       io.Writer
	schema  vec.Schema
	rows    [][]string
	MaxCell int
	// MaxRows bounds what is kept for display; the rest are counted.
	MaxRows int
	more    int
}

// NewTable returns a table writer.
func NewTable(w io.Writer, s vec.Schema) *Table {
	return &Table{w: w, schema: s, MaxCell: 60, MaxRows: 10000}
}

// Write implements Writer.
func (t *Table) Write(b *vec.Batch) error {
	for i := 0; i < b.N; i++ {
		if len(t.rows) >= t.MaxRows {
			t.more++
			continue
		}
		row := make([]string, len(b.Cols))
		for c, v := range b.Cols {
			row[c] = cell(Text(v, i), t.MaxCell)
		}
		t.rows = append(t.rows, row)
	}
	return nil
}

func cell(s string, max int) string {
	s = strings.NewReplacer("\n", "⏎", "\r", "", "\t", " ").Replace(s)
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return string(r[:max-1]) + "…"
	}
	return s
}

// Close implements Writer: it prints the table.
func (t *Table) Close() error {
	widths := make([]int, len(t.schema))
	for c, col := range t.schema {
		widths[c] = utf8.RuneCountInString(col.Name)
	}
	for _, r := range t.rows {
		for c, s := range r {
			widths[c] = max(widths[c], utf8.RuneCountInString(s))
		}
	}
	bw := bufio.NewWriter(t.w)
	line := func(cells []string) {
		for c, s := range cells {
			if c > 0 {
				bw.WriteString("  ")
			}
			bw.WriteString(s)
			if c < len(cells)-1 {
				bw.WriteString(strings.Repeat(" ", widths[c]-utf8.RuneCountInString(s)))
			}
		}
		bw.WriteByte('\n')
	}
	line(t.schema.Names())
	seps := make([]string, len(widths))
	for c, w := range widths {
		seps[c] = strings.Repeat("-", w)
	}
	line(seps)
	for _, r := range t.rows {
		line(r)
	}
	n := len(t.rows) + t.more
	suffix := "s"
	if n == 1 {
		suffix = ""
	}
	if t.more > 0 {
		bw.WriteString("(" + strconv.Itoa(n) + " row" + suffix + ", first " + strconv.Itoa(len(t.rows)) + " shown; use --format json or csv for all)\n")
	} else {
		bw.WriteString("(" + strconv.Itoa(n) + " row" + suffix + ")\n")
	}
	return bw.Flush()
}
