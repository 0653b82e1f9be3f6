package fn

// Kernels of the series functions. A series is a dynamic array; its
// numeric elements are read as float64, and null or non-numeric elements
// are missing values (NaN internally, null in the output).

import (
	"math"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// series reads a dynamic value as a series; ok is false when it is not an
// array.
func series(v any) ([]float64, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]float64, len(arr))
	for i, e := range arr {
		out[i] = elemNum(e)
	}
	return out, true
}

func elemNum(e any) float64 {
	switch x := e.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// toArray makes a dynamic array of xs, NaN as null.
func toArray(xs []float64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		if !math.IsNaN(x) {
			out[i] = x
		}
	}
	return out
}

// rowWise builds a kernel applying f to each row's boxed arguments.
func rowWise(rt types.Type, f func(args []any) any) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(rt, m)
		vals := make([]any, len(args))
		for i := 0; i < m; i++ {
			for k, a := range args {
				vals[k] = a.Get(i)
			}
			out.Append(f(vals))
		}
		out.Const = c
		return out, nil
	}
}

func init() {
	unary := map[string]func(float64) float64{
		"series_abs": math.Abs, "series_acos": math.Acos, "series_asin": math.Asin, "series_atan": math.Atan,
		"series_ceiling": math.Ceil, "series_cos": math.Cos, "series_exp": math.Exp, "series_floor": math.Floor,
		"series_log": math.Log, "series_sin": math.Sin, "series_sqrt": math.Sqrt, "series_tan": math.Tan,
		"series_sign": func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return 0
		},
	}
	for name, f := range unary {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return rowWise(types.Dynamic, func(a []any) any {
				xs, ok := series(a[0])
				if !ok {
					return nil
				}
				for i, x := range xs {
					xs[i] = f(x)
				}
				return toArray(xs)
			}), nil
		})
	}
	arith := map[string]func(a, b float64) float64{
		"series_add": func(a, b float64) float64 { return a + b }, "series_subtract": func(a, b float64) float64 { return a - b },
		"series_multiply": func(a, b float64) float64 { return a * b }, "series_divide": func(a, b float64) float64 { return a / b },
		"series_pow": math.Pow,
	}
	for name, f := range arith {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return rowWise(types.Dynamic, func(a []any) any {
				return pairwise(a[0], a[1], func(x, y float64) any {
					if math.IsNaN(x) || math.IsNaN(y) {
						return nil
					}
					return f(x, y)
				})
			}), nil
		})
	}
	cmp := map[string]func(a, b float64) bool{
		"series_greater": func(a, b float64) bool { return a > b }, "series_greater_equals": func(a, b float64) bool { return a >= b },
		"series_less": func(a, b float64) bool { return a < b }, "series_less_equals": func(a, b float64) bool { return a <= b },
		"series_equals": func(a, b float64) bool { return a == b }, "series_not_equals": func(a, b float64) bool { return a != b },
	}
	for name, f := range cmp {
		f := f
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return rowWise(types.Dynamic, func(a []any) any {
				return pairwise(a[0], a[1], func(x, y float64) any {
					if math.IsNaN(x) || math.IsNaN(y) {
						return nil
					}
					return f(x, y)
				})
			}), nil
		})
	}
	RegisterScalar("series_fill_const", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			arr, ok := a[0].([]any)
			if !ok {
				return nil
			}
			var c any = int64(0)
			if len(a) > 1 {
				c = a[1]
			}
			out := make([]any, len(arr))
			for i, e := range arr {
				if isMissing(e, a, 2) {
					out[i] = c
				} else {
					out[i] = e
				}
			}
			return out
		}), nil
	})
	fill := func(backward bool) ScalarFactory {
		return func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return rowWise(types.Dynamic, func(a []any) any {
				arr, ok := a[0].([]any)
				if !ok {
					return nil
				}
				out := make([]any, len(arr))
				var last any
				for k := range arr {
					i := k
					if backward {
						i = len(arr) - 1 - k
					}
					if isMissing(arr[i], a, 1) {
						out[i] = last
					} else {
						out[i] = arr[i]
						last = arr[i]
					}
				}
				return out
			}), nil
		}
	}
	RegisterScalar("series_fill_forward", fill(false))
	RegisterScalar("series_fill_backward", fill(true))
	RegisterScalar("series_fill_linear", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, fillLinear), nil
	})
	RegisterScalar("series_stats_dynamic", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, seriesStats), nil
	})
	RegisterScalar("series_iir", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok1 := series(a[0])
			b, ok2 := series(a[1])
			c, ok3 := series(a[2])
			if !ok1 || !ok2 || !ok3 || len(c) == 0 || c[0] == 0 {
				return nil
			}
			return toArray(iir(x, b, c))
		}), nil
	})
	RegisterScalar("series_fir", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok1 := series(a[0])
			f, ok2 := series(a[1])
			if !ok1 || !ok2 || len(f) == 0 {
				return nil
			}
			normalize := true
			if len(a) > 2 {
				normalize, _ = a[2].(bool)
			}
			center := false
			if len(a) > 3 {
				center, _ = a[3].(bool)
			}
			return toArray(fir(x, f, normalize, center))
		}), nil
	})
	RegisterScalar("series_cosine_similarity", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Real, func(a []any) any {
			x, ok1 := series(a[0])
			y, ok2 := series(a[1])
			if !ok1 || !ok2 || len(x) != len(y) {
				return nil
			}
			var dot, nx, ny float64
			for i := range x {
				dot += x[i] * y[i]
				nx += x[i] * x[i]
				ny += y[i] * y[i]
			}
			return dot / math.Sqrt(nx*ny)
		}), nil
	})
	RegisterScalar("series_dot_product", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Real, func(a []any) any {
			x, ok1 := series(a[0])
			y, ok2 := series(a[1])
			if !ok1 || !ok2 || len(x) != len(y) {
				return nil
			}
			var dot float64
			for i := range x {
				dot += x[i] * y[i]
			}
			return dot
		}), nil
	})
	RegisterScalar("series_sum", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Real, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			var s float64
			for _, v := range x {
				if !math.IsNaN(v) {
					s += v
				}
			}
			return s
		}), nil
	})
	RegisterScalar("series_pearson_correlation", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Real, func(a []any) any {
			x, ok1 := series(a[0])
			y, ok2 := series(a[1])
			if !ok1 || !ok2 || len(x) != len(y) || len(x) == 0 {
				return nil
			}
			var mx, my float64
			for i := range x {
				mx += x[i]
				my += y[i]
			}
			mx /= float64(len(x))
			my /= float64(len(y))
			var sxy, sxx, syy float64
			for i := range x {
				sxy += (x[i] - mx) * (y[i] - my)
				sxx += (x[i] - mx) * (x[i] - mx)
				syy += (y[i] - my) * (y[i] - my)
			}
			return sxy / math.Sqrt(sxx*syy)
		}), nil
	})
}

