package fn

// arg_max, arg_min (aliases argmax, argmin), take_any (alias any) and
// take_anyif (alias anyif): aggregates that pick one row per group and
// return several of its values. They implement MultiAgg.
//
// arg_max(expr, c1, c2, ...): args are [expr, c1, c2, ...] (the executor
// expands * into columns); Results returns [expr, c1, c2, ...] of the row
// with the greatest expr. Ties keep the first row seen (and, in Merge,
// the receiver's row). Rows where expr is null are ignored, except that a
// group whose expr is null on every row returns its first row (the docs:
// "When ExprToMinimize is null for all rows in a table, one row in the
// table is picked"; their example returns the first row's columns).
// Reals order with NaN below every number; bools false < true.
//
// take_any(e1, e2, ...) returns the values of one row of the group: hunt
// takes the first row seen. With a single argument it returns the first
// non-null, non-empty value if there is one (the docs: "it will attempt to
// return a non-null/non-empty value"); empty means null, the empty string
// or a dynamic empty string. take_anyif(e, pred) does the same over the
// rows where pred is true, and gives null when there are none.

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterAgg("arg_max", aggArgFactory(false))
	RegisterAgg("arg_min", aggArgFactory(true))
	RegisterAgg("take_any", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		ts := aggArgTypes(args, len(args))
		return func() Agg { return newAggTakeAny(ts, -1, len(ts) == 1) }, nil
	})
	RegisterAgg("take_anyif", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		return func() Agg { return newAggTakeAny(aggArgTypes(args, 1), 1, true) }, nil
	})
}

// aggArgTypes returns the types of the first n arguments, or nil when
// one of them is a `*` the analyzer left unexpanded: the columns are then
// typed from the vectors of the first Add.
func aggArgTypes(args []builtins.Arg, n int) []types.Type {
	ts := make([]types.Type, n)
	for i := range ts {
		if args[i].Star {
			return nil
		}
		ts[i] = args[i].Type
	}
	return ts
}

// aggRow keeps one row of values per group, one slot column per value.
type aggRow struct {
	cols []*aggSlots // nil until the column types are known
	n    int         // groups
}

func newAggRow(ts []types.Type) *aggRow {
	r := &aggRow{}
	if ts != nil {
		r.init(ts)
	}
	return r
}

func (r *aggRow) init(ts []types.Type) {
	r.cols = make([]*aggSlots, len(ts))
	for i, t := range ts {
		r.cols[i] = newAggSlots(t)
		r.cols[i].grow(r.n)
	}
}

// ensure types the columns from the argument vectors when the factory
// could not.
func (r *aggRow) ensure(args []*vec.Vec) {
	if r.cols != nil {
		return
	}
	ts := make([]types.Type, len(args))
	for i, v := range args {
		ts[i] = v.Type
	}
	r.init(ts)
}

func (r *aggRow) grow(n int) {
	if n > r.n {
		r.n = n
	}
	for _, c := range r.cols {
		c.grow(n)
	}
}

// set copies row i of the argument vectors into group g.
func (r *aggRow) set(g int, args []*vec.Vec, i int) {
	for k, c := range r.cols {
		c.set(g, args[k], i)
	}
}

// setFrom copies group j of o into group g.
func (r *aggRow) setFrom(g int, o *aggRow, j int) {
	if r.cols == nil {
		ts := make([]types.Type, len(o.cols))
		for i, c := range o.cols {
			ts[i] = c.v.Type
		}
		r.init(ts)
	}
	for k, c := range r.cols {
		c.set(g, o.cols[k].v, j)
	}
}

func (r *aggRow) results(n int) []*vec.Vec {
	r.grow(n)
	out := make([]*vec.Vec, len(r.cols))
	for k, c := range r.cols {
		out[k] = c.result(n)
	}
	return out
}

func (r *aggRow) bytes() int64 {
	var b int64
	for _, c := range r.cols {
		b += c.bytes()
	}
	return b
}

// ---- arg_max / arg_min ----

func aggArgFactory(min bool) AggFactory {
	return func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		if len(args) == 0 || args[0].Star {
			return nil, Errorf("arg_max()/arg_min() needs an expression to maximize or minimize")
		}
		switch t := args[0].Type; t.Physical() {
		case types.PhysGuid, types.PhysDynamic:
			return nil, Errorf("arg_max()/arg_min(): values of type %s are not ordered", t)
		}
		ts := aggArgTypes(args, len(args))
		t0 := args[0].Type
		return func() Agg { return &aggArg{min: min, t0: t0, row: newAggRow(ts)} }, nil
	}
}

// aggArg keeps, per group, the row with the best expr: column 0 of row is
// expr, the others the returned values.
type aggArg struct {
	min  bool
	t0   types.Type // type of expr
	row  *aggRow
	has  []bool // the group has a row with non-null expr
	seen []bool // the group has any row (the all-null fallback)
}

