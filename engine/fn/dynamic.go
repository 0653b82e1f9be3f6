package fn

// Dynamic, array and property-bag kernels, and member/index access of
// dynamic values (__member, __index).
//
// Dynamic values are shared read-only between columns, so every function
// that "modifies" an array or bag builds a new one.
//
// Decisions where the reference is silent:
//   - functions that expect an array or a bag give null for any other
//     value (documented for array_length and bag_set_key);
//   - equality of elements (set_*, array_index_of, set_has_element,
//     jaccard_index) is by value: numbers compare numerically across
//     long/real, other kinds must match exactly (no string-to-number
//     conversion); arrays and bags compare by their JSON text;
//   - set_* results keep the order in which values are first seen;
//   - jaccard_index of two empty sets is NaN (0/0);
//   - array_sort_*: elements sort by kind first (numbers, datetimes and
//     timespans; then strings; then guids; then everything else, which
//     keeps its order), nulls last unless nulls_last is false; the desc
//     variant reverses the order of kinds too;
//   - array_shift_* fill with null when no default is given;
//   - bag_merge ignores arguments that are not bags (null when none is);
//   - parse_xml keeps text as strings (no number detection), drops
//     namespace prefixes of names, orders attributes, then #text, then
//     child elements.

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("__member", func(_ []builtins.Arg, _ types.Type) (Scalar, error) { return dynMember, nil })
	RegisterScalar("__index", func(_ []builtins.Arg, _ types.Type) (Scalar, error) { return dynIndex, nil })

	boxed := func(name string, f func(vals []any) any) {
		RegisterScalar(name, func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
			return MapN(rt, func(vals []any) (any, error) { return f(vals), nil }), nil
		})
	}
	boxed("pack_array", func(v []any) any { return append([]any(nil), v...) })
	boxed("bag_pack", dynBagPack)
	boxed("__bag_pack_nonempty", dynBagPackNonEmpty)
	boxed("array_length", func(v []any) any {
		if a, ok := v[0].([]any); ok {
			return int64(len(a))
		}
		return nil
	})
	boxed("array_concat", func(v []any) any {
		out := []any{}
		for _, x := range v {
			a, ok := x.([]any)
			if !ok {
				return nil
			}
			out = append(out, a...)
		}
		return out
	})
	boxed("array_reverse", func(v []any) any {
		a, ok := v[0].([]any)
		if !ok {
			return nil
		}
		out := make([]any, len(a))
		for i, x := range a {
			out[len(a)-1-i] = x
		}
		return out
	})
	boxed("array_sum", func(v []any) any {
		a, ok := v[0].([]any)
		if !ok {
			return nil
		}
		sum := 0.0
		for _, x := range a {
			switch n := x.(type) {
			case int64:
				sum += float64(n)
			case float64:
				sum += n
			default:
				return nil
			}
		}
		return sum
	})
	boxed("array_slice", dynSlice)
	boxed("array_index_of", dynIndexOf)
	boxed("array_iff", dynArrayIff)
	boxed("array_split", dynSplit)
	boxed("array_shift_left", func(v []any) any { return dynShift(v, 1) })
	boxed("array_shift_right", func(v []any) any { return dynShift(v, -1) })
	boxed("array_rotate_left", func(v []any) any { return dynRotate(v, 1) })
	boxed("array_rotate_right", func(v []any) any { return dynRotate(v, -1) })
	boxed("array_sort_asc", func(v []any) any { return dynSort(v, false) })
	boxed("array_sort_desc", func(v []any) any { return dynSort(v, true) })
	boxed("set_has_element", func(v []any) any {
		a, ok := v[0].([]any)
		if !ok {
			return nil
		}
		k := dynKey(v[1])
		for _, x := range a {
			if dynKey(x) == k {
				return true
			}
		}
		return false
	})
	boxed("set_union", func(v []any) any { return dynSetOp(v, 'u') })
	boxed("set_intersect", func(v []any) any { return dynSetOp(v, 'i') })
	boxed("set_difference", func(v []any) any { return dynSetOp(v, 'd') })
	boxed("set_equals", func(v []any) any {
		a, ok1 := v[0].([]any)
		b, ok2 := v[1].([]any)
		if !ok1 || !ok2 {
			return nil
		}
		ka, kb := dynKeySet(a), dynKeySet(b)
		if len(ka) != len(kb) {
			return false
		}
		for k := range ka {
			if !kb[k] {
				return false
			}
		}
		return true
	})
	boxed("jaccard_index", func(v []any) any {
		a, ok1 := v[0].([]any)
		b, ok2 := v[1].([]any)
		if !ok1 || !ok2 {
			return nil
		}
		ka, kb := dynKeySet(a), dynKeySet(b)
		inter := 0
		for k := range ka {
			if kb[k] {
				inter++
			}
		}
		union := len(ka) + len(kb) - inter
		if union == 0 {
			return math.NaN()
		}
		return float64(inter) / float64(union)
	})
	boxed("zip", func(v []any) any {
		arrs := make([][]any, len(v))
		longest := 0
		for i, x := range v {
			a, ok := x.([]any)
			if !ok {
				return nil
			}
			arrs[i] = a
			longest = max(longest, len(a))
		}
		out := make([]any, longest)
		for i := range out {
			row := make([]any, len(arrs))
			for k, a := range arrs {
				if i < len(a) {
					row[k] = a[i]
				}
			}
			out[i] = row
		}
		return out
	})
	boxed("bag_keys", func(v []any) any {
		b, ok := v[0].(*types.Bag)
		if !ok {
			return nil
		}
		out := make([]any, len(b.Keys))
		for i, k := range b.Keys {
			out[i] = k
		}
		return out
	})
	boxed("bag_merge", func(v []any) any {
		var out *types.Bag
		for _, x := range v {
			b, ok := x.(*types.Bag)
			if !ok {
				continue
			}
			if out == nil {
				out = types.NewBag(b.Len())
			}
			for i, k := range b.Keys {
				if _, has := out.Get(k); !has {
					out.Set(k, b.Vals[i])
				}
			}
		}
		if out == nil {
			return nil
		}
		return out
	})
	boxed("bag_remove_keys", dynRemoveKeys)
	boxed("bag_has_key", func(v []any) any {
		b, ok := v[0].(*types.Bag)
		key, ok2 := v[1].(string)
		if !ok || !ok2 {
			if v[0] == nil {
				return nil
			}
			return false
		}
		steps, ok := dynKeyPath(key)
		if !ok {
			return false
		}
		var cur any = b
		for _, s := range steps {
			cb, isBag := cur.(*types.Bag)
			if !isBag || s.index >= 0 {
				return false
			}
			cur, ok = cb.Get(s.key)
			if !ok {
				return false
			}
		}
		return true
	})
	boxed("bag_set_key", dynSetKey)
	boxed("bag_zip", func(v []any) any {
		keys, ok := v[0].([]any)
		if !ok {
			return nil
		}
		vals, _ := v[1].([]any)
		out := types.NewBag(len(keys))
		for i, k := range keys {
			s, ok := k.(string)
			if !ok {
				continue
			}
			var x any
			if i < len(vals) {
				x = vals[i]
			}
			out.Set(s, x)
		}
		return out
	})
	// dynamic_to_json: a non-dynamic argument is tostring()'d; a dynamic
	// one (scalars included) is written as JSON with every bag's keys
	// sorted, so that equal values give equal text.
	RegisterScalar("dynamic_to_json", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		if args[0].Type != types.Dynamic && args[0].Type != types.Unknown {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return convCast(a[0], types.String, n), nil }, nil
		}
		return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
			x := a[0].Get(i)
			if x == nil {
				out.Strs = append(out.Strs, "") // as tostring()
				return nil
			}
			out.Strs = append(out.Strs, string(types.AppendJSON(nil, dynSortKeys(x))))
			return nil
		}), nil
	})
	boxed("treepath", func(v []any) any {
		switch v[0].(type) {
		case *types.Bag, []any:
		default:
			return nil
		}
		out := []any{}
		seen := map[string]bool{}
		dynTreePaths(v[0], "", seen, &out)
		return out
	})
	boxed("parse_path", func(v []any) any {
		if v[0] == nil {
			return dynParsePath("")
		}
		return dynParsePath(types.DynString(v[0]))
	})
	boxed("parse_xml", func(v []any) any {
		if v[0] == nil {
			return nil
		}
		return dynParseXML(types.DynString(v[0]))
	})
	boxed("range", dynRange)
	boxed("repeat", func(v []any) any {
		k, ok := dynInt(v[1])
		if !ok || k < 0 {
			return nil
		}
		k = min(k, dynMaxArray)
		out := make([]any, k)
		for i := range out {
			out[i] = v[0]
		}
		return out
	})
	RegisterScalar("extract_json", dynExtractJSONFactory)
}

