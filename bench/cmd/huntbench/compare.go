package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// parseRows reads JSON lines; rows printed by `hunt run` are unwrapped
// from their {"rule":…,"row":…} envelope.
func parseRows(out []byte) ([]map[string]any, error) {
	var rows []map[string]any
	for i, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(line))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			return nil, fmt.Errorf("output line %d: %v: %.200s", i+1, err, line)
		}
		if inner, ok := m["row"].(map[string]any); ok && m["rule"] != nil {
			m = inner
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// canonical renders the compared columns of each row as one string, so
// that two results are equal when their sorted canonical rows are.
func (c *benchCase) canonical(rows []map[string]any) ([]string, error) {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(c.cols))
		for j, col := range c.cols {
			v, ok := r[col]
			if !ok {
				return nil, fmt.Errorf("row %d has no column %q (it has %s)", i+1, col, strings.Join(keys(r), ", "))
			}
			parts[j] = canonValue(v, slices.Contains(c.sets, col))
		}
		out[i] = strings.Join(parts, " | ")
	}
	slices.Sort(out)
	return out, nil
}

func keys(m map[string]any) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

func canonValue(v any, set bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return strconv.FormatInt(n, 10)
		}
		f, _ := x.Float64()
		return strconv.FormatFloat(f, 'g', 12, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		el := make([]string, len(x))
		for i, e := range x {
			el[i] = canonValue(e, false)
		}
		if set {
			slices.Sort(el)
		}
		return "[" + strings.Join(el, ",") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// compareResults checks that hunt and DuckDB returned the same rows and
// describes the first differences when they did not.
func (c *benchCase) compareResults(huntOut, duckOut []byte) (int, error) {
	hr, err := parseRows(huntOut)
	if err != nil {
		return 0, fmt.Errorf("hunt: %w", err)
	}
	dr, err := parseRows(duckOut)
	if err != nil {
		return 0, fmt.Errorf("duckdb: %w", err)
	}
	h, err := c.canonical(hr)
	if err != nil {
		return 0, fmt.Errorf("hunt: %w", err)
	}
	d, err := c.canonical(dr)
	if err != nil {
		return 0, fmt.Errorf("duckdb: %w", err)
	}
	if slices.Equal(h, d) {
		return len(h), nil
	}
	onlyH, onlyD := difference(h, d), difference(d, h)
	var b strings.Builder
	fmt.Fprintf(&b, "results differ: hunt %d rows, DuckDB %d rows (columns: %s)", len(h), len(d), strings.Join(c.cols, " | "))
	for _, side := range []struct {
		name string
		rows []string
	}{{"only hunt", onlyH}, {"only DuckDB", onlyD}} {
		for i, r := range side.rows {
			if i == 5 {
				fmt.Fprintf(&b, "\n  %s: ... %d more", side.name, len(side.rows)-5)
				break
			}
			fmt.Fprintf(&b, "\n  %s: %s", side.name, r)
		}
	}
	return 0, fmt.Errorf("%s", b.String())
}

// difference returns the rows of a not matched in b (both sorted),
// counting duplicates.
func difference(a, b []string) []string {
	var out []string
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}
