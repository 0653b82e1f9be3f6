package fn

// stdev, stdevif, stdevp, variance, varianceif, variancep, variancepif,
// covariance, covarianceif, covariancep and covariancepif.
//
// States use Welford's running mean and sum of squared deviations, and
// Chan's formula to merge partial states, which is more accurate than
// sums of squares. Defaults without values: the summarize page lists
// variance, varianceif, stdev and stdevif as giving 0 (so does a single
// value, whose sample variance is taken as 0); the population variants
// and the covariances are "all others": null.
//
// Note: the variancepif page's example shows 850 for the even numbers
// 2..100, which is their SAMPLE variance (the population variance is 833,
// as variancep defines it). We compute the population variance.

import (
	"math"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	for _, d := range []struct {
		name  string
		pred  int
		pop   bool
		stdev bool
	}{
		{"stdev", -1, false, true},
		{"stdevif", 1, false, true},
		{"stdevp", -1, true, true},
		{"variance", -1, false, false},
		{"varianceif", 1, false, false},
		{"variancep", -1, true, false},
		{"variancepif", 1, true, false},
	} {
		RegisterAgg(d.name, func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
			if t := aggArgType(args, 0); t.Physical() != types.PhysInt && t.Physical() != types.PhysReal && t != types.Unknown {
				return nil, Errorf("%s(): argument must be a number, got %s", d.name, t)
			}
			return func() Agg { return &aggVar{pred: d.pred, pop: d.pop, stdev: d.stdev} }, nil
		})
	}
	for _, d := range []struct {
		name string
		pred int
		pop  bool
	}{
		{"covariance", -1, false},
		{"covarianceif", 2, false},
		{"covariancep", -1, true},
		{"covariancepif", 2, true},
	} {
		RegisterAgg(d.name, func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
			for i := 0; i < 2; i++ {
				if t := aggArgType(args, i); t.Physical() != types.PhysInt && t.Physical() != types.PhysReal && t != types.Unknown {
					return nil, Errorf("%s(): argument %d must be a number, got %s", d.name, i+1, t)
				}
			}
			return func() Agg { return &aggCov{pred: d.pred, pop: d.pop} }, nil
		})
	}
}

// aggF64 reads row i of a numeric column as a float64; ok is false for
// null or a non-numeric column.
func aggF64(v *vec.Vec, i int) (float64, bool) {
	if v.IsNull(i) {
		return 0, false
	}
	switch v.Type.Physical() {
	case types.PhysInt:
		return float64(v.Ints[v.Row(i)]), true
	case types.PhysReal:
		return v.Reals[v.Row(i)], true
	}
	return 0, false
}

type aggVar struct {
	pred       int
	pop, stdev bool
	n          []float64 // count
	mean       []float64
	m2         []float64 // sum of squared deviations from the mean
}

func (a *aggVar) Grow(n int) {
	a.n = aggGrowTo(a.n, n)
	a.mean = aggGrowTo(a.mean, n)
	a.m2 = aggGrowTo(a.m2, n)
}

func (a *aggVar) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	for i, g := range groups[:n] {
		if a.pred >= 0 && !aggTrue(args[a.pred], i) {
			continue
		}
		f, ok := aggF64(x, i)
		if !ok {
			continue
		}
		a.n[g]++
		d := f - a.mean[g]
		a.mean[g] += d / a.n[g]
		a.m2[g] += d * (f - a.mean[g])
	}
	return nil
}

func (a *aggVar) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggVar)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.n) || o.n[j] == 0 {
			continue
		}
		na, nb := a.n[g], o.n[j]
		if na == 0 {
			a.n[g], a.mean[g], a.m2[g] = nb, o.mean[j], o.m2[j]
			continue
		}
		n := na + nb
		d := o.mean[j] - a.mean[g]
		a.mean[g] += d * nb / n
		a.m2[g] += o.m2[j] + d*d*na*nb/n
		a.n[g] = n
	}
}

func (a *aggVar) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Real, n)
	for g := 0; g < n; g++ {
		var v float64
		switch {
		case a.pop && a.n[g] == 0:
			out.AppendNull()
			continue
		case a.pop:
			v = a.m2[g] / a.n[g]
		case a.n[g] < 2:
			v = 0
		default:
			v = a.m2[g] / (a.n[g] - 1)
		}
		if v < 0 { // rounding can leave a tiny negative value
			v = 0
		}
		if a.stdev {
			v = math.Sqrt(v)
		}
		out.Reals = append(out.Reals, v)
	}
	return out
}

func (a *aggVar) Bytes() int64 { return 24 * int64(cap(a.n)) }

// aggCov is the covariance of two expressions over the rows where both
// are non-null.
type aggCov struct {
	pred   int
	pop    bool
	n      []float64
	mx, my []float64
	c      []float64 // co-moment: sum of (x-mx)(y-my)
}

func (a *aggCov) Grow(n int) {
	a.n = aggGrowTo(a.n, n)
	a.mx = aggGrowTo(a.mx, n)
	a.my = aggGrowTo(a.my, n)
	a.c = aggGrowTo(a.c, n)
}

func (a *aggCov) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	for i, g := range groups[:n] {
		if a.pred >= 0 && !aggTrue(args[a.pred], i) {
			continue
		}
		x, ok := aggF64(args[0], i)
		if !ok {
			continue
		}
		y, ok := aggF64(args[1], i)
		if !ok {
			continue
		}
		a.n[g]++
		dx := x - a.mx[g]
		a.mx[g] += dx / a.n[g]
		a.my[g] += (y - a.my[g]) / a.n[g]
		a.c[g] += dx * (y - a.my[g])
	}
	return nil
}

func (a *aggCov) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggCov)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.n) || o.n[j] == 0 {
			continue
		}
		na, nb := a.n[g], o.n[j]
		if na == 0 {
			a.n[g], a.mx[g], a.my[g], a.c[g] = nb, o.mx[j], o.my[j], o.c[j]
			continue
		}
		n := na + nb
		dx, dy := o.mx[j]-a.mx[g], o.my[j]-a.my[g]
		a.c[g] += o.c[j] + dx*dy*na*nb/n
		a.mx[g] += dx * nb / n
		a.my[g] += dy * nb / n
		a.n[g] = n
	}
}

func (a *aggCov) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Real, n)
	for g := 0; g < n; g++ {
		switch {
		case a.n[g] == 0:
			out.AppendNull()
		case a.pop:
			out.Reals = append(out.Reals, a.c[g]/a.n[g])
		case a.n[g] < 2:
			out.Reals = append(out.Reals, 0)
		default:
			out.Reals = append(out.Reals, a.c[g]/(a.n[g]-1))
		}
	}
	return out
}

func (a *aggCov) Bytes() int64 { return 32 * int64(cap(a.n)) }