// dynMaxArray caps the arrays range() and repeat() build (documented for
// range: 1,048,576 elements).
const dynMaxArray = 1 << 20

// dynRange is range(start, stop[, step]): numbers (long when every bound
// is a long, else real), datetimes or timespans; the default step is 1
// for numbers and 1h for datetimes and timespans. A zero step, or a step
// of the wrong sign, gives an array holding only start (when it is within
// the bounds) or an empty array.
func dynRange(v []any) any {
	start, stop := v[0], v[1]
	var step any
	if len(v) > 2 {
		step = v[2]
	}
	if start == nil || stop == nil || (len(v) > 2 && step == nil) {
		return nil
	}
	out := []any{}
	tick := func(x any) (int64, bool) {
		switch t := x.(type) {
		case types.DT:
			return int64(t), true
		case types.TS:
			return int64(t), true
		}
		return 0, false
	}
	if s0, ok := tick(start); ok {
		s1, ok := tick(stop)
		if !ok {
			return nil
		}
		st := types.TicksPerHour
		if step != nil {
			if st, ok = tick(step); !ok {
				if st, ok = dynInt(step); !ok {
					return nil
				}
			}
		}
		_, isDT := start.(types.DT)
		wrap := func(t int64) any {
			if isDT {
				return types.DT(t)
			}
			return types.TS(t)
		}
		for t := s0; len(out) < dynMaxArray && ((st > 0 && t <= s1) || (st < 0 && t >= s1)); t += st {
			out = append(out, wrap(t))
		}
		if st == 0 && s0 <= s1 {
			out = append(out, wrap(s0))
		}
		return out
	}
	i0, ok0 := start.(int64)
	i1, ok1 := stop.(int64)
	is := int64(1)
	ok2 := true
	if step != nil {
		is, ok2 = step.(int64)
	}
	if ok0 && ok1 && ok2 {
		for x := i0; len(out) < dynMaxArray && ((is > 0 && x <= i1) || (is < 0 && x >= i1)); x += is {
			out = append(out, x)
		}
		if is == 0 && i0 <= i1 {
			out = append(out, i0)
		}
		return out
	}
	f0, ok0 := convDynReal(start)
	f1, ok1 := convDynReal(stop)
	fs := 1.0
	if step != nil {
		fs, ok2 = convDynReal(step)
	}
	if !ok0 || !ok1 || !ok2 || math.IsNaN(f0+f1+fs) {
		return nil
	}
	for k := 0; k < dynMaxArray; k++ {
		x := f0 + float64(k)*fs
		if (fs > 0 && x > f1) || (fs < 0 && x < f1) || (fs == 0 && k > 0) || (fs == 0 && x > f1) {
			break
		}
		out = append(out, x)
	}
	return out
}

