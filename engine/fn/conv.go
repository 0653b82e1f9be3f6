package fn

// Conversion kernels (tostring, toint, tolong, todouble, todecimal, tobool,
// todatetime, totimespan, toguid, parse_json) and the conversion helpers
// every other kernel in this package uses to bring an argument to the type
// it needs (convCast).
//
// Decisions where the reference is silent:
//   - decimal is stored as float64 (the engine's physical type for it), so
//     todecimal is todouble with a decimal result type.
//   - tolong/toint/todouble of a datetime give .NET ticks (100 ns since
//     0001-01-01), as Kusto's datetime is .NET ticks; todatetime of a
//     number reads it the same way, so the two round-trip. tolong of a
//     timespan gives its ticks and totimespan of a number reads ticks.
//   - toint/tolong of a string accept an integer or a real (truncated);
//     toint of a value outside the 32-bit range is null.
//   - toint/tolong of a real truncate toward zero (documented); NaN and
//     infinities give null.
//   - tobool of a string accepts true/false in any case and integers
//     (non-zero is true); tobool of a number is "non-zero".
//   - new_guid gives a random (version 4) guid for every row.
//   - parse_json of an empty or all-white-space string is null (the
//     isnull page lists parse_json("") as null); a string that is not JSON
//     becomes a dynamic string holding the original text.

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// convNetEpoch is the .NET tick count of 1970-01-01 (ticks since
// 0001-01-01), the offset between hunt's datetime ticks and Kusto's.
const convNetEpoch int64 = 621355968000000000

func init() {
	for name, t := range map[string]types.Type{
		"tostring": types.String, "toint": types.Int, "tolong": types.Long, "todouble": types.Real,
		"todecimal": types.Decimal, "tobool": types.Bool, "todatetime": types.DateTime,
		"totimespan": types.Timespan, "toguid": types.Guid,
	} {
		t := t
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
				return convCast(args[0], t, n), nil
			}, nil
		})
	}
	RegisterScalar("parse_json", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return convParseJSONKernel, nil
	})
	RegisterScalar("gettype", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			v := a[0]
			m, c := convRows(v, n)
			out := &vec.Vec{Type: types.String, Const: c, Strs: make([]string, m)}
			for i := 0; i < m; i++ {
				out.Strs[i] = convTypeName(v, i)
			}
			return out, nil
		}, nil
	})
	// estimate_data_size: the page's example counts a long as 8 bytes and
	// a string as its length; hunt counts int 4, bool 1, guid and decimal
	// 16, other fixed-size types 8, a string its UTF-8 bytes, a dynamic
	// value its JSON text, and null 0.
	RegisterScalar("estimate_data_size", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := &vec.Vec{Type: types.Long, Const: c, Ints: make([]int64, m)}
			for i := 0; i < m; i++ {
				var size int64
				for _, v := range a {
					size += convDataSize(v, i)
				}
				out.Ints[i] = size
			}
			return out, nil
		}, nil
	})
	RegisterScalar("new_guid", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, _ []*vec.Vec, n int) (*vec.Vec, error) {
			out := &vec.Vec{Type: types.Guid, Guids: make([]types.GuidVal, n)}
			for i := range out.Guids {
				g := &out.Guids[i]
				binary.LittleEndian.PutUint64(g[:8], rand.Uint64())
				binary.LittleEndian.PutUint64(g[8:], rand.Uint64())
				g[6] = g[6]&0x0f | 0x40 // version 4
				g[8] = g[8]&0x3f | 0x80 // RFC 4122 variant
			}
			return out, nil
		}, nil
	})
}

// convTypeName is gettype() of stored row i of v: the column's type, or
// for dynamic values the type of the value held ("int" for integers that
// fit 32 bits, as Kusto reports JSON numbers; "array", "dictionary",
// "null").
func convTypeName(v *vec.Vec, i int) string {
	switch v.Type {
	case types.Unknown:
		return "null"
	case types.Dynamic:
		switch x := v.Dyns[i].(type) {
		case nil:
			return "null"
		case bool:
			return "bool"
		case int64:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				return "int"
			}
			return "long"
		case float64:
			return "real"
		case string:
			return "string"
		case types.DT:
			return "datetime"
		case types.TS:
			return "timespan"
		case types.GuidVal:
			return "guid"
		case []any:
			return "array"
		case *types.Bag:
			return "dictionary"
		}
		return "dynamic"
	}
	return v.Type.String()
}

// convRows returns how many values to compute for v: 1 when it is
// constant (the result is then constant too).
func convRows(v *vec.Vec, n int) (int, bool) {
	if v.Const {
		return 1, true
	}
	return n, false
}

