package syntax

import "strings"

// operatorNames lists every tabular operator name accepted after '|',
// including aliases.
var operatorNames = map[string]bool{
	"where": true, "filter": true, "project": true, "extend": true, "project-away": true,
	"project-keep": true, "project-rename": true, "project-reorder": true, "summarize": true,
	"sort": true, "order": true, "take": true, "limit": true, "top": true, "distinct": true,
	"count": true, "join": true, "lookup": true, "union": true, "mv-expand": true, "mvexpand": true,
	"mv-apply": true, "parse": true, "parse-where": true, "parse-kv": true, "evaluate": true,
	"make-series": true, "render": true, "as": true, "invoke": true, "serialize": true,
	"sample": true, "sample-distinct": true, "getschema": true, "top-nested": true,
	"top-hitters": true, "partition": true, "scan": true, "facet": true, "fork": true,
	"consume": true, "reduce": true, "search": true, "project-by-names": true,
	"make-graph": true, "graph-match": true, "graph-shortest-paths": true, "graph-to-table": true,
	"graph-mark-components": true,
}

// parseOperator parses one tabular operator after '|'. An operator with
// errors becomes a *BadOperator covering its text, and parsing resumes at
// the next '|', ';' or closing bracket.
func (p *parser) parseOperator() Operator {
	p.enter()
	defer p.leave()
	start := p.pos
	nerr := p.errCount
	word, n := p.wordAt(0)
	if !operatorNames[word] {
		p.errorExpected("tabular operator")
		p.skip()
		return &BadOperator{From: start, To: maxPos(p.prevEnd, start)}
	}
	for ; n > 0; n-- {
		p.next()
	}
	op := p.parseOperatorBody(word, start)
	if !p.atSync() {
		p.errorStray(word)
		p.skip()
	}
	if p.errCount > nerr {
		return &BadOperator{From: start, To: maxPos(p.prevEnd, start)}
	}
	return op
}

func maxPos(a, b Pos) Pos {
	if a > b {
		return a
	}
	return b
}

