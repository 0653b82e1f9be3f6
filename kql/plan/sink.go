package plan

// Filters are moved below the projections under them when they read only
// columns that the projection passes through unchanged (kept or renamed):
//
//	project a, b, f = parse_path(p) | where a == 1
//
// becomes
//
//	where a == 1 | project a, b, f = parse_path(p)
//
// so that expensive columns are computed for the rows that survive, not
// for every row read. A Project maps rows one to one and a filter's
// predicate sees the same values either way, so the result is the same;
// the one exception is a row function (row_number, prev, next, ...) in
// the projection, which would see fewer rows, and then nothing moves.
// Rules such as the flagship compute a file name for every upload before
// filtering on the extension and the domains; sinking those filters cuts
// the rows that reach parse_path by an order of magnitude.

// sinkFilters rewrites the chain of Filters starting at top when it ends
// in a Project that some of them can move below. The filters that move
// keep their order, as do the ones that stay. ok is false when nothing
// moves.
func sinkFilters(top *Filter) (Node, bool) {
	var chain []*Filter
	var n Node = top
	for {
		f, isFilter := n.(*Filter)
		if !isFilter {
			break
		}
		chain = append(chain, f)
		n = f.Input
	}
	p, isProject := n.(*Project)
	if !isProject {
		return nil, false
	}
	for _, e := range p.Exprs {
		if hasRowFunction(e) {
			return nil, false
		}
	}
	for _, f := range chain {
		if hasRowFunction(f.Pred) {
			return nil, false // it sees its neighbours' rows
		}
	}
	var stay, move []*Filter
	for _, f := range chain {
		if passesThrough(f.Pred, p) {
			move = append(move, f)
		} else {
			stay = append(stay, f)
		}
	}
	if len(move) == 0 {
		return nil, false
	}
	in := p.Input
	for i := len(move) - 1; i >= 0; i-- {
		in = &Filter{Input: in, Pred: substitute(move[i].Pred, p.Exprs)}
	}
	var out Node = &Project{Input: in, Exprs: p.Exprs, Names: p.Names}
	for i := len(stay) - 1; i >= 0; i-- {
		out = &Filter{Input: out, Pred: stay[i].Pred}
	}
	return out, true
}

// passesThrough reports whether every column e reads is an input column
// that p outputs unchanged, and e is a plain expression (no sub-query,
// whose plan would have to be rewritten too).
func passesThrough(e Expr, p *Project) bool {
	switch x := e.(type) {
	case *ColRef:
		if x.Index < 0 || x.Index >= len(p.Exprs) {
			return false
		}
		_, ok := p.Exprs[x.Index].(*ColRef)
		return ok
	case *Const:
		return true
	case *Call:
		for _, a := range x.Args {
			if !passesThrough(a, p) {
				return false
			}
		}
		return true
	}
	return false
}
