package plan

import (
	"fmt"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// Node is a tabular operator of the plan.
type Node interface {
	Schema() vec.Schema
	Inputs() []Node
	// Describe returns a one-line description for plan printing.
	Describe() string
	nodeMarker()
}

// Scan reads a table from the data set: only Columns (names in the
// table's schema), in that order. Filters and Paths are hints for the
// reader (see PushDown).
type Scan struct {
	Table   string
	Columns vec.Schema
	Filters []ScanFilter
	// Paths maps a dynamic column to the only keys the query reads of it.
	Paths map[string][]string
}

type vecColumn = vec.Column

// Values is a constant table (datatable, the single row of print).
type Values struct {
	Cols vec.Schema
	Rows [][]any
}

// Range generates a single long, real, datetime or timespan column from
// From to To (inclusive) by Step.
type Range struct {
	Col            vec.Column
	From, To, Step Expr
}

// Filter keeps rows whose predicate is true (null counts as false).
type Filter struct {
	Input Node
	Pred  Expr
}

// Project computes a new row from each input row. It covers project,
// extend, project-away, project-rename, project-reorder and project-keep.
type Project struct {
	Input Node
	Exprs []Expr
	Names []string
}

// AggCall is one aggregate of an Aggregate node. Multi-column aggregates
// (arg_max, arg_min, take_any of several columns, percentiles) have more
// than one output column.
type AggCall struct {
	Name string
	Func *builtins.Func
	Args []Expr
	Out  vec.Schema
}

// Aggregate groups rows by Keys and computes Aggs per group. Output:
// key columns, then every aggregate's columns. With no keys it yields
// exactly one row, even for empty input.
type Aggregate struct {
	Input    Node
	Keys     []Expr
	KeyNames []string
	Aggs     []AggCall
}

// SortKey orders rows by an expression.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders all rows.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit passes the first N rows.
type Limit struct {
	Input Node
	N     int64
}

// Top keeps the first N rows in Keys order.
type Top struct {
	Input Node
	N     int64
	Keys  []SortKey
}

// JoinKind is a KQL join flavour.
type JoinKind string

// The join kinds of KQL.
const (
	InnerUnique JoinKind = "innerunique"
	Inner       JoinKind = "inner"
	LeftOuter   JoinKind = "leftouter"
	RightOuter  JoinKind = "rightouter"
	FullOuter   JoinKind = "fullouter"
	LeftAnti    JoinKind = "leftanti"
	RightAnti   JoinKind = "rightanti"
	LeftSemi    JoinKind = "leftsemi"
	RightSemi   JoinKind = "rightsemi"
)

// Join matches rows of Left and Right on equal keys. Out lists the output
// columns: for each, which side (0 left, 1 right) and column index.
type Join struct {
	Left, Right Node
	Kind        JoinKind
	LeftKeys    []int
	RightKeys   []int
	Out         vec.Schema
	OutSide     []int
	OutIndex    []int
}

// Union concatenates its inputs. Map[i][c] is the input column that feeds
// output column c from input i, or -1 for null. SourceCol, when >= 0, is
// filled with SourceNames[i].
type Union struct {
	Ins         []Node
	Out         vec.Schema
	Map         [][]int
	SourceCol   int
	SourceNames []string
}

// MvExpand expands dynamic arrays (or bags) in Cols into one row per
// element; several columns expand in lock step. ToTypes gives each
// expanded column's type (dynamic unless `to typeof(T)`). IndexCol, when
// >= 0 names an added item-index column (with_itemindex).
type MvExpand struct {
	Input     Node
	Cols      []int
	ToTypes   []types.Type
	BagMode   string // "bag" (default) or "array"
	Limit     int64  // 0 means no limit
	IndexName string // with_itemindex; "" for none
}

// Shared is a sub-plan that several parts of the query use (a materialized
// let); backends compute it once.
type Shared struct {
	ID    int
	Input Node
}

func (*Scan) nodeMarker()      {}
func (*Values) nodeMarker()    {}
func (*Range) nodeMarker()     {}
func (*Filter) nodeMarker()    {}
func (*Project) nodeMarker()   {}
func (*Aggregate) nodeMarker() {}
func (*Sort) nodeMarker()      {}
func (*Limit) nodeMarker()     {}
func (*Top) nodeMarker()       {}
func (*Join) nodeMarker()      {}
func (*Union) nodeMarker()     {}
func (*MvExpand) nodeMarker()  {}
func (*Shared) nodeMarker()    {}

func (n *Scan) Schema() vec.Schema   { return n.Columns }
func (n *Values) Schema() vec.Schema { return n.Cols }
func (n *Range) Schema() vec.Schema  { return vec.Schema{n.Col} }
func (n *Filter) Schema() vec.Schema { return n.Input.Schema() }
func (n *Project) Schema() vec.Schema {
	s := make(vec.Schema, len(n.Exprs))
	for i, e := range n.Exprs {
		s[i] = vec.Column{Name: n.Names[i], Type: e.Type()}
	}
	return s
}
func (n *Aggregate) Schema() vec.Schema {
	var s vec.Schema
	for i, k := range n.Keys {
		s = append(s, vec.Column{Name: n.KeyNames[i], Type: k.Type()})
	}
	for _, a := range n.Aggs {
		s = append(s, a.Out...)
	}
	return s
}
func (n *Sort) Schema() vec.Schema  { return n.Input.Schema() }
func (n *Limit) Schema() vec.Schema { return n.Input.Schema() }
func (n *Top) Schema() vec.Schema   { return n.Input.Schema() }
func (n *Join) Schema() vec.Schema  { return n.Out }
func (n *Union) Schema() vec.Schema { return n.Out }
func (n *MvExpand) Schema() vec.Schema {
	in := n.Input.Schema()
	s := append(vec.Schema(nil), in...)
	for i, c := range n.Cols {
		s[c].Type = n.ToTypes[i]
	}
	if n.IndexName != "" {
		s = append(s, vec.Column{Name: n.IndexName, Type: types.Long})
	}
	return s
}
func (n *Shared) Schema() vec.Schema { return n.Input.Schema() }

func (n *Scan) Inputs() []Node      { return nil }
func (n *Values) Inputs() []Node    { return nil }
func (n *Range) Inputs() []Node     { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) Inputs() []Node   { return []Node{n.Input} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Sort) Inputs() []Node      { return []Node{n.Input} }
func (n *Limit) Inputs() []Node     { return []Node{n.Input} }
func (n *Top) Inputs() []Node       { return []Node{n.Input} }
func (n *Join) Inputs() []Node      { return []Node{n.Left, n.Right} }
func (n *Union) Inputs() []Node     { return n.Ins }
func (n *MvExpand) Inputs() []Node  { return []Node{n.Input} }
func (n *Shared) Inputs() []Node    { return []Node{n.Input} }

func (n *Scan) Describe() string {
	d := "Scan " + n.Table + " " + n.Columns.String()
	for _, f := range n.Filters {
		if f.Values != nil {
			d += fmt.Sprintf(" [%s %s %v]", f.Column, f.Op, f.Values)
		} else {
			d += fmt.Sprintf(" [%s %s %v]", f.Column, f.Op, f.Value)
		}
	}
	cols := make([]string, 0, len(n.Paths))
	for c := range n.Paths {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		d += fmt.Sprintf(" [%s.%s]", c, strings.Join(n.Paths[c], ","))
	}
	return d
}
func (n *Values) Describe() string { return fmt.Sprintf("Values %s rows=%d", n.Cols, len(n.Rows)) }
func (n *Range) Describe() string {
	return fmt.Sprintf("Range %s from %s to %s step %s", n.Col.Name, n.From, n.To, n.Step)
}
func (n *Filter) Describe() string { return "Filter " + n.Pred.String() }
func (n *Project) Describe() string {
	parts := make([]string, len(n.Exprs))
	for i, e := range n.Exprs {
		if c, ok := e.(*ColRef); ok && c.Name == n.Names[i] {
			parts[i] = n.Names[i]
		} else {
			parts[i] = n.Names[i] + "=" + e.String()
		}
	}
	return "Project " + strings.Join(parts, ", ")
}
func (n *Aggregate) Describe() string {
	var parts []string
	for _, a := range n.Aggs {
		args := make([]string, len(a.Args))
		for i, x := range a.Args {
			args[i] = x.String()
		}
		parts = append(parts, a.Out[0].Name+"="+a.Name+"("+strings.Join(args, ", ")+")")
	}
	keys := make([]string, len(n.Keys))
	for i, k := range n.Keys {
		keys[i] = n.KeyNames[i] + "=" + k.String()
	}
	return "Aggregate " + strings.Join(parts, ", ") + " by " + strings.Join(keys, ", ")
}
func sortKeys(ks []SortKey) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		dir := "asc"
		if k.Desc {
			dir = "desc"
		}
		parts[i] = k.Expr.String() + " " + dir
	}
	return strings.Join(parts, ", ")
}
func (n *Sort) Describe() string  { return "Sort " + sortKeys(n.Keys) }
func (n *Limit) Describe() string { return fmt.Sprintf("Limit %d", n.N) }
func (n *Top) Describe() string   { return fmt.Sprintf("Top %d by %s", n.N, sortKeys(n.Keys)) }
func (n *Join) Describe() string {
	return fmt.Sprintf("Join kind=%s left%v right%v", n.Kind, n.LeftKeys, n.RightKeys)
}
func (n *Union) Describe() string    { return "Union " + n.Out.String() }
func (n *MvExpand) Describe() string { return fmt.Sprintf("MvExpand cols=%v", n.Cols) }
func (n *Shared) Describe() string   { return fmt.Sprintf("Shared #%d", n.ID) }

// Format prints a plan as an indented tree, one node per line.
func Format(n Node) string {
	var b strings.Builder
	var walk func(Node, int)
	walk = func(n Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.Describe())
		b.WriteByte('\n')
		for _, in := range n.Inputs() {
			walk(in, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}
