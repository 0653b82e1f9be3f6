package sema

// evaluate geo_polygon_lookup / geo_line_lookup.
//
// The plugins are rewritten into operators the engine already runs: each
// input row is numbered, joined with every lookup row, and the pairs
// whose point lies in the polygon (geo_point_in_polygon), or within
// radius meters of it (geo_distance_point_to_polygon) or of the line
// (geo_distance_point_to_line), are kept. With return_unmatched=true a
// row without a match is kept once with the lookup columns null ("" for
// strings). The lookup key column is dropped unless return_lookup_key is
// true. Arguments: the lookup table, then either the key column followed
// by the longitude and latitude columns, or the longitude and latitude
// columns followed by the key column (both orders appear in the
// reference); then radius (required for lines), return_unmatched,
// join_hint (accepted, ignored), by position or by name.

import (
	"fmt"
	"strings"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

func (a *analyzer) geoLookup(n plan.Node, x *syntax.EvaluateOp, lines bool) plan.Node {
	name := x.Call.Fun.Name
	pos, named := pluginArgs(x.Call)
	if len(pos) < 4 {
		a.errorf(x.Call.Pos(), "%s() takes the lookup table, the key column, and the longitude and latitude columns", name)
		return nil
	}
	table := a.tabular(unparen(pos[0]))
	if table == nil {
		return nil
	}
	in, ts := n.Schema(), table.Schema()
	identName := func(e syntax.Expr) string {
		if id, ok := unparen(e).(*syntax.Ident); ok {
			return id.Name
		}
		return ""
	}
	keyArg, lngArg, latArg := pos[1], pos[2], pos[3]
	if k := identName(pos[1]); k == "" || ts.Index(k) < 0 || in.Index(k) >= 0 && ts.Index(identName(pos[3])) >= 0 {
		lngArg, latArg, keyArg = pos[1], pos[2], pos[3]
	}
	lng, ok1 := a.columnArg(lngArg, in, "the longitude column")
	lat, ok2 := a.columnArg(latArg, in, "the latitude column")
	key, ok3 := a.columnArg(keyArg, ts, "the lookup key column")
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	if ts[key].Type != types.Dynamic {
		a.errorf(keyArg.Pos(), "%s: the lookup key column must be dynamic", name)
		return nil
	}
	// Optional arguments by position: radius, return_unmatched, join_hint.
	names := []string{"radius", "return_unmatched", "join_hint"}
	for i, e := range pos[4:] {
		if i < len(names) {
			if _, dup := named[names[i]]; !dup {
				named[names[i]] = &syntax.NamedExpr{X: e}
			}
		}
	}
	radius, hasRadius := "", false
	if ne, ok := named["radius"]; ok {
		c, ok := a.constArg(ne.X)
		if !ok {
			return nil
		}
		var r float64
		switch v := c.Value.(type) {
		case int64:
			r = float64(v)
		case float64:
			r = v
		default:
			a.errorf(ne.X.Pos(), "%s: radius must be a number", name)
			return nil
		}
		radius, hasRadius = fmt.Sprintf("real(%v)", r), true
	}
	if lines && !hasRadius {
		a.errorf(x.Call.Pos(), "%s() needs a radius", name)
		return nil
	}
	flag := func(k string) (bool, bool) {
		ne, ok := named[k]
		if !ok {
			return false, true
		}
		c, ok := a.constArg(ne.X)
		if !ok {
			return false, false
		}
		b, ok := c.Value.(bool)
		if !ok {
			a.errorf(ne.X.Pos(), "%s: %s must be a bool", name, k)
		}
		return b, ok
	}
	unmatched, ok := flag("return_unmatched")
	if !ok {
		return nil
	}
	withKey, ok := flag("return_lookup_key")
	if !ok {
		return nil
	}

	q := func(s string) string { return "['" + strings.ReplaceAll(s, "'", "\\'") + "']" }
	// The lookup's columns as named after the join (clashes get a suffix).
	taken := map[string]bool{"__geo_lookup_id": true, "__geo_lookup_k": true}
	for _, c := range in {
		taken[c.Name] = true
	}
	outNames := make([]string, len(ts))
	for i, c := range ts {
		nm := c.Name
		for k := 1; taken[nm]; k++ {
			nm = fmt.Sprintf("%s%d", c.Name, k)
		}
		taken[nm] = true
		outNames[i] = nm
	}
	keyCol := q(outNames[key])
	var pred string
	switch {
	case lines:
		pred = fmt.Sprintf("geo_distance_point_to_line(%s, %s, %s) <= %s", q(in[lng].Name), q(in[lat].Name), keyCol, radius)
	case hasRadius:
		pred = fmt.Sprintf("geo_distance_point_to_polygon(%s, %s, %s) <= %s", q(in[lng].Name), q(in[lat].Name), keyCol, radius)
	default:
		pred = fmt.Sprintf("geo_point_in_polygon(%s, %s, %s)", q(in[lng].Name), q(in[lat].Name), keyCol)
	}
	var b strings.Builder
	b.WriteString("__geo_lookup_src")
	if unmatched {
		b.WriteString(" | serialize __geo_lookup_id = row_number()")
	}
	b.WriteString(" | extend __geo_lookup_k = true")
	kind := "inner"
	if unmatched {
		kind = "leftouter"
	}
	fmt.Fprintf(&b, " | join kind=%s (__geo_lookup_table | extend __geo_lookup_k = true) on __geo_lookup_k", kind)
	drop := []string{"__geo_lookup_k", "__geo_lookup_k1"}
	if unmatched {
		fmt.Fprintf(&b, " | extend __geo_lookup_hit = coalesce(%s, false)", pred)
		b.WriteString(" | sort by __geo_lookup_id asc, __geo_lookup_hit desc")
		b.WriteString(" | extend __geo_lookup_first = isnull(prev(__geo_lookup_id)) or prev(__geo_lookup_id) != __geo_lookup_id")
		b.WriteString(" | where __geo_lookup_hit or __geo_lookup_first")
		for i, c := range ts {
			null := "\"\""
			if c.Type != types.String {
				null = c.Type.String() + "(null)"
			}
			fmt.Fprintf(&b, " | extend %s = iff(__geo_lookup_hit, %s, %s)", q(outNames[i]), q(outNames[i]), null)
		}
		drop = append(drop, "__geo_lookup_id", "__geo_lookup_hit", "__geo_lookup_first")
	} else {
		fmt.Fprintf(&b, " | where %s", pred)
	}
	if !withKey {
		drop = append(drop, outNames[key])
	}
	for i := range drop {
		drop[i] = q(drop[i])
	}
	fmt.Fprintf(&b, " | project-away %s", strings.Join(drop, ", "))

	src := syntax.NewSource(name, b.String())
	e, errs := syntax.ParseExpr(src)
	pipe, ok := e.(*syntax.PipeExpr)
	if len(errs) > 0 || !ok {
		a.errorf(x.Call.Pos(), "%s: internal rewrite failed", name)
		return nil
	}
	for _, op := range pipe.Ops {
		if j, ok := op.(*syntax.JoinOp); ok {
			if r, ok := unparen(j.Right).(*syntax.PipeExpr); ok {
				r.Source = &syntax.ParenExpr{X: unparen(pos[0])}
			}
		}
	}
	for _, op := range pipe.Ops {
		if n = a.operator(n, op); n == nil {
			return nil
		}
	}
	return n
}
