package syntax

import (
	"fmt"
	"strings"
)

// Parse parses a whole query text: statements separated by ';'. It never
// panics; it returns a (possibly partial) tree whose broken parts are
// *BadExpr and *BadOperator, and the errors sorted by position.
func Parse(src *Source) (*Query, ErrorList) {
	p := newParser(src)
	q := &Query{}
	func() {
		defer p.recoverBailout()
		p.parseStmtList(&q.Stmts, EOF)
	}()
	p.errors.Sort()
	return q, p.errors
}

// ParseExpr parses one scalar or tabular expression, such as a --set value
// or a query without let statements.
func ParseExpr(src *Source) (Expr, ErrorList) {
	p := newParser(src)
	var x Expr
	func() {
		defer p.recoverBailout()
		x = p.parseExpr()
		if p.tok != EOF {
			p.errorExpected("end of expression")
		}
	}()
	if x == nil {
		x = &BadExpr{From: PosOf(0), To: PosOf(len(src.Text))}
	}
	p.errors.Sort()
	return x, p.errors
}

// maxErrors is the number of errors after which the parser gives up.
const maxErrors = 10

// maxDepth bounds recursion so that deeply nested input reports an error
// instead of exhausting the stack.
const maxDepth = 500

// bailout is panicked after too many errors and recovered only by the entry
// points; any other panic is a bug and propagates.
type bailout struct{}

type tokenInfo struct {
	pos, end Pos
	tok      Token
	lit      string
}

type parser struct {
	src  *Source
	toks []tokenInfo
	i    int

	// Current token.
	tok Token
	pos Pos
	end Pos
	lit string

	prevEnd Pos // end of the previous token

	errors   ErrorList
	errLines map[int]bool // lines that already have an error
	errCount int          // errors seen, including dropped and scanner-reported ones
	closers  []Token      // closing brackets of the enclosing constructs, innermost last
	scanning bool         // tokens are being read; no bailout yet
	depth    int
}

func newParser(src *Source) *parser {
	p := &parser{src: src, errLines: map[int]bool{}, scanning: true}
	defer func() { p.scanning = false }()
	var s Scanner
	s.Init(src, func(pos, end Pos, msg string) {
		p.addError(pos, end, msg)
	})
	for {
		pos, tok, lit := s.Scan()
		p.toks = append(p.toks, tokenInfo{pos: pos, end: pos + Pos(len(lit)), tok: tok, lit: lit})
		if tok == EOF {
			break
		}
	}
	p.load()
	return p
}

func (p *parser) recoverBailout() {
	if r := recover(); r != nil {
		if _, ok := r.(bailout); !ok {
			panic(r)
		}
	}
}

func (p *parser) load() {
	t := p.toks[p.i]
	p.tok, p.pos, p.end, p.lit = t.tok, t.pos, t.end, t.lit
}

// next advances to the next token; at EOF it stays there.
func (p *parser) next() {
	p.prevEnd = p.end
	if p.i < len(p.toks)-1 {
		p.i++
	}
	p.load()
}

// peek returns the token n positions ahead of the current one.
func (p *parser) peek(n int) tokenInfo {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) got(tok Token) bool {
	if p.tok == tok {
		p.next()
		return true
	}
	return false
}

// ----------------------------------------------------------------------------
// Errors

// addError records an error unless its line already has one, which keeps
// follow-on errors of one mistake out of the list.
func (p *parser) addError(from, to Pos, msg string) {
	p.errCount++
	pos := p.src.Position(from)
	if p.errLines[pos.Line] {
		return
	}
	p.errLines[pos.Line] = true
	if to < from {
		to = from
	}
	p.errors = append(p.errors, &Error{Pos: pos, Msg: msg, Span: [2]Pos{from, to}})
	if len(p.errors) >= maxErrors && !p.scanning {
		panic(bailout{})
	}
}

func (p *parser) errorf(from, to Pos, format string, args ...any) {
	p.addError(from, to, fmt.Sprintf(format, args...))
}

// desc describes the current token for messages.
func (p *parser) desc() string { return describe(p.tok, p.lit) }

