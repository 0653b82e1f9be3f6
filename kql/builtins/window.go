package builtins

// Window functions: their value depends on the rows before (or after) the
// current one, so they run over a serialized row set in row order. They
// are Volatile so that the analyzer never folds them into a constant.

import "hunt/kql/types"

func init() {
	win := func(name string, min, max int, result func([]Arg) (types.Type, error)) {
		Register(&Func{Name: name, Kind: Window, MinArgs: min, MaxArgs: max, Volatile: true, Doc: nameDoc(name), Result: result})
	}
	boolArg := func(fn string, a []Arg, i int) error {
		if i < len(a) && a[i].Type != types.Bool && a[i].Type != types.Unknown {
			return TypeError(fn, i, "bool", a[i].Type)
		}
		return nil
	}
	win("row_number", 0, 2, func(a []Arg) (types.Type, error) {
		if len(a) > 0 && !a[0].Type.IsInteger() && a[0].Type != types.Unknown {
			return types.Unknown, TypeError("row_number", 0, "int or long", a[0].Type)
		}
		return types.Long, boolArg("row_number", a, 1)
	})
	shift := func(name string) func([]Arg) (types.Type, error) {
		return func(a []Arg) (types.Type, error) {
			if len(a) > 1 && !a[1].Type.IsInteger() && a[1].Type != types.Unknown {
				return types.Unknown, TypeError(name, 1, "int or long", a[1].Type)
			}
			return a[0].Type, nil
		}
	}
	win("prev", 1, 3, shift("prev"))
	win("next", 1, 3, shift("next"))
	win("row_cumsum", 1, 2, func(a []Arg) (types.Type, error) {
		t := a[0].Type
		switch {
		case t.IsInteger():
			t = types.Long
		case t == types.Real, t == types.Decimal, t == types.Timespan:
		case t == types.Unknown:
			t = types.Long
		default:
			return types.Unknown, TypeError("row_cumsum", 0, "a number or timespan", t)
		}
		return t, boolArg("row_cumsum", a, 1)
	})
	for _, n := range []string{"row_rank_dense", "row_rank_min"} {
		n := n
		win(n, 1, 2, func(a []Arg) (types.Type, error) { return types.Long, boolArg(n, a, 1) })
	}
	win("row_window_session", 3, 4, func(a []Arg) (types.Type, error) {
		if a[0].Type != types.DateTime && a[0].Type != types.Unknown {
			return types.Unknown, TypeError("row_window_session", 0, "datetime", a[0].Type)
		}
		for i := 1; i < 3; i++ {
			if a[i].Type != types.Timespan && a[i].Type != types.Unknown {
				return types.Unknown, TypeError("row_window_session", i, "timespan", a[i].Type)
			}
		}
		return types.DateTime, boolArg("row_window_session", a, 3)
	})
}

func nameDoc(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	return string(b) + "-function"
}
