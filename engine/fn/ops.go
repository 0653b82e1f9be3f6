package fn

// Operator kernels: comparisons (== != < <= > >=), arithmetic (+ - * / %),
// unary minus (neg), and/or/not, between/!between.
//
// Null rules (KQL reference, null-values page, which has a worked example
// with outputs):
//   - arithmetic and ordering comparisons with a null operand give null;
//   - == with exactly one null operand gives false, != gives true; with
//     two null operands both give null (the null-values page; the
//     logical-operators page's table, which says false, contradicts it and
//     the null-values example output, so the example wins);
//   - and/or use three-valued logic: false and null = false, true or null =
//     true, otherwise a null operand gives null; not(null) is null.
//
// Other decisions:
//   - integer division or modulo by zero gives null (the reference is
//     silent; real division follows IEEE: 1.0/0 = +inf, 0.0/0 = NaN, as
//     the isinf/isnan examples show);
//   - modulo always gives a "small non-negative number" (documented):
//     0 <= n % d < abs(d), for integers and reals alike;
//   - timespan * real and timespan / real round to the nearest tick (ties
//     to even, as .NET's TimeSpan does);
//   - a dynamic operand is converted to the other operand's type (as
//     tolong/todouble/tostring/todatetime/totimespan would) and a value that
//     does not convert counts as null; two dynamic operands compare by their
//     underlying values (numbers numerically, strings ordinally, arrays and
//     bags by their JSON text for ==/!=; values of different kinds are
//     unequal and unordered).
//   - strings compare ordinally (byte-wise UTF-8), case-sensitively; a
//     dynamic null compared with a string counts as "" (as tostring()
//     gives, and as the string operators =~ and has treat it), so
//     RawEventData.Missing == "" is true.

import (
	"bytes"
	"math"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

type coreOp uint8

const (
	coreEQ coreOp = iota
	coreNE
	coreLT
	coreLE
	coreGT
	coreGE
)

func init() {
	for name, op := range map[string]coreOp{"==": coreEQ, "!=": coreNE, "<": coreLT, "<=": coreLE, ">": coreGT, ">=": coreGE} {
		op := op
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreCompare(op, a[0], a[1], n), nil }, nil
		})
	}
	for _, name := range []string{"+", "-", "*", "/", "%"} {
		op := name[0]
		RegisterScalar(name, func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreArith(op, rt, a[0], a[1], n), nil }, nil
		})
	}
	RegisterScalar("neg", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreNeg(rt, a[0], n), nil }, nil
	})
	RegisterScalar("and", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreLogic(true, a[0], a[1], n), nil }, nil
	})
	RegisterScalar("or", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return coreLogic(false, a[0], a[1], n), nil }, nil
	})
	RegisterScalar("not", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return coreNot, nil
	})
	RegisterScalar("between", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return coreBetween(false, a[0], a[1], a[2], n), nil
		}, nil
	})
	RegisterScalar("!between", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return coreBetween(true, a[0], a[1], a[2], n), nil
		}, nil
	})
}

// coreRows returns the number of values to compute for a result over vs:
// 1 and constant when every input is constant.
func coreRows(n int, vs ...*vec.Vec) (int, bool) {
	for _, v := range vs {
		if !v.Const {
			return n, false
		}
	}
	return 1, true
}

func coreIntPhys(t types.Type) bool {
	return t == types.Int || t == types.Long || t == types.DateTime || t == types.Timespan
}

// coreStride is 0 for a constant vector and 1 otherwise: stored index of
// row i is i*stride.
func coreStride(v *vec.Vec) int {
	if v.Const {
		return 0
	}
	return 1
}

// coreReals returns v's values as float64 (v must be numeric).
func coreReals(v *vec.Vec) []float64 {
	if v.Type.Physical() == types.PhysReal {
		return v.Reals
	}
	out := make([]float64, len(v.Ints))
	for i, x := range v.Ints {
		out[i] = float64(x)
	}
	return out
}