func (p *parser) parseOperatorBody(word string, pos Pos) Operator {
	switch word {
	case "where", "filter":
		// Kusto accepts "where Name = Pred" (the name is ignored), so the
		// predicate may be a *NamedExpr.
		pred := p.parseNamedOrExpr()
		return &WhereOp{OpPos: pos, Pred: pred, EndPos: p.prevEnd}
	case "project":
		cols := p.parseExprList(p.parseNamedOrExpr)
		return &ProjectOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "extend":
		cols := p.parseExprList(p.parseNamedOrExpr)
		return &ExtendOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "project-away":
		cols := p.parseExprList(p.parseColumnPattern)
		return &ProjectAwayOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "project-keep":
		cols := p.parseExprList(p.parseColumnPattern)
		return &ProjectKeepOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "project-by-names":
		cols := p.parseExprList(p.parseExpr)
		return &ProjectByNamesOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "project-rename":
		return p.parseProjectRename(pos)
	case "project-reorder":
		return p.parseProjectReorder(pos)
	case "summarize":
		return p.parseSummarize(pos)
	case "sort", "order":
		s := &SortOp{OpPos: pos, Params: p.parseParams(params())}
		p.expect(BY)
		for {
			s.Keys = append(s.Keys, p.parseSortKey(p.parseBinary))
			if !p.got(COMMA) {
				break
			}
		}
		s.EndPos = p.prevEnd
		return s
	case "take", "limit":
		n := p.parseBinary(1)
		return &TakeOp{OpPos: pos, Count: n, EndPos: p.prevEnd}
	case "top":
		t := &TopOp{OpPos: pos, Count: p.parseBinary(1)}
		p.expect(BY)
		t.By = p.parseSortKey(p.parseBinary)
		t.EndPos = p.prevEnd
		return t
	case "distinct":
		d := &DistinctOp{OpPos: pos, Params: p.parseParams(params())}
		if p.tok == MUL {
			d.Cols = []Expr{&StarExpr{Star: p.pos}}
			p.next()
		} else {
			d.Cols = p.parseExprList(p.parseNamedOrExpr)
		}
		d.EndPos = p.prevEnd
		return d
	case "count":
		return &CountOp{OpPos: pos, EndPos: p.prevEnd}
	case "join":
		j := &JoinOp{OpPos: pos, Params: p.parseParams(params("kind", "withsource"))}
		j.Right = p.parseRightTable()
		j.OnPos, j.On = p.parseJoinOn()
		j.EndPos = p.prevEnd
		return j
	case "lookup":
		l := &LookupOp{OpPos: pos, Params: p.parseParams(params("kind"))}
		l.Right = p.parseRightTable()
		l.OnPos, l.On = p.parseJoinOn()
		l.EndPos = p.prevEnd
		return l
	case "union":
		return p.parseUnion(pos)
	case "mv-expand", "mvexpand":
		m := &MvExpandOp{OpPos: pos, Params: p.parseParams(params("kind", "bagexpansion", "with_itemindex"))}
		m.Items = p.parseMvItems()
		m.Limit = p.parseMvLimit()
		m.EndPos = p.prevEnd
		return m
	case "mv-apply":
		return p.parseMvApply(pos)
	case "parse", "parse-where":
		return p.parseParse(pos, word == "parse-where")
	case "parse-kv":
		return p.parseParseKv(pos)
	case "evaluate":
		return p.parseEvaluate(pos)
	case "make-series":
		return p.parseMakeSeries(pos)
	case "render":
		return p.parseRender(pos)
	case "as":
		a := &AsOp{OpPos: pos, Params: p.parseParams(params())}
		a.Alias = p.parseName("name")
		a.EndPos = p.prevEnd
		return a
	case "invoke":
		i := &InvokeOp{OpPos: pos, Call: p.parseCallOnly("function call")}
		i.EndPos = p.prevEnd
		return i
	case "serialize":
		s := &SerializeOp{OpPos: pos}
		if !p.atSync() {
			s.Cols = p.parseExprList(p.parseNamedOrExpr)
		}
		s.EndPos = p.prevEnd
		return s
	case "sample":
		n := p.parseBinary(1)
		return &SampleOp{OpPos: pos, Count: n, EndPos: p.prevEnd}
	case "sample-distinct":
		s := &SampleDistinctOp{OpPos: pos, Count: p.parseBinary(1)}
		p.expect(OF)
		s.Col = p.parseBinary(1)
		s.EndPos = p.prevEnd
		return s
	case "getschema":
		return &GetSchemaOp{OpPos: pos, EndPos: p.prevEnd}
	case "top-nested":
		return p.parseTopNested(pos)
	case "top-hitters":
		t := &TopHittersOp{OpPos: pos, Count: p.parseBinary(1)}
		p.expect(OF)
		t.Of = p.parseBinary(1)
		if p.got(BY) {
			t.By = p.parseBinary(1)
		}
		t.EndPos = p.prevEnd
		return t
	case "partition":
		return p.parsePartition(pos)
	case "scan":
		return p.parseScan(pos)
	case "facet":
		f := &FacetOp{OpPos: pos}
		p.expect(BY)
		f.By = p.parseExprList(p.parseColumnPattern)
		if p.got(WITH) {
			f.With = p.parseParenSubQuery("facet")
		}
		f.EndPos = p.prevEnd
		return f
	case "fork":
		return p.parseFork(pos)
	case "consume":
		c := &ConsumeOp{OpPos: pos, Params: p.parseParams(params("decodeblocks"))}
		c.EndPos = p.prevEnd
		return c
	case "reduce":
		r := &ReduceOp{OpPos: pos, Params: p.parseParams(params("kind"))}
		p.expect(BY)
		r.By = p.parseBinary(1)
		if p.got(WITH) {
			for {
				r.With = append(r.With, p.parseParam1())
				if !p.got(COMMA) {
					break
				}
			}
		}
		r.EndPos = p.prevEnd
		return r
	case "search":
		return p.parseSearch(pos)
	}
	if op := p.parseGraphOperator(word, pos); op != nil {
		return op
	}
	// operatorNames and this switch must list the same names; TestValid
	// covers every operator, so this is only reached after a bad edit.
	p.errorf(pos, p.prevEnd, "operator %s is not implemented", word)
	return &BadOperator{From: pos, To: p.prevEnd}
}

