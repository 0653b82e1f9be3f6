package syntax

import (
	"strings"
	"unicode/utf8"
)

// Format returns the canonical KQL text of n. The text parses back to the
// same tree (comments and layout are not kept; statements are separated by
// ";\n"). Parentheses appear where the tree has a *ParenExpr, and around the
// tabular operands of join, lookup, union and sub-queries.
func Format(n Node) string {
	var p printer
	p.node(n)
	return p.String()
}

type printer struct {
	strings.Builder
}

func (p *printer) list(xs []Expr, sep string) {
	for i, x := range xs {
		if i > 0 {
			p.WriteString(sep)
		}
		p.node(x)
	}
}

func (p *printer) params(ps []*NamedExpr) {
	for _, n := range ps {
		p.WriteByte(' ')
		p.param(n)
	}
}

// param prints name=value without blanks, the form of operator parameters.
func (p *printer) param(n *NamedExpr) {
	if len(n.Names) == 1 && isDottedName(n.Names[0].Name) {
		p.WriteString(n.Names[0].Name)
	} else {
		p.names(n)
	}
	p.WriteByte('=')
	p.node(n.X)
}

func (p *printer) names(n *NamedExpr) {
	if len(n.Names) == 1 && !n.Lparen.IsValid() {
		p.WriteString(identString(n.Names[0]))
		return
	}
	p.WriteByte('(')
	for i, id := range n.Names {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(identString(id))
	}
	p.WriteByte(')')
}

func (p *printer) props(ps []*NamedExpr) {
	p.WriteString(" with (")
	for i, n := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.param(n)
	}
	p.WriteByte(')')
}

// tableRef prints a union/search/find table, parenthesizing anything that is
// not a plain name or call.
func (p *printer) tableRef(x Expr) {
	switch x.(type) {
	case *Ident, *CallExpr, *MemberExpr:
		p.node(x)
	default:
		p.paren(x)
	}
}

func (p *printer) paren(x Expr) {
	p.WriteByte('(')
	p.node(x)
	p.WriteByte(')')
}

func (p *printer) sortKey(k *SortKey) {
	p.node(k.X)
	if k.DescSet {
		switch {
		case k.Granny && k.Desc:
			p.WriteString(" granny-desc")
		case k.Granny:
			p.WriteString(" granny-asc")
		case k.Desc:
			p.WriteString(" desc")
		default:
			p.WriteString(" asc")
		}
	}
	if k.Nulls != "" {
		p.WriteString(" nulls " + k.Nulls)
	}
}

func (p *printer) mvItems(items []*MvExpandItem, limit Expr) {
	for i, it := range items {
		if i > 0 {
			p.WriteByte(',')
		}
		p.WriteByte(' ')
		p.node(it.X)
		if it.ToType != "" {
			p.WriteString(" to typeof(" + it.ToType + ")")
		}
	}
	if limit != nil {
		p.WriteString(" limit ")
		p.node(limit)
	}
}

func (p *printer) columnDecls(cols []*ColumnDecl) {
	p.WriteByte('(')
	for i, c := range cols {
		if i > 0 {
			p.WriteString(", ")
		}
		p.node(c)
	}
	p.WriteByte(')')
}

func (p *printer) stmts(list []Stmt, sep string) {
	for i, s := range list {
		if i > 0 {
			p.WriteString(sep)
		}
		p.node(s)
	}
}

