// Package syntax is the KQL front end of hunt: positions, tokens, scanner,
// parser, AST, printer and error rendering.
//
// Scalar and tabular expressions share the Expr interface because KQL mixes
// them freely (let x = T | ..., x in (T | project y), toscalar(T | count)).
// A tabular pipeline is a *PipeExpr; a bare table or let name is an *Ident.
// Source operators (print, datatable, range, union, externaldata, search,
// find, evaluate) are Expr nodes and always appear wrapped in a *PipeExpr,
// even when no operator follows them, so "is this a pipeline" is one type
// test.
//
// Every node records the positions of its own tokens; End is just past the
// last byte. The printer (String methods) prints canonical KQL that parses
// back to the same tree.
package syntax

import "reflect"

// Node is implemented by every AST node.
type Node interface {
	Pos() Pos // position of the first byte of the node
	End() Pos // position just past the last byte of the node
}

// Expr is a scalar or tabular expression.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a query statement.
type Stmt interface {
	Node
	stmtNode()
}

// Operator is a tabular operator that follows a '|'.
type Operator interface {
	Node
	opNode()
	// Name returns the canonical operator name ("where", "mv-expand",
	// "join", ...); aliases such as filter, order, limit and mvexpand map
	// to where, sort, take and mv-expand.
	Name() string
}

// ----------------------------------------------------------------------------
// Statements

// Query is a whole query text: statements separated by ';'. The last tabular
// statement is the result; the others may be let, set or declare statements.
type Query struct {
	Stmts []Stmt
}

// LetStmt is "let Name = Value". Value is a scalar expression, a tabular
// expression, or a *FuncLit (lambda or view).
type LetStmt struct {
	LetPos Pos // position of "let"
	Name   *Ident
	Value  Expr
}

// ExprStmt is a query (tabular) or expression statement.
type ExprStmt struct {
	X Expr
}

// SetStmt is "set Name [= Value]".
type SetStmt struct {
	SetPos Pos    // position of "set"
	Name   string // option name, possibly dotted
	Value  Expr   // or nil
	EndPos Pos
}

// DeclareStmt is "declare query_parameters(Params)".
type DeclareStmt struct {
	DeclPos Pos // position of "declare"
	Params  []*Param
	EndPos  Pos
}

// ----------------------------------------------------------------------------
// Scalar expressions

// Ident is a name: a column, table, let variable, function or option name.
// Quoted identifiers (['x'] or ["x"]) hold the unquoted name. Wildcard names
// in project-away/keep/reorder and union lists keep their '*' in Name.
type Ident struct {
	NamePos Pos
	Name    string
	Quoted  bool // written as ['x'] or ["x"]
	EndPos  Pos
}

// LitKind is the kind of a *Literal.
type LitKind int

// Literal kinds.
const (
	LitInvalid  LitKind = iota
	LitLong             // 10, 0x1F, long(5)
	LitInt              // int(5)
	LitReal             // 1.5, 1e3, real(nan)
	LitDecimal          // decimal(1.0)
	LitString           // "a", 'a', @"a", h"a", ```a```, "a" "b"
	LitBool             // true, bool(false)
	LitDateTime         // datetime(2024-01-01)
	LitTimespan         // 1d, timespan(1.02:03:04), time(15 seconds)
	LitGuid             // guid(...)
	LitNull             // T(null); TypeName says which T; null inside dynamic()
)

var litKindNames = [...]string{
	LitInvalid:  "invalid",
	LitLong:     "long",
	LitInt:      "int",
	LitReal:     "real",
	LitDecimal:  "decimal",
	LitString:   "string",
	LitBool:     "bool",
	LitDateTime: "datetime",
	LitTimespan: "timespan",
	LitGuid:     "guid",
	LitNull:     "null",
}

func (k LitKind) String() string {
	if k >= 0 && int(k) < len(litKindNames) {
		return litKindNames[k]
	}
	return "LitKind(?)"
}

// Literal is a constant. Raw is the source text (for adjacent strings, the
// whole run including the blanks between them). Value is decoded:
//   - strings: the unescaped, concatenated value;
//   - typed literals datetime(...), timespan(...), guid(...), int(...), ...:
//     the text inside the parentheses, trimmed;
//   - timespan literals such as 1.5d and numbers: the raw text.
//
// TypeName is set for typed literals and typed nulls ("datetime", "int",
// "dynamic", ...) and is "" for plain numbers, strings, true and false.
type Literal struct {
	ValuePos Pos
	Kind     LitKind
	Raw      string
	Value    string
	TypeName string
	EndPos   Pos
}

// DynamicLit is dynamic(Value). Value is an *ArrayLit, a *BagLit, a *Literal
// (scalar or LitNull), or a *UnaryExpr for signed numbers.
type DynamicLit struct {
	DynPos Pos // position of "dynamic"
	Value  Expr
	Rparen Pos
}

// ArrayLit is a JSON-like array inside dynamic(...).
type ArrayLit struct {
	Lbrack Pos
	Elems  []Expr
	Rbrack Pos
}

