package fn

// make_set, make_set_if, makeset, make_list, make_list_if, makelist,
// make_list_with_nulls, make_bag, make_bag_if and make_dictionary.
//
// Decisions where the docs are silent or loose:
//   - make_set: the output order is undefined in Kusto; hunt outputs the
//     values in first-seen order (deterministic for a given input order).
//     Values are distinct by kind and value as in dcount (the empty
//     string is a value; -0 == 0; arrays and bags by JSON text).
//   - make_set: a dynamic array value contributes its ELEMENTS, not
//     itself (the make_set page shows it; null elements are skipped).
//   - make_list keeps each value whole, arrays included, so the common
//     hunting idiom make_list(pack_array(Timestamp, IP)) yields a list of
//     pairs. The docs do not say; hunt decides and tests it.
//   - maxSize defaults to and is capped at 1,048,576 (128 for the
//     deprecated makeset, makelist and make_dictionary); past it, later
//     values are dropped.
//   - make_bag: non-bag values are skipped; when a key repeats, the first
//     value seen wins ("an arbitrary value" in the docs).
//   - Groups without values give [] (make_set, make_list) and {}
//     (make_bag; the summarize page lumps it with "empty dynamic array").

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterAgg("make_set", aggSetFactory("make_set", -1, 1, aggMaxSizeLimit))
	RegisterAgg("makeset", aggSetFactory("makeset", -1, 1, 128))
	RegisterAgg("make_set_if", aggSetFactory("make_set_if", 1, 2, aggMaxSizeLimit))
	RegisterAgg("make_list", aggListFactory("make_list", -1, 1, aggMaxSizeLimit))
	RegisterAgg("makelist", aggListFactory("makelist", -1, 1, 128))
	RegisterAgg("make_list_if", aggListFactory("make_list_if", 1, 2, aggMaxSizeLimit))
	RegisterAgg("make_list_with_nulls", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		return func() Agg { return &aggListNulls{} }, nil
	})
	RegisterAgg("make_bag", aggBagFactory("make_bag", -1, 1, aggMaxSizeLimit))
	RegisterAgg("make_dictionary", aggBagFactory("make_dictionary", -1, 1, 128))
	RegisterAgg("make_bag_if", aggBagFactory("make_bag_if", 1, 2, aggMaxSizeLimit))
}

// aggBoxer returns the function that boxes a value of column type t the way
// a dynamic array holds it.
func aggBoxer(t types.Type) func(v *vec.Vec, r int) any {
	switch t {
	case types.Bool:
		return func(v *vec.Vec, r int) any { return v.Bools[r] }
	case types.Int, types.Long:
		return func(v *vec.Vec, r int) any { return v.Ints[r] }
	case types.DateTime:
		return func(v *vec.Vec, r int) any { return types.DT(v.Ints[r]) }
	case types.Timespan:
		return func(v *vec.Vec, r int) any { return types.TS(v.Ints[r]) }
	case types.Real, types.Decimal:
		return func(v *vec.Vec, r int) any { return v.Reals[r] }
	case types.String:
		return func(v *vec.Vec, r int) any { return v.Strs[r] }
	case types.Guid:
		return func(v *vec.Vec, r int) any { return v.Guids[r] }
	}
	return func(v *vec.Vec, r int) any { return v.Dyns[r] }
}

// aggDynBytes estimates the memory of a boxed dynamic value.
func aggDynBytes(x any) int64 {
	switch y := x.(type) {
	case nil:
		return 16
	case string:
		return 32 + int64(len(y))
	case []any:
		b := int64(40)
		for _, e := range y {
			b += aggDynBytes(e)
		}
		return b
	case *types.Bag:
		b := int64(80)
		for i, k := range y.Keys {
			b += 16 + int64(len(k)) + aggDynBytes(y.Vals[i])
		}
		return b
	case types.GuidVal:
		return 32
	}
	return 24
}

// ---- make_set ----

func aggSetFactory(name string, pred, sizeAt int, def int64) AggFactory {
	return func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		max, err := aggMaxSize(name, args, sizeAt, def)
		if err != nil {
			return nil, err
		}
		box := aggBoxer(aggArgType(args, 0))
		return func() Agg {
			return &aggSet{pred: pred, max: max, box: box, seen: map[aggSetKey]struct{}{}, strs: map[aggStrKey]struct{}{}}
		}, nil
	}
}

