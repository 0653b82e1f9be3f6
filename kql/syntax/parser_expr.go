package syntax

import (
	"strings"
)

// parseExpr parses a scalar or tabular expression, including a '|'
// pipeline. It is used where the expression is delimited by ')', ',', ';' or
// the end of input, so the pipe cannot belong to an outer operator.
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parsePipeTail(p.parseBinary(1))
}

// parsePipeTail parses "| op | op ..." after the pipeline source x. A source
// operator already arrives as a *PipeExpr with no operators.
func (p *parser) parsePipeTail(x Expr) Expr {
	if p.tok != PIPE {
		return x
	}
	pe, ok := x.(*PipeExpr)
	if !ok {
		pe = &PipeExpr{Source: x}
	}
	for p.tok == PIPE {
		p.next()
		pe.Ops = append(pe.Ops, p.parseOperator())
	}
	return pe
}

// parseBinary parses a binary expression whose operators bind at least as
// tightly as prec1. Relational operators do not chain: Kusto rejects
// a == b == c.
func (p *parser) parseBinary(prec1 int) Expr {
	p.enter()
	defer p.leave()
	x := p.parseUnary()
	relational := false
	for {
		op := p.tok
		prec := op.Precedence()
		if prec < prec1 || prec == LowestPrec {
			return x
		}
		if prec == 3 && relational {
			p.errorf(p.pos, p.end, "unexpected %s after comparison: use parentheses or 'and'", p.desc())
		}
		relational = prec == 3
		pos, lit := p.pos, p.lit
		p.next()
		switch {
		case op.IsListOp():
			x = p.parseListTail(x, pos, op)
		case op == BETWEEN || op == NOTBETWEEN:
			x = p.parseBetweenTail(x, pos, op == NOTBETWEEN)
		default:
			name := op.String()
			if op == LTGT {
				name = "!="
			}
			if op == ADD || op == SUB || op == MUL || op == QUO || op == REM {
				name = lit
			}
			y := p.parseBinary(prec + 1)
			x = &BinaryExpr{X: x, OpPos: pos, Op: name, Y: y}
		}
	}
}

// parseListTail parses the "(a, b, ...)" of in, !in, in~, !in~, has_any and
// has_all. An element may be a tabular expression.
func (p *parser) parseListTail(x Expr, pos Pos, op Token) Expr {
	l := &ListExpr{X: x, OpPos: pos, Op: op.String(), Lparen: p.pos}
	if p.tok != LPAREN {
		p.errorExpected("'(' after " + op.String())
		l.Rparen = p.prevEnd - 1
		return l
	}
	p.next()
	defer p.nest(RPAREN)()
	for more := p.tok != RPAREN; more; more = p.got(COMMA) {
		l.List = append(l.List, p.parseExpr())
	}
	l.Rparen = p.expectClosing(RPAREN, op.String()+" list")
	return l
}

func (p *parser) parseBetweenTail(x Expr, pos Pos, not bool) Expr {
	b := &BetweenExpr{X: x, OpPos: pos, Not: not, Lparen: p.pos}
	if p.tok != LPAREN {
		p.errorExpected("'(' after between")
		b.Lo, b.Hi = p.badExpr(), &BadExpr{From: p.pos, To: p.pos}
		b.Rparen = p.prevEnd - 1
		return b
	}
	p.next()
	b.Lo = p.parseBinary(1)
	p.expect(DOTDOT)
	b.Hi = p.parseBinary(1)
	b.Rparen = p.expectClosing(RPAREN, "between range")
	return b
}

// parseUnary parses -x and +x. Kusto rejects a doubled sign (--1).
func (p *parser) parseUnary() Expr {
	if p.tok == SUB || p.tok == ADD {
		pos, op := p.pos, p.tok
		p.next()
		if p.tok == SUB || p.tok == ADD {
			p.errorExpected("expression")
		}
		return &UnaryExpr{OpPos: pos, Op: op, X: p.parsePostfix()}
	}
	return p.parsePostfix()
}

