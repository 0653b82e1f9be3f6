package fn

// Kernels of the decomposition family: series_periods_detect(),
// series_seasonal(), series_decompose(), series_decompose_anomalies(),
// series_decompose_forecast() and series_outliers(). The reference pages
// give the steps, which these follow:
//
//   - seasonal: the median of the points in the same phase of the period
//     (a period given, or detected; 0 means none);
//   - trend, on the series less its seasonal part: its average ("avg"), a
//     least-squares line ("linefit") or nothing ("none");
//   - baseline = seasonal + trend, residual = series - baseline;
//   - anomaly scores: Tukey's fences on the residual (series_outliers),
//     flags where a score passes the threshold.
//
// The last test points are left out of every fit and get the fitted
// values, which is how series_decompose_forecast() forecasts.
//
// Period detection: the reference pages give the limits (a period spans
// at least 4 points and at most half the series) and scores between 0 and
// 1 but no formula. hunt scores a period by how well the per-phase mean of
// the earlier points forecasts the last cycle (periodScore), which gives
// the pages' numbers; detection keeps the local peaks of that score and
// prefers a period over a multiple that scores no higher.

import (
	"math"
	"sort"

	"hunt/kql/builtins"
	"hunt/kql/types"
)

// periodScore measures how well period p forecasts the series: the
// per-phase mean of every point but the last p predicts those last p
// points, and the score is the share of their variance (about their own
// mean) that the prediction explains, clipped to [0, 1]. A period that
// does not repeat predicts the last cycle worse than its mean and scores
// 0, as the reference pages show (series_periods_validate() gives 0.84
// for the 14-point period of their 60-point example and exactly 0 for a
// 10-point one; series_periods_detect() finds the same 0.84). Missing
// points are left out; a period must be at least 1 and leave at least one
// earlier point.
func periodScore(x []float64, p int) float64 {
	n := len(x)
	if p < 1 || p >= n {
		return 0
	}
	train := n - p
	sums, counts := make([]float64, p), make([]int, p)
	for i := 0; i < train; i++ {
		if !math.IsNaN(x[i]) {
			sums[i%p] += x[i]
			counts[i%p]++
		}
	}
	var m float64
	c := 0
	for i := train; i < n; i++ {
		if !math.IsNaN(x[i]) && counts[i%p] > 0 {
			m += x[i]
			c++
		}
	}
	if c < 2 {
		return 0
	}
	m /= float64(c)
	var sse, sst float64
	for i := train; i < n; i++ {
		if math.IsNaN(x[i]) || counts[i%p] == 0 {
			continue
		}
		d := x[i] - sums[i%p]/float64(counts[i%p])
		sse += d * d
		sst += (x[i] - m) * (x[i] - m)
	}
	if sst == 0 {
		return 0
	}
	return min(1, max(0, 1-sse/sst))
}

// periodLimits are the shortest and longest periods a series of n points
// can show: at least 4 points, and a period must fit in the series more
// than twice (the reference pages say "at most half the series"; their
// examples leave out exactly half: a 12-point series repeating 6 points
// has no detected period, and a 60-point one reports no 30).
func periodLimits(n int) (int, int) { return 4, (n - 1) / 2 }

// validatePeriod is the score of series_periods_validate(): 0 for a
// period outside the limits, else periodScore of the nearest whole period.
func validatePeriod(x []float64, p float64) float64 {
	lo, hi := periodLimits(len(x))
	q := int(math.Round(p))
	if math.IsNaN(p) || q < lo || q > hi {
		return 0
	}
	return periodScore(x, q)
}

type period struct {
	p     int
	score float64
}

// detectPeriods returns up to k periods in [minP, maxP], best first.
func detectPeriods(x []float64, minP, maxP float64, k int) []period {
	lo, hi := periodLimits(len(x))
	lo = max(lo, int(math.Ceil(minP)))
	hi = min(hi, int(math.Floor(maxP)))
	if hi < lo || k <= 0 {
		return nil
	}
	scores := make([]float64, hi+2)
	for p := lo - 1; p <= hi+1; p++ {
		if p >= 1 && p < len(x) {
			scores[p] = periodScore(x, p)
		}
	}
	var peaks []period
	for p := lo; p <= hi; p++ {
		s := scores[p]
		if s <= 0 || s < scores[p-1] || (p+1 < len(scores) && s < scores[p+1]) {
			continue
		}
		peaks = append(peaks, period{p, s})
	}
	sort.SliceStable(peaks, func(i, j int) bool { return peaks[i].score > peaks[j].score })
	// A multiple of a period scores about as high as the period itself;
	// keep the base period, and the multiple only when it scores clearly
	// higher (a weekly period over a daily one).
	var out []period
	for _, c := range peaks {
		dup := false
		for i, o := range out {
			if c.p%o.p == 0 {
				dup = true
				break
			}
			if o.p%c.p == 0 && c.score >= o.score-0.05 {
				out[i] = c
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c)
		}
		if len(out) == k {
			break
		}
	}
	return out
}