// ---- member and index access (hot) ----

// dynMember is x.key / x["key"] with a constant key: the property of a
// bag, null for a missing key or a value that is not a bag.
func dynMember(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
	x, k := args[0], args[1]
	m, c := coreRows(n, x, k)
	out := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
	if x.Type != types.Dynamic || k.Type != types.String {
		return out, nil
	}
	if k.Const {
		key := k.Strs[0]
		for i, d := range x.Dyns[:m] {
			if b, ok := d.(*types.Bag); ok {
				out.Dyns[i], _ = b.Get(key)
			}
		}
		return out, nil
	}
	for i := 0; i < m; i++ {
		if b, ok := x.Dyns[x.Row(i)].(*types.Bag); ok {
			out.Dyns[i], _ = b.Get(k.Strs[i])
		}
	}
	return out, nil
}

// dynIndex is x[i] (array element; negative i counts from the end) or
// x[key] (bag property), by the index's type.
func dynIndex(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
	x, k := args[0], args[1]
	m, c := coreRows(n, x, k)
	out := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
	if x.Type != types.Dynamic {
		return out, nil
	}
	switch k.Type {
	case types.String:
		return dynMember(nil, args, n)
	case types.Int, types.Long, types.Bool, types.Real, types.Decimal:
		idx := convCast(k, types.Long, n)
		xs, ks := coreStride(x), coreStride(idx)
		for i := 0; i < m; i++ {
			if idx.IsNull(i) {
				continue
			}
			if a, ok := x.Dyns[i*xs].([]any); ok {
				out.Dyns[i] = dynAt(a, idx.Ints[i*ks])
			}
		}
	case types.Dynamic:
		for i := 0; i < m; i++ {
			out.Dyns[i] = dynLookup(x.Dyns[x.Row(i)], k.Dyns[k.Row(i)])
		}
	}
	return out, nil
}

