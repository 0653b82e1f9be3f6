package exec

import (
	"fmt"

	"hunt/kql/plan"
)

// buildMore builds the operators that live in the op_*.go files.
func buildMore(ctx *Context, n plan.Node) (Operator, error) {
	switch x := n.(type) {
	case *plan.ParseKv:
		return newParseKv(ctx, x)
	case *plan.Window:
		return newWindow(ctx, x)
	case *plan.Apply:
		return newApply(ctx, x)
	}
	return nil, fmt.Errorf("exec: unknown plan node %T", n)
}