// isMissing reports whether element e counts as missing: null, or equal
// to the optional missing_value_placeholder argument a[k].
func isMissing(e any, a []any, k int) bool {
	if k < len(a) && a[k] != nil {
		return elemNum(e) == elemNum(a[k])
	}
	return e == nil
}

// pairwise applies f to the elements of two series, or of a series and a
// scalar.
func pairwise(a, b any, f func(x, y float64) any) any {
	x, okx := series(a)
	y, oky := series(b)
	switch {
	case okx && oky:
		n := min(len(x), len(y))
		out := make([]any, n)
		for i := 0; i < n; i++ {
			out[i] = f(x[i], y[i])
		}
		return out
	case okx:
		s := elemNum(b)
		out := make([]any, len(x))
		for i := range x {
			out[i] = f(x[i], s)
		}
		return out
	case oky:
		s := elemNum(a)
		out := make([]any, len(y))
		for i := range y {
			out[i] = f(s, y[i])
		}
		return out
	}
	return nil
}

// fillLinear interpolates missing values between known neighbours; the
// edges take the nearest known value (fill_edges, the default) and a
// series with no known value takes constant_value (0 by default).
func fillLinear(a []any) any {
	arr, ok := a[0].([]any)
	if !ok {
		return nil
	}
	edges := true
	if len(a) > 2 {
		if b, ok := a[2].(bool); ok {
			edges = b
		}
	}
	var constant any = 0.0
	if len(a) > 3 && a[3] != nil {
		constant = a[3]
	}
	missing := func(i int) bool { return isMissing(arr[i], a, 1) || math.IsNaN(elemNum(arr[i])) }
	out := make([]any, len(arr))
	var known []int
	for i := range arr {
		if !missing(i) {
			known = append(known, i)
			out[i] = arr[i]
		}
	}
	if len(known) == 0 {
		for i := range out {
			out[i] = constant
		}
		return out
	}
	for k := 0; k+1 < len(known); k++ {
		i, j := known[k], known[k+1]
		xi, xj := elemNum(arr[i]), elemNum(arr[j])
		for m := i + 1; m < j; m++ {
			out[m] = xi + (xj-xi)*float64(m-i)/float64(j-i)
		}
	}
	if edges {
		for i := 0; i < known[0]; i++ {
			out[i] = arr[known[0]]
		}
		for i := known[len(known)-1] + 1; i < len(arr); i++ {
			out[i] = arr[known[len(known)-1]]
		}
	}
	return out
}