// aggSetKey identifies a value of a group without boxing it: strings by
// s, numbers and bools by a, guids by a and b, arrays and bags by their
// JSON text in s.
type aggSetKey struct {
	g    uint32
	kind uint8
	a, b uint64
	s    string
}

// aggStrKey is the key of a string value: the common case gets a
// smaller key that hashes faster.
type aggStrKey struct {
	g uint32
	s string
}

type aggSet struct {
	pred  int
	max   int
	box   func(*vec.Vec, int) any
	seen  map[aggSetKey]struct{} // (group, value) pairs kept
	strs  map[aggStrKey]struct{} // (group, string) pairs kept
	vals  [][]any                // per group, in first-seen order
	bytes int64
	buf   []byte
}

func (a *aggSet) Grow(n int) {
	if n > len(a.vals) {
		a.bytes += 24 * int64(n-len(a.vals))
		a.vals = aggGrowTo(a.vals, n)
	}
}

// rowKey returns the key of row r (a stored index) of a typed column.
func aggRowKey(v *vec.Vec, r int, g uint32) aggSetKey {
	k := aggSetKey{g: g}
	switch v.Type {
	case types.String:
		k.kind, k.s = aggKindString, v.Strs[r]
	case types.Int, types.Long:
		k.kind, k.a = aggKindLong, uint64(v.Ints[r])
	case types.DateTime:
		k.kind, k.a = aggKindDatetime, uint64(v.Ints[r])
	case types.Timespan:
		k.kind, k.a = aggKindTimespan, uint64(v.Ints[r])
	case types.Real, types.Decimal:
		k.kind, k.a = aggKindReal, aggRealBits(v.Reals[r])
	case types.Bool:
		k.kind, k.a = aggKindBool, uint64(aggB2I(v.Bools[r]))
	case types.Guid:
		k.kind, k.a, k.b = aggGuidKey(v.Guids[r])
	}
	return k
}

func aggGuidKey(x types.GuidVal) (uint8, uint64, uint64) {
	var a, b uint64
	for i := 0; i < 8; i++ {
		a = a<<8 | uint64(x[i])
		b = b<<8 | uint64(x[8+i])
	}
	return aggKindGuid, a, b
}

// dynKey returns the key of a dynamic scalar, array or bag.
func (a *aggSet) dynKey(x any, g uint32) aggSetKey {
	k := aggSetKey{g: g}
	switch y := x.(type) {
	case string:
		k.kind, k.s = aggKindString, y
	case int64:
		k.kind, k.a = aggKindLong, uint64(y)
	case float64:
		k.kind, k.a = aggKindReal, aggRealBits(y)
	case bool:
		k.kind, k.a = aggKindBool, uint64(aggB2I(y))
	case types.DT:
		k.kind, k.a = aggKindDatetime, uint64(y)
	case types.TS:
		k.kind, k.a = aggKindTimespan, uint64(y)
	case types.GuidVal:
		k.kind, k.a, k.b = aggGuidKey(y)
	case []any:
		a.buf = types.AppendJSON(a.buf[:0], y)
		k.kind, k.s = aggKindArray, string(a.buf)
	case *types.Bag:
		a.buf = types.AppendJSON(a.buf[:0], y)
		k.kind, k.s = aggKindBag, string(a.buf)
	}
	return k
}

// insert adds value x (boxed lazily by box) under key k.
func (a *aggSet) insert(k aggSetKey, x func() any) {
	g := k.g
	if len(a.vals[g]) >= a.max {
		return
	}
	if k.kind == aggKindString {
		a.insertStr(g, k.s)
		return
	}
	if _, dup := a.seen[k]; dup {
		return
	}
	a.seen[k] = struct{}{}
	v := x()
	a.vals[g] = append(a.vals[g], v)
	a.bytes += 64 + int64(len(k.s)) + aggDynBytes(v)
}

// insertStr adds string s to group g.
func (a *aggSet) insertStr(g uint32, s string) {
	if len(a.vals[g]) >= a.max {
		return
	}
	k := aggStrKey{g, s}
	if _, dup := a.strs[k]; dup {
		return
	}
	a.strs[k] = struct{}{}
	a.vals[g] = append(a.vals[g], s)
	a.bytes += 80 + 2*int64(len(s)) // map entry, boxed value, the text
}