// BagLit is a JSON-like property bag inside dynamic(...).
type BagLit struct {
	Lbrace Pos
	Keys   []string
	KeyPos []Pos
	Values []Expr
	Rbrace Pos
}

// ParenExpr is a parenthesized scalar or tabular expression.
type ParenExpr struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

// UnaryExpr is -X or +X.
type UnaryExpr struct {
	OpPos Pos
	Op    Token // SUB or ADD
	X     Expr
}

// BinaryExpr is X Op Y. Op is the canonical spelling: "+", "-", "*", "/",
// "%", "<", "<=", ">", ">=", "==", "!=", "=~", "!~", "and", "or", "has",
// "!has", ..., "matches regex". "<>" is normalised to "!=".
type BinaryExpr struct {
	X     Expr
	OpPos Pos
	Op    string
	Y     Expr
}

// ListExpr is X Op (List): in, !in, in~, !in~, has_any, has_all. List
// elements are scalars, a dynamic array, or one tabular expression.
type ListExpr struct {
	X      Expr
	OpPos  Pos
	Op     string
	Lparen Pos
	List   []Expr
	Rparen Pos
}

// BetweenExpr is X between (Lo .. Hi) or X !between (Lo .. Hi).
type BetweenExpr struct {
	X      Expr
	OpPos  Pos
	Not    bool
	Lparen Pos
	Lo, Hi Expr
	Rparen Pos
}

// CallExpr is a function call Fun(Args). Named arguments appear as
// *NamedExpr and a '*' argument as *StarExpr. Recv is the expression before
// the dot in chained calls such as cluster("c").database("d"); or nil.
type CallExpr struct {
	Recv   Expr
	Fun    *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// MemberExpr is X.Name, also $left.x / $right.x (X is the Ident "$left")
// and X.['name'] (Name.Quoted).
type MemberExpr struct {
	X    Expr
	Dot  Pos
	Name *Ident
}

// IndexExpr is X[Index]: x[0], x["k"], x['k'].
type IndexExpr struct {
	X      Expr
	Lbrack Pos
	Index  Expr
	Rbrack Pos
}

// StarExpr is '*' used as an argument or column list (arg_max(t, *),
// distinct *, parse patterns).
type StarExpr struct {
	Star Pos
}

// NamedExpr is "Name = X" or the tuple form "(A, B) = X", used in
// project/extend/summarize lists, call arguments and operator parameters.
type NamedExpr struct {
	Lparen Pos // position of "(" in the tuple form; or NoPos
	Names  []*Ident
	Assign Pos
	X      Expr
}

// FuncLit is a lambda (a:string, T:(*), b:long=5) { Body } or, when View is
// set, view (...) { Body }. Body holds let statements then the final
// ExprStmt.
type FuncLit struct {
	ViewPos Pos // position of "view"; or NoPos
	Lparen  Pos
	Params  []*Param
	Lbrace  Pos
	Body    []Stmt
	Rbrace  Pos
}

// Param is a lambda, declare or scan-declare parameter. Type is "" when
// untyped, a scalar type name, "(*)" for any table, or the schema text
// "(x:string, y:long)".
type Param struct {
	Name    *Ident
	Colon   Pos // or NoPos
	Type    string
	TypeEnd Pos // or NoPos
	Assign  Pos // or NoPos
	Default Expr
}

// ColumnDecl is "Name[:Type]" in datatable, externaldata, parse patterns,
// parse-kv and find project lists.
type ColumnDecl struct {
	Name    *Ident
	Colon   Pos    // or NoPos
	Type    string // or ""
	TypePos Pos
	TypeEnd Pos
}

// PipeExpr is a tabular pipeline Source | Ops[0] | Ops[1] .... Source is an
// *Ident (table or let name), a *CallExpr (table function, materialize(),
// view call), a *ParenExpr, a *MemberExpr (database("x").T) or a source
// operator node (*PrintOp, *DatatableExpr, *RangeExpr, *UnionOp,
// *ExternalDataExpr, *SearchOp, *FindOp, *EvaluateOp). Source is nil in
// sub-queries that apply to an implicit input (mv-apply ... on (...),
// partition, facet, fork). Ops may be empty only if Source is a source
// operator.
type PipeExpr struct {
	Source Expr
	Ops    []Operator
}

// ExprList is a comma-separated list without brackets, used for
// multi-column property values such as render ... with (ycolumns = a, b).
type ExprList struct {
	Elems []Expr
}

// BadExpr is a placeholder for an expression that could not be parsed.
type BadExpr struct {
	From, To Pos
}

// ----------------------------------------------------------------------------
// Source operators (Expr nodes)

// PrintOp is "print Cols" (source only).
type PrintOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// DatatableExpr is "datatable (Columns) [Values]".
type DatatableExpr struct {
	DtPos   Pos
	Params  []*NamedExpr // hints before the column list; usually empty
	Lparen  Pos
	Columns []*ColumnDecl
	Rparen  Pos
	Lbrack  Pos
	Values  []Expr
	Rbrack  Pos
}

// RangeExpr is "range Name from From to To step Step".
type RangeExpr struct {
	RangePos Pos
	Name     *Ident
	From     Expr
	To       Expr
	Step     Expr
}

// ExternalDataExpr is "externaldata [kind=..] (Columns) [URLs] [with (Props)]".
type ExternalDataExpr struct {
	ExtPos  Pos
	Params  []*NamedExpr
	Lparen  Pos
	Columns []*ColumnDecl
	Rparen  Pos
	Lbrack  Pos
	URLs    []Expr
	Rbrack  Pos
	Props   []*NamedExpr // with (...); or nil
	EndPos  Pos
}

// ----------------------------------------------------------------------------
// Tabular operators

// SortKey is one key of sort, top, top-nested and project-reorder. Desc is
// the effective direction: it defaults to true for sort and top when no
// asc/desc is written (DescSet false). Granny marks granny-asc/granny-desc
// in project-reorder. Nulls is "first", "last" or "".
type SortKey struct {
	X       Expr
	Desc    bool
	DescSet bool
	Granny  bool
	Nulls   string
	EndPos  Pos
}

// MvExpandItem is one column of mv-expand / mv-apply: X [to typeof(ToType)].
// X may be a *NamedExpr.
type MvExpandItem struct {
	X      Expr
	ToPos  Pos    // position of "to"; or NoPos
	ToType string // or ""
	EndPos Pos
}

// WhereOp is "where Pred" (also "filter"). Kusto's parser also accepts
// "where Name = Pred"; then Pred is a *NamedExpr whose X is the predicate.
type WhereOp struct {
	OpPos  Pos
	Pred   Expr
	EndPos Pos
}

// ProjectOp is "project Cols"; each column is a *NamedExpr or an Expr.
type ProjectOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// ExtendOp is "extend Cols".
type ExtendOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// ProjectAwayOp is "project-away Cols"; columns are idents, possibly
// wildcards such as Foo*.
type ProjectAwayOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// ProjectKeepOp is "project-keep Cols".
type ProjectKeepOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// ProjectByNamesOp is "project-by-names Spec, ..."; each spec is a constant
// expression giving a column name, a name pattern or a dynamic array of
// names, such as column_names_of(T).
type ProjectByNamesOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// ProjectRenameOp is "project-rename New = Old, ...".
type ProjectRenameOp struct {
	OpPos   Pos
	Renames []*NamedExpr
	EndPos  Pos
}

// ProjectReorderOp is "project-reorder Col [asc|desc|granny-asc|granny-desc], ...".
type ProjectReorderOp struct {
	OpPos  Pos
	Cols   []*SortKey
	EndPos Pos
}

// SummarizeOp is "summarize [Params] [Aggs] [by By]".
type SummarizeOp struct {
	OpPos  Pos
	Params []*NamedExpr // hint.strategy=..., hint.shufflekey=...
	Aggs   []Expr
	ByPos  Pos // or NoPos
	By     []Expr
	EndPos Pos
}

// SortOp is "sort by Keys" (also "order by").
type SortOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Keys   []*SortKey
	EndPos Pos
}

