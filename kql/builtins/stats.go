package builtins

// around(), the beta distribution, welch_test() and the unit conversions
// (convert_angle, ..., convert_volume).

import "hunt/kql/types"

func init() {
	num := AnyNumeric
	reg := func(name string, min, max int, doc string, result func([]Arg) (types.Type, error)) {
		Register(&Func{Name: name, Kind: Scalar, MinArgs: min, MaxArgs: max, Doc: doc, Result: result})
	}
	Register(&Func{Name: "around", Kind: Scalar, MinArgs: 3, MaxArgs: 3, Doc: "around-function",
		Result: func(a []Arg) (types.Type, error) {
			ok := func(t types.Type) bool {
				return t.IsNumeric() || t == types.DateTime || t == types.Timespan || t == types.Unknown
			}
			for i, x := range a {
				if !ok(x.Type) {
					return types.Unknown, TypeError("around", i, "a number, datetime or timespan", x.Type)
				}
			}
			return types.Bool, nil
		}})
	for _, n := range []string{"beta_cdf", "beta_inv", "beta_pdf"} {
		reg(n, 3, 3, n[:4]+"-"+n[5:]+"-function", Want(types.Real, num, num, num)(n))
	}
	reg("welch_test", 6, 6, "welch-test-function", Want(types.Real, num, num, num, num, num, num)("welch_test"))
	for _, q := range []string{"angle", "energy", "force", "length", "mass", "speed", "temperature", "volume"} {
		n := "convert_" + q
		reg(n, 3, 3, "convert-"+q+"-function", strSig(n, types.Real, false, strPNum, strPStr, strPStr))
	}
}
