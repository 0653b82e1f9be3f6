package fn

// Shared machinery of the aggregate kernels (agg*.go): the multi-column
// interface, argument helpers, per-group value slots and the value hash
// used by dcount, hll, count_distinct and make_set.
//
// Every aggregate keeps the state of all groups of one summarize in
// slices indexed by the dense group id, so that Add is a tight loop with
// no per-row allocation for the common types.

import (
	"fmt"
	"math"
	"math/bits"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// MultiAgg is an aggregate with several output columns: arg_max and
// arg_min (the maximized expression, then each returned argument),
// take_any of several arguments (one column per argument), percentiles
// and percentilesw (one column per percent). Result returns the first
// column; Results returns all of them, in argument order.
type MultiAgg interface {
	Agg
	Results(n int) []*vec.Vec
}

// aggConstInt reads constant integer argument i of a call site, or def
// when the call has fewer arguments.
func aggConstInt(name string, args []builtins.Arg, i int, def int64) (int64, error) {
	if i >= len(args) {
		return def, nil
	}
	a := args[i]
	if !a.Const {
		return 0, Errorf("%s(): argument %d must be a constant", name, i+1)
	}
	switch v := a.Value.(type) {
	case int64:
		return v, nil
	case float64:
		if v == math.Trunc(v) {
			return int64(v), nil
		}
	case nil:
		return def, nil
	}
	return 0, Errorf("%s(): argument %d must be an integer", name, i+1)
}

// aggMaxSizeLimit is the documented upper bound (and default) of the
// maxSize argument of make_set, make_list and make_bag.
const aggMaxSizeLimit = 1048576

// aggMaxSize reads the optional maxSize argument at i.
func aggMaxSize(name string, args []builtins.Arg, i int, def int64) (int, error) {
	m, err := aggConstInt(name, args, i, def)
	if err != nil {
		return 0, err
	}
	if m <= 0 {
		return 0, Errorf("%s(): maxSize must be positive, got %d", name, m)
	}
	if m > aggMaxSizeLimit {
		m = aggMaxSizeLimit
	}
	return int(m), nil
}

// aggTrue reports whether row i of predicate p is true (null is false).
func aggTrue(p *vec.Vec, i int) bool {
	if p.Type != types.Bool || p.IsNull(i) {
		return false
	}
	return p.Bools[p.Row(i)]
}

// aggArgType returns the type of argument i, Unknown when absent.
func aggArgType(args []builtins.Arg, i int) types.Type {
	if i < len(args) {
		return args[i].Type
	}
	return types.Unknown
}

// aggGrowTo extends s with zero values to length n.
func aggGrowTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	c := 2 * cap(s)
	if c < n {
		c = n
	}
	out := make([]T, n, c)
	copy(out, s)
	return out
}

// aggRealLess orders reals with NaN below every number, as .NET's
// Double.CompareTo does (Kusto is written in C#); other types compare
// naturally.
func aggRealLess(a, b float64) bool {
	return a < b || (a != a && b == b)
}

// aggSlots keeps one value per group in a vector of the column's type,
// overwritten in place. arg_max, arg_min and take_any use it to remember
// whole rows without boxing.
type aggSlots struct {
	v        *vec.Vec
	strBytes int64 // text held by string slots
}

func newAggSlots(t types.Type) *aggSlots { return &aggSlots{v: vec.New(t, 0)} }

// grow appends nulls until there are n slots.
func (s *aggSlots) grow(n int) {
	for s.v.Len() < n {
		s.v.AppendNull()
	}
}

// set copies row i of src into slot g. A src of another physical type
// (an untyped null column) stores null.
func (s *aggSlots) set(g int, src *vec.Vec, i int) {
	v := s.v
	if src.IsNull(i) || src.Type.Physical() != v.Type.Physical() {
		if v.Type == types.String {
			s.strBytes -= int64(len(v.Strs[g]))
			v.Strs[g] = ""
			return
		}
		v.SetNull(g)
		return
	}
	r := src.Row(i)
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bools[g] = src.Bools[r]
	case types.PhysInt:
		v.Ints[g] = src.Ints[r]
	case types.PhysReal:
		v.Reals[g] = src.Reals[r]
	case types.PhysString:
		s.strBytes += int64(len(src.Strs[r]) - len(v.Strs[g]))
		v.Strs[g] = src.Strs[r]
		return
	case types.PhysGuid:
		v.Guids[g] = src.Guids[r]
	default:
		v.Dyns[g] = src.Dyns[r]
		return
	}
	v.Nulls.Clear(g)
}

// result returns the first n slots.
func (s *aggSlots) result(n int) *vec.Vec {
	s.grow(n)
	return s.v.Slice(0, n)
}

// bytes estimates the memory of the slots.
func (s *aggSlots) bytes() int64 {
	v := s.v
	return int64(cap(v.Bools)) + 8*int64(cap(v.Ints)+cap(v.Reals)) + 16*int64(cap(v.Strs)+cap(v.Guids)+cap(v.Dyns)) + 8*int64(cap(v.Nulls)) + s.strBytes
}

// aggCmpRow compares row i of src with slot g of s (both non-null, same
// physical type): -1, 0 or +1. Only orderable types are compared; others
// compare equal, so the first row seen is kept.
func aggCmpRow(src *vec.Vec, i int, s *aggSlots, g int) int {
	r := src.Row(i)
	v := s.v
	switch v.Type.Physical() {
	case types.PhysInt:
		return aggCmp3(src.Ints[r], v.Ints[g])
	case types.PhysReal:
		a, b := src.Reals[r], v.Reals[g]
		switch {
		case aggRealLess(a, b):
			return -1
		case aggRealLess(b, a):
			return 1
		}
		return 0
	case types.PhysString:
		return aggCmp3(src.Strs[r], v.Strs[g])
	case types.PhysBool:
		return aggCmp3(aggB2I(src.Bools[r]), aggB2I(v.Bools[g]))
	}
	return 0
}

