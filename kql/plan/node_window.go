package plan

import (
	"fmt"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
)

// Window computes window functions (row_number, prev, next, row_cumsum,
// row_rank_*, row_window_session) over its input in row order. Its output
// is the input followed by one column per call, named Names[i].
type Window struct {
	Input Node
	Calls []*Call
	Names []string
}

func (*Window) nodeMarker()      {}
func (n *Window) Inputs() []Node { return []Node{n.Input} }
func (n *Window) Describe() string {
	parts := make([]string, len(n.Calls))
	for i, c := range n.Calls {
		parts[i] = n.Names[i] + "=" + c.String()
	}
	return "Window " + strings.Join(parts, ", ")
}

// Schema is the input followed by the window columns.
func (n *Window) Schema() vec.Schema {
	s := append(vec.Schema(nil), n.Input.Schema()...)
	for i, c := range n.Calls {
		s = append(s, vec.Column{Name: n.Names[i], Type: c.T})
	}
	return s
}

// IsWindowCall reports whether e is a call of a window function.
func IsWindowCall(e Expr) bool {
	c, ok := e.(*Call)
	return ok && c.Func != nil && c.Func.Kind == builtins.Window
}

func hasWindow(e Expr) bool {
	c, ok := e.(*Call)
	if !ok {
		return false
	}
	if IsWindowCall(c) {
		return true
	}
	for _, a := range c.Args {
		if hasWindow(a) {
			return true
		}
	}
	return false
}

// SplitWindows rewrites a Project or Filter whose expressions call window
// functions into the same operator over a Window node that computes those
// calls in row order, the calls replaced by references to its columns.
// It returns n unchanged and false when there is nothing to split. Window
// calls nested in another window call's arguments (row_cumsum(x,
// prev(y) != y)) are computed first, by an inner Window.
func SplitWindows(n Node) (Node, bool) {
	switch x := n.(type) {
	case *Project:
		found := false
		for _, e := range x.Exprs {
			found = found || hasWindow(e)
		}
		if !found {
			return n, false
		}
		w, exprs := extractWindows(x.Input, x.Exprs)
		return &Project{Input: w, Exprs: exprs, Names: x.Names}, true
	case *Filter:
		if !hasWindow(x.Pred) {
			return n, false
		}
		in := x.Input.Schema()
		w, exprs := extractWindows(x.Input, []Expr{x.Pred})
		f := &Filter{Input: w, Pred: exprs[0]}
		p := &Project{Input: f}
		for i, c := range in {
			p.Exprs = append(p.Exprs, &ColRef{Index: i, Name: c.Name, T: c.Type})
			p.Names = append(p.Names, c.Name)
		}
		return p, true
	}
	return n, false
}

// extractWindows builds the Window nodes for the window calls of exprs
// (innermost first) and returns exprs rewritten over the Window output.
func extractWindows(in Node, exprs []Expr) (Node, []Expr) {
	width := len(in.Schema())
	var w *Window
	var rewrite func(e Expr) Expr
	rewrite = func(e Expr) Expr {
		c, ok := e.(*Call)
		if !ok {
			return e
		}
		args := make([]Expr, len(c.Args))
		for i, a := range c.Args {
			args[i] = rewrite(a)
		}
		cc := *c
		cc.Args = args
		if !IsWindowCall(c) {
			return &cc
		}
		// An argument that reads an earlier window column needs that
		// column computed by an inner Window first.
		if w != nil {
			for _, a := range args {
				for _, col := range Columns(a) {
					if col >= width {
						in = w
						width = len(w.Schema())
						w = nil
						break
					}
				}
				if w == nil {
					break
				}
			}
		}
		if w == nil {
			w = &Window{Input: in}
		}
		w.Calls = append(w.Calls, &cc)
		name := fmt.Sprintf("__window%d", width+len(w.Calls)-1)
		w.Names = append(w.Names, name)
		return &ColRef{Index: width + len(w.Calls) - 1, Name: name, T: cc.T}
	}
	out := make([]Expr, len(exprs))
	for i, e := range exprs {
		out[i] = rewrite(e)
	}
	if w == nil {
		return in, out
	}
	return w, out
}
