package ruletest

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"hunt/engine/vec"
	"hunt/kql/types"
	"hunt/output"
)

// check compares a result with the expectations and returns the problems.
func check(s vec.Schema, b *vec.Batch, e *Expect) []string {
	var out []string
	if e.Count != nil && b.N != *e.Count {
		out = append(out, fmt.Sprintf("count: got %d row(s), want %d\n%s", b.N, *e.Count, show(s, b, nil)))
	}
	if e.Rows != nil {
		cols, err := columnsOf(s, e.Rows)
		if err != "" {
			return append(out, "rows: "+err)
		}
		if msg := matchRows(s, b, e.Rows, cols, e.Ordered, true); msg != "" {
			out = append(out, "rows: "+msg)
		}
	}
	if e.Contains != nil {
		cols, err := columnsOf(s, e.Contains)
		if err != "" {
			return append(out, "contains: "+err)
		}
		if msg := matchRows(s, b, e.Contains, cols, false, false); msg != "" {
			out = append(out, "contains: "+msg)
		}
	}
	return out
}

// columnsOf lists the result columns the expected rows name, in result
// order; an unknown name is an error.
func columnsOf(s vec.Schema, rows []map[string]any) ([]int, string) {
	named := map[int]bool{}
	for _, r := range rows {
		for k := range r {
			c := s.Index(k)
			if c < 0 {
				return nil, fmt.Sprintf("the result has no column %q (columns: %s)", k, strings.Join(s.Names(), ", "))
			}
			named[c] = true
		}
	}
	var cols []int
	for c := range s {
		if named[c] {
			cols = append(cols, c)
		}
	}
	return cols, ""
}

// matchRows pairs each expected row with a distinct result row that
// agrees on every column it names. exact also requires as many result
// rows as expected ones.
func matchRows(s vec.Schema, b *vec.Batch, want []map[string]any, cols []int, ordered, exact bool) string {
	if exact && b.N != len(want) {
		return fmt.Sprintf("got %d row(s), want %d\n%s", b.N, len(want), show(s, b, cols))
	}
	if ordered {
		for i, w := range want {
			if i >= b.N {
				return fmt.Sprintf("row %d is missing\n%s", i+1, show(s, b, cols))
			}
			if d := rowDiff(s, b, i, w); d != "" {
				return fmt.Sprintf("row %d: %s\n%s", i+1, d, show(s, b, cols))
			}
		}
		return ""
	}
	used := make([]bool, b.N)
	for i, w := range want {
		found := false
		for r := 0; r < b.N && !found; r++ {
			if !used[r] && rowDiff(s, b, r, w) == "" {
				used[r], found = true, true
			}
		}
		if !found {
			return fmt.Sprintf("no result row matches expected row %d %s\n%s", i+1, describe(w), show(s, b, cols))
		}
	}
	return ""
}

// rowDiff returns "" when result row i has every value of w, else the
// first difference.
func rowDiff(s vec.Schema, b *vec.Batch, i int, w map[string]any) string {
	for _, k := range sortedNames(w) {
		c := s.Index(k)
		if !valueEqual(b.Cols[c], i, w[k]) {
			return fmt.Sprintf("%s: got %s, want %s", k, output.Text(b.Cols[c], i), describeValue(w[k]))
		}
	}
	return ""
}

// valueEqual compares row i of v with a value decoded from YAML, reading
// the YAML value as the column's type: datetimes and timespans from their
// text, numbers across int and real, dynamic values as JSON.
func valueEqual(v *vec.Vec, i int, want any) bool {
	if want == nil {
		return v.IsNull(i) || (v.Type == types.String && v.Get(i) == "")
	}
	if v.IsNull(i) {
		return false
	}
	got := v.Get(i)
	switch v.Type {
	case types.Bool:
		w, ok := want.(bool)
		return ok && w == got.(bool)
	case types.Int, types.Long:
		switch w := want.(type) {
		case int:
			return int64(w) == got.(int64)
		case float64:
			return w == float64(got.(int64))
		case string:
			n, err := strconv.ParseInt(w, 10, 64)
			return err == nil && n == got.(int64)
		}
		return false
	case types.Real, types.Decimal:
		g := got.(float64)
		var w float64
		switch x := want.(type) {
		case int:
			w = float64(x)
		case float64:
			w = x
		case string:
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return false
			}
			w = f
		default:
			return false
		}
		return g == w || math.Abs(g-w) <= 1e-9*math.Max(math.Abs(g), math.Abs(w))
	case types.DateTime:
		switch w := want.(type) {
		case time.Time:
			return types.FromTime(w) == int64(got.(types.DT))
		case string:
			t, ok := types.ParseDatetime(w)
			return ok && t == int64(got.(types.DT))
		}
		return false
	case types.Timespan:
		w, ok := want.(string)
		if !ok {
			return false
		}
		t, ok := types.ParseTimespan(w)
		return ok && t == int64(got.(types.TS))
	case types.Guid:
		w, ok := want.(string)
		return ok && strings.EqualFold(w, types.FormatGuid(got.(types.GuidVal)))
	case types.String:
		return fmt.Sprint(want) == got.(string)
	}
	// dynamic: compare as JSON values.
	var g any
	if err := json.Unmarshal(types.AppendJSON(nil, got), &g); err != nil {
		return false
	}
	return reflect.DeepEqual(g, jsonValue(want))
}

// jsonValue turns a YAML-decoded value into what encoding/json decodes.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func describe(w map[string]any) string {
	var parts []string
	for _, k := range sortedNames(w) {
		parts = append(parts, k+": "+describeValue(w[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// show renders the result (the columns cols, or all) for a failure
// message, at most 20 rows.
func show(s vec.Schema, b *vec.Batch, cols []int) string {
	if cols == nil {
		cols = make([]int, len(s))
		for i := range cols {
			cols[i] = i
		}
	}
	sub := make(vec.Schema, len(cols))
	bb := &vec.Batch{N: min(b.N, 20)}
	for i, c := range cols {
		sub[i] = s[c]
		bb.Cols = append(bb.Cols, b.Cols[c].Slice(0, bb.N))
	}
	var sb strings.Builder
	sb.WriteString("got:\n")
	t := output.NewTable(&sb, sub)
	t.MaxCell = 50
	t.Write(bb)
	t.Close()
	if b.N > 20 {
		fmt.Fprintf(&sb, "(and %d more rows)\n", b.N-20)
	}
	return strings.TrimRight(indent(sb.String(), "  "), "\n")
}

func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