// parseColumnPattern parses a column name or a wildcard pattern such as
// Foo*, *Id or a*b; the pieces must touch.
func (p *parser) parseColumnPattern() Expr {
	if p.isQuotedName(0) {
		return p.parseQuotedName()
	}
	if !p.isIdentLike() && p.tok != MUL {
		p.errorExpected("column name")
		return p.badExpr()
	}
	id := &Ident{NamePos: p.pos}
	var b strings.Builder
	b.WriteString(p.lit)
	p.next()
	for p.pos == p.prevEnd && (p.isIdentLike() || p.tok == MUL || p.tok == INT) {
		b.WriteString(p.lit)
		p.next()
	}
	id.Name = b.String()
	id.EndPos = p.prevEnd
	return id
}

func (p *parser) parseProjectRename(pos Pos) Operator {
	r := &ProjectRenameOp{OpPos: pos}
	for {
		n := &NamedExpr{Names: []*Ident{p.parseName("new column name")}, Assign: p.pos}
		if p.tok != ASSIGN {
			// `project-rename X` alone: Microsoft's parser accepts it and
			// its analyzer rejects it; hunt does the same. Assign stays
			// NoPos so the analyzer can tell, and X names the column itself
			// so the tree is whole.
			n.Assign = NoPos
			n.X = &Ident{NamePos: n.Names[0].NamePos, Name: n.Names[0].Name, Quoted: n.Names[0].Quoted, EndPos: n.Names[0].EndPos}
			r.Renames = append(r.Renames, n)
			if !p.got(COMMA) {
				break
			}
			continue
		}
		p.expect(ASSIGN)
		n.X = p.parseName("column name")
		r.Renames = append(r.Renames, n)
		if !p.got(COMMA) {
			break
		}
	}
	r.EndPos = p.prevEnd
	return r
}

func (p *parser) parseProjectReorder(pos Pos) Operator {
	r := &ProjectReorderOp{OpPos: pos}
	for {
		k := &SortKey{X: p.parseColumnPattern()}
		switch word, n := p.wordAt(0); word {
		case "asc", "desc", "granny-asc", "granny-desc":
			k.DescSet = true
			k.Desc = strings.HasSuffix(word, "desc")
			k.Granny = strings.HasPrefix(word, "granny")
			for ; n > 0; n-- {
				p.next()
			}
		}
		k.EndPos = p.prevEnd
		r.Cols = append(r.Cols, k)
		if !p.got(COMMA) {
			break
		}
	}
	r.EndPos = p.prevEnd
	return r
}

func (p *parser) parseSummarize(pos Pos) Operator {
	s := &SummarizeOp{OpPos: pos, Params: p.parseParams(params())}
	if p.tok != BY && !p.atSync() {
		s.Aggs = p.parseExprList(p.parseNamedOrExpr)
	}
	if p.tok == BY {
		s.ByPos = p.pos
		p.next()
		s.By = p.parseExprList(p.parseNamedOrExpr)
	}
	s.EndPos = p.prevEnd
	return s
}

// parseSortKey parses X [asc|desc] [nulls first|last]. Without asc/desc the
// key is descending, the default of sort, top and top-nested.
func (p *parser) parseSortKey(parseX func(int) Expr) *SortKey {
	k := &SortKey{X: parseX(1), Desc: true}
	switch p.tok {
	case ASC:
		k.Desc, k.DescSet = false, true
		p.next()
	case DESC:
		k.DescSet = true
		p.next()
	}
	if p.tok == NULLS {
		p.next()
		switch p.tok {
		case FIRST:
			k.Nulls = "first"
			p.next()
		case LAST:
			k.Nulls = "last"
			p.next()
		default:
			p.errorExpected("'first' or 'last'")
		}
	}
	k.EndPos = p.prevEnd
	return k
}

