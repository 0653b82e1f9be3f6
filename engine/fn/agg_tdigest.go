package fn

// tdigest, tdigest_merge (scalar twin merge_tdigest), percentile_tdigest,
// percentile_array_tdigest, rank_tdigest and percentrank_tdigest.
//
// A digest is a dynamic array [[type], [value, ...], [weight, ...]]: the
// shape Kusto's pages show, with values and their weights (row counts, or
// summed weights of tdigest(x, w)). The type code of a long digest is 7 as
// on the pages; the other codes are hunt's (Kusto does not document its
// format and says it may change): bool 1, datetime 2, guid 4, int 6,
// long 7, real 8, timespan 10, decimal 11.
//
// hunt's digests are exact while a group holds at most tdMaxCentroids
// distinct values: every distinct value is a centroid, and the
// percentiles read from it are the exact nearest-rank percentiles that
// percentile() gives. Past that, neighbouring values are merged into
// centroids of about equal weight (their weighted mean, rounded for
// integer types), keeping the smallest and largest values exact; results
// are then close rather than exact, as Kusto's are.
//
// Merging digests of different types is an error. rank_tdigest(d, v)
// counts the weight of the values <= v; percentrank_tdigest gives it as a
// percentage of the total weight.

import (
	"math"
	"sort"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

const tdMaxCentroids = 10000

var tdTypeCodes = map[types.Type]int64{
	types.Bool: 1, types.DateTime: 2, types.Guid: 4, types.Int: 6, types.Long: 7,
	types.Real: 8, types.Timespan: 10, types.Decimal: 11,
}

func tdTypeOf(code int64) (types.Type, bool) {
	for t, c := range tdTypeCodes {
		if c == code {
			return t, true
		}
	}
	return types.Unknown, false
}

// tdigest is one digest: centroids sorted by value once normalized.
// Integer-physical types keep ints, reals keep reals.
type tdigest struct {
	t     types.Type
	ints  []int64
	reals []float64
	ws    []int64
	dirty int // centroids appended since the last normalize
}

func (d *tdigest) isReal() bool { return d.t.Physical() == types.PhysReal }

func (d *tdigest) len() int { return len(d.ws) }

func (d *tdigest) addInt(v, w int64) {
	d.ints = append(d.ints, v)
	d.ws = append(d.ws, w)
	d.dirty++
}

func (d *tdigest) addReal(v float64, w int64) {
	d.reals = append(d.reals, v)
	d.ws = append(d.ws, w)
	d.dirty++
}

// merge appends o's centroids.
func (d *tdigest) merge(o *tdigest) error {
	if o == nil || o.len() == 0 {
		return nil
	}
	if d.t == types.Unknown {
		d.t = o.t
	} else if d.t != o.t {
		return Errorf("cannot merge tdigest values of types %s and %s", d.t, o.t)
	}
	d.ints = append(d.ints, o.ints...)
	d.reals = append(d.reals, o.reals...)
	d.ws = append(d.ws, o.ws...)
	d.dirty += o.len()
	return nil
}

// less orders centroid i before j (reals with NaN first).
func (d *tdigest) less(i, j int) bool {
	if d.isReal() {
		return aggPctLess(d.reals[i], d.reals[j])
	}
	return d.ints[i] < d.ints[j]
}

func (d *tdigest) same(i, j int) bool {
	if d.isReal() {
		a, b := d.reals[i], d.reals[j]
		return a == b || (a != a && b != b)
	}
	return d.ints[i] == d.ints[j]
}

// normalize sorts the centroids, sums the weights of equal values and
// compresses past tdMaxCentroids.
func (d *tdigest) normalize() {
	if d.dirty == 0 {
		return
	}
	d.dirty = 0
	idx := make([]int, d.len())
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return d.less(idx[a], idx[b]) })
	var ints []int64
	var reals []float64
	var ws []int64
	last := -1
	for _, i := range idx {
		if last >= 0 && d.same(i, last) {
			ws[len(ws)-1] += d.ws[i]
			continue
		}
		last = i
		if d.isReal() {
			reals = append(reals, d.reals[i])
		} else {
			ints = append(ints, d.ints[i])
		}
		ws = append(ws, d.ws[i])
	}
	d.ints, d.reals, d.ws = ints, reals, ws
	if len(ws) > tdMaxCentroids {
		d.compress()
	}
}