// TakeOp is "take Count" (also "limit").
type TakeOp struct {
	OpPos  Pos
	Count  Expr
	EndPos Pos
}

// TopOp is "top Count by Key".
type TopOp struct {
	OpPos  Pos
	Count  Expr
	By     *SortKey
	EndPos Pos
}

// DistinctOp is "distinct Cols" or "distinct *" (a single *StarExpr).
type DistinctOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Cols   []Expr
	EndPos Pos
}

// CountOp is "count".
type CountOp struct {
	OpPos  Pos
	EndPos Pos
}

// JoinOp is "join [Params] Right on On". Right is the right-hand tabular
// expression with its parentheses removed. On holds attribute names
// (*Ident) and $left.a == $right.b comparisons (joined by "and" they are
// split into separate entries). Where is always nil: Kusto has no join
// where clause; the field is kept for API stability.
type JoinOp struct {
	OpPos  Pos
	Params []*NamedExpr // kind=..., hint.*=...
	Right  Expr
	OnPos  Pos // or NoPos
	On     []Expr
	Where  Expr
	EndPos Pos
}

// LookupOp is "lookup [Params] Right on On".
type LookupOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Right  Expr
	OnPos  Pos
	On     []Expr
	EndPos Pos
}

// UnionOp is "union [Params] Tables", as a source or an operator. Tables may
// include wildcard idents (Device*) and tabular expressions (parentheses
// removed).
type UnionOp struct {
	OpPos  Pos
	Params []*NamedExpr // kind=inner|outer, withsource=Name, isfuzzy=true
	Tables []Expr
	EndPos Pos
}

// MvExpandOp is "mv-expand [Params] Items [limit Limit]" (also mvexpand).
type MvExpandOp struct {
	OpPos  Pos
	Params []*NamedExpr // kind=, bagexpansion=, with_itemindex=
	Items  []*MvExpandItem
	Limit  Expr // or nil
	EndPos Pos
}