// parseRightTable parses the right side of join and lookup: a parenthesized
// tabular expression (returned without its parentheses) or a table name.
func (p *parser) parseRightTable() Expr {
	if p.tok == LPAREN {
		p.next()
		pop := p.nest(RPAREN)
		x := p.parseExpr()
		pop()
		p.expectClosing(RPAREN, "right table")
		return x
	}
	if !p.isIdentLike() && !p.isQuotedName(0) {
		p.errorExpected("table or '('")
		return p.badExpr()
	}
	return p.parsePostfix()
}

// parseJoinOn parses "on cond, cond and cond"; conditions joined by "and"
// become separate entries.
func (p *parser) parseJoinOn() (Pos, []Expr) {
	if p.tok != ON {
		return NoPos, nil
	}
	pos := p.pos
	p.next()
	var on []Expr
	for {
		on = appendAnd(on, p.parseBinary(1))
		if !p.got(COMMA) {
			break
		}
	}
	return pos, on
}

func appendAnd(list []Expr, x Expr) []Expr {
	if b, ok := x.(*BinaryExpr); ok && b.Op == "and" {
		return appendAnd(appendAnd(list, b.X), b.Y)
	}
	return append(list, x)
}

func (p *parser) parseUnion(pos Pos) *UnionOp {
	u := &UnionOp{OpPos: pos, Params: p.parseParams(params("kind", "withsource", "isfuzzy"))}
	for {
		u.Tables = append(u.Tables, p.parseTableRef())
		if !p.got(COMMA) {
			break
		}
	}
	u.EndPos = p.prevEnd
	return u
}

// parseTableRef parses one table of union, search and find: a name, a
// wildcard pattern, a call such as materialize(x), or a parenthesized
// tabular expression (returned without its parentheses).
func (p *parser) parseTableRef() Expr {
	switch {
	case p.tok == LPAREN:
		p.next()
		pop := p.nest(RPAREN)
		x := p.parseExpr()
		pop()
		p.expectClosing(RPAREN, "table expression")
		return x
	case p.tok == MUL,
		p.isIdentLike() && p.peek(1).tok == MUL && p.adjacent(1):
		return p.parseColumnPattern()
	case p.isIdentLike(), p.isQuotedName(0):
		return p.parsePostfix()
	}
	p.errorExpected("table")
	return p.badExpr()
}

func (p *parser) parseMvItems() []*MvExpandItem {
	var items []*MvExpandItem
	for {
		it := &MvExpandItem{X: p.parseNamedOrExpr()}
		if p.tok == TO {
			it.ToPos = p.pos
			p.next()
			if p.tok != IDENT || p.lit != "typeof" {
				p.errorExpected("typeof")
			} else {
				p.next()
			}
			p.expect(LPAREN)
			it.ToType, _, _ = p.parseTypeName()
			p.expectClosing(RPAREN, "typeof")
		}
		it.EndPos = p.prevEnd
		items = append(items, it)
		if !p.got(COMMA) {
			return items
		}
	}
}

func (p *parser) parseMvLimit() Expr {
	if p.tok == IDENT && p.lit == "limit" {
		p.next()
		return p.parseBinary(1)
	}
	return nil
}

func (p *parser) parseMvApply(pos Pos) Operator {
	m := &MvApplyOp{OpPos: pos, Params: p.parseParams(params("kind", "bagexpansion", "with_itemindex"))}
	m.Items = p.parseMvItems()
	m.Limit = p.parseMvLimit()
	m.OnPos = p.expect(ON)
	m.OnBody = p.parseParenSubQuery("mv-apply")
	m.EndPos = p.prevEnd
	return m
}

// parseParenSubQuery parses "( sub-query )".
func (p *parser) parseParenSubQuery(context string) Expr {
	if p.tok != LPAREN {
		p.errorExpected("'(' to start the " + context + " sub-query")
		return p.badExpr()
	}
	p.next()
	pop := p.nest(RPAREN)
	x := p.parseSubQuery()
	pop()
	p.expectClosing(RPAREN, context+" sub-query")
	return x
}

// parseSubQuery parses the body of mv-apply, partition, facet and fork: a
// pipeline of operators applied to the implicit input (a *PipeExpr with a
// nil Source), or an ordinary tabular expression.
func (p *parser) parseSubQuery() Expr {
	if word, _ := p.wordAt(0); operatorNames[word] {
		pe := &PipeExpr{}
		pe.Ops = append(pe.Ops, p.parseOperator())
		for p.got(PIPE) {
			pe.Ops = append(pe.Ops, p.parseOperator())
		}
		return pe
	}
	return p.parseExpr()
}

