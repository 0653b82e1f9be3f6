package sema

import (
	"regexp"
	"strconv"
	"strings"

	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// Typed columns of parse match these patterns in strict modes, so that a
// number followed by `*` stops where the number does.
const (
	parseIntRe  = `-?\d+`
	parseRealRe = `-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`
)

// parseOp analyzes parse and parse-where. The pattern becomes one RE2
// regex anchored at the start, with a named group per column: `*` is
// `.*?`, string constants match literally (as regexes in kind=regex), and
// a column matches lazily up to the next constant, greedily when nothing
// follows it. In kind=regex every column but numbers is greedy, as the
// docs' examples show (the U flag makes them lazy).
func (a *analyzer) parseOp(n plan.Node, x *syntax.ParseOp) plan.Node {
	in := n.Schema()
	r := rowOf(in)
	e := a.scalar(x.X, r)
	if isBad(e) {
		return nil
	}
	if e.Type() != types.String {
		e = a.call(x.X, "tostring", []plan.Expr{e})
	}
	kind := strings.ToLower(x.Kind)
	switch kind {
	case "", "simple", "regex", "relaxed":
	default:
		a.errorf(x.OpPos, "parse kind must be simple, regex or relaxed, got '%s'", x.Kind)
		return nil
	}
	if x.Where && kind == "relaxed" {
		a.errorf(x.OpPos, "parse-where does not take kind=relaxed")
		return nil
	}
	var b strings.Builder
	b.WriteString("^")
	if x.Flags != "" {
		if kind != "regex" {
			a.errorf(x.OpPos, "parse flags need kind=regex")
			return nil
		}
		for _, f := range x.Flags {
			if !strings.ContainsRune("imsU", f) {
				a.errorf(x.OpPos, "unknown parse regex flag '%c' (use i, m, s or U)", f)
				return nil
			}
		}
		b.WriteString("(?" + x.Flags + ")")
	}
	p := &plan.Parse{Input: n, X: e, Relaxed: kind == "relaxed", Where: x.Where}
	seen := map[string]bool{}
	for i, el := range x.Pattern {
		switch y := el.(type) {
		case *syntax.StarExpr:
			b.WriteString(`.*?`)
		case *syntax.Literal:
			if kind == "regex" {
				if _, err := regexp.Compile(y.Value); err != nil {
					a.errorf(y.Pos(), "parse: invalid regex %q: %v", y.Value, err)
					return nil
				}
				b.WriteString("(?:" + y.Value + ")")
			} else {
				b.WriteString(regexp.QuoteMeta(y.Value))
			}
		case *syntax.ColumnDecl:
			t := types.String
			if y.Type != "" {
				tt, ok := types.Parse(y.Type)
				if !ok {
					a.errorf(y.TypePos, "unknown type '%s'", y.Type)
					return nil
				}
				t = tt
			}
			name := y.Name.Name
			if seen[name] {
				a.errorf(y.Pos(), "parse: column '%s' appears twice in the pattern", name)
				return nil
			}
			seen[name] = true
			last := i == len(x.Pattern)-1
			nextConst := !last
			if !last {
				_, nextConst = x.Pattern[i+1].(*syntax.Literal)
			}
			group := "c" + strconv.Itoa(len(p.Cols))
			var re string
			switch {
			case t.IsInteger() && !(kind == "relaxed" && nextConst):
				re = parseIntRe
			case (t == types.Real || t == types.Decimal) && !(kind == "relaxed" && nextConst):
				re = parseRealRe
			case last || kind == "regex":
				re = ".*"
			default:
				re = ".*?"
			}
			b.WriteString("(?P<" + group + ">" + re + ")")
			p.Cols = append(p.Cols, plan.ParseCol{Name: name, Type: t, Group: group, Replace: in.Index(name)})
		default:
			a.errorf(el.Pos(), "unexpected element in the parse pattern")
			return nil
		}
	}
	p.Regex = b.String()
	if _, err := regexp.Compile(p.Regex); err != nil {
		a.errorf(x.WithPos, "parse: the pattern gives an invalid regex: %v", err)
		return nil
	}
	return p
}
