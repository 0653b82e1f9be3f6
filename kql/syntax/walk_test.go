package syntax

import (
	"fmt"
	"strings"
	"testing"
)

type countVisitor map[string]int

func (c countVisitor) Visit(n Node) Visitor {
	if n != nil {
		c[strings.TrimPrefix(fmt.Sprintf("%T", n), "*syntax.")]++
	}
	return c
}

func TestWalk(t *testing.T) {
	q, errs := Parse(NewSource("", `let n = 5;
T | where a == 1 and f(b) > n | join (U | where c == "x") on d`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := countVisitor{}
	Walk(c, q)
	// Idents: n, T, a, f, b, n, U, c, d = 9.
	if c["Ident"] != 9 || c["Literal"] != 3 || c["WhereOp"] != 2 || c["JoinOp"] != 1 || c["BinaryExpr"] != 4 || c["CallExpr"] != 1 {
		t.Errorf("counts = %v", c)
	}

	// Inspect in source order, with pruning.
	var names []string
	Inspect(q, func(n Node) bool {
		if _, ok := n.(*JoinOp); ok {
			return false
		}
		if id, ok := n.(*Ident); ok {
			names = append(names, id.Name)
		}
		return true
	})
	if got := strings.Join(names, " "); got != "n T a f b n" {
		t.Errorf("Inspect order = %q", got)
	}
}

// TestWalkAll walks every valid query and checks that Visit(nil) balances
// Visit(node) and that no child is visited twice.
func TestWalkAll(t *testing.T) {
	for _, src := range append(valid[:len(valid):len(valid)], lenient...) {
		q, _ := Parse(NewSource("", src))
		depth, seen := 0, map[Node]bool{}
		Inspect(q, func(n Node) bool {
			if n == nil {
				depth--
				return false
			}
			if seen[n] {
				t.Errorf("%s: %T visited twice", src, n)
			}
			seen[n] = true
			depth++
			return true
		})
		if depth != 0 {
			t.Errorf("%s: unbalanced walk (%d)", src, depth)
		}
	}
}