func dynAt(a []any, i int64) any {
	if i < 0 {
		i += int64(len(a))
	}
	if i < 0 || i >= int64(len(a)) {
		return nil
	}
	return a[i]
}

// dynLookup indexes d by a dynamic key (a number for arrays, a string for
// bags).
func dynLookup(d, key any) any {
	switch x := d.(type) {
	case []any:
		if i, ok := dynInt(key); ok {
			return dynAt(x, i)
		}
	case *types.Bag:
		if s, ok := key.(string); ok {
			v, _ := x.Get(s)
			return v
		}
	}
	return nil
}

// dynInt reads an integer argument from a boxed value.
func dynInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		return convF2L(x)
	case bool:
		return convB2L(x), true
	}
	return 0, false
}

// ---- keys for value equality ----

// dynKey returns a string that is equal for equal values (numbers compare
// numerically across long and real).
func dynKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "n"
	case bool:
		if x {
			return "b1"
		}
		return "b0"
	case int64:
		return "l" + strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 9e18 {
			return "l" + strconv.FormatInt(int64(x), 10)
		}
		return "r" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "s" + x
	case types.DT:
		return "d" + strconv.FormatInt(int64(x), 10)
	case types.TS:
		return "t" + strconv.FormatInt(int64(x), 10)
	case types.GuidVal:
		return "g" + types.FormatGuid(x)
	}
	return "j" + string(types.AppendJSON(nil, v))
}

func dynKeySet(a []any) map[string]bool {
	m := make(map[string]bool, len(a))
	for _, x := range a {
		m[dynKey(x)] = true
	}
	return m
}

func dynSetOp(v []any, op byte) any {
	arrs := make([][]any, len(v))
	for i, x := range v {
		a, ok := x.([]any)
		if !ok {
			return nil
		}
		arrs[i] = a
	}
	out := []any{}
	seen := map[string]bool{}
	switch op {
	case 'u':
		for _, a := range arrs {
			for _, x := range a {
				if k := dynKey(x); !seen[k] {
					seen[k] = true
					out = append(out, x)
				}
			}
		}
	case 'i', 'd':
		others := make([]map[string]bool, len(arrs)-1)
		for i, a := range arrs[1:] {
			others[i] = dynKeySet(a)
		}
		for _, x := range arrs[0] {
			k := dynKey(x)
			if seen[k] {
				continue
			}
			seen[k] = true
			keep := true
			for _, o := range others {
				in := o[k]
				if (op == 'i' && !in) || (op == 'd' && in) {
					keep = false
					break
				}
			}
			if keep {
				out = append(out, x)
			}
		}
	}
	return out
}

// ---- array functions ----

func dynSlice(v []any) any {
	a, ok := v[0].([]any)
	s, ok1 := dynInt(v[1])
	e, ok2 := dynInt(v[2])
	if !ok || !ok1 || !ok2 {
		return nil
	}
	n := int64(len(a))
	if s < 0 {
		s += n
	}
	if e < 0 {
		e += n
	}
	if s < 0 {
		s = 0
	}
	if e >= n {
		e = n - 1
	}
	if s > e || s >= n {
		return []any{}
	}
	return append([]any(nil), a[s:e+1]...)
}

func dynIndexOf(v []any) any {
	a, ok := v[0].([]any)
	if !ok {
		return nil
	}
	n := int64(len(a))
	start, length, occ := int64(0), int64(-1), int64(1)
	if len(v) > 2 {
		if start, ok = dynInt(v[2]); !ok {
			return nil
		}
	}
	if len(v) > 3 {
		if length, ok = dynInt(v[3]); !ok {
			return nil
		}
	}
	if len(v) > 4 {
		if occ, ok = dynInt(v[4]); !ok {
			return nil
		}
	}
	if length < -1 || occ < 0 {
		return nil
	}
	if occ == 0 {
		occ = 1
	}
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	end := n
	if length >= 0 && start+length < n {
		end = start + length
	}
	k := dynKey(v[1])
	for i := start; i < end; i++ {
		if dynKey(a[i]) == k {
			occ--
			if occ == 0 {
				return i
			}
		}
	}
	return int64(-1)
}

