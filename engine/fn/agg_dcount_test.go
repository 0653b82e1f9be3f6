package fn

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// aggTDistinctStrings returns a column of n distinct strings, each
// repeated reps times, interleaved.
func aggTDistinctStrings(n, reps int) *vec.Vec {
	v := vec.New(types.String, n*reps)
	for r := 0; r < reps; r++ {
		for i := 0; i < n; i++ {
			v.Append(fmt.Sprintf("value-%d", i))
		}
	}
	return v
}

// aggTCountOne runs name over one column in a single group.
func aggTCountOne(t testing.TB, name string, args []builtins.Arg, x *vec.Vec) int64 {
	t.Helper()
	mk := aggTNew(t, name, args)
	vecs := aggTVecs(args, []*vec.Vec{x})
	a := mk()
	a.Grow(1)
	n := x.Len()
	aggTFeed(t, a, vecs, make([]uint32, n), 0, n, 1024)
	return a.Result(1).Ints[0]
}

func TestAggDcountExact(t *testing.T) {
	S := []builtins.Arg{aggTArg(types.String)}
	// Small sets are exact.
	if got := aggTCountOne(t, "dcount", S, aggTDistinctStrings(11, 3)); got != 11 {
		t.Errorf("dcount of 11 distinct values = %d", got)
	}
	if got := aggTCountOne(t, "dcount", S, aggTDistinctStrings(1000, 2)); got != 1000 {
		t.Errorf("dcount of 1000 distinct values = %d", got)
	}
	acc2 := []builtins.Arg{aggTArg(types.String), aggTConst(types.Long, 2)}
	if got := aggTCountOne(t, "dcount", acc2, aggTDistinctStrings(8000, 2)); got != 8000 {
		t.Errorf("dcount(x, 2) of 8000 distinct values = %d", got)
	}
	// The empty string is a value; nulls are not.
	aggTCheck(t, "empty string counts", "dcount", S, []*vec.Vec{aggTCol(types.String, "", "", "a", "A")}, nil, 1, []any{3})
	aggTCheck(t, "nulls ignored", "dcount", []builtins.Arg{aggTArg(types.Long)},
		[]*vec.Vec{aggTCol(types.Long, nil, 1, nil, 1, 2)}, nil, 1, []any{2})
	aggTCheck(t, "-0 == 0, NaN once", "dcount", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, 0.0, math.Copysign(0, -1), math.NaN(), math.NaN(), 1.0)}, nil, 1, []any{3})
	// Dynamic values are distinct by kind and value.
	bag := types.NewBag(1)
	bag.Set("a", int64(1))
	bag2 := types.NewBag(1)
	bag2.Set("a", int64(1))
	aggTCheck(t, "dynamic kinds", "dcount", []builtins.Arg{aggTArg(types.Dynamic)},
		[]*vec.Vec{aggTCol(types.Dynamic, int64(1), "1", 1.5, true, int64(1), []any{int64(1)}, []any{int64(1)}, bag, bag2, nil)}, nil, 1, []any{6})
	// Per group, with a predicate.
	g := []uint32{0, 0, 0, 1, 1, 2}
	x := aggTCol(types.String, "a", "b", "a", "a", "c", "d")
	p := aggTCol(types.Bool, true, true, true, false, nil, true)
	aggTCheck(t, "dcount groups", "dcount", S, []*vec.Vec{x}, g, 4, []any{2, 2, 1, 0})
	aggTCheck(t, "dcountif", "dcountif", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)}, []*vec.Vec{x, p}, g, 4, []any{2, 0, 1, 0})
	aggTCheck(t, "count_distinct", "count_distinct", S, []*vec.Vec{x}, g, 3, []any{2, 2, 1})
	aggTCheck(t, "count_distinctif", "count_distinctif", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)}, []*vec.Vec{x, p}, g, 3, []any{2, 0, 1})
	// count_distinct never estimates.
	if got := aggTCountOne(t, "count_distinct", S, aggTDistinctStrings(30000, 1)); got != 30000 {
		t.Errorf("count_distinct of 30000 values = %d", got)
	}
}

