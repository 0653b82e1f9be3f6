package plan

// pruneOther handles operators that need every input column: it prunes
// below them and keeps their output as is. It reports false for nodes it
// does not know, which prune then leaves untouched.
func pruneOther(n Node, req []bool) (Node, []int, bool) {
	switch x := n.(type) {
	case *Apply:
		// The body reads whole input rows through its Shared placeholder,
		// so the input keeps every column; the body is pruned on its own.
		out, m := pruneAllInputs(x.Input, func(in Node) Node {
			a := *x
			a.Input = in
			a.Body = PruneColumns(x.Body)
			return &a
		}, len(x.Schema()))
		return out, m, true
	case *BagUnpack:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *MakeSeries:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *Sample:
		in, m := prune(x.Input, req)
		return &Sample{Input: in, N: x.N, Seed: x.Seed}, m, true
	case *ExternalData:
		return x, identity(len(x.Cols)), true
	case *BagSchema:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *Pivot:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *RollingPercentile:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *ActiveUsersCount:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *RowsNear:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *SlidingWindowCounts:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *Reduce:
		out, m := pruneReduce(x, req)
		return out, m, true
	case *TopNested:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; return &c }, len(x.Schema()))
		return out, m, true
	case *MakeGraph, *GraphMarkComponents, *GraphToTable, *GraphMatch:
		out, _ := pruneGraph(n)
		return out, identity(len(n.Schema())), true
	case *IPLookup:
		out, m := pruneAllInputs(x.Input, func(in Node) Node { c := *x; c.Input = in; c.Table = PruneColumns(x.Table); return &c }, len(x.Schema()))
		return out, m, true
	}
	return nil, nil, false
}