// coreOrNulls marks row i of out null wherever a row of one of vs is null.
func coreOrNulls(out *vec.Vec, m int, vs ...*vec.Vec) {
	for _, v := range vs {
		if v.Type == types.Unknown {
			for i := 0; i < m; i++ {
				out.Nulls = out.Nulls.Set(i)
			}
			return
		}
		if v.Nulls == nil || !v.Nulls.Any() {
			continue
		}
		if v.Const {
			for i := 0; i < m; i++ {
				out.Nulls = out.Nulls.Set(i)
			}
			continue
		}
		for i := 0; i < m; i++ {
			if v.Nulls.Get(i) {
				out.Nulls = out.Nulls.Set(i)
			}
		}
	}
}

// ---- comparisons ----

func coreCompare(op coreOp, x, y *vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, x, y)
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	xt, yt := x.Type, y.Type
	switch {
	case xt == types.Unknown || yt == types.Unknown || xt == types.Dynamic || yt == types.Dynamic:
		coreCmpGeneric(op, out, x, y, m)
		return out
	case coreIntPhys(xt) && coreIntPhys(yt):
		coreCmpOrdered(op, x.Ints, x.Const, y.Ints, y.Const, out.Bools)
	case xt.IsNumeric() && yt.IsNumeric():
		coreCmpOrdered(op, coreReals(x), x.Const, coreReals(y), y.Const, out.Bools)
	case xt == types.String && yt == types.String:
		coreCmpOrdered(op, x.Strs, x.Const, y.Strs, y.Const, out.Bools)
	case xt == types.Bool && yt == types.Bool:
		coreCmpOrdered(op, coreBoolInts(x), x.Const, coreBoolInts(y), y.Const, out.Bools)
	case xt == types.Guid && yt == types.Guid:
		coreCmpGuids(op, x, y, out.Bools)
	case xt == types.Guid && yt == types.String, xt == types.String && yt == types.Guid:
		return coreCompare(op, convCast(x, types.Guid, n), convCast(y, types.Guid, n), n)
	default:
		coreCmpGeneric(op, out, x, y, m)
		return out
	}
	if x.HasNulls() || y.HasNulls() {
		coreCmpFixNulls(op, out, x, y, m)
	}
	return out
}

func coreBoolInts(v *vec.Vec) []int64 {
	out := make([]int64, len(v.Bools))
	for i, b := range v.Bools {
		out[i] = convB2L(b)
	}
	return out
}

// coreCmpFixNulls applies the null rules after a typed comparison loop.
func coreCmpFixNulls(op coreOp, out, x, y *vec.Vec, m int) {
	for i := 0; i < m; i++ {
		xn, yn := x.IsNull(i), y.IsNull(i)
		if !xn && !yn {
			continue
		}
		switch {
		case op == coreEQ && xn != yn:
			out.Bools[i] = false
		case op == coreNE && xn != yn:
			out.Bools[i] = true
		default:
			out.Bools[i] = false
			out.Nulls = out.Nulls.Set(i)
		}
	}
}

// coreMirror returns the operator that gives the same result with the
// operands swapped (a < b is b > a; NaN stays unordered both ways).
func coreMirror(op coreOp) coreOp {
	switch op {
	case coreLT:
		return coreGT
	case coreLE:
		return coreGE
	case coreGT:
		return coreLT
	case coreGE:
		return coreLE
	}
	return op
}

// coreCmpOrdered compares a and b element-wise into out. A constant side
// has one element. NaN compares unequal and unordered, as in IEEE.
func coreCmpOrdered[T int64 | float64 | string](op coreOp, a []T, ac bool, b []T, bc bool, out []bool) {
	n := len(out)
	switch {
	case bc && !ac:
		bv := b[0]
		a = a[:n]
		switch op {
		case coreEQ:
			for i, x := range a {
				out[i] = x == bv
			}
		case coreNE:
			for i, x := range a {
				out[i] = x != bv
			}
		case coreLT:
			for i, x := range a {
				out[i] = x < bv
			}
		case coreLE:
			for i, x := range a {
				out[i] = x <= bv
			}
		case coreGT:
			for i, x := range a {
				out[i] = x > bv
			}
		case coreGE:
			for i, x := range a {
				out[i] = x >= bv
			}
		}
	case ac && !bc:
		// const op x is x mirror(op) const: one set of loops serves both.
		coreCmpOrdered(coreMirror(op), b, bc, a, ac, out)
	default:
		a, b = a[:n], b[:n]
		switch op {
		case coreEQ:
			for i := range out {
				out[i] = a[i] == b[i]
			}
		case coreNE:
			for i := range out {
				out[i] = a[i] != b[i]
			}
		case coreLT:
			for i := range out {
				out[i] = a[i] < b[i]
			}
		case coreLE:
			for i := range out {
				out[i] = a[i] <= b[i]
			}
		case coreGT:
			for i := range out {
				out[i] = a[i] > b[i]
			}
		case coreGE:
			for i := range out {
				out[i] = a[i] >= b[i]
			}
		}
	}
}