// Past the exactness bound the estimate stays within 3 sigma of the
// documented error of each accuracy level.
func TestAggDcountAccuracy(t *testing.T) {
	sigma := []float64{0.016, 0.008, 0.004, 0.0028, 0.002}
	check := func(acc int64, n int, stride int64) {
		x := vec.New(types.Long, n)
		for i := 0; i < n; i++ {
			x.Append(int64(i) * stride)
		}
		got := aggTCountOne(t, "dcount", []builtins.Arg{aggTArg(types.Long), aggTConst(types.Long, acc)}, x)
		err := math.Abs(float64(got)-float64(n)) / float64(n)
		if err > 3*sigma[acc] {
			t.Errorf("dcount(x, %d) of %d distinct values = %d: error %.2f%% > 3 sigma (%.2f%%)", acc, n, got, 100*err, 300*sigma[acc])
		}
	}
	check(1, 1000000, 1)
	check(1, 1000000, 7919)
	check(0, 300000, 3)
	for _, n := range []int{1001, 2000, 5000, 20000, 40000, 100000} {
		check(1, n, 13) // across the small, middle and large ranges of HLL
	}
	check(2, 8001, 1)
	check(2, 150000, 1)
	check(3, 200000, 5)
	check(4, 400000, 5)
	// Strings too.
	got := aggTCountOne(t, "dcount", []builtins.Arg{aggTArg(types.String)}, aggTDistinctStrings(200000, 1))
	if e := math.Abs(float64(got)-200000) / 200000; e > 3*sigma[1] {
		t.Errorf("dcount of 200000 strings = %d", got)
	}
}

func TestAggHll(t *testing.T) {
	S := []builtins.Arg{aggTArg(types.String)}
	run := func(name string, args []builtins.Arg, x *vec.Vec, groups []uint32, ng int) *vec.Vec {
		a := aggTNew(t, name, args)()
		a.Grow(ng)
		vecs := aggTVecs(args, []*vec.Vec{x})
		aggTFeed(t, a, vecs, groups, 0, len(groups), 1000)
		return a.Result(ng)
	}
	estimate := func(v *vec.Vec) []any {
		k, err := NewScalar("dcount_hll", []builtins.Arg{aggTArg(types.Dynamic)}, types.Long)
		if err != nil {
			t.Fatal(err)
		}
		out, err := k(&Ctx{}, []*vec.Vec{v}, v.Len())
		if err != nil {
			t.Fatal(err)
		}
		return aggTValues([]*vec.Vec{out})[0]
	}
	// Small sketches are exact; an empty group's sketch is null.
	x := aggTCol(types.String, "a", "b", "a", "c", "", "d")
	g := []uint32{0, 0, 0, 1, 1, 0}
	sk := run("hll", S, x, g, 3)
	if s := string(types.AppendJSON(nil, sk.Dyns[0])); !strings.HasPrefix(s, "[[1024,14],[") {
		t.Errorf("hll sketch = %s", s)
	}
	if sk.Dyns[2] != nil {
		t.Errorf("hll of an empty group = %v, want null", sk.Dyns[2])
	}
	if got := estimate(sk); !aggTEqCol(got, []any{3, 2, nil}) {
		t.Errorf("dcount_hll(hll(x)) = %v", got)
	}
	// hll_if.
	ski := run("hll_if", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)}, x, g, 2)
	p := aggTCol(types.Bool, true, false, true, true, true, false)
	if ski.Len() != 2 {
		t.Fatalf("hll_if rows = %d", ski.Len())
	}
	a := aggTNew(t, "hll_if", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)})()
	a.Grow(2)
	if err := a.Add(&Ctx{}, g, []*vec.Vec{x, p}, len(g)); err != nil {
		t.Fatal(err)
	}
	if got := estimate(a.Result(2)); !aggTEqCol(got, []any{1, 2}) {
		t.Errorf("dcount_hll(hll_if(x, p)) = %v", got)
	}

	// hll_merge of the sketches of overlapping sets, exact and estimated.
	for _, c := range []struct{ n, overlap int }{{300, 100}, {600, 500}, {40000, 10000}} {
		col := vec.New(types.String, 2*c.n)
		groups := make([]uint32, 0, 2*c.n)
		for i := 0; i < c.n; i++ {
			col.Append(fmt.Sprint("v", i))
			groups = append(groups, 0)
		}
		for i := c.n - c.overlap; i < 2*c.n-c.overlap; i++ {
			col.Append(fmt.Sprint("v", i))
			groups = append(groups, 1)
		}
		sketches := run("hll", S, col, groups, 2)
		merged := run("hll_merge", []builtins.Arg{aggTArg(types.Dynamic)}, sketches, []uint32{0, 0}, 1)
		want := float64(2*c.n - c.overlap)
		got := estimate(merged)[0].(int64)
		if want <= 1000 && float64(got) != want {
			t.Errorf("hll_merge of %d+%d values (overlap %d) = %d, want exactly %v", c.n, c.n, c.overlap, got, want)
		}
		if math.Abs(float64(got)-want)/want > 0.024 {
			t.Errorf("hll_merge estimate %d, want about %v", got, want)
		}
		// dcount over all rows agrees with the merged sketch when exact.
		if want <= 1000 {
			if d := aggTCountOne(t, "dcount", S, col); d != got {
				t.Errorf("dcount %d != dcount_hll(hll_merge) %d", d, got)
			}
		}
	}
	// Sketches of different accuracy do not merge.
	s1 := run("hll", S, aggTCol(types.String, "a"), []uint32{0}, 1)
	s2 := run("hll", []builtins.Arg{aggTArg(types.String), aggTConst(types.Long, 0)}, aggTCol(types.String, "b"), []uint32{0}, 1)
	both := aggTCol(types.Dynamic, s1.Dyns[0], s2.Dyns[0])
	m := aggTNew(t, "hll_merge", []builtins.Arg{aggTArg(types.Dynamic)})()
	m.Grow(1)
	if err := m.Add(&Ctx{}, []uint32{0, 0}, []*vec.Vec{both}, 2); err == nil || !strings.Contains(err.Error(), "accuracy") {
		t.Errorf("hll_merge of mixed accuracies: %v", err)
	}
	bad := aggTCol(types.Dynamic, "not a sketch")
	if err := m.Add(&Ctx{}, []uint32{0}, []*vec.Vec{bad}, 1); err == nil {
		t.Errorf("hll_merge of a string succeeded")
	}
	if got := estimate(aggTCol(types.Dynamic, "x", nil)); !aggTEqCol(got, []any{nil, nil}) {
		t.Errorf("dcount_hll of non-sketches = %v", got)
	}
}

