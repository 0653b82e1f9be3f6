package plan

// pruneOther handles operators that need every input column: it prunes
// below them and keeps their output as is. It reports false for nodes it
// does not know, which prune then leaves untouched.
func pruneOther(n Node) (Node, []int, bool) {
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
	}
	return nil, nil, false
}
