package builtins

// Conditional functions: iff/iif, case, coalesce, isnull/isnotnull,
// max_of/min_of.
//
// Result types follow Kusto.Language: iff and case yield the common type
// of their value arguments ignoring dynamic ones (a dynamic branch is then
// converted to that type, as tostring/tolong would); coalesce, max_of and
// min_of yield the common type of all arguments (dynamic wins). Numeric
// types mix by promotion; other mixes are errors.

import (
	"fmt"

	"hunt/kql/types"
)

func init() {
	iff := &Func{Name: "iff", Aliases: []string{"iif"}, Kind: Scalar, MinArgs: 3, MaxArgs: 3, Doc: "iff-function"}
	iff.Result = func(a []Arg) (types.Type, error) {
		if !coreBoolish(a[0].Type) {
			return types.Unknown, TypeError("iff", 0, "bool", a[0].Type)
		}
		return coreCommonType("iff", []types.Type{a[1].Type, a[2].Type}, true)
	}
	Register(iff)

	Register(&Func{Name: "case", Kind: Scalar, MinArgs: 3, MaxArgs: -1, Doc: "case-function",
		Result: func(a []Arg) (types.Type, error) {
			if len(a)%2 == 0 {
				return types.Unknown, fmt.Errorf("case() takes pairs of predicate and value followed by an else value, got %d arguments", len(a))
			}
			var vals []types.Type
			for i := 0; i+1 < len(a); i += 2 {
				if !coreBoolish(a[i].Type) {
					return types.Unknown, TypeError("case", i, "bool", a[i].Type)
				}
				vals = append(vals, a[i+1].Type)
			}
			vals = append(vals, a[len(a)-1].Type)
			return coreCommonType("case", vals, true)
		}})

	common := func(name string) func([]Arg) (types.Type, error) {
		return func(a []Arg) (types.Type, error) {
			ts := make([]types.Type, len(a))
			for i, x := range a {
				ts[i] = x.Type
			}
			return coreCommonType(name, ts, false)
		}
	}
	Register(&Func{Name: "coalesce", Kind: Scalar, MinArgs: 2, MaxArgs: 64, Doc: "coalesce-function", Result: common("coalesce")})
	for _, name := range []string{"max_of", "min_of"} {
		name := name
		inner := common(name)
		Register(&Func{Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 64, Doc: map[string]string{"max_of": "max-of-function", "min_of": "min-of-function"}[name],
			Result: func(a []Arg) (types.Type, error) {
				t, err := inner(a)
				if err == nil && (t == types.Dynamic || t == types.Guid) {
					return types.Unknown, fmt.Errorf("%s(): arguments must be orderable (numbers, strings, datetimes, timespans or bools), got %s", name, t)
				}
				return t, err
			}})
	}
	// assert(condition, message) fails the query when condition is false.
	Register(&Func{Name: "assert", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Doc: "assert-function",
		Result: Want(types.Bool, []types.Type{types.Bool}, Strs)("assert")})
	Register(&Func{Name: "isnull", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Doc: "isnull-function", Result: Fixed(types.Bool)})
	Register(&Func{Name: "isnotnull", Aliases: []string{"notnull"}, Kind: Scalar, MinArgs: 1, MaxArgs: 1, Doc: "isnotnull-function", Result: Fixed(types.Bool)})
}

// coreCommonType returns the type the values ts share: equal types, numeric
// types by promotion, untyped nulls adopt the others' type. With
// ignoreDynamic, dynamic values adopt the type of the non-dynamic ones
// (iff, case); otherwise a dynamic value makes the result dynamic.
func coreCommonType(fn string, ts []types.Type, ignoreDynamic bool) (types.Type, error) {
	res := types.Unknown
	sawDyn := false
	for _, t := range ts {
		switch {
		case t == types.Unknown:
			continue
		case t == types.Dynamic:
			sawDyn = true
			if ignoreDynamic {
				continue
			}
		}
		switch {
		case res == types.Unknown:
			res = t
		case res == t:
		case res == types.Dynamic || t == types.Dynamic:
			res = types.Dynamic
		case res.IsNumeric() && t.IsNumeric():
			res = types.Promote(res, t)
		default:
			return types.Unknown, fmt.Errorf("%s(): arguments must share a type, got %s and %s", fn, res, t)
		}
	}
	if res == types.Unknown && sawDyn {
		return types.Dynamic, nil
	}
	return res, nil
}
