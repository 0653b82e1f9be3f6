package store

import (
	"hunt/kql/plan"
	"hunt/kql/types"
)

// filterInfo is what the store can tell from a scan filter without
// evaluating it: a range test for zone maps and a term requirement for
// term indexes.
type filterInfo struct {
	sf   plan.ScanFilter
	t    types.Type // type of the tested value
	pred plan.Expr

	// Range: the value must be in [lo, hi] (int-backed columns only).
	hasRange bool
	lo, hi   int64
	// Terms: the value must hold all terms of at least one of anyOf (has,
	// ==, in, has_any), or all of allOf (has_all). Nil when the filter
	// says nothing about terms.
	anyOf [][]string
	allOf []string
}

func analyzeFilter(sf plan.ScanFilter, t types.Type) filterInfo {
	fi := filterInfo{sf: sf, t: t, pred: sf.Pred}
	if sf.Path == "" {
		fi.rangeOf(sf)
	}
	if sf.Pred != nil {
		fi.termsOf(sf.Pred)
	}
	return fi
}

// rangeOf derives [lo, hi] from a comparison of an int-backed column
// with a constant of its own kind.
func (fi *filterInfo) rangeOf(sf plan.ScanFilter) {
	if fi.t.Physical() != types.PhysInt || sf.Value == nil {
		return
	}
	var x int64
	switch v := sf.Value.(type) {
	case types.DT:
		if fi.t != types.DateTime {
			return
		}
		x = int64(v)
	case types.TS:
		if fi.t != types.Timespan {
			return
		}
		x = int64(v)
	case int64:
		if fi.t != types.Long && fi.t != types.Int {
			return
		}
		x = v
	default:
		return
	}
	const minI, maxI = -1 << 63, 1<<63 - 1
	switch sf.Op {
	case "==":
		fi.lo, fi.hi = x, x
	case ">":
		if x == maxI {
			fi.lo, fi.hi = maxI, minI // empty
		} else {
			fi.lo, fi.hi = x+1, maxI
		}
	case ">=":
		fi.lo, fi.hi = x, maxI
	case "<":
		if x == minI {
			fi.lo, fi.hi = maxI, minI
		} else {
			fi.lo, fi.hi = minI, x-1
		}
	case "<=":
		fi.lo, fi.hi = minI, x
	default:
		return
	}
	fi.hasRange = true
}

// termOps are the predicates a row can satisfy only if it holds every
// term of the needle (or of one needle of a list). Case-insensitive ones
// need needles whose folding keeps letters letters (foldConsistent).
var termOps = map[string]bool{
	"has": false, "has_cs": true, "==": true, "=~": false, "in": true, "in~": false,
	"has_any": false, "has_all": false,
}

func (fi *filterInfo) termsOf(pred plan.Expr) {
	c, ok := pred.(*plan.Call)
	if !ok || len(c.Args) < 2 {
		return
	}
	cs, ok := termOps[c.Name]
	if !ok {
		return
	}
	if ref, ok := c.Args[0].(*plan.ColRef); !ok || ref.Index != 0 {
		return
	}
	if fi.t != types.String && fi.t != types.Dynamic {
		return
	}
	var needles []string
	for _, a := range c.Args[1:] {
		k, ok := a.(*plan.Const)
		if !ok {
			return
		}
		switch v := k.Value.(type) {
		case string:
			needles = append(needles, v)
		case []any:
			if c.Name == "==" || c.Name == "=~" || c.Name == "has" || c.Name == "has_cs" {
				return
			}
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					if e == nil && (c.Name == "has_any" || c.Name == "has_all") {
						continue // null elements are skipped
					}
					return
				}
				needles = append(needles, s)
			}
		default:
			return
		}
	}
	var sets [][]string
	for _, n := range needles {
		if !cs && !foldConsistent(n) {
			return
		}
		ts := needleTerms(n)
		for _, t := range ts {
			if len(t) > maxTermLen {
				ts = nil // unknowable: the index skips such terms
				break
			}
		}
		sets = append(sets, ts)
	}
	if c.Name == "has_all" {
		for _, ts := range sets {
			fi.allOf = append(fi.allOf, ts...)
		}
		return
	}
	for _, ts := range sets {
		if len(ts) == 0 {
			return // a needle without terms may match any row
		}
	}
	if sets == nil {
		sets = [][]string{} // no needle: no row passes
	}
	fi.anyOf = sets
}