// compress merges neighbouring centroids into about tdMaxCentroids of
// about equal weight, keeping the first and last exact.
func (d *tdigest) compress() {
	n := d.len()
	var total float64
	for _, w := range d.ws[1 : n-1] {
		total += float64(w)
	}
	buckets := float64(tdMaxCentroids - 2)
	var ints []int64
	var reals []float64
	ws := []int64{d.ws[0]}
	if d.isReal() {
		reals = []float64{d.reals[0]}
	} else {
		ints = []int64{d.ints[0]}
	}
	var sum, cum float64
	var w int64
	flush := func() {
		if w == 0 {
			return
		}
		mean := sum / float64(w)
		if d.isReal() {
			reals = append(reals, mean)
		} else {
			ints = append(ints, int64(math.Round(mean)))
		}
		ws = append(ws, w)
		sum, w = 0, 0
	}
	// A centroid goes to the bucket its middle falls in, so there are at
	// most `buckets` of them, each of about total/buckets weight.
	bucket := -1
	for i := 1; i < n-1; i++ {
		wi := float64(d.ws[i])
		b := int((cum + wi/2) / total * buckets)
		cum += wi
		if b != bucket {
			flush()
			bucket = b
		}
		if d.isReal() {
			sum += d.reals[i] * wi
		} else {
			sum += float64(d.ints[i]) * wi
		}
		w += d.ws[i]
	}
	flush()
	ws = append(ws, d.ws[n-1])
	if d.isReal() {
		reals = append(reals, d.reals[n-1])
	} else {
		ints = append(ints, d.ints[n-1])
	}
	d.ints, d.reals, d.ws = ints, reals, ws
}

func (d *tdigest) box(i int) any {
	switch d.t {
	case types.DateTime:
		return types.DT(d.ints[i])
	case types.Timespan:
		return types.TS(d.ints[i])
	case types.Bool:
		return d.ints[i] != 0
	}
	if d.isReal() {
		return d.reals[i]
	}
	return d.ints[i]
}

// toDyn renders the digest; an empty digest is null.
func (d *tdigest) toDyn() any {
	d.normalize()
	if d.len() == 0 {
		return nil
	}
	vals := make([]any, d.len())
	ws := make([]any, d.len())
	for i := range vals {
		if d.isReal() {
			vals[i] = d.reals[i]
		} else {
			vals[i] = d.ints[i]
		}
		ws[i] = d.ws[i]
	}
	return []any{[]any{tdTypeCodes[d.t]}, vals, ws}
}

// tdFromDyn reads a digest back; ok is false for anything else.
func tdFromDyn(x any) (*tdigest, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) != 3 {
		return nil, false
	}
	head, ok1 := arr[0].([]any)
	vals, ok2 := arr[1].([]any)
	ws, ok3 := arr[2].([]any)
	if !ok1 || !ok2 || !ok3 || len(head) != 1 || len(vals) != len(ws) {
		return nil, false
	}
	code, ok := head[0].(int64)
	if !ok {
		return nil, false
	}
	t, ok := tdTypeOf(code)
	if !ok {
		return nil, false
	}
	d := &tdigest{t: t}
	for i, v := range vals {
		w, ok := ws[i].(int64)
		if !ok || w <= 0 {
			return nil, false
		}
		if d.isReal() {
			f, ok := convDynReal(v)
			if !ok {
				return nil, false
			}
			d.addReal(f, w)
		} else {
			n, ok := strDynInt(v)
			if !ok {
				return nil, false
			}
			d.addInt(n, w)
		}
	}
	return d, true
}

func (d *tdigest) total() float64 {
	var t float64
	for _, w := range d.ws {
		t += float64(w)
	}
	return t
}

