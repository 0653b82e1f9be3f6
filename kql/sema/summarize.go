package sema

import (
	"strconv"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

func mustBuiltin(name string) *builtins.Func {
	f, ok := builtins.Lookup(name)
	if !ok {
		panic("sema: builtin " + name + " is not registered")
	}
	return f
}

// aggPrefix gives the default output name of an aggregate: prefix_arg
// (count_ and countif_ have no argument part). Names follow Kusto.
var aggPrefix = map[string]string{
	"count": "count_", "countif": "countif_", "dcount": "dcount", "dcountif": "dcountif",
	"make_set": "set", "make_set_if": "set", "make_list": "list", "make_list_if": "list",
	"make_list_with_nulls": "list", "make_bag": "bag", "make_bag_if": "bag",
	"sum": "sum", "sumif": "sumif", "avg": "avg", "avgif": "avgif", "min": "min", "max": "max",
	"minif": "minif", "maxif": "maxif", "any": "any", "stdev": "stdev", "stdevif": "stdevif",
	"stdevp": "stdevp", "variance": "variance", "varianceif": "varianceif", "variancep": "variancep",
	"hll": "hll", "hll_if": "hll_if", "hll_merge": "hll_merge", "tdigest": "tdigest", "tdigest_merge": "tdigest_merge",
	"percentile": "percentile", "percentiles": "percentile", "binary_all_and": "binary_all_and",
	"binary_all_or": "binary_all_or", "binary_all_xor": "binary_all_xor", "dcount_hll": "dcount_hll",
	"makeset": "set", "makelist": "list", "make_dictionary": "bag", "buildschema": "schema",
}

// summarize builds an Aggregate from `summarize aggs by keys`, followed by
// a Project when an aggregate sits inside a larger expression
// (round(avg(x), 2)).
func (a *analyzer) summarize(n plan.Node, aggs, by []syntax.Expr) plan.Node {
	in := n.Schema()
	inRow := rowOf(in)
	agg := &plan.Aggregate{Input: n}
	taken := map[string]bool{}
	// Keys first: their names are taken before the aggregates' names.
	autoN := 0
	for _, k := range by {
		var e plan.Expr
		name := ""
		if ne, ok := k.(*syntax.NamedExpr); ok {
			e = a.scalar(ne.X, inRow)
			name = ne.Names[0].Name
		} else {
			e = a.scalar(k, inRow)
			name = exprName(k)
		}
		if name == "" {
			for {
				autoN++
				name = "Column" + strconv.Itoa(autoN)
				// Kusto's analyzer also passes over the input's names.
				if !taken[name] && in.Index(name) < 0 {
					break
				}
			}
		}
		switch e.Type() {
		case types.Dynamic:
			a.errorSpan(k.Pos(), k.End(), false, "summarize by a dynamic value is not allowed; convert it with tostring()")
		}
		agg.Keys = append(agg.Keys, e)
		agg.KeyNames = append(agg.KeyNames, uniqueName(name, taken))
	}
	nkeys := len(agg.Keys)
	// Input columns used as plain keys, which arg_max(x, *) leaves out.
	keyCols := map[int]bool{}
	for _, k := range agg.Keys {
		if c, ok := k.(*plan.ColRef); ok {
			keyCols[c.Index] = true
		}
	}

	// Each aggregate call found in an aggregation expression becomes an
	// AggCall; the expression refers to its output by column index in the
	// Aggregate's output schema.
	type outCol struct {
		names []string
		exprs []plan.Expr
	}
	var post []plan.Expr
	var postNames []string
	needPost := false
	outIndex := nkeys
	// defaults holds each aggregate call's default output name, which an
	// expression around it (toint(count())) takes as its own.
	defaults := map[*syntax.CallExpr]string{}
	for _, ae := range aggs {
		var target []*syntax.Ident
		x := ae
		if ne, ok := ae.(*syntax.NamedExpr); ok {
			target = ne.Names
			x = ne.X
		}
		var calls []int // indexes into agg.Aggs created for this expression
		r := &row{names: inRow.names, exprs: inRow.exprs}
		r.agg = func(call *syntax.CallExpr, f *builtins.Func) plan.Expr {
			ac, ok := a.aggCall(call, f, inRow, in, keyCols)
			if !ok {
				return bad()
			}
			agg.Aggs = append(agg.Aggs, ac)
			calls = append(calls, len(agg.Aggs)-1)
			defaults[call] = ac.Out[0].Name
			first := outIndex
			outIndex += len(ac.Out)
			return &plan.ColRef{Index: first, Name: ac.Out[0].Name, T: ac.Out[0].Type}
		}
		e := a.scalar(x, r)
		if isBad(e) {
			continue
		}
		if len(calls) == 0 {
			a.errorSpan(x.Pos(), x.End(), false, "summarize needs an aggregate function here (count(), dcount(), make_set(), ...)")
			continue
		}
		ref, direct := e.(*plan.ColRef)
		if direct && len(calls) == 1 {
			ac := &agg.Aggs[calls[0]]
			// Name the outputs: explicit names win; otherwise the defaults.
			for i := range ac.Out {
				name := ac.Out[i].Name
				if i < len(target) {
					name = target[i].Name
				}
				ac.Out[i].Name = uniqueName(name, taken)
				post = append(post, &plan.ColRef{Index: ref.Index + i, Name: ac.Out[i].Name, T: ac.Out[i].Type})
				postNames = append(postNames, ac.Out[i].Name)
			}
			continue
		}
		// The aggregate is part of a larger expression: its raw output gets a
		// hidden name and a Project computes the expression.
		needPost = true
		for _, ci := range calls {
			ac := &agg.Aggs[ci]
			for i := range ac.Out {
				ac.Out[i].Name = uniqueName("__agg"+strconv.Itoa(ci)+"_"+strconv.Itoa(i), taken)
			}
		}
		name := ""
		if len(target) > 0 {
			name = target[0].Name
		} else if name = aggExprName(x, defaults); name == "" {
			for {
				autoN++
				name = "Column" + strconv.Itoa(autoN)
				// Kusto's analyzer also passes over the input's names.
				if !taken[name] && in.Index(name) < 0 {
					break
				}
			}
		}
		post = append(post, e)
		postNames = append(postNames, uniqueName(name, taken))
	}
	// Fix ColRef names in post to match the final aggregate schema.
	if !needPost {
		return agg
	}
	out := agg.Schema()
	p := &plan.Project{Input: agg}
	for i := 0; i < nkeys; i++ {
		p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: out[i].Name, T: out[i].Type})
		p.Names = append(p.Names, out[i].Name)
	}
	p.Exprs = append(p.Exprs, post...)
	p.Names = append(p.Names, postNames...)
	return p
}