func seriesStats(a []any) any {
	x, ok := series(a[0])
	if !ok {
		return nil
	}
	ignore := false
	if len(a) > 1 {
		ignore, _ = a[1].(bool)
	}
	minV, maxV := math.Inf(1), math.Inf(-1)
	minI, maxI := -1, -1
	var sum, sq float64
	n := 0
	for i, v := range x {
		if math.IsNaN(v) || (ignore && math.IsInf(v, 0)) {
			continue
		}
		n++
		sum += v
		sq += v * v
		if v < minV {
			minV, minI = v, i
		}
		if v > maxV {
			maxV, maxI = v, i
		}
	}
	b := types.NewBag(9)
	if n == 0 {
		for _, k := range []string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance", "sum"} {
			b.Set(k, nil)
		}
		b.Set("len", int64(len(x)))
		return b
	}
	avg := sum / float64(n)
	variance := 0.0
	if n > 1 {
		variance = (sq - sum*sum/float64(n)) / float64(n-1)
	}
	b.Set("min", minV)
	b.Set("min_idx", int64(minI))
	b.Set("max", maxV)
	b.Set("max_idx", int64(maxI))
	b.Set("avg", avg)
	b.Set("stdev", math.Sqrt(variance))
	b.Set("variance", variance)
	b.Set("sum", sum)
	b.Set("len", int64(len(x)))
	return b
}

// iir applies y[n] = (sum b[i]x[n-i] - sum_{j>0} a[j]y[n-j]) / a[0].
func iir(x, b, a []float64) []float64 {
	y := make([]float64, len(x))
	for n := range x {
		var s float64
		for i := 0; i < len(b) && i <= n; i++ {
			s += b[i] * x[n-i]
		}
		for j := 1; j < len(a) && j <= n; j++ {
			s -= a[j] * y[n-j]
		}
		y[n] = s / a[0]
	}
	return y
}

// fir convolves x with filter f, optionally normalized to the filter's
// sum and centered on the current element.
func fir(x, f []float64, normalize, center bool) []float64 {
	var total float64
	for _, v := range f {
		total += v
	}
	shift := 0
	if center {
		shift = len(f) / 2
	}
	y := make([]float64, len(x))
	for n := range x {
		var s float64
		for i := range f {
			k := n - i + shift
			if k >= 0 && k < len(x) {
				s += f[i] * x[k]
			}
		}
		if normalize && total != 0 {
			s /= total
		}
		y[n] = s
	}
	return y
}