func coreCmpGuids(op coreOp, x, y *vec.Vec, out []bool) {
	xs, ys := coreStride(x), coreStride(y)
	for i := range out {
		c := bytes.Compare(x.Guids[i*xs][:], y.Guids[i*ys][:])
		out[i] = coreCmpResult(op, c)
	}
}

func coreCmpResult(op coreOp, c int) bool {
	switch op {
	case coreEQ:
		return c == 0
	case coreNE:
		return c != 0
	case coreLT:
		return c < 0
	case coreLE:
		return c <= 0
	case coreGT:
		return c > 0
	case coreGE:
		return c >= 0
	}
	return false
}

// coreKind classifies a value for the generic (dynamic) comparison and
// arithmetic paths.
type coreKind uint8

const (
	ckNull coreKind = iota
	ckBool
	ckLong
	ckReal
	ckStr
	ckDT
	ckTS
	ckGuid
	ckOther // array or bag
)

// coreVal is an unboxed scalar (or a boxed array/bag in o).
type coreVal struct {
	k coreKind
	i int64
	f float64
	s string
	g types.GuidVal
	o any
}

func coreValDyn(d any) coreVal {
	switch x := d.(type) {
	case nil:
		return coreVal{}
	case bool:
		return coreVal{k: ckBool, i: convB2L(x)}
	case int64:
		return coreVal{k: ckLong, i: x}
	case float64:
		return coreVal{k: ckReal, f: x}
	case string:
		return coreVal{k: ckStr, s: x}
	case types.DT:
		return coreVal{k: ckDT, i: int64(x)}
	case types.TS:
		return coreVal{k: ckTS, i: int64(x)}
	case types.GuidVal:
		return coreVal{k: ckGuid, g: x}
	}
	return coreVal{k: ckOther, o: d}
}

// coreValAt reads logical row i of v.
func coreValAt(v *vec.Vec, i int) coreVal {
	if v.IsNull(i) {
		return coreVal{}
	}
	r := v.Row(i)
	switch v.Type {
	case types.Bool:
		return coreVal{k: ckBool, i: convB2L(v.Bools[r])}
	case types.Int, types.Long:
		return coreVal{k: ckLong, i: v.Ints[r]}
	case types.Real, types.Decimal:
		return coreVal{k: ckReal, f: v.Reals[r]}
	case types.String:
		return coreVal{k: ckStr, s: v.Strs[r]}
	case types.DateTime:
		return coreVal{k: ckDT, i: v.Ints[r]}
	case types.Timespan:
		return coreVal{k: ckTS, i: v.Ints[r]}
	case types.Guid:
		return coreVal{k: ckGuid, g: v.Guids[r]}
	case types.Dynamic:
		return coreValDyn(v.Dyns[r])
	}
	return coreVal{}
}

func coreCmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// coreCmpFloat returns -1, 0, 1, or 2 when either side is NaN.
func coreCmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2
}

func coreNumeric(k coreKind) bool { return k == ckLong || k == ckReal }

func (v coreVal) real() float64 {
	if v.k == ckReal {
		return v.f
	}
	return float64(v.i)
}

