package sema

import (
	"hunt/kql/plan"
	"hunt/kql/syntax"
)

// moreOperators analyzes the operators that live in the op_*.go files.
// It reports false for an operator it does not handle.
func (a *analyzer) moreOperators(n plan.Node, op syntax.Operator) (plan.Node, bool) {
	switch x := op.(type) {
	case *syntax.ParseKvOp:
		return a.parseKvOp(n, x), true
	case *syntax.MvApplyOp:
		return a.mvApply(n, x), true
	case *syntax.MakeSeriesOp:
		return a.makeSeries(n, x), true
	case *syntax.EvaluateOp:
		return a.evaluate(n, x), true
	case *syntax.SearchOp:
		return a.searchOp(n, x), true
	case *syntax.SampleOp:
		return a.sample(n, x), true
	case *syntax.SampleDistinctOp:
		return a.sampleDistinct(n, x), true
	case *syntax.TopHittersOp:
		return a.topHitters(n, x), true
	case *syntax.ConsumeOp:
		// consume reads its input for its side effects and returns
		// nothing; offline there are none.
		return &plan.Values{}, true
	case *syntax.ForkOp, *syntax.FacetOp:
		a.errorSpan(op.Pos(), op.End(), true, "%s returns several result sets and hunt returns one table; %s is not supported (run each branch as its own query)", op.Name(), op.Name())
		return nil, true
	case *syntax.PartitionOp:
		return a.partition(n, x), true
	case *syntax.ScanOp:
		return a.scanOp(n, x), true
	case *syntax.TopNestedOp:
		return a.topNested(n, x), true
	case *syntax.ReduceOp:
		return a.reduceOp(n, x), true
	case *syntax.MakeGraphOp, *syntax.GraphMatchOp, *syntax.GraphToTableOp, *syntax.GraphMarkComponentsOp:
		return a.graphOperator(n, op), true
	}
	return nil, false
}
