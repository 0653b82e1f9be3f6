package fn

// count, countif, sum, sumif, avg, avgif, min, max, minif, maxif and
// binary_all_and/or/xor.
//
// Defaults for a group without (non-null, predicate-passing) rows follow
// the summarize page's "Default values of aggregations": count, countif,
// sum and sumif give 0; min, max, binary_all_* give null (min/max of
// strings give "", strings having no null); avg gives NaN for a real
// result (the summarize page shows avg_x = NaN over empty input: 0/0) and
// null for a timespan or datetime result.

import (
	"math/bits"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterAgg("count", aggNewCount)
	RegisterAgg("countif", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		return func() Agg { return &aggCount{pred: 0} }, nil
	})
	RegisterAgg("sum", aggSumFactory(-1))
	RegisterAgg("sumif", aggSumFactory(1))
	RegisterAgg("avg", aggAvgFactory(-1))
	RegisterAgg("avgif", aggAvgFactory(1))
	RegisterAgg("min", aggMinMaxFactory(false, -1))
	RegisterAgg("max", aggMinMaxFactory(true, -1))
	RegisterAgg("minif", aggMinMaxFactory(false, 1))
	RegisterAgg("maxif", aggMinMaxFactory(true, 1))
	RegisterAgg("binary_all_and", aggBinaryFactory(aggBinAnd))
	RegisterAgg("binary_all_or", aggBinaryFactory(aggBinOr))
	RegisterAgg("binary_all_xor", aggBinaryFactory(aggBinXor))
}

// aggMaxGroup returns 1 + the largest group id in into (0 when empty), so
// that Merge can make room for the groups it writes.
func aggMaxGroup(into []uint32) int {
	m := -1
	for _, g := range into {
		if int(g) > m {
			m = int(g)
		}
	}
	return m + 1
}

// aggPlain reports whether column x can be read by direct indexing: not
// constant and without null bits.
func aggPlain(x *vec.Vec) bool { return !x.Const && x.Nulls == nil }

// ---- count / countif ----

// aggNewCount builds count(): every row counts. count(expr) counts every
// row too, nulls included (summarize page: "The standard count function
// includes null values in its count"), except count(bool), Kusto's hidden
// legacy spelling of countif, which counts the rows where it is true.
func aggNewCount(args []builtins.Arg, _ types.Type) (func() Agg, error) {
	pred := -1
	if len(args) == 1 && !args[0].Star && args[0].Type == types.Bool {
		pred = 0
	}
	return func() Agg { return &aggCount{pred: pred} }, nil
}

type aggCount struct {
	pred int // index of the predicate argument, or -1
	c    []int64
}

func (a *aggCount) Grow(n int) { a.c = aggGrowTo(a.c, n) }

func (a *aggCount) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	c := a.c
	groups = groups[:n]
	if a.pred < 0 {
		for _, g := range groups {
			c[g]++
		}
		return nil
	}
	p := args[a.pred]
	if p.Type == types.Bool && aggPlain(p) {
		bs := p.Bools[:n]
		for i, g := range groups {
			if bs[i] {
				c[g]++
			}
		}
		return nil
	}
	for i, g := range groups {
		if aggTrue(p, i) {
			c[g]++
		}
	}
	return nil
}

func (a *aggCount) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggCount)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.c) {
			a.c[g] += o.c[j]
		}
	}
}

func (a *aggCount) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Long, n)
	out.Ints = append(out.Ints, a.c[:n]...)
	return out
}

func (a *aggCount) Bytes() int64 { return 8 * int64(cap(a.c)) }

// ---- sum / sumif ----

func aggSumFactory(pred int) AggFactory {
	return func(args []builtins.Arg, result types.Type) (func() Agg, error) {
		t := aggArgType(args, 0)
		if result == types.Unknown {
			result = t
			if t == types.Int || t == types.Unknown {
				result = types.Long
			}
		}
		switch t.Physical() {
		case types.PhysReal:
			return func() Agg { return newAggSumReal(pred, result) }, nil
		case types.PhysInt, types.PhysNone:
			return func() Agg { return newAggSumInt(pred, result) }, nil
		}
		return nil, Errorf("sum(): cannot sum values of type %s", t)
	}
}

