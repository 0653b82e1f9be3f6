package fn

import (
	"math/rand"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// tdRun builds one digest per group with tdigest(x[, w]) and returns
// them as dynamic values.
func tdRun(t *testing.T, args []builtins.Arg, cols []*vec.Vec, groups []uint32, ng int) []any {
	t.Helper()
	out := aggTRun(t, "tdigest", args, cols, groups, ng)[0]
	for i, x := range out {
		if s, ok := x.(string); ok {
			out[i] = strJSON(s)
		}
	}
	return out
}

func TestTdigestDocs(t *testing.T) {
	A := aggTArg
	// tdigest-aggregation-function-2: centroids 1.0 (weight 1) and 2.0
	// (weight 2); the 50th percentile is 2.
	d := tdRun(t, []builtins.Arg{A(types.Real), A(types.Long)}, []*vec.Vec{aggTCol(types.Real, 1.0, 2.0), aggTCol(types.Long, 1, 2)}, nil, 1)
	if s := string(types.AppendJSON(nil, d[0])); s != "[[8],[1,2],[1,2]]" {
		t.Errorf("tdigest = %s", s)
	}
	strCheck(t, 2.0, "percentile_tdigest", strD(d[0]), strL(50))
	// merge-tdigest-function: 1..10 and 11..20 merged, the 100th
	// percentile as long is 20.
	x := make([]any, 10)
	y := make([]any, 10)
	for i := range x {
		x[i], y[i] = i+1, i+11
	}
	dx := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, x...)}, nil, 1)[0]
	dy := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, y...)}, nil, 1)[0]
	if s := string(types.AppendJSON(nil, dx)); s != "[[7],[1,2,3,4,5,6,7,8,9,10],[1,1,1,1,1,1,1,1,1,1]]" {
		t.Errorf("tdigest of 1..10 = %s", s)
	}
	merged, _, err := strEval("merge_tdigest", strModeConst, strD(dx), strD(dy))
	if err != nil {
		t.Fatal(err)
	}
	strCheck(t, int64(20), "percentile_tdigest", strD(merged[0]), strL(100), strT("long"))
	strCheck(t, int64(1), "percentile_tdigest", strD(merged[0]), strL(0), strT("long"))
	strCheck(t, int64(10), "percentile_tdigest", strD(merged[0]), strL(50), strT("long"))
	// rank-tdigest-function: the rank of 685 in 1..1000 is 685.
	k := make([]any, 1000)
	for i := range k {
		k[i] = i + 1
	}
	dk := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, k...)}, nil, 1)[0]
	strCheck(t, int64(685), "rank_tdigest", strD(dk), strL(685))
	strCheck(t, 68.5, "percentrank_tdigest", strD(dk), strL(685))
	strCheck(t, int64(0), "rank_tdigest", strD(dk), strR(0.5))
	strCheck(t, strJSON("[1,500,1000]"), "percentile_array_tdigest", strD(dk), strL(0), strL(50), strL(100))
	strCheck(t, strJSON("[100,900]"), "percentile_array_tdigest", strD(dk), strDyn("[10,90]"))
	// tdigest_merge() merges by group as merge_tdigest() does by row.
	aggTCheck(t, "tdigest_merge", "tdigest_merge", []builtins.Arg{A(types.Dynamic)}, []*vec.Vec{aggTCol(types.Dynamic, dx, dy, nil)}, nil, 1,
		[]any{"[[7],[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]]"})
}

func TestTdigestTypes(t *testing.T) {
	A := aggTArg
	dts := aggTCol(types.DateTime, types.DT(30), types.DT(10), types.DT(20), types.DT(10))
	d := tdRun(t, []builtins.Arg{A(types.DateTime)}, []*vec.Vec{dts}, nil, 1)[0]
	strCheck(t, types.DT(10), "percentile_tdigest", strD(d), strL(50))
	strCheck(t, types.DT(20), "percentile_tdigest", strD(d), strL(75), strT("datetime"))
	strCheck(t, int64(3), "rank_tdigest", strD(d), strA(types.DateTime, types.DT(20)))
	// Digests of different types do not merge; nulls and empty groups.
	dl := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, 1)}, nil, 1)[0]
	strErr(t, "cannot merge", "merge_tdigest", strD(d), strD(dl))
	strCheck(t, nil, "percentile_tdigest", strNull(types.Dynamic), strL(50))
	strErr(t, "not a tdigest", "merge_tdigest", strDyn("[1,2]"), strD(dl))
	got := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, nil, 5)}, []uint32{0, 1}, 3)
	if got[0] != nil || got[2] != nil || got[1] == nil {
		t.Errorf("tdigest of null/empty groups = %v", got)
	}
}

// A digest holds every distinct value up to tdMaxCentroids, so its
// percentiles are percentile()'s; past that it stays close.
func TestTdigestMatchesPercentile(t *testing.T) {
	A, C := aggTArg, aggTConst
	r := rand.New(rand.NewSource(3))
	for _, distinct := range []int{50, 3 * tdMaxCentroids} {
		n := 4 * tdMaxCentroids
		vals := make([]any, n)
		for i := range vals {
			vals[i] = int64(r.Intn(distinct))
		}
		col := aggTCol(types.Long, vals...)
		d := tdRun(t, []builtins.Arg{A(types.Long)}, []*vec.Vec{col}, nil, 1)[0]
		for _, p := range []int64{0, 1, 25, 50, 90, 99, 100} {
			want := aggTRun(t, "percentile", []builtins.Arg{A(types.Long), C(types.Long, p)}, []*vec.Vec{col}, nil, 1)[0][0].(int64)
			got, _, err := strEval("percentile_tdigest", strModeConst, strD(d), strL(p), strT("long"))
			if err != nil {
				t.Fatal(err)
			}
			g := got[0].(int64)
			tol := int64(0)
			if distinct > tdMaxCentroids && p != 0 && p != 100 {
				tol = int64(distinct / 100)
			}
			if g < want-tol || g > want+tol {
				t.Errorf("%d distinct: percentile %d = %d, want %d (±%d)", distinct, p, g, want, tol)
			}
		}
		if distinct > tdMaxCentroids {
			if arr := d.([]any)[1].([]any); len(arr) > tdMaxCentroids {
				t.Errorf("digest kept %d centroids", len(arr))
			}
		}
	}
	// Splitting the input between workers gives the same digests.
	g := aggTGroups(r, 300, 4)
	x := aggTRand(r, types.Long, 300)
	aggTMergeCheck(t, "tdigest merge", "tdigest", []builtins.Arg{A(types.Long)}, []*vec.Vec{x}, g, 4, 0, 100, 300)
}
