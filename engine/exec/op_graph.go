package exec

// Graph operators: make-graph builds an in-memory graph; graph-match,
// graph-shortest-paths and graph-to-table read it (graph-mark-components
// adds a property on the way). A graph is not a table, so the graph plan
// nodes (plan.MakeGraph, plan.GraphMarkComponents) are not operators:
// each consumer builds the graph itself by walking that chain.
//
// Decisions where Kusto's documentation is silent:
//
//   - Nodes: the rows of the nodes tables in order (first table, then the
//     second), then the node ids met only in edges, in order of first
//     appearance (source before target, row by row). A node id seen again
//     (in the same or another nodes table) is merged into the first node:
//     the first non-null value of each property wins. Rows and edges
//     whose node id is null are dropped.
//   - Edges keep the input row order; adjacency lists are in that order.
//   - node_degree_in/out count edges (parallel edges and self-loops
//     included; a self-loop counts once in each). node_id() is the id as
//     a string. graph-to-table's with_*_id columns are hash(id).
//   - graph-match output order: matches are enumerated depth-first from an
//     anchor node variable (the one whose where conjuncts leave the fewest
//     nodes, else the first of the pattern) over nodes in node order, then
//     each pattern edge in input-edge order, shorter variable length paths
//     before their extensions.
//   - cycles=unique_edges (default): no edge appears twice in one match;
//     cycles=none: also, a variable length edge never visits a node twice
//     (its endpoints included); cycles=all: no restriction.
//   - Variable length edges whose pattern is written right to left, or
//     reached from their right end, still list their edges and inner
//     nodes in pattern order (left to right), as Kusto does.
//   - graph-shortest-paths finds, for each pair of (first, last) pattern
//     nodes, the paths of the smallest length in min..max that satisfy the
//     where clause; it only considers simple paths. output=any keeps the
//     first found in the order above; output=all keeps all of that length.
//   - graph-mark-components numbers components 0, 1, ... in order of each
//     component's first node.
//   - partitioned-by: one graph per distinct partition value, in order of
//     first appearance in the edges, then in the nodes tables; the body's
//     results are concatenated in that order.
//
// Memory: the graph and the result are held; both count against
// --max-memory. Matching explores partial matches depth-first, so it holds
// little, but their number can explode: it is bounded by --max-memory/64
// (or graphMaxPartials without a limit) and exceeding it is an error.

import (
	"fmt"
	"strconv"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// graphMaxPartials bounds the partial matches one graph-match may explore
// when --max-memory is not set.
const graphMaxPartials = 1 << 26

// graphData is one built graph.
type graphData struct {
	nodes    *vec.Batch // node properties, then in-degree, out-degree, id string
	nprops   int
	edges    *vec.Batch // edge properties (the edges table's columns)
	src, dst []int32
	out, in  [][]int32
	ids      []any
	idT      types.Type
	mem      int64
}

func (g *graphData) nnodes() int { return len(g.ids) }

func graphIDString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case types.DT:
		return types.FormatDatetime(int64(x))
	case types.TS:
		return types.FormatTimespan(int64(x))
	case types.GuidVal:
		return types.FormatGuid(x)
	}
	return fmt.Sprint(v)
}

func checkGraphMemory(ctx *Context, what string, mem int64) error {
	if ctx.MaxMemory > 0 && mem > ctx.MaxMemory {
		return fmt.Errorf("%s holds about %d MiB: %w (raise --max-memory)", what, mem>>20, ErrMemoryLimit)
	}
	return nil
}

// buildGraphs builds the graphs of a graph plan node: one, or one per
// partition.
func buildGraphs(ctx *Context, n plan.Node) ([]*graphData, error) {
	switch x := n.(type) {
	case *plan.MakeGraph:
		return makeGraphs(ctx, x)
	case *plan.GraphMarkComponents:
		gs, err := buildGraphs(ctx, x.Graph)
		if err != nil {
			return nil, err
		}
		props := plan.GraphNodeProps(x.Graph)
		at := props.Index(x.Prop)
		for _, g := range gs {
			markComponents(g, x.Strong, at)
		}
		return gs, nil
	}
	return nil, fmt.Errorf("exec: %T is not a graph", n)
}