// convNulls returns a vector of type t holding only nulls: m stored rows,
// constant when c.
func convNulls(t types.Type, m int, c bool) *vec.Vec {
	out := vec.New(t, m)
	for i := 0; i < m; i++ {
		out.AppendNull()
	}
	out.Const = c
	return out
}

// convRetype returns v viewed as type t (same physical values).
func convRetype(v *vec.Vec, t types.Type) *vec.Vec {
	w := *v
	w.Type = t
	return &w
}

// convCast converts v to type t with the semantics of the to*() functions
// (tostring, tolong, ...). A value that does not convert becomes null. For
// t == Dynamic the value is wrapped (a string stays a string; use
// parse_json to parse JSON text). Constant vectors stay constant.
func convCast(v *vec.Vec, t types.Type, n int) *vec.Vec {
	if v.Type == t {
		return v
	}
	m, c := convRows(v, n)
	if v.Type == types.Unknown || t == types.Unknown {
		return convNulls(t, m, c)
	}
	switch t {
	case types.String:
		return convToString(v, m, c)
	case types.Int, types.Long:
		return convToInt(v, t, m, c)
	case types.Real, types.Decimal:
		return convToReal(v, t, m, c)
	case types.Bool:
		return convToBool(v, m, c)
	case types.DateTime:
		return convToDatetime(v, m, c)
	case types.Timespan:
		return convToTimespan(v, m, c)
	case types.Guid:
		return convToGuid(v, m, c)
	case types.Dynamic:
		out := vec.New(t, m)
		for i := 0; i < m; i++ {
			out.Dyns = append(out.Dyns, v.Get(i))
		}
		out.Const = c
		return out
	}
	return convNulls(t, m, c)
}

// convFill computes m values with f, which returns the value of stored
// row i or ok=false for null; rows where v is null are null.
func convFill[T any](v *vec.Vec, m int, f func(i int) (T, bool)) ([]T, vec.Bitmap) {
	vals := make([]T, m)
	var nulls vec.Bitmap
	for i := 0; i < m; i++ {
		if v.IsNull(i) {
			nulls = nulls.Set(i)
			continue
		}
		x, ok := f(i)
		if !ok {
			nulls = nulls.Set(i)
			continue
		}
		vals[i] = x
	}
	return vals, nulls
}

// convFillInt builds an int-physical vector of type t from f (see convFill).
func convFillInt(v *vec.Vec, t types.Type, m int, c bool, f func(i int) (int64, bool)) *vec.Vec {
	vals, nulls := convFill(v, m, f)
	return &vec.Vec{Type: t, Const: c, Ints: vals, Nulls: nulls}
}

func convFillReal(v *vec.Vec, t types.Type, m int, c bool, f func(i int) (float64, bool)) *vec.Vec {
	vals, nulls := convFill(v, m, f)
	return &vec.Vec{Type: t, Const: c, Reals: vals, Nulls: nulls}
}

func convFillBool(v *vec.Vec, m int, c bool, f func(i int) (bool, bool)) *vec.Vec {
	vals, nulls := convFill(v, m, f)
	return &vec.Vec{Type: types.Bool, Const: c, Bools: vals, Nulls: nulls}
}

func convFillGuid(v *vec.Vec, m int, c bool, f func(i int) (types.GuidVal, bool)) *vec.Vec {
	vals, nulls := convFill(v, m, f)
	return &vec.Vec{Type: types.Guid, Const: c, Guids: vals, Nulls: nulls}
}

func convToString(v *vec.Vec, m int, c bool) *vec.Vec {
	out := &vec.Vec{Type: types.String, Const: c, Strs: make([]string, m)}
	for i := 0; i < m; i++ {
		if v.IsNull(i) {
			continue // tostring(null) is ""
		}
		switch v.Type {
		case types.Bool:
			if v.Bools[i] {
				out.Strs[i] = "true"
			} else {
				out.Strs[i] = "false"
			}
		case types.Int, types.Long:
			out.Strs[i] = strconv.FormatInt(v.Ints[i], 10)
		case types.Real, types.Decimal:
			out.Strs[i] = types.FormatReal(v.Reals[i])
		case types.DateTime:
			out.Strs[i] = types.FormatDatetime(v.Ints[i])
		case types.Timespan:
			out.Strs[i] = types.FormatTimespan(v.Ints[i])
		case types.Guid:
			out.Strs[i] = types.FormatGuid(v.Guids[i])
		case types.Dynamic:
			out.Strs[i] = types.DynString(v.Dyns[i])
		}
	}
	return out
}