// coreCmpVals compares a and b. aTyped/bTyped say whether the side comes
// from a typed (non-dynamic) column, whose type the other side converts
// to. ok=false means a side is (or converts to) null; c == 2 means the
// values are unequal and unordered.
func coreCmpVals(a, b coreVal, aTyped, bTyped bool) (c int, ok bool) {
	if a.k == ckNull || b.k == ckNull {
		return 0, false
	}
	if a.k == b.k {
		switch a.k {
		case ckBool, ckLong, ckDT, ckTS:
			return coreCmpInt(a.i, b.i), true
		case ckReal:
			return coreCmpFloat(a.f, b.f), true
		case ckStr:
			return strings.Compare(a.s, b.s), true
		case ckGuid:
			return bytes.Compare(a.g[:], b.g[:]), true
		case ckOther:
			if string(types.AppendJSON(nil, a.o)) == string(types.AppendJSON(nil, b.o)) {
				return 0, true
			}
			return 2, true
		}
	}
	if coreNumeric(a.k) && coreNumeric(b.k) {
		if a.k == ckLong && b.k == ckLong {
			return coreCmpInt(a.i, b.i), true
		}
		return coreCmpFloat(a.real(), b.real()), true
	}
	if aTyped == bTyped {
		// Both dynamic: different kinds are simply unequal.
		if !aTyped {
			return 2, true
		}
		// Both typed but of different kinds (ResultType == 0 with a string
		// ResultType, IsApplicable == 0 with a bool): Kusto's analyzer
		// accepts these; hunt converts the string or bool side the way a
		// dynamic value would be converted, so "0" == 0 and true == 1.
		switch {
		case a.k == ckBool && coreNumeric(b.k):
			return coreCmpFloat(float64(a.i), b.real()), true
		case b.k == ckBool && coreNumeric(a.k):
			return coreCmpFloat(a.real(), float64(b.i)), true
		case a.k == ckStr:
			return coreCmpVals(a, b, false, true)
		case b.k == ckStr:
			return coreCmpVals(a, b, true, false)
		}
		return 0, false
	}
	// Convert the dynamic side to the typed side's kind.
	if aTyped {
		c, ok := coreCmpVals(b, a, false, true)
		if c == -1 || c == 1 {
			c = -c
		}
		return c, ok
	}
	// a is dynamic, b typed.
	switch b.k {
	case ckStr:
		return strings.Compare(types.DynString(coreDynOf(a)), b.s), true
	case ckLong, ckReal:
		var f float64
		switch a.k {
		case ckStr:
			x, ok := convParseReal(a.s)
			if !ok {
				return 0, false
			}
			f = x
		case ckBool:
			f = float64(a.i)
		default:
			return 0, false
		}
		return coreCmpFloat(f, b.real()), true
	case ckBool:
		x, ok := convDynBool(coreDynOf(a))
		if !ok {
			return 0, false
		}
		return coreCmpInt(convB2L(x), b.i), true
	case ckDT:
		x, ok := convDynDT(coreDynOf(a))
		if !ok {
			return 0, false
		}
		return coreCmpInt(x, b.i), true
	case ckTS:
		x, ok := convDynTS(coreDynOf(a))
		if !ok {
			return 0, false
		}
		return coreCmpInt(x, b.i), true
	case ckGuid:
		x, ok := convDynGuid(coreDynOf(a))
		if !ok {
			return 0, false
		}
		return bytes.Compare(x[:], b.g[:]), true
	}
	return 0, false
}

// coreDynOf boxes a coreVal back into a dynamic value (slow paths only).
func coreDynOf(v coreVal) any {
	switch v.k {
	case ckBool:
		return v.i != 0
	case ckLong:
		return v.i
	case ckReal:
		return v.f
	case ckStr:
		return v.s
	case ckDT:
		return types.DT(v.i)
	case ckTS:
		return types.TS(v.i)
	case ckGuid:
		return v.g
	case ckOther:
		return v.o
	}
	return nil
}

// coreCmpGeneric compares row by row through coreVal: the path for
// dynamic and untyped-null operands. It allocates nothing per row unless a
// dynamic value must be rendered as text.
func coreCmpGeneric(op coreOp, out, x, y *vec.Vec, m int) {
	xTyped, yTyped := x.Type != types.Dynamic, y.Type != types.Dynamic
	var yc coreVal
	if y.Const {
		yc = coreValAt(y, 0)
	}
	for i := 0; i < m; i++ {
		a := coreValAt(x, i)
		b := yc
		if !y.Const {
			b = coreValAt(y, i)
		}
		// A dynamic null compared with a string converts like tostring():
		// to "" (strings have no null; =~ and has treat it the same way).
		if a.k == ckNull && !xTyped && y.Type == types.String {
			a = coreVal{k: ckStr}
		} else if b.k == ckNull && !yTyped && x.Type == types.String {
			b = coreVal{k: ckStr}
		}
		c, ok := coreCmpVals(a, b, xTyped, yTyped)
		var r, null bool
		switch {
		case ok && c == 2:
			r = op == coreNE
		case ok:
			r = coreCmpResult(op, c)
		case a.k == ckNull && b.k == ckNull:
			null = true
		case op == coreEQ:
			r = false
		case op == coreNE:
			r = true
		default:
			null = true
		}
		out.Bools[i] = r
		if null {
			out.Nulls = out.Nulls.Set(i)
		}
	}
}

