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
	case *plan.ExternalData:
		return newExternalData(ctx, x)
	case *plan.MakeSeries:
		return newMakeSeries(ctx, x)
	case *plan.Sample:
		return newSample(ctx, x)
	case *plan.Apply:
		return newApply(ctx, x)
	case *plan.BagUnpack:
		return newBagUnpack(ctx, x)
	case *plan.BagSchema:
		return newBagSchema(ctx, x)
	case *plan.Pivot:
		return newPivot(ctx, x)
	case *plan.IPLookup:
		return newIPLookup(ctx, x)
	case *plan.RollingPercentile:
		return newRollingPercentile(ctx, x)
	case *plan.ActiveUsersCount:
		return newActiveUsers(ctx, x)
	case *plan.RowsNear:
		return newRowsNear(ctx, x)
	case *plan.SlidingWindowCounts:
		return newSlidingWindow(ctx, x)
	case *plan.ScanOp:
		return newScanOperator(ctx, x)
	case *plan.TopNested:
		return newTopNested(ctx, x)
	case *plan.Reduce:
		return newReduce(ctx, x)
	case *plan.GraphMatch:
		return newGraphMatch(ctx, x)
	case *plan.GraphToTable:
		return newGraphToTable(ctx, x)
	case *plan.MakeGraph, *plan.GraphMarkComponents:
		return nil, fmt.Errorf("a graph (make-graph) must be followed by a graph operator such as graph-match or graph-to-table")
	}
	return nil, fmt.Errorf("exec: unknown plan node %T", n)
}
