package alert

import (
	"sort"
	"strings"

	"hunt/kql/syntax"
	"hunt/rules"
)

// conditionText returns the rule's threshold as written: the predicates
// of the where operators after the query's last summarize, joined with
// "and" ("uploadedFiles > filesThreshold"). The plan has the values (lets
// are inlined); the text keeps the names a person recognises.
func conditionText(r *rules.Rule) string {
	if r.Source == nil {
		return ""
	}
	q, errs := syntax.Parse(r.Source)
	if len(errs) > 0 || len(q.Stmts) == 0 {
		return ""
	}
	var pipe *syntax.PipeExpr
	for i := len(q.Stmts) - 1; i >= 0 && pipe == nil; i-- {
		if s, ok := q.Stmts[i].(*syntax.ExprStmt); ok {
			pipe, _ = s.X.(*syntax.PipeExpr)
		}
	}
	if pipe == nil {
		return ""
	}
	last := -1
	for i, op := range pipe.Ops {
		if op.Name() == "summarize" {
			last = i
		}
	}
	if last < 0 {
		return ""
	}
	var parts []string
	for _, op := range pipe.Ops[last+1:] {
		if w, ok := op.(*syntax.WhereOp); ok {
			text := r.Source.Text[w.Pred.Pos().Offset():w.Pred.End().Offset()]
			parts = append(parts, strings.Join(strings.Fields(text), " "))
		}
	}
	return strings.Join(parts, " and ")
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