func dynArrayIff(v []any) any {
	conds, ok := v[0].([]any)
	if !ok {
		return nil
	}
	pick := func(src any, i int) any {
		if a, ok := src.([]any); ok {
			if i < len(a) {
				return a[i]
			}
			return nil
		}
		return src
	}
	out := make([]any, len(conds))
	for i, c := range conds {
		var t, known bool
		switch x := c.(type) {
		case bool:
			t, known = x, true
		case int64:
			t, known = x != 0, true
		case float64:
			t, known = x != 0, true
		}
		switch {
		case !known:
			out[i] = nil
		case t:
			out[i] = pick(v[1], i)
		default:
			out[i] = pick(v[2], i)
		}
	}
	return out
}

func dynSplit(v []any) any {
	a, ok := v[0].([]any)
	if !ok {
		return nil
	}
	n := int64(len(a))
	var idx []int64
	switch x := v[1].(type) {
	case []any:
		for _, e := range x {
			i, ok := dynInt(e)
			if !ok {
				return nil
			}
			idx = append(idx, i)
		}
	default:
		i, ok := dynInt(x)
		if !ok {
			return nil
		}
		idx = []int64{i}
	}
	out := []any{}
	prev := int64(0)
	for _, i := range idx {
		if i < 0 {
			i += n
		}
		i = max(min(i, n), prev)
		out = append(out, append([]any{}, a[prev:i]...))
		prev = i
	}
	return append(out, append([]any{}, a[prev:]...))
}

// dynShift shifts left by v[1] positions (dir -1: right), filling with
// v[2] or null.
func dynShift(v []any, dir int64) any {
	a, ok := v[0].([]any)
	k, ok2 := dynInt(v[1])
	if !ok || !ok2 {
		return nil
	}
	var fill any
	if len(v) > 2 {
		fill = v[2]
	}
	k *= dir
	out := make([]any, len(a))
	for i := range out {
		j := int64(i) + k
		if j >= 0 && j < int64(len(a)) {
			out[i] = a[j]
		} else {
			out[i] = fill
		}
	}
	return out
}

func dynRotate(v []any, dir int64) any {
	a, ok := v[0].([]any)
	k, ok2 := dynInt(v[1])
	if !ok || !ok2 {
		return nil
	}
	n := int64(len(a))
	out := make([]any, n)
	if n == 0 {
		return out
	}
	k = ((k*dir)%n + n) % n
	for i := int64(0); i < n; i++ {
		out[i] = a[(i+k)%n]
	}
	return out
}

// dynSortGroup orders kinds of elements for array_sort_*.
func dynSortGroup(x any) int {
	switch x.(type) {
	case int64, float64, types.DT, types.TS:
		return 0
	case string:
		return 1
	case types.GuidVal:
		return 2
	}
	return 3
}

func dynSortNum(x any) float64 {
	switch v := x.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case types.DT:
		return float64(v)
	case types.TS:
		return float64(v)
	}
	return 0
}