// MvApplyOp is "mv-apply [Params] Items [limit Limit] on (OnBody)". OnBody is
// the sub-query, usually a *PipeExpr with a nil Source.
type MvApplyOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Items  []*MvExpandItem
	Limit  Expr // or nil
	OnPos  Pos
	OnBody Expr
	EndPos Pos
}

// ParseOp is "parse [kind=K [flags=F]] X with Pattern", or parse-where when
// Where is set. Pattern holds string literals, *ColumnDecl and *StarExpr.
type ParseOp struct {
	OpPos   Pos
	Where   bool
	Kind    string // "simple", "regex", "relaxed" or ""
	Flags   string // or ""
	X       Expr
	WithPos Pos
	Pattern []Expr
	EndPos  Pos
}

// ParseKvOp is "parse-kv X as (Columns) [with (Params)]".
type ParseKvOp struct {
	OpPos   Pos
	X       Expr
	Columns []*ColumnDecl
	Params  []*NamedExpr // pair_delimiter=..., kv_delimiter=..., quote=..., regex=...
	EndPos  Pos
}

// EvaluateOp is "evaluate [Params] Call [: Schema]", as a source or an
// operator.
type EvaluateOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Call   *CallExpr
	Schema string // declared output schema such as "(*, a:string)"; or ""
	EndPos Pos
}

// MakeSeriesAgg is one aggregation of make-series: X [default = Default].
type MakeSeriesAgg struct {
	X          Expr // an Expr or a *NamedExpr
	DefaultPos Pos  // or NoPos
	Default    Expr // or nil
}

// MakeSeriesOp is "make-series [Params] Aggs on On [from From] [to To]
// step Step [by By]" or, with InRange, "... on On in range(From, To, Step)".
type MakeSeriesOp struct {
	OpPos   Pos
	Params  []*NamedExpr
	Aggs    []*MakeSeriesAgg
	OnPos   Pos
	On      Expr
	InRange bool
	From    Expr // or nil
	To      Expr // or nil
	Step    Expr
	By      []Expr
	EndPos  Pos
}

// RenderOp is "render Chart [with (With)]". Legacy properties written without
// "with" (render timechart title="x") are also collected in With.
type RenderOp struct {
	OpPos  Pos
	Chart  string
	With   []*NamedExpr
	EndPos Pos
}

// AsOp is "as [Params] Alias".
type AsOp struct {
	OpPos  Pos
	Params []*NamedExpr
	Alias  *Ident
	EndPos Pos
}

// InvokeOp is "invoke Call".
type InvokeOp struct {
	OpPos  Pos
	Call   *CallExpr
	EndPos Pos
}

// SerializeOp is "serialize [Cols]".
type SerializeOp struct {
	OpPos  Pos
	Cols   []Expr
	EndPos Pos
}

// SampleOp is "sample Count".
type SampleOp struct {
	OpPos  Pos
	Count  Expr
	EndPos Pos
}

// SampleDistinctOp is "sample-distinct Count of Col".
type SampleDistinctOp struct {
	OpPos  Pos
	Count  Expr
	Col    Expr
	EndPos Pos
}

// GetSchemaOp is "getschema".
type GetSchemaOp struct {
	OpPos  Pos
	EndPos Pos
}

// TopNestedLevel is one clause of top-nested:
// [Count] of Of [with others = Others] by Agg [asc|desc].
type TopNestedLevel struct {
	Count  Expr // or nil
	Of     Expr // an Expr or a *NamedExpr
	Others Expr // or nil
	By     *SortKey
}

// TopNestedOp is "top-nested Levels".
type TopNestedOp struct {
	OpPos  Pos
	Levels []*TopNestedLevel
	EndPos Pos
}

// TopHittersOp is "top-hitters Count of Of [by By]".
type TopHittersOp struct {
	OpPos  Pos
	Count  Expr
	Of     Expr
	By     Expr // or nil
	EndPos Pos
}

// PartitionOp is "partition [Params] by By (Body)" or, when Brace is set,
// "partition [Params] by By { Body }". Body is the sub-query.
type PartitionOp struct {
	OpPos  Pos
	Params []*NamedExpr
	By     Expr
	Brace  bool
	Body   Expr
	EndPos Pos
}

// ScanStep is one "step Name [output=Output]: Cond [=> Assigns];" of scan.
type ScanStep struct {
	StepPos Pos
	Name    *Ident
	Output  string // "all", "last", "none" or ""
	Cond    Expr
	Assigns []*NamedExpr
	EndPos  Pos
}

// ScanOp is "scan [Params] [declare (Declare)] with (Steps)".
type ScanOp struct {
	OpPos   Pos
	Params  []*NamedExpr // with_match_id=...
	Declare []*Param
	Steps   []*ScanStep
	EndPos  Pos
}

// FacetOp is "facet by Cols [with (With)]".
type FacetOp struct {
	OpPos  Pos
	By     []Expr
	With   Expr // sub-query; or nil
	EndPos Pos
}

// ForkOp is "fork Branches"; each branch is a sub-query, or a *NamedExpr
// "name = (sub-query)". Parentheses are removed.
type ForkOp struct {
	OpPos    Pos
	Branches []Expr
	EndPos   Pos
}