func (p *printer) node(n Node) {
	switch n := n.(type) {
	case nil:
		p.WriteString("<nil>")
	case *Query:
		p.stmts(n.Stmts, ";\n")
	case *LetStmt:
		p.WriteString("let " + identString(n.Name) + " = ")
		p.node(n.Value)
	case *ExprStmt:
		p.node(n.X)
	case *SetStmt:
		p.WriteString("set " + n.Name)
		if n.Value != nil {
			p.WriteString(" = ")
			p.node(n.Value)
		}
	case *DeclareStmt:
		p.WriteString("declare query_parameters(")
		p.paramList(n.Params)
		p.WriteByte(')')

	case *Ident:
		p.WriteString(identString(n))
	case *Literal:
		p.WriteString(literalString(n))
	case *DynamicLit:
		p.WriteString("dynamic(")
		p.node(n.Value)
		p.WriteByte(')')
	case *ArrayLit:
		p.WriteByte('[')
		p.list(n.Elems, ", ")
		p.WriteByte(']')
	case *BagLit:
		p.WriteByte('{')
		for i, k := range n.Keys {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString(Quote(k) + ": ")
			if i < len(n.Values) {
				p.node(n.Values[i])
			}
		}
		p.WriteByte('}')
	case *ParenExpr:
		p.paren(n.X)
	case *UnaryExpr:
		p.WriteString(n.Op.String())
		p.node(n.X)
	case *BinaryExpr:
		p.node(n.X)
		if n.Op == ":" {
			p.WriteByte(':')
		} else {
			p.WriteString(" " + n.Op + " ")
		}
		p.node(n.Y)
	case *ListExpr:
		p.node(n.X)
		p.WriteString(" " + n.Op + " (")
		p.list(n.List, ", ")
		p.WriteByte(')')
	case *BetweenExpr:
		p.node(n.X)
		if n.Not {
			p.WriteString(" !between (")
		} else {
			p.WriteString(" between (")
		}
		p.node(n.Lo)
		p.WriteString(" .. ")
		p.node(n.Hi)
		p.WriteByte(')')
	case *CallExpr:
		if n.Recv != nil {
			p.node(n.Recv)
			p.dot()
		}
		p.WriteString(identString(n.Fun))
		if typedLiteralNames[n.Fun.Name] && !n.Fun.Quoted {
			p.WriteByte(' ') // time(...) glued would be a typed literal
		}
		p.WriteByte('(')
		p.list(n.Args, ", ")
		p.WriteByte(')')
	case *MemberExpr:
		p.node(n.X)
		p.dot()
		p.WriteString(identString(n.Name))
	case *IndexExpr:
		p.node(n.X)
		if s := p.String(); s != "" && s[len(s)-1] == '.' {
			p.WriteByte(' ') // 0.[x] would scan as 0 .[x], a member access
		}
		p.WriteByte('[')
		p.node(n.Index)
		p.WriteByte(']')
	case *StarExpr:
		p.WriteByte('*')
	case *NamedExpr:
		p.names(n)
		p.WriteString(" = ")
		p.node(n.X)
	case *FuncLit:
		if n.ViewPos.IsValid() {
			p.WriteString("view ")
		}
		p.WriteByte('(')
		p.paramList(n.Params)
		p.WriteString(") { ")
		p.stmts(n.Body, "; ")
		p.WriteString(" }")
	case *Param:
		p.WriteString(identString(n.Name))
		if n.Type != "" {
			p.WriteString(":" + n.Type)
		}
		if n.Default != nil {
			p.WriteString(" = ")
			p.node(n.Default)
		}
	case *ColumnDecl:
		p.WriteString(identString(n.Name))
		if n.Type != "" {
			p.WriteString(":" + n.Type)
		}
	case *PipeExpr:
		if n.Source != nil {
			p.node(n.Source)
		}
		for i, op := range n.Ops {
			if i > 0 || n.Source != nil {
				p.WriteString(" | ")
			}
			p.node(op)
		}
	case *ExprList:
		p.list(n.Elems, ", ")
	case *BadExpr:
		p.WriteString("<bad expression>")

	case *PrintOp:
		p.WriteString("print ")
		p.list(n.Cols, ", ")
	case *DatatableExpr:
		p.WriteString("datatable")
		p.params(n.Params)
		p.columnDecls(n.Columns)
		p.WriteString(" [")
		p.list(n.Values, ", ")
		p.WriteByte(']')
	case *RangeExpr:
		p.WriteString("range " + identString(n.Name) + " from ")
		p.node(n.From)
		p.WriteString(" to ")
		p.node(n.To)
		p.WriteString(" step ")
		p.node(n.Step)
	case *ExternalDataExpr:
		p.WriteString("externaldata")
		p.params(n.Params)
		p.columnDecls(n.Columns)
		p.WriteString(" [")
		p.list(n.URLs, ", ")
		p.WriteByte(']')
		if len(n.Props) > 0 {
			p.props(n.Props)
		}

	case *FindOp:
		p.find(n)
	case *SortKey:
		p.sortKey(n)
	case *MvExpandItem:
		p.node(n.X)
		if n.ToType != "" {
			p.WriteString(" to typeof(" + n.ToType + ")")
		}
	case *MakeSeriesAgg:
		p.node(n.X)
		if n.Default != nil {
			p.WriteString(" default = ")
			p.node(n.Default)
		}
	case *TopNestedLevel:
		p.topNestedLevel(n)
	case *ScanStep:
		p.scanStep(n)

	default:
		if p.graphNode(n) {
			return
		}
		if op, ok := n.(Operator); ok {
			p.operator(op)
			return
		}
		p.WriteString("<unknown node>")
	}
}

