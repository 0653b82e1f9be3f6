package fn

// Math and bitwise kernels.
//
// Decisions where the reference is silent:
//   - sqrt, log, log2 and log10 of a negative number give null
//     (documented); of zero they give -inf/0 as IEEE does.
//   - round() rounds half away from zero on the decimal value the number
//     prints as (round(2.15, 1) = 2.2, as documented, although 2.15 is
//     stored as 2.1499999...); a negative precision rounds to tens,
//     hundreds, ...
//   - isnan/isinf/isfinite of null are false ("true if ..., false
//     otherwise"); of an integer: false, false, true.
//   - binary_shift_left/right shift by (n % 64); a negative n gives null
//     (documented); shift right is arithmetic (sign-extending).
//   - rand() gives a new value for every row, even when its arguments are
//     constant.

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	unary := map[string]func(float64) (float64, bool){
		"sqrt":     func(x float64) (float64, bool) { return math.Sqrt(x), !(x < 0) },
		"exp":      func(x float64) (float64, bool) { return math.Exp(x), true },
		"exp2":     func(x float64) (float64, bool) { return math.Exp2(x), true },
		"exp10":    func(x float64) (float64, bool) { return math.Pow(10, x), true },
		"log":      func(x float64) (float64, bool) { return math.Log(x), !(x < 0) },
		"log2":     func(x float64) (float64, bool) { return math.Log2(x), !(x < 0) },
		"log10":    func(x float64) (float64, bool) { return math.Log10(x), !(x < 0) },
		"sin":      func(x float64) (float64, bool) { return math.Sin(x), true },
		"cos":      func(x float64) (float64, bool) { return math.Cos(x), true },
		"tan":      func(x float64) (float64, bool) { return math.Tan(x), true },
		"asin":     func(x float64) (float64, bool) { return math.Asin(x), true },
		"acos":     func(x float64) (float64, bool) { return math.Acos(x), true },
		"atan":     func(x float64) (float64, bool) { return math.Atan(x), true },
		"cot":      func(x float64) (float64, bool) { return 1 / math.Tan(x), true },
		"degrees":  func(x float64) (float64, bool) { return x * 180 / math.Pi, true },
		"radians":  func(x float64) (float64, bool) { return x * math.Pi / 180, true },
		"gamma":    func(x float64) (float64, bool) { return math.Gamma(x), true },
		"loggamma": func(x float64) (float64, bool) { l, _ := math.Lgamma(x); return l, true },
		"erf":      func(x float64) (float64, bool) { return math.Erf(x), true },
		"erfc":     func(x float64) (float64, bool) { return math.Erfc(x), true },
		"sign": func(x float64) (float64, bool) {
			switch {
			case x > 0:
				return 1, true
			case x < 0:
				return -1, true
			}
			return x, true // 0 or NaN
		},
	}
	for name, f := range unary {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			k := Map1(RealAcc, RealAcc, types.Real, f)
			return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				return k(ctx, []*vec.Vec{convCast(a[0], types.Real, n)}, n)
			}, nil
		})
	}
	binary := map[string]func(float64, float64) (float64, bool){
		"pow":   func(x, y float64) (float64, bool) { return math.Pow(x, y), true },
		"atan2": func(y, x float64) (float64, bool) { return math.Atan2(y, x), true },
	}
	for name, f := range binary {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			k := Map2(RealAcc, RealAcc, RealAcc, types.Real, f)
			return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				return k(ctx, []*vec.Vec{convCast(a[0], types.Real, n), convCast(a[1], types.Real, n)}, n)
			}, nil
		})
	}
	RegisterScalar("pi", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, _ []*vec.Vec, _ int) (*vec.Vec, error) { return vec.Constant(types.Real, math.Pi), nil }, nil
	})
	RegisterScalar("rand", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return mathRand, nil
	})
	for name, f := range map[string]func(float64) bool{
		"isnan":    math.IsNaN,
		"isinf":    func(x float64) bool { return math.IsInf(x, 0) },
		"isfinite": func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) },
	} {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				x := convCast(a[0], types.Real, n)
				m, c := convRows(x, n)
				out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
				for i := 0; i < m; i++ {
					out.Bools[i] = !x.IsNull(i) && f(x.Reals[i])
				}
				return out, nil
			}, nil
		})
	}
	RegisterScalar("abs", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return mathMapNum(rt, a[0], n,
				func(x int64) (int64, bool) {
					if x < 0 {
						return -x, true
					}
					return x, true
				},
				func(x float64) (float64, bool) { return math.Abs(x), true }), nil
		}, nil
	})
	RegisterScalar("ceiling", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return mathMapNum(rt, a[0], n,
				func(x int64) (int64, bool) { return x, true },
				func(x float64) (float64, bool) { return math.Ceil(x), true }), nil
		}, nil
	})
	RegisterScalar("round", func(args []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			if len(a) == 1 {
				return mathMapNum(rt, a[0], n,
					func(x int64) (int64, bool) { return x, true },
					func(x float64) (float64, bool) { return mathRound(x, 0), true }), nil
			}
			x, p := a[0], convCast(a[1], types.Long, n)
			if rt == types.Unknown {
				rt = types.Real
			}
			m, c := coreRows(n, x, p)
			out := vec.New(rt, m)
			out.Const = c
			xv := convCast(x, rt, n)
			for i := 0; i < m; i++ {
				if xv.IsNull(i) || p.IsNull(i) {
					out.AppendNull()
					continue
				}
				prec := p.Ints[p.Row(i)]
				if rt.Physical() == types.PhysReal {
					out.Reals = append(out.Reals, mathRound(xv.Reals[xv.Row(i)], prec))
				} else {
					out.Ints = append(out.Ints, mathRoundInt(xv.Ints[xv.Row(i)], prec))
				}
			}
			return out, nil
		}, nil
	})
	bin2 := map[string]func(a, b int64) (int64, bool){
		"binary_and": func(a, b int64) (int64, bool) { return a & b, true },
		"binary_or":  func(a, b int64) (int64, bool) { return a | b, true },
		"binary_xor": func(a, b int64) (int64, bool) { return a ^ b, true },
		"binary_shift_left": func(a, b int64) (int64, bool) {
			if b < 0 {
				return 0, false
			}
			return a << uint(b%64), true
		},
		"binary_shift_right": func(a, b int64) (int64, bool) {
			if b < 0 {
				return 0, false
			}
			return a >> uint(b%64), true
		},
	}
	for name, f := range bin2 {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			k := Map2(IntAcc, IntAcc, IntAcc, types.Long, f)
			return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				return k(ctx, []*vec.Vec{convCast(a[0], types.Long, n), convCast(a[1], types.Long, n)}, n)
			}, nil
		})
	}
	for name, f := range map[string]func(int64) (int64, bool){
		"binary_not":        func(a int64) (int64, bool) { return ^a, true },
		"bitset_count_ones": func(a int64) (int64, bool) { return int64(bits.OnesCount64(uint64(a))), true },
	} {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			k := Map1(IntAcc, IntAcc, types.Long, f)
			return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				return k(ctx, []*vec.Vec{convCast(a[0], types.Long, n)}, n)
			}, nil
		})
	}
}