// ConsumeOp is "consume [Params]".
type ConsumeOp struct {
	OpPos  Pos
	Params []*NamedExpr
	EndPos Pos
}

// ReduceOp is "reduce [Params] by By [with With]".
type ReduceOp struct {
	OpPos  Pos
	Params []*NamedExpr
	By     Expr
	With   []*NamedExpr
	EndPos Pos
}

// SearchOp is "search [Params] [in (Tables)] Pred", as a source or an operator.
type SearchOp struct {
	OpPos  Pos
	Params []*NamedExpr // kind=case_sensitive|case_insensitive
	Tables []Expr       // or nil
	Pred   Expr
	EndPos Pos
}

// FindOp is "find [Params] [in (Tables)] where Pred [project-smart |
// project Cols | project-away Cols]" (source only).
type FindOp struct {
	OpPos   Pos
	Params  []*NamedExpr // withsource=..., datascope=...
	Tables  []Expr       // or nil
	Pred    Expr
	Project string // "project", "project-smart", "project-away" or ""
	Cols    []Expr
	EndPos  Pos
}

// BadOperator is a placeholder for an operator that could not be parsed.
type BadOperator struct {
	From, To Pos
}

// ----------------------------------------------------------------------------
// Positions

// Pos implements Node.
func (q *Query) Pos() Pos {
	if len(q.Stmts) == 0 {
		return NoPos
	}
	return q.Stmts[0].Pos()
}

// End implements Node.
func (q *Query) End() Pos {
	if len(q.Stmts) == 0 {
		return NoPos
	}
	return q.Stmts[len(q.Stmts)-1].End()
}

func (s *LetStmt) Pos() Pos     { return s.LetPos }
func (s *LetStmt) End() Pos     { return endOf(s.Value, s.Name) }
func (s *ExprStmt) Pos() Pos    { return s.X.Pos() }
func (s *ExprStmt) End() Pos    { return s.X.End() }
func (s *SetStmt) Pos() Pos     { return s.SetPos }
func (s *SetStmt) End() Pos     { return s.EndPos }
func (s *DeclareStmt) Pos() Pos { return s.DeclPos }
func (s *DeclareStmt) End() Pos { return s.EndPos }

func (x *Ident) Pos() Pos      { return x.NamePos }
func (x *Ident) End() Pos      { return x.EndPos }
func (x *Literal) Pos() Pos    { return x.ValuePos }
func (x *Literal) End() Pos    { return x.EndPos }
func (x *DynamicLit) Pos() Pos { return x.DynPos }
func (x *DynamicLit) End() Pos { return x.Rparen + 1 }
func (x *ArrayLit) Pos() Pos   { return x.Lbrack }
func (x *ArrayLit) End() Pos   { return x.Rbrack + 1 }
func (x *BagLit) Pos() Pos     { return x.Lbrace }
func (x *BagLit) End() Pos     { return x.Rbrace + 1 }
func (x *ParenExpr) Pos() Pos  { return x.Lparen }
func (x *ParenExpr) End() Pos  { return x.Rparen + 1 }
func (x *UnaryExpr) Pos() Pos  { return x.OpPos }
func (x *UnaryExpr) End() Pos  { return x.X.End() }
func (x *BinaryExpr) Pos() Pos { return x.X.Pos() }
func (x *BinaryExpr) End() Pos { return x.Y.End() }
func (x *ListExpr) Pos() Pos   { return x.X.Pos() }
func (x *ListExpr) End() Pos   { return x.Rparen + 1 }
func (x *BetweenExpr) Pos() Pos {
	return x.X.Pos()
}
func (x *BetweenExpr) End() Pos { return x.Rparen + 1 }
func (x *CallExpr) Pos() Pos {
	if x.Recv != nil {
		return x.Recv.Pos()
	}
	return x.Fun.Pos()
}
func (x *CallExpr) End() Pos   { return x.Rparen + 1 }
func (x *MemberExpr) Pos() Pos { return x.X.Pos() }
func (x *MemberExpr) End() Pos { return x.Name.End() }
func (x *IndexExpr) Pos() Pos  { return x.X.Pos() }
func (x *IndexExpr) End() Pos  { return x.Rbrack + 1 }
func (x *StarExpr) Pos() Pos   { return x.Star }
func (x *StarExpr) End() Pos   { return x.Star + 1 }
func (x *NamedExpr) Pos() Pos {
	if x.Lparen.IsValid() {
		return x.Lparen
	}
	if len(x.Names) > 0 {
		return x.Names[0].Pos()
	}
	return x.Assign
}
func (x *NamedExpr) End() Pos { return endOf(x.X, nil) }
func (x *FuncLit) Pos() Pos {
	if x.ViewPos.IsValid() {
		return x.ViewPos
	}
	return x.Lparen
}
func (x *FuncLit) End() Pos { return x.Rbrace + 1 }
func (x *Param) Pos() Pos   { return x.Name.Pos() }
func (x *Param) End() Pos {
	if x.Default != nil {
		return x.Default.End()
	}
	if x.TypeEnd.IsValid() {
		return x.TypeEnd
	}
	return x.Name.End()
}
func (x *ColumnDecl) Pos() Pos { return x.Name.Pos() }
func (x *ColumnDecl) End() Pos {
	if x.TypeEnd.IsValid() {
		return x.TypeEnd
	}
	return x.Name.End()
}
func (x *PipeExpr) Pos() Pos {
	if x.Source != nil {
		return x.Source.Pos()
	}
	if len(x.Ops) > 0 {
		return x.Ops[0].Pos()
	}
	return NoPos
}
func (x *PipeExpr) End() Pos {
	if len(x.Ops) > 0 {
		return x.Ops[len(x.Ops)-1].End()
	}
	if x.Source != nil {
		return x.Source.End()
	}
	return NoPos
}
func (x *ExprList) Pos() Pos { return x.Elems[0].Pos() }
func (x *ExprList) End() Pos { return x.Elems[len(x.Elems)-1].End() }
func (x *BadExpr) Pos() Pos  { return x.From }
func (x *BadExpr) End() Pos  { return x.To }

