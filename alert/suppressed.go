package alert

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/query"
)

// Suppression is what one exclusion removed from a run.
type Suppression struct {
	Exclusion *query.Exclusion
	// InputRows counts the input rows an input exclusion removed (a row
	// two exclusions match counts for the first).
	InputRows int64
	// Rows are the result rows the exclusion suppressed: rows the rule
	// returns without it (and with the exclusions before it) whose entity
	// or group key is gone with it.
	Rows   *vec.Batch
	Schema vec.Schema
}

// Suppressed reports, for each exclusion of t in order, what it removed
// from the prepared query's run. Exclusions are credited in order: the
// first one that removes an input row or a result row gets it.
func Suppressed(p *query.Prepared, t *query.Tuner) ([]Suppression, error) {
	base := t.Base()
	if base == nil {
		return nil, nil
	}
	out := make([]Suppression, len(t.Exclusions))
	for i := range t.Exclusions {
		out[i].Exclusion = &t.Exclusions[i]
	}
	schema := base.Schema()
	for i := range out {
		out[i].Schema = schema
	}
	sh := Analyze(base)
	keyCols := sh.KeyCols
	if sh.Agg == nil {
		keyCols = identity(len(schema))
	}
	if err := inputCounts(p, t, base, out); err != nil {
		return nil, err
	}
	var applied []int
	var prev *vec.Batch
	for i, e := range t.Exclusions {
		if e.Table == "" {
			continue
		}
		if prev == nil {
			var err error
			if prev, err = p.CollectPlan(base); err != nil {
				return nil, err
			}
		}
		applied = append(applied, i)
		n, err := t.Variant(applied)
		if err != nil {
			return nil, err
		}
		cur, err := p.CollectPlan(n)
		if err != nil {
			return nil, err
		}
		present := map[string]bool{}
		for r := 0; r < cur.N; r++ {
			present[rowKey(cur, keyCols, r)] = true
		}
		var gone []int
		for r := 0; r < prev.N; r++ {
			if !present[rowKey(prev, keyCols, r)] {
				gone = append(gone, r)
			}
		}
		out[i].Rows = prev.Gather(gone)
		prev = cur
	}
	// Result exclusions see the rows left by the input exclusions; each
	// predicate becomes a column so that one run tells them apart.
	var resultIdx []int
	for i, e := range t.Exclusions {
		if e.Table == "" {
			resultIdx = append(resultIdx, i)
		}
	}
	if len(resultIdx) == 0 {
		return out, nil
	}
	in, err := t.Variant(applied)
	if err != nil {
		return nil, err
	}
	proj := &plan.Project{Input: in}
	for c, col := range schema {
		proj.Exprs = append(proj.Exprs, &plan.ColRef{Index: c, Name: col.Name, T: col.Type})
		proj.Names = append(proj.Names, col.Name)
	}
	for k, i := range resultIdx {
		pr, err := t.Predicate(i, schema)
		if err != nil {
			return nil, err
		}
		proj.Exprs = append(proj.Exprs, call("coalesce", pr, &plan.Const{T: types.Bool, Value: false}))
		proj.Names = append(proj.Names, fmt.Sprintf("__excluded%d", k))
	}
	b, err := p.CollectPlan(proj)
	if err != nil {
		return nil, err
	}
	rows := make([][]int, len(resultIdx))
	for r := 0; r < b.N; r++ {
		for k := range resultIdx {
			if v := b.Cols[len(schema)+k]; !v.IsNull(r) && v.Get(r).(bool) {
				rows[k] = append(rows[k], r)
				break
			}
		}
	}
	res := &vec.Batch{Cols: b.Cols[:len(schema)], N: b.N}
	for k, i := range resultIdx {
		out[i].Rows = res.Gather(rows[k])
	}
	return out, nil
}

// inputCounts counts, per input exclusion, the rows of its table it
// removes: one countif per exclusion over one scan per table.
func inputCounts(p *query.Prepared, t *query.Tuner, base plan.Node, out []Suppression) error {
	scans := map[string]*plan.Scan{}
	var order []string
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if s, ok := n.(*plan.Scan); ok && scans[s.Table] == nil {
			scans[s.Table] = s
			order = append(order, s.Table)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(base)
	for _, table := range order {
		s := scans[table]
		agg := &plan.Aggregate{Input: &plan.Scan{Table: s.Table, Columns: s.Columns}}
		var idx []int
		var earlier plan.Expr
		for i, e := range t.Exclusions {
			if e.Table != table {
				continue
			}
			pr, err := t.Predicate(i, s.Columns)
			if err != nil {
				return err
			}
			hit := call("coalesce", pr, &plan.Const{T: types.Bool, Value: false})
			cond := hit
			if earlier != nil {
				cond = call("and", hit, call("not", earlier))
				earlier = call("or", earlier, hit)
			} else {
				earlier = hit
			}
			f, _ := builtins.Lookup("countif")
			agg.Aggs = append(agg.Aggs, plan.AggCall{Name: "countif", Func: f, Args: []plan.Expr{cond},
				Out: vec.Schema{{Name: fmt.Sprintf("n%d", i), Type: types.Long}}})
			idx = append(idx, i)
		}
		if len(idx) == 0 {
			continue
		}
		b, err := p.CollectPlan(agg)
		if err != nil {
			return err
		}
		for k, i := range idx {
			if b.N > 0 && !b.Cols[k].IsNull(0) {
				out[i].InputRows = b.Cols[k].Get(0).(int64)
			}
		}
	}
	return nil
}

// call builds a call of a built-in function with its result type.
func call(name string, args ...plan.Expr) plan.Expr {
	f, ok := builtins.Lookup(name)
	if !ok {
		panic("alert: no builtin " + name)
	}
	t, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		panic("alert: " + name + ": " + err.Error())
	}
	return &plan.Call{Name: f.Name, Func: f, Args: args, T: t}
}
