package sema

import (
	"fmt"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

const graphResultMsg = "make-graph returns a graph, which must be followed by a graph operator (graph-match, graph-shortest-paths, graph-to-table, graph-mark-components)"

// graphVarLenMax bounds the upper end of a variable length edge.
const graphVarLenMax = 64

// graphOperator analyzes make-graph and the graph operators.
func (a *analyzer) graphOperator(n plan.Node, op syntax.Operator) plan.Node {
	if x, ok := op.(*syntax.MakeGraphOp); ok {
		return a.makeGraph(n, x)
	}
	if !plan.IsGraph(n) {
		a.errorSpan(op.Pos(), op.End(), false, "%s needs a graph as input; build one with make-graph", op.Name())
		return nil
	}
	switch x := op.(type) {
	case *syntax.GraphMatchOp:
		return a.graphMatch(n, x)
	case *syntax.GraphToTableOp:
		return a.graphToTable(n, x)
	case *syntax.GraphMarkComponentsOp:
		return a.graphMarkComponents(n, x)
	}
	a.unsupported(op, "the "+op.Name()+" operator")
	return nil
}

func (a *analyzer) graphColumn(s vec.Schema, id *syntax.Ident, what string) int {
	i := s.Index(id.Name)
	if i < 0 {
		a.errorSpan(id.Pos(), id.End(), false, "make-graph: unknown %s column '%s'%s", what, id.Name, suggest(id.Name, s.Names()))
	}
	return i
}

func (a *analyzer) makeGraph(n plan.Node, x *syntax.MakeGraphOp) plan.Node {
	if plan.IsGraph(n) {
		a.errorSpan(x.Pos(), x.End(), false, "make-graph needs a table of edges as input, not a graph")
		return nil
	}
	es := n.Schema()
	src := a.graphColumn(es, x.Src, "source node id")
	dst := a.graphColumn(es, x.Dst, "target node id")
	if src < 0 || dst < 0 {
		return nil
	}
	idT := es[src].Type
	if es[dst].Type != idT {
		a.errorSpan(x.Src.Pos(), x.Dst.End(), false, "make-graph: the source column '%s' is %s but the target column '%s' is %s; node ids need one type", x.Src.Name, idT, x.Dst.Name, es[dst].Type)
		return nil
	}
	if idT == types.Dynamic {
		a.errorSpan(x.Src.Pos(), x.Dst.End(), false, "make-graph: node ids cannot be dynamic; convert them with tostring() or tolong()")
		return nil
	}
	mg := &plan.MakeGraph{Edges: n, Src: src, Dst: dst, NodeIDProp: -1, PartitionEdge: -1}
	var schemas []vec.Schema
	for _, ref := range x.Nodes {
		t := a.tabular(unparen(ref.Table))
		if t == nil {
			return nil
		}
		if plan.IsGraph(t) {
			a.errorSpan(ref.Table.Pos(), ref.Table.End(), false, "make-graph: a nodes table cannot be a graph")
			return nil
		}
		s := t.Schema()
		k := s.Index(ref.Key.Name)
		if k < 0 {
			a.errorSpan(ref.Key.Pos(), ref.Key.End(), false, "make-graph: unknown node id column '%s'%s", ref.Key.Name, suggest(ref.Key.Name, s.Names()))
			return nil
		}
		if s[k].Type != idT {
			a.errorSpan(ref.Key.Pos(), ref.Key.End(), false, "make-graph: the node id column '%s' is %s but the edges' node ids are %s", ref.Key.Name, s[k].Type, idT)
			return nil
		}
		mg.Nodes = append(mg.Nodes, t)
		mg.NodeKeys = append(mg.NodeKeys, k)
		schemas = append(schemas, s)
	}
	for _, s := range schemas {
		for _, c := range s {
			if i := mg.NodeProps.Index(c.Name); i >= 0 {
				if mg.NodeProps[i].Type != c.Type {
					mg.NodeProps[i].Type = types.Dynamic
				}
				continue
			}
			mg.NodeProps = append(mg.NodeProps, c)
		}
	}
	for _, s := range schemas {
		m := make([]int, len(mg.NodeProps))
		for p, c := range mg.NodeProps {
			m[p] = s.Index(c.Name)
		}
		mg.NodeMap = append(mg.NodeMap, m)
	}
	for _, p := range x.Params {
		if len(p.Names) != 1 || strings.HasPrefix(strings.ToLower(p.Names[0].Name), "hint.") {
			continue
		}
		v, _ := paramValue([]*syntax.NamedExpr{p}, p.Names[0].Name)
		if len(x.Nodes) > 0 {
			a.errorSpan(p.Pos(), p.End(), false, "make-graph: with_node_id cannot be combined with nodes tables")
			return nil
		}
		if v == "" {
			a.errorSpan(p.Pos(), p.End(), false, "make-graph: with_node_id needs a property name")
			return nil
		}
		mg.NodeProps = vec.Schema{{Name: v, Type: idT}}
		mg.NodeIDProp = 0
	}
	if x.PartitionBy == nil {
		return mg
	}
	col := x.PartitionBy.Name
	if mg.PartitionEdge = es.Index(col); mg.PartitionEdge < 0 {
		a.errorSpan(x.PartitionBy.Pos(), x.PartitionBy.End(), false, "make-graph: the partitioned-by column '%s' is not in the edges table", col)
		return nil
	}
	for i, s := range schemas {
		k := s.Index(col)
		if k < 0 {
			a.errorSpan(x.Nodes[i].Pos(), x.Nodes[i].End(), false, "make-graph: the partitioned-by column '%s' is not in this nodes table; the edges and all nodes tables must contain it", col)
			return nil
		}
		mg.PartitionNodes = append(mg.PartitionNodes, k)
	}
	var out plan.Node = mg
	for _, o := range x.Body {
		if _, isBad := o.(*syntax.BadOperator); isBad {
			return nil
		}
		if !syntax.IsGraphOperator(o) || !plan.IsGraph(out) {
			a.errorSpan(o.Pos(), o.End(), true, "partitioned-by: %s is not supported here; the body must be graph-mark-components operators followed by one graph-match, graph-shortest-paths or graph-to-table", o.Name())
			return nil
		}
		if gt, ok := o.(*syntax.GraphToTableOp); ok && len(gt.Items) > 1 {
			a.errorSpan(o.Pos(), o.End(), true, "partitioned-by: graph-to-table of both nodes and edges is not supported")
			return nil
		}
		if out = a.graphOperator(out, o); out == nil {
			return nil
		}
	}
	if plan.IsGraph(out) {
		a.errorSpan(x.Pos(), x.End(), false, "partitioned-by: the body must end with graph-match, graph-shortest-paths or graph-to-table")
		return nil
	}
	return out
}

func (a *analyzer) graphMarkComponents(g plan.Node, x *syntax.GraphMarkComponentsOp) plan.Node {
	out := &plan.GraphMarkComponents{Graph: g, Prop: "ComponentId"}
	for _, p := range x.Params {
		if len(p.Names) != 1 {
			continue
		}
		name := strings.ToLower(p.Names[0].Name)
		v, _ := paramValue([]*syntax.NamedExpr{p}, p.Names[0].Name)
		switch name {
		case "kind":
			switch strings.ToLower(v) {
			case "weak":
			case "strong":
				out.Strong = true
			default:
				a.errorSpan(p.Pos(), p.End(), false, "graph-mark-components: kind must be weak or strong, got '%s'", v)
				return nil
			}
		case "with_component_id":
			if v == "" {
				a.errorSpan(p.Pos(), p.End(), false, "graph-mark-components: with_component_id needs a property name")
				return nil
			}
			out.Prop = v
		}
	}
	return out
}

func (a *analyzer) graphToTable(g plan.Node, x *syntax.GraphToTableOp) plan.Node {
	var first plan.Node
	seen := map[string]bool{}
	for _, it := range x.Items {
		if seen[it.Kind] {
			a.errorSpan(it.Pos(), it.End(), false, "graph-to-table: %s is listed twice", it.Kind)
			return nil
		}
		seen[it.Kind] = true
		t := &plan.GraphToTable{Graph: g, Edges: it.Kind == "edges"}
		for _, p := range it.Params {
			if len(p.Names) != 1 {
				continue
			}
			name := strings.ToLower(p.Names[0].Name)
			v, _ := paramValue([]*syntax.NamedExpr{p}, p.Names[0].Name)
			if strings.HasPrefix(name, "hint.") {
				continue
			}
			if v == "" {
				a.errorSpan(p.Pos(), p.End(), false, "graph-to-table: %s needs a column name", name)
				return nil
			}
			switch {
			case name == "with_node_id" && !t.Edges:
				t.IDCol = v
			case name == "with_source_id" && t.Edges:
				t.SrcCol = v
			case name == "with_target_id" && t.Edges:
				t.DstCol = v
			default:
				a.errorSpan(p.Pos(), p.End(), false, "graph-to-table: %s does not apply to %s", name, it.Kind)
				return nil
			}
		}
		names := map[string]bool{}
		for _, c := range t.Schema() {
			if names[c.Name] {
				a.errorSpan(it.Pos(), it.End(), false, "graph-to-table: the output would have two columns named '%s'", c.Name)
				return nil
			}
			names[c.Name] = true
		}
		if len(x.Items) > 1 && it.Alias == nil {
			a.errorSpan(it.Pos(), it.End(), false, "graph-to-table of both nodes and edges needs 'as Name' for each")
			return nil
		}
		if it.Alias != nil {
			a.scope.names[it.Alias.Name] = &binding{kind: bindTabular, node: t}
		}
		if first == nil {
			first = t
		}
	}
	return first
}

// graphFuncs are the graph functions; a projected call of one is named
// after the function.
var graphFuncs = map[string]bool{
	"all": true, "any": true, "map": true, "inner_nodes": true,
	"node_degree_in": true, "node_degree_out": true, "node_id": true,
}

func (a *analyzer) graphVarLen(e syntax.Expr) (int, bool) {
	lit, ok := e.(*syntax.Literal)
	if !ok {
		a.errorSpan(e.Pos(), e.End(), false, "a variable length edge needs integer bounds")
		return 0, false
	}
	v, err := strconv.Atoi(lit.Value)
	if err != nil || v < 0 || v > graphVarLenMax {
		a.errorSpan(e.Pos(), e.End(), false, "variable length edge bound %s is out of range (0 to %d)", lit.Value, graphVarLenMax)
		return 0, false
	}
	return v, true
}

func (a *analyzer) graphMatch(g plan.Node, x *syntax.GraphMatchOp) plan.Node {
	gm := &plan.GraphMatch{Graph: g, Cycles: "unique_edges", Shortest: x.Shortest}
	what := x.Name()
	for _, p := range x.Params {
		if len(p.Names) != 1 {
			continue
		}
		name := strings.ToLower(p.Names[0].Name)
		v, _ := paramValue([]*syntax.NamedExpr{p}, p.Names[0].Name)
		v = strings.ToLower(v)
		switch {
		case strings.HasPrefix(name, "hint."):
		case name == "cycles" && (v == "all" || v == "none" || v == "unique_edges"):
			gm.Cycles = v
		case name == "output" && (v == "any" || v == "all"):
			gm.OutputAll = v == "all"
		default:
			a.errorSpan(p.Pos(), p.End(), false, "%s: bad parameter %s=%s (cycles=all|none|unique_edges for graph-match, output=any|all for graph-shortest-paths)", what, name, v)
			return nil
		}
	}
	nodeIdx := map[string]int{}
	edgeIdx := map[string]int{}
	ok := true
	nodeVar := func(n *syntax.GraphNode) int {
		if n.Name == nil {
			gm.NodeVars = append(gm.NodeVars, "")
			return len(gm.NodeVars) - 1
		}
		name := n.Name.Name
		if _, dup := edgeIdx[name]; dup {
			a.errorSpan(n.Pos(), n.End(), false, "%s: '%s' names both an edge and a node", what, name)
			ok = false
		}
		if i, seen := nodeIdx[name]; seen {
			return i
		}
		gm.NodeVars = append(gm.NodeVars, name)
		nodeIdx[name] = len(gm.NodeVars) - 1
		return nodeIdx[name]
	}
	for si, pat := range x.Patterns {
		if len(pat.Nodes) != len(pat.Edges)+1 {
			return nil // the parser reported it
		}
		prev := nodeVar(pat.Nodes[0])
		for i, e := range pat.Edges {
			next := nodeVar(pat.Nodes[i+1])
			spec := plan.GraphEdgeSpec{From: prev, To: next, Dir: e.Dir, Min: 1, Max: 1, Seq: si}
			if e.Range {
				spec.VarLen = true
				lo, ok1 := a.graphVarLen(e.Min)
				hi := lo
				ok2 := true
				if e.Dots {
					hi, ok2 = a.graphVarLen(e.Max)
				}
				if !ok1 || !ok2 {
					return nil
				}
				if hi < lo {
					a.errorSpan(e.Pos(), e.End(), false, "%s: variable length edge range %d..%d is empty", what, lo, hi)
					return nil
				}
				spec.Min, spec.Max = lo, hi
			}
			name := ""
			if e.Name != nil {
				name = e.Name.Name
				if _, dup := edgeIdx[name]; dup {
					a.errorSpan(e.Pos(), e.End(), false, "%s: edge variable '%s' is used twice", what, name)
					return nil
				}
				if _, dup := nodeIdx[name]; dup {
					a.errorSpan(e.Pos(), e.End(), false, "%s: '%s' names both a node and an edge", what, name)
					return nil
				}
				edgeIdx[name] = len(gm.EdgeVars)
			}
			spec.Var = len(gm.EdgeVars)
			gm.EdgeVars = append(gm.EdgeVars, name)
			gm.Edges = append(gm.Edges, spec)
			prev = next
		}
	}
	if !ok {
		return nil
	}
	// The patterns must form one connected component.
	comp := make([]int, len(gm.NodeVars))
	for i := range comp {
		comp[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for comp[i] != i {
			comp[i] = comp[comp[i]]
			i = comp[i]
		}
		return i
	}
	for _, e := range gm.Edges {
		comp[find(e.From)] = find(e.To)
	}
	for i := range comp {
		if find(i) != find(0) {
			a.errorSpan(x.Patterns[0].Pos(), x.Patterns[len(x.Patterns)-1].End(), false, "%s: the patterns must form one connected component (share node variables)", what)
			return nil
		}
	}
	if x.Shortest {
		nvar := 0
		for _, e := range gm.Edges {
			if e.VarLen {
				nvar++
			}
		}
		if len(x.Patterns) != 1 || nvar != 1 {
			a.errorSpan(x.Patterns[0].Pos(), x.Patterns[len(x.Patterns)-1].End(), true, "graph-shortest-paths: only a single sequence with exactly one variable length edge is supported")
			return nil
		}
	}

	np := plan.GraphNodeProps(g)
	ep := plan.GraphEdgeProps(g)
	elemNodes := append(vec.Schema(nil), np...)
	elemNodes = append(elemNodes,
		vec.Column{Name: plan.GraphElemHidden[0], Type: types.Long},
		vec.Column{Name: plan.GraphElemHidden[1], Type: types.Long},
		vec.Column{Name: plan.GraphElemHidden[2], Type: types.String})
	keys := map[string]int{}
	addCol := func(c plan.GraphCol, key string) plan.Expr {
		if key != "" {
			if i, seen := keys[key]; seen {
				return &plan.ColRef{Index: i, Name: c.Name, T: c.T}
			}
			keys[key] = len(gm.Cols)
		}
		gm.Cols = append(gm.Cols, c)
		return &plan.ColRef{Index: len(gm.Cols) - 1, Name: c.Name, T: c.T}
	}
	inElem, inInner := false, false
	a.graphMember = func(m *syntax.MemberExpr, r *row) (plan.Expr, bool) {
		id, isID := m.X.(*syntax.Ident)
		if !isID || r.find(id.Name) >= 0 {
			return nil, false
		}
		prop := m.Name.Name
		vi, isNode := nodeIdx[id.Name]
		ei, isEdge := edgeIdx[id.Name]
		if !isNode && !isEdge {
			return nil, false
		}
		if inElem {
			a.errorSpan(m.Pos(), m.End(), false, "inside all(), any() and map(), refer to the properties of the edge or inner node by name only (not %s.%s)", id.Name, prop)
			return bad(), true
		}
		if isNode {
			pi := np.Index(prop)
			if pi < 0 {
				a.errorSpan(m.Pos(), m.End(), false, "graph node '%s' has no property '%s'%s", id.Name, prop, suggest(prop, np.Names()))
				return bad(), true
			}
			return addCol(plan.GraphCol{Kind: plan.GraphNodeProp, Name: id.Name + "." + prop, Var: vi, Prop: pi, T: np[pi].Type, NodeVar: true}, fmt.Sprintf("n%d.%d", vi, pi)), true
		}
		pi := ep.Index(prop)
		if pi < 0 {
			a.errorSpan(m.Pos(), m.End(), false, "graph edge '%s' has no property '%s'%s", id.Name, prop, suggest(prop, ep.Names()))
			return bad(), true
		}
		c := plan.GraphCol{Kind: plan.GraphEdgeProp, Name: id.Name + "." + prop, Var: ei, Prop: pi, T: ep[pi].Type}
		if gm.Edges[ei].VarLen {
			c.Kind, c.T = plan.GraphEdgeList, types.Dynamic
		}
		return addCol(c, fmt.Sprintf("e%d.%d", ei, pi)), true
	}
	a.graphCall = func(c *syntax.CallExpr, r *row) (plan.Expr, bool) {
		name := c.Fun.Name
		if !graphFuncs[name] {
			return nil, false
		}
		switch name {
		case "node_degree_in", "node_degree_out", "node_id":
			k := map[string]int{"node_degree_in": 0, "node_degree_out": 1, "node_id": 2}[name]
			if len(c.Args) == 0 {
				if inInner {
					i := r.find(plan.GraphElemHidden[k])
					return r.exprs[i], true
				}
				a.errorSpan(c.Pos(), c.End(), false, "%s() without an argument is only allowed inside all(), any() or map() over inner_nodes()", name)
				return bad(), true
			}
			id, isID := c.Args[0].(*syntax.Ident)
			var vi int
			if isID {
				vi, isID = nodeIdx[id.Name]
			}
			if len(c.Args) != 1 || !isID {
				a.errorSpan(c.Pos(), c.End(), false, "%s() takes a node variable of the pattern", name)
				return bad(), true
			}
			if inElem {
				a.errorSpan(c.Pos(), c.End(), false, "inside all(), any() and map(), call %s() without an argument", name)
				return bad(), true
			}
			kinds := []plan.GraphColKind{plan.GraphNodeDegIn, plan.GraphNodeDegOut, plan.GraphNodeID}
			t := types.Long
			if k == 2 {
				t = types.String
			}
			return addCol(plan.GraphCol{Kind: kinds[k], Name: name + "(" + id.Name + ")", Var: vi, T: t, NodeVar: true}, fmt.Sprintf("%s%d", name, vi)), true
		case "inner_nodes":
			a.errorSpan(c.Pos(), c.End(), false, "inner_nodes() can only be the first argument of all(), any() or map()")
			return bad(), true
		}
		// all, any, map
		if len(c.Args) != 2 {
			a.errorSpan(c.Pos(), c.End(), false, "%s() takes a variable length edge (or inner_nodes(edge)) and an expression", name)
			return bad(), true
		}
		if inElem {
			a.errorSpan(c.Pos(), c.End(), false, "all(), any() and map() cannot be nested")
			return bad(), true
		}
		first, inner := c.Args[0], false
		if call, isCall := first.(*syntax.CallExpr); isCall && call.Fun.Name == "inner_nodes" && len(call.Args) == 1 {
			first, inner = call.Args[0], true
		}
		id, isID := first.(*syntax.Ident)
		var ei int
		if isID {
			ei, isID = edgeIdx[id.Name]
		}
		if !isID {
			a.errorSpan(c.Args[0].Pos(), c.Args[0].End(), false, "%s(): the first argument must be a variable length edge of the pattern or inner_nodes(edge)", name)
			return bad(), true
		}
		if !gm.Edges[ei].VarLen {
			a.errorSpan(c.Args[0].Pos(), c.Args[0].End(), false, "%s(): '%s' is not a variable length edge (write it as -[%s*min..max]->)", name, id.Name, id.Name)
			return bad(), true
		}
		es := ep
		if inner {
			es = elemNodes
		}
		inElem, inInner = true, inner
		e := a.scalar(c.Args[1], rowOf(es))
		inElem, inInner = false, false
		if isBad(e) {
			return bad(), true
		}
		col := plan.GraphCol{Var: ei, Inner: inner, Elem: e, Name: name + "(" + id.Name + ")", T: types.Bool}
		switch name {
		case "all", "any":
			col.Kind = plan.GraphAll
			if name == "any" {
				col.Kind = plan.GraphAnyOf
			}
			switch e.Type() {
			case types.Bool:
			case types.Dynamic, types.Unknown:
				col.Elem = a.call(c.Args[1], "tobool", []plan.Expr{e})
			default:
				a.errorSpan(c.Args[1].Pos(), c.Args[1].End(), false, "%s() needs a bool condition, got %s", name, e.Type())
				return bad(), true
			}
		default:
			col.Kind, col.T = plan.GraphMap, types.Dynamic
		}
		return addCol(col, ""), true
	}
	defer func() { a.graphMember, a.graphCall = nil, nil }()

	if x.Where != nil {
		pred := a.scalar(x.Where, &row{})
		if isBad(pred) {
			return nil
		}
		switch pred.Type() {
		case types.Bool, types.Unknown:
		case types.Dynamic:
			pred = a.call(x.Where, "tobool", []plan.Expr{pred})
		default:
			a.errorSpan(x.Where.Pos(), x.Where.End(), false, "%s: where needs a bool predicate, got %s", what, pred.Type())
			return nil
		}
		gm.Where = pred
	}
	var names []string
	var exprs []plan.Expr
	taken := map[string]bool{}
	autoN := 0
	for _, c := range x.Project {
		name, ex := "", c
		if ne, isNamed := c.(*syntax.NamedExpr); isNamed {
			if len(ne.Names) != 1 {
				a.errorSpan(ne.Pos(), ne.End(), false, "%s: project takes name = expression", what)
				return nil
			}
			name, ex = ne.Names[0].Name, ne.X
		}
		e := a.scalar(ex, &row{})
		if isBad(e) {
			return nil
		}
		if name == "" {
			if call, isCall := ex.(*syntax.CallExpr); isCall && graphFuncs[call.Fun.Name] {
				name = call.Fun.Name
			} else {
				name = exprName(ex)
			}
		}
		if name == "" {
			for {
				autoN++
				name = "Column" + strconv.Itoa(autoN)
				if !taken[name] {
					break
				}
			}
		}
		name = uniqueName(name, taken)
		names = append(names, name)
		exprs = append(exprs, e)
	}
	return &plan.Project{Input: gm, Exprs: exprs, Names: names}
}