func (p *parser) parseParse(pos Pos, where bool) Operator {
	o := &ParseOp{OpPos: pos, Where: where}
	for _, prm := range p.parseParams(params("kind", "flags")) {
		v := exprText(prm.X)
		switch prm.Names[0].Name {
		case "kind":
			o.Kind = v
		case "flags":
			o.Flags = v
		default:
			p.errorf(prm.Pos(), prm.End(), "unexpected parameter %s in parse", prm.Names[0].Name)
		}
	}
	o.X = p.parseBinary(1)
	o.WithPos = p.expect(WITH)
	for !p.atSync() {
		switch {
		case p.tok == STRING:
			o.Pattern = append(o.Pattern, p.parseStringLit())
		case p.tok == MUL:
			o.Pattern = append(o.Pattern, &StarExpr{Star: p.pos})
			p.next()
		case p.isIdentLike() || p.isQuotedName(0):
			o.Pattern = append(o.Pattern, p.parseColumnDecl(false))
		default:
			p.errorUnexpected(o.Name() + " pattern")
			p.skip()
		}
	}
	if len(o.Pattern) == 0 {
		p.errorExpected(o.Name() + " pattern")
	}
	o.EndPos = p.prevEnd
	return o
}

// exprText returns the text of a simple parameter value.
func exprText(x Expr) string {
	switch x := x.(type) {
	case *Ident:
		return x.Name
	case *Literal:
		return x.Value
	}
	return ""
}

// parseColumnDecl parses Name[:Type]; the type is required when typed is set.
func (p *parser) parseColumnDecl(typed bool) *ColumnDecl {
	d := &ColumnDecl{Name: p.parseName("column name")}
	if p.tok == COLON {
		d.Colon = p.pos
		p.next()
		d.Type, d.TypePos, d.TypeEnd = p.parseTypeName()
	} else if typed {
		p.expect(COLON)
	}
	return d
}

// parseColumnDecls parses "(a:string, b:long)".
func (p *parser) parseColumnDecls(typed bool) (lp Pos, cols []*ColumnDecl, rp Pos) {
	lp = p.expect(LPAREN)
	for p.tok != RPAREN && p.tok != EOF {
		cols = append(cols, p.parseColumnDecl(typed))
		if !p.got(COMMA) {
			break
		}
	}
	rp = p.expectClosing(RPAREN, "column list")
	return lp, cols, rp
}

func (p *parser) parseParseKv(pos Pos) Operator {
	o := &ParseKvOp{OpPos: pos, X: p.parseBinary(1)}
	if p.tok == IDENT && p.lit == "as" {
		p.next()
	} else {
		p.errorExpected("'as'")
	}
	_, o.Columns, _ = p.parseColumnDecls(true)
	if p.got(WITH) {
		o.Params = p.parsePropList(false)
	}
	o.EndPos = p.prevEnd
	return o
}

// parsePropList parses "(name = value, ...)" of externaldata, parse-kv and
// render. With lists set, a value may be a comma-separated list of names
// (render ... with (ycolumns = a, b)).
func (p *parser) parsePropList(lists bool) []*NamedExpr {
	var list []*NamedExpr
	p.expect(LPAREN)
	for more := p.tok != RPAREN; more; more = p.got(COMMA) {
		n := p.parseParam1()
		if lists && p.tok == COMMA && identLike(p.peek(1).tok) && p.peek(2).tok != ASSIGN && p.peek(2).tok != DOT {
			l := &ExprList{Elems: []Expr{n.X}}
			for p.tok == COMMA && identLike(p.peek(1).tok) && p.peek(2).tok != ASSIGN && p.peek(2).tok != DOT {
				p.next()
				l.Elems = append(l.Elems, p.parseParamValue())
			}
			n.X = l
		}
		list = append(list, n)
	}
	p.expectClosing(RPAREN, "property list")
	return list
}

