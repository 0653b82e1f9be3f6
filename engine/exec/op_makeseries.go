package exec

import (
	"math"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// makeSeriesOp lays out the aggregated bins of each group as arrays. Its
// input is already aggregated (groups x bins rows), so holding it is
// proportional to the output.
type makeSeriesOp struct {
	in   Operator
	n    *plan.MakeSeries
	done bool
}

func newMakeSeries(ctx *Context, n *plan.MakeSeries) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &makeSeriesOp{in: in, n: n}, nil
}

func (o *makeSeriesOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	n := o.n
	acc := vec.NewBuilder(n.Input.Schema(), 0)
	if err := drain(o.in, func(b *vec.Batch) error { appendBatch(acc.Cols, b); return nil }); err != nil {
		return nil, err
	}
	rows := acc.Len()
	isReal := n.AxisType == types.Real || n.AxisType == types.Decimal
	axis := acc.Cols[n.NKeys]
	pos := func(i int) float64 {
		if isReal {
			return axis.Reals[i]
		}
		return float64(axis.Ints[i])
	}
	num := func(v any) float64 {
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		}
		return math.NaN()
	}
	step := num(n.Step)
	from, to := math.Inf(1), math.Inf(-1)
	if n.From != nil {
		from = num(n.From)
	}
	for i := 0; i < rows; i++ {
		if axis.IsNull(i) {
			continue
		}
		if n.From == nil {
			from = math.Min(from, pos(i))
		}
		if n.To == nil {
			to = math.Max(to, pos(i)+step)
		}
	}
	if n.To != nil {
		to = num(n.To)
	}
	nbins := 0
	if to > from {
		nbins = int(math.Ceil((to - from) / step))
	}
	groups := map[string]int{}
	var first []int
	var cells [][]int
	var enc keyEncoder
	enc.encode(acc.Cols[:n.NKeys], rows, nil)
	for i := 0; i < rows; i++ {
		g, ok := groups[string(enc.key(i))]
		if !ok {
			g = len(first)
			groups[string(enc.key(i))] = g
			first = append(first, i)
			c := make([]int, nbins)
			for k := range c {
				c[k] = -1
			}
			cells = append(cells, c)
		}
		if axis.IsNull(i) {
			continue
		}
		k := int(math.Floor((pos(i) - from) / step))
		if k >= 0 && k < nbins {
			cells[g][k] = i
		}
	}
	out := vec.NewBuilder(n.Schema(), len(first))
	naggs := len(n.Defaults)
	axisVals := make([]any, nbins)
	for k := range axisVals {
		x := from + float64(k)*step
		switch n.AxisType {
		case types.DateTime:
			axisVals[k] = types.DT(int64(x))
		case types.Timespan:
			axisVals[k] = types.TS(int64(x))
		case types.Int, types.Long:
			axisVals[k] = int64(x)
		default:
			axisVals[k] = x
		}
	}
	for g, i := range first {
		for c := 0; c < n.NKeys; c++ {
			out.Cols[c].AppendFrom(acc.Cols[c], i)
		}
		for a := 0; a < naggs; a++ {
			src := acc.Cols[n.NKeys+1+a]
			arr := make([]any, nbins)
			for k, r := range cells[g] {
				if r < 0 {
					arr[k] = n.Defaults[a]
				} else {
					arr[k] = src.Get(r)
				}
			}
			out.Cols[n.NKeys+a].Append(arr)
		}
		out.Cols[n.NKeys+naggs].Append(append([]any(nil), axisVals...))
	}
	if len(first) == 0 {
		return nil, nil
	}
	return &vec.Batch{Cols: out.Cols, N: len(first)}, nil
}

func (o *makeSeriesOp) Close() error { return o.in.Close() }