func describe(tok Token, lit string) string {
	switch tok {
	case EOF:
		return "end of query"
	case STRING:
		if len(lit) > 24 {
			lit = lit[:20] + "..."
		}
		return "string " + lit
	}
	return "'" + lit + "'"
}

// errorExpected reports "expected what, found <current token>". Scanner
// errors are already reported, so ILLEGAL tokens add nothing. When the
// current token starts a later line, the error points just past the previous
// token, where the missing text belongs.
func (p *parser) errorExpected(what string) {
	if p.tok == ILLEGAL {
		p.errCount++
		return
	}
	switch {
	case p.tok == EOF && p.prevEnd.IsValid():
		p.errorf(p.prevEnd, p.prevEnd, "expected %s, found end of query", what)
	case p.onLaterLine():
		p.errorf(p.prevEnd, p.prevEnd, "expected %s, found %s on line %d", what, p.desc(), p.src.Position(p.pos).Line)
	default:
		p.errorf(p.pos, p.end, "expected %s, found %s", what, p.desc())
	}
}

// onLaterLine reports whether the current token (not EOF) starts on a line
// after the end of the previous token.
func (p *parser) onLaterLine() bool {
	return p.tok != EOF && p.prevEnd.IsValid() && p.src.Position(p.pos).Line > p.src.Position(p.prevEnd).Line
}

// errorUnexpected reports "unexpected <current token> in context".
func (p *parser) errorUnexpected(context string) {
	if p.tok == ILLEGAL {
		p.errCount++
		return
	}
	p.errorf(p.pos, p.end, "unexpected %s in %s", p.desc(), context)
}

// errorStray reports a token that cannot continue the construct just
// parsed. A token on a new line usually means a missing separator at the end
// of the previous line (two queries without ';', a missing '|' or ')'), so
// the error points there, as Kusto's does.
func (p *parser) errorStray(context string) {
	if p.tok == ILLEGAL {
		p.errCount++
		return
	}
	line := p.src.Position(p.pos).Line
	if p.onLaterLine() {
		want := "';' or '|'"
		if n := len(p.closers); n > 0 {
			want = "'" + p.closers[n-1].String() + "' or '|'"
		}
		p.errorf(p.prevEnd, p.prevEnd, "expected %s at end of line, found %s on line %d", want, p.desc(), line)
		return
	}
	p.errorUnexpected(context)
}

// nest records that the parser is inside a bracket closed by tok; the
// returned function undoes it.
func (p *parser) nest(tok Token) func() {
	p.closers = append(p.closers, tok)
	return func() { p.closers = p.closers[:len(p.closers)-1] }
}

// expect consumes tok or reports it missing; it returns tok's position.
func (p *parser) expect(tok Token) Pos {
	pos := p.pos
	if p.tok == tok {
		p.next()
		return pos
	}
	p.errorExpected("'" + tok.String() + "'")
	return pos
}

// expectClosing is expect for a closing bracket; the message names the
// construct left open, which matters when the opening bracket is lines away.
func (p *parser) expectClosing(tok Token, context string) Pos {
	pos := p.pos
	if p.tok == tok {
		p.next()
		return pos
	}
	p.errorExpected(fmt.Sprintf("'%s' to close %s", tok, context))
	return pos
}

// skip advances to a synchronisation point: a '|' or ';' outside brackets,
// an unmatched closing bracket, or EOF. It consumes at least one token unless
// already at such a point.
func (p *parser) skip() {
	depth := 0
	for p.tok != EOF {
		switch p.tok {
		case LPAREN, LBRACK, LBRACE:
			depth++
		case RPAREN, RBRACK, RBRACE:
			if depth == 0 {
				return
			}
			depth--
		case PIPE, SEMI:
			if depth == 0 {
				return
			}
		}
		p.next()
	}
}