// ---- arithmetic ----

// coreDynOperand returns the type a dynamic operand of op converts to when
// the other operand has type o (Unknown when there is none).
func coreDynOperand(op byte, o types.Type, dynLeft bool) types.Type {
	switch {
	case o == types.Int || o == types.Long:
		return types.Long
	case o == types.Real || o == types.Decimal:
		return o
	case o == types.Timespan:
		switch op {
		case '+', '-':
			return types.Timespan
		case '/', '%':
			if dynLeft {
				return types.Timespan
			}
		}
		return types.Real
	case o == types.DateTime:
		switch op {
		case '+':
			return types.Timespan
		case '-':
			return types.DateTime
		}
	}
	return types.Unknown
}

func coreArith(op byte, rt types.Type, x, y *vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, x, y)
	xt, yt := x.Type, y.Type
	if rt == types.Unknown || xt == types.Unknown || yt == types.Unknown {
		return convNulls(rt, m, c)
	}
	if xt == types.Dynamic || yt == types.Dynamic {
		if xt == yt {
			return coreArithDyn(op, x, y, m, c)
		}
		if xt == types.Dynamic {
			return coreArith(op, rt, convCast(x, coreDynOperand(op, yt, true), n), y, n)
		}
		return coreArith(op, rt, x, convCast(y, coreDynOperand(op, xt, false), n), n)
	}
	out := vec.New(rt, 0)
	out.Const = c
	xs, ys := coreStride(x), coreStride(y)
	switch {
	case rt.Physical() == types.PhysReal:
		var a, b []float64
		a, b = coreReals(x), coreReals(y)
		out.Reals = make([]float64, m)
		coreRealLoop(op, a, xs, b, ys, out.Reals)
	case rt == types.Timespan && (op == '*' || op == '/' || op == '%') &&
		(xt.Physical() == types.PhysReal || yt.Physical() == types.PhysReal):
		// timespan scaled by a real: compute in reals, round to ticks.
		a, b := coreReals(x), coreReals(y)
		tmp := make([]float64, m)
		coreRealLoop(op, a, xs, b, ys, tmp)
		out.Ints = make([]int64, m)
		for i, f := range tmp {
			t, ok := convF2L(math.RoundToEven(f))
			if !ok {
				out.Nulls = out.Nulls.Set(i)
				continue
			}
			out.Ints[i] = t
		}
	default:
		out.Ints = make([]int64, m)
		coreIntLoop(op, x.Ints, xs, y.Ints, ys, out)
	}
	coreOrNulls(out, m, x, y)
	if out.Type == types.DateTime {
		coreCheckDTRange(out)
	}
	return out
}

// coreCheckDTRange nulls datetimes outside KQL's range (years 1-9999).
func coreCheckDTRange(out *vec.Vec) {
	for i, t := range out.Ints {
		if t < types.MinDatetime || t > types.MaxDatetime {
			out.Nulls = out.Nulls.Set(i)
		}
	}
}

func coreIntLoop(op byte, a []int64, as int, b []int64, bs int, out *vec.Vec) {
	o := out.Ints
	switch op {
	case '+':
		for i := range o {
			o[i] = a[i*as] + b[i*bs]
		}
	case '-':
		for i := range o {
			o[i] = a[i*as] - b[i*bs]
		}
	case '*':
		for i := range o {
			o[i] = a[i*as] * b[i*bs]
		}
	case '/':
		for i := range o {
			d := b[i*bs]
			if d == 0 {
				out.Nulls = out.Nulls.Set(i)
				continue
			}
			o[i] = a[i*as] / d
		}
	case '%':
		for i := range o {
			d := b[i*bs]
			if d == 0 {
				out.Nulls = out.Nulls.Set(i)
				continue
			}
			o[i] = coreModInt(a[i*as], d)
		}
	}
}