// parsePostfix parses member access, indexing and chained calls.
func (p *parser) parsePostfix() Expr {
	x := p.parseOperand()
	for {
		switch p.tok {
		case DOT:
			dot := p.pos
			p.next()
			var name *Ident
			if p.tok == LBRACK && !p.isQuotedName(0) {
				// x.[0] and x.[name] index like x[0].
				lb := p.pos
				p.next()
				idx := p.parseExpr()
				rb := p.expectClosing(RBRACK, "index")
				x = &IndexExpr{X: x, Lbrack: lb, Index: idx, Rbrack: rb}
				continue
			}
			if p.isQuotedName(0) {
				name = p.parseQuotedName()
			} else {
				name = p.parseName("member name")
			}
			if p.tok == LPAREN && !name.Quoted {
				x = p.parseCall(name, x)
				continue
			}
			x = &MemberExpr{X: x, Dot: dot, Name: name}
		case LBRACK:
			lb := p.pos
			p.next()
			idx := p.parseExpr()
			rb := p.expectClosing(RBRACK, "index")
			x = &IndexExpr{X: x, Lbrack: lb, Index: idx, Rbrack: rb}
		default:
			return x
		}
	}
}

// parseOperand parses a name, literal, call, parenthesized expression or
// source operator.
func (p *parser) parseOperand() Expr {
	switch p.tok {
	case INT:
		return p.basicLit(LitLong)
	case REAL:
		return p.basicLit(LitReal)
	case TIMESPAN:
		return p.basicLit(LitTimespan)
	case TRUE, FALSE:
		return p.basicLit(LitBool)
	case STRING:
		return p.parseStringLit()
	case TYPED:
		return p.parseTypedLit()
	case LPAREN:
		lp := p.pos
		p.next()
		pop := p.nest(RPAREN)
		x := p.parseExpr()
		pop()
		rp := p.expectClosing(RPAREN, "parenthesized expression")
		return &ParenExpr{Lparen: lp, X: x, Rparen: rp}
	case LBRACK:
		if p.isQuotedName(0) {
			return p.parseQuotedName()
		}
	case MUL:
		// "where * has x" tests every column.
		if p.peek(1).tok.Precedence() == 3 {
			s := &StarExpr{Star: p.pos}
			p.next()
			return s
		}
	}
	if p.isIdentLike() {
		if p.tok == IDENT {
			if x := p.parseSourceOp(); x != nil {
				return x
			}
			if p.lit == "dynamic" && p.peek(1).tok == LPAREN {
				return p.parseDynamic()
			}
		}
		id := &Ident{NamePos: p.pos, Name: p.lit, EndPos: p.end}
		p.next()
		if p.tok == LPAREN {
			return p.parseCall(id, nil)
		}
		// Col:"value" is the search term syntax; Kusto's parser accepts it
		// in any expression and leaves the rest to the analyzer.
		if p.tok == COLON {
			pos := p.pos
			p.next()
			return &BinaryExpr{X: id, OpPos: pos, Op: ":", Y: p.parseOperand()}
		}
		return id
	}
	p.errorExpected("expression")
	return p.badExpr()
}

func (p *parser) basicLit(kind LitKind) *Literal {
	l := &Literal{ValuePos: p.pos, Kind: kind, Raw: p.lit, Value: p.lit, EndPos: p.end}
	p.next()
	return l
}

// parseStringLit parses one string or a run of adjacent strings, which KQL
// concatenates.
func (p *parser) parseStringLit() *Literal {
	l := &Literal{ValuePos: p.pos, Kind: LitString}
	var b strings.Builder
	for p.tok == STRING {
		v, _ := Unquote(p.lit)
		b.WriteString(v)
		l.EndPos = p.end
		p.next()
	}
	l.Raw = p.src.Text[l.ValuePos.Offset():l.EndPos.Offset()]
	l.Value = b.String()
	return l
}

// typedNames maps typed literal spellings to canonical type names.
var typedNames = map[string]string{
	"datetime": "datetime", "date": "datetime", "timespan": "timespan", "time": "timespan",
	"guid": "guid", "int": "int", "long": "long", "real": "real", "double": "real",
	"decimal": "decimal", "bool": "bool",
}