// atSync reports whether the current token ends an operator or statement.
func (p *parser) atSync() bool {
	switch p.tok {
	case PIPE, SEMI, EOF, RPAREN, RBRACE, RBRACK:
		return true
	}
	return false
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		// Bypass the one-error-per-line rule: giving up must never look
		// like success.
		p.errors = append(p.errors, &Error{Pos: p.src.Position(p.pos), Msg: "query nested too deeply", Span: [2]Pos{p.pos, p.end}})
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

// ----------------------------------------------------------------------------
// Statements

// parseStmtList parses statements separated by ';' until the closing token
// (EOF for a query, '}' for a function body).
func (p *parser) parseStmtList(list *[]Stmt, closing Token) {
	for p.tok != closing && p.tok != EOF {
		start := p.i
		if p.tok == SEMI {
			p.errorUnexpected("query")
			p.next()
			continue
		}
		if s := p.parseStmt(); s != nil {
			*list = append(*list, s)
		}
		if p.got(SEMI) {
			continue
		}
		if p.tok == closing || p.tok == EOF {
			break
		}
		p.errorStray("query")
		p.skip()
		if p.tok == RPAREN || p.tok == RBRACK || (p.tok == RBRACE && closing != RBRACE) {
			p.next() // unmatched closer: drop it and go on
		}
		if p.i == start {
			p.next()
		}
	}
}

func (p *parser) parseStmt() Stmt {
	switch p.tok {
	case LET:
		return p.parseLet()
	case SET:
		return p.parseSet()
	case DECLARE:
		if p.peek(1).lit == "query_parameters" {
			return p.parseDeclare()
		}
	}
	x := p.parseExpr()
	return &ExprStmt{X: x}
}

func (p *parser) parseLet() Stmt {
	s := &LetStmt{LetPos: p.pos}
	p.next()
	s.Name = p.parseName("let name")
	p.expect(ASSIGN)
	switch {
	case p.tok == LPAREN && p.isLambda(0):
		s.Value = p.parseFuncLit(NoPos)
	case p.tok == IDENT && p.lit == "view" && p.peek(1).tok == LPAREN && p.isLambda(1):
		pos := p.pos
		p.next()
		s.Value = p.parseFuncLit(pos)
	default:
		s.Value = p.parseExpr()
	}
	return s
}

// isLambda reports whether the '(' at lookahead n is a parameter list: its
// matching ')' is followed by '{'.
func (p *parser) isLambda(n int) bool {
	depth := 0
	for j := p.i + n; j < len(p.toks); j++ {
		switch p.toks[j].tok {
		case LPAREN:
			depth++
		case RPAREN:
			depth--
			if depth == 0 {
				return j+1 < len(p.toks) && p.toks[j+1].tok == LBRACE
			}
		case PIPE, SEMI, EOF, LBRACE, RBRACE:
			return false
		}
	}
	return false
}

func (p *parser) parseFuncLit(viewPos Pos) *FuncLit {
	p.enter()
	defer p.leave()
	f := &FuncLit{ViewPos: viewPos, Lparen: p.pos}
	f.Params = p.parseParamList()
	f.Lbrace = p.expect(LBRACE)
	pop := p.nest(RBRACE)
	p.parseStmtList(&f.Body, RBRACE)
	pop()
	if len(f.Body) == 0 {
		p.errorExpected("function body")
	}
	f.Rbrace = p.expectClosing(RBRACE, "function body")
	return f
}

// parseParamList parses "(name[:type][=default], ...)".
func (p *parser) parseParamList() []*Param {
	var params []*Param
	p.expect(LPAREN)
	for more := p.tok != RPAREN; more; more = p.got(COMMA) {
		params = append(params, p.parseParam())
	}
	p.expectClosing(RPAREN, "parameter list")
	return params
}

func (p *parser) parseParam() *Param {
	prm := &Param{Name: p.parseName("parameter name")}
	if p.tok == COLON {
		prm.Colon = p.pos
		p.next()
		prm.Type, prm.TypeEnd = p.parseTypeSpec()
	}
	if p.tok == ASSIGN {
		prm.Assign = p.pos
		p.next()
		prm.Default = p.parseBinary(1)
	}
	return prm
}

// parseTypeSpec parses a scalar type name, "(*)" or a tabular schema
// "(a:string, b:long)" and returns its canonical text.
func (p *parser) parseTypeSpec() (string, Pos) {
	if p.tok != LPAREN {
		name, _, end := p.parseTypeName()
		return name, end
	}
	p.next()
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; p.tok != RPAREN && p.tok != EOF; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if p.tok == MUL {
			b.WriteByte('*')
			p.next()
		} else {
			id := p.parseName("column name")
			b.WriteString(identString(id))
			p.expect(COLON)
			name, _, _ := p.parseTypeName()
			b.WriteString(":" + name)
		}
		if !p.got(COMMA) {
			break
		}
	}
	end := p.end
	p.expectClosing(RPAREN, "table schema")
	b.WriteByte(')')
	return b.String(), end
}