// bestPeriod is the detected period whose score reaches threshold, or 0.
func bestPeriod(x []float64, threshold float64) int {
	ps := detectPeriods(x, 4, float64(len(x)), 1)
	if len(ps) == 0 || ps[0].score < threshold {
		return 0
	}
	return ps[0].p
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// seasonal is the per-phase median of the first learn points, repeated
// over the whole length.
func seasonal(x []float64, p, learn int) []float64 {
	out := make([]float64, len(x))
	if p <= 0 {
		return out
	}
	// Only the phases of the first len(x) points are ever read: a period
	// longer than the series needs no more medians than it has points.
	meds := make([]float64, min(p, len(x)))
	for ph := range meds {
		var vs []float64
		for i := ph; i < learn; i += p {
			if !math.IsNaN(x[i]) {
				vs = append(vs, x[i])
			}
		}
		meds[ph] = median(vs)
		if math.IsNaN(meds[ph]) {
			meds[ph] = 0
		}
	}
	for i := range out {
		out[i] = meds[i%p]
	}
	return out
}

// decomposition holds the four series of series_decompose().
type decomposition struct {
	baseline, seasonal, trend, residual []float64
}

func decompose(x []float64, period int, trend string, testPoints int, threshold float64) decomposition {
	n := len(x)
	learn := n - max(0, testPoints)
	if learn < 0 {
		learn = 0
	}
	if period < 0 {
		period = bestPeriod(x[:learn], threshold)
	}
	d := decomposition{seasonal: seasonal(x, period, learn), trend: make([]float64, n), baseline: make([]float64, n), residual: make([]float64, n)}
	deseason := make([]float64, learn)
	for i := 0; i < learn; i++ {
		deseason[i] = x[i] - d.seasonal[i]
	}
	switch trend {
	case "linefit":
		f := fitLine(deseason, 1)
		for i := range d.trend {
			d.trend[i] = f.at(float64(i + 1))
		}
	case "none":
	default: // "avg"
		var s float64
		c := 0
		for _, v := range deseason {
			if !math.IsNaN(v) {
				s += v
				c++
			}
		}
		if c > 0 {
			for i := range d.trend {
				d.trend[i] = s / float64(c)
			}
		}
	}
	for i := range x {
		d.baseline[i] = d.seasonal[i] + d.trend[i]
		d.residual[i] = x[i] - d.baseline[i]
	}
	return d
}

// percentileOf interpolates linearly between closest ranks (p in 0..100).
func percentileOf(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	r := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(r))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (r-float64(lo))*(sorted[hi]-sorted[lo])
}

// outliers scores each point with Tukey's fences: 0 inside [Qlow, Qhigh],
// else the distance past the nearer fence in units of Qhigh - Qlow
// (negative below). Missing points and the ignored value score 0.
func outliers(x []float64, lowP, highP float64, ignore float64, hasIgnore bool) []float64 {
	var vals []float64
	skip := func(v float64) bool { return math.IsNaN(v) || (hasIgnore && v == ignore) }
	for _, v := range x {
		if !skip(v) {
			vals = append(vals, v)
		}
	}
	sort.Float64s(vals)
	q1, q3 := percentileOf(vals, lowP), percentileOf(vals, highP)
	iqr := q3 - q1
	out := make([]float64, len(x))
	for i, v := range x {
		switch {
		case skip(v):
		case v > q3:
			out[i] = score(v-q3, iqr)
		case v < q1:
			out[i] = -score(q1-v, iqr)
		}
	}
	return out
}

func score(d, iqr float64) float64 {
	if iqr == 0 {
		// Every normal point is equal: any departure is far out.
		return d * 1e6
	}
	return d / iqr
}