// parseCallOnly parses name(args), the form evaluate and invoke require.
func (p *parser) parseCallOnly(what string) *CallExpr {
	if !p.isIdentLike() || p.peek(1).tok != LPAREN {
		p.errorExpected(what)
		b := p.badExpr()
		return &CallExpr{Fun: &Ident{NamePos: b.From, Name: "_", EndPos: b.To}, Lparen: b.From, Rparen: b.From}
	}
	id := p.parseName(what)
	return p.parseCall(id, nil)
}

func (p *parser) parseEvaluate(pos Pos) *EvaluateOp {
	e := &EvaluateOp{OpPos: pos, Params: p.parseParams(params())}
	e.Call = p.parseCallOnly("plugin call")
	if p.tok == COLON {
		p.next()
		if p.tok != LPAREN {
			p.errorExpected("'(' to start the output schema")
		} else {
			e.Schema, _ = p.parseTypeSpec()
		}
	}
	e.EndPos = p.prevEnd
	return e
}

func (p *parser) parseMakeSeries(pos Pos) Operator {
	m := &MakeSeriesOp{OpPos: pos, Params: p.parseParams(params("kind"))}
	for {
		a := &MakeSeriesAgg{X: p.parseNamedOrExpr()}
		if p.tok == IDENT && p.lit == "default" && p.peek(1).tok == ASSIGN {
			a.DefaultPos = p.pos
			p.next()
			p.next()
			a.Default = p.parseBinary(1)
		}
		m.Aggs = append(m.Aggs, a)
		if !p.got(COMMA) {
			break
		}
	}
	m.OnPos = p.expect(ON)
	m.On = p.parsePostfix()
	if p.tok == IN {
		m.InRange = true
		p.next()
		if p.tok == IDENT && p.lit == "range" {
			p.next()
		} else {
			p.errorExpected("range")
		}
		p.expect(LPAREN)
		m.From = p.parseBinary(1)
		p.expect(COMMA)
		m.To = p.parseBinary(1)
		p.expect(COMMA)
		m.Step = p.parseBinary(1)
		p.expectClosing(RPAREN, "range")
	} else {
		if p.got(FROM) {
			m.From = p.parseBinary(1)
		}
		if p.got(TO) {
			m.To = p.parseBinary(1)
		}
		p.expect(STEP)
		m.Step = p.parseBinary(1)
	}
	if p.got(BY) {
		m.By = p.parseExprList(p.parseNamedOrExpr)
	}
	m.EndPos = p.prevEnd
	return m
}

func (p *parser) parseRender(pos Pos) Operator {
	r := &RenderOp{OpPos: pos}
	if p.isIdentLike() {
		r.Chart = p.lit
		p.next()
	} else {
		p.errorExpected("chart type")
	}
	// Legacy properties without "with": render timechart title="x".
	r.With = p.parseParams(func(string) bool { return true })
	if p.got(WITH) {
		r.With = append(r.With, p.parsePropList(true)...)
	}
	r.EndPos = p.prevEnd
	return r
}

func (p *parser) parseTopNested(pos Pos) Operator {
	t := &TopNestedOp{OpPos: pos}
	for {
		l := &TopNestedLevel{}
		if p.tok != OF {
			l.Count = p.parseBinary(1)
		}
		p.expect(OF)
		l.Of = p.parseNamedOrExpr()
		if p.tok == WITH && p.peek(1).lit == "others" {
			p.next()
			p.next()
			p.expect(ASSIGN)
			l.Others = p.parseBinary(1)
		}
		p.expect(BY)
		l.By = p.parseSortKey(func(int) Expr { return p.parseNamedOrExpr() })
		t.Levels = append(t.Levels, l)
		if !p.got(COMMA) {
			break
		}
		// Each level after the first repeats the operator name.
		if word, n := p.wordAt(0); word == "top-nested" {
			for ; n > 0; n-- {
				p.next()
			}
		}
	}
	t.EndPos = p.prevEnd
	return t
}