func convToInt(v *vec.Vec, t types.Type, m int, c bool) *vec.Vec {
	fit := func(x int64, ok bool) (int64, bool) {
		if ok && t == types.Int && (x > math.MaxInt32 || x < math.MinInt32) {
			return 0, false
		}
		return x, ok
	}
	switch v.Type {
	case types.Int:
		return convRetype(v, t)
	case types.Long, types.Timespan:
		if t == types.Long {
			return convRetype(v, t)
		}
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return fit(v.Ints[i], true) })
	case types.DateTime:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return fit(v.Ints[i]+convNetEpoch, true) })
	case types.Real, types.Decimal:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return fit(convF2L(v.Reals[i])) })
	case types.Bool:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return convB2L(v.Bools[i]), true })
	case types.String:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return fit(convParseLong(v.Strs[i])) })
	case types.Dynamic:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return fit(convDynLong(v.Dyns[i])) })
	}
	return convNulls(t, m, c)
}

func convToReal(v *vec.Vec, t types.Type, m int, c bool) *vec.Vec {
	switch v.Type {
	case types.Real, types.Decimal:
		return convRetype(v, t)
	case types.Int, types.Long, types.Timespan:
		return convFillReal(v, t, m, c, func(i int) (float64, bool) { return float64(v.Ints[i]), true })
	case types.DateTime:
		return convFillReal(v, t, m, c, func(i int) (float64, bool) { return float64(v.Ints[i] + convNetEpoch), true })
	case types.Bool:
		return convFillReal(v, t, m, c, func(i int) (float64, bool) { return float64(convB2L(v.Bools[i])), true })
	case types.String:
		return convFillReal(v, t, m, c, func(i int) (float64, bool) { return convParseReal(v.Strs[i]) })
	case types.Dynamic:
		return convFillReal(v, t, m, c, func(i int) (float64, bool) { return convDynReal(v.Dyns[i]) })
	}
	return convNulls(t, m, c)
}

func convToBool(v *vec.Vec, m int, c bool) *vec.Vec {
	switch v.Type {
	case types.Int, types.Long:
		return convFillBool(v, m, c, func(i int) (bool, bool) { return v.Ints[i] != 0, true })
	case types.Real, types.Decimal:
		return convFillBool(v, m, c, func(i int) (bool, bool) { return convF2B(v.Reals[i]) })
	case types.String:
		return convFillBool(v, m, c, func(i int) (bool, bool) { return convParseBool(v.Strs[i]) })
	case types.Dynamic:
		return convFillBool(v, m, c, func(i int) (bool, bool) { return convDynBool(v.Dyns[i]) })
	}
	return convNulls(types.Bool, m, c)
}

func convToDatetime(v *vec.Vec, m int, c bool) *vec.Vec {
	t := types.DateTime
	switch v.Type {
	case types.String:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return types.ParseDatetime(v.Strs[i]) })
	case types.Int, types.Long:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return convNetToDT(v.Ints[i]) })
	case types.Real, types.Decimal:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) {
			x, ok := convF2L(v.Reals[i])
			if !ok {
				return 0, false
			}
			return convNetToDT(x)
		})
	case types.Dynamic:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return convDynDT(v.Dyns[i]) })
	}
	return convNulls(t, m, c)
}

func convToTimespan(v *vec.Vec, m int, c bool) *vec.Vec {
	t := types.Timespan
	switch v.Type {
	case types.String:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return types.ParseTimespan(v.Strs[i]) })
	case types.Int, types.Long:
		return convRetype(v, t)
	case types.Real, types.Decimal:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return convF2L(math.Round(v.Reals[i])) })
	case types.Dynamic:
		return convFillInt(v, t, m, c, func(i int) (int64, bool) { return convDynTS(v.Dyns[i]) })
	}
	return convNulls(t, m, c)
}

func convToGuid(v *vec.Vec, m int, c bool) *vec.Vec {
	switch v.Type {
	case types.String:
		return convFillGuid(v, m, c, func(i int) (types.GuidVal, bool) { return convParseGuid(v.Strs[i]) })
	case types.Dynamic:
		return convFillGuid(v, m, c, func(i int) (types.GuidVal, bool) { return convDynGuid(v.Dyns[i]) })
	}
	return convNulls(types.Guid, m, c)
}

// convParseJSONKernel is parse_json: JSON text becomes a dynamic value,
// other text a dynamic string, a dynamic value passes through.
func convParseJSONKernel(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
	v := args[0]
	m, c := convRows(v, n)
	switch v.Type {
	case types.Dynamic:
		return v, nil
	case types.String:
		out := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
		for i := 0; i < m; i++ {
			out.Dyns[i] = convParseJSONString(v.Strs[i])
		}
		return out, nil
	}
	return convCast(v, types.Dynamic, n), nil
}

