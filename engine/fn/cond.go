package fn

// Conditional kernels: iff/iif, case, coalesce, max_of, min_of, isnull,
// isnotnull.
//
// Decisions:
//   - a null predicate in iff/case counts as false (the else branch), as
//     where treats null (logical-operators-5: iff(bool(null) and true, ...)
//     gives the else value);
//   - every value argument is first converted to the call's result type
//     (a dynamic branch as tostring/tolong/... would convert it);
//   - coalesce skips nulls and, for strings, empty strings (documented);
//     max_of/min_of ignore nulls (documented: non-null values take
//     precedence) and give null only when every argument is null;
//   - isnull of a string is always false (strings have no null).

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("iff", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreCase(rt, a, n), nil }, nil
	})
	RegisterScalar("case", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreCase(rt, a, n), nil }, nil
	})
	RegisterScalar("coalesce", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreCoalesce(rt, a, n), nil }, nil
	})
	RegisterScalar("max_of", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreExtreme(rt, true, a, n), nil }, nil
	})
	RegisterScalar("min_of", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreExtreme(rt, false, a, n), nil }, nil
	})
	// assert: Kusto checks it while analyzing, with constant arguments;
	// hunt folds constant calls then too, and checks every row otherwise.
	RegisterScalar("assert", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
			for i := 0; i < m; i++ {
				if a[0].Type == types.Bool && !a[0].IsNull(i) && !a[0].Bools[a[0].Row(i)] {
					return nil, Errorf("assert() has failed with message: '%s'", strText(a[1], i))
				}
				out.Bools[i] = true
			}
			return out, nil
		}, nil
	})
	RegisterScalar("isnull", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreIsNull(a[0], n, false), nil }, nil
	})
	RegisterScalar("isnotnull", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreIsNull(a[0], n, true), nil }, nil
	})
}

// coreCase evaluates case(p1, v1, ..., else); iff is case with one pair.
func coreCase(rt types.Type, args []*vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, args...)
	np := len(args) / 2
	preds := make([]*vec.Vec, np)
	vals := make([]*vec.Vec, np+1)
	for k := 0; k < np; k++ {
		preds[k] = coreBoolArg(args[2*k], n)
		vals[k] = convCast(args[2*k+1], rt, n)
	}
	vals[np] = convCast(args[len(args)-1], rt, n)
	out := vec.New(rt, m)
	out.Const = c
	for i := 0; i < m; i++ {
		pick := vals[np]
		for k, p := range preds {
			if !p.IsNull(i) && p.Bools[p.Row(i)] {
				pick = vals[k]
				break
			}
		}
		out.AppendFrom(pick, i)
	}
	return out
}

func coreCoalesce(rt types.Type, args []*vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, args...)
	vals := make([]*vec.Vec, len(args))
	for k, a := range args {
		vals[k] = convCast(a, rt, n)
	}
	out := vec.New(rt, m)
	out.Const = c
	for i := 0; i < m; i++ {
		var pick *vec.Vec
		for _, v := range vals {
			if v.IsNull(i) || (rt == types.String && v.Strs[v.Row(i)] == "") {
				continue
			}
			pick = v
			break
		}
		if pick == nil {
			out.AppendNull()
			continue
		}
		out.AppendFrom(pick, i)
	}
	return out
}

func coreExtreme(rt types.Type, max bool, args []*vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, args...)
	vals := make([]*vec.Vec, len(args))
	for k, a := range args {
		vals[k] = convCast(a, rt, n)
	}
	out := vec.New(rt, m)
	out.Const = c
	for i := 0; i < m; i++ {
		var best *vec.Vec
		var bv coreVal
		for _, v := range vals {
			if v.IsNull(i) {
				continue
			}
			x := coreValAt(v, i)
			if best == nil {
				best, bv = v, x
				continue
			}
			cmp, ok := coreCmpVals(x, bv, true, true)
			if ok && cmp != 2 && ((max && cmp > 0) || (!max && cmp < 0)) {
				best, bv = v, x
			}
		}
		if best == nil {
			out.AppendNull()
			continue
		}
		out.AppendFrom(best, i)
	}
	return out
}

func coreIsNull(v *vec.Vec, n int, not bool) *vec.Vec {
	m, c := coreRows(n, v)
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	for i := 0; i < m; i++ {
		null := v.Type == types.Unknown || (v.Type != types.String && v.IsNull(i))
		out.Bools[i] = null != not
	}
	return out
}