// mathMapNum applies fi to int-physical values (int, long, timespan) and
// fr to reals, producing type rt.
func mathMapNum(rt types.Type, x *vec.Vec, n int, fi func(int64) (int64, bool), fr func(float64) (float64, bool)) *vec.Vec {
	if rt == types.Unknown || x.Type == types.Unknown {
		m, c := convRows(x, n)
		return convNulls(rt, m, c)
	}
	x = convCast(x, rt, n)
	var out *vec.Vec
	if rt.Physical() == types.PhysReal {
		out, _ = Map1(RealAcc, RealAcc, rt, fr)(nil, []*vec.Vec{x}, n)
	} else {
		out, _ = Map1(IntAcc, IntAcc, rt, fi)(nil, []*vec.Vec{x}, n)
	}
	return out
}

// mathRound rounds x to p decimal digits, half away from zero, on the
// shortest decimal representation of x.
func mathRound(x float64, p int64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	if p < 0 {
		if p < -308 {
			return 0
		}
		s := math.Pow(10, float64(-p))
		return mathRound(x/s, 0) * s
	}
	if p > 15 {
		return x
	}
	// Work on the decimal text so that 2.15 rounds like the 2.15 a
	// person reads, not like the binary value 2.14999...
	txt := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	dot := -1
	for i := 0; i < len(txt); i++ {
		if txt[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 || len(txt)-dot-1 <= int(p) {
		return x
	}
	keep := txt[:dot+1+int(p)]
	up := txt[dot+1+int(p)] >= '5'
	r, err := strconv.ParseFloat(keep, 64)
	if err != nil {
		return math.Round(x)
	}
	if up {
		r += math.Pow(10, -float64(p))
		// Re-round through text to drop the binary noise of the addition.
		r, _ = strconv.ParseFloat(strconv.FormatFloat(r, 'f', int(p), 64), 64)
	}
	if x < 0 {
		return -r
	}
	return r
}

// mathRoundInt rounds an integer to p decimal digits (only negative p
// changes it), half away from zero.
func mathRoundInt(x, p int64) int64 {
	if p >= 0 {
		return x
	}
	if p < -18 {
		return 0
	}
	s := int64(1)
	for k := int64(0); k < -p; k++ {
		s *= 10
	}
	q, r := x/s, x%s
	if r < 0 {
		r = -r
	}
	if 2*r >= s {
		if x < 0 {
			q--
		} else {
			q++
		}
	}
	return q * s
}

func mathRand(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
	out := &vec.Vec{Type: types.Real, Reals: make([]float64, n)}
	if len(args) == 0 {
		for i := range out.Reals {
			out.Reals[i] = rand.Float64()
		}
		return out, nil
	}
	lim := convCast(args[0], types.Long, n)
	for i := range out.Reals {
		if lim.IsNull(i) || lim.Ints[lim.Row(i)] <= 0 {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		out.Reals[i] = float64(rand.Int64N(lim.Ints[lim.Row(i)]))
	}
	return out, nil
}
