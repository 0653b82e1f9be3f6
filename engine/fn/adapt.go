package fn

import (
	"hunt/engine/vec"
	"hunt/kql/types"
)

// Acc reads and writes one Go representation of a column: it lets generic
// kernels (Map1, Map2, Map3) be written once for every physical type
// without boxing values.
type Acc[T any] struct {
	Get    func(v *vec.Vec, i int) T // i is a stored index (use v.Row)
	Append func(v *vec.Vec, x T)
}

// The accessors for each physical type.
var (
	BoolAcc = Acc[bool]{func(v *vec.Vec, i int) bool { return v.Bools[i] }, func(v *vec.Vec, x bool) { v.Bools = append(v.Bools, x) }}
	IntAcc  = Acc[int64]{func(v *vec.Vec, i int) int64 { return v.Ints[i] }, func(v *vec.Vec, x int64) { v.Ints = append(v.Ints, x) }}
	RealAcc = Acc[float64]{func(v *vec.Vec, i int) float64 { return v.Reals[i] }, func(v *vec.Vec, x float64) { v.Reals = append(v.Reals, x) }}
	StrAcc  = Acc[string]{func(v *vec.Vec, i int) string { return v.Strs[i] }, func(v *vec.Vec, x string) { v.Strs = append(v.Strs, x) }}
	GuidAcc = Acc[types.GuidVal]{func(v *vec.Vec, i int) types.GuidVal { return v.Guids[i] }, func(v *vec.Vec, x types.GuidVal) { v.Guids = append(v.Guids, x) }}
	DynAcc  = Acc[any]{func(v *vec.Vec, i int) any { return v.Dyns[i] }, func(v *vec.Vec, x any) { v.Dyns = append(v.Dyns, x) }}
)

// AllConst reports whether every argument is a constant vector.
func AllConst(args []*vec.Vec) bool {
	for _, a := range args {
		if !a.Const {
			return false
		}
	}
	return true
}

// rows returns how many rows to compute: 1 when every argument is
// constant (the result is then constant too).
func rows(args []*vec.Vec, n int) (int, bool) {
	if AllConst(args) {
		return 1, true
	}
	return n, false
}

// Map1 builds a kernel that applies f to each row of one argument. A null
// argument gives a null result without calling f (strings are never null);
// f returns ok=false to produce null.
func Map1[A, R any](a Acc[A], r Acc[R], rt types.Type, f func(A) (R, bool)) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		x := args[0]
		out := vec.New(rt, m)
		var zero R
		for i := 0; i < m; i++ {
			if x.IsNull(i) {
				r.Append(out, zero)
				out.SetNull(i)
				continue
			}
			v, ok := f(a.Get(x, x.Row(i)))
			r.Append(out, v)
			if !ok {
				out.SetNull(i)
			}
		}
		out.Const = c
		return out, nil
	}
}

// Map2 is Map1 for two arguments.
func Map2[A, B, R any](a Acc[A], b Acc[B], r Acc[R], rt types.Type, f func(A, B) (R, bool)) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		x, y := args[0], args[1]
		out := vec.New(rt, m)
		var zero R
		for i := 0; i < m; i++ {
			if x.IsNull(i) || y.IsNull(i) {
				r.Append(out, zero)
				out.SetNull(i)
				continue
			}
			v, ok := f(a.Get(x, x.Row(i)), b.Get(y, y.Row(i)))
			r.Append(out, v)
			if !ok {
				out.SetNull(i)
			}
		}
		out.Const = c
		return out, nil
	}
}

// Map3 is Map1 for three arguments.
func Map3[A, B, C, R any](a Acc[A], b Acc[B], cc Acc[C], r Acc[R], rt types.Type, f func(A, B, C) (R, bool)) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		x, y, z := args[0], args[1], args[2]
		out := vec.New(rt, m)
		var zero R
		for i := 0; i < m; i++ {
			if x.IsNull(i) || y.IsNull(i) || z.IsNull(i) {
				r.Append(out, zero)
				out.SetNull(i)
				continue
			}
			v, ok := f(a.Get(x, x.Row(i)), b.Get(y, y.Row(i)), cc.Get(z, z.Row(i)))
			r.Append(out, v)
			if !ok {
				out.SetNull(i)
			}
		}
		out.Const = c
		return out, nil
	}
}

// MapN builds a kernel over any number of arguments using boxed values
// (vec.Vec.Get). It is for rarely used, variadic or type-polymorphic
// functions; hot functions get typed kernels.
func MapN(rt types.Type, f func(vals []any) (any, error)) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(rt, m)
		vals := make([]any, len(args))
		for i := 0; i < m; i++ {
			for k, a := range args {
				vals[k] = a.Get(i)
			}
			v, err := f(vals)
			if err != nil {
				return nil, err
			}
			out.Append(v)
		}
		out.Const = c
		return out, nil
	}
}