func makeGraphs(ctx *Context, x *plan.MakeGraph) ([]*graphData, error) {
	edges, err := Collect(ctx, x.Edges)
	if err != nil {
		return nil, err
	}
	nodes := make([]*vec.Batch, len(x.Nodes))
	for i, in := range x.Nodes {
		if nodes[i], err = Collect(ctx, in); err != nil {
			return nil, err
		}
	}
	// Partition the rows.
	type part struct {
		edges []int
		nodes [][]int
	}
	var parts []*part
	if x.PartitionEdge < 0 {
		p := &part{nodes: make([][]int, len(nodes))}
		for r := 0; r < edges.N; r++ {
			p.edges = append(p.edges, r)
		}
		for i, b := range nodes {
			for r := 0; r < b.N; r++ {
				p.nodes[i] = append(p.nodes[i], r)
			}
		}
		parts = append(parts, p)
	} else {
		byKey := map[any]*part{}
		get := func(k any) *part {
			p, ok := byKey[k]
			if !ok {
				p = &part{nodes: make([][]int, len(nodes))}
				byKey[k] = p
				parts = append(parts, p)
			}
			return p
		}
		pc := edges.Cols[x.PartitionEdge]
		for r := 0; r < edges.N; r++ {
			p := get(graphKey(pc.Get(r)))
			p.edges = append(p.edges, r)
		}
		for i, b := range nodes {
			c := b.Cols[x.PartitionNodes[i]]
			for r := 0; r < b.N; r++ {
				p := get(graphKey(c.Get(r)))
				p.nodes[i] = append(p.nodes[i], r)
			}
		}
	}
	idT := x.Edges.Schema()[x.Src].Type
	var out []*graphData
	for _, p := range parts {
		g := &graphData{idT: idT, nprops: len(x.NodeProps)}
		index := map[any]int32{}
		var props [][]any
		node := func(id any) int32 {
			k := graphKey(id)
			if i, ok := index[k]; ok {
				return i
			}
			i := int32(len(g.ids))
			index[k] = i
			g.ids = append(g.ids, id)
			row := make([]any, len(x.NodeProps))
			if x.NodeIDProp >= 0 {
				row[x.NodeIDProp] = id
			}
			props = append(props, row)
			return i
		}
		for t, b := range nodes {
			key := b.Cols[x.NodeKeys[t]]
			for _, r := range p.nodes[t] {
				id := key.Get(r)
				if id == nil {
					continue
				}
				row := props[node(id)]
				for pi, col := range x.NodeMap[t] {
					if col >= 0 && row[pi] == nil {
						row[pi] = b.Cols[col].Get(r)
					}
				}
			}
		}
		var erows []int
		sc, dc := edges.Cols[x.Src], edges.Cols[x.Dst]
		for _, r := range p.edges {
			s, d := sc.Get(r), dc.Get(r)
			if s == nil || d == nil {
				continue
			}
			g.src = append(g.src, node(s))
			g.dst = append(g.dst, node(d))
			erows = append(erows, r)
		}
		g.edges = edges.Gather(erows)
		nn := len(g.ids)
		g.out = make([][]int32, nn)
		g.in = make([][]int32, nn)
		for e := range g.src {
			g.out[g.src[e]] = append(g.out[g.src[e]], int32(e))
			g.in[g.dst[e]] = append(g.in[g.dst[e]], int32(e))
		}
		cols := make([]*vec.Vec, 0, len(x.NodeProps)+3)
		for pi, c := range x.NodeProps {
			v := vec.New(c.Type, nn)
			for i := 0; i < nn; i++ {
				v.Append(props[i][pi])
			}
			cols = append(cols, v)
		}
		din, dout, ids := vec.New(types.Long, nn), vec.New(types.Long, nn), vec.New(types.String, nn)
		for i := 0; i < nn; i++ {
			din.Append(int64(len(g.in[i])))
			dout.Append(int64(len(g.out[i])))
			ids.Append(graphIDString(g.ids[i]))
		}
		g.nodes = &vec.Batch{Cols: append(cols, din, dout, ids), N: nn}
		g.mem = int64(nn)*int64(len(cols)+6)*16 + int64(len(erows))*int64(len(edges.Cols)+4)*16
		out = append(out, g)
	}
	var mem int64
	for _, g := range out {
		mem += g.mem
	}
	if err := checkGraphMemory(ctx, "make-graph", mem); err != nil {
		return nil, err
	}
	return out, nil
}

// graphKey makes a value usable as a map key.
func graphKey(v any) any {
	switch v.(type) {
	case nil, string, int64, float64, bool, types.DT, types.TS, types.GuidVal:
		return v
	}
	return "\x00" + fmt.Sprint(v)
}