func (a *aggArg) Grow(n int) {
	if n <= len(a.has) {
		return
	}
	a.has = aggGrowTo(a.has, n)
	a.seen = aggGrowTo(a.seen, n)
	a.row.grow(n)
}

// better reports whether row i of x beats the kept row of group g.
func (a *aggArg) better(x *vec.Vec, i int, g int) bool {
	c := aggCmpRow(x, i, a.row.cols[0], g)
	if a.min {
		return c < 0
	}
	return c > 0
}

func (a *aggArg) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	a.row.ensure(args)
	x := args[0]
	typed := x.Type.Physical() == a.row.cols[0].v.Type.Physical() && x.Type != types.Unknown
	for i, g32 := range groups[:n] {
		g := int(g32)
		if !typed || x.IsNull(i) {
			if !a.seen[g] {
				a.seen[g] = true
				a.row.set(g, args, i)
			}
			continue
		}
		if !a.has[g] || a.better(x, i, g) {
			a.has[g], a.seen[g] = true, true
			a.row.set(g, args, i)
		}
	}
	return nil
}

func (a *aggArg) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggArg)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g32 := range into {
		g := int(g32)
		if j >= len(o.seen) || !o.seen[j] {
			continue
		}
		switch {
		case o.has[j]:
			if a.has[g] && !a.better(o.row.cols[0].v, j, g) {
				continue
			}
			a.has[g] = true
		case a.seen[g]:
			continue
		}
		a.seen[g] = true
		a.row.setFrom(g, o.row, j)
	}
}

func (a *aggArg) Results(n int) []*vec.Vec {
	a.Grow(n)
	if a.row.cols == nil { // an unexpanded * and no batch ever seen
		a.row.init([]types.Type{a.t0})
	}
	return a.row.results(n)
}

func (a *aggArg) Result(n int) *vec.Vec { return a.Results(n)[0] }

func (a *aggArg) Bytes() int64 { return 2*int64(cap(a.has)) + a.row.bytes() }

// ---- take_any / take_anyif ----

func newAggTakeAny(ts []types.Type, pred int, preferFull bool) *aggTakeAny {
	return &aggTakeAny{pred: pred, preferFull: preferFull, row: newAggRow(ts)}
}

// Per-group states of take_any.
const (
	aggAnyNone  uint8 = iota // no row yet
	aggAnyEmpty              // a null or empty value, kept as a fallback
	aggAnyFull               // a row with a non-empty value: final
)

type aggTakeAny struct {
	pred       int
	preferFull bool // one value column: prefer non-null, non-empty values
	row        *aggRow
	state      []uint8
}

func (a *aggTakeAny) Grow(n int) {
	if n <= len(a.state) {
		return
	}
	a.state = aggGrowTo(a.state, n)
	a.row.grow(n)
}

// aggEmpty reports whether row i of v is null or empty.
func aggEmpty(v *vec.Vec, i int) bool {
	if v.IsNull(i) {
		return true
	}
	switch v.Type {
	case types.String:
		return v.Strs[v.Row(i)] == ""
	case types.Dynamic:
		s, ok := v.Dyns[v.Row(i)].(string)
		return ok && s == ""
	}
	return false
}

func (a *aggTakeAny) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	vals := args
	if a.pred >= 0 {
		vals = args[:1]
	}
	a.row.ensure(vals)
	for i, g32 := range groups[:n] {
		g := int(g32)
		if a.state[g] == aggAnyFull || (a.pred >= 0 && !aggTrue(args[a.pred], i)) {
			continue
		}
		st := aggAnyFull
		if a.preferFull && aggEmpty(args[0], i) {
			st = aggAnyEmpty
		}
		if st > a.state[g] {
			a.state[g] = st
			a.row.set(g, vals, i)
		}
	}
	return nil
}

func (a *aggTakeAny) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggTakeAny)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g32 := range into {
		g := int(g32)
		if j < len(o.state) && o.state[j] > a.state[g] {
			a.state[g] = o.state[j]
			a.row.setFrom(g, o.row, j)
		}
	}
}

func (a *aggTakeAny) Results(n int) []*vec.Vec {
	a.Grow(n)
	return a.row.results(n)
}

func (a *aggTakeAny) Result(n int) *vec.Vec {
	rs := a.Results(n)
	if len(rs) == 0 { // take_any(*) over a table that never delivered a batch
		out := vec.New(types.Unknown, n)
		for i := 0; i < n; i++ {
			out.AppendNull()
		}
		return out
	}
	return rs[0]
}

func (a *aggTakeAny) Bytes() int64 { return int64(cap(a.state)) + a.row.bytes() }
