package fn

// Kernels of series_fit_line() and series_fit_2lines() and their _dynamic
// forms. The functions with several outputs return a property bag whose
// keys are the output names, in order; the analyzer spreads the bag over
// columns (extend (a, b) = series_fit_line(y)), and the _dynamic forms
// return it as it is.
//
// The reference page's example fixes the conventions: x runs 1..n, the
// variance is the sample variance (n-1), the residual variance divides
// the squared residuals by n-1 too, and rsquare is 1 - SSres/SStot.

import (
	"math"

	"hunt/kql/builtins"
	"hunt/kql/types"
)

// lineFit is a least-squares line over (x0+i, y[i]) for the points of y
// that are not missing.
type lineFit struct {
	slope, interception float64
	rsquare             float64
	variance, rvariance float64
	ssRes, ssTot        float64
	n                   int
}

func fitLine(y []float64, x0 float64) lineFit {
	var n int
	var sx, sy float64
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		n++
		sx += x0 + float64(i)
		sy += v
	}
	f := lineFit{n: n}
	if n == 0 {
		return lineFit{slope: math.NaN(), interception: math.NaN(), rsquare: math.NaN(), variance: math.NaN(), rvariance: math.NaN()}
	}
	mx, my := sx/float64(n), sy/float64(n)
	var sxy, sxx float64
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		dx := x0 + float64(i) - mx
		sxy += dx * (v - my)
		sxx += dx * dx
		f.ssTot += (v - my) * (v - my)
	}
	if sxx > 0 {
		f.slope = sxy / sxx
	}
	f.interception = my - f.slope*mx
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		r := v - (f.slope*(x0+float64(i)) + f.interception)
		f.ssRes += r * r
	}
	if n > 1 {
		f.variance = f.ssTot / float64(n-1)
		f.rvariance = f.ssRes / float64(n-1)
	}
	f.rsquare = rsquare(f.ssRes, f.ssTot)
	return f
}

// rsquare is 1 - SSres/SStot; a constant series that the line meets
// exactly fits perfectly.
func rsquare(ssRes, ssTot float64) float64 {
	if ssTot == 0 {
		if ssRes == 0 {
			return 1
		}
		return 0
	}
	return 1 - ssRes/ssTot
}

func (f lineFit) at(x float64) float64 { return f.slope*x + f.interception }

func seriesFitLine(y []float64) *types.Bag {
	f := fitLine(y, 1)
	line := make([]float64, len(y))
	for i := range y {
		line[i] = f.at(float64(i + 1))
	}
	b := types.NewBag(6)
	b.Set("rsquare", num(f.rsquare))
	b.Set("slope", num(f.slope))
	b.Set("variance", num(f.variance))
	b.Set("rvariance", num(f.rvariance))
	b.Set("interception", num(f.interception))
	b.Set("line_fit", toArray(line))
	return b
}

// seriesFit2Lines tries every split into a left part y[:k] and a right part
// y[k:] of at least two points each and keeps the split with the highest
// total r-square; split_idx is k-1, the last index of the left part.
func seriesFit2Lines(y []float64) *types.Bag {
	n := len(y)
	var ssTot, sum float64
	cnt := 0
	for _, v := range y {
		if !math.IsNaN(v) {
			sum += v
			cnt++
		}
	}
	if cnt > 0 {
		m := sum / float64(cnt)
		for _, v := range y {
			if !math.IsNaN(v) {
				ssTot += (v - m) * (v - m)
			}
		}
	}
	best, bestR := -1, math.Inf(-1)
	var bl, br lineFit
	for k := 2; k <= n-2; k++ {
		l, r := fitLine(y[:k], 1), fitLine(y[k:], float64(k+1))
		rs := rsquare(l.ssRes+r.ssRes, ssTot)
		if rs > bestR {
			best, bestR, bl, br = k, rs, l, r
		}
	}
	b := types.NewBag(15)
	if best < 0 {
		// Too short to split: one line fits it all.
		f := fitLine(y, 1)
		best, bestR, bl, br = n, f.rsquare, f, lineFit{slope: math.NaN(), interception: math.NaN(), rsquare: math.NaN(), variance: math.NaN(), rvariance: math.NaN()}
	}
	line := make([]float64, n)
	var ssRes float64
	for i := range y {
		f := bl
		if i >= best {
			f = br
		}
		line[i] = f.at(float64(i + 1))
		if !math.IsNaN(y[i]) {
			ssRes += (y[i] - line[i]) * (y[i] - line[i])
		}
	}
	variance, rvariance := math.NaN(), math.NaN()
	if cnt > 1 {
		variance, rvariance = ssTot/float64(cnt-1), ssRes/float64(cnt-1)
	}
	b.Set("rsquare", num(bestR))
	b.Set("split_idx", int64(best-1))
	b.Set("variance", num(variance))
	b.Set("rvariance", num(rvariance))
	b.Set("line_fit", toArray(line))
	for _, side := range []struct {
		name string
		f    lineFit
	}{{"right", br}, {"left", bl}} {
		b.Set(side.name+"_rsquare", num(side.f.rsquare))
		b.Set(side.name+"_slope", num(side.f.slope))
		b.Set(side.name+"_interception", num(side.f.interception))
		b.Set(side.name+"_variance", num(side.f.variance))
		b.Set(side.name+"_rvariance", num(side.f.rvariance))
	}
	return b
}

// num boxes a real for a dynamic value, NaN as null.
func num(x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return x
}

// seriesStatsBag is series_stats(): series_stats_dynamic's bag without
// its sum and len, the seven outputs the reference page lists.
func seriesStatsBag(a []any) any {
	full, ok := seriesStats(a).(*types.Bag)
	if !ok {
		return nil
	}
	b := types.NewBag(7)
	for _, k := range []string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"} {
		v, _ := full.Get(k)
		b.Set(k, v)
	}
	return b
}

func init() {
	bagOf := func(f func([]float64) *types.Bag) ScalarFactory {
		return func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return rowWise(types.Dynamic, func(a []any) any {
				y, ok := series(a[0])
				if !ok {
					return nil
				}
				return f(y)
			}), nil
		}
	}
	RegisterScalar("series_fit_line", bagOf(seriesFitLine))
	RegisterScalar("series_fit_line_dynamic", bagOf(seriesFitLine))
	RegisterScalar("series_fit_2lines", bagOf(seriesFit2Lines))
	RegisterScalar("series_fit_2lines_dynamic", bagOf(seriesFit2Lines))
	RegisterScalar("series_stats", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, seriesStatsBag), nil
	})
}
