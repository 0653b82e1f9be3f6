package exec

import (
	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// convNames maps a column type to the function that converts text to it.
var convNames = map[types.Type]string{
	types.Int: "toint", types.Long: "tolong", types.Real: "todouble", types.Decimal: "todecimal",
	types.Bool: "tobool", types.DateTime: "todatetime", types.Timespan: "totimespan",
	types.Guid: "toguid", types.Dynamic: "parse_json",
}

// textConverter returns a kernel converting a string vector to type t
// with the engine's own conversion functions (null where the text does
// not convert), or nil for string columns.
func textConverter(t types.Type) (fn.Scalar, error) {
	name, ok := convNames[t]
	if !ok {
		return nil, nil
	}
	return fn.NewScalar(name, []builtins.Arg{{Type: types.String}}, t)
}

// convertText applies conv (from textConverter) to s.
func convertText(ctx *Context, conv fn.Scalar, s *vec.Vec, n int) (*vec.Vec, error) {
	if conv == nil {
		return s, nil
	}
	out, err := conv(&ctx.Fn, []*vec.Vec{s}, n)
	if err != nil {
		return nil, err
	}
	return out.Expand(n), nil
}
