// Package sema is hunt's analyzer: it resolves the names of a parsed KQL
// query against the catalog and the data, infers KQL types, applies let
// bindings and user functions, folds constants, and produces the logical
// plan (kql/plan). Errors go into the same syntax.ErrorList as parse
// errors, with positions, so they render with a caret like syntax errors.
package sema

import (
	"fmt"
	"sort"
	"strings"

	"hunt/engine/vec"
	suggestpkg "hunt/internal/suggest"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// Env is what the analyzer knows about the world outside the query.
type Env interface {
	// Table returns the schema of a table the query may read.
	Table(name string) (vec.Schema, bool)
	// TableNames lists the tables of the database, which union wildcards
	// match and misspelled names are compared with.
	TableNames() []string
}

// Options configures an analysis.
type Options struct {
	Env Env
	// Fold evaluates a constant expression (every leaf a Const). The
	// engine supplies it so that the analyzer stays backend-neutral; when
	// nil, constants are folded only where the analyzer can do it alone.
	Fold func(plan.Expr) (any, error)
	// Params overrides top-level scalar lets by name (hunt --set): the
	// value replaces the let's expression after a type check.
	Params map[string]plan.Expr
	// AllowNoResult accepts a text of let statements only (hunt check of a
	// library file); running it still needs a result.
	AllowNoResult bool
	// Watchlist resolves _GetWatchlist('alias') to a table; nil when no
	// watchlists are bound.
	Watchlist func(alias string) (plan.Node, error)
}

// Result is the outcome of analyzing a query.
type Result struct {
	Plan plan.Node
	// ParamsUsed lists which Params matched a let.
	ParamsUsed map[string]bool
	// Lets records the top-level scalar lets and their values, for
	// explaining rules (hunt run --explain) and for --set type checks.
	Lets map[string]plan.Expr
}

// Analyze builds the plan of q. The returned ErrorList is empty on success.
func Analyze(q *syntax.Query, src *syntax.Source, opt Options) (*Result, syntax.ErrorList) {
	a := &analyzer{src: src, opt: opt, scope: newScope(nil), res: &Result{ParamsUsed: map[string]bool{}, Lets: map[string]plan.Expr{}}}
	var last plan.Node
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		for _, st := range q.Stmts {
			switch s := st.(type) {
			case *syntax.LetStmt:
				a.let(s, true)
			case *syntax.ExprStmt:
				n := a.tabular(s.X)
				if n != nil {
					last = n
				}
			case *syntax.SetStmt:
				a.setOption(s)
			case *syntax.DeclareStmt:
			default:
				a.errorf(st.Pos(), "unsupported statement")
			}
		}
	}()
	if last != nil && plan.IsGraph(last) && len(a.errs) == 0 {
		a.errs.Add(src.Position(q.End()), graphResultMsg)
		last = nil
	}
	if last == nil && len(a.errs) == 0 && !opt.AllowNoResult {
		a.errs.Add(src.Position(q.End()), "query has no tabular expression to run")
	}
	a.res.Plan = last
	return a.res, a.errs
}

// bailout stops analysis after too many errors.
type bailout struct{}

type analyzer struct {
	src      *syntax.Source
	opt      Options
	errs     syntax.ErrorList
	scope    *scope
	res      *Result
	sharedID int
	// depth guards against runaway recursion in user functions.
	depth int
	// wantBag asks the next call analyzed for the bag of a function with
	// several outputs rather than its first output (multiout.go).
	wantBag bool
	// binAutoSize and binAutoAt are the values of `set query_bin_auto_size`
	// and `set query_bin_auto_at`, which bin_auto() reads.
	binAutoSize, binAutoAt syntax.Expr
	// stepRef, set while analyzing the steps of scan, resolves sK.Column.
	stepRef func(step, col string) (plan.Expr, bool)
	// graphMember and graphCall, set while analyzing graph-match
	// expressions, resolve var.prop and the graph functions (op_graph.go).
	graphMember func(x *syntax.MemberExpr, r *row) (plan.Expr, bool)
	graphCall   func(x *syntax.CallExpr, r *row) (plan.Expr, bool)
}

func (a *analyzer) errorf(pos syntax.Pos, format string, args ...any) {
	a.errorSpan(pos, syntax.NoPos, false, format, args...)
}

func (a *analyzer) errorSpan(pos, end syntax.Pos, unsupported bool, format string, args ...any) {
	e := &syntax.Error{Pos: a.src.Position(pos), Msg: fmt.Sprintf(format, args...), Unsupported: unsupported}
	e.Span = [2]syntax.Pos{pos, end}
	a.errs.AddError(e)
	if len(a.errs) >= 20 {
		panic(bailout{})
	}
}

func (a *analyzer) unsupported(n syntax.Node, what string) {
	a.errorSpan(n.Pos(), n.End(), true, "%s is not supported yet", what)
}

// bindingKind says what a let name stands for.
type bindingKind int

const (
	bindScalar bindingKind = iota
	bindTabular
	bindFunc
)

type binding struct {
	kind  bindingKind
	expr  plan.Expr
	node  plan.Node
	fn    *syntax.FuncLit
	fnEnv *scope // the scope the function was defined in
	// lazy holds an unanalyzed tabular let body: lets are analyzed where
	// they are used, so a let that names a table missing from the data is
	// an error only if the query needs it.
	lazy      syntax.Expr
	lazyScope *scope
	letPos    syntax.Pos
}