// percentile returns the index of the nearest-rank p-th percentile.
func (d *tdigest) percentile(p float64) int {
	d.normalize()
	rank := float64(aggRank(p, d.total()))
	var cum float64
	for i, w := range d.ws {
		cum += float64(w)
		if cum >= rank {
			return i
		}
	}
	return d.len() - 1
}

// rank returns the weight of the values <= v (v boxed as Vec.Get returns
// it); ok is false when v does not compare with the digest's values.
func (d *tdigest) rank(v any) (int64, bool) {
	d.normalize()
	var r int64
	if d.isReal() {
		f, ok := convDynReal(tdUnbox(v))
		if !ok {
			return 0, false
		}
		for i, x := range d.reals {
			if x <= f {
				r += d.ws[i]
			}
		}
		return r, true
	}
	var n int64
	switch x := v.(type) {
	case types.DT:
		n = int64(x)
	case types.TS:
		n = int64(x)
	case float64:
		n = int64(math.Floor(x))
	default:
		var ok bool
		if n, ok = strDynInt(v); !ok {
			return 0, false
		}
	}
	for i, x := range d.ints {
		if x <= n {
			r += d.ws[i]
		}
	}
	return r, true
}

func tdUnbox(v any) any {
	switch x := v.(type) {
	case types.DT:
		return int64(x)
	case types.TS:
		return int64(x)
	}
	return v
}

// ---- aggregates ------------------------------------------------------------------

func init() {
	RegisterAgg("tdigest", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		t := aggArgType(args, 0)
		if t == types.Int {
			t = types.Long
		}
		return func() Agg { return &aggTdigest{t: t, weighted: len(args) > 1} }, nil
	})
	RegisterAgg("tdigest_merge", func(args []builtins.Arg, _ types.Type) (func() Agg, error) {
		return func() Agg { return &aggTdigest{merge: true} }, nil
	})
}

type aggTdigest struct {
	t        types.Type
	weighted bool
	merge    bool
	ds       []tdigest
	bytes    int64
}

func (a *aggTdigest) Grow(n int) {
	if n > len(a.ds) {
		a.bytes += 64 * int64(n-len(a.ds))
		old := len(a.ds)
		a.ds = aggGrowTo(a.ds, n)
		for g := old; g < n; g++ {
			a.ds[g].t = a.t
		}
	}
}

func (a *aggTdigest) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	if x.Type == types.Unknown {
		return nil
	}
	for i, g := range groups[:n] {
		if x.IsNull(i) {
			continue
		}
		d := &a.ds[g]
		before := d.len()
		if a.merge {
			o, ok := tdFromDyn(x.Dyns[x.Row(i)])
			if !ok {
				return Errorf("tdigest_merge(): the value is not a tdigest() result")
			}
			if err := d.merge(o); err != nil {
				return Errorf("tdigest_merge(): %v", err)
			}
		} else {
			w := int64(1)
			if a.weighted {
				wv := args[1]
				if wv.IsNull(i) || wv.Type.Physical() != types.PhysInt || wv.Ints[wv.Row(i)] <= 0 {
					continue
				}
				w = wv.Ints[wv.Row(i)]
			}
			switch x.Type.Physical() {
			case types.PhysReal:
				d.addReal(x.Reals[x.Row(i)], w)
			case types.PhysInt:
				d.addInt(x.Ints[x.Row(i)], w)
			case types.PhysBool:
				d.addInt(convB2L(x.Bools[x.Row(i)]), w)
			}
		}
		if d.dirty > 4*tdMaxCentroids {
			b := d.len()
			d.normalize()
			a.bytes -= 16 * int64(b-d.len())
		}
		a.bytes += 16 * int64(d.len()-before)
	}
	return nil
}

func (a *aggTdigest) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggTdigest)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j < len(o.ds) {
			// A type clash of partial digests cannot happen: both sides
			// saw the same column.
			_ = a.ds[g].merge(&o.ds[j])
			a.bytes += 16 * int64(o.ds[j].len())
		}
	}
}

