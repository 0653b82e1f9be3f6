// Package plan is hunt's logical plan: a tree of tabular operators with
// typed output schemas and resolved, typed scalar expressions. The
// analyzer (kql/sema) builds it from the syntax tree; backends consume it.
// Nothing here depends on the embedded executor, so that another backend
// (a SQL compiler for a distributed engine) can compile the same plan.
package plan

import (
	"fmt"
	"strings"

	"hunt/kql/builtins"
	"hunt/kql/types"
)

// Expr is a resolved scalar expression.
type Expr interface {
	Type() types.Type
	String() string
	exprNode()
}

// ColRef reads column Index of the operator's input.
type ColRef struct {
	Index int
	Name  string
	T     types.Type
}

// Const is a constant, boxed as vec.Vec.Get returns values (nil is null).
type Const struct {
	T     types.Type
	Value any
}

// Call applies a built-in scalar function or operator. Operators use their
// spelling as Name ("==", "has", "and"); member access on dynamic values
// is "__member" and indexing "__index".
type Call struct {
	Name string
	Func *builtins.Func
	Args []Expr
	T    types.Type
}

func (*ColRef) exprNode() {}
func (*Const) exprNode()  {}
func (*Call) exprNode()   {}

func (e *ColRef) Type() types.Type { return e.T }
func (e *Const) Type() types.Type  { return e.T }
func (e *Call) Type() types.Type   { return e.T }

func (e *ColRef) String() string { return e.Name }

func (e *Const) String() string {
	if e.Value == nil {
		return e.T.String() + "(null)"
	}
	switch v := e.Value.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case types.DT:
		return "datetime(" + types.FormatDatetime(int64(v)) + ")"
	case types.TS:
		return "timespan(" + types.FormatTimespan(int64(v)) + ")"
	case types.GuidVal:
		return "guid(" + types.FormatGuid(v) + ")"
	case bool, int64, float64:
		return types.DynString(v)
	}
	return "dynamic(" + types.DynString(e.Value) + ")"
}

func (e *Call) String() string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	if isOperator(e.Name) && len(args) == 2 {
		return "(" + args[0] + " " + e.Name + " " + args[1] + ")"
	}
	return e.Name + "(" + strings.Join(args, ", ") + ")"
}

func isOperator(name string) bool {
	if name == "" {
		return false
	}
	c := name[0]
	return !(c >= 'a' && c <= 'z' || c == '_') || name == "and" || name == "or" ||
		strings.HasPrefix(name, "has") || strings.HasPrefix(name, "contains") ||
		strings.HasPrefix(name, "startswith") || strings.HasPrefix(name, "endswith") || name == "matches regex"
}

// ArgInfo describes the arguments of a call for kernel factories.
func ArgInfo(args []Expr) []builtins.Arg {
	out := make([]builtins.Arg, len(args))
	for i, a := range args {
		out[i].Type = a.Type()
		if c, ok := a.(*Const); ok {
			out[i].Const = true
			out[i].Value = c.Value
		}
	}
	return out
}

// Columns returns the input columns e reads, in first-use order.
func Columns(e Expr) []int {
	var out []int
	seen := map[int]bool{}
	var walk func(Expr)
	walk = func(e Expr) {
		switch x := e.(type) {
		case *ColRef:
			if !seen[x.Index] {
				seen[x.Index] = true
				out = append(out, x.Index)
			}
		case *Call:
			for _, a := range x.Args {
				walk(a)
			}
		}
	}
	walk(e)
	return out
}

// Remap returns a copy of e with every column index i replaced by m[i].
func Remap(e Expr, m func(int) int) Expr {
	switch x := e.(type) {
	case *ColRef:
		c := *x
		c.Index = m(x.Index)
		return &c
	case *Call:
		c := *x
		c.Args = make([]Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = Remap(a, m)
		}
		return &c
	}
	return e
}

// SubqueryMode says how a tabular sub-query is used as a value.
type SubqueryMode int

const (
	// SubqueryScalar is toscalar(): the first column of the first row
	// (null when there are no rows).
	SubqueryScalar SubqueryMode = iota
	// SubqueryColumn is the right side of in/has_any with a tabular
	// operand: the first column as a dynamic array.
	SubqueryColumn
)

// Subquery evaluates a tabular plan once per query run and uses its result
// as a constant.
type Subquery struct {
	Node Node
	Mode SubqueryMode
	T    types.Type
}

func (*Subquery) exprNode() {}

// Type implements Expr.
func (e *Subquery) Type() types.Type {
	if e.Mode == SubqueryColumn {
		return types.Dynamic
	}
	return e.T
}

func (e *Subquery) String() string { return "toscalar(...)" }