func aggCmp3[T int64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func aggB2I(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// The value hash. It is deterministic (the same value hashes the same in
// every run and every worker, so partial states merge and hll sketches
// stay valid) and allocation-free for strings, numbers and guids.

const (
	aggPrime1 = 0x9E3779B97F4A7C15
	aggPrime2 = 0xC2B2AE3D27D4EB4F
	aggPrime3 = 0x165667B19E3779F9
)

// aggMix is a 64-bit finalizer (the splitmix64 output function): every
// input bit affects every output bit.
func aggMix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// aggHashMem hashes a string or byte slice, seeded.
func aggHashMem[S string | []byte](seed uint64, s S) uint64 {
	h := seed ^ (uint64(len(s)) * aggPrime1)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		h = bits.RotateLeft64(h^(w*aggPrime2), 31) * aggPrime1
	}
	if i < len(s) {
		var w uint64
		for k := 0; i+k < len(s); k++ {
			w |= uint64(s[i+k]) << (8 * k)
		}
		h = bits.RotateLeft64(h^(w*aggPrime3), 27) * aggPrime2
	}
	return aggMix(h)
}

// aggHashU64 hashes a 64-bit word, seeded.
func aggHashU64(seed, x uint64) uint64 {
	return aggMix((x ^ seed) * aggPrime1)
}

// aggRealBits normalizes a real for hashing and set keys: -0 equals 0
// and every NaN is one value.
func aggRealBits(f float64) uint64 {
	if f == 0 {
		return 0
	}
	if f != f {
		return 0x7FF8000000000001
	}
	return math.Float64bits(f)
}

// Seeds of the value kinds, so that equal bits of different kinds (a
// dynamic long 1 and a dynamic bool true, a string and a datetime with
// the same text) hash differently.
const (
	aggKindBool uint8 = iota + 1
	aggKindLong
	aggKindReal
	aggKindString
	aggKindDatetime
	aggKindTimespan
	aggKindGuid
	aggKindArray
	aggKindBag
)

func aggSeed(kind uint8) uint64 { return uint64(kind) * aggPrime3 }

// aggHasher hashes the rows of a column; buf is scratch space for the
// JSON text of dynamic arrays and bags.
type aggHasher struct {
	buf []byte
}

// row returns the hash of row i of v; ok is false for null. Strings are
// never null: "" is a value.
func (h *aggHasher) row(v *vec.Vec, i int) (uint64, bool) {
	if v.IsNull(i) {
		return 0, false
	}
	r := v.Row(i)
	switch v.Type {
	case types.String:
		return aggHashMem(aggSeed(aggKindString), v.Strs[r]), true
	case types.Int, types.Long:
		return aggHashU64(aggSeed(aggKindLong), uint64(v.Ints[r])), true
	case types.DateTime:
		return aggHashU64(aggSeed(aggKindDatetime), uint64(v.Ints[r])), true
	case types.Timespan:
		return aggHashU64(aggSeed(aggKindTimespan), uint64(v.Ints[r])), true
	case types.Real, types.Decimal:
		return aggHashU64(aggSeed(aggKindReal), aggRealBits(v.Reals[r])), true
	case types.Bool:
		return aggHashU64(aggSeed(aggKindBool), uint64(aggB2I(v.Bools[r]))), true
	case types.Guid:
		return h.guid(v.Guids[r]), true
	case types.Dynamic:
		return h.dyn(v.Dyns[r])
	}
	return 0, false
}

func (h *aggHasher) guid(g types.GuidVal) uint64 {
	lo := uint64(g[0]) | uint64(g[1])<<8 | uint64(g[2])<<16 | uint64(g[3])<<24 | uint64(g[4])<<32 | uint64(g[5])<<40 | uint64(g[6])<<48 | uint64(g[7])<<56
	hi := uint64(g[8]) | uint64(g[9])<<8 | uint64(g[10])<<16 | uint64(g[11])<<24 | uint64(g[12])<<32 | uint64(g[13])<<40 | uint64(g[14])<<48 | uint64(g[15])<<56
	return aggHashU64(aggHashU64(aggSeed(aggKindGuid), lo), hi)
}

// dyn hashes a dynamic value: scalars by kind and value (a dynamic string
// hashes like a string column), arrays and bags by their JSON text.
func (h *aggHasher) dyn(x any) (uint64, bool) {
	switch y := x.(type) {
	case nil:
		return 0, false
	case string:
		return aggHashMem(aggSeed(aggKindString), y), true
	case int64:
		return aggHashU64(aggSeed(aggKindLong), uint64(y)), true
	case float64:
		return aggHashU64(aggSeed(aggKindReal), aggRealBits(y)), true
	case bool:
		return aggHashU64(aggSeed(aggKindBool), uint64(aggB2I(y))), true
	case types.DT:
		return aggHashU64(aggSeed(aggKindDatetime), uint64(y)), true
	case types.TS:
		return aggHashU64(aggSeed(aggKindTimespan), uint64(y)), true
	case types.GuidVal:
		return h.guid(y), true
	case []any:
		h.buf = types.AppendJSON(h.buf[:0], y)
		return aggHashMem(aggSeed(aggKindArray), h.buf), true
	case *types.Bag:
		h.buf = types.AppendJSON(h.buf[:0], y)
		return aggHashMem(aggSeed(aggKindBag), h.buf), true
	}
	return 0, false
}

// aggWrongState reports a Merge of states built by different factories,
// a programming error of the executor.
func aggWrongState(a, b Agg) string {
	return fmt.Sprintf("fn: cannot merge aggregate state %T into %T", b, a)
}