var typedKinds = map[string]LitKind{
	"datetime": LitDateTime, "timespan": LitTimespan, "guid": LitGuid, "int": LitInt,
	"long": LitLong, "real": LitReal, "decimal": LitDecimal, "bool": LitBool,
}

// parseTypedLit parses datetime(...), timespan(...), guid(...), int(...) and
// the other typed literals whose contents the scanner kept as raw text.
func (p *parser) parseTypedLit() *Literal {
	l := &Literal{ValuePos: p.pos, Raw: p.lit, EndPos: p.end}
	open := strings.IndexByte(p.lit, '(')
	word := p.lit[:open]
	inner := p.lit[open+1:]
	inner = strings.TrimSuffix(inner, ")")
	l.TypeName = typedNames[word]
	l.Kind = typedKinds[l.TypeName]
	l.Value = strings.TrimSpace(inner)
	switch {
	case l.Value == "null":
		l.Kind = LitNull
	case l.Value == "":
		p.errorf(p.pos, p.end, "empty %s literal", word)
	default:
		if msg := checkTypedValue(l.TypeName, l.Value); msg != "" {
			p.errorf(p.pos, p.end, "invalid %s literal %s: %s", word, p.lit, msg)
		}
	}
	p.next()
	return l
}

// checkTypedValue does the cheap lexical checks on a typed literal's
// contents; date and time formats are left to the analyzer.
func checkTypedValue(typ, v string) string {
	switch typ {
	case "int", "long":
		s := strings.TrimLeft(v, "+-")
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
			s = s[2:]
			if s == "" || strings.TrimLeft(s, "0123456789abcdefABCDEF") != "" {
				return "expected a hexadecimal number"
			}
			return ""
		}
		if s == "" || strings.TrimLeft(s, "0123456789") != "" {
			return "expected an integer"
		}
	case "real", "decimal":
		s := strings.TrimLeft(v, "+-")
		switch strings.ToLower(s) {
		case "nan", "inf", "infinity":
			return ""
		}
		if s == "" || strings.Trim(s, "0123456789.eE+-") != "" || !strings.ContainsAny(s[:1], "0123456789.") {
			return "expected a number"
		}
	case "bool":
		switch v {
		case "true", "false", "True", "False", "TRUE", "FALSE", "0", "1":
			return ""
		}
		return "expected true or false"
	case "guid":
		if strings.Trim(v, "0123456789abcdefABCDEF-") != "" {
			return "expected hexadecimal digits and '-'"
		}
	}
	return ""
}

// parseCall parses the argument list of fun; recv is the receiver of a
// chained call or nil.
func (p *parser) parseCall(fun *Ident, recv Expr) *CallExpr {
	p.enter()
	defer p.leave()
	c := &CallExpr{Recv: recv, Fun: fun, Lparen: p.pos}
	p.next()
	defer p.nest(RPAREN)()
	for more := p.tok != RPAREN; more; more = p.got(COMMA) {
		c.Args = append(c.Args, p.parseArg())
	}
	c.Rparen = p.expectClosing(RPAREN, "argument list of "+fun.Name)
	return c
}

// parseArg parses a call argument: *, name = value, or any expression.
func (p *parser) parseArg() Expr {
	if p.tok == MUL && (p.peek(1).tok == COMMA || p.peek(1).tok == RPAREN) {
		s := &StarExpr{Star: p.pos}
		p.next()
		return s
	}
	if p.isIdentLike() && p.peek(1).tok == ASSIGN {
		id := p.parseName("argument name")
		n := &NamedExpr{Names: []*Ident{id}, Assign: p.pos}
		p.next()
		n.X = p.parseExpr()
		return n
	}
	return p.parseExpr()
}