// aggCall analyzes one aggregate call and names its outputs by default.
func (a *analyzer) aggCall(call *syntax.CallExpr, f *builtins.Func, r *row, in vec.Schema, keyCols map[int]bool) (plan.AggCall, bool) {
	var args []plan.Expr
	var argNames []string
	for _, arg := range call.Args {
		if _, ok := arg.(*syntax.StarExpr); ok {
			switch f.Name {
			case "arg_max", "arg_min", "take_any", "take_anyif":
				// The star form outputs every input column except the
				// summarize keys, which are in the output already.
				for i, c := range in {
					if keyCols[i] {
						continue
					}
					args = append(args, &plan.ColRef{Index: i, Name: c.Name, T: c.Type})
					argNames = append(argNames, c.Name)
				}
				continue
			case "count":
				continue
			}
			a.errorf(arg.Pos(), "'*' is not allowed in %s()", f.Name)
			return plan.AggCall{}, false
		}
		inner := &row{names: r.names, exprs: r.exprs}
		e := a.scalar(arg, inner)
		if isBad(e) {
			return plan.AggCall{}, false
		}
		args = append(args, e)
		argNames = append(argNames, exprName(arg))
	}
	if err := f.CheckCount(len(args)); err != nil {
		a.errorSpan(call.Pos(), call.End(), false, "%v", err)
		return plan.AggCall{}, false
	}
	t, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		a.errorSpan(call.Pos(), call.End(), false, "%v", err)
		return plan.AggCall{}, false
	}
	ac := plan.AggCall{Name: f.Name, Func: f, Args: args}
	firstName := ""
	if len(argNames) > 0 {
		firstName = argNames[0]
	}
	switch f.Name {
	case "arg_max", "arg_min":
		// Output: the maximized expression, then the requested columns,
		// skipping a star-expanded copy of the maximized column itself.
		name := firstName
		if name == "" {
			name = "max_expr"
		}
		ac.Out = append(ac.Out, vec.Column{Name: name, Type: args[0].Type()})
		kept := []plan.Expr{args[0]}
		for i := 1; i < len(args); i++ {
			if argNames[i] == firstName && firstName != "" {
				continue
			}
			nm := argNames[i]
			if nm == "" {
				nm = "Column" + strconv.Itoa(i)
			}
			ac.Out = append(ac.Out, vec.Column{Name: nm, Type: args[i].Type()})
			kept = append(kept, args[i])
		}
		ac.Args = kept
	case "take_any", "take_anyif":
		n := len(args)
		if f.Name == "take_anyif" {
			n = 1
		}
		// The legacy names prefix the columns (any(a) is any_a), the
		// current ones keep them (take_any(a) is a), as Kusto's analyzer.
		prefix := ""
		switch call.Fun.Name {
		case "any":
			prefix = "any_"
		case "anyif":
			prefix = "anyif_"
		}
		for i := 0; i < n; i++ {
			nm := argNames[i]
			if nm == "" {
				nm = "any_" + strconv.Itoa(i)
			} else {
				nm = prefix + nm
			}
			ac.Out = append(ac.Out, vec.Column{Name: nm, Type: args[i].Type()})
		}
	case "percentiles":
		for i := 1; i < len(args); i++ {
			p := ""
			if c, ok := args[i].(*plan.Const); ok {
				p = types.DynString(c.Value)
			}
			ac.Out = append(ac.Out, vec.Column{Name: "percentile_" + firstName + "_" + sanitize(p), Type: t})
		}
	case "percentilesw", "percentilew":
		// percentilesw(x, weight, p1, p2, ...): one column per percent,
		// named as percentiles names them.
		for i := 2; i < len(args); i++ {
			p := ""
			if c, ok := args[i].(*plan.Const); ok {
				p = types.DynString(c.Value)
			}
			ac.Out = append(ac.Out, vec.Column{Name: "percentile_" + firstName + "_" + sanitize(p), Type: t})
		}
	case "percentile":
		p := ""
		if len(args) > 1 {
			if c, ok := args[1].(*plan.Const); ok {
				p = types.DynString(c.Value)
			}
		}
		ac.Out = vec.Schema{{Name: "percentile_" + firstName + "_" + sanitize(p), Type: t}}
	default:
		prefix, ok := aggPrefix[f.Name]
		if !ok {
			prefix = f.Name
		}
		name := prefix
		switch {
		case prefix == "count_":
			name = prefix + firstName
		case prefix != "countif_":
			name = prefix + "_" + firstName
		}
		ac.Out = vec.Schema{{Name: name, Type: t}}
	}
	return ac, true
}

func sanitize(s string) string {
	out := []byte(s)
	for i, c := range out {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			out[i] = '_'
		}
	}
	return string(out)
}

// aggExprName is exprName for an aggregation expression: an aggregate
// call is named by its default (count_, sum_a), and conversions around it
// and inner names (toint(C = dcount(x))) name the column as in a project.
func aggExprName(e syntax.Expr, defaults map[*syntax.CallExpr]string) string {
	switch x := e.(type) {
	case *syntax.ParenExpr:
		return aggExprName(x.X, defaults)
	case *syntax.NamedExpr:
		if len(x.Names) > 0 {
			return x.Names[0].Name
		}
	case *syntax.CallExpr:
		if n, ok := defaults[x]; ok {
			return n
		}
		if namedByFirstArg[x.Fun.Name] && len(x.Args) > 0 {
			return aggExprName(x.Args[0], defaults)
		}
	}
	return ""
}