// coreModInt is KQL's modulo: 0 <= result < abs(d).
func coreModInt(a, d int64) int64 {
	r := a % d
	if r < 0 {
		if d > 0 {
			r += d
		} else {
			r -= d
		}
	}
	return r
}

func coreModReal(a, d float64) float64 {
	r := math.Mod(a, d)
	if r < 0 {
		r += math.Abs(d)
	}
	return r
}

func coreRealLoop(op byte, a []float64, as int, b []float64, bs int, o []float64) {
	switch op {
	case '+':
		for i := range o {
			o[i] = a[i*as] + b[i*bs]
		}
	case '-':
		for i := range o {
			o[i] = a[i*as] - b[i*bs]
		}
	case '*':
		for i := range o {
			o[i] = a[i*as] * b[i*bs]
		}
	case '/':
		for i := range o {
			o[i] = a[i*as] / b[i*bs]
		}
	case '%':
		for i := range o {
			o[i] = coreModReal(a[i*as], b[i*bs])
		}
	}
}

// coreArithDyn computes op on two dynamic operands row by row; the result
// is dynamic (a long when both are longs, a real for other numbers, and
// datetime/timespan results by the typed rules).
func coreArithDyn(op byte, x, y *vec.Vec, m int, c bool) *vec.Vec {
	out := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
	for i := 0; i < m; i++ {
		out.Dyns[i] = coreArithVals(op, coreValAt(x, i), coreValAt(y, i))
	}
	return out
}

func coreArithVals(op byte, a, b coreVal) any {
	switch {
	case a.k == ckLong && b.k == ckLong:
		switch op {
		case '+':
			return a.i + b.i
		case '-':
			return a.i - b.i
		case '*':
			return a.i * b.i
		case '/':
			if b.i == 0 {
				return nil
			}
			return a.i / b.i
		case '%':
			if b.i == 0 {
				return nil
			}
			return coreModInt(a.i, b.i)
		}
	case coreNumeric(a.k) && coreNumeric(b.k):
		x, y := a.real(), b.real()
		switch op {
		case '+':
			return x + y
		case '-':
			return x - y
		case '*':
			return x * y
		case '/':
			return x / y
		case '%':
			return coreModReal(x, y)
		}
	case a.k == ckTS && b.k == ckTS:
		switch op {
		case '+':
			return types.TS(a.i + b.i)
		case '-':
			return types.TS(a.i - b.i)
		case '/':
			return float64(a.i) / float64(b.i)
		}
	case a.k == ckDT && b.k == ckTS && (op == '+' || op == '-'):
		if op == '+' {
			return types.DT(a.i + b.i)
		}
		return types.DT(a.i - b.i)
	case a.k == ckTS && b.k == ckDT && op == '+':
		return types.DT(a.i + b.i)
	case a.k == ckDT && b.k == ckDT && op == '-':
		return types.TS(a.i - b.i)
	}
	return nil
}

func coreNeg(rt types.Type, x *vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, x)
	switch x.Type.Physical() {
	case types.PhysInt:
		out := &vec.Vec{Type: rt, Const: c, Ints: make([]int64, m)}
		for i := range out.Ints {
			out.Ints[i] = -x.Ints[i]
		}
		coreOrNulls(out, m, x)
		return out
	case types.PhysReal:
		out := &vec.Vec{Type: rt, Const: c, Reals: make([]float64, m)}
		for i := range out.Reals {
			out.Reals[i] = -x.Reals[i]
		}
		coreOrNulls(out, m, x)
		return out
	case types.PhysDynamic:
		out := &vec.Vec{Type: types.Dynamic, Const: c, Dyns: make([]any, m)}
		for i := range out.Dyns {
			switch v := x.Dyns[i].(type) {
			case int64:
				out.Dyns[i] = -v
			case float64:
				out.Dyns[i] = -v
			case types.TS:
				out.Dyns[i] = -v
			}
		}
		return out
	}
	return convNulls(rt, m, c)
}

// ---- logic ----

// coreBoolArg brings a logical operand to a bool vector (dynamic values
// convert as tobool does; an untyped null is all null).
func coreBoolArg(v *vec.Vec, n int) *vec.Vec {
	if v.Type == types.Bool {
		return v
	}
	return convCast(v, types.Bool, n)
}

