package sema

// Functions with several outputs: series_decompose_anomalies(),
// series_stats(), series_fit_line() and the rest return a row of columns,
// not one value. Their kernels return a property bag of the outputs; in
// project and extend the analyzer evaluates the call once into a hidden
// column of a projection below, and reads each output from it:
//
//	extend (flag, score, baseline) = series_decompose_anomalies(y)
//	extend series_stats(y)     // series_stats_y_min, series_stats_y_min_idx, ...
//	extend s = series_stats(y) // s, series_stats_y_min_idx, ...
//
// The names follow Kusto's analyzer: the names given take the first
// outputs in order, the others are <function>_<argument>_<output>, made
// unique with a numeric suffix. Used inside another expression, such a
// call stands for its first output.

import (
	"fmt"
	"strconv"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

type output struct {
	key string
	t   types.Type
	// idx and name serve outputs that are elements of an array result
	// (key ""): array_sort_asc(a, b) returns [sorted a, b in a's order],
	// named a_sorted and b_sorted.
	idx  int
	name string
}

func outs(t types.Type, keys ...string) []output {
	o := make([]output, len(keys))
	for i, k := range keys {
		o[i] = output{key: k, t: t}
	}
	return o
}

var decomposeOutputs = outs(types.Dynamic, "baseline", "seasonal", "trend", "residual")

var multiOutputs = map[string][]output{
	"series_decompose_anomalies": outs(types.Dynamic, "ad_flag", "ad_score", "baseline"),
	"series_decompose":           decomposeOutputs,
	"series_decompose_forecast":  decomposeOutputs,
	// The real engine names the second output periods_scores (the
	// reference page's output table shows it).
	"series_periods_detect":   outs(types.Dynamic, "periods", "periods_scores"),
	"series_periods_validate": outs(types.Dynamic, "periods", "scores"),
	"series_stats": {{key: "min", t: types.Real}, {key: "min_idx", t: types.Long}, {key: "max", t: types.Real}, {key: "max_idx", t: types.Long},
		{key: "avg", t: types.Real}, {key: "stdev", t: types.Real}, {key: "variance", t: types.Real}},
	"series_fit_line": {{key: "rsquare", t: types.Real}, {key: "slope", t: types.Real}, {key: "variance", t: types.Real},
		{key: "rvariance", t: types.Real}, {key: "interception", t: types.Real}, {key: "line_fit", t: types.Dynamic}},
	"series_fit_2lines": {{key: "rsquare", t: types.Real}, {key: "split_idx", t: types.Long}, {key: "variance", t: types.Real},
		{key: "rvariance", t: types.Real}, {key: "line_fit", t: types.Dynamic},
		{key: "right_rsquare", t: types.Real}, {key: "right_slope", t: types.Real}, {key: "right_interception", t: types.Real},
		{key: "right_variance", t: types.Real}, {key: "right_rvariance", t: types.Real},
		{key: "left_rsquare", t: types.Real}, {key: "left_slope", t: types.Real}, {key: "left_interception", t: types.Real},
		{key: "left_variance", t: types.Real}, {key: "left_rvariance", t: types.Real}},
}

// multiCall returns the call and its outputs when e is a call of a
// function with several outputs (and not a user function of that name).
func (a *analyzer) multiCall(e syntax.Expr) (*syntax.CallExpr, []output) {
	x, ok := unparen(e).(*syntax.CallExpr)
	if !ok || x.Recv != nil {
		return nil, nil
	}
	if a.scope.lookup(x.Fun.Name) != nil {
		return nil, nil
	}
	if x.Fun.Name == "array_sort_asc" || x.Fun.Name == "array_sort_desc" {
		if o := sortOutputs(x); o != nil {
			return x, o
		}
		return nil, nil
	}
	o, ok := multiOutputs[x.Fun.Name]
	if !ok {
		return nil, nil
	}
	return x, o
}

// sortOutputs gives the outputs of array_sort_asc/desc over two arrays
// or more, nil over one.
func sortOutputs(x *syntax.CallExpr) []output {
	arrays := x.Args
	if n := len(arrays); n > 0 {
		if lit, ok := arrays[n-1].(*syntax.Literal); ok && lit.Kind == syntax.LitBool {
			arrays = arrays[:n-1]
		}
	}
	if len(arrays) < 2 {
		return nil
	}
	var o []output
	for i, arg := range arrays {
		name := exprName(arg)
		if name == "" {
			name = "array"
		}
		o = append(o, output{t: types.Dynamic, idx: i, name: name + "_sorted"})
	}
	return o
}

// outputOf reads output o of the bag that bag evaluates to.
func (a *analyzer) outputOf(n syntax.Node, bag plan.Expr, o output) plan.Expr {
	if o.key == "" {
		return a.call(n, "__index", []plan.Expr{bag, &plan.Const{T: types.Long, Value: int64(o.idx)}})
	}
	v := a.call(n, "__member", []plan.Expr{bag, &plan.Const{T: types.String, Value: o.key}})
	switch o.t {
	case types.Real:
		return a.call(n, "todouble", []plan.Expr{v})
	case types.Long:
		return a.call(n, "tolong", []plan.Expr{v})
	}
	return v
}

// hiddenCols collects the bags of multi-output calls of one project or
// extend: they become columns of a projection under it.
type hiddenCols struct {
	base  int // the input's column count: hidden columns follow it
	names []string
	exprs []plan.Expr
}

func (h *hiddenCols) add(e plan.Expr) *plan.ColRef {
	name := "__multi" + strconv.Itoa(len(h.names))
	h.names = append(h.names, name)
	h.exprs = append(h.exprs, e)
	return &plan.ColRef{Index: h.base + len(h.exprs) - 1, Name: name, T: types.Dynamic}
}

// wrap puts the projection of the hidden columns under the project.
func (h *hiddenCols) wrap(n plan.Node) plan.Node {
	if len(h.exprs) == 0 {
		return n
	}
	in := n.Schema()
	p := &plan.Project{Input: n}
	for i, c := range in {
		p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: c.Name, T: c.Type})
		p.Names = append(p.Names, c.Name)
	}
	p.Exprs = append(p.Exprs, h.exprs...)
	p.Names = append(p.Names, h.names...)
	return p
}

// expandMulti analyzes a multi-output call of project or extend and
// returns the output columns, named.
func (a *analyzer) expandMulti(call *syntax.CallExpr, o []output, given []*syntax.Ident, r *row, h *hiddenCols, taken func(string) bool) ([]string, []plan.Expr) {
	if len(given) > len(o) {
		a.errorSpan(call.Pos(), call.End(), false, "%s() has %d outputs, %d names are given", call.Fun.Name, len(o), len(given))
		return nil, nil
	}
	a.wantBag = true
	bag := a.scalar(call, r)
	if isBad(bag) {
		return nil, nil
	}
	ref := h.add(bag)
	arg := ""
	if len(call.Args) > 0 {
		arg = exprName(call.Args[0])
	}
	var names []string
	var exprs []plan.Expr
	used := map[string]bool{}
	for i, out := range o {
		var name string
		if i < len(given) {
			name = given[i].Name
		} else {
			base := fmt.Sprintf("%s_%s_%s", call.Fun.Name, arg, out.key)
			switch {
			case out.name != "":
				base = out.name
			case arg == "":
				base = fmt.Sprintf("%s_%s", call.Fun.Name, out.key)
			}
			name = base
			for k := 1; taken(name) || used[name]; k++ {
				name = base + strconv.Itoa(k)
			}
		}
		used[name] = true
		names = append(names, name)
		exprs = append(exprs, a.outputOf(call, ref, out))
	}
	return names, exprs
}