// parseNamedOrExpr parses a column of project, extend, summarize, print...:
// "Name = X", "(A, B) = X" or a plain expression.
func (p *parser) parseNamedOrExpr() Expr {
	switch {
	case p.isIdentLike() && p.peek(1).tok == ASSIGN,
		p.isQuotedName(0) && p.peek(3).tok == ASSIGN:
		id := p.parseName("column name")
		n := &NamedExpr{Names: []*Ident{id}, Assign: p.pos}
		p.next()
		n.X = p.parseBinary(1)
		return n
	case p.tok == LPAREN && p.tupleAhead():
		n := &NamedExpr{Lparen: p.pos}
		p.next()
		for {
			n.Names = append(n.Names, p.parseName("column name"))
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RPAREN)
		n.Assign = p.expect(ASSIGN)
		n.X = p.parseBinary(1)
		return n
	}
	return p.parseBinary(1)
}

// tupleAhead reports whether "(name, name, ...) =" starts here.
func (p *parser) tupleAhead() bool {
	n := 1
	for {
		switch {
		case identLike(p.peek(n).tok):
			n++
		case p.isQuotedName(n):
			n += 3
		default:
			return false
		}
		switch p.peek(n).tok {
		case COMMA:
			n++
		case RPAREN:
			return p.peek(n+1).tok == ASSIGN
		default:
			return false
		}
	}
}

// parseExprList parses a comma-separated list with item.
func (p *parser) parseExprList(item func() Expr) []Expr {
	var list []Expr
	for {
		list = append(list, item())
		if !p.got(COMMA) {
			return list
		}
	}
}

// ----------------------------------------------------------------------------
// dynamic(...)

func (p *parser) parseDynamic() Expr {
	d := &DynamicLit{DynPos: p.pos}
	p.next() // dynamic
	p.next() // (
	if p.tok == RPAREN {
		p.errorExpected("dynamic value")
		d.Value = &BadExpr{From: p.pos, To: p.pos}
	} else {
		d.Value = p.parseJSON()
	}
	d.Rparen = p.expectClosing(RPAREN, "dynamic literal")
	return d
}

// parseJSON parses the JSON-like contents of dynamic(...), which may embed
// KQL literals such as datetime(...) and 1d.
func (p *parser) parseJSON() Expr {
	p.enter()
	defer p.leave()
	switch p.tok {
	case LBRACK:
		a := &ArrayLit{Lbrack: p.pos}
		p.next()
		for more := p.tok != RBRACK; more; more = p.got(COMMA) {
			a.Elems = append(a.Elems, p.parseJSON())
		}
		a.Rbrack = p.expectClosing(RBRACK, "array")
		return a
	case LBRACE:
		b := &BagLit{Lbrace: p.pos}
		p.next()
		for more := p.tok != RBRACE; more; more = p.got(COMMA) {
			if p.tok != STRING {
				p.errorExpected("property name string")
				b.Rbrace = p.pos
				p.skip()
				if p.tok == RBRACE {
					b.Rbrace = p.pos
					p.next()
				}
				return b
			}
			key, _ := Unquote(p.lit)
			b.Keys = append(b.Keys, key)
			b.KeyPos = append(b.KeyPos, p.pos)
			p.next()
			p.expect(COLON)
			b.Values = append(b.Values, p.parseJSON())
		}
		b.Rbrace = p.expectClosing(RBRACE, "property bag")
		return b
	case SUB, ADD:
		pos, op := p.pos, p.tok
		p.next()
		if p.tok != INT && p.tok != REAL && p.tok != TIMESPAN {
			p.errorExpected("number")
			return &UnaryExpr{OpPos: pos, Op: op, X: p.badExpr()}
		}
		return &UnaryExpr{OpPos: pos, Op: op, X: p.parseOperand()}
	case INT, REAL, TIMESPAN, STRING, TYPED, TRUE, FALSE:
		return p.parseOperand()
	case IDENT:
		switch {
		case p.lit == "null":
			l := &Literal{ValuePos: p.pos, Kind: LitNull, Raw: "null", Value: "null", TypeName: "dynamic", EndPos: p.end}
			p.next()
			return l
		case p.lit == "dynamic" && p.peek(1).tok == LPAREN:
			return p.parseDynamic()
		}
	}
	p.errorExpected("dynamic value")
	return p.badExpr()
}
