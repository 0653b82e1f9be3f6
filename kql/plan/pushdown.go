package plan

import (
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ScanFilter is a predicate on one column of a scan, which a reader may
// test before decoding the rest of the row. Readers apply them only as an
// optimization: the Filter operators above the scan still run, so a
// reader may keep rows a filter would drop, never the reverse.
type ScanFilter struct {
	Column string
	// Op is a comparison: "==", "!=", "=~", "<", "<=", ">", ">=", or a list
	// test "in", "in~" (Values holds the list). Op "pred" marks a filter
	// that only Pred describes (has_any, a member of a dynamic column, a
	// function of the column): readers that do not evaluate plan
	// expressions must ignore it.
	Op     string
	Value  any
	Values []any
	// Path, when not "", is the top-level key of the dynamic Column whose
	// value the filter tests (RawEventData.FileExtension); only "pred"
	// filters have one.
	Path string
	// Pred is the filter as a boolean expression over a single input
	// column, ColRef 0, which stands for the column's value (or the
	// value of Column.Path, typed dynamic). PushDown sets it on every
	// filter; a reader may evaluate it on any values of the column, one
	// dictionary entry at a time for instance, since it depends on
	// nothing else.
	Pred Expr
}

// pushableOps lists the operators a classic ScanFilter may carry.
var pushableOps = map[string]bool{
	"==": true, "!=": true, "=~": true, "<": true, "<=": true, ">": true, ">=": true, "in": true, "in~": true,
}

// OpPred is the Op of filters described by their Pred alone.
const OpPred = "pred"

// ValueRef returns the reference to the tested value in a scan filter's
// predicate (its ColRef 0, typed as the value), or nil when it has none.
func ValueRef(pred Expr) *ColRef {
	switch x := pred.(type) {
	case *ColRef:
		return x
	case *Call:
		for _, a := range x.Args {
			if r := ValueRef(a); r != nil {
				return r
			}
		}
	}
	return nil
}

// ReaderFilters returns the filters with a classic Op, for readers that
// test raw values rather than evaluate expressions.
func ReaderFilters(fs []ScanFilter) []ScanFilter {
	var out []ScanFilter
	for _, f := range fs {
		if f.Op != OpPred && f.Path == "" {
			out = append(out, f)
		}
	}
	return out
}

// PushDown annotates each Scan with the filters and dynamic paths that can
// be applied while reading. It looks at each chain of Filter and Project
// operators above a Scan: a conjunct of any Filter in the chain that,
// with the Projects below it substituted, reads a single value of the
// scan's row (a column, or one key of a dynamic column) becomes a
// ScanFilter, since Filter and Project are row by row and the filter runs
// again above. For dynamic columns read only through member access
// (RawEventData.FileExtension), the list of keys goes to Paths, so the
// reader builds small bags instead of whole trees.
func PushDown(n Node) Node {
	annotateChain(n)
	walkNodes(n, func(x Node) {
		switch x.(type) {
		case *Filter, *Project:
			// Links of a chain, handled from the chain's top.
		default:
			for _, in := range x.Inputs() {
				annotateChain(in)
			}
		}
	})
	return n
}

func walkNodes(n Node, f func(Node)) {
	f(n)
	for _, in := range n.Inputs() {
		walkNodes(in, f)
	}
}

// annotateChain handles a chain of Filters and Projects ending in a Scan.
// The first (highest) chain to reach a scan annotates it.
func annotateChain(top Node) {
	var chain []Node
	n := top
	for {
		switch x := n.(type) {
		case *Filter:
			chain = append(chain, x)
			n = x.Input
			continue
		case *Project:
			chain = append(chain, x)
			n = x.Input
			continue
		}
		break
	}
	scan, ok := n.(*Scan)
	if !ok || scan.Filters != nil || scan.Paths != nil {
		return
	}
	// defs[i] is output column i of the current link as an expression
	// over the scan's columns.
	defs := make([]Expr, len(scan.Columns))
	for i, c := range scan.Columns {
		defs[i] = &ColRef{Index: i, Name: c.Name, T: c.Type}
	}
	var uses []Expr
	// A row function (row_number, prev, next, row_cumsum ...) sees the
	// rows before it: once one is computed, no filter above it may drop
	// rows at the scan.
	barrier := false
	for i := len(chain) - 1; i >= 0; i-- {
		switch x := chain[i].(type) {
		case *Filter:
			pred := substitute(x.Pred, defs)
			uses = append(uses, pred)
			if barrier {
				continue
			}
			for _, c := range conjuncts(pred) {
				if sf, ok := scanFilter(c, scan.Columns); ok {
					scan.Filters = append(scan.Filters, sf)
				}
			}
		case *Project:
			for _, e := range x.Exprs {
				if hasRowFunction(e) {
					barrier = true
				}
			}
			next := make([]Expr, len(x.Exprs))
			for j, e := range x.Exprs {
				next[j] = substitute(e, defs)
			}
			defs = next
		}
	}
	uses = append(uses, defs...)
	for i, c := range scan.Columns {
		if c.Type != types.Dynamic {
			continue
		}
		keys, ok := memberKeys(uses, i)
		if ok && len(keys) > 0 {
			if scan.Paths == nil {
				scan.Paths = map[string][]string{}
			}
			scan.Paths[c.Name] = keys
		}
	}
}

// substitute replaces each column reference of e by defs[index].
func substitute(e Expr, defs []Expr) Expr {
	switch x := e.(type) {
	case *ColRef:
		if x.Index < len(defs) {
			return defs[x.Index]
		}
	case *Call:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = substitute(a, defs)
		}
		c := *x
		c.Args = args
		return &c
	}
	return e
}

