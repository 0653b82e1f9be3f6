// Package alert turns a rule's result rows into alerts that say why they
// fired: a stable id, severity, tactics and techniques, entities, custom
// details, the time window, the group key and the threshold it crossed,
// and the evidence — the input events behind each row. It also reports
// what each tuning exclusion suppressed.
//
// Everything here works on the rule's analyzed plan: the evidence of a
// summarize result is found by running the plan below the final
// summarize again and keeping the rows of each alerting group.
package alert

import (
	"fmt"
	"strings"

	"hunt/kql/plan"
	"hunt/kql/types"
)

// Shape is how a rule's result rows relate to its input events.
type Shape struct {
	// Agg is the rule's final summarize; nil when the result rows are
	// input rows themselves (no summarize on the path from the result).
	Agg *plan.Aggregate
	// KeyCols gives, for each group key of Agg, the result column that
	// carries it.
	KeyCols []int
	// NoEvidence says why evidence cannot be found, when it cannot (the
	// result drops a group key, or the summarize feeds a join).
	NoEvidence string
	// Conds are the comparisons of aggregate values with constants between
	// the summarize and the result: the rule's threshold.
	Conds []Cond
	// TimeLow is the lower time bound of a filter right above a scan of
	// the time column (Timestamp > ago(1d) folded), in ticks; 0 if none.
	TimeLow int64
}

// Cond is one threshold comparison: Name Op Value.
type Cond struct {
	// Col is the result column holding Name, or -1 when the result drops
	// it.
	Col   int
	Name  string
	Op    string
	Value *plan.Const
}

var flipped = map[string]string{">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}

// Analyze finds the shape of the plan root.
func Analyze(root plan.Node) *Shape {
	s := &Shape{}
	s.TimeLow = timeLow(root)
	// m maps a column of the current node to the result column, or -1.
	m := make([]int, len(root.Schema()))
	for i := range m {
		m[i] = i
	}
	n := root
	for {
		switch x := n.(type) {
		case *plan.Filter:
			s.Conds = append(s.Conds, conds(x.Pred, m)...)
			n = x.Input
			continue
		case *plan.Sort:
			n = x.Input
			continue
		case *plan.Top:
			n = x.Input
			continue
		case *plan.Limit:
			n = x.Input
			continue
		case *plan.Project:
			in := make([]int, len(x.Input.Schema()))
			for i := range in {
				in[i] = -1
			}
			for i, e := range x.Exprs {
				if c, ok := e.(*plan.ColRef); ok && in[c.Index] < 0 {
					in[c.Index] = m[i]
				}
			}
			m = in
			n = x.Input
			continue
		case *plan.Aggregate:
			s.Agg = x
			for k, name := range x.KeyNames {
				if m[k] < 0 {
					s.NoEvidence = "the result does not carry the group key " + name
					s.Agg = nil
					break
				}
				s.KeyCols = append(s.KeyCols, m[k])
			}
			if s.Agg == nil {
				s.KeyCols = nil
			}
			// Conditions found above refer to aggregate outputs or keys;
			// keep those only.
			return s
		case *plan.Join, *plan.Union:
			if hasAggregate(n) {
				s.NoEvidence = "the summarize feeds a join or union"
			}
		default:
			if hasAggregate(n) {
				s.NoEvidence = "the summarize's rows are reshaped further (" + strings.TrimPrefix(fmt.Sprintf("%T", n), "*plan.") + ")"
			}
		}
		s.Conds = nil
		return s
	}
}

func hasAggregate(n plan.Node) bool {
	if _, ok := n.(*plan.Aggregate); ok {
		return true
	}
	for _, in := range n.Inputs() {
		if hasAggregate(in) {
			return true
		}
	}
	return false
}

// conds extracts column-versus-constant comparisons from a conjunction.
func conds(e plan.Expr, m []int) []Cond {
	c, ok := e.(*plan.Call)
	if !ok {
		return nil
	}
	if c.Name == "and" {
		var out []Cond
		for _, a := range c.Args {
			out = append(out, conds(a, m)...)
		}
		return out
	}
	op, ok := flipped[c.Name]
	if !ok || len(c.Args) != 2 {
		return nil
	}
	if col, ok := c.Args[0].(*plan.ColRef); ok {
		if k, ok := c.Args[1].(*plan.Const); ok {
			return []Cond{{Col: m[col.Index], Name: col.Name, Op: c.Name, Value: k}}
		}
	}
	if col, ok := c.Args[1].(*plan.ColRef); ok {
		if k, ok := c.Args[0].(*plan.Const); ok {
			return []Cond{{Col: m[col.Index], Name: col.Name, Op: op, Value: k}}
		}
	}
	return nil
}

// timeLow finds the rule's lookback: the latest constant lower bound on
// a datetime column in a filter, anywhere in the plan.
func timeLow(n plan.Node) int64 {
	var best int64
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if f, ok := n.(*plan.Filter); ok {
			for _, c := range conds(f.Pred, identity(len(f.Input.Schema()))) {
				if (c.Op == ">" || c.Op == ">=") && c.Value.T == types.DateTime && c.Value.Value != nil {
					if v, ok := c.Value.Value.(types.DT); ok && int64(v) > best {
						best = int64(v)
					}
				}
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return best
}

func identity(n int) []int {
	m := make([]int, n)
	for i := range m {
		m[i] = i
	}
	return m
}
