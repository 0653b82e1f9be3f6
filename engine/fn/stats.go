package fn

// around(), the beta distribution (beta_cdf, beta_pdf, beta_inv) and
// welch_test().
//
// Decisions where the reference is silent or contradicts itself:
//   - beta_inv's notes say alpha or beta <= 0 gives null and a
//     probability outside (0, 1] gives NaN; its example table (the real
//     engine's output) shows the opposite, which hunt follows: NaN for a
//     bad alpha or beta, null for a bad probability.
//   - welch_test() gives the two-sided p-value, with the
//     Welch-Satterthwaite degrees of freedom (the page's example, from
//     Wikipedia, reads 0.021); counts below 2 or zero variances give NaN.

import (
	"math"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("around", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		ticks := false
		for _, a := range args {
			if a.Type == types.DateTime || a.Type == types.Timespan {
				ticks = true
			}
		}
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
			if ticks {
				xs := make([]*vec.Vec, 3)
				for k := range xs {
					xs[k] = a[k]
					if xs[k].Type.Physical() != types.PhysInt {
						xs[k] = convCast(xs[k], types.Long, n)
					}
				}
				v, ctr, d := xs[0], xs[1], xs[2]
				for i := 0; i < m; i++ {
					x, y, z := v.Ints[v.Row(i)], ctr.Ints[ctr.Row(i)], d.Ints[d.Row(i)]
					out.Bools[i] = x >= y-z && x <= y+z
				}
				coreOrNulls(out, m, v, ctr, d)
				return out, nil
			}
			v, ctr, d := convCast(a[0], types.Real, n), convCast(a[1], types.Real, n), convCast(a[2], types.Real, n)
			for i := 0; i < m; i++ {
				x, y, z := v.Reals[v.Row(i)], ctr.Reals[ctr.Row(i)], d.Reals[d.Row(i)]
				out.Bools[i] = x >= y-z && x <= y+z
			}
			coreOrNulls(out, m, v, ctr, d)
			return out, nil
		}, nil
	})
	RegisterScalar("beta_cdf", statsReal3(func(x, a, b float64) (float64, bool) {
		if x < 0 || x > 1 || !statsBetaParam(a) || !statsBetaParam(b) {
			return math.NaN(), true
		}
		return statsBetaInc(x, a, b), true
	}))
	RegisterScalar("beta_pdf", statsReal3(func(x, a, b float64) (float64, bool) {
		if x <= 0 || x >= 1 || !statsBetaParam(a) || !statsBetaParam(b) {
			return math.NaN(), true
		}
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return math.Exp((a-1)*math.Log(x) + (b-1)*math.Log1p(-x) + lab - la - lb), true
	}))
	RegisterScalar("beta_inv", statsReal3(func(p, a, b float64) (float64, bool) {
		if !statsBetaParam(a) || !statsBetaParam(b) {
			return math.NaN(), true
		}
		if !(p > 0 && p <= 1) {
			return 0, false
		}
		return statsBetaInv(p, a, b), true
	}))
	RegisterScalar("welch_test", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			xs := make([]*vec.Vec, len(a))
			for k := range a {
				xs[k] = convCast(a[k], types.Real, n)
			}
			m, c := coreRows(n, xs...)
			out := &vec.Vec{Type: types.Real, Const: c, Reals: make([]float64, m)}
			v := make([]float64, 6)
			for i := 0; i < m; i++ {
				for k := range v {
					v[k] = xs[k].Reals[xs[k].Row(i)]
				}
				out.Reals[i] = statsWelch(v[0], v[1], v[2], v[3], v[4], v[5])
			}
			coreOrNulls(out, m, xs...)
			return out, nil
		}, nil
	})
}

// statsReal3 builds a kernel of three real arguments; f returns ok=false
// for null.
func statsReal3(f func(x, y, z float64) (float64, bool)) ScalarFactory {
	k := Map3(RealAcc, RealAcc, RealAcc, RealAcc, types.Real, f)
	return func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return k(ctx, []*vec.Vec{convCast(a[0], types.Real, n), convCast(a[1], types.Real, n), convCast(a[2], types.Real, n)}, n)
		}, nil
	}
}

// statsBetaParam checks a shape parameter against the documented range
// (0, 10000].
func statsBetaParam(a float64) bool { return a > 0 && a <= 10000 }

// statsBetaInc is the regularized incomplete beta function I_x(a, b),
// evaluated with the continued fraction of the incomplete beta integral
// (modified Lentz's method), on whichever side of the mean converges
// fast.
func statsBetaInc(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * statsBetaCF(x, a, b) / a
	}
	return 1 - front*statsBetaCF(1-x, b, a)/b
}

// statsBetaCF evaluates the continued fraction
// 1/(1+ d1/(1+ d2/(1+ ...))) of the incomplete beta function, with
// d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d(2m) = m(b-m)x / ((a+2m-1)(a+2m)).
func statsBetaCF(x, a, b float64) float64 {
	const tiny = 1e-300
	const eps = 1e-16
	c := 1.0
	d := 1 - (a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 1000; m++ {
		fm := float64(m)
		// Even step.
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		// Odd step.
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := d * c
		h *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return h
}

// statsBetaInv finds x with I_x(a, b) = p by bisection: the CDF is
// monotone on [0, 1], and 200 halvings reach the last bit of a float64.
func statsBetaInv(p, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for k := 0; k < 200 && hi-lo > 0; k++ {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if statsBetaInc(mid, a, b) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// statsWelch is the two-sided p-value of Welch's t-test: the Student t
// distribution's tail, I_{df/(df+t²)}(df/2, 1/2).
func statsWelch(m1, v1, n1, m2, v2, n2 float64) float64 {
	if n1 < 2 || n2 < 2 {
		return math.NaN()
	}
	s1, s2 := v1/n1, v2/n2
	se := s1 + s2
	if !(se > 0) {
		return math.NaN()
	}
	t := (m1 - m2) / math.Sqrt(se)
	df := se * se / (s1*s1/(n1-1) + s2*s2/(n2-1))
	return statsBetaInc(df/(df+t*t), df/2, 0.5)
}
