package builtins

// Math and bitwise functions.

import (
	"strings"

	"hunt/kql/types"
)

func init() {
	num := AnyNumeric
	reg := func(name string, min, max int, result func([]Arg) (types.Type, error), aliases ...string) {
		Register(&Func{Name: name, Aliases: aliases, Kind: Scalar, MinArgs: min, MaxArgs: max, Doc: strings.ReplaceAll(name, "_", "-") + "-function", Result: result})
	}
	want := func(name string, res types.Type, allowed ...[]types.Type) func([]Arg) (types.Type, error) {
		return Want(res, allowed...)(name)
	}
	// Functions of one real argument with a real result.
	for _, n := range []string{"sqrt", "exp", "exp2", "exp10", "log", "log2", "log10", "sin", "cos", "tan",
		"asin", "acos", "atan", "cot", "degrees", "radians", "sign", "gamma", "loggamma", "erf", "erfc"} {
		reg(n, 1, 1, want(n, types.Real, num))
	}
	reg("pow", 2, 2, want("pow", types.Real, num, num))
	reg("atan2", 2, 2, want("atan2", types.Real, num, num))
	reg("pi", 0, 0, Fixed(types.Real))
	Register(&Func{Name: "rand", Kind: Scalar, MinArgs: 0, MaxArgs: 1, Volatile: true, Doc: "rand-function",
		Result: want("rand", types.Real, Integers)})
	for _, n := range []string{"isnan", "isinf", "isfinite"} {
		reg(n, 1, 1, want(n, types.Bool, num))
	}
	reg("abs", 1, 1, func(a []Arg) (types.Type, error) {
		switch t := a[0].Type; {
		case t == types.Int:
			return types.Long, nil
		case t.IsNumeric(), t == types.Timespan, t == types.Unknown:
			return t, nil
		}
		return types.Unknown, TypeError("abs", 0, "a number or timespan", a[0].Type)
	})
	reg("ceiling", 1, 1, func(a []Arg) (types.Type, error) {
		if t := a[0].Type; t.IsNumeric() || t == types.Unknown {
			return t, nil
		}
		return types.Unknown, TypeError("ceiling", 0, "a number", a[0].Type)
	})
	reg("round", 1, 2, func(a []Arg) (types.Type, error) {
		if t := a[0].Type; !t.IsNumeric() && t != types.Unknown {
			return types.Unknown, TypeError("round", 0, "a number", a[0].Type)
		}
		if len(a) == 2 && !a[1].Type.IsInteger() && a[1].Type != types.Unknown {
			return types.Unknown, TypeError("round", 1, "int or long", a[1].Type)
		}
		if a[0].Type == types.Unknown {
			return types.Real, nil
		}
		return a[0].Type, nil
	})
	for _, n := range []string{"binary_and", "binary_or", "binary_xor", "binary_shift_left", "binary_shift_right"} {
		reg(n, 2, 2, want(n, types.Long, Integers, Integers))
	}
	reg("binary_not", 1, 1, want("binary_not", types.Long, Integers))
	reg("bitset_count_ones", 1, 1, want("bitset_count_ones", types.Long, Integers))
}
