package plan

// Column pruning for the operators that extend their input with computed
// columns (parse, parse-kv, window functions) and for those that need
// every input column (the default for any operator not listed here).

// pruneExtending prunes an operator whose output is its input (width w,
// some columns replaced in place) followed by added columns. uses are the
// expressions it evaluates over the input; keep lists input columns it
// needs whatever is required above (replaced columns). rebuild makes the
// pruned operator from the pruned input and the input column mapping.
func pruneExtending(input Node, outWidth int, req []bool, uses []Expr, keep []int, rebuild func(in Node, m []int) Node) (Node, []int) {
	w := len(input.Schema())
	r := make([]bool, w)
	copy(r, req[:w])
	for _, e := range uses {
		markExpr(e, r)
	}
	for _, k := range keep {
		if k >= 0 {
			r[k] = true
		}
	}
	in, m := prune(input, r)
	nw := len(in.Schema())
	out := make([]int, outWidth)
	copy(out, m)
	for i := w; i < outWidth; i++ {
		out[i] = nw + i - w
	}
	return rebuild(in, m), out
}

func pruneParse(x *Parse, req []bool) (Node, []int) {
	var keep []int
	for _, c := range x.Cols {
		keep = append(keep, c.Replace)
	}
	return pruneExtending(x.Input, len(x.Schema()), req, []Expr{x.X}, keep, func(in Node, m []int) Node {
		p := *x
		p.Input = in
		p.X = remapExpr(x.X, m)
		p.Cols = append([]ParseCol(nil), x.Cols...)
		for i := range p.Cols {
			if p.Cols[i].Replace >= 0 {
				p.Cols[i].Replace = m[p.Cols[i].Replace]
			}
		}
		return &p
	})
}

func pruneParseKv(x *ParseKv, req []bool) (Node, []int) {
	return pruneExtending(x.Input, len(x.Schema()), req, []Expr{x.X}, x.Replace, func(in Node, m []int) Node {
		p := *x
		p.Input = in
		p.X = remapExpr(x.X, m)
		p.Replace = append([]int(nil), x.Replace...)
		for i, k := range p.Replace {
			if k >= 0 {
				p.Replace[i] = m[k]
			}
		}
		return &p
	})
}

func pruneWindow(x *Window, req []bool) (Node, []int) {
	var uses []Expr
	for _, c := range x.Calls {
		uses = append(uses, c)
	}
	return pruneExtending(x.Input, len(x.Schema()), req, uses, nil, func(in Node, m []int) Node {
		w := &Window{Input: in, Names: x.Names}
		for _, c := range x.Calls {
			w.Calls = append(w.Calls, remapExpr(c, m).(*Call))
		}
		return w
	})
}

// pruneAllInputs keeps every input column of a one-input operator and
// prunes below it.
func pruneAllInputs(input Node, set func(Node) Node, width int) (Node, []int) {
	r := make([]bool, len(input.Schema()))
	for i := range r {
		r[i] = true
	}
	in, _ := prune(input, r)
	return set(in), identity(width)
}
