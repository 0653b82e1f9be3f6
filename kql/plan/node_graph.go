package plan

import (
	"fmt"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Graph nodes. MakeGraph and GraphMarkComponents are graph values: their
// "rows" are a graph, their Schema is empty, and only the graph consumers
// (GraphMatch, GraphToTable) may take them as input. A backend builds the
// graph when it runs a consumer, by walking the chain of graph nodes.

// MakeGraph builds a graph from Edges (one edge per row, endpoints in
// columns Src and Dst) and optional nodes tables (node id in NodeKeys[i]).
// NodeProps is the union of the nodes tables' columns; NodeMap[i][p] is the
// column of Nodes[i] feeding property p, or -1. With NodeIDProp >= 0 that
// property holds the node id (with_node_id). With PartitionEdge >= 0 one
// graph is built per distinct value of that edges column (and of
// PartitionNodes[i] in the nodes tables).
type MakeGraph struct {
	Edges          Node
	Src, Dst       int
	Nodes          []Node
	NodeKeys       []int
	NodeProps      vec.Schema
	NodeMap        [][]int
	NodeIDProp     int
	PartitionEdge  int
	PartitionNodes []int
}

// GraphMarkComponents adds property Prop (long) holding each node's
// connected component index (weak or Strong).
type GraphMarkComponents struct {
	Graph  Node
	Strong bool
	Prop   string
}

// GraphToTable returns the nodes (Edges false) or edges of a graph. IDCol,
// SrcCol and DstCol name the optional long node-hash columns put first.
type GraphToTable struct {
	Graph  Node
	Edges  bool
	IDCol  string
	SrcCol string
	DstCol string
}

// Graph pattern edge directions.
const (
	GraphRight = iota
	GraphLeft
	GraphAnyDir
)

// GraphEdgeSpec is one edge element of a pattern between node variables
// From and To (indexes into GraphMatch.NodeVars). Var indexes EdgeVars.
type GraphEdgeSpec struct {
	From, To int
	Var      int
	Dir      int
	Min, Max int  // path length bounds; 1..1 for a plain edge
	VarLen   bool // written with *
	Seq      int  // which comma-separated sequence it belongs to
}

// GraphColKind says what a binding column of GraphMatch holds.
type GraphColKind int

// Binding column kinds.
const (
	GraphNodeProp  GraphColKind = iota // node variable property
	GraphNodeDegIn                     // node_degree_in(var)
	GraphNodeDegOut
	GraphNodeID   // node_id(var), as a string
	GraphEdgeProp // single edge property
	GraphEdgeList // variable length edge property: dynamic array
	GraphAll      // all(var, Elem)
	GraphAnyOf    // any(var, Elem)
	GraphMap      // map(var, Elem)
)

// GraphElemHidden lists the hidden columns that follow the node
// properties in the element schema of inner nodes (see GraphCol.Elem).
var GraphElemHidden = []string{"\x00node_degree_in", "\x00node_degree_out", "\x00node_id"}

// GraphCol is one binding column of GraphMatch. Node columns use NodeVar,
// edge columns EdgeVar. For all/any/map, Elem is evaluated per element of
// the variable length edge: over the edge properties, or with Inner over
// the inner nodes' properties followed by the GraphElemHidden columns.
type GraphCol struct {
	Kind    GraphColKind
	Name    string
	Var     int
	Prop    int
	Inner   bool
	Elem    Expr
	T       types.Type
	NodeVar bool
}

// GraphMatch is graph-match (and graph-shortest-paths with Shortest): it
// finds every binding of the pattern's variables, keeps those for which
// Where holds (over Cols), and returns one row of Cols per binding. The
// analyzer puts the project expressions in a Project above it.
type GraphMatch struct {
	Graph    Node
	NodeVars []string
	EdgeVars []string
	Edges    []GraphEdgeSpec
	// Cycles is "unique_edges", "none" or "all".
	Cycles    string
	Cols      []GraphCol
	Where     Expr // or nil
	Shortest  bool
	OutputAll bool
}

func (*MakeGraph) nodeMarker()           {}
func (*GraphMarkComponents) nodeMarker() {}
func (*GraphToTable) nodeMarker()        {}
func (*GraphMatch) nodeMarker()          {}

func (n *MakeGraph) Schema() vec.Schema           { return nil }
func (n *GraphMarkComponents) Schema() vec.Schema { return nil }
func (n *GraphToTable) Schema() vec.Schema {
	var s vec.Schema
	if n.Edges {
		if n.SrcCol != "" {
			s = append(s, vec.Column{Name: n.SrcCol, Type: types.Long})
		}
		if n.DstCol != "" {
			s = append(s, vec.Column{Name: n.DstCol, Type: types.Long})
		}
		return append(s, GraphEdgeProps(n.Graph)...)
	}
	if n.IDCol != "" {
		s = append(s, vec.Column{Name: n.IDCol, Type: types.Long})
	}
	return append(s, GraphNodeProps(n.Graph)...)
}
func (n *GraphMatch) Schema() vec.Schema {
	s := make(vec.Schema, len(n.Cols))
	for i, c := range n.Cols {
		s[i] = vec.Column{Name: c.Name, Type: c.T}
	}
	return s
}

func (n *MakeGraph) Inputs() []Node {
	return append([]Node{n.Edges}, n.Nodes...)
}
func (n *GraphMarkComponents) Inputs() []Node { return []Node{n.Graph} }
func (n *GraphToTable) Inputs() []Node        { return []Node{n.Graph} }
func (n *GraphMatch) Inputs() []Node          { return []Node{n.Graph} }

func (n *MakeGraph) Describe() string {
	return fmt.Sprintf("MakeGraph src=%d dst=%d nodes=%d props=%s", n.Src, n.Dst, len(n.Nodes), n.NodeProps)
}
func (n *GraphMarkComponents) Describe() string {
	return fmt.Sprintf("GraphMarkComponents strong=%v prop=%s", n.Strong, n.Prop)
}
func (n *GraphToTable) Describe() string {
	if n.Edges {
		return "GraphToTable edges"
	}
	return "GraphToTable nodes"
}
func (n *GraphMatch) Describe() string {
	names := make([]string, len(n.Cols))
	for i, c := range n.Cols {
		names[i] = c.Name
	}
	d := "GraphMatch"
	if n.Shortest {
		d = "GraphShortestPaths"
	}
	d += " cycles=" + n.Cycles + " cols=[" + strings.Join(names, ", ") + "]"
	if n.Where != nil {
		d += " where " + n.Where.String()
	}
	return d
}

// IsGraph reports whether n is a graph value rather than a table.
func IsGraph(n Node) bool {
	switch n.(type) {
	case *MakeGraph, *GraphMarkComponents:
		return true
	}
	return false
}

// GraphNodeProps returns the node properties of graph g.
func GraphNodeProps(g Node) vec.Schema {
	switch x := g.(type) {
	case *MakeGraph:
		return x.NodeProps
	case *GraphMarkComponents:
		props := append(vec.Schema(nil), GraphNodeProps(x.Graph)...)
		if i := props.Index(x.Prop); i >= 0 {
			props[i].Type = types.Long
			return props
		}
		return append(props, vec.Column{Name: x.Prop, Type: types.Long})
	}
	return nil
}

// GraphEdgeProps returns the edge properties of graph g.
func GraphEdgeProps(g Node) vec.Schema {
	switch x := g.(type) {
	case *MakeGraph:
		return x.Edges.Schema()
	case *GraphMarkComponents:
		return GraphEdgeProps(x.Graph)
	}
	return nil
}

// pruneGraph prunes below the graph nodes: the graph exposes every column
// of its inputs as a property, so the inputs keep all their columns.
func pruneGraph(n Node) (Node, bool) {
	switch x := n.(type) {
	case *MakeGraph:
		c := *x
		c.Edges = PruneColumns(x.Edges)
		c.Nodes = make([]Node, len(x.Nodes))
		for i, in := range x.Nodes {
			c.Nodes[i] = PruneColumns(in)
		}
		return &c, true
	case *GraphMarkComponents:
		c := *x
		c.Graph, _ = pruneGraph(x.Graph)
		return &c, true
	case *GraphToTable:
		c := *x
		c.Graph, _ = pruneGraph(x.Graph)
		return &c, true
	case *GraphMatch:
		c := *x
		c.Graph, _ = pruneGraph(x.Graph)
		return &c, true
	}
	return n, false
}
