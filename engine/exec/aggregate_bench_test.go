package exec

import (
	"fmt"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// BenchmarkAggregate groups 128k rows by a string key with 10k distinct
// values (as summarize ... by AccountObjectId does) and computes count,
// dcount or make_set of another string column per group.
func BenchmarkAggregate(b *testing.B) {
	const rows, groups = 128 << 10, 10_000
	schema := vec.Schema{{Name: "AccountObjectId", Type: types.String}, {Name: "File", Type: types.String}}
	var batches []*vec.Batch
	var keyBytes int64
	bld := vec.NewBuilder(schema, vec.BatchSize)
	for i := 0; i < rows; i++ {
		key := fmt.Sprintf("%08x-0d9f-4e8a-b6c5-1f2e3d4c5b6a", (i*7919)%groups)
		bld.Cols[0].Append(key)
		bld.Cols[1].Append(fmt.Sprintf("repo-%d-main.zip", i%37))
		keyBytes += int64(len(key))
		if bld.Len() == vec.BatchSize {
			batches = append(batches, bld.Flush())
		}
	}
	if bld.Len() > 0 {
		batches = append(batches, bld.Flush())
	}
	scan := &plan.Scan{Table: "CloudAppEvents", Columns: schema}
	key := &plan.ColRef{Index: 0, Name: "AccountObjectId", T: types.String}
	file := &plan.ColRef{Index: 1, Name: "File", T: types.String}
	agg := func(name string, out types.Type, args ...plan.Expr) plan.AggCall {
		f, ok := builtins.Lookup(name)
		if !ok {
			b.Fatalf("no aggregate %s", name)
		}
		return plan.AggCall{Name: name, Func: f, Args: args, Out: vec.Schema{{Name: name, Type: out}}}
	}
	cases := []struct {
		name string
		aggs []plan.AggCall
	}{
		{"count", []plan.AggCall{agg("count", types.Long)}},
		{"dcount", []plan.AggCall{agg("dcount", types.Long, file)}},
		{"make_set", []plan.AggCall{agg("make_set", types.Dynamic, file, &plan.Const{T: types.Long, Value: int64(128)})}},
		{"dcount+make_set", []plan.AggCall{agg("dcount", types.Long, file), agg("make_set", types.Dynamic, file, &plan.Const{T: types.Long, Value: int64(128)})}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(keyBytes)
			root := &plan.Aggregate{Input: scan, Keys: []plan.Expr{key}, KeyNames: []string{"AccountObjectId"}, Aggs: c.aggs}
			benchRun(b, root, batches, rows)
		})
	}
}