// Argument readers for the optional parameters; a null or absent
// argument takes the default.
func argNum(a []any, i int, def float64) float64 {
	if i >= len(a) {
		return def
	}
	switch v := a[i].(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return def
}

// clampInt converts v to an int in [lo, hi]; NaN gives lo. (A float
// outside int's range converts to an implementation-defined value.)
func clampInt(v float64, lo, hi int) int {
	switch {
	case math.IsNaN(v) || v <= float64(lo):
		return lo
	case v >= float64(hi):
		return hi
	}
	return int(v)
}

// argInt is argument i as a count or period: NaN and negative values
// give -1 (none, or detect), huge ones MaxInt32, so that no conversion
// overflows and n - argInt(...) stays in range.
func argInt(a []any, i int, def int) int {
	return clampInt(argNum(a, i, float64(def)), -1, math.MaxInt32)
}

func argStr(a []any, i int, def string) string {
	if i < len(a) {
		if s, ok := a[i].(string); ok && s != "" {
			return s
		}
	}
	return def
}

func decompositionBag(d decomposition) *types.Bag {
	b := types.NewBag(4)
	b.Set("baseline", toArray(d.baseline))
	b.Set("seasonal", toArray(d.seasonal))
	b.Set("trend", toArray(d.trend))
	b.Set("residual", toArray(d.residual))
	return b
}

func tukeyRange(method string) (float64, float64) {
	if method == "tukey" {
		return 25, 75
	}
	return 10, 90
}

func init() {
	RegisterScalar("series_periods_detect", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			// The result is padded to k periods, but a series of n points
			// has fewer than n candidate periods: k is capped at n so that
			// a huge num_periods cannot ask for huge arrays.
			k := clampInt(argNum(a, 3, 1), 0, len(x))
			ps := detectPeriods(x, argNum(a, 1, 0), argNum(a, 2, float64(len(x))), k)
			periods, scores := make([]any, max(k, 0)), make([]any, max(k, 0))
			for i := range periods {
				periods[i], scores[i] = 0.0, 0.0
				if i < len(ps) {
					periods[i], scores[i] = float64(ps[i].p), math.Round(ps[i].score*100)/100
				}
			}
			b := types.NewBag(2)
			b.Set("periods", periods)
			b.Set("periods_scores", scores)
			return b
		}), nil
	})
	// series_periods_validate(series, period1, ...): the periods as given
	// and their scores.
	RegisterScalar("series_periods_validate", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			periods, scores := make([]any, 0, len(a)-1), make([]any, 0, len(a)-1)
			for _, v := range a[1:] {
				p := argNum([]any{v}, 0, math.NaN())
				if math.IsNaN(p) {
					periods = append(periods, nil)
				} else {
					periods = append(periods, p)
				}
				scores = append(scores, math.Round(validatePeriod(x, p)*100)/100)
			}
			b := types.NewBag(2)
			b.Set("periods", periods)
			b.Set("scores", scores)
			return b
		}), nil
	})
	RegisterScalar("series_seasonal", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			p := argInt(a, 1, -1)
			if p < 0 {
				p = bestPeriod(x, 0.7)
			}
			return toArray(seasonal(x, p, len(x)))
		}), nil
	})
	RegisterScalar("series_decompose", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			return decompositionBag(decompose(x, argInt(a, 1, -1), argStr(a, 2, "avg"), argInt(a, 3, 0), argNum(a, 4, 0.6)))
		}), nil
	})
	RegisterScalar("series_decompose_forecast", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			return decompositionBag(decompose(x, argInt(a, 2, -1), argStr(a, 3, "linefit"), argInt(a, 1, 0), argNum(a, 4, 0.6)))
		}), nil
	})
	RegisterScalar("series_decompose_anomalies", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			threshold := argNum(a, 1, 1.5)
			d := decompose(x, argInt(a, 2, -1), argStr(a, 3, "avg"), argInt(a, 4, 0), argNum(a, 6, 0.6))
			lo, hi := tukeyRange(argStr(a, 5, "ctukey"))
			scores := outliers(d.residual, lo, hi, 0, false)
			flags := make([]any, len(x))
			for i, s := range scores {
				switch {
				case s > threshold:
					flags[i] = int64(1)
				case s < -threshold:
					flags[i] = int64(-1)
				default:
					flags[i] = int64(0)
				}
			}
			b := types.NewBag(3)
			b.Set("ad_flag", flags)
			b.Set("ad_score", toArray(scores))
			b.Set("baseline", toArray(d.baseline))
			return b
		}), nil
	})
	RegisterScalar("series_outliers", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return rowWise(types.Dynamic, func(a []any) any {
			x, ok := series(a[0])
			if !ok {
				return nil
			}
			kind := argStr(a, 1, "ctukey")
			lo, hi := tukeyRange(kind)
			if kind != "tukey" {
				lo, hi = argNum(a, 3, lo), argNum(a, 4, hi)
			}
			ignore, has := 0.0, false
			if len(a) > 2 && a[2] != nil {
				ignore, has = argNum(a, 2, 0), true
			}
			return toArray(outliers(x, lo, hi, ignore, has))
		}), nil
	})
}
