package sema

import (
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// externalData analyzes externaldata (Cols) [URLs] with (Props). The URLs
// are bound to local files when the query runs.
func (a *analyzer) externalData(x *syntax.ExternalDataExpr) plan.Node {
	e := &plan.ExternalData{Format: "csv"}
	for _, c := range x.Columns {
		t, ok := types.Parse(c.Type)
		if !ok {
			a.errorf(c.TypePos, "unknown type '%s' for column %s", c.Type, c.Name.Name)
			return nil
		}
		e.Cols = append(e.Cols, vec.Column{Name: c.Name.Name, Type: t})
	}
	for _, u := range x.URLs {
		c, ok := a.constArg(u)
		if !ok {
			return nil
		}
		s, ok := c.Value.(string)
		if !ok {
			a.errorf(u.Pos(), "externaldata URLs must be strings")
			return nil
		}
		e.URLs = append(e.URLs, s)
	}
	for _, p := range append(append([]*syntax.NamedExpr(nil), x.Params...), x.Props...) {
		if len(p.Names) != 1 {
			continue
		}
		var v any
		if id, ok := p.X.(*syntax.Ident); ok {
			v = id.Name
		} else if c, ok := a.constArg(p.X); ok {
			v = c.Value
		} else {
			return nil
		}
		switch strings.ToLower(p.Names[0].Name) {
		case "format":
			s, _ := v.(string)
			e.Format = strings.ToLower(s)
			switch e.Format {
			case "csv", "tsv", "tsve", "psv", "txt", "raw", "json", "multijson", "scsv", "sohsv":
			default:
				a.errorSpan(p.Pos(), p.End(), true, "externaldata format '%s'", s)
				return nil
			}
		case "ignorefirstrecord":
			switch b := v.(type) {
			case bool:
				e.IgnoreFirst = b
			case string:
				e.IgnoreFirst = strings.EqualFold(b, "true")
			}
		}
	}
	return e
}