// aggSum sums int, long and timespan values as int64 (wrapping on
// overflow) and real and decimal values as float64.
type aggSum[T int64 | float64] struct {
	pred int
	t    types.Type
	// phys is T's physical type and col returns a column's values of it.
	phys types.Physical
	col  func(*vec.Vec) []T
	s    []T
}

func newAggSumInt(pred int, t types.Type) *aggSum[int64] {
	return &aggSum[int64]{pred: pred, t: t, phys: types.PhysInt, col: func(v *vec.Vec) []int64 { return v.Ints }}
}

func newAggSumReal(pred int, t types.Type) *aggSum[float64] {
	return &aggSum[float64]{pred: pred, t: t, phys: types.PhysReal, col: func(v *vec.Vec) []float64 { return v.Reals }}
}

func (a *aggSum[T]) Grow(n int) { a.s = aggGrowTo(a.s, n) }

func (a *aggSum[T]) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type.Physical() != a.phys {
		return nil // an untyped null column: nothing to add
	}
	xs := a.col(x)
	s := a.s
	groups = groups[:n]
	if a.pred < 0 && aggPlain(x) {
		xs = xs[:n]
		for i, g := range groups {
			s[g] += xs[i]
		}
		return nil
	}
	for i, g := range groups {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		s[g] += xs[x.Row(i)]
	}
	return nil
}

func (a *aggSum[T]) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggSum[T])
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.s) {
			a.s[g] += o.s[j]
		}
	}
}

func (a *aggSum[T]) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(a.t, n)
	asReal := a.t.Physical() == types.PhysReal // sum of ints may be typed real
	for _, x := range a.s[:n] {
		if asReal {
			out.Reals = append(out.Reals, float64(x))
		} else {
			out.Ints = append(out.Ints, int64(x))
		}
	}
	return out
}

func (a *aggSum[T]) Bytes() int64 { return 8 * int64(cap(a.s)) }

// ---- avg / avgif ----

func aggAvgFactory(pred int) AggFactory {
	return func(args []builtins.Arg, result types.Type) (func() Agg, error) {
		t := aggArgType(args, 0)
		if result == types.Unknown {
			switch t {
			case types.Decimal, types.Timespan, types.DateTime:
				result = t
			default:
				result = types.Real
			}
		}
		switch t.Physical() {
		case types.PhysInt, types.PhysReal, types.PhysNone:
			return func() Agg { return &aggAvg{pred: pred, t: result} }, nil
		}
		return nil, Errorf("avg(): cannot average values of type %s", t)
	}
}

// aggAvg averages numbers, timespans and datetimes. Integer inputs are
// summed exactly in 128 bits (datetime ticks overflow 64 bits after a few
// hundred values); reals in float64.
type aggAvg struct {
	pred int
	t    types.Type
	hi   []int64  // high word of the 128-bit integer sum
	lo   []uint64 // low word
	fs   []float64
	cnt  []int64
}

func (a *aggAvg) Grow(n int) {
	a.hi = aggGrowTo(a.hi, n)
	a.lo = aggGrowTo(a.lo, n)
	a.fs = aggGrowTo(a.fs, n)
	a.cnt = aggGrowTo(a.cnt, n)
}

func (a *aggAvg) addInt(g uint32, x int64) {
	lo, carry := bits.Add64(a.lo[g], uint64(x), 0)
	a.lo[g] = lo
	a.hi[g] += int64(carry) + (x >> 63)
	a.cnt[g]++
}

func (a *aggAvg) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	groups = groups[:n]
	switch x.Type.Physical() {
	case types.PhysInt:
		for i, g := range groups {
			if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
				continue
			}
			a.addInt(g, x.Ints[x.Row(i)])
		}
	case types.PhysReal:
		for i, g := range groups {
			if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
				continue
			}
			a.fs[g] += x.Reals[x.Row(i)]
			a.cnt[g]++
		}
	}
	return nil
}

func (a *aggAvg) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggAvg)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.cnt) {
			continue
		}
		lo, carry := bits.Add64(a.lo[g], o.lo[j], 0)
		a.lo[g] = lo
		a.hi[g] += o.hi[j] + int64(carry)
		a.fs[g] += o.fs[j]
		a.cnt[g] += o.cnt[j]
	}
}

// sum128 returns the integer sum of group g as a float64.
func (a *aggAvg) sum128(g int) float64 {
	return float64(a.hi[g])*18446744073709551616.0 + float64(a.lo[g])
}

