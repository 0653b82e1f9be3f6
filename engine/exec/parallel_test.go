package exec

import (
	"fmt"
	"strings"
	"testing"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// memSource serves batches from memory and splits into contiguous parts.
type memSource struct {
	batches []*vec.Batch
	next    int
}

func (m *memSource) Next() (*vec.Batch, error) {
	if m.next >= len(m.batches) {
		return nil, nil
	}
	m.next++
	return m.batches[m.next-1], nil
}

func (m *memSource) Close() error { return nil }

var splits int

func (m *memSource) Split(n int) ([]Source, error) {
	splits++
	var out []Source
	per := (len(m.batches) + n - 1) / n
	for i := 0; i < len(m.batches); i += per {
		out = append(out, &memSource{batches: m.batches[i:min(i+per, len(m.batches))]})
	}
	return out, nil
}

func testTable(rows int) (vec.Schema, []*vec.Batch) {
	schema := vec.Schema{{Name: "User", Type: types.String}, {Name: "N", Type: types.Long}}
	var batches []*vec.Batch
	b := vec.NewBuilder(schema, 0)
	for i := 0; i < rows; i++ {
		b.Cols[0].Append(fmt.Sprintf("u%d", (i*7)%13))
		if i%5 == 0 {
			b.Cols[1].Append(nil)
		} else {
			b.Cols[1].Append(int64(i))
		}
		if b.Len() == 10 {
			batches = append(batches, b.Flush())
		}
	}
	if b.Len() > 0 {
		batches = append(batches, b.Flush())
	}
	return schema, batches
}

func call(t *testing.T, name string, args ...plan.Expr) *plan.Call {
	f, ok := builtins.Lookup(name)
	if !ok {
		t.Fatalf("no builtin %s", name)
	}
	typ, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		t.Fatal(err)
	}
	return &plan.Call{Name: name, Func: f, Args: args, T: typ}
}

func render(b *vec.Batch) string {
	var sb strings.Builder
	for i := 0; i < b.N; i++ {
		for _, c := range b.Cols {
			fmt.Fprintf(&sb, "%v|", types.DynString(c.Get(i)))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// TestParallelMatchesSequential runs a filter chain and a grouped
// aggregation with one and with several workers: the rows and their order
// must be the same.
func TestParallelMatchesSequential(t *testing.T) {
	_ = fn.Ctx{}
	schema, batches := testTable(1000)
	scan := &plan.Scan{Table: "T", Columns: schema}
	user := &plan.ColRef{Index: 0, Name: "User", T: types.String}
	n := &plan.ColRef{Index: 1, Name: "N", T: types.Long}
	filter := &plan.Filter{Input: scan, Pred: call(t, "!=", user, &plan.Const{T: types.String, Value: "u3"})}
	proj := &plan.Project{Input: filter, Exprs: []plan.Expr{user, call(t, "*", n, &plan.Const{T: types.Long, Value: int64(2)})}, Names: []string{"User", "N2"}}
	set, _ := builtins.Lookup("make_set")
	sum, _ := builtins.Lookup("sum")
	dc, _ := builtins.Lookup("dcount")
	agg := &plan.Aggregate{Input: filter, Keys: []plan.Expr{user}, KeyNames: []string{"User"}, Aggs: []plan.AggCall{
		{Name: "sum", Func: sum, Args: []plan.Expr{n}, Out: vec.Schema{{Name: "s", Type: types.Long}}},
		{Name: "make_set", Func: set, Args: []plan.Expr{n}, Out: vec.Schema{{Name: "set", Type: types.Dynamic}}},
		{Name: "dcount", Func: dc, Args: []plan.Expr{n}, Out: vec.Schema{{Name: "d", Type: types.Long}}},
	}}
	noKeys := &plan.Aggregate{Input: scan, Aggs: []plan.AggCall{{Name: "sum", Func: sum, Args: []plan.Expr{n}, Out: vec.Schema{{Name: "s", Type: types.Long}}}}}
	for _, root := range []plan.Node{proj, agg, noKeys} {
		var outs []string
		for _, workers := range []int{1, 2, 3, 7} {
			ctx := &Context{Workers: workers, OpenTable: func(*plan.Scan) (Source, error) {
				return &memSource{batches: batches}, nil
			}}
			b, err := Collect(ctx, root)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, render(b))
		}
		if splits == 0 {
			t.Errorf("%s: never split", root.Describe())
		}
		splits = 0
		for i := 1; i < len(outs); i++ {
			if outs[i] != outs[0] {
				t.Errorf("%s: workers differ:\n%s\nvs\n%s", root.Describe(), outs[i], outs[0])
			}
		}
		if outs[0] == "" {
			t.Errorf("%s: no rows", root.Describe())
		}
	}
}

// TestStatsParallelParts: under parallel workers, --stats shows each
// operator once, with the rows of all parts and how many parts ran it.
func TestStatsParallelParts(t *testing.T) {
	schema, batches := testTable(1000)
	scan := &plan.Scan{Table: "T", Columns: schema}
	user := &plan.ColRef{Index: 0, Name: "User", T: types.String}
	filter := &plan.Filter{Input: scan, Pred: call(t, "!=", user, &plan.Const{T: types.String, Value: "u3"})}
	count, _ := builtins.Lookup("count")
	root := &plan.Aggregate{Input: filter, Keys: []plan.Expr{user}, KeyNames: []string{"User"}, Aggs: []plan.AggCall{
		{Name: "count", Func: count, Out: vec.Schema{{Name: "c", Type: types.Long}}},
	}}
	var want int64
	seq := &Context{Workers: 1, OpenTable: func(*plan.Scan) (Source, error) { return &memSource{batches: batches}, nil }}
	b, err := Collect(seq, filter)
	if err != nil {
		t.Fatal(err)
	}
	want = int64(b.N)
	st := &Stats{}
	ctx := &Context{Workers: 3, Stats: st, OpenTable: func(*plan.Scan) (Source, error) { return &memSource{batches: batches}, nil }}
	if _, err := Collect(ctx, root); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(st.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one line per operator (aggregate, filter, scan):\n%s", st.String())
	}
	if !strings.Contains(lines[1], fmt.Sprintf("%d rows", want)) || !strings.HasSuffix(lines[1], "(3 parts)") {
		t.Errorf("filter line: %q, want %d rows over 3 parts", lines[1], want)
	}
	// A streaming chain behind an ordered exchange: the parts count its
	// rows, the exchange adds none.
	st = &Stats{}
	ctx = &Context{Workers: 3, Stats: st, OpenTable: func(*plan.Scan) (Source, error) { return &memSource{batches: batches}, nil }}
	if _, err := Collect(ctx, filter); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(st.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(strings.TrimSpace(lines[0]), fmt.Sprintf("%d rows", want)) || !strings.HasSuffix(lines[0], "(3 parts)") {
		t.Errorf("filter over an exchange, want %d rows over 3 parts:\n%s", want, st.String())
	}
}
