package hunttest

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"hunt/engine/vec"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/output"
	"hunt/query"
)

// Record is one test case of a script file.
type Record struct {
	Line    int
	Kind    string // "query" or "error"
	Query   string
	RowSort bool
	At      string
	Expect  []string // header then rows, for queries
	ErrRe   string
	// headerLine is the index of the "query"/"error" line, for rewriting.
	headerLine, endLine int
}

// Script is a parsed script file.
type Script struct {
	Path    string
	Lines   []string
	Tables  map[string]*vec.Batch
	Schemas map[string]vec.Schema
	Records []*Record
}

// Parse reads a script file.
func Parse(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Script{Path: path, Tables: map[string]*vec.Batch{}, Schemas: map[string]vec.Schema{}}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		s.Lines = append(s.Lines, sc.Text())
	}
	for i := 0; i < len(s.Lines); {
		line := s.Lines[i]
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
			i++
		case strings.HasPrefix(line, "table "):
			n, err := s.parseTable(i)
			if err != nil {
				return nil, err
			}
			i = n
		case strings.HasPrefix(line, "query"):
			r := &Record{Line: i + 1, Kind: "query", headerLine: i}
			for _, f := range strings.Fields(line)[1:] {
				switch {
				case f == "rowsort":
					r.RowSort = true
				case f == "at":
				default:
					r.At = f
				}
			}
			i++
			var q []string
			for i < len(s.Lines) && s.Lines[i] != "----" {
				q = append(q, s.Lines[i])
				i++
			}
			if i >= len(s.Lines) {
				return nil, fmt.Errorf("%s:%d: query without ----", path, r.Line)
			}
			i++ // ----
			for i < len(s.Lines) && s.Lines[i] != "" {
				r.Expect = append(r.Expect, s.Lines[i])
				i++
			}
			r.endLine = i
			r.Query = strings.Join(q, "\n")
			s.Records = append(s.Records, r)
		case strings.HasPrefix(line, "error"):
			r := &Record{Line: i + 1, Kind: "error", ErrRe: strings.TrimSpace(strings.TrimPrefix(line, "error")), headerLine: i}
			i++
			var q []string
			for i < len(s.Lines) && s.Lines[i] != "" {
				q = append(q, s.Lines[i])
				i++
			}
			r.endLine = i
			r.Query = strings.Join(q, "\n")
			s.Records = append(s.Records, r)
		default:
			return nil, fmt.Errorf("%s:%d: unexpected line %q", path, i+1, line)
		}
	}
	return s, nil
}

var tableHeader = regexp.MustCompile(`^table\s+(\w+)\s*\((.*)\)\s*$`)

func (s *Script) parseTable(i int) (int, error) {
	m := tableHeader.FindStringSubmatch(s.Lines[i])
	if m == nil {
		return 0, fmt.Errorf("%s:%d: want: table Name (col:type, ...)", s.Path, i+1)
	}
	var schema vec.Schema
	for _, c := range strings.Split(m[2], ",") {
		name, typ, ok := strings.Cut(strings.TrimSpace(c), ":")
		t, tok := types.Parse(typ)
		if !ok || !tok {
			return 0, fmt.Errorf("%s:%d: bad column %q", s.Path, i+1, c)
		}
		schema = append(schema, vec.Column{Name: strings.TrimSpace(name), Type: t})
	}
	b := vec.NewBuilder(schema, 0)
	i++
	for i < len(s.Lines) && s.Lines[i] != "" {
		cells := strings.Split(s.Lines[i], "\t")
		if len(cells) != len(schema) {
			return 0, fmt.Errorf("%s:%d: %d cells, table has %d columns", s.Path, i+1, len(cells), len(schema))
		}
		for c, cell := range cells {
			v, err := parseCell(cell, schema[c].Type)
			if err != nil {
				return 0, fmt.Errorf("%s:%d: column %s: %v", s.Path, i+1, schema[c].Name, err)
			}
			b.Cols[c].Append(v)
		}
		i++
	}
	s.Tables[m[1]] = &vec.Batch{Cols: b.Cols, N: b.Len()}
	s.Schemas[m[1]] = schema
	return i, nil
}

