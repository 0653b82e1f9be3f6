package plan

import (
	"fmt"
	"strconv"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Reduce is the reduce operator: it clusters the string values of By into
// patterns in which '*' stands for the terms that vary (see
// engine/exec/op_reduce.go for the algorithm). Without Source the output
// is one row per pattern (Pattern, Count, Representative); with Source
// (kind=source) it is the input rows with a Pattern column appended.
type Reduce struct {
	Input Node
	// By is the value to reduce; the analyzer makes it a string.
	By Expr
	// Threshold is the fraction of the input rows (0 to 1) that the
	// number of distinct terms at a position must exceed for the position
	// to become a wildcard.
	Threshold float64
	// Chars are the term delimiters; DefaultChars means every ASCII
	// character that is not a letter or a digit.
	Chars        string
	DefaultChars bool
	Source       bool
	// PatternName is the name of the Pattern column with Source, made
	// unique among the input columns.
	PatternName string
}

func (*Reduce) nodeMarker()      {}
func (n *Reduce) Inputs() []Node { return []Node{n.Input} }

func (n *Reduce) Schema() vec.Schema {
	if n.Source {
		in := n.Input.Schema()
		s := make(vec.Schema, 0, len(in)+1)
		s = append(s, in...)
		return append(s, vec.Column{Name: n.PatternName, Type: types.String})
	}
	return vec.Schema{
		{Name: "Pattern", Type: types.String},
		{Name: "Count", Type: types.Long},
		{Name: "Representative", Type: types.String},
	}
}

func (n *Reduce) Describe() string {
	s := "Reduce"
	if n.Source {
		s += " kind=source"
	}
	s += fmt.Sprintf(" threshold=%g", n.Threshold)
	if !n.DefaultChars {
		s += " characters=" + strconv.Quote(n.Chars)
	}
	return s
}

// pruneReduce prunes below a Reduce: it reads only the columns of By,
// plus, with Source, the input columns required above it.
func pruneReduce(x *Reduce, req []bool) (Node, []int) {
	in := x.Input.Schema()
	r := make([]bool, len(in))
	if x.Source {
		copy(r, req[:len(in)])
	}
	markExpr(x.By, r)
	nin, cm := prune(x.Input, r)
	out := *x
	out.Input = nin
	out.By = remapExpr(x.By, cm)
	if !x.Source {
		return &out, identity(3)
	}
	m := make([]int, len(in)+1)
	copy(m, cm)
	m[len(in)] = len(nin.Schema())
	return &out, m
}