func coreLogic(isAnd bool, x, y *vec.Vec, n int) *vec.Vec {
	x, y = coreBoolArg(x, n), coreBoolArg(y, n)
	m, c := coreRows(n, x, y)
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	xs, ys := coreStride(x), coreStride(y)
	a, b := x.Bools, y.Bools
	if !x.HasNulls() && !y.HasNulls() {
		if isAnd {
			for i := range out.Bools {
				out.Bools[i] = a[i*xs] && b[i*ys]
			}
		} else {
			for i := range out.Bools {
				out.Bools[i] = a[i*xs] || b[i*ys]
			}
		}
		return out
	}
	for i := 0; i < m; i++ {
		xn, yn := x.IsNull(i), y.IsNull(i)
		av, bv := a[i*xs], b[i*ys]
		if isAnd {
			switch {
			case (!xn && !av) || (!yn && !bv):
				out.Bools[i] = false
			case xn || yn:
				out.Nulls = out.Nulls.Set(i)
			default:
				out.Bools[i] = true
			}
		} else {
			switch {
			case (!xn && av) || (!yn && bv):
				out.Bools[i] = true
			case xn || yn:
				out.Nulls = out.Nulls.Set(i)
			default:
				out.Bools[i] = false
			}
		}
	}
	return out
}

func coreNot(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
	x := coreBoolArg(args[0], n)
	m, c := coreRows(n, x)
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	for i := range out.Bools {
		out.Bools[i] = !x.Bools[i]
	}
	coreOrNulls(out, m, x)
	for i := range out.Bools {
		if out.Nulls.Get(i) {
			out.Bools[i] = false
		}
	}
	return out, nil
}

// ---- between ----

// coreBetween tests lo <= v <= hi (inclusive). When v is a datetime, hi
// may be a timespan: the range is then lo .. lo+hi.
func coreBetween(negate bool, v, lo, hi *vec.Vec, n int) *vec.Vec {
	m, c := coreRows(n, v, lo, hi)
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	if v.Type == types.Unknown || lo.Type == types.Unknown || hi.Type == types.Unknown {
		coreOrNulls(out, m, v)
		for i := 0; i < m; i++ {
			out.Nulls = out.Nulls.Set(i)
		}
		return out
	}
	// Bring a dynamic value (or bound) to the type of the others.
	target := types.Unknown
	for _, t := range []types.Type{lo.Type, v.Type, hi.Type} {
		if t != types.Dynamic {
			target = t
			break
		}
	}
	switch {
	case target == types.Unknown:
		target = types.Real
	case target.IsNumeric():
		target = types.Real
		if coreIntPhys(v.Type) && coreIntPhys(lo.Type) && coreIntPhys(hi.Type) {
			target = types.Long
		}
	}
	if v.Type == types.Dynamic {
		v = convCast(v, target, n)
	}
	if lo.Type == types.Dynamic {
		lo = convCast(lo, target, n)
	}
	spanHi := v.Type == types.DateTime && hi.Type == types.Timespan
	if hi.Type == types.Dynamic {
		hi = convCast(hi, target, n)
	}
	vs, ls, hs := coreStride(v), coreStride(lo), coreStride(hi)
	if coreIntPhys(v.Type) && coreIntPhys(lo.Type) && coreIntPhys(hi.Type) {
		a, l, h := v.Ints, lo.Ints, hi.Ints
		for i := range out.Bools {
			lv, hv := l[i*ls], h[i*hs]
			if spanHi {
				hv += lv
			}
			x := a[i*vs]
			out.Bools[i] = (x >= lv && x <= hv) != negate
		}
	} else {
		a, l, h := coreReals(convCast(v, types.Real, n)), coreReals(convCast(lo, types.Real, n)), coreReals(convCast(hi, types.Real, n))
		for i := range out.Bools {
			x := a[i*vs]
			out.Bools[i] = (x >= l[i*ls] && x <= h[i*hs]) != negate
		}
	}
	coreOrNulls(out, m, v, lo, hi)
	for i := range out.Bools {
		if out.Nulls.Get(i) {
			out.Bools[i] = false
		}
	}
	return out
}