// parseTypeName parses a scalar type name such as string or long.
func (p *parser) parseTypeName() (name string, pos, end Pos) {
	pos = p.pos
	if p.isIdentLike() {
		name, end = p.lit, p.end
		p.next()
		return name, pos, end
	}
	p.errorExpected("type name")
	return "", pos, pos
}

func (p *parser) parseSet() Stmt {
	s := &SetStmt{SetPos: p.pos}
	p.next()
	s.Name = p.parseDottedName("option name")
	if p.got(ASSIGN) {
		s.Value = p.parseBinary(1)
	}
	s.EndPos = p.prevEnd
	return s
}

func (p *parser) parseDeclare() Stmt {
	s := &DeclareStmt{DeclPos: p.pos}
	p.next() // declare
	p.next() // query_parameters
	s.Params = p.parseParamList()
	s.EndPos = p.prevEnd
	return s
}

// ----------------------------------------------------------------------------
// Names

// isIdentLike reports whether the current token can be used as a plain
// name: an identifier, or a keyword other than the expression operators.
func (p *parser) isIdentLike() bool { return identLike(p.tok) }

func identLike(tok Token) bool {
	if tok == IDENT {
		return true
	}
	switch tok {
	case AND, OR, TRUE, FALSE, LET, DECLARE:
		return false
	}
	return tok.IsKeyword() && !tok.IsRelational()
}

// isQuotedName reports whether ['x'] or ["x"] starts at lookahead n.
func (p *parser) isQuotedName(n int) bool {
	return p.peek(n).tok == LBRACK && p.peek(n+1).tok == STRING && p.peek(n+2).tok == RBRACK
}

// parseName parses an identifier or a quoted name ['x'].
func (p *parser) parseName(what string) *Ident {
	switch {
	case p.isIdentLike():
		id := &Ident{NamePos: p.pos, Name: p.lit, EndPos: p.end}
		p.next()
		return id
	case p.isQuotedName(0):
		return p.parseQuotedName()
	}
	p.errorExpected(what)
	id := &Ident{NamePos: p.pos, Name: "_", EndPos: p.pos}
	if p.tok == ILLEGAL {
		p.next()
	}
	return id
}

func (p *parser) parseQuotedName() *Ident {
	id := &Ident{NamePos: p.pos, Quoted: true}
	p.next() // [
	v, _ := Unquote(p.lit)
	id.Name = v
	p.next() // string
	id.EndPos = p.end
	p.next() // ]
	return id
}

// parseDottedName parses name(.name)* such as hint.strategy.
func (p *parser) parseDottedName(what string) string {
	id := p.parseName(what)
	name := id.Name
	for p.tok == DOT && identLike(p.peek(1).tok) {
		p.next()
		name += "." + p.lit
		p.next()
	}
	return name
}

// adjacent reports whether the token at lookahead n starts exactly where the
// one before it ends (no blank or comment between).
func (p *parser) adjacent(n int) bool {
	j := p.i + n
	if j <= 0 || j >= len(p.toks) {
		return false
	}
	return p.toks[j].pos == p.toks[j-1].end
}