// dot writes the '.' of a member access; after a digit or a dot it writes
// " ." so that 0 .x and 1. .x do not scan as the real 0. or the token "..".
func (p *printer) dot() {
	if s := p.String(); s != "" && (isDigit(s[len(s)-1]) || s[len(s)-1] == '.') {
		p.WriteByte(' ')
	}
	p.WriteByte('.')
}

func (p *printer) paramList(ps []*Param) {
	for i, prm := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.node(prm)
	}
}

func (p *printer) operator(op Operator) {
	if _, bad := op.(*BadOperator); bad {
		p.WriteString("<bad operator>")
		return
	}
	p.WriteString(op.Name())
	if p.graphOperator(op) {
		return
	}
	switch n := op.(type) {
	case *WhereOp:
		p.WriteByte(' ')
		p.node(n.Pred)
	case *ProjectOp:
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *ExtendOp:
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *ProjectAwayOp:
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *ProjectKeepOp:
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *ProjectByNamesOp:
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *ProjectRenameOp:
		p.WriteByte(' ')
		for i, r := range n.Renames {
			if i > 0 {
				p.WriteString(", ")
			}
			p.node(r)
		}
	case *ProjectReorderOp:
		p.WriteByte(' ')
		for i, k := range n.Cols {
			if i > 0 {
				p.WriteString(", ")
			}
			p.sortKey(k)
		}
	case *SummarizeOp:
		p.params(n.Params)
		if len(n.Aggs) > 0 {
			p.WriteByte(' ')
			p.list(n.Aggs, ", ")
		}
		if len(n.By) > 0 {
			p.WriteString(" by ")
			p.list(n.By, ", ")
		}
	case *SortOp:
		p.params(n.Params)
		p.WriteString(" by ")
		for i, k := range n.Keys {
			if i > 0 {
				p.WriteString(", ")
			}
			p.sortKey(k)
		}
	case *TakeOp:
		p.WriteByte(' ')
		p.node(n.Count)
	case *TopOp:
		p.WriteByte(' ')
		p.node(n.Count)
		p.WriteString(" by ")
		p.sortKey(n.By)
	case *DistinctOp:
		p.params(n.Params)
		p.WriteByte(' ')
		p.list(n.Cols, ", ")
	case *CountOp, *GetSchemaOp:
	case *JoinOp:
		p.params(n.Params)
		p.WriteByte(' ')
		p.paren(n.Right)
		if n.OnPos.IsValid() || len(n.On) > 0 {
			p.WriteString(" on ")
			p.list(n.On, ", ")
		}
	case *LookupOp:
		p.params(n.Params)
		p.WriteByte(' ')
		p.paren(n.Right)
		if n.OnPos.IsValid() || len(n.On) > 0 {
			p.WriteString(" on ")
			p.list(n.On, ", ")
		}
	case *UnionOp:
		p.params(n.Params)
		for i, t := range n.Tables {
			if i > 0 {
				p.WriteByte(',')
			}
			p.WriteByte(' ')
			p.tableRef(t)
		}
	case *MvExpandOp:
		p.params(n.Params)
		p.mvItems(n.Items, n.Limit)
	case *MvApplyOp:
		p.params(n.Params)
		p.mvItems(n.Items, n.Limit)
		p.WriteString(" on ")
		p.paren(n.OnBody)
	case *ParseOp:
		if n.Kind != "" {
			p.WriteString(" kind=" + n.Kind)
		}
		if n.Flags != "" {
			p.WriteString(" flags=" + n.Flags)
		}
		p.WriteByte(' ')
		p.node(n.X)
		p.WriteString(" with")
		for _, x := range n.Pattern {
			p.WriteByte(' ')
			if strings.HasSuffix(p.String(), "matches ") && strings.HasPrefix(Format(x), "regex") {
				p.WriteByte(' ') // one blank would make the "matches regex" operator
			}
			p.node(x)
		}
	case *ParseKvOp:
		p.WriteByte(' ')
		p.node(n.X)
		p.WriteString(" as ")
		p.columnDecls(n.Columns)
		if len(n.Params) > 0 {
			p.props(n.Params)
		}
	case *EvaluateOp:
		p.params(n.Params)
		p.WriteByte(' ')
		p.node(n.Call)
		if n.Schema != "" {
			p.WriteString(" : " + n.Schema)
		}
	case *MakeSeriesOp:
		p.params(n.Params)
		for i, a := range n.Aggs {
			if i > 0 {
				p.WriteByte(',')
			}
			p.WriteByte(' ')
			p.node(a.X)
			if a.Default != nil {
				p.WriteString(" default = ")
				p.node(a.Default)
			}
		}
		p.WriteString(" on ")
		p.node(n.On)
		if n.InRange {
			p.WriteString(" in range(")
			p.list([]Expr{n.From, n.To, n.Step}, ", ")
			p.WriteByte(')')
		} else {
			if n.From != nil {
				p.WriteString(" from ")
				p.node(n.From)
			}
			if n.To != nil {
				p.WriteString(" to ")
				p.node(n.To)
			}
			p.WriteString(" step ")
			p.node(n.Step)
		}
		if len(n.By) > 0 {
			p.WriteString(" by ")
			p.list(n.By, ", ")
		}
	case *RenderOp:
		p.WriteString(" " + n.Chart)
		if len(n.With) > 0 {
			p.props(n.With)
		}
	case *AsOp:
		p.params(n.Params)
		p.WriteString(" " + identString(n.Alias))
	case *InvokeOp:
		p.WriteByte(' ')
		p.node(n.Call)
	case *SerializeOp:
		if len(n.Cols) > 0 {
			p.WriteByte(' ')
			p.list(n.Cols, ", ")
		}
	case *SampleOp:
		p.WriteByte(' ')
		p.node(n.Count)
	case *SampleDistinctOp:
		p.WriteByte(' ')
		p.node(n.Count)
		p.WriteString(" of ")
		p.node(n.Col)
	case *TopNestedOp:
		for i, l := range n.Levels {
			if i > 0 {
				p.WriteString(", top-nested")
			}
			p.WriteByte(' ')
			p.topNestedLevel(l)
		}
	case *TopHittersOp:
		p.WriteByte(' ')
		p.node(n.Count)
		p.WriteString(" of ")
		p.node(n.Of)
		if n.By != nil {
			p.WriteString(" by ")
			p.node(n.By)
		}
	case *PartitionOp:
		p.params(n.Params)
		p.WriteString(" by ")
		p.node(n.By)
		if n.Brace {
			p.WriteString(" { ")
			p.node(n.Body)
			p.WriteString(" }")
		} else {
			p.WriteByte(' ')
			p.paren(n.Body)
		}
	case *ScanOp:
		p.params(n.Params)
		if len(n.Declare) > 0 {
			p.WriteString(" declare (")
			p.paramList(n.Declare)
			p.WriteByte(')')
		}
		p.WriteString(" with (")
		for i, s := range n.Steps {
			if i > 0 {
				p.WriteByte(' ')
			}
			p.scanStep(s)
		}
		p.WriteByte(')')
	case *FacetOp:
		p.WriteString(" by ")
		p.list(n.By, ", ")
		if n.With != nil {
			p.WriteString(" with ")
			p.paren(n.With)
		}
	case *ForkOp:
		for _, b := range n.Branches {
			p.WriteByte(' ')
			if nb, ok := b.(*NamedExpr); ok {
				p.names(nb)
				p.WriteString(" = ")
				p.paren(nb.X)
				continue
			}
			p.paren(b)
		}
	case *ConsumeOp:
		p.params(n.Params)
	case *ReduceOp:
		p.params(n.Params)
		p.WriteString(" by ")
		p.node(n.By)
		if len(n.With) > 0 {
			p.WriteString(" with ")
			for i, w := range n.With {
				if i > 0 {
					p.WriteString(", ")
				}
				p.param(w)
			}
		}
	case *SearchOp:
		p.params(n.Params)
		if n.Tables != nil {
			p.WriteString(" in (")
			for i, t := range n.Tables {
				if i > 0 {
					p.WriteString(", ")
				}
				p.tableRef(t)
			}
			p.WriteByte(')')
		}
		p.WriteByte(' ')
		p.node(n.Pred)
	}
}