func (p *parser) parsePartition(pos Pos) Operator {
	o := &PartitionOp{OpPos: pos, Params: p.parseParams(params())}
	p.expect(BY)
	o.By = p.parseName("partition column")
	switch p.tok {
	case LBRACE:
		o.Brace = true
		p.next()
		pop := p.nest(RBRACE)
		o.Body = p.parseExpr()
		pop()
		p.expectClosing(RBRACE, "partition sub-query")
	default:
		o.Body = p.parseParenSubQuery("partition")
	}
	o.EndPos = p.prevEnd
	return o
}

func (p *parser) parseScan(pos Pos) Operator {
	s := &ScanOp{OpPos: pos, Params: p.parseParams(params("with_match_id"))}
	if p.got(DECLARE) {
		s.Declare = p.parseParamList()
	}
	p.expect(WITH)
	p.expect(LPAREN)
	for p.tok == STEP {
		st := &ScanStep{StepPos: p.pos}
		p.next()
		st.Name = p.parseName("step name")
		if p.tok == IDENT && p.lit == "output" {
			p.next()
			p.expect(ASSIGN)
			if p.isIdentLike() {
				st.Output = p.lit
				p.next()
			} else {
				p.errorExpected("'all', 'last' or 'none'")
			}
		}
		p.expect(COLON)
		st.Cond = p.parseBinary(1)
		if p.got(ARROW) {
			for {
				n := &NamedExpr{Names: []*Ident{p.parseName("column name")}, Assign: p.pos}
				p.expect(ASSIGN)
				n.X = p.parseBinary(1)
				st.Assigns = append(st.Assigns, n)
				if !p.got(COMMA) {
					break
				}
			}
		}
		st.EndPos = p.prevEnd
		s.Steps = append(s.Steps, st)
		if !p.got(SEMI) {
			break
		}
	}
	if len(s.Steps) == 0 {
		p.errorExpected("step")
	}
	p.expectClosing(RPAREN, "scan steps")
	s.EndPos = p.prevEnd
	return s
}

func (p *parser) parseFork(pos Pos) Operator {
	f := &ForkOp{OpPos: pos}
	for p.tok == LPAREN || p.isIdentLike() && p.peek(1).tok == ASSIGN {
		if p.tok == LPAREN {
			f.Branches = append(f.Branches, p.parseParenSubQuery("fork"))
			continue
		}
		n := &NamedExpr{Names: []*Ident{p.parseName("branch name")}, Assign: p.pos}
		p.next()
		n.X = p.parseParenSubQuery("fork")
		f.Branches = append(f.Branches, n)
	}
	if len(f.Branches) == 0 {
		p.errorExpected("'(' to start a fork branch")
	}
	f.EndPos = p.prevEnd
	return f
}

func (p *parser) parseSearch(pos Pos) *SearchOp {
	s := &SearchOp{OpPos: pos, Params: p.parseParams(params("kind"))}
	if p.tok == IN {
		p.next()
		s.Tables = p.parseTableList()
	}
	if p.tok == MUL && p.peek(1).tok.Precedence() != 3 {
		s.Pred = &StarExpr{Star: p.pos}
		p.next()
	} else {
		s.Pred = p.parseBinary(1)
	}
	s.EndPos = p.prevEnd
	return s
}

// parseTableList parses "(T1, T2*, ...)" after in.
func (p *parser) parseTableList() []Expr {
	var list []Expr
	p.expect(LPAREN)
	for more := p.tok != RPAREN; more; more = p.got(COMMA) {
		list = append(list, p.parseTableRef())
	}
	p.expectClosing(RPAREN, "table list")
	return list
}

func (p *parser) parseFind(pos Pos) *FindOp {
	f := &FindOp{OpPos: pos, Params: p.parseParams(params("withsource", "datascope", "datasource"))}
	if p.tok == IN {
		p.next()
		f.Tables = p.parseTableList()
	}
	if p.tok == IDENT && p.lit == "where" {
		p.next()
	} else {
		p.errorExpected("'where'")
	}
	f.Pred = p.parseBinary(1)
	switch word, n := p.wordAt(0); word {
	case "project-smart":
		f.Project = word
		for ; n > 0; n-- {
			p.next()
		}
	case "project", "project-away":
		f.Project = word
		for ; n > 0; n-- {
			p.next()
		}
		f.Cols = p.parseExprList(func() Expr {
			if p.isIdentLike() && p.peek(1).tok == LPAREN {
				return p.parsePostfix() // pack_all()
			}
			if word == "project-away" {
				return p.parseColumnPattern()
			}
			return p.parseColumnDecl(false)
		})
	}
	f.EndPos = p.prevEnd
	return f
}

