package exec

// graph-match and graph-shortest-paths; see op_graph.go for the decisions
// on order, cycles and memory.

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

type graphMatchOp struct {
	ctx   *Context
	n     *plan.GraphMatch
	where evaluator
	elems []evaluator // per column: all/any/map element expression
	out   resultBatches
	// listElems counts the list elements of the rows appended so far.
	listElems int64
}

func newGraphMatch(ctx *Context, n *plan.GraphMatch) (Operator, error) {
	o := &graphMatchOp{ctx: ctx, n: n, elems: make([]evaluator, len(n.Cols))}
	var err error
	if n.Where != nil {
		if o.where, err = compile(ctx, n.Where); err != nil {
			return nil, err
		}
	}
	for i, c := range n.Cols {
		if c.Elem != nil {
			if o.elems[i], err = compile(ctx, c.Elem); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

func (o *graphMatchOp) Close() error { return nil }

func (o *graphMatchOp) Next() (*vec.Batch, error) {
	return o.out.serve(o.compute)
}

func (o *graphMatchOp) compute() error {
	gs, err := buildGraphs(o.ctx, o.n.Graph)
	if err != nil {
		return err
	}
	out := vec.NewBuilder(o.n.Schema(), 0)
	budget := int64(graphMaxPartials)
	if o.ctx.MaxMemory > 0 {
		budget = o.ctx.MaxMemory / 64
	}
	var graphMem int64
	for _, g := range gs {
		graphMem += g.mem
	}
	for _, g := range gs {
		m, err := newMatcher(o, g, out)
		if err != nil {
			return err
		}
		m.budget = &budget
		m.graphMem = graphMem
		if o.n.Shortest {
			err = m.runShortest()
		} else {
			err = m.run()
		}
		if err != nil {
			return err
		}
	}
	o.out.b = &vec.Batch{Cols: out.Cols, N: out.Len()}
	return nil
}

// matchRec is one complete binding.
type matchRec struct {
	nodes []int32   // per node variable
	edges []int32   // per edge variable (single edges)
	paths [][]int32 // per edge variable (variable length): edges, pattern order
	inner [][]int32 // per edge variable: inner nodes, pattern order
}

type matcher struct {
	o        *graphMatchOp
	n        *plan.GraphMatch
	g        *graphData
	out      *vec.Builder
	budget   *int64
	graphMem int64

	steps      []int
	anchor     int
	allowNode  [][]bool // per node variable; nil allows all
	allowEdge  [][]bool // per edge variable
	allowInner [][]bool // per edge variable: inner nodes of its paths
	nodeOf     []int32
	edgeOf     []int32
	paths      [][]int32
	inner      [][]int32
	edgeUsed   []int32

	pending []matchRec
	// accept, when set, filters the rows that pass where (shortest paths).
	accept func(r *matchRec) bool
	// fixLen, when >= 0, forces the variable length edge's length.
	fixLen int
}

func newMatcher(o *graphMatchOp, g *graphData, out *vec.Builder) (*matcher, error) {
	n := o.n
	m := &matcher{o: o, n: n, g: g, out: out, fixLen: -1,
		allowNode:  make([][]bool, len(n.NodeVars)),
		allowEdge:  make([][]bool, len(n.EdgeVars)),
		allowInner: make([][]bool, len(n.EdgeVars)),
		nodeOf:     make([]int32, len(n.NodeVars)),
		edgeOf:     make([]int32, len(n.EdgeVars)),
		paths:      make([][]int32, len(n.EdgeVars)),
		inner:      make([][]int32, len(n.EdgeVars)),
		edgeUsed:   make([]int32, g.edges.N),
	}
	if err := m.pushFilters(); err != nil {
		return nil, err
	}
	// Anchor: the node variable with the fewest allowed nodes.
	best := -1
	for v, a := range m.allowNode {
		if a == nil {
			continue
		}
		c := 0
		for _, ok := range a {
			if ok {
				c++
			}
		}
		if best < 0 || c < best {
			best, m.anchor = c, v
		}
	}
	// Step order: repeatedly the first pattern edge with a bound end.
	bound := make([]bool, len(n.NodeVars))
	bound[m.anchor] = true
	done := make([]bool, len(n.Edges))
	for len(m.steps) < len(n.Edges) {
		for i, e := range n.Edges {
			if !done[i] && (bound[e.From] || bound[e.To]) {
				done[i] = true
				bound[e.From], bound[e.To] = true, true
				m.steps = append(m.steps, i)
				break
			}
		}
	}
	return m, nil
}

// pushFilters evaluates the where conjuncts that depend on a single node
// variable, a single edge or all(e, ...) once per node or edge, so that
// matching skips what can never pass. The conjuncts stay in where.
func (m *matcher) pushFilters() error {
	if m.n.Where == nil {
		return nil
	}
	var conj []plan.Expr
	var split func(e plan.Expr)
	split = func(e plan.Expr) {
		if c, ok := e.(*plan.Call); ok && c.Name == "and" && len(c.Args) == 2 {
			split(c.Args[0])
			split(c.Args[1])
			return
		}
		conj = append(conj, e)
	}
	split(m.n.Where)
	for _, e := range conj {
		cols := plan.Columns(e)
		if len(cols) == 0 {
			continue
		}
		if _, ok := e.(*plan.Subquery); ok {
			continue
		}
		c0 := m.n.Cols[cols[0]]
		if c0.Kind == plan.GraphAll && len(cols) == 1 {
			if ref, ok := e.(*plan.ColRef); ok && ref.Index == cols[0] {
				src := m.g.edges
				dst := &m.allowEdge[c0.Var]
				if c0.Inner {
					src, dst = m.g.nodes, &m.allowInner[c0.Var]
				}
				mask, err := m.evalMask(c0.Elem, src)
				if err != nil {
					return err
				}
				*dst = andMask(*dst, mask)
			}
			continue
		}
		nodeCol := func(c plan.GraphCol) (int, bool) {
			switch c.Kind {
			case plan.GraphNodeProp:
				return c.Prop, true
			case plan.GraphNodeDegIn:
				return m.g.nprops, true
			case plan.GraphNodeDegOut:
				return m.g.nprops + 1, true
			case plan.GraphNodeID:
				return m.g.nprops + 2, true
			}
			return 0, false
		}
		ok := true
		idx := map[int]int{}
		for _, ci := range cols {
			c := m.n.Cols[ci]
			if c.Var != c0.Var || c.NodeVar != c0.NodeVar {
				ok = false
				break
			}
			if c0.NodeVar {
				k, isNode := nodeCol(c)
				ok = ok && isNode
				idx[ci] = k
			} else {
				ok = ok && c.Kind == plan.GraphEdgeProp
				idx[ci] = c.Prop
			}
		}
		if !ok {
			continue
		}
		re := plan.Remap(e, func(i int) int { return idx[i] })
		if c0.NodeVar {
			mask, err := m.evalMask(re, m.g.nodes)
			if err != nil {
				return err
			}
			m.allowNode[c0.Var] = andMask(m.allowNode[c0.Var], mask)
		} else {
			mask, err := m.evalMask(re, m.g.edges)
			if err != nil {
				return err
			}
			m.allowEdge[c0.Var] = andMask(m.allowEdge[c0.Var], mask)
		}
	}
	return nil
}

func andMask(a, b []bool) []bool {
	if a == nil {
		return b
	}
	for i := range a {
		a[i] = a[i] && b[i]
	}
	return a
}

// evalMask evaluates a bool expression over every row of b.
func (m *matcher) evalMask(e plan.Expr, b *vec.Batch) ([]bool, error) {
	mask := make([]bool, b.N)
	if b.N == 0 {
		return mask, nil
	}
	ev, err := compile(m.o.ctx, e)
	if err != nil {
		return nil, err
	}
	v, err := ev.eval(b)
	if err != nil {
		return nil, err
	}
	if v.Type != types.Bool {
		for i := range mask {
			mask[i] = true
		}
		return mask, nil
	}
	for i := range mask {
		mask[i] = !v.IsNull(i) && v.Bools[v.Row(i)]
	}
	return mask, nil
}

func (m *matcher) spend() error { return m.spendN(1) }

// spendN charges n units of work to the budget: one per partial match
// explored, and one per path element a complete match copies.
func (m *matcher) spendN(n int) error {
	*m.budget -= int64(n)
	if *m.budget < 0 {
		return fmt.Errorf("%s explored too many partial matches (the limit follows --max-memory): %w (narrow the pattern, lower the variable length bounds, or raise --max-memory)", m.opName(), ErrMemoryLimit)
	}
	return nil
}

func (m *matcher) opName() string {
	if m.n.Shortest {
		return "graph-shortest-paths"
	}
	return "graph-match"
}

func (m *matcher) run() error {
	for i := range m.nodeOf {
		m.nodeOf[i] = -1
	}
	for v := 0; v < m.g.nnodes(); v++ {
		if a := m.allowNode[m.anchor]; a != nil && !a[v] {
			continue
		}
		m.nodeOf[m.anchor] = int32(v)
		if err := m.step(0); err != nil {
			return err
		}
	}
	m.nodeOf[m.anchor] = -1
	return m.flush()
}

// neighbors calls f for each edge leaving node v in direction dir
// (GraphRight: v is the source; GraphLeft: v is the target; any: both,
// self-loops once) with the node at the other end.
func (m *matcher) neighbors(v int32, dir int, f func(e, w int32) error) error {
	if dir != plan.GraphLeft {
		for _, e := range m.g.out[v] {
			if err := f(e, m.g.dst[e]); err != nil {
				return err
			}
		}
	}
	if dir != plan.GraphRight {
		for _, e := range m.g.in[v] {
			if dir == plan.GraphAnyDir && m.g.src[e] == v {
				continue // the self-loop was seen as an out-edge
			}
			if err := f(e, m.g.src[e]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *matcher) edgeOK(spec plan.GraphEdgeSpec, e int32) bool {
	if a := m.allowEdge[spec.Var]; a != nil && !a[e] {
		return false
	}
	return m.n.Cycles == "all" || m.edgeUsed[e] == 0
}

// bindEnd binds (or checks) node variable v to node w; it returns false
// when w does not fit, and whether it bound v.
func (m *matcher) bindEnd(v int, w int32) (ok, bound bool) {
	if cur := m.nodeOf[v]; cur >= 0 {
		return cur == w, false
	}
	if a := m.allowNode[v]; a != nil && !a[w] {
		return false, false
	}
	m.nodeOf[v] = w
	return true, true
}

func (m *matcher) step(k int) error {
	if k == len(m.steps) {
		return m.emit()
	}
	if err := m.spend(); err != nil {
		return err
	}
	spec := m.n.Edges[m.steps[k]]
	from, to := spec.From, spec.To
	dir := spec.Dir
	reversed := m.nodeOf[from] < 0
	if reversed {
		from, to = to, from
		switch dir {
		case plan.GraphRight:
			dir = plan.GraphLeft
		case plan.GraphLeft:
			dir = plan.GraphRight
		}
	}
	start := m.nodeOf[from]
	if !spec.VarLen {
		return m.neighbors(start, dir, func(e, w int32) error {
			if !m.edgeOK(spec, e) {
				return nil
			}
			ok, bound := m.bindEnd(to, w)
			if !ok {
				return nil
			}
			m.edgeUsed[e]++
			m.edgeOf[spec.Var] = e
			err := m.step(k + 1)
			m.edgeUsed[e]--
			if bound {
				m.nodeOf[to] = -1
			}
			return err
		})
	}
	lo, hi := spec.Min, spec.Max
	if m.fixLen >= 0 {
		lo, hi = m.fixLen, m.fixLen
	}
	simple := m.n.Cycles == "none" || m.n.Shortest
	var pathE, pathN []int32 // traversal order; pathN excludes start
	onPath := func(w int32) bool {
		if w == start {
			return true
		}
		for _, x := range pathN {
			if x == w {
				return true
			}
		}
		return false
	}
	var walk func(cur int32, depth int) error
	walk = func(cur int32, depth int) error {
		if depth >= lo {
			if ok, bound := m.bindEnd(to, cur); ok {
				m.setPath(spec.Var, pathE, start, pathN, reversed)
				err := m.step(k + 1)
				if bound {
					m.nodeOf[to] = -1
				}
				if err != nil {
					return err
				}
			}
		}
		if depth == hi {
			return nil
		}
		if depth > 0 {
			if a := m.allowInner[spec.Var]; a != nil && !a[cur] {
				return nil
			}
		}
		return m.neighbors(cur, dir, func(e, w int32) error {
			if !m.edgeOK(spec, e) || simple && onPath(w) {
				return nil
			}
			if err := m.spend(); err != nil {
				return err
			}
			m.edgeUsed[e]++
			pathE = append(pathE, e)
			pathN = append(pathN, w)
			err := walk(w, depth+1)
			pathE = pathE[:len(pathE)-1]
			pathN = pathN[:len(pathN)-1]
			m.edgeUsed[e]--
			return err
		})
	}
	return walk(start, 0)
}

// setPath records a variable length edge's path in pattern order.
func (m *matcher) setPath(v int, pathE []int32, start int32, pathN []int32, reversed bool) {
	es := append([]int32(nil), pathE...)
	var in []int32
	if len(pathN) > 1 {
		in = append(in, pathN[:len(pathN)-1]...)
	}
	if reversed {
		for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
			es[i], es[j] = es[j], es[i]
		}
		for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
			in[i], in[j] = in[j], in[i]
		}
	}
	m.paths[v], m.inner[v] = es, in
}

func (m *matcher) emit() error {
	// A match copies its paths, and its rows hold lists as long: charge
	// them, or matches with long paths outgrow the budget's bound.
	n := 0
	for v := range m.paths {
		n += len(m.paths[v]) + len(m.inner[v])
	}
	if err := m.spendN(n); err != nil {
		return err
	}
	r := matchRec{
		nodes: append([]int32(nil), m.nodeOf...),
		edges: append([]int32(nil), m.edgeOf...),
		paths: append([][]int32(nil), m.paths...),
		inner: append([][]int32(nil), m.inner...),
	}
	m.pending = append(m.pending, r)
	if len(m.pending) >= vec.BatchSize {
		return m.flush()
	}
	return nil
}

// flush evaluates where over the pending matches and appends the rows
// that pass.
func (m *matcher) flush() error {
	recs := m.pending
	m.pending = m.pending[:0]
	if len(recs) == 0 {
		return nil
	}
	b, err := m.bindings(recs)
	if err != nil {
		return err
	}
	var keep []int
	var pass *vec.Vec
	if m.o.where != nil {
		if pass, err = m.o.where.eval(b); err != nil {
			return err
		}
	}
	for i := range recs {
		if pass != nil && (pass.IsNull(i) || !pass.Bools[pass.Row(i)]) {
			continue
		}
		if m.accept != nil && !m.accept(&recs[i]) {
			continue
		}
		keep = append(keep, i)
	}
	if len(keep) == 0 {
		return nil
	}
	appendBatch(m.out.Cols, b.Gather(keep))
	// Count the elements of the list columns too (edge property lists
	// and map()): a row's lists may be as long as its paths.
	for _, i := range keep {
		for _, c := range m.n.Cols {
			switch c.Kind {
			case plan.GraphEdgeList:
				m.o.listElems += int64(len(recs[i].paths[c.Var]))
			case plan.GraphMap:
				if c.Inner {
					m.o.listElems += int64(len(recs[i].inner[c.Var]))
				} else {
					m.o.listElems += int64(len(recs[i].paths[c.Var]))
				}
			}
		}
	}
	mem := m.graphMem + int64(m.out.Len())*int64(len(m.n.Cols)+1)*24 + m.o.listElems*32
	return checkGraphMemory(m.o.ctx, fmt.Sprintf("%s with %d result rows", m.opName(), m.out.Len()), mem)
}

// bindings builds the binding columns of recs.
func (m *matcher) bindings(recs []matchRec) (*vec.Batch, error) {
	n := len(recs)
	cols := make([]*vec.Vec, len(m.n.Cols))
	idx := make([]int, n)
	for ci, c := range m.n.Cols {
		switch c.Kind {
		case plan.GraphNodeProp, plan.GraphNodeDegIn, plan.GraphNodeDegOut, plan.GraphNodeID:
			for i, r := range recs {
				idx[i] = int(r.nodes[c.Var])
			}
			k := c.Prop
			switch c.Kind {
			case plan.GraphNodeDegIn:
				k = m.g.nprops
			case plan.GraphNodeDegOut:
				k = m.g.nprops + 1
			case plan.GraphNodeID:
				k = m.g.nprops + 2
			}
			cols[ci] = m.g.nodes.Cols[k].Gather(idx)
		case plan.GraphEdgeProp:
			for i, r := range recs {
				idx[i] = int(r.edges[c.Var])
			}
			cols[ci] = m.g.edges.Cols[c.Prop].Gather(idx)
		case plan.GraphEdgeList:
			v := vec.New(types.Dynamic, n)
			src := m.g.edges.Cols[c.Prop]
			for _, r := range recs {
				arr := make([]any, len(r.paths[c.Var]))
				for j, e := range r.paths[c.Var] {
					arr[j] = src.Get(int(e))
				}
				v.Append(arr)
			}
			cols[ci] = v
		case plan.GraphAll, plan.GraphAnyOf, plan.GraphMap:
			v, err := m.elemCol(ci, c, recs)
			if err != nil {
				return nil, err
			}
			cols[ci] = v
		default:
			return nil, fmt.Errorf("exec: unknown graph column kind %d", c.Kind)
		}
	}
	return &vec.Batch{Cols: cols, N: n}, nil
}

// elemCol evaluates all(), any() or map() for every match: the element
// expression runs once over the elements of all the matches.
func (m *matcher) elemCol(ci int, c plan.GraphCol, recs []matchRec) (*vec.Vec, error) {
	var idx []int
	off := make([]int, 0, len(recs)+1)
	off = append(off, 0)
	for _, r := range recs {
		list := r.paths[c.Var]
		if c.Inner {
			list = r.inner[c.Var]
		}
		for _, e := range list {
			idx = append(idx, int(e))
		}
		off = append(off, len(idx))
	}
	var val *vec.Vec
	if len(idx) > 0 {
		src := m.g.edges
		if c.Inner {
			src = m.g.nodes
		}
		var err error
		if val, err = m.o.elems[ci].eval(src.Gather(idx)); err != nil {
			return nil, err
		}
	}
	out := vec.New(c.T, len(recs))
	for i := range recs {
		lo, hi := off[i], off[i+1]
		switch c.Kind {
		case plan.GraphAll:
			ok := true
			for j := lo; j < hi && ok; j++ {
				ok = !val.IsNull(j) && val.Bools[val.Row(j)]
			}
			out.Append(ok)
		case plan.GraphAnyOf:
			ok := false
			for j := lo; j < hi && !ok; j++ {
				ok = !val.IsNull(j) && val.Bools[val.Row(j)]
			}
			out.Append(ok)
		default:
			arr := make([]any, 0, hi-lo)
			for j := lo; j < hi; j++ {
				arr = append(arr, val.Get(j))
			}
			out.Append(arr)
		}
	}
	return out, nil
}

// runShortest runs graph-shortest-paths: lengths from min to max, keeping
// for each (first, last) node pair only the matches of the first length
// that has any (output=all) or the first match (output=any).
func (m *matcher) runShortest() error {
	var spec plan.GraphEdgeSpec
	for _, e := range m.n.Edges {
		if e.VarLen {
			spec = e
		}
	}
	first := m.n.Edges[0].From
	last := m.n.Edges[len(m.n.Edges)-1].To
	type pair struct{ a, b int32 }
	done := map[pair]bool{}
	var found map[pair]bool
	m.accept = func(r *matchRec) bool {
		p := pair{r.nodes[first], r.nodes[last]}
		if done[p] || found[p] && !m.n.OutputAll {
			return false
		}
		found[p] = true
		return true
	}
	for l := spec.Min; l <= spec.Max; l++ {
		found = map[pair]bool{}
		m.fixLen = l
		if err := m.run(); err != nil {
			return err
		}
		for p := range found {
			done[p] = true
		}
	}
	return nil
}