// Merging partial dcount states past the exactness bound gives the same
// estimate as one state (HLL counters merge by max).
func TestAggDcountMergeLarge(t *testing.T) {
	x := aggTDistinctStrings(5000, 1)
	groups := make([]uint32, 5000)
	for i := range groups {
		groups[i] = uint32(i % 2)
	}
	args := []builtins.Arg{aggTArg(types.String)}
	aggTMergeCheck(t, "dcount large", "dcount", args, []*vec.Vec{x}, groups, 2, 0, 700, 2500, 4900)
	aggTMergeCheck(t, "dcount(x, 0) large", "dcount", []builtins.Arg{aggTArg(types.String), aggTConst(types.Long, 0)}, []*vec.Vec{x}, groups, 2, 1500)
}

func TestAggDcountBytes(t *testing.T) {
	a := aggTNew(t, "dcount", []builtins.Arg{aggTArg(types.String)})()
	a.Grow(1)
	before := a.Bytes()
	x := aggTDistinctStrings(900, 1)
	aggTFeed(t, a, []*vec.Vec{x}, make([]uint32, 900), 0, 900, 100)
	if grew := a.Bytes() - before; grew < 900*8 {
		t.Errorf("900 exact hashes account for %d bytes", grew)
	}
	y := aggTDistinctStrings(5000, 1)
	aggTFeed(t, a, []*vec.Vec{y}, make([]uint32, 5000), 0, 5000, 100)
	if b := a.Bytes(); b < 1<<14 || b > 1<<16 {
		t.Errorf("a 2^14-counter sketch accounts for %d bytes", b)
	}
}

func BenchmarkDcountStrings(b *testing.B) {
	const n = 1024
	x := vec.New(types.String, n)
	groups := make([]uint32, n)
	for i := 0; i < n; i++ {
		x.Append(fmt.Sprintf("user%d@example.com", i%300))
		groups[i] = uint32(i % 8)
	}
	a := aggTNew(b, "dcount", []builtins.Arg{aggTArg(types.String)})()
	a.Grow(8)
	args := []*vec.Vec{x}
	ctx := &Ctx{}
	_ = a.Add(ctx, groups, args, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Add(ctx, groups, args, n)
	}
}

// BenchmarkDcountManyGroups is a wide summarize's distinct count: many
// groups with a few values each, fed in random group order.
func BenchmarkDcountManyGroups(b *testing.B) {
	const n, groups = 1024, 100_000
	x := vec.New(types.String, n)
	gids := make([]uint32, n)
	for i := 0; i < n; i++ {
		x.Append(fmt.Sprintf("10.0.0.%d", i%3)) // at most three per group
	}
	a := aggTNew(b, "dcount", []builtins.Arg{aggTArg(types.String)})()
	a.Grow(groups)
	args := []*vec.Vec{x}
	ctx := &Ctx{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range gids {
			gids[k] = uint32((i*n + k) * 7919 % groups)
		}
		_ = a.Add(ctx, gids, args, n)
	}
}