type scope struct {
	parent *scope
	names  map[string]*binding
}

func newScope(parent *scope) *scope { return &scope{parent: parent, names: map[string]*binding{}} }

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

func (s *scope) allNames() []string {
	var out []string
	for ; s != nil; s = s.parent {
		for n := range s.names {
			out = append(out, n)
		}
	}
	return out
}

// let analyzes a let statement and binds its name.
func (a *analyzer) let(s *syntax.LetStmt, top bool) {
	name := s.Name.Name
	switch v := s.Value.(type) {
	case *syntax.FuncLit:
		a.scope.names[name] = &binding{kind: bindFunc, fn: v, fnEnv: a.scope, letPos: s.Pos()}
		return
	}
	if isTabular(s.Value, a.scope) {
		a.scope.names[name] = &binding{kind: bindTabular, lazy: s.Value, lazyScope: a.scope, letPos: s.Pos()}
		return
	}
	e := a.scalar(s.Value, nil)
	e = a.fold(e)
	if top && a.opt.Params != nil {
		if p, ok := a.opt.Params[name]; ok {
			a.res.ParamsUsed[name] = true
			if !assignable(e.Type(), p.Type()) {
				a.errorf(s.Name.Pos(), "--set %s: the rule's value is %s, the override is %s", name, e.Type(), p.Type())
			} else {
				e = p
			}
		}
	}
	if top {
		a.res.Lets[name] = e
	}
	a.scope.names[name] = &binding{kind: bindScalar, expr: e, letPos: s.Pos()}
}

// assignable reports whether a --set value of type from may replace a let
// of type to.
func assignable(to, from types.Type) bool {
	if to == from || from == types.Unknown || to == types.Unknown {
		return true
	}
	if to.IsNumeric() && from.IsNumeric() {
		return true
	}
	return false
}

// isTabular decides whether a let value is a tabular expression, which
// the syntax alone does not always tell (a bare name may be a table or a
// scalar let).
func isTabular(e syntax.Expr, s *scope) bool {
	switch x := e.(type) {
	case *syntax.PipeExpr:
		return true
	case *syntax.ParenExpr:
		return isTabular(x.X, s)
	case *syntax.Ident:
		if b := s.lookup(x.Name); b != nil {
			return b.kind == bindTabular
		}
		return true // a table name
	case *syntax.CallExpr:
		switch x.Fun.Name {
		case "materialize", "view", "table", "_GetWatchlist", "datatable", "externaldata":
			return true
		}
		if b := s.lookup(x.Fun.Name); b != nil && b.kind == bindFunc {
			return funcIsTabular(b.fn, b.fnEnv)
		}
	}
	return false
}

func funcIsTabular(fn *syntax.FuncLit, env *scope) bool {
	if len(fn.Body) == 0 {
		return false
	}
	last, ok := fn.Body[len(fn.Body)-1].(*syntax.ExprStmt)
	if !ok {
		return false
	}
	s := newScope(env)
	for _, p := range fn.Params {
		if strings.HasPrefix(p.Type, "(") {
			s.names[p.Name.Name] = &binding{kind: bindTabular}
		} else {
			s.names[p.Name.Name] = &binding{kind: bindScalar}
		}
	}
	for _, st := range fn.Body[:len(fn.Body)-1] {
		if l, ok := st.(*syntax.LetStmt); ok {
			if _, isFn := l.Value.(*syntax.FuncLit); isFn {
				s.names[l.Name.Name] = &binding{kind: bindFunc, fn: l.Value.(*syntax.FuncLit), fnEnv: s}
			} else if isTabular(l.Value, s) {
				s.names[l.Name.Name] = &binding{kind: bindTabular}
			} else {
				s.names[l.Name.Name] = &binding{kind: bindScalar}
			}
		}
	}
	return isTabular(last.X, s)
}

// fold replaces a constant expression by its value.
func (a *analyzer) fold(e plan.Expr) plan.Expr {
	c, ok := e.(*plan.Call)
	if !ok || a.opt.Fold == nil {
		return e
	}
	for _, arg := range c.Args {
		if _, ok := arg.(*plan.Const); !ok {
			return e
		}
	}
	v, err := a.opt.Fold(e)
	if err != nil {
		return e // the error surfaces again when the query runs
	}
	return &plan.Const{T: e.Type(), Value: v}
}

// suggest returns "; did you mean 'x'?" for the closest candidate, or "".
func suggest(name string, candidates []string) string {
	if best := suggestpkg.Closest(name, candidates); best != "" {
		return fmt.Sprintf("; did you mean '%s'?", best)
	}
	return ""
}

func sortedUnique(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// AnalyzeExpr analyzes a scalar expression over the columns of schema:
// exclusion predicates of tuning files and other expressions that live
// outside a query use it. Top-level lets of the query are not visible.
func AnalyzeExpr(e syntax.Expr, src *syntax.Source, schema vec.Schema, opt Options) (plan.Expr, syntax.ErrorList) {
	a := &analyzer{src: src, opt: opt, scope: newScope(nil), res: &Result{ParamsUsed: map[string]bool{}, Lets: map[string]plan.Expr{}}}
	var out plan.Expr
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		out = a.scalar(e, rowOf(schema))
	}()
	if len(a.errs) > 0 {
		return nil, a.errs
	}
	return out, nil
}
