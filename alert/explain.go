package alert

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/output"
)

// Explain writes the alerts of one rule for a person: per alert the group
// key, the count against the threshold, the entities, and the events
// behind it with the columns that tell the story (time, what was
// counted, and what the rule computed: file, origin, target, ...).
func Explain(w io.Writer, alerts []*Alert, ruleLabel string) error {
	var b strings.Builder
	switch len(alerts) {
	case 0:
		fmt.Fprintf(&b, "%s: no alerts\n", ruleLabel)
	case 1:
		fmt.Fprintf(&b, "%s: 1 alert\n", ruleLabel)
	default:
		fmt.Fprintf(&b, "%s: %d alerts\n", ruleLabel, len(alerts))
	}
	for i, a := range alerts {
		fmt.Fprintf(&b, "\nalert %d of %d  id %s  severity %s\n", i+1, len(alerts), a.ID, a.Severity)
		if a.WindowStart != 0 {
			fmt.Fprintf(&b, "  window     %s .. %s\n", types.FormatDatetime(a.WindowStart), types.FormatDatetime(a.WindowEnd))
		}
		if len(a.Group) > 0 {
			fmt.Fprintf(&b, "  group      %s\n", a.pairs(a.Group))
		}
		if line := a.thresholdLine(); line != "" {
			fmt.Fprintf(&b, "  threshold  %s\n", line)
		}
		for _, e := range a.Entities {
			var ids []string
			for _, id := range e.Identifiers {
				ids = append(ids, id.Name+"="+a.Value(id.Col))
			}
			fmt.Fprintf(&b, "  entity     %s (%s)\n", e.Type, strings.Join(ids, ", "))
		}
		for _, d := range a.Details {
			fmt.Fprintf(&b, "  detail     %s = %s\n", d.Name, clip(a.Value(d.Col), 100))
		}
		a.explainEvents(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (a *Alert) pairs(cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = a.Schema[c].Name + " = " + a.Value(c)
	}
	return strings.Join(parts, ", ")
}

// thresholdLine reads "uploadedFiles > filesThreshold: uploadedFiles = 14 > 10".
func (a *Alert) thresholdLine() string {
	var checks []string
	for _, c := range a.Conds {
		v := "?"
		if c.Col >= 0 {
			v = a.Value(c.Col)
		}
		checks = append(checks, fmt.Sprintf("%s = %s %s %s", c.Name, v, c.Op, output.Text(vec.Constant(c.Value.T, c.Value.Value), 0)))
	}
	if len(checks) == 0 {
		return ""
	}
	if a.Condition != "" {
		return a.Condition + ": " + strings.Join(checks, ", ")
	}
	return strings.Join(checks, ", ")
}

func (a *Alert) explainEvents(b *strings.Builder) {
	e := a.Evidence
	if e == nil {
		if a.NoEvidence != "" {
			fmt.Fprintf(b, "  events     not available: %s\n", a.NoEvidence)
		}
		return
	}
	noun := "events"
	if e.Total == 1 {
		noun = "event"
	}
	if e.HasTime {
		fmt.Fprintf(b, "  events     %d %s from %s to %s\n", e.Total, noun, types.FormatDatetime(e.First), types.FormatDatetime(e.Last))
	} else {
		fmt.Fprintf(b, "  events     %d %s\n", e.Total, noun)
	}
	cols := a.EventCols
	rows := [][]string{make([]string, len(cols))}
	for j, c := range cols {
		rows[0][j] = a.EventSchema[c].Name
	}
	for i := 0; i < e.Events.N; i++ {
		r := make([]string, len(cols))
		for j, c := range cols {
			r[j] = clip(output.Text(e.Events.Cols[c], i), 60)
		}
		rows = append(rows, r)
	}
	widths := make([]int, len(cols))
	for _, r := range rows {
		for j, s := range r {
			widths[j] = max(widths[j], utf8.RuneCountInString(s))
		}
	}
	for _, r := range rows {
		b.WriteString("    ")
		for j, s := range r {
			b.WriteString(s)
			if j < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(s)+2))
			}
		}
		b.WriteByte('\n')
	}
	if more := e.Total - e.Events.N; more > 0 {
		fmt.Fprintf(b, "    ... and %d more\n", more)
	}
}

func clip(s string, n int) string {
	s = strings.NewReplacer("\n", "⏎", "\r", "", "\t", " ").Replace(s)
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		return string(r[:n-1]) + "…"
	}
	return s
}

// eventColumns picks the evidence columns to show a person: the event's
// time, the columns the summarize aggregates (what was counted), then the
// other plain columns when there are few (a rule that projects what it
// needs), else the columns the rule computed from the raw event (names
// no input table has: file, origin, target). Group keys are shown once,
// above.
func eventColumns(sh *Shape, s vec.Schema, timeCol int) []int {
	var out []int
	seen := map[int]bool{}
	add := func(c int) {
		if c >= 0 && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	add(timeCol)
	if sh.Agg == nil {
		for c, col := range s {
			if len(out) < 8 && col.Type != types.Dynamic {
				add(c)
			}
		}
		return out
	}
	keys := map[int]bool{}
	for _, k := range sh.Agg.Keys {
		for _, c := range plan.Columns(k) {
			keys[c] = true
		}
	}
	for _, ac := range sh.Agg.Aggs {
		for _, e := range ac.Args {
			for _, c := range plan.Columns(e) {
				if !keys[c] {
					add(c)
				}
			}
		}
	}
	base := map[string]bool{}
	var scans func(plan.Node)
	scans = func(n plan.Node) {
		if sc, ok := n.(*plan.Scan); ok {
			for _, c := range sc.Columns {
				base[c.Name] = true
			}
		}
		for _, in := range n.Inputs() {
			scans(in)
		}
	}
	scans(sh.Agg.Input)
	// fromTable: a column the input table has (a join renames a clashing
	// column Name1: still the table's).
	fromTable := func(name string) bool { return base[name] || base[strings.TrimRight(name, "0123456789")] }
	// Whole dynamic columns of the table (RawEventData) are too wide to
	// show; values the rule took out of them (origin, target) are not.
	var plain []int
	for c, col := range s {
		if !keys[c] && !(col.Type == types.Dynamic && fromTable(col.Name)) {
			plain = append(plain, c)
		}
	}
	if len(plain) <= 8 {
		for _, c := range plain {
			add(c)
		}
		return out
	}
	for _, c := range plain {
		if !fromTable(s[c].Name) {
			add(c)
		}
	}
	return out
}