func (x *PrintOp) Pos() Pos          { return x.OpPos }
func (x *PrintOp) End() Pos          { return x.EndPos }
func (x *DatatableExpr) Pos() Pos    { return x.DtPos }
func (x *DatatableExpr) End() Pos    { return x.Rbrack + 1 }
func (x *RangeExpr) Pos() Pos        { return x.RangePos }
func (x *RangeExpr) End() Pos        { return endOf(x.Step, x.Name) }
func (x *ExternalDataExpr) Pos() Pos { return x.ExtPos }
func (x *ExternalDataExpr) End() Pos { return x.EndPos }

func (x *SortKey) Pos() Pos      { return x.X.Pos() }
func (x *SortKey) End() Pos      { return x.EndPos }
func (x *MvExpandItem) Pos() Pos { return x.X.Pos() }
func (x *MvExpandItem) End() Pos { return x.EndPos }
func (x *MakeSeriesAgg) Pos() Pos {
	return x.X.Pos()
}
func (x *MakeSeriesAgg) End() Pos { return endOf(x.Default, x.X) }
func (x *TopNestedLevel) Pos() Pos {
	if x.Count != nil {
		return x.Count.Pos()
	}
	return x.Of.Pos()
}
func (x *TopNestedLevel) End() Pos { return x.By.End() }
func (x *ScanStep) Pos() Pos       { return x.StepPos }
func (x *ScanStep) End() Pos       { return x.EndPos }