func dynSortCmp(a, b any) int {
	ga, gb := dynSortGroup(a), dynSortGroup(b)
	if ga != gb {
		return ga - gb
	}
	switch ga {
	case 0:
		x, y := dynSortNum(a), dynSortNum(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		if ia, ok := a.(int64); ok {
			if ib, ok := b.(int64); ok {
				return coreCmpInt(ia, ib)
			}
		}
	case 1:
		return strings.Compare(a.(string), b.(string))
	case 2:
		x, y := a.(types.GuidVal), b.(types.GuidVal)
		return bytes.Compare(x[:], y[:])
	}
	return 0
}

// dynSort sorts the first array and orders the other arrays the same
// way. With one array it returns the sorted array; with several, an
// array of the sorted arrays (see kql/builtins/dynamic.go).
func dynSort(v []any, desc bool) any {
	nullsLast := true
	if len(v) > 1 {
		if b, ok := v[len(v)-1].(bool); ok {
			nullsLast = b
			v = v[:len(v)-1]
		}
	}
	first, ok := v[0].([]any)
	if !ok {
		return nil
	}
	var perm, nulls []int
	for i, x := range first {
		if x == nil {
			nulls = append(nulls, i)
		} else {
			perm = append(perm, i)
		}
	}
	sort.SliceStable(perm, func(i, j int) bool {
		c := dynSortCmp(first[perm[i]], first[perm[j]])
		if desc {
			return c > 0
		}
		return c < 0
	})
	if nullsLast {
		perm = append(perm, nulls...)
	} else {
		perm = append(nulls, perm...)
	}
	apply := func(x any) any {
		a, ok := x.([]any)
		if !ok || len(a) != len(first) {
			return nil
		}
		out := make([]any, len(a))
		for i, p := range perm {
			out[i] = a[p]
		}
		return out
	}
	if len(v) == 1 {
		return apply(first)
	}
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = apply(x)
	}
	return out
}

// ---- bags ----

func dynBagPack(v []any) any {
	b := types.NewBag(len(v) / 2)
	for i := 0; i+1 < len(v); i += 2 {
		k, ok := v[i].(string)
		if !ok {
			continue
		}
		b.Set(k, v[i+1])
	}
	return b
}

// dynBagPackNonEmpty is bag_pack leaving out null and empty-string
// values: pack_all(true).
func dynBagPackNonEmpty(v []any) any {
	b := types.NewBag(len(v) / 2)
	for i := 0; i+1 < len(v); i += 2 {
		k, ok := v[i].(string)
		if !ok || v[i+1] == nil || v[i+1] == "" {
			continue
		}
		b.Set(k, v[i+1])
	}
	return b
}

type dynStep struct {
	key   string
	index int64 // >= 0 for [n]
}

// dynKeyPath reads a bag key: a plain root key, or a JSONPath ($.a.b,
// $['a'][0]).
func dynKeyPath(s string) ([]dynStep, bool) {
	if !strings.HasPrefix(s, "$") {
		return []dynStep{{key: s, index: -1}}, true
	}
	return dynJSONPath(s)
}

// dynJSONPath parses the JSONPath subset KQL supports: $, .name,
// ['name'] or ["name"], [n].
func dynJSONPath(s string) ([]dynStep, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "$") {
		return nil, false
	}
	var steps []dynStep
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			steps = append(steps, dynStep{key: s[i+1 : j], index: -1})
			i = j
		case '[':
			if i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '"') {
				q := s[i+1]
				j := strings.IndexByte(s[i+2:], q)
				if j < 0 || i+2+j+1 >= len(s) || s[i+2+j+1] != ']' {
					return nil, false
				}
				steps = append(steps, dynStep{key: s[i+2 : i+2+j], index: -1})
				i = i + 2 + j + 2
				continue
			}
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, false
			}
			n, err := strconv.ParseInt(strings.TrimSpace(s[i+1:i+j]), 10, 64)
			if err != nil || n < 0 {
				return nil, false
			}
			steps = append(steps, dynStep{index: n})
			i += j + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// dynWalk follows steps from d; ok is false when a step is missing.
func dynWalk(d any, steps []dynStep) (any, bool) {
	for _, s := range steps {
		if s.index >= 0 {
			a, ok := d.([]any)
			if !ok || s.index >= int64(len(a)) {
				return nil, false
			}
			d = a[s.index]
			continue
		}
		b, ok := d.(*types.Bag)
		if !ok {
			return nil, false
		}
		if d, ok = b.Get(s.key); !ok {
			return nil, false
		}
	}
	return d, true
}

func dynRemoveKeys(v []any) any {
	b, ok := v[0].(*types.Bag)
	if !ok {
		return nil
	}
	keys, ok := v[1].([]any)
	if !ok {
		return b
	}
	out := b.Clone()
	for _, k := range keys {
		s, ok := k.(string)
		if !ok {
			continue
		}
		steps, ok := dynKeyPath(s)
		if !ok || len(steps) == 0 {
			continue
		}
		dynDeletePath(out, steps)
	}
	return out
}