// insertDyn adds a dynamic value: an array contributes its non-null
// elements.
func (a *aggSet) insertDyn(x any, g uint32) {
	if arr, ok := x.([]any); ok {
		for _, e := range arr {
			if e != nil {
				a.insert(a.dynKey(e, g), func() any { return e })
			}
		}
		return
	}
	a.insert(a.dynKey(x, g), func() any { return x })
}

func (a *aggSet) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	groups = groups[:n]
	if x.Type == types.Dynamic {
		for i, g := range groups {
			if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
				continue
			}
			a.insertDyn(x.Dyns[x.Row(i)], g)
		}
		return nil
	}
	if x.Type == types.Unknown {
		return nil
	}
	if a.pred < 0 && x.Type == types.String && !x.Const {
		for i, g := range groups {
			a.insertStr(g, x.Strs[i])
		}
		return nil
	}
	for i, g := range groups {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		r := x.Row(i)
		a.insert(aggRowKey(x, r, g), func() any { return a.box(x, r) })
	}
	return nil
}

func (a *aggSet) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggSet)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.vals) {
			continue
		}
		for _, x := range o.vals[j] {
			a.insert(a.dynKey(x, g), func() any { return x })
		}
	}
}

func (a *aggSet) Result(n int) *vec.Vec {
	a.Grow(n)
	return aggArrays(a.vals[:n])
}

func (a *aggSet) Bytes() int64 { return a.bytes }

// aggArrays returns a dynamic column of the per-group arrays ([] for an
// empty group).
func aggArrays(vals [][]any) *vec.Vec {
	out := vec.New(types.Dynamic, len(vals))
	for _, v := range vals {
		if v == nil {
			v = []any{}
		}
		out.Dyns = append(out.Dyns, v[:len(v):len(v)])
	}
	return out
}

// ---- make_list ----

func aggListFactory(name string, pred, sizeAt int, def int64) AggFactory {
	return func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		max, err := aggMaxSize(name, args, sizeAt, def)
		if err != nil {
			return nil, err
		}
		t := aggArgType(args, 0)
		switch t.Physical() {
		case types.PhysString:
			return func() Agg {
				return &aggList[string]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []string { return v.Strs },
					box: func(x string) any { return x }, size: func(x string) int64 { return 16 + int64(len(x)) }}
			}, nil
		case types.PhysInt:
			box := func(x int64) any { return x }
			switch t {
			case types.DateTime:
				box = func(x int64) any { return types.DT(x) }
			case types.Timespan:
				box = func(x int64) any { return types.TS(x) }
			}
			return func() Agg {
				return &aggList[int64]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []int64 { return v.Ints },
					box: box, size: func(int64) int64 { return 8 }}
			}, nil
		case types.PhysReal:
			return func() Agg {
				return &aggList[float64]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []float64 { return v.Reals },
					box: func(x float64) any { return x }, size: func(float64) int64 { return 8 }}
			}, nil
		case types.PhysBool:
			return func() Agg {
				return &aggList[bool]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []bool { return v.Bools },
					box: func(x bool) any { return x }, size: func(bool) int64 { return 1 }}
			}, nil
		case types.PhysGuid:
			return func() Agg {
				return &aggList[types.GuidVal]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []types.GuidVal { return v.Guids },
					box: func(x types.GuidVal) any { return x }, size: func(types.GuidVal) int64 { return 16 }}
			}, nil
		}
		// dynamic (arrays are flattened) and untyped null (nothing kept).
		return func() Agg {
			return &aggList[any]{pred: pred, max: max, t: t, col: func(v *vec.Vec) []any { return v.Dyns },
				box: func(x any) any { return x }, size: aggDynBytes}
		}, nil
	}
}

// aggList keeps the non-null values of each group in input order, typed
// until Result boxes them.
type aggList[T any] struct {
	pred  int
	max   int
	t     types.Type
	dyn   bool // T is any: a dynamic column whose arrays are flattened
	col   func(*vec.Vec) []T
	box   func(T) any
	size  func(T) int64
	lists [][]T
	bytes int64
}

func (a *aggList[T]) Grow(n int) {
	if n > len(a.lists) {
		a.bytes += 24 * int64(n-len(a.lists))
		a.lists = aggGrowTo(a.lists, n)
	}
}