func (p *printer) topNestedLevel(l *TopNestedLevel) {
	if l.Count != nil {
		p.node(l.Count)
		p.WriteByte(' ')
	}
	p.WriteString("of ")
	p.node(l.Of)
	if l.Others != nil {
		p.WriteString(" with others = ")
		p.node(l.Others)
	}
	p.WriteString(" by ")
	p.sortKey(l.By)
}

func (p *printer) scanStep(s *ScanStep) {
	p.WriteString("step " + identString(s.Name))
	if s.Output != "" {
		p.WriteString(" output=" + s.Output)
	}
	p.WriteString(": ")
	p.node(s.Cond)
	for j, a := range s.Assigns {
		if j == 0 {
			p.WriteString(" => ")
		} else {
			p.WriteString(", ")
		}
		p.node(a)
	}
	p.WriteByte(';')
}

func (p *printer) find(n *FindOp) {
	p.WriteString("find")
	p.params(n.Params)
	if n.Tables != nil {
		p.WriteString(" in (")
		for i, t := range n.Tables {
			if i > 0 {
				p.WriteString(", ")
			}
			p.tableRef(t)
		}
		p.WriteByte(')')
	}
	p.WriteString(" where ")
	p.node(n.Pred)
	if n.Project != "" {
		p.WriteString(" " + n.Project)
		if len(n.Cols) > 0 {
			p.WriteByte(' ')
			p.list(n.Cols, ", ")
		}
	}
}

