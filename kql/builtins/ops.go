package builtins

// Operators: arithmetic, comparison, logical and between. Type rules follow
// the KQL reference (numerical-operators, datetime-timespan-arithmetic,
// between-operator, logical-operators) and, where the reference is silent,
// the operator signatures of Microsoft's open-source Kusto.Language.
//
// Decisions:
//   - int op int gives long: the numerical-operators page says "If both
//     operands are of integer types (int or long), the result will be of
//     type long", and Kusto.Language promotes the widest type to long.
//   - Comparing a string with a number (or any two unrelated types) is an
//     error, as in Kusto ("Cannot compare values of types string and long").
//     A guid may be compared with a string (the string is parsed).
//   - A dynamic operand is converted to the other operand's type.

import (
	"fmt"

	"hunt/kql/types"
)

func init() {
	for _, op := range []string{"+", "-", "*", "/", "%"} {
		op := op
		Register(&Func{Name: op, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Doc: "numerical-operators",
			Result: func(a []Arg) (types.Type, error) { return coreArithType(op, a[0].Type, a[1].Type) }})
	}
	Register(&Func{Name: "neg", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Doc: "numerical-operators",
		Result: func(a []Arg) (types.Type, error) {
			t := a[0].Type
			switch {
			case t == types.Int && !a[0].Const:
				// Kusto.Language: unary minus of a non-constant int is long.
				return types.Long, nil
			case t.IsNumeric(), t == types.Timespan, t == types.Dynamic, t == types.Unknown:
				return t, nil
			}
			return types.Unknown, fmt.Errorf("unary '-' cannot be applied to a %s value", t)
		}})
	for _, op := range []string{"==", "!=", "<", "<=", ">", ">="} {
		op := op
		Register(&Func{Name: op, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Doc: "logical-operators",
			Result: func(a []Arg) (types.Type, error) {
				if err := coreCheckComparable(op, a[0].Type, a[1].Type); err != nil {
					return types.Unknown, err
				}
				return types.Bool, nil
			}})
	}
	for _, op := range []string{"and", "or"} {
		op := op
		Register(&Func{Name: op, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Doc: "logical-operators",
			Result: func(a []Arg) (types.Type, error) {
				for _, x := range a {
					if !coreBoolish(x.Type) {
						return types.Unknown, fmt.Errorf("operator '%s' needs bool operands, got %s", op, x.Type)
					}
				}
				return types.Bool, nil
			}})
	}
	Register(&Func{Name: "not", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Doc: "not-function",
		Result: func(a []Arg) (types.Type, error) {
			if !coreBoolish(a[0].Type) {
				return types.Unknown, TypeError("not", 0, "bool", a[0].Type)
			}
			return types.Bool, nil
		}})
	for _, op := range []string{"between", "!between"} {
		op := op
		Register(&Func{Name: op, Kind: Scalar, MinArgs: 3, MaxArgs: 3, Doc: "between-operator",
			Result: func(a []Arg) (types.Type, error) {
				if err := coreCheckBetween(op, a[0].Type, a[1].Type, a[2].Type); err != nil {
					return types.Unknown, err
				}
				return types.Bool, nil
			}})
	}
}

func coreBoolish(t types.Type) bool {
	return t == types.Bool || t == types.Dynamic || t == types.Unknown
}

// coreWidest is the result of arithmetic on two numeric types: the wider
// one, with int promoted to long.
func coreWidest(a, b types.Type) types.Type {
	t := types.Promote(a, b)
	if t == types.Int {
		return types.Long
	}
	return t
}

func coreOpError(op string, a, b types.Type) error {
	return fmt.Errorf("operator '%s' cannot be applied to %s and %s", op, a, b)
}

