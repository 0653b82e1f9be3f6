package query

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/internal/suggest"
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
			hint := ""
			if best := suggest.Closest(e.Table, names); best != "" {
				hint = fmt.Sprintf("; did you mean %s?", best)
			}
			return nil, fmt.Errorf("%sexclusion %q: the rule reads no table %s%s (it reads: %s)", at(e), e.Name, e.Table, hint, strings.Join(names, ", "))
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
// scans inside sub-query expressions included. Only the nodes above a
// changed scan are copied; the rest, placeholders and shared sub-plans
// included, keep their identity, and a node reached twice (a shared
// sub-plan) is rewritten once. The walk is by reflection over the plan's
// exported fields, so node types added to the plan later are handled.
func mapScans(root plan.Node, f func(*plan.Scan) (plan.Node, error)) (plan.Node, error) {
	m := &scanMapper{f: f, memo: map[plan.Node]plan.Node{}}
	return m.node(root)
}

type scanMapper struct {
	f    func(*plan.Scan) (plan.Node, error)
	memo map[plan.Node]plan.Node
}

var (
	nodeType = reflect.TypeOf((*plan.Node)(nil)).Elem()
	exprType = reflect.TypeOf((*plan.Expr)(nil)).Elem()
)

func (m *scanMapper) node(n plan.Node) (plan.Node, error) {
	if s, ok := n.(*plan.Scan); ok {
		if out, ok := m.memo[n]; ok {
			return out, nil
		}
		out, err := m.f(s)
		m.memo[n] = out
		return out, err
	}
	if out, ok := m.memo[n]; ok {
		return out, nil
	}
	out, err := m.object(n)
	if err != nil {
		return nil, err
	}
	m.memo[n] = out.(plan.Node)
	return out.(plan.Node), nil
}

// object rewrites a node or expression (a pointer to a struct), copying
// it only when one of its fields changed.
func (m *scanMapper) object(x any) (any, error) {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return x, nil
	}
	nv, changed, err := m.value(v.Elem())
	if err != nil || !changed {
		return x, err
	}
	cp := reflect.New(v.Elem().Type())
	cp.Elem().Set(nv)
	return cp.Interface(), nil
}

// value rewrites v, returning the new value and whether it changed.
func (m *scanMapper) value(v reflect.Value) (reflect.Value, bool, error) {
	t := v.Type()
	if !mayHoldPlan(t) {
		return v, false, nil
	}
	switch {
	case t.Implements(nodeType) || t.Implements(exprType):
		if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
			return v, false, nil
		}
		x := v.Interface()
		var out any
		var err error
		if n, ok := x.(plan.Node); ok {
			out, err = m.node(n)
		} else {
			out, err = m.object(x)
		}
		if err != nil {
			return v, false, err
		}
		if out == x {
			return v, false, nil
		}
		nv := reflect.ValueOf(out)
		if !nv.Type().AssignableTo(t) {
			return v, false, fmt.Errorf("tuning: cannot put a %T where the plan holds a %s", out, t)
		}
		r := reflect.New(t).Elem()
		r.Set(nv)
		return r, true, nil
	case v.Kind() == reflect.Struct:
		var cp reflect.Value
		for i := 0; i < v.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			nf, changed, err := m.value(v.Field(i))
			if err != nil {
				return v, false, err
			}
			if changed {
				if !cp.IsValid() {
					cp = reflect.New(t).Elem()
					cp.Set(v)
				}
				cp.Field(i).Set(nf)
			}
		}
		if cp.IsValid() {
			return cp, true, nil
		}
	case v.Kind() == reflect.Slice:
		var cp reflect.Value
		for i := 0; i < v.Len(); i++ {
			ne, changed, err := m.value(v.Index(i))
			if err != nil {
				return v, false, err
			}
			if changed {
				if !cp.IsValid() {
					cp = reflect.MakeSlice(t, v.Len(), v.Len())
					reflect.Copy(cp, v)
				}
				cp.Index(i).Set(ne)
			}
		}
		if cp.IsValid() {
			return cp, true, nil
		}
	}
	return v, false, nil
}

var holds sync.Map // reflect.Type -> bool

// mayHoldPlan reports whether a value of type t can contain a plan node
// or expression, so that the walk skips constants and table rows.
func mayHoldPlan(t reflect.Type) bool {
	if v, ok := holds.Load(t); ok {
		return v.(bool)
	}
	holds.Store(t, false) // a recursive type finds itself false meanwhile
	r := false
	switch {
	case t.Implements(nodeType) || t.Implements(exprType):
		r = true
	case t.Kind() == reflect.Struct:
		for i := 0; i < t.NumField() && !r; i++ {
			r = t.Field(i).IsExported() && mayHoldPlan(t.Field(i).Type)
		}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		r = mayHoldPlan(t.Elem())
	}
	holds.Store(t, r)
	return r
}

// RunPlan runs another plan over the same data, clock and limits as the
// prepared query: a variant of its plan, or one built from it. The plan
// is pruned first; it gets a fresh run state, so materialized results of
// an earlier run are never reused for a different plan.
func (p *Prepared) RunPlan(n plan.Node, emit func(*vec.Batch) error) error {
	return exec.Run(p.freshContext(), plan.PushDown(plan.PruneColumns(n)), emit)
}

func (p *Prepared) freshContext() *exec.Context {
	return &exec.Context{Fn: p.ctx.Fn, OpenTable: p.openTable, MaxMemory: p.ctx.MaxMemory, Workers: p.ctx.Workers, ExternalData: p.ctx.ExternalData}
}

// Now returns the run's pinned clock: now() and ago() fold against it.
func (p *Prepared) Now() time.Time { return types.ToTime(p.ctx.Fn.Now) }

// CollectPlan is RunPlan returning all rows in one batch.
func (p *Prepared) CollectPlan(n plan.Node) (*vec.Batch, error) {
	return exec.Collect(p.freshContext(), plan.PushDown(plan.PruneColumns(n)))
}