// ----------------------------------------------------------------------------
// Source operators

// parseSourceOp parses a source operator (print, datatable, range, union,
// externaldata, search, find, evaluate) when the current identifier starts
// one, and returns it wrapped in a *PipeExpr. It returns nil when the word
// is just a name (a column called range, say).
func (p *parser) parseSourceOp() Expr {
	word := p.lit
	next := p.peek(1)
	switch word {
	case "print":
		switch next.tok {
		case COMMA, RPAREN, RBRACK, RBRACE, PIPE, SEMI, EOF, ASSIGN, DOT, DOTDOT, COLON:
			return nil
		case SUB, ADD:
		default:
			if next.tok.Precedence() > 0 {
				return nil
			}
		}
	case "datatable", "externaldata":
		if next.tok != LPAREN && !(identLike(next.tok) && p.peek(2).tok == ASSIGN) {
			return nil
		}
	case "range":
		if !identLike(next.tok) || p.peek(2).tok != FROM {
			return nil
		}
	case "union":
		if !identLike(next.tok) && next.tok != LPAREN && next.tok != MUL && !p.isQuotedName(1) {
			return nil
		}
	case "search":
		if !identLike(next.tok) && next.tok != STRING && next.tok != IN && next.tok != MUL && next.tok != LPAREN {
			return nil
		}
	case "find":
		if !identLike(next.tok) && next.tok != IN {
			return nil
		}
	case "evaluate":
		if !identLike(next.tok) {
			return nil
		}
	default:
		return nil
	}
	pos := p.pos
	p.next()
	var x Expr
	switch word {
	case "print":
		cols := p.parseExprList(p.parseNamedOrExpr)
		x = &PrintOp{OpPos: pos, Cols: cols, EndPos: p.prevEnd}
	case "datatable":
		x = p.parseDatatable(pos)
	case "externaldata":
		x = p.parseExternalData(pos)
	case "range":
		r := &RangeExpr{RangePos: pos, Name: p.parseName("column name")}
		p.expect(FROM)
		r.From = p.parseBinary(1)
		p.expect(TO)
		r.To = p.parseBinary(1)
		p.expect(STEP)
		r.Step = p.parseBinary(1)
		x = r
	case "union":
		x = p.parseUnion(pos)
	case "search":
		x = p.parseSearch(pos)
	case "find":
		x = p.parseFind(pos)
	case "evaluate":
		x = p.parseEvaluate(pos)
	}
	return &PipeExpr{Source: x}
}

func (p *parser) parseDatatable(pos Pos) Expr {
	d := &DatatableExpr{DtPos: pos, Params: p.parseParams(params())}
	d.Lparen, d.Columns, d.Rparen = p.parseColumnDecls(true)
	d.Lbrack = p.expect(LBRACK)
	for p.tok != RBRACK && p.tok != EOF {
		d.Values = append(d.Values, p.parseBinary(1))
		if !p.got(COMMA) {
			break
		}
	}
	d.Rbrack = p.expectClosing(RBRACK, "datatable values")
	return d
}

func (p *parser) parseExternalData(pos Pos) Expr {
	e := &ExternalDataExpr{ExtPos: pos, Params: p.parseParams(params("kind"))}
	e.Lparen, e.Columns, e.Rparen = p.parseColumnDecls(true)
	e.Lbrack = p.expect(LBRACK)
	for p.tok != RBRACK && p.tok != EOF {
		e.URLs = append(e.URLs, p.parseBinary(1))
		if !p.got(COMMA) {
			break
		}
	}
	e.Rbrack = p.expectClosing(RBRACK, "externaldata URLs")
	if p.got(WITH) {
		e.Props = p.parsePropList(false)
	}
	e.EndPos = p.prevEnd
	return e
}
