package query

import (
	"fmt"
	"sort"
	"strings"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/sema"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// Exclusion removes rows from a rule's run without editing the rule: the
// rule's result rows (Table == "") or the rows of one input table right
// after they are read, before the rule's own operators see them. A row is
// removed when Where is true; false and null keep it, as `where not(...)`
// would not (null there drops the row too).
type Exclusion struct {
	Name, Reason, Owner string
	// Table names an input table; "" means the rule's result rows.
	Table string
	// Where is the predicate and Source its text, positioned in the file
	// it came from so that errors point there.
	Where  syntax.Expr
	Source *syntax.Source
	// At is where the exclusion is declared ("file:line:col"), for
	// messages that are not about the predicate's text.
	At string
}

// Applies describes what the exclusion filters: "result rows" or
// "input TABLE".
func (e *Exclusion) Applies() string {
	if e.Table == "" {
		return "result rows"
	}
	return "input " + e.Table
}

// Tuner is an Options.Rewrite hook that applies exclusions. It keeps the
// analyzed plan before and after them (both unpruned), so that callers can
// build further plans from the query: evidence of alerts, and what each
// exclusion suppressed.
type Tuner struct {
	Exclusions []Exclusion

	base, tuned plan.Node
	so          sema.Options
	// preds caches each exclusion's predicate analyzed over a schema.
	preds map[predKey]plan.Expr
}

type predKey struct {
	ex     int
	schema string
}

// Rewrite implements Options.Rewrite.
func (t *Tuner) Rewrite(root plan.Node, so sema.Options) (plan.Node, error) {
	t.base, t.so, t.preds = root, so, map[predKey]plan.Expr{}
	read := scannedTables(root)
	var all []int
	for i := range t.Exclusions {
		e := &t.Exclusions[i]
		if e.Table != "" && !read[e.Table] {
			names := make([]string, 0, len(read))
			for n := range read {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("%sexclusion %q: the rule reads no table %s (it reads: %s)", at(e), e.Name, e.Table, strings.Join(names, ", "))
		}
		all = append(all, i)
	}
	n, err := t.apply(root, all)
	if err != nil {
		return nil, err
	}
	t.tuned = n
	return n, nil
}

func at(e *Exclusion) string {
	if e.At == "" {
		return ""
	}
	return e.At + ": "
}

// Variant returns the analyzed plan with only the exclusions listed in
// which (indexes into Exclusions) applied; nil before Prepare.
func (t *Tuner) Variant(which []int) (plan.Node, error) {
	if t.base == nil {
		return nil, nil
	}
	return t.apply(t.base, which)
}

// Predicate returns exclusion i analyzed over the columns s.
func (t *Tuner) Predicate(i int, s vec.Schema) (plan.Expr, error) { return t.pred(i, s) }

// Base returns the analyzed plan without exclusions; nil before Prepare.
func (t *Tuner) Base() plan.Node { return t.base }

// Tuned returns the analyzed plan with every exclusion, before column
// pruning; nil before Prepare.
func (t *Tuner) Tuned() plan.Node { return t.tuned }

// apply returns root with the exclusions listed in which applied.
func (t *Tuner) apply(root plan.Node, which []int) (plan.Node, error) {
	byTable := map[string][]int{}
	var result []int
	for _, i := range which {
		if tb := t.Exclusions[i].Table; tb != "" {
			byTable[tb] = append(byTable[tb], i)
		} else {
			result = append(result, i)
		}
	}
	var err error
	if len(byTable) > 0 {
		root, err = mapScans(root, func(s *plan.Scan) (plan.Node, error) {
			ex := byTable[s.Table]
			if len(ex) == 0 {
				return s, nil
			}
			keep, err := t.keep(ex, s.Columns)
			if err != nil {
				return nil, err
			}
			return &plan.Filter{Input: s, Pred: keep}, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(result) > 0 {
		keep, err := t.keep(result, root.Schema())
		if err != nil {
			return nil, err
		}
		root = &plan.Filter{Input: root, Pred: keep}
	}
	return root, nil
}

// pred analyzes exclusion i over schema s.
func (t *Tuner) pred(i int, s vec.Schema) (plan.Expr, error) {
	k := predKey{i, s.String()}
	if p, ok := t.preds[k]; ok {
		return p, nil
	}
	e := &t.Exclusions[i]
	p, errs := sema.AnalyzeExpr(e.Where, e.Source, s, t.so)
	if len(errs) > 0 {
		errs.Sort()
		return nil, &Error{Source: e.Source, List: errs}
	}
	if p.Type() != types.Bool {
		return nil, &Error{Source: e.Source, List: syntax.ErrorList{{Pos: e.Source.Position(e.Where.Pos()), Span: [2]syntax.Pos{e.Where.Pos(), e.Where.End()},
			Msg: fmt.Sprintf("exclusion %q: the predicate must be bool, not %s", e.Name, p.Type())}}}
	}
	t.preds[k] = p
	return p, nil
}

// keep returns the predicate that keeps the rows none of exclusions ex
// removes: not(coalesce(p, false)) for each, joined with and.
func (t *Tuner) keep(ex []int, s vec.Schema) (plan.Expr, error) {
	var out plan.Expr
	for _, i := range ex {
		p, err := t.pred(i, s)
		if err != nil {
			return nil, err
		}
		k := call("not", call("coalesce", p, &plan.Const{T: types.Bool, Value: false}))
		if out == nil {
			out = k
		} else {
			out = call("and", out, k)
		}
	}
	return out, nil
}

// call builds a call of a built-in function with its result type.
func call(name string, args ...plan.Expr) plan.Expr {
	f, ok := builtins.Lookup(name)
	if !ok {
		panic("query: no builtin " + name)
	}
	t, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		panic("query: " + name + ": " + err.Error())
	}
	return &plan.Call{Name: f.Name, Func: f, Args: args, T: t}
}

// scannedTables lists the tables a plan reads, sub-queries included.
func scannedTables(root plan.Node) map[string]bool {
	out := map[string]bool{}
	mapScans(root, func(s *plan.Scan) (plan.Node, error) {
		out[s.Table] = true
		return s, nil
	})
	return out
}

// mapScans returns a copy of the plan with every Scan replaced by f(scan),
// including scans inside sub-query expressions. Nodes that do not change
// are shared; a Shared node is rewritten once, so it stays shared.
func mapScans(root plan.Node, f func(*plan.Scan) (plan.Node, error)) (plan.Node, error) {
	m := &scanMapper{f: f, shared: map[*plan.Shared]*plan.Shared{}}
	return m.node(root)
}

type scanMapper struct {
	f      func(*plan.Scan) (plan.Node, error)
	shared map[*plan.Shared]*plan.Shared
}

func (m *scanMapper) node(n plan.Node) (plan.Node, error) {
	var err error
	in := func(x plan.Node) plan.Node {
		if err != nil {
			return x
		}
		var y plan.Node
		y, err = m.node(x)
		return y
	}
	ex := func(e plan.Expr) plan.Expr {
		if err != nil {
			return e
		}
		var y plan.Expr
		y, err = m.expr(e)
		return y
	}
	exs := func(es []plan.Expr) []plan.Expr {
		out := make([]plan.Expr, len(es))
		for i, e := range es {
			out[i] = ex(e)
		}
		return out
	}
	keys := func(ks []plan.SortKey) []plan.SortKey {
		out := make([]plan.SortKey, len(ks))
		for i, k := range ks {
			out[i] = k
			out[i].Expr = ex(k.Expr)
		}
		return out
	}
	var out plan.Node
	switch x := n.(type) {
	case *plan.Scan:
		return m.f(x)
	case *plan.Values:
		return x, nil
	case *plan.Range:
		c := *x
		c.From, c.To, c.Step = ex(x.From), ex(x.To), ex(x.Step)
		out = &c
	case *plan.Filter:
		out = &plan.Filter{Input: in(x.Input), Pred: ex(x.Pred)}
	case *plan.Project:
		out = &plan.Project{Input: in(x.Input), Exprs: exs(x.Exprs), Names: x.Names}
	case *plan.Aggregate:
		a := &plan.Aggregate{Input: in(x.Input), Keys: exs(x.Keys), KeyNames: x.KeyNames}
		for _, ac := range x.Aggs {
			ac.Args = exs(ac.Args)
			a.Aggs = append(a.Aggs, ac)
		}
		out = a
	case *plan.Sort:
		out = &plan.Sort{Input: in(x.Input), Keys: keys(x.Keys)}
	case *plan.Top:
		out = &plan.Top{Input: in(x.Input), N: x.N, Keys: keys(x.Keys)}
	case *plan.Limit:
		out = &plan.Limit{Input: in(x.Input), N: x.N}
	case *plan.Join:
		c := *x
		c.Left, c.Right = in(x.Left), in(x.Right)
		out = &c
	case *plan.Union:
		c := *x
		c.Ins = make([]plan.Node, len(x.Ins))
		for i, y := range x.Ins {
			c.Ins[i] = in(y)
		}
		out = &c
	case *plan.MvExpand:
		c := *x
		c.Input = in(x.Input)
		out = &c
	case *plan.Shared:
		if s, ok := m.shared[x]; ok {
			return s, nil
		}
		s := &plan.Shared{ID: x.ID, Input: in(x.Input)}
		m.shared[x] = s
		out = s
	default:
		return nil, fmt.Errorf("tuning: cannot rewrite plan node %T", n)
	}
	return out, err
}

func (m *scanMapper) expr(e plan.Expr) (plan.Expr, error) {
	switch x := e.(type) {
	case *plan.Call:
		c := *x
		c.Args = make([]plan.Expr, len(x.Args))
		for i, a := range x.Args {
			y, err := m.expr(a)
			if err != nil {
				return nil, err
			}
			c.Args[i] = y
		}
		return &c, nil
	case *plan.Subquery:
		n, err := m.node(x.Node)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Node = n
		return &c, nil
	}
	return e, nil
}

// RunPlan runs another plan over the same data, clock and limits as the
// prepared query: a variant of its plan, or one built from it. The plan
// is pruned first; it gets a fresh run state, so materialized results of
// an earlier run are never reused for a different plan.
func (p *Prepared) RunPlan(n plan.Node, emit func(*vec.Batch) error) error {
	ctx := &exec.Context{Fn: p.ctx.Fn, OpenTable: p.openTable, MaxMemory: p.ctx.MaxMemory, Workers: p.ctx.Workers}
	return exec.Run(ctx, plan.PruneColumns(n), emit)
}

// CollectPlan is RunPlan returning all rows in one batch.
func (p *Prepared) CollectPlan(n plan.Node) (*vec.Batch, error) {
	ctx := &exec.Context{Fn: p.ctx.Fn, OpenTable: p.openTable, MaxMemory: p.ctx.MaxMemory, Workers: p.ctx.Workers}
	return exec.Collect(ctx, plan.PruneColumns(n))
}
