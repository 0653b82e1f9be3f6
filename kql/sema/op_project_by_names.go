package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// projectByNames analyzes "project-by-names Spec, ...". Every spec must
// fold to a constant at analysis time: a string (a column name or a
// wildcard pattern) or a dynamic array of such strings. Output columns
// follow the order in which specs name or match them; a column is kept
// once, and names that match nothing are ignored, as the docs require.
func (a *analyzer) projectByNames(n plan.Node, x *syntax.ProjectByNamesOp) plan.Node {
	in := n.Schema()
	used := make([]bool, len(in))
	p := &plan.Project{Input: n}
	add := func(pattern string) {
		for i, col := range in {
			if !used[i] && wildcardMatch(pattern, col.Name) {
				used[i] = true
				p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: col.Name, T: col.Type})
				p.Names = append(p.Names, col.Name)
			}
		}
	}
	for _, e := range x.Cols {
		c, ok := a.constArg(e)
		if !ok {
			continue
		}
		switch v := c.Value.(type) {
		case nil:
		case string:
			add(v)
		case []any:
			for _, item := range v {
				if s, ok := item.(string); ok {
					add(s)
				}
			}
		default:
			if c.T != types.Dynamic {
				a.errorf(e.Pos(), "project-by-names expects column names, got %s", c.T)
			}
		}
	}
	return p
}
