package plan

import "hunt/kql/types"

// ScanFilter is a simple predicate on one column of a scan, which a reader
// may test on the raw record before decoding the rest of it. Readers apply
// them only as an optimization: the Filter operators above the scan still
// run, so a reader may keep rows a filter would drop, never the reverse.
type ScanFilter struct {
	Column string
	// Op is a comparison: "==", "!=", "=~", "<", "<=", ">", ">=", or a list
	// test "in", "in~" (Values holds the list).
	Op     string
	Value  any
	Values []any
}

// pushableOps lists the operators a ScanFilter may carry.
var pushableOps = map[string]bool{
	"==": true, "!=": true, "=~": true, "<": true, "<=": true, ">": true, ">=": true, "in": true, "in~": true,
}

// PushDown annotates each Scan with the filters and dynamic paths that can
// be applied while reading: the conjuncts of the Filters directly above it
// that compare a column with constants, and for dynamic columns read only
// through member access (RawEventData.FileExtension), the list of keys,
// so the reader builds small bags instead of whole trees.
func PushDown(n Node) Node {
	walkNodes(n, func(x Node) {
		switch y := x.(type) {
		case *Filter:
			// Handled from the top of each filter chain below.
		case *Project, *Aggregate, *Sort, *Top, *Limit, *Join, *Union, *MvExpand, *Shared:
			for _, in := range y.Inputs() {
				annotateChain(in)
			}
		}
	})
	annotateChain(n)
	return n
}

func walkNodes(n Node, f func(Node)) {
	f(n)
	for _, in := range n.Inputs() {
		walkNodes(in, f)
	}
}

// annotateChain handles a chain Filter* → Scan, optionally under one
// Project (whose expressions count as the uses of the scan's columns).
func annotateChain(top Node) {
	var filters []*Filter
	var proj *Project
	n := top
	if p, ok := n.(*Project); ok {
		proj = p
		n = p.Input
	}
	for {
		f, ok := n.(*Filter)
		if !ok {
			break
		}
		filters = append(filters, f)
		n = f.Input
	}
	scan, ok := n.(*Scan)
	if !ok || scan.Filters != nil || scan.Paths != nil {
		return
	}
	for _, f := range filters {
		for _, c := range conjuncts(f.Pred) {
			if sf, ok := scanFilter(c, scan.Columns); ok {
				scan.Filters = append(scan.Filters, sf)
			}
		}
	}
	if proj == nil {
		return // the scan's columns flow on whole; no path pruning
	}
	var uses []Expr
	for _, f := range filters {
		uses = append(uses, f.Pred)
	}
	uses = append(uses, proj.Exprs...)
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

func conjuncts(e Expr) []Expr {
	if c, ok := e.(*Call); ok && c.Name == "and" && len(c.Args) == 2 {
		return append(conjuncts(c.Args[0]), conjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

func scanFilter(e Expr, cols []vecColumn) (ScanFilter, bool) {
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
		}
	}
	for _, e := range exprs {
		walk(e)
	}
	return keys, ok
}