// dynDeletePath deletes the key at steps from bag b (which the caller
// owns), cloning nested bags on the way.
func dynDeletePath(b *types.Bag, steps []dynStep) {
	for _, s := range steps[:len(steps)-1] {
		if s.index >= 0 {
			return
		}
		child, ok := b.Get(s.key)
		cb, isBag := child.(*types.Bag)
		if !ok || !isBag {
			return
		}
		cb = cb.Clone()
		b.Set(s.key, cb)
		b = cb
	}
	last := steps[len(steps)-1]
	if last.index < 0 {
		b.Delete(last.key)
	}
}

func dynSetKey(v []any) any {
	b, ok := v[0].(*types.Bag)
	key, ok2 := v[1].(string)
	if !ok || !ok2 {
		return nil
	}
	steps, ok := dynKeyPath(key)
	if !ok || len(steps) == 0 {
		return nil
	}
	for _, s := range steps {
		if s.index >= 0 {
			return nil // array indexing is not supported
		}
	}
	out := b.Clone()
	cur := out
	for _, s := range steps[:len(steps)-1] {
		child, _ := cur.Get(s.key)
		cb, isBag := child.(*types.Bag)
		if isBag {
			cb = cb.Clone()
		} else {
			cb = types.NewBag(1)
		}
		cur.Set(s.key, cb)
		cur = cb
	}
	cur.Set(steps[len(steps)-1].key, v[2])
	return out
}

func dynTreePaths(v any, prefix string, seen map[string]bool, out *[]any) {
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			*out = append(*out, p)
		}
	}
	switch x := v.(type) {
	case *types.Bag:
		for i, k := range x.Keys {
			p := prefix + "['" + k + "']"
			add(p)
			dynTreePaths(x.Vals[i], p, seen, out)
		}
	case []any:
		if len(x) == 0 {
			return
		}
		p := prefix + "[0]"
		add(p)
		for _, e := range x {
			dynTreePaths(e, p, seen, out)
		}
	}
}

// ---- extract_json ----

func dynExtractJSONFactory(args []builtins.Arg, rt types.Type) (Scalar, error) {
	var fixed []dynStep
	fixedOK := false
	if args[0].Const {
		if s, ok := args[0].Value.(string); ok {
			steps, ok := dynJSONPath(s)
			if !ok {
				return nil, Errorf("extract_json(): invalid JSONPath %q (supported: $, .name, ['name'], [n])", s)
			}
			fixed, fixedOK = steps, true
		}
	}
	if rt == types.Unknown {
		rt = types.String
	}
	return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
		p, src := a[0], a[1]
		m, c := coreRows(n, p, src)
		vals := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
		for i := 0; i < m; i++ {
			steps := fixed
			if !fixedOK {
				var ok bool
				ps, _ := p.Get(i).(string)
				if steps, ok = dynJSONPath(ps); !ok {
					continue
				}
			}
			var doc any
			switch src.Type {
			case types.String:
				d, err := types.ParseJSON([]byte(src.Strs[src.Row(i)]))
				if err != nil {
					continue
				}
				doc = d
			case types.Dynamic:
				doc = src.Dyns[src.Row(i)]
				if s, ok := doc.(string); ok {
					d, err := types.ParseJSON([]byte(s))
					if err != nil {
						continue
					}
					doc = d
				}
			default:
				continue
			}
			vals.Dyns[i], _ = dynWalk(doc, steps)
		}
		return convCast(vals, rt, n), nil
	}, nil
}

// ---- parse_path ----

