package plan

import (
	"fmt"
	"strings"

	"hunt/engine/vec"
)

// TopNestedLevel is one clause of top-nested. Of and the Aggs' arguments
// read the input row; By reads the Aggs' outputs, numbered in order, so
// that an algebraic combination of aggregates ranks the groups.
type TopNestedLevel struct {
	Of     Expr
	OfName string
	Aggs   []AggCall
	By     Expr
	ByName string
	// N is how many groups to keep per parent group; negative keeps all.
	N int64
	// Others, when set, is the Of value of an extra row per parent that
	// aggregates every group that did not make the top N.
	Others *Const
	Desc   bool
}

// TopNested is the top-nested operator: hierarchical top-N aggregation.
// Output: per level the Of value and the ranking aggregate, one row per
// group of the last level (or per others row, whose deeper levels are
// null).
type TopNested struct {
	Input  Node
	Levels []TopNestedLevel
}

func (*TopNested) nodeMarker() {}

func (n *TopNested) Schema() vec.Schema {
	var s vec.Schema
	for _, l := range n.Levels {
		s = append(s, vec.Column{Name: l.OfName, Type: l.Of.Type()}, vec.Column{Name: l.ByName, Type: l.By.Type()})
	}
	return s
}

func (n *TopNested) Inputs() []Node { return []Node{n.Input} }

func (n *TopNested) Describe() string {
	var parts []string
	for _, l := range n.Levels {
		n := "all"
		if l.N >= 0 {
			n = fmt.Sprint(l.N)
		}
		s := fmt.Sprintf("%s of %s by %s", n, l.OfName, l.ByName)
		if l.Desc {
			s += " desc"
		} else {
			s += " asc"
		}
		if l.Others != nil {
			s += " with others"
		}
		parts = append(parts, s)
	}
	return "TopNested " + strings.Join(parts, ", ")
}