func (x *WhereOp) Pos() Pos          { return x.OpPos }
func (x *WhereOp) End() Pos          { return x.EndPos }
func (x *ProjectOp) Pos() Pos        { return x.OpPos }
func (x *ProjectOp) End() Pos        { return x.EndPos }
func (x *ExtendOp) Pos() Pos         { return x.OpPos }
func (x *ExtendOp) End() Pos         { return x.EndPos }
func (x *ProjectAwayOp) Pos() Pos    { return x.OpPos }
func (x *ProjectAwayOp) End() Pos    { return x.EndPos }
func (x *ProjectKeepOp) Pos() Pos    { return x.OpPos }
func (x *ProjectByNamesOp) Pos() Pos { return x.OpPos }
func (x *ProjectByNamesOp) End() Pos { return x.EndPos }
func (x *ProjectKeepOp) End() Pos    { return x.EndPos }
func (x *ProjectRenameOp) Pos() Pos  { return x.OpPos }
func (x *ProjectRenameOp) End() Pos  { return x.EndPos }
func (x *ProjectReorderOp) Pos() Pos { return x.OpPos }
func (x *ProjectReorderOp) End() Pos { return x.EndPos }
func (x *SummarizeOp) Pos() Pos      { return x.OpPos }
func (x *SummarizeOp) End() Pos      { return x.EndPos }
func (x *SortOp) Pos() Pos           { return x.OpPos }
func (x *SortOp) End() Pos           { return x.EndPos }
func (x *TakeOp) Pos() Pos           { return x.OpPos }
func (x *TakeOp) End() Pos           { return x.EndPos }
func (x *TopOp) Pos() Pos            { return x.OpPos }
func (x *TopOp) End() Pos            { return x.EndPos }
func (x *DistinctOp) Pos() Pos       { return x.OpPos }
func (x *DistinctOp) End() Pos       { return x.EndPos }
func (x *CountOp) Pos() Pos          { return x.OpPos }
func (x *CountOp) End() Pos          { return x.EndPos }
func (x *JoinOp) Pos() Pos           { return x.OpPos }
func (x *JoinOp) End() Pos           { return x.EndPos }
func (x *LookupOp) Pos() Pos         { return x.OpPos }
func (x *LookupOp) End() Pos         { return x.EndPos }
func (x *UnionOp) Pos() Pos          { return x.OpPos }
func (x *UnionOp) End() Pos          { return x.EndPos }
func (x *MvExpandOp) Pos() Pos       { return x.OpPos }
func (x *MvExpandOp) End() Pos       { return x.EndPos }
func (x *MvApplyOp) Pos() Pos        { return x.OpPos }
func (x *MvApplyOp) End() Pos        { return x.EndPos }
func (x *ParseOp) Pos() Pos          { return x.OpPos }
func (x *ParseOp) End() Pos          { return x.EndPos }
func (x *ParseKvOp) Pos() Pos        { return x.OpPos }
func (x *ParseKvOp) End() Pos        { return x.EndPos }
func (x *EvaluateOp) Pos() Pos       { return x.OpPos }
func (x *EvaluateOp) End() Pos       { return x.EndPos }
func (x *MakeSeriesOp) Pos() Pos     { return x.OpPos }
func (x *MakeSeriesOp) End() Pos     { return x.EndPos }
func (x *RenderOp) Pos() Pos         { return x.OpPos }
func (x *RenderOp) End() Pos         { return x.EndPos }
func (x *AsOp) Pos() Pos             { return x.OpPos }
func (x *AsOp) End() Pos             { return x.EndPos }
func (x *InvokeOp) Pos() Pos         { return x.OpPos }
func (x *InvokeOp) End() Pos         { return x.EndPos }
func (x *SerializeOp) Pos() Pos      { return x.OpPos }
func (x *SerializeOp) End() Pos      { return x.EndPos }
func (x *SampleOp) Pos() Pos         { return x.OpPos }
func (x *SampleOp) End() Pos         { return x.EndPos }
func (x *SampleDistinctOp) Pos() Pos { return x.OpPos }
func (x *SampleDistinctOp) End() Pos { return x.EndPos }
func (x *GetSchemaOp) Pos() Pos      { return x.OpPos }
func (x *GetSchemaOp) End() Pos      { return x.EndPos }
func (x *TopNestedOp) Pos() Pos      { return x.OpPos }
func (x *TopNestedOp) End() Pos      { return x.EndPos }
func (x *TopHittersOp) Pos() Pos     { return x.OpPos }
func (x *TopHittersOp) End() Pos     { return x.EndPos }
func (x *PartitionOp) Pos() Pos      { return x.OpPos }
func (x *PartitionOp) End() Pos      { return x.EndPos }
func (x *ScanOp) Pos() Pos           { return x.OpPos }
func (x *ScanOp) End() Pos           { return x.EndPos }
func (x *FacetOp) Pos() Pos          { return x.OpPos }
func (x *FacetOp) End() Pos          { return x.EndPos }
func (x *ForkOp) Pos() Pos           { return x.OpPos }
func (x *ForkOp) End() Pos           { return x.EndPos }
func (x *ConsumeOp) Pos() Pos        { return x.OpPos }
func (x *ConsumeOp) End() Pos        { return x.EndPos }
func (x *ReduceOp) Pos() Pos         { return x.OpPos }
func (x *ReduceOp) End() Pos         { return x.EndPos }
func (x *SearchOp) Pos() Pos         { return x.OpPos }
func (x *SearchOp) End() Pos         { return x.EndPos }
func (x *FindOp) Pos() Pos           { return x.OpPos }
func (x *FindOp) End() Pos           { return x.EndPos }
func (x *BadOperator) Pos() Pos      { return x.From }
func (x *BadOperator) End() Pos      { return x.To }

// endOf returns the end of n, or of fallback when n is nil.
func endOf(n, fallback Node) Pos {
	if n != nil && !isNilNode(n) {
		return n.End()
	}
	if fallback != nil && !isNilNode(fallback) {
		return fallback.End()
	}
	return NoPos
}