// coreArithType returns the result type of a binary arithmetic operator.
func coreArithType(op string, a, b types.Type) (types.Type, error) {
	U, D := types.Unknown, types.Dynamic
	if a == U && b == U {
		return U, nil
	}
	if a == U || b == U {
		// An untyped null operand: the result is null of the type the
		// other operand suggests.
		k := a
		if k == U {
			k = b
		}
		switch {
		case k == types.Int:
			return types.Long, nil
		case k.IsNumeric(), k == types.Timespan, k == types.DateTime, k == D:
			return k, nil
		}
		return U, coreOpError(op, a, b)
	}
	num := func(t types.Type) bool { return t.IsNumeric() }
	if num(a) && num(b) {
		return coreWidest(a, b), nil
	}
	TS, DT := types.Timespan, types.DateTime
	if a == D || b == D {
		if a == D && b == D {
			return D, nil
		}
		o := a
		if o == D {
			o = b
		}
		switch {
		case o == types.Int:
			return types.Long, nil
		case num(o):
			return o, nil
		case (op == "+" || op == "-") && o == TS:
			return TS, nil
		case op == "+" && o == DT:
			return DT, nil
		case op == "-" && o == DT:
			return TS, nil
		case (op == "*" || op == "/" || op == "%") && o == TS:
			return TS, nil
		}
		return U, coreOpError(op, a, b)
	}
	switch op {
	case "+":
		switch {
		case a == TS && b == TS:
			return TS, nil
		case a == DT && b == TS, a == TS && b == DT:
			return DT, nil
		}
	case "-":
		switch {
		case a == TS && b == TS, a == DT && b == DT:
			return TS, nil
		case a == DT && b == TS:
			return DT, nil
		}
	case "*":
		if a == TS && num(b) || num(a) && b == TS {
			return TS, nil
		}
	case "/":
		switch {
		case a == TS && b == TS:
			return types.Real, nil
		case a == TS && num(b):
			return TS, nil
		}
	case "%":
		if a == TS && (b == TS || num(b)) {
			return TS, nil
		}
	}
	return U, coreOpError(op, a, b)
}

// coreComparable reports whether values of types a and b may be compared.
func coreComparable(a, b types.Type) bool {
	switch {
	case a == types.Unknown || b == types.Unknown, a == types.Dynamic || b == types.Dynamic:
		return true
	case a.IsNumeric() && b.IsNumeric():
		return true
	case a == b:
		return true
	case a == types.Guid && b == types.String, a == types.String && b == types.Guid:
		return true
	case a == types.String && (b.IsNumeric() || b == types.Bool), b == types.String && (a.IsNumeric() || a == types.Bool):
		// Kusto's analyzer accepts these (ResultType == 0 on a string
		// column is common in Sentinel rules); the kernel converts the
		// string side.
		return true
	case a == types.Bool && b.IsNumeric(), b == types.Bool && a.IsNumeric():
		return true
	}
	return false
}

func coreCheckComparable(op string, a, b types.Type) error {
	if !coreComparable(a, b) {
		return fmt.Errorf("cannot compare values of types %s and %s with '%s'; convert one side explicitly", a, b, op)
	}
	return nil
}

func coreCheckBetween(op string, v, lo, hi types.Type) error {
	U, D := types.Unknown, types.Dynamic
	ok := func(t types.Type, allowed ...types.Type) bool {
		if t == U || t == D {
			return true
		}
		for _, x := range allowed {
			if t == x {
				return true
			}
		}
		return false
	}
	numeric := []types.Type{types.Int, types.Long, types.Real, types.Decimal}
	switch {
	case v.IsNumeric():
		if ok(lo, numeric...) && ok(hi, numeric...) {
			return nil
		}
	case v == types.DateTime:
		if ok(lo, types.DateTime) && ok(hi, types.DateTime, types.Timespan) {
			return nil
		}
	case v == types.Timespan:
		if ok(lo, types.Timespan) && ok(hi, types.Timespan) {
			return nil
		}
	case v == U || v == D:
		all := append(append([]types.Type{}, numeric...), types.DateTime, types.Timespan)
		if ok(lo, all...) && ok(hi, all...) {
			return nil
		}
	}
	return fmt.Errorf("%s: cannot test a %s value against the range (%s .. %s)", op, v, lo, hi)
}