// dynParsePath splits a file path into the parts parse_path() returns.
// The documented examples fix the main rules: the scheme is the text
// before "://"; RootPath is a drive ("C:") and is empty for UNC and Unix
// paths; DirectoryPath is everything before the last separator (either
// slash), DirectoryName its last component; an alternate data stream
// follows the first ':' of the file name. For a long path (\\?\C:\...)
// the drive after the prefix is the root and the prefix stays in
// DirectoryPath.
func dynParsePath(p string) any {
	var scheme, root, dir, dirName, file, ext, ads string
	rest := p
	if i := strings.Index(rest, "://"); i > 0 && dynIsScheme(rest[:i]) {
		scheme = rest[:i]
		rest = rest[i+3:]
		// file:///C:/x: drop the slash before a drive letter.
		if len(rest) >= 3 && rest[0] == '/' && dynIsDrive(rest[1:]) {
			rest = rest[1:]
		}
	}
	body := rest
	// Long-path and device prefixes: \\?\ and \\.\ (also with /).
	prefixLen := 0
	if len(body) >= 4 && dynSep(body[0]) && dynSep(body[1]) && (body[2] == '?' || body[2] == '.') && dynSep(body[3]) {
		prefixLen = 4
	}
	if dynIsDrive(body[prefixLen:]) {
		root = body[prefixLen : prefixLen+2]
	}
	last := strings.LastIndexAny(body, `/\`)
	if last < 0 {
		file = body
		if root != "" {
			file = body[prefixLen+2:]
		}
	} else {
		file = body[last+1:]
		dir = body[:last]
		switch {
		case dir == "" || (prefixLen > 0 && last < prefixLen):
			dir = body[:last+1] // the root directory itself: "/"
		case root != "" && dir == body[:prefixLen+2]:
			dir = body[:last+1] // "C:\"
		}
		d := strings.TrimRight(dir, `/\`)
		if k := strings.LastIndexAny(d, `/\`); k >= 0 {
			dirName = d[k+1:]
		} else if d != root && !(root != "" && strings.HasSuffix(d, root)) {
			dirName = d
		}
	}
	if k := strings.IndexByte(file, ':'); k >= 0 {
		ads = file[k+1:]
		file = file[:k]
	}
	if k := strings.LastIndexByte(file, '.'); k >= 0 {
		ext = file[k+1:]
	}
	b := types.NewBag(7)
	b.Set("Scheme", scheme)
	b.Set("RootPath", root)
	b.Set("DirectoryPath", dir)
	b.Set("DirectoryName", dirName)
	b.Set("Filename", file)
	b.Set("Extension", ext)
	b.Set("AlternateDataStreamName", ads)
	return b
}

func dynSep(c byte) bool { return c == '/' || c == '\\' }

func dynIsDrive(s string) bool {
	if len(s) < 2 || s[1] != ':' {
		return false
	}
	c := s[0] | 0x20
	return c >= 'a' && c <= 'z' && (len(s) == 2 || dynSep(s[2]))
}

func dynIsScheme(s string) bool {
	if len(s) < 2 { // a single letter is a drive, not a scheme
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// ---- parse_xml ----

type dynXNode struct {
	name     string
	attrs    []xml.Attr
	text     strings.Builder
	children []*dynXNode
}

// dynParseXML converts XML text to a dynamic value as parse_xml()
// documents; invalid XML (or input over 1 MB) gives null.
func dynParseXML(s string) any {
	if len(s) > 1<<20 {
		return nil
	}
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []*dynXNode
	var root *dynXNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			nd := &dynXNode{name: t.Name.Local, attrs: append([]xml.Attr(nil), t.Attr...)}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, nd)
			} else if root == nil {
				root = nd
			} else {
				return nil
			}
			stack = append(stack, nd)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil || len(stack) != 0 {
		return nil
	}
	b := types.NewBag(1)
	b.Set(root.name, dynXValue(root))
	return b
}

func dynXValue(nd *dynXNode) any {
	text := strings.TrimSpace(nd.text.String())
	if len(nd.attrs) == 0 && len(nd.children) == 0 {
		if text == "" {
			return nil
		}
		return text
	}
	b := types.NewBag(len(nd.attrs) + len(nd.children) + 1)
	for _, a := range nd.attrs {
		name := a.Name.Local
		if a.Name.Space == "xmlns" {
			name = "xmlns:" + name
		}
		b.Set("@"+name, a.Value)
	}
	if text != "" {
		b.Set("#text", text)
	}
	count := map[string]int{}
	for _, c := range nd.children {
		count[c.name]++
	}
	lists := map[string][]any{}
	for _, c := range nd.children {
		v := dynXValue(c)
		if count[c.name] == 1 {
			b.Set(c.name, v)
			continue
		}
		lists[c.name] = append(lists[c.name], v)
		b.Set(c.name, lists[c.name])
	}
	return b
}

// dynSortKeys returns x with the keys of every bag in it sorted.
func dynSortKeys(x any) any {
	switch v := x.(type) {
	case *types.Bag:
		out := types.NewBag(v.Len())
		for _, k := range v.SortedKeys() {
			e, _ := v.Get(k)
			out.Set(k, dynSortKeys(e))
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = dynSortKeys(e)
		}
		return out
	}
	return x
}