// isNilNode reports whether n holds a typed nil pointer, which happens when a
// nil field such as a *SortKey or *Ident is passed as a Node.
func isNilNode(n Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// ----------------------------------------------------------------------------
// Operator names

func (*WhereOp) Name() string          { return "where" }
func (*ProjectOp) Name() string        { return "project" }
func (*ExtendOp) Name() string         { return "extend" }
func (*ProjectAwayOp) Name() string    { return "project-away" }
func (*ProjectKeepOp) Name() string    { return "project-keep" }
func (*ProjectByNamesOp) Name() string { return "project-by-names" }
func (*ProjectRenameOp) Name() string  { return "project-rename" }
func (*ProjectReorderOp) Name() string { return "project-reorder" }
func (*SummarizeOp) Name() string      { return "summarize" }
func (*SortOp) Name() string           { return "sort" }
func (*TakeOp) Name() string           { return "take" }
func (*TopOp) Name() string            { return "top" }
func (*DistinctOp) Name() string       { return "distinct" }
func (*CountOp) Name() string          { return "count" }
func (*JoinOp) Name() string           { return "join" }
func (*LookupOp) Name() string         { return "lookup" }
func (*UnionOp) Name() string          { return "union" }
func (*MvExpandOp) Name() string       { return "mv-expand" }
func (*MvApplyOp) Name() string        { return "mv-apply" }
func (x *ParseOp) Name() string {
	if x.Where {
		return "parse-where"
	}
	return "parse"
}
func (*ParseKvOp) Name() string        { return "parse-kv" }
func (*EvaluateOp) Name() string       { return "evaluate" }
func (*MakeSeriesOp) Name() string     { return "make-series" }
func (*RenderOp) Name() string         { return "render" }
func (*AsOp) Name() string             { return "as" }
func (*InvokeOp) Name() string         { return "invoke" }
func (*SerializeOp) Name() string      { return "serialize" }
func (*SampleOp) Name() string         { return "sample" }
func (*SampleDistinctOp) Name() string { return "sample-distinct" }
func (*GetSchemaOp) Name() string      { return "getschema" }
func (*TopNestedOp) Name() string      { return "top-nested" }
func (*TopHittersOp) Name() string     { return "top-hitters" }
func (*PartitionOp) Name() string      { return "partition" }
func (*ScanOp) Name() string           { return "scan" }
func (*FacetOp) Name() string          { return "facet" }
func (*ForkOp) Name() string           { return "fork" }
func (*ConsumeOp) Name() string        { return "consume" }
func (*ReduceOp) Name() string         { return "reduce" }
func (*SearchOp) Name() string         { return "search" }
func (*BadOperator) Name() string      { return "" }

// ----------------------------------------------------------------------------
// Sealing

func (*LetStmt) stmtNode()     {}
func (*ExprStmt) stmtNode()    {}
func (*SetStmt) stmtNode()     {}
func (*DeclareStmt) stmtNode() {}

func (*Ident) exprNode()            {}
func (*Literal) exprNode()          {}
func (*DynamicLit) exprNode()       {}
func (*ArrayLit) exprNode()         {}
func (*BagLit) exprNode()           {}
func (*ParenExpr) exprNode()        {}
func (*UnaryExpr) exprNode()        {}
func (*BinaryExpr) exprNode()       {}
func (*ListExpr) exprNode()         {}
func (*BetweenExpr) exprNode()      {}
func (*CallExpr) exprNode()         {}
func (*MemberExpr) exprNode()       {}
func (*IndexExpr) exprNode()        {}
func (*StarExpr) exprNode()         {}
func (*NamedExpr) exprNode()        {}
func (*FuncLit) exprNode()          {}
func (*ColumnDecl) exprNode()       {}
func (*PipeExpr) exprNode()         {}
func (*ExprList) exprNode()         {}
func (*BadExpr) exprNode()          {}
func (*PrintOp) exprNode()          {}
func (*DatatableExpr) exprNode()    {}
func (*RangeExpr) exprNode()        {}
func (*ExternalDataExpr) exprNode() {}
func (*UnionOp) exprNode()          {}
func (*EvaluateOp) exprNode()       {}
func (*SearchOp) exprNode()         {}
func (*FindOp) exprNode()           {}

func (*WhereOp) opNode()          {}
func (*ProjectOp) opNode()        {}
func (*ExtendOp) opNode()         {}
func (*ProjectAwayOp) opNode()    {}
func (*ProjectKeepOp) opNode()    {}
func (*ProjectByNamesOp) opNode() {}
func (*ProjectRenameOp) opNode()  {}
func (*ProjectReorderOp) opNode() {}
func (*SummarizeOp) opNode()      {}
func (*SortOp) opNode()           {}
func (*TakeOp) opNode()           {}
func (*TopOp) opNode()            {}
func (*DistinctOp) opNode()       {}
func (*CountOp) opNode()          {}
func (*JoinOp) opNode()           {}
func (*LookupOp) opNode()         {}
func (*UnionOp) opNode()          {}
func (*MvExpandOp) opNode()       {}
func (*MvApplyOp) opNode()        {}
func (*ParseOp) opNode()          {}
func (*ParseKvOp) opNode()        {}
func (*EvaluateOp) opNode()       {}
func (*MakeSeriesOp) opNode()     {}
func (*RenderOp) opNode()         {}
func (*AsOp) opNode()             {}
func (*InvokeOp) opNode()         {}
func (*SerializeOp) opNode()      {}
func (*SampleOp) opNode()         {}
func (*SampleDistinctOp) opNode() {}
func (*GetSchemaOp) opNode()      {}
func (*TopNestedOp) opNode()      {}
func (*TopHittersOp) opNode()     {}
func (*PartitionOp) opNode()      {}
func (*ScanOp) opNode()           {}
func (*FacetOp) opNode()          {}
func (*ForkOp) opNode()           {}
func (*ConsumeOp) opNode()        {}
func (*ReduceOp) opNode()         {}
func (*SearchOp) opNode()         {}
func (*BadOperator) opNode()      {}

// Compile-time checks that the source operators are both Expr and Operator
// where KQL allows both positions.
var (
	_ Operator = (*UnionOp)(nil)
	_ Expr     = (*UnionOp)(nil)
	_ Operator = (*EvaluateOp)(nil)
	_ Expr     = (*EvaluateOp)(nil)
	_ Operator = (*SearchOp)(nil)
	_ Expr     = (*SearchOp)(nil)
	_ Expr     = (*FindOp)(nil)
)