// identString returns the KQL spelling of id: its name, or ['name'] when it
// was quoted or cannot be written bare.
func identString(id *Ident) string {
	if id == nil {
		return "<nil>"
	}
	if !id.Quoted && isBareName(id.Name) {
		return id.Name
	}
	return "[" + quoteWith(id.Name, '\'') + "]"
}

// isBareName reports whether name can be written without brackets. Wildcard
// patterns (Foo*) are kept bare.
func isBareName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isIdentChar(c) && c != '*' && !(c == '$' && i == 0) {
			return false
		}
	}
	return true
}

// isDottedName reports whether name is a parameter name such as
// hint.strategy that prints bare.
func isDottedName(name string) bool {
	for _, part := range strings.Split(name, ".") {
		if part == "" || strings.Contains(part, "*") || !isBareName(part) {
			return false
		}
	}
	return true
}

// Quote returns s as a double-quoted KQL string literal.
func Quote(s string) string { return quoteWith(s, '"') }

func quoteWith(s string, q byte) string {
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// literalString returns the source text of l, or a canonical spelling for
// literals built without one.
func literalString(l *Literal) string {
	if l.Raw != "" {
		return l.Raw
	}
	switch l.Kind {
	case LitString:
		return Quote(l.Value)
	case LitNull:
		if l.TypeName == "dynamic" || l.TypeName == "" {
			return "null"
		}
		return l.TypeName + "(null)"
	}
	if l.TypeName != "" {
		return l.TypeName + "(" + l.Value + ")"
	}
	return l.Value
}

// String methods return Format(x).
func (x *Query) String() string            { return Format(x) }
func (x *LetStmt) String() string          { return Format(x) }
func (x *ExprStmt) String() string         { return Format(x) }
func (x *SetStmt) String() string          { return Format(x) }
func (x *DeclareStmt) String() string      { return Format(x) }
func (x *Ident) String() string            { return Format(x) }
func (x *Literal) String() string          { return Format(x) }
func (x *DynamicLit) String() string       { return Format(x) }
func (x *ArrayLit) String() string         { return Format(x) }
func (x *BagLit) String() string           { return Format(x) }
func (x *ParenExpr) String() string        { return Format(x) }
func (x *UnaryExpr) String() string        { return Format(x) }
func (x *BinaryExpr) String() string       { return Format(x) }
func (x *ListExpr) String() string         { return Format(x) }
func (x *BetweenExpr) String() string      { return Format(x) }
func (x *CallExpr) String() string         { return Format(x) }
func (x *MemberExpr) String() string       { return Format(x) }
func (x *IndexExpr) String() string        { return Format(x) }
func (x *StarExpr) String() string         { return Format(x) }
func (x *NamedExpr) String() string        { return Format(x) }
func (x *FuncLit) String() string          { return Format(x) }
func (x *Param) String() string            { return Format(x) }
func (x *ColumnDecl) String() string       { return Format(x) }
func (x *PipeExpr) String() string         { return Format(x) }
func (x *ExprList) String() string         { return Format(x) }
func (x *BadExpr) String() string          { return Format(x) }
func (x *PrintOp) String() string          { return Format(x) }
func (x *DatatableExpr) String() string    { return Format(x) }
func (x *RangeExpr) String() string        { return Format(x) }
func (x *ExternalDataExpr) String() string { return Format(x) }
func (x *SortKey) String() string          { return Format(x) }
func (x *MvExpandItem) String() string     { return Format(x) }
func (x *WhereOp) String() string          { return Format(x) }
func (x *ProjectOp) String() string        { return Format(x) }
func (x *ExtendOp) String() string         { return Format(x) }
func (x *ProjectAwayOp) String() string    { return Format(x) }
func (x *ProjectKeepOp) String() string    { return Format(x) }
func (x *ProjectByNamesOp) String() string { return Format(x) }
func (x *ProjectRenameOp) String() string  { return Format(x) }
func (x *ProjectReorderOp) String() string { return Format(x) }
func (x *SummarizeOp) String() string      { return Format(x) }
func (x *SortOp) String() string           { return Format(x) }
func (x *TakeOp) String() string           { return Format(x) }
func (x *TopOp) String() string            { return Format(x) }
func (x *DistinctOp) String() string       { return Format(x) }
func (x *CountOp) String() string          { return Format(x) }
func (x *JoinOp) String() string           { return Format(x) }
func (x *LookupOp) String() string         { return Format(x) }
func (x *UnionOp) String() string          { return Format(x) }
func (x *MvExpandOp) String() string       { return Format(x) }
func (x *MvApplyOp) String() string        { return Format(x) }
func (x *ParseOp) String() string          { return Format(x) }
func (x *ParseKvOp) String() string        { return Format(x) }
func (x *EvaluateOp) String() string       { return Format(x) }
func (x *MakeSeriesAgg) String() string    { return Format(x) }
func (x *MakeSeriesOp) String() string     { return Format(x) }
func (x *RenderOp) String() string         { return Format(x) }
func (x *AsOp) String() string             { return Format(x) }
func (x *InvokeOp) String() string         { return Format(x) }
func (x *SerializeOp) String() string      { return Format(x) }
func (x *SampleOp) String() string         { return Format(x) }
func (x *SampleDistinctOp) String() string { return Format(x) }
func (x *GetSchemaOp) String() string      { return Format(x) }
func (x *TopNestedLevel) String() string   { return Format(x) }
func (x *TopNestedOp) String() string      { return Format(x) }
func (x *TopHittersOp) String() string     { return Format(x) }
func (x *PartitionOp) String() string      { return Format(x) }
func (x *ScanStep) String() string         { return Format(x) }
func (x *ScanOp) String() string           { return Format(x) }
func (x *FacetOp) String() string          { return Format(x) }
func (x *ForkOp) String() string           { return Format(x) }
func (x *ConsumeOp) String() string        { return Format(x) }
func (x *ReduceOp) String() string         { return Format(x) }
func (x *SearchOp) String() string         { return Format(x) }
func (x *FindOp) String() string           { return Format(x) }
func (x *BadOperator) String() string      { return Format(x) }