func conjuncts(e Expr) []Expr {
	if c, ok := e.(*Call); ok && c.Name == "and" && len(c.Args) == 2 {
		return append(conjuncts(c.Args[0]), conjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

// scanFilter turns a conjunct into a ScanFilter when it depends on one
// value of the row and on nothing that varies between evaluations.
func scanFilter(e Expr, cols []vecColumn) (ScanFilter, bool) {
	if !stable(e) {
		return ScanFilter{}, false
	}
	col, path, ok := singleValue(e, len(cols))
	if !ok {
		return ScanFilter{}, false
	}
	t := cols[col].Type
	name := cols[col].Name
	if path != "" {
		t = types.Dynamic
		name += "." + path
	}
	pred := replaceValue(e, col, path, &ColRef{Index: 0, Name: name, T: t})
	if path == "" {
		if sf, ok := classicFilter(e, cols); ok {
			sf.Pred = pred
			return sf, true
		}
	}
	return ScanFilter{Column: cols[col].Name, Op: OpPred, Path: path, Pred: pred}, true
}

// classicFilter recognizes `column op constant` and `column in (constants)`.
func classicFilter(e Expr, cols []vecColumn) (ScanFilter, bool) {
	c, ok := e.(*Call)
	if !ok || !pushableOps[c.Name] || len(c.Args) < 2 {
		return ScanFilter{}, false
	}
	col, ok := c.Args[0].(*ColRef)
	if !ok || col.Index >= len(cols) {
		return ScanFilter{}, false
	}
	sf := ScanFilter{Column: cols[col.Index].Name, Op: c.Name}
	if c.Name == "in" || c.Name == "in~" {
		for _, a := range c.Args[1:] {
			k, ok := a.(*Const)
			if !ok {
				return ScanFilter{}, false
			}
			if arr, ok := k.Value.([]any); ok {
				sf.Values = append(sf.Values, arr...)
			} else {
				sf.Values = append(sf.Values, k.Value)
			}
		}
		return sf, true
	}
	k, ok := c.Args[1].(*Const)
	if !ok || len(c.Args) != 2 || k.Value == nil {
		return ScanFilter{}, false
	}
	sf.Value = k.Value
	return sf, true
}

// stable reports whether e gives the same result for the same input
// value wherever it is evaluated: no volatile or window functions, no
// subqueries (those are evaluated by the run, not by a reader).
func stable(e Expr) bool {
	switch x := e.(type) {
	case *ColRef, *Const:
		return true
	case *Call:
		if x.Func != nil && x.Func.Volatile {
			return false
		}
		for _, a := range x.Args {
			if !stable(a) {
				return false
			}
		}
		return true
	}
	return false
}

// memberOf returns the column and key of `ColRef.key` on a dynamic column.
func memberOf(e Expr, ncols int) (int, string, bool) {
	c, ok := e.(*Call)
	if !ok || c.Name != "__member" || len(c.Args) != 2 {
		return 0, "", false
	}
	ref, ok := c.Args[0].(*ColRef)
	if !ok || ref.Index >= ncols || ref.T != types.Dynamic {
		return 0, "", false
	}
	k, ok := c.Args[1].(*Const)
	if !ok {
		return 0, "", false
	}
	s, ok := k.Value.(string)
	if !ok || s == "" {
		return 0, "", false
	}
	return ref.Index, s, true
}

// singleValue finds the one value e reads: a column, or one key of a
// dynamic column. ok is false when e reads none or several.
func singleValue(e Expr, ncols int) (col int, path string, ok bool) {
	found := false
	multiple := false
	note := func(c int, p string) {
		if found && (c != col || p != path) {
			multiple = true
		}
		col, path, found = c, p, true
	}
	var walk func(Expr)
	walk = func(e Expr) {
		if c, p, ok := memberOf(e, ncols); ok {
			note(c, p)
			return
		}
		switch x := e.(type) {
		case *ColRef:
			if x.Index >= ncols {
				multiple = true
				return
			}
			note(x.Index, "")
		case *Call:
			for _, a := range x.Args {
				walk(a)
			}
		}
	}
	walk(e)
	return col, path, found && !multiple
}

// replaceValue replaces the value (col, path) in e by v.
func replaceValue(e Expr, col int, path string, v Expr) Expr {
	if c, p, ok := memberOf(e, col+1); ok && c == col && p == path {
		return v
	}
	switch x := e.(type) {
	case *ColRef:
		if x.Index == col && path == "" {
			return v
		}
	case *Call:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = replaceValue(a, col, path, v)
		}
		c := *x
		c.Args = args
		return &c
	}
	return e
}

// memberKeys returns the keys through which exprs read column col, or
// ok=false when some use reads the column whole.
func memberKeys(exprs []Expr, col int) ([]string, bool) {
	seen := map[string]bool{}
	var keys []string
	ok := true
	var walk func(Expr)
	walk = func(e Expr) {
		switch x := e.(type) {
		case *ColRef:
			if x.Index == col {
				ok = false
			}
		case *Call:
			if x.Name == "__member" && len(x.Args) == 2 {
				if ref, isRef := x.Args[0].(*ColRef); isRef && ref.Index == col {
					if k, isConst := x.Args[1].(*Const); isConst {
						if s, isStr := k.Value.(string); isStr {
							if !seen[s] {
								seen[s] = true
								keys = append(keys, s)
							}
							return
						}
					}
				}
			}
			for _, a := range x.Args {
				walk(a)
			}
		case *Subquery:
			// Its plan reads other scans, not this row.
		}
	}
	for _, e := range exprs {
		walk(e)
	}
	return keys, ok
}

// hasRowFunction reports whether e calls a window function, whose value
// depends on the other rows of the input.
func hasRowFunction(e Expr) bool {
	c, ok := e.(*Call)
	if !ok {
		return false
	}
	if c.Func != nil && c.Func.Kind == builtins.Window {
		return true
	}
	for _, a := range c.Args {
		if hasRowFunction(a) {
			return true
		}
	}
	return false
}
