package syntax

// parseGraphOperator parses the graph operators; it returns nil for other
// names.
func (p *parser) parseGraphOperator(word string, pos Pos) Operator {
	switch word {
	case "make-graph":
		return p.parseMakeGraph(pos)
	case "graph-match":
		return p.parseGraphMatch(pos, false)
	case "graph-shortest-paths":
		return p.parseGraphMatch(pos, true)
	case "graph-to-table":
		return p.parseGraphToTable(pos)
	case "graph-mark-components":
		g := &GraphMarkComponentsOp{OpPos: pos, Params: p.parseParams(params("kind", "with_component_id"))}
		g.EndPos = p.prevEnd
		return g
	}
	return nil
}

// atGraphArrow reports whether "-->" starts here.
func (p *parser) atGraphArrow() bool {
	return p.tok == SUB && p.peek(1).tok == SUB && p.peek(2).tok == GTR
}

func (p *parser) parseMakeGraph(pos Pos) Operator {
	m := &MakeGraphOp{OpPos: pos}
	m.Src = p.parseName("source node id column")
	m.ArrowPos = p.pos
	if p.atGraphArrow() {
		p.next()
		p.next()
		p.next()
	} else {
		p.errorExpected("'-->'")
	}
	m.Dst = p.parseName("target node id column")
	if p.tok == WITH {
		m.WithPos = p.pos
		p.next()
		for {
			ref := &GraphNodesRef{Table: p.parseRightTable()}
			ref.OnPos = p.expect(ON)
			ref.Key = p.parseName("node id column")
			m.Nodes = append(m.Nodes, ref)
			if !p.got(COMMA) {
				break
			}
		}
	}
	m.Params = p.parseParams(params("with_node_id"))
	if word, n := p.wordAt(0); word == "partitioned-by" {
		for ; n > 0; n-- {
			p.next()
		}
		m.PartitionBy = p.parseName("partition column")
		if p.tok != LPAREN {
			p.errorExpected("'(' to start the partitioned-by graph operator")
		} else {
			p.next()
			pop := p.nest(RPAREN)
			m.Body = append(m.Body, p.parseOperator())
			for p.got(PIPE) {
				m.Body = append(m.Body, p.parseOperator())
			}
			pop()
			p.expectClosing(RPAREN, "partitioned-by graph operator")
		}
	}
	m.EndPos = p.prevEnd
	return m
}

func (p *parser) parseGraphMatch(pos Pos, shortest bool) Operator {
	g := &GraphMatchOp{OpPos: pos, Shortest: shortest}
	if shortest {
		g.Params = p.parseParams(params("output"))
	} else {
		g.Params = p.parseParams(params("cycles"))
	}
	for {
		g.Patterns = append(g.Patterns, p.parseGraphPattern())
		if !p.got(COMMA) {
			break
		}
	}
	if p.tok == IDENT && p.lit == "where" {
		g.WherePos = p.pos
		p.next()
		g.Where = p.parseBinary(1)
	}
	if p.tok == IDENT && p.lit == "project" {
		g.ProjectPos = p.pos
		p.next()
		g.Project = p.parseExprList(p.parseNamedOrExpr)
	} else {
		p.errorExpected("'where' or 'project'")
	}
	g.EndPos = p.prevEnd
	return g
}

func (p *parser) parseGraphPattern() *GraphPattern {
	p.enter()
	defer p.leave()
	pat := &GraphPattern{}
	pat.Nodes = append(pat.Nodes, p.parseGraphNode())
	for p.tok == SUB || p.tok == LSS && p.peek(1).tok == SUB {
		pat.Edges = append(pat.Edges, p.parseGraphEdge())
		pat.Nodes = append(pat.Nodes, p.parseGraphNode())
	}
	return pat
}

func (p *parser) parseGraphNode() *GraphNode {
	n := &GraphNode{Lparen: p.pos}
	if p.tok != LPAREN {
		p.errorExpected("'(' to start a graph node")
		n.Rparen = p.pos
		return n
	}
	p.next()
	if p.isIdentLike() || p.isQuotedName(0) {
		n.Name = p.parseName("node variable")
	}
	n.Rparen = p.pos
	if p.tok != RPAREN {
		p.errorExpected("')' to close the graph node")
		n.Rparen = p.prevEnd - 1
		return n
	}
	p.next()
	return n
}

func (p *parser) parseGraphEdge() *GraphEdge {
	e := &GraphEdge{From: p.pos}
	left := false
	if p.tok == LSS {
		left = true
		p.next()
	}
	p.expect(SUB)
	if p.tok == LBRACK && !p.isQuotedName(0) {
		e.Bracket = true
		p.next()
		if p.isIdentLike() || p.isQuotedName(0) {
			e.Name = p.parseName("edge variable")
		}
		if p.tok == MUL {
			e.Range = true
			p.next()
			if p.tok == INT {
				e.Min = p.parseOperand()
			}
			if p.tok == DOTDOT {
				e.Dots = true
				p.next()
				if p.tok == INT {
					e.Max = p.parseOperand()
				}
			}
			if e.Min == nil || e.Dots && e.Max == nil {
				p.errorExpected("variable length range min..max")
			}
		}
		p.expectClosing(RBRACK, "graph edge")
		p.expect(SUB)
	} else {
		p.expect(SUB)
	}
	switch {
	case p.tok == GTR && left:
		p.errorf(p.pos, p.end, "a graph edge cannot point both ways; use -[e]- for any direction")
		p.next()
	case p.tok == GTR:
		e.Dir = EdgeRight
		p.next()
	case left:
		e.Dir = EdgeLeft
	default:
		e.Dir = EdgeAny
	}
	e.To = p.prevEnd
	if e.To < e.From {
		e.To = e.From
	}
	return e
}

func (p *parser) parseGraphToTable(pos Pos) Operator {
	g := &GraphToTableOp{OpPos: pos}
	for {
		it := &GraphToTableItem{KindPos: p.pos}
		if !(p.tok == IDENT && (p.lit == "nodes" || p.lit == "edges")) {
			p.errorExpected("'nodes' or 'edges'")
			break
		}
		it.Kind = p.lit
		p.next()
		for {
			if p.paramAhead(params("with_node_id", "with_source_id", "with_target_id")) {
				it.Params = append(it.Params, p.parseParam1())
				continue
			}
			if it.Alias == nil && p.tok == IDENT && p.lit == "as" {
				p.next()
				it.Alias = p.parseName("table name")
				continue
			}
			break
		}
		it.EndPos = p.prevEnd
		g.Items = append(g.Items, it)
		if !p.got(COMMA) {
			break
		}
	}
	g.EndPos = p.prevEnd
	return g
}
