package fn

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func TestAggPercentilesDocs(t *testing.T) {
	// percentilesw-aggregation-function-2.
	bucket := aggTCol(types.Long, 10, 20, 30, 40)
	count := aggTCol(types.Long, 8, 6, 3, 1)
	A, C := aggTArg, aggTConst
	aggTCheck(t, "percentilesw doc", "percentilesw", []builtins.Arg{A(types.Long), A(types.Long), C(types.Long, 50), C(types.Long, 75), C(types.Real, 99.9)},
		[]*vec.Vec{bucket, count}, nil, 1, []any{20}, []any{20}, []any{40})
	aggTCheck(t, "percentilesw_array doc", "percentilesw_array", []builtins.Arg{A(types.Long), A(types.Long), C(types.Long, 50), C(types.Long, 75), C(types.Real, 99.9)},
		[]*vec.Vec{bucket, count}, nil, 1, []any{"[20,20,40]"})
	aggTCheck(t, "percentilesw_array dynamic doc", "percentilesw_array", []builtins.Arg{A(types.Long), A(types.Long), C(types.Dynamic, []any{int64(50), int64(75), 99.9})},
		[]*vec.Vec{bucket, count}, nil, 1, []any{"[20,20,40]"})
	// The same latencies unbucketed, from the page: {1, 1, 2, 2, 2, 5, 7,
	// 7, 12, 12, 15, 15, 15, 18, 21, 22, 26, 35}.
	lat := aggTCol(types.Long, 1, 1, 2, 2, 2, 5, 7, 7, 12, 12, 15, 15, 15, 18, 21, 22, 26, 35)
	aggTCheck(t, "percentiles nearest rank", "percentiles", []builtins.Arg{A(types.Long), C(types.Long, 0), C(types.Long, 50), C(types.Long, 75), C(types.Real, 99.9), C(types.Long, 100)},
		[]*vec.Vec{lat}, nil, 1, []any{1}, []any{12}, []any{18}, []any{35}, []any{35})
	// tdigest-aggregation-function-2: values 1.0 (weight 1) and 2.0
	// (weight 2) have the 50th percentile 2.
	aggTCheck(t, "percentilew tdigest doc", "percentilew", []builtins.Arg{A(types.Real), A(types.Long), C(types.Long, 50)},
		[]*vec.Vec{aggTCol(types.Real, 1.0, 2.0), aggTCol(types.Long, 1, 2)}, nil, 1, []any{2.0})
}

func TestAggPercentile(t *testing.T) {
	A, C := aggTArg, aggTConst
	g := []uint32{0, 0, 0, 0, 1, 1, 2}
	x := aggTCol(types.Int, 4, 1, nil, 3, 10, 20, nil)
	// Int widens to long; the median of {1, 3, 4} is 3 (rank 2); of {10,
	// 20} it is 10 (rank 1); a group of nulls gives null.
	aggTCheck(t, "percentile int", "percentile", []builtins.Arg{A(types.Int), C(types.Long, 50)}, []*vec.Vec{x}, g, 4, []any{3, 10, nil, nil})
	got := aggTRun(t, "percentile", []builtins.Arg{A(types.Int), C(types.Long, 50)}, []*vec.Vec{x}, g, 3)
	if _, ok := got[0][0].(int64); !ok {
		t.Errorf("percentile of int is %T, want long", got[0][0])
	}
	aggTCheck(t, "percentiles_array", "percentiles_array", []builtins.Arg{A(types.Int), C(types.Long, 0), C(types.Long, 100)}, []*vec.Vec{x}, g, 3,
		[]any{"[1,4]", "[10,20]", nil})
	// Reals with NaN first, decimals as reals, datetimes and timespans.
	r := aggTCol(types.Real, 2.5, math.NaN(), 1.5)
	aggTCheck(t, "percentiles real", "percentiles", []builtins.Arg{A(types.Real), C(types.Long, 0), C(types.Long, 50), C(types.Long, 100)}, []*vec.Vec{r}, nil, 1,
		[]any{math.NaN()}, []any{1.5}, []any{2.5})
	dec := aggTCol(types.Decimal, 2.5, 1.5)
	aggTCheck(t, "percentile decimal", "percentile", []builtins.Arg{A(types.Decimal), C(types.Long, 100)}, []*vec.Vec{dec}, nil, 1, []any{2.5})
	d := aggTCol(types.DateTime, types.DT(30), types.DT(10), types.DT(20))
	aggTCheck(t, "percentile datetime", "percentile", []builtins.Arg{A(types.DateTime), C(types.Real, 33.4)}, []*vec.Vec{d}, nil, 1, []any{types.DT(20)})
	aggTCheck(t, "percentiles_array datetime", "percentiles_array", []builtins.Arg{A(types.DateTime), C(types.Real, 33.3)}, []*vec.Vec{d}, nil, 1,
		[]any{`["1970-01-01T00:00:00.0000010Z"]`})
	ts := aggTCol(types.Timespan, types.TS(5), types.TS(-5))
	aggTCheck(t, "percentile timespan", "percentile", []builtins.Arg{A(types.Timespan), C(types.Long, 50)}, []*vec.Vec{ts}, nil, 1, []any{types.TS(-5)})
	// Weights: null and non-positive weights are skipped.
	aggTCheck(t, "percentilew weights", "percentilew", []builtins.Arg{A(types.Long), A(types.Long), C(types.Long, 50)},
		[]*vec.Vec{aggTCol(types.Long, 1, 2, 3, 4), aggTCol(types.Long, 1, nil, 0, 5)}, nil, 1, []any{4})

	// Nearest rank against a sort, randomized.
	rnd := rand.New(rand.NewSource(3))
	for round := 0; round < 50; round++ {
		n := 1 + rnd.Intn(60)
		vals := make([]any, n)
		sorted := make([]int64, n)
		for i := range vals {
			v := int64(rnd.Intn(1000) - 500)
			vals[i], sorted[i] = v, v
		}
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		p := float64(rnd.Intn(1001)) / 10
		rank := int(math.Ceil(p * float64(n) / 100))
		if rank < 1 {
			rank = 1
		}
		aggTCheck(t, "random nearest rank", "percentile", []builtins.Arg{A(types.Long), C(types.Real, p)},
			[]*vec.Vec{aggTCol(types.Long, vals...)}, nil, 1, []any{sorted[rank-1]})
	}
}