func parseCell(cell string, t types.Type) (any, error) {
	if cell == "<null>" {
		return nil, nil
	}
	if cell == "" && t != types.String {
		return nil, nil
	}
	switch t {
	case types.String:
		return cell, nil
	case types.Bool:
		switch cell {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	case types.Int, types.Long:
		var n int64
		if _, err := fmt.Sscanf(cell, "%d", &n); err == nil {
			return n, nil
		}
	case types.Real, types.Decimal:
		var f float64
		if _, err := fmt.Sscanf(cell, "%g", &f); err == nil {
			return f, nil
		}
	case types.DateTime:
		if t, ok := types.ParseDatetime(cell); ok {
			return types.DT(t), nil
		}
	case types.Timespan:
		if t, ok := types.ParseTimespan(cell); ok {
			return types.TS(t), nil
		}
	case types.Guid:
		if g, ok := types.ParseGuid(cell); ok {
			return g, nil
		}
	case types.Dynamic:
		v, err := types.ParseJSON([]byte(cell))
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, fmt.Errorf("bad %s value %q", t, cell)
}

// Outcome is what running a record produced.
type Outcome struct {
	Lines []string // header then rows
	Err   error
}

// Run executes one record's query against the script's tables.
func (s *Script) Run(r *Record) Outcome {
	opt := query.Options{Tables: s.Tables, TableSchemas: s.Schemas}
	if r.At != "" {
		t, err := time.Parse(time.RFC3339Nano, r.At)
		if err != nil {
			return Outcome{Err: fmt.Errorf("bad 'at' time: %v", err)}
		}
		opt.Now = t
	} else {
		opt.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	src := syntax.NewSource(fmt.Sprintf("%s:%d", s.Path, r.Line), r.Query)
	p, err := query.Prepare(src, opt)
	if err != nil {
		return Outcome{Err: err}
	}
	var header []string
	for _, c := range p.Schema() {
		header = append(header, c.Name+":"+c.Type.String())
	}
	out := Outcome{Lines: []string{strings.Join(header, "\t")}}
	var rows []string
	err = p.Run(func(b *vec.Batch) error {
		for i := 0; i < b.N; i++ {
			cells := make([]string, len(b.Cols))
			for c, v := range b.Cols {
				if v.IsNull(i) {
					cells[c] = "<null>"
				} else {
					cells[c] = output.Text(v, i)
				}
			}
			rows = append(rows, strings.Join(cells, "\t"))
		}
		return nil
	})
	if err != nil {
		return Outcome{Err: err}
	}
	if r.RowSort {
		sort.Strings(rows)
	}
	out.Lines = append(out.Lines, rows...)
	return out
}

// Expected returns the record's expected lines, rows sorted for rowsort.
func (r *Record) Expected() []string {
	if len(r.Expect) == 0 {
		return nil
	}
	out := append([]string{r.Expect[0]}, r.Expect[1:]...)
	if r.RowSort {
		sort.Strings(out[1:])
	}
	return out
}

// Rewrite returns the file text with each query's expected output
// replaced by got (indexed by record).
func (s *Script) Rewrite(got map[*Record][]string) string {
	var out []string
	i := 0
	for _, r := range s.Records {
		if r.Kind != "query" {
			continue
		}
		lines, ok := got[r]
		if !ok {
			continue
		}
		// copy up to and including the ---- line
		for ; i < len(s.Lines) && !(i > r.headerLine && s.Lines[i] == "----"); i++ {
			out = append(out, s.Lines[i])
		}
		out = append(out, "----")
		out = append(out, lines...)
		i = r.endLine
	}
	out = append(out, s.Lines[i:]...)
	return strings.Join(out, "\n") + "\n"
}