// intMean returns the exact integer mean of group g, rounded half away
// from zero.
func (a *aggAvg) intMean(g int) int64 {
	hi, lo := uint64(a.hi[g]), a.lo[g]
	neg := a.hi[g] < 0
	if neg { // two's complement negation of the 128-bit value
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	c := uint64(a.cnt[g])
	q, r := bits.Div64(hi, lo, c)
	if r >= c-r {
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func (a *aggAvg) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(a.t, n)
	for g := 0; g < n; g++ {
		c := a.cnt[g]
		if a.t.Physical() == types.PhysInt {
			if c == 0 {
				out.AppendNull()
			} else {
				out.Ints = append(out.Ints, a.intMean(g))
			}
			continue
		}
		// real or decimal result; 0/0 gives NaN as Kusto shows.
		out.Reals = append(out.Reals, (a.fs[g]+a.sum128(g))/float64(c))
	}
	return out
}

func (a *aggAvg) Bytes() int64 { return 32 * int64(cap(a.cnt)) }

// ---- min / max / minif / maxif ----

func aggMinMaxFactory(max bool, pred int) AggFactory {
	return func(args []builtins.Arg, result types.Type) (func() Agg, error) {
		t := aggArgType(args, 0)
		switch t.Physical() {
		case types.PhysInt:
			return func() Agg {
				return &aggMinMax[int64]{max: max, pred: pred, t: t, col: func(v *vec.Vec) *[]int64 { return &v.Ints }}
			}, nil
		case types.PhysReal:
			return func() Agg {
				return &aggMinMax[float64]{max: max, pred: pred, t: t, col: func(v *vec.Vec) *[]float64 { return &v.Reals }}
			}, nil
		case types.PhysString:
			return func() Agg {
				return &aggMinMax[string]{max: max, pred: pred, t: t, col: func(v *vec.Vec) *[]string { return &v.Strs }}
			}, nil
		case types.PhysBool:
			return func() Agg { return &aggMinMaxBool{max: max, pred: pred, t: t} }, nil
		case types.PhysNone:
			return func() Agg { return &aggNulls{t: t} }, nil
		}
		return nil, Errorf("min()/max(): values of type %s are not ordered", t)
	}
}

// aggLess orders the values min and max compare: NaN below every real
// (the comparison a != a is only true for NaN).
func aggLess[T int64 | float64 | string](a, b T) bool {
	return a < b || (a != a && b == b)
}

// aggMinMax keeps the least (or greatest) non-null value per group. An
// empty string is a value (strings have no null).
type aggMinMax[T int64 | float64 | string] struct {
	max  bool
	pred int
	t    types.Type
	col  func(*vec.Vec) *[]T
	vals []T
	has  []bool
	text int64 // bytes of the kept strings
}

func (a *aggMinMax[T]) Grow(n int) {
	a.vals = aggGrowTo(a.vals, n)
	a.has = aggGrowTo(a.has, n)
}

func (a *aggMinMax[T]) put(g uint32, x T) {
	switch {
	case !a.has[g]:
		a.has[g] = true
	case a.max && !aggLess(a.vals[g], x), !a.max && !aggLess(x, a.vals[g]):
		return
	}
	if s, ok := any(x).(string); ok {
		a.text += int64(len(s) - len(any(a.vals[g]).(string)))
	}
	a.vals[g] = x
}

func (a *aggMinMax[T]) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type.Physical() != a.t.Physical() {
		return nil
	}
	data := *a.col(x)
	groups = groups[:n]
	if a.pred < 0 && aggPlain(x) {
		data = data[:n]
		for i, g := range groups {
			a.put(g, data[i])
		}
		return nil
	}
	for i, g := range groups {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		a.put(g, data[x.Row(i)])
	}
	return nil
}

func (a *aggMinMax[T]) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggMinMax[T])
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.has) && o.has[j] {
			a.put(g, o.vals[j])
		}
	}
}

func (a *aggMinMax[T]) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(a.t, n)
	dst := a.col(out)
	for g := 0; g < n; g++ {
		if a.has[g] {
			*dst = append(*dst, a.vals[g])
		} else {
			out.AppendNull()
		}
	}
	return out
}