// wordAt returns the dash-joined word starting at lookahead n (mv-expand,
// project-away, granny-asc) and the number of tokens it spans. Only
// adjacent "ident - ident" runs join.
func (p *parser) wordAt(n int) (string, int) {
	t := p.peek(n)
	if !identLike(t.tok) {
		return "", 0
	}
	word, k := t.lit, 1
	for p.peek(n+k).tok == SUB && identLike(p.peek(n+k+1).tok) && p.adjacent(n+k) && p.adjacent(n+k+1) {
		cand := word + "-" + p.peek(n+k+1).lit
		if !dashedWords[cand] && !dashedPrefixes[cand] {
			break
		}
		word, k = cand, k+2
	}
	return word, k
}

var dashedWords = map[string]bool{
	"project-away": true, "project-keep": true, "project-rename": true, "project-reorder": true,
	"project-smart": true, "mv-expand": true, "mv-apply": true, "parse-where": true, "parse-kv": true,
	"make-series": true, "top-nested": true, "top-hitters": true, "sample-distinct": true,
	"granny-asc": true, "granny-desc": true, "make-graph": true, "graph-match": true,
	"execute-and-cache": true, "assert-schema": true, "project-by-names": true,
	"graph-shortest-paths": true, "graph-to-table": true, "graph-mark-components": true,
	"partitioned-by": true,
}

var dashedPrefixes = map[string]bool{"execute-and": true, "project-by": true,
	"graph-shortest": true, "graph-to": true, "graph-mark": true}

// ----------------------------------------------------------------------------
// Operator parameters

// paramSet says which parameter names an operator accepts before its main
// arguments ("kind", "hint.*", ...).
type paramSet func(name string) bool

func params(names ...string) paramSet {
	return func(name string) bool {
		if strings.HasPrefix(name, "hint.") {
			return true
		}
		for _, n := range names {
			if n == name {
				return true
			}
		}
		return false
	}
}

// paramAhead reports whether name[.name]* = (not ==) starts here and the
// name is accepted by ok.
func (p *parser) paramAhead(ok paramSet) bool {
	if !p.isIdentLike() {
		return false
	}
	name := p.lit
	n := 1
	for p.peek(n).tok == DOT && identLike(p.peek(n+1).tok) {
		name += "." + p.peek(n+1).lit
		n += 2
	}
	return p.peek(n).tok == ASSIGN && ok(name)
}

// parseParams parses "name=value" operator parameters accepted by ok.
func (p *parser) parseParams(ok paramSet) []*NamedExpr {
	var list []*NamedExpr
	for p.paramAhead(ok) {
		list = append(list, p.parseParam1())
	}
	return list
}

func (p *parser) parseParam1() *NamedExpr {
	id := &Ident{NamePos: p.pos}
	id.Name = p.parseDottedName("parameter name")
	id.EndPos = p.prevEnd
	n := &NamedExpr{Names: []*Ident{id}, Assign: p.pos}
	p.expect(ASSIGN)
	n.X = p.parseParamValue()
	return n
}

// parseParamValue parses a parameter value: a name, a literal or a signed
// number. It never parses a call, so "kind=inner (T)" keeps (T) for the
// operator.
func (p *parser) parseParamValue() Expr {
	switch {
	case p.isIdentLike():
		id := &Ident{NamePos: p.pos, Name: p.lit, EndPos: p.end}
		p.next()
		return id
	case p.isQuotedName(0):
		return p.parseQuotedName()
	case (p.tok == SUB || p.tok == ADD) && (p.peek(1).tok == INT || p.peek(1).tok == REAL || p.peek(1).tok == TIMESPAN):
		pos, op := p.pos, p.tok
		p.next()
		return &UnaryExpr{OpPos: pos, Op: op, X: p.parseOperand()}
	case p.tok == INT || p.tok == REAL || p.tok == STRING || p.tok == TIMESPAN || p.tok == TYPED ||
		p.tok == TRUE || p.tok == FALSE:
		return p.parseOperand()
	}
	p.errorExpected("parameter value")
	return p.badExpr()
}

func (p *parser) badExpr() *BadExpr {
	b := &BadExpr{From: p.pos, To: p.end}
	if !p.atSync() && p.tok != COMMA {
		p.next()
	}
	return b
}
