package syntax

// graphOperator prints the body of a graph operator after its name; it
// reports false for other operators.
func (p *printer) graphOperator(op Operator) bool {
	switch n := op.(type) {
	case *MakeGraphOp:
		p.WriteByte(' ')
		p.WriteString(identString(n.Src))
		p.WriteString(" --> ")
		p.WriteString(identString(n.Dst))
		if len(n.Nodes) > 0 {
			p.WriteString(" with ")
			for i, r := range n.Nodes {
				if i > 0 {
					p.WriteString(", ")
				}
				p.graphNodesRef(r)
			}
		}
		p.params(n.Params)
		if n.PartitionBy != nil {
			p.WriteString(" partitioned-by " + identString(n.PartitionBy) + " (")
			for i, o := range n.Body {
				if i > 0 {
					p.WriteString(" | ")
				}
				p.operator(o)
			}
			p.WriteByte(')')
		}
	case *GraphMatchOp:
		p.params(n.Params)
		for i, pat := range n.Patterns {
			if i > 0 {
				p.WriteByte(',')
			}
			p.WriteByte(' ')
			p.graphPattern(pat)
		}
		if n.Where != nil {
			p.WriteString(" where ")
			p.node(n.Where)
		}
		p.WriteString(" project ")
		p.list(n.Project, ", ")
	case *GraphToTableOp:
		for i, it := range n.Items {
			if i > 0 {
				p.WriteByte(',')
			}
			p.WriteByte(' ')
			p.graphToTableItem(it)
		}
	case *GraphMarkComponentsOp:
		p.params(n.Params)
	default:
		return false
	}
	return true
}

// graphNode prints the parts of graph operators; it reports false for
// other nodes.
func (p *printer) graphNode(n Node) bool {
	switch n := n.(type) {
	case *GraphNodesRef:
		p.graphNodesRef(n)
	case *GraphPattern:
		p.graphPattern(n)
	case *GraphNode:
		p.graphPatternNode(n)
	case *GraphEdge:
		p.graphEdge(n)
	case *GraphToTableItem:
		p.graphToTableItem(n)
	default:
		return false
	}
	return true
}

func (p *printer) graphNodesRef(r *GraphNodesRef) {
	p.tableRef(r.Table)
	p.WriteString(" on ")
	p.WriteString(identString(r.Key))
}

func (p *printer) graphPattern(pat *GraphPattern) {
	for i, n := range pat.Nodes {
		if i > 0 && i-1 < len(pat.Edges) {
			p.graphEdge(pat.Edges[i-1])
		}
		p.graphPatternNode(n)
	}
}

func (p *printer) graphPatternNode(n *GraphNode) {
	p.WriteByte('(')
	if n.Name != nil {
		p.WriteString(identString(n.Name))
	}
	p.WriteByte(')')
}

func (p *printer) graphEdge(e *GraphEdge) {
	if !e.Bracket {
		switch e.Dir {
		case EdgeRight:
			p.WriteString("-->")
		case EdgeLeft:
			p.WriteString("<--")
		default:
			p.WriteString("--")
		}
		return
	}
	if e.Dir == EdgeLeft {
		p.WriteString("<-[")
	} else {
		p.WriteString("-[")
	}
	if e.Name != nil {
		p.WriteString(identString(e.Name))
	}
	if e.Range {
		p.WriteByte('*')
		if e.Min != nil {
			p.node(e.Min)
		}
		if e.Dots {
			p.WriteString("..")
			if e.Max != nil {
				p.node(e.Max)
			}
		}
	}
	p.WriteByte(']')
	if e.Dir == EdgeRight {
		p.WriteString("->")
	} else {
		p.WriteString("-")
	}
}

func (p *printer) graphToTableItem(it *GraphToTableItem) {
	p.WriteString(it.Kind)
	p.params(it.Params)
	if it.Alias != nil {
		p.WriteString(" as " + identString(it.Alias))
	}
}