func (a *aggList[T]) push(g uint32, x T) {
	if a.dyn {
		if arr, ok := any(x).([]any); ok {
			for _, e := range arr {
				if e != nil && len(a.lists[g]) < a.max {
					a.lists[g] = append(a.lists[g], e.(T))
					a.bytes += 16 + a.size(e.(T))
				}
			}
			return
		}
	}
	if len(a.lists[g]) < a.max {
		a.lists[g] = append(a.lists[g], x)
		a.bytes += a.size(x)
	}
}

func (a *aggList[T]) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type.Physical() != a.t.Physical() || x.Type == types.Unknown {
		return nil
	}
	data := a.col(x)
	for i, g := range groups[:n] {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		a.push(g, data[x.Row(i)])
	}
	return nil
}

func (a *aggList[T]) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggList[T])
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.lists) {
			continue
		}
		for _, x := range o.lists[j] {
			if len(a.lists[g]) >= a.max {
				break
			}
			a.lists[g] = append(a.lists[g], x)
			a.bytes += a.size(x)
		}
	}
}

func (a *aggList[T]) Result(n int) *vec.Vec {
	a.Grow(n)
	vals := make([][]any, n)
	for g := 0; g < n; g++ {
		arr := make([]any, len(a.lists[g]))
		for i, x := range a.lists[g] {
			arr[i] = a.box(x)
		}
		vals[g] = arr
	}
	return aggArrays(vals)
}

func (a *aggList[T]) Bytes() int64 { return a.bytes }

// aggListNulls is make_list_with_nulls: every row, null included, boxed.
type aggListNulls struct {
	lists [][]any
	bytes int64
}

func (a *aggListNulls) Grow(n int) {
	if n > len(a.lists) {
		a.bytes += 24 * int64(n-len(a.lists))
		a.lists = aggGrowTo(a.lists, n)
	}
}

func (a *aggListNulls) push(g uint32, x any) {
	if len(a.lists[g]) >= aggMaxSizeLimit {
		return
	}
	a.lists[g] = append(a.lists[g], x)
	a.bytes += aggDynBytes(x)
}

func (a *aggListNulls) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	for i, g := range groups[:n] {
		a.push(g, x.Get(i))
	}
	return nil
}

func (a *aggListNulls) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggListNulls)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.lists) {
			for _, x := range o.lists[j] {
				a.push(g, x)
			}
		}
	}
}

func (a *aggListNulls) Result(n int) *vec.Vec {
	a.Grow(n)
	return aggArrays(a.lists[:n])
}

func (a *aggListNulls) Bytes() int64 { return a.bytes }

// ---- make_bag ----

func aggBagFactory(name string, pred, sizeAt int, def int64) AggFactory {
	return func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		max, err := aggMaxSize(name, args, sizeAt, def)
		if err != nil {
			return nil, err
		}
		return func() Agg { return &aggBag{pred: pred, max: max} }, nil
	}
}

type aggBag struct {
	pred  int
	max   int
	bags  []*types.Bag
	bytes int64
}

func (a *aggBag) Grow(n int) {
	if n > len(a.bags) {
		a.bytes += 8 * int64(n-len(a.bags))
		a.bags = aggGrowTo(a.bags, n)
	}
}

// put merges the properties of src into group g: the first value of a
// key wins.
func (a *aggBag) put(g uint32, src *types.Bag) {
	b := a.bags[g]
	if b == nil {
		b = types.NewBag(src.Len())
		a.bags[g] = b
		a.bytes += 80
	}
	for i, k := range src.Keys {
		if b.Len() >= a.max {
			return
		}
		if _, dup := b.Get(k); dup {
			continue
		}
		b.Set(k, src.Vals[i])
		a.bytes += 48 + int64(len(k)) + aggDynBytes(src.Vals[i])
	}
}

func (a *aggBag) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type != types.Dynamic {
		return nil
	}
	for i, g := range groups[:n] {
		if (a.pred >= 0 && !aggTrue(args[a.pred], i)) || x.IsNull(i) {
			continue
		}
		if bag, ok := x.Dyns[x.Row(i)].(*types.Bag); ok {
			a.put(g, bag)
		}
	}
	return nil
}

func (a *aggBag) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggBag)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.bags) && o.bags[j] != nil {
			a.put(g, o.bags[j])
		}
	}
}

func (a *aggBag) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Dynamic, n)
	for g := 0; g < n; g++ {
		b := a.bags[g]
		if b == nil {
			b = types.NewBag(0)
		}
		out.Dyns = append(out.Dyns, b)
	}
	return out
}

func (a *aggBag) Bytes() int64 { return a.bytes }