func (a *aggMinMax[T]) Bytes() int64 {
	var zero T
	return int64(cap(a.vals))*int64(aggSizeof(zero)) + int64(cap(a.has)) + a.text
}

func aggSizeof(x any) int {
	if _, ok := x.(string); ok {
		return 16
	}
	return 8
}

// aggMinMaxBool is min/max of bools: false < true, so min is the AND and
// max the OR of the group's non-null values.
type aggMinMaxBool struct {
	max  bool
	pred int
	t    types.Type
	vals []bool
	has  []bool
}

func (a *aggMinMaxBool) Grow(n int) {
	a.vals = aggGrowTo(a.vals, n)
	a.has = aggGrowTo(a.has, n)
}

func (a *aggMinMaxBool) put(g uint32, x bool) {
	switch {
	case !a.has[g]:
		a.vals[g], a.has[g] = x, true
	case a.max:
		a.vals[g] = a.vals[g] || x
	default:
		a.vals[g] = a.vals[g] && x
	}
}

func (a *aggMinMaxBool) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type != types.Bool {
		return nil
	}
	for i, g := range groups[:n] {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		a.put(g, x.Bools[x.Row(i)])
	}
	return nil
}

func (a *aggMinMaxBool) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggMinMaxBool)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.has) && o.has[j] {
			a.put(g, o.vals[j])
		}
	}
}

func (a *aggMinMaxBool) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(a.t, n)
	for g := 0; g < n; g++ {
		if a.has[g] {
			out.Bools = append(out.Bools, a.vals[g])
		} else {
			out.AppendNull()
		}
	}
	return out
}

func (a *aggMinMaxBool) Bytes() int64 { return 2 * int64(cap(a.vals)) }

// aggNulls is the aggregate of an untyped null argument: null per group.
type aggNulls struct {
	t types.Type
	n int
}

func (a *aggNulls) Grow(n int) {
	if n > a.n {
		a.n = n
	}
}
func (a *aggNulls) Add(*Ctx, []uint32, []*vec.Vec, int) error { return nil }
func (a *aggNulls) Merge(Agg, []uint32)                       {}
func (a *aggNulls) Result(n int) *vec.Vec {
	out := vec.New(a.t, n)
	for i := 0; i < n; i++ {
		out.AppendNull()
	}
	return out
}
func (a *aggNulls) Bytes() int64 { return 0 }

// ---- binary_all_and / or / xor ----

const (
	aggBinAnd = iota
	aggBinOr
	aggBinXor
)

func aggBinaryFactory(op int) AggFactory {
	return func(args []builtins.Arg, result types.Type) (func() Agg, error) {
		t := aggArgType(args, 0)
		if t != types.Int && t != types.Long && t != types.Unknown {
			return nil, Errorf("binary_all_*(): argument must be int or long, got %s", t)
		}
		if result == types.Unknown {
			result = types.Long
		}
		return func() Agg { return &aggBinary{op: op, t: result} }, nil
	}
}

// aggBinary folds the non-null values of a group with AND, OR or XOR; a
// group without values gives null.
type aggBinary struct {
	op   int
	t    types.Type
	vals []int64
	has  []bool
}

func (a *aggBinary) Grow(n int) {
	a.vals = aggGrowTo(a.vals, n)
	a.has = aggGrowTo(a.has, n)
}

func (a *aggBinary) put(g uint32, x int64) {
	if !a.has[g] {
		a.vals[g], a.has[g] = x, true
		return
	}
	switch a.op {
	case aggBinAnd:
		a.vals[g] &= x
	case aggBinOr:
		a.vals[g] |= x
	default:
		a.vals[g] ^= x
	}
}

func (a *aggBinary) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type.Physical() != types.PhysInt {
		return nil
	}
	for i, g := range groups[:n] {
		if !x.IsNull(i) {
			a.put(g, x.Ints[x.Row(i)])
		}
	}
	return nil
}

func (a *aggBinary) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggBinary)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.has) && o.has[j] {
			a.put(g, o.vals[j])
		}
	}
}

func (a *aggBinary) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(a.t, n)
	for g := 0; g < n; g++ {
		if a.has[g] {
			out.Ints = append(out.Ints, a.vals[g])
		} else {
			out.AppendNull()
		}
	}
	return out
}

func (a *aggBinary) Bytes() int64 { return 9 * int64(cap(a.vals)) }