// convParseJSONString is parse_json of one string.
func convParseJSONString(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	x, err := types.ParseJSON([]byte(s))
	if err != nil {
		return s
	}
	return x
}

// Scalar conversions of single values, shared by the kernels.

func convB2L(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// convF2L truncates a real to a long; NaN, infinities and values out of
// range give false.
func convF2L(f float64) (int64, bool) {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return 0, false
	}
	return int64(f), true
}

func convF2B(f float64) (bool, bool) {
	if math.IsNaN(f) {
		return false, false
	}
	return f != 0, true
}

// convNetToDT reads a long as .NET ticks and returns hunt datetime ticks,
// or false outside KQL's datetime range.
func convNetToDT(x int64) (int64, bool) {
	t := x - convNetEpoch
	if t < types.MinDatetime || t > types.MaxDatetime {
		return 0, false
	}
	return t, true
}

func convParseLong(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if x, err := strconv.ParseInt(s, 10, 64); err == nil {
		return x, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	return convF2L(f)
}

func convParseReal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "xX_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func convParseBool(s string) (bool, bool) {
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	if x, err := strconv.ParseInt(s, 10, 64); err == nil {
		return x != 0, true
	}
	return false, false
}

// convParseGuid reads a guid as toguid() does: the first 32 hex digits,
// skipping hyphens (and an opening brace); the rest is ignored.
func convParseGuid(s string) (types.GuidVal, bool) {
	var g types.GuidVal
	j := 0
	for i := 0; i < len(s) && j < 32; i++ {
		ch := s[i]
		var d byte
		switch {
		case ch >= '0' && ch <= '9':
			d = ch - '0'
		case ch >= 'a' && ch <= 'f':
			d = ch - 'a' + 10
		case ch >= 'A' && ch <= 'F':
			d = ch - 'A' + 10
		case ch == '-' || (ch == '{' && i == 0):
			continue
		default:
			return g, false
		}
		if j%2 == 0 {
			g[j/2] = d << 4
		} else {
			g[j/2] |= d
		}
		j++
	}
	return g, j == 32
}

func convDynLong(d any) (int64, bool) {
	switch x := d.(type) {
	case int64:
		return x, true
	case float64:
		return convF2L(x)
	case bool:
		return convB2L(x), true
	case string:
		return convParseLong(x)
	case types.DT:
		return int64(x) + convNetEpoch, true
	case types.TS:
		return int64(x), true
	}
	return 0, false
}

func convDynReal(d any) (float64, bool) {
	switch x := d.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		return float64(convB2L(x)), true
	case string:
		return convParseReal(x)
	case types.DT:
		return float64(int64(x) + convNetEpoch), true
	case types.TS:
		return float64(x), true
	}
	return 0, false
}

func convDynBool(d any) (bool, bool) {
	switch x := d.(type) {
	case bool:
		return x, true
	case int64:
		return x != 0, true
	case float64:
		return convF2B(x)
	case string:
		return convParseBool(x)
	}
	return false, false
}

func convDynDT(d any) (int64, bool) {
	switch x := d.(type) {
	case types.DT:
		return int64(x), true
	case string:
		return types.ParseDatetime(x)
	case int64:
		return convNetToDT(x)
	case float64:
		l, ok := convF2L(x)
		if !ok {
			return 0, false
		}
		return convNetToDT(l)
	}
	return 0, false
}

func convDynTS(d any) (int64, bool) {
	switch x := d.(type) {
	case types.TS:
		return int64(x), true
	case string:
		return types.ParseTimespan(x)
	case int64:
		return x, true
	case float64:
		return convF2L(math.Round(x))
	}
	return 0, false
}

func convDynGuid(d any) (types.GuidVal, bool) {
	switch x := d.(type) {
	case types.GuidVal:
		return x, true
	case string:
		return convParseGuid(x)
	}
	return types.GuidVal{}, false
}

// convDataSize is estimate_data_size() of row i of v.
func convDataSize(v *vec.Vec, i int) int64 {
	switch v.Type {
	case types.String:
		return int64(len(v.Strs[v.Row(i)]))
	case types.Unknown:
		return 0
	}
	if v.IsNull(i) {
		return 0
	}
	switch v.Type {
	case types.Int:
		return 4
	case types.Bool:
		return 1
	case types.Guid, types.Decimal:
		return 16
	case types.Dynamic:
		x := v.Dyns[v.Row(i)]
		if x == nil {
			return 0
		}
		return int64(len(types.AppendJSON(nil, x)))
	}
	return 8
}