func (a *aggTdigest) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Dynamic, n)
	for g := 0; g < n; g++ {
		out.Append(a.ds[g].toDyn())
	}
	return out
}

func (a *aggTdigest) Bytes() int64 { return a.bytes }

// ---- scalars --------------------------------------------------------------------

func init() {
	RegisterScalar("merge_tdigest", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := vec.New(types.Dynamic, m)
			for i := 0; i < m; i++ {
				var d tdigest
				for _, x := range a {
					if x.Type != types.Dynamic || x.IsNull(i) {
						continue
					}
					o, ok := tdFromDyn(x.Dyns[x.Row(i)])
					if !ok {
						return nil, Errorf("merge_tdigest(): the value is not a tdigest() result")
					}
					if err := d.merge(o); err != nil {
						return nil, Errorf("merge_tdigest(): %v", err)
					}
				}
				out.Append(d.toDyn())
			}
			out.Const = c
			return out, nil
		}, nil
	})
	RegisterScalar("percentile_tdigest", func(args []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			p := convCast(a[1], types.Real, n)
			m, c := coreRows(n, a[0], p)
			dyn := vec.New(types.Dynamic, m)
			for i := 0; i < m; i++ {
				d, ok := tdDigestAt(a[0], i)
				if !ok || p.IsNull(i) || d.len() == 0 {
					dyn.AppendNull()
					continue
				}
				pv := p.Reals[p.Row(i)]
				if !(pv >= 0 && pv <= 100) {
					return nil, Errorf("percentile_tdigest(): percentile %v is out of range [0, 100]", pv)
				}
				dyn.Append(d.box(d.percentile(pv)))
			}
			dyn.Const = c
			if rt == types.Dynamic {
				return dyn, nil
			}
			return convCast(dyn, rt, n), nil
		}, nil
	})
	RegisterScalar("percentile_array_tdigest", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := coreRows(n, a...)
			out := vec.New(types.Dynamic, m)
			for i := 0; i < m; i++ {
				d, ok := tdDigestAt(a[0], i)
				if !ok || d.len() == 0 {
					out.AppendNull()
					continue
				}
				var ps []float64
				for _, x := range a[1:] {
					v := x.Get(i)
					if arr, ok := v.([]any); ok {
						for _, e := range arr {
							if f, ok := convDynReal(e); ok {
								ps = append(ps, f)
							}
						}
					} else if f, ok := convDynReal(tdUnbox(v)); ok {
						ps = append(ps, f)
					}
				}
				res := make([]any, 0, len(ps))
				for _, pv := range ps {
					if !(pv >= 0 && pv <= 100) {
						return nil, Errorf("percentile_array_tdigest(): percentile %v is out of range [0, 100]", pv)
					}
					res = append(res, d.box(d.percentile(pv)))
				}
				out.Append(res)
			}
			out.Const = c
			return out, nil
		}, nil
	})
	rankKernel := func(percent bool) ScalarFactory {
		return func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				m, c := coreRows(n, a...)
				out := vec.New(rt, m)
				for i := 0; i < m; i++ {
					d, ok := tdDigestAt(a[0], i)
					v := a[1].Get(i)
					if !ok || v == nil || d.len() == 0 {
						out.AppendNull()
						continue
					}
					r, ok := d.rank(v)
					switch {
					case !ok:
						out.AppendNull()
					case percent:
						out.Reals = append(out.Reals, 100*float64(r)/d.total())
					default:
						out.Ints = append(out.Ints, r)
					}
				}
				out.Const = c
				return out, nil
			}, nil
		}
	}
	RegisterScalar("rank_tdigest", rankKernel(false))
	RegisterScalar("percentrank_tdigest", rankKernel(true))
}

// tdDigestAt reads the digest in row i of v; ok is false for null or a
// value that is not a digest.
func tdDigestAt(v *vec.Vec, i int) (*tdigest, bool) {
	if v.Type != types.Dynamic || v.IsNull(i) {
		return nil, false
	}
	return tdFromDyn(v.Dyns[v.Row(i)])
}