// markComponents sets (at >= 0, an existing property) or appends the
// component index property of every node.
func markComponents(g *graphData, strong bool, at int) {
	nn := g.nnodes()
	comp := make([]int64, nn)
	if strong {
		comp = strongComponents(g)
	} else {
		parent := make([]int32, nn)
		for i := range parent {
			parent[i] = int32(i)
		}
		var find func(int32) int32
		find = func(i int32) int32 {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		for e := range g.src {
			a, b := find(g.src[e]), find(g.dst[e])
			if a != b {
				if a < b {
					parent[b] = a
				} else {
					parent[a] = b
				}
			}
		}
		for i := range comp {
			comp[i] = int64(find(int32(i)))
		}
	}
	// Renumber in order of first node.
	ids := map[int64]int64{}
	v := vec.New(types.Long, nn)
	for i := 0; i < nn; i++ {
		c, ok := ids[comp[i]]
		if !ok {
			c = int64(len(ids))
			ids[comp[i]] = c
		}
		v.Append(c)
	}
	cols := g.nodes.Cols
	if at >= 0 {
		cols[at] = v
		return
	}
	nc := make([]*vec.Vec, 0, len(cols)+1)
	nc = append(nc, cols[:g.nprops]...)
	nc = append(nc, v)
	nc = append(nc, cols[g.nprops:]...)
	g.nodes = &vec.Batch{Cols: nc, N: nn}
	g.nprops++
}

// strongComponents labels strongly connected components (iterative
// Tarjan); labels are arbitrary, markComponents renumbers them.
func strongComponents(g *graphData) []int64 {
	nn := g.nnodes()
	index := make([]int32, nn)
	low := make([]int32, nn)
	on := make([]bool, nn)
	comp := make([]int64, nn)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	var next int32
	var ncomp int64
	type frame struct {
		v int32
		i int
	}
	for s := 0; s < nn; s++ {
		if index[s] >= 0 {
			continue
		}
		call := []frame{{int32(s), 0}}
		index[s], low[s] = next, next
		next++
		stack = append(stack, int32(s))
		on[s] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.i < len(g.out[v]) {
				w := g.dst[g.out[v][f.i]]
				f.i++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{w, 0})
				} else if on[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
		}
	}
	return comp
}

// ---------------------------------------------------------------------------
// graph-to-table

type graphToTableOp struct {
	ctx *Context
	n   *plan.GraphToTable
	out resultBatches
}

func newGraphToTable(ctx *Context, n *plan.GraphToTable) (Operator, error) {
	return &graphToTableOp{ctx: ctx, n: n}, nil
}

func (o *graphToTableOp) Close() error { return nil }

func (o *graphToTableOp) Next() (*vec.Batch, error) {
	return o.out.serve(o.compute)
}

// graphHash returns hash(id) of the given nodes.
func graphHash(ctx *Context, g *graphData, nodes []int32) (*vec.Vec, error) {
	k, err := fn.NewScalar("hash", []builtins.Arg{{Type: g.idT}}, types.Long)
	if err != nil {
		return nil, err
	}
	v := vec.New(g.idT, len(nodes))
	for _, n := range nodes {
		v.Append(g.ids[n])
	}
	out, err := k(&ctx.Fn, []*vec.Vec{v}, len(nodes))
	if err != nil {
		return nil, err
	}
	if out.Const {
		out = out.Expand(len(nodes))
	}
	return out, nil
}

func (o *graphToTableOp) compute() error {
	gs, err := buildGraphs(o.ctx, o.n.Graph)
	if err != nil {
		return err
	}
	out := vec.NewBuilder(o.n.Schema(), 0)
	for _, g := range gs {
		var cols []*vec.Vec
		var n int
		if o.n.Edges {
			n = g.edges.N
			for _, want := range []struct {
				name string
				ids  []int32
			}{{o.n.SrcCol, g.src}, {o.n.DstCol, g.dst}} {
				if want.name == "" {
					continue
				}
				v, err := graphHash(o.ctx, g, want.ids)
				if err != nil {
					return err
				}
				cols = append(cols, v)
			}
			cols = append(cols, g.edges.Cols...)
		} else {
			n = g.nnodes()
			if o.n.IDCol != "" {
				all := make([]int32, n)
				for i := range all {
					all[i] = int32(i)
				}
				v, err := graphHash(o.ctx, g, all)
				if err != nil {
					return err
				}
				cols = append(cols, v)
			}
			cols = append(cols, g.nodes.Cols[:g.nprops]...)
		}
		if n > 0 {
			appendBatch(out.Cols, &vec.Batch{Cols: cols, N: n})
		}
	}
	o.out.b = &vec.Batch{Cols: out.Cols, N: out.Len()}
	return nil
}
