package syntax

// Graph operators: make-graph builds a graph from an edges table (and
// optional nodes tables); graph-match, graph-shortest-paths,
// graph-to-table and graph-mark-components consume it.

// GraphNodesRef is one "Table on KeyColumn" of make-graph's with clause.
// Table is a name or a tabular expression (written in parentheses).
type GraphNodesRef struct {
	Table Expr
	OnPos Pos
	Key   *Ident
}

// MakeGraphOp is "make-graph Src --> Dst [with T1 on K1 [, T2 on K2]]
// [with_node_id=Name] [partitioned-by Col (Body)]".
type MakeGraphOp struct {
	OpPos    Pos
	Src      *Ident
	ArrowPos Pos // position of "-->"
	Dst      *Ident
	WithPos  Pos // position of "with"; or NoPos
	Nodes    []*GraphNodesRef
	Params   []*NamedExpr // with_node_id=Name
	// PartitionBy, when not nil, is the partitioned-by column; Body holds
	// the graph operators applied to each partition's graph.
	PartitionBy *Ident
	Body        []Operator
	EndPos      Pos
}

// Edge directions of a graph pattern.
const (
	EdgeRight = iota // -[e]-> or -->
	EdgeLeft         // <-[e]- or <--
	EdgeAny          // -[e]- or --
)

// GraphNode is "(name)" or "()" in a graph pattern.
type GraphNode struct {
	Lparen Pos
	Name   *Ident // nil when anonymous
	Rparen Pos
}

// GraphEdge is an edge of a graph pattern: -[e]->, <-[e]-, -[e]-, the
// anonymous -->, <--, --, and variable length forms -[e*1..3]->. Min and
// Max are integer literals; Range marks "*" and Dots "min..max" (without
// Dots, "*n" means exactly n).
type GraphEdge struct {
	From    Pos
	Dir     int
	Bracket bool   // written with [...]
	Name    *Ident // or nil
	Range   bool
	Min     Expr // or nil
	Dots    bool
	Max     Expr // or nil
	To      Pos  // end of the edge
}

// GraphPattern is one sequence of a pattern: Nodes[0] Edges[0] Nodes[1] ...
type GraphPattern struct {
	Nodes []*GraphNode
	Edges []*GraphEdge
}

// GraphMatchOp is "graph-match [cycles=...] Patterns [where Where] project
// Project" or the same form of graph-shortest-paths [output=...].
type GraphMatchOp struct {
	OpPos      Pos
	Shortest   bool // graph-shortest-paths
	Params     []*NamedExpr
	Patterns   []*GraphPattern
	WherePos   Pos
	Where      Expr // or nil
	ProjectPos Pos
	Project    []Expr
	EndPos     Pos
}

// GraphToTableItem is "nodes|edges [as Name] [with_node_id=...]".
type GraphToTableItem struct {
	KindPos Pos
	Kind    string // "nodes" or "edges"
	Params  []*NamedExpr
	Alias   *Ident // or nil
	EndPos  Pos
}

// GraphToTableOp is "graph-to-table Items".
type GraphToTableOp struct {
	OpPos  Pos
	Items  []*GraphToTableItem
	EndPos Pos
}

// GraphMarkComponentsOp is "graph-mark-components [kind=...]
// [with_component_id=...]".
type GraphMarkComponentsOp struct {
	OpPos  Pos
	Params []*NamedExpr
	EndPos Pos
}

func (x *GraphNodesRef) Pos() Pos { return x.Table.Pos() }
func (x *GraphNodesRef) End() Pos { return x.Key.End() }
func (x *GraphNode) Pos() Pos     { return x.Lparen }
func (x *GraphNode) End() Pos     { return x.Rparen + 1 }
func (x *GraphEdge) Pos() Pos     { return x.From }
func (x *GraphEdge) End() Pos     { return x.To }
func (x *GraphPattern) Pos() Pos  { return x.Nodes[0].Pos() }
func (x *GraphPattern) End() Pos  { return x.Nodes[len(x.Nodes)-1].End() }
func (x *GraphToTableItem) Pos() Pos {
	return x.KindPos
}
func (x *GraphToTableItem) End() Pos { return x.EndPos }

func (x *MakeGraphOp) Pos() Pos           { return x.OpPos }
func (x *MakeGraphOp) End() Pos           { return x.EndPos }
func (x *GraphMatchOp) Pos() Pos          { return x.OpPos }
func (x *GraphMatchOp) End() Pos          { return x.EndPos }
func (x *GraphToTableOp) Pos() Pos        { return x.OpPos }
func (x *GraphToTableOp) End() Pos        { return x.EndPos }
func (x *GraphMarkComponentsOp) Pos() Pos { return x.OpPos }
func (x *GraphMarkComponentsOp) End() Pos { return x.EndPos }

func (*MakeGraphOp) Name() string { return "make-graph" }
func (x *GraphMatchOp) Name() string {
	if x.Shortest {
		return "graph-shortest-paths"
	}
	return "graph-match"
}
func (*GraphToTableOp) Name() string        { return "graph-to-table" }
func (*GraphMarkComponentsOp) Name() string { return "graph-mark-components" }

func (*MakeGraphOp) opNode()           {}
func (*GraphMatchOp) opNode()          {}
func (*GraphToTableOp) opNode()        {}
func (*GraphMarkComponentsOp) opNode() {}

func (x *MakeGraphOp) String() string           { return Format(x) }
func (x *GraphMatchOp) String() string          { return Format(x) }
func (x *GraphToTableOp) String() string        { return Format(x) }
func (x *GraphMarkComponentsOp) String() string { return Format(x) }

// IsGraphOperator reports whether op consumes a graph (everything that may
// follow make-graph).
func IsGraphOperator(op Operator) bool {
	switch op.(type) {
	case *GraphMatchOp, *GraphToTableOp, *GraphMarkComponentsOp:
		return true
	}
	return false
}
