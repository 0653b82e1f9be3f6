package fn

import (
	"fmt"
	"math"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func aggTBag(kv ...any) *types.Bag {
	b := types.NewBag(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		b.Set(kv[i].(string), aggTNorm(kv[i+1]))
	}
	return b
}

var aggTShapes = []string{"triangle", "square", "rectangle", "pentagon", "hexagon", "heptagon", "octagon", "nonagon", "decagon"}

func TestAggMakeSet(t *testing.T) {
	// make-set-aggregation-function-2.
	val := aggTCol(types.Int, 1, 5, 7, 5)
	arr := aggTCol(types.Dynamic, []any{"A1", "A2", "A3"}, []any{"A2", "C1"}, []any{"C2", "A3"}, []any{"C2", "A1"})
	aggTCheck(t, "make_set doc Val", "make_set", []builtins.Arg{aggTArg(types.Int)}, []*vec.Vec{val}, nil, 1, []any{"[1,5,7]"})
	aggTCheck(t, "make_set doc Arr1", "make_set", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{arr}, nil, 1, []any{`["A1","A2","A3","C1","C2"]`})
	// The summarize page: make_set(y) over null, 5.0 is [5.0].
	aggTCheck(t, "make_set nulls", "make_set", []builtins.Arg{aggTArg(types.Real)}, []*vec.Vec{aggTCol(types.Real, nil, 5.0)}, nil, 1, []any{"[5]"})
	// Groups, first-seen order, the empty string as a value.
	g := []uint32{0, 1, 0, 0, 1, 0}
	s := aggTCol(types.String, "b", "x", "a", "b", "", "")
	aggTCheck(t, "make_set strings", "make_set", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{s}, g, 3, []any{`["b","a",""]`, `["x",""]`, "[]"})
	// maxSize, and the deprecated makeset's default of 128.
	aggTCheck(t, "make_set maxSize", "make_set", []builtins.Arg{aggTArg(types.String), aggTConst(types.Long, 2)}, []*vec.Vec{s}, g, 2, []any{`["b","a"]`, `["x",""]`})
	many := vec.New(types.Long, 300)
	for i := 0; i < 300; i++ {
		many.Append(int64(i))
	}
	for _, c := range []struct {
		name string
		want int
	}{{"make_set", 300}, {"makeset", 128}, {"make_list", 300}, {"makelist", 128}} {
		got := aggTRun(t, c.name, []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{many}, nil, 1)
		mk := aggTNew(t, c.name, []builtins.Arg{aggTArg(types.Long)})
		a := mk()
		a.Grow(1)
		aggTFeed(t, a, []*vec.Vec{many}, make([]uint32, 300), 0, 300, 100)
		if n := len(a.Result(1).Dyns[0].([]any)); n != c.want {
			t.Errorf("%s of 300 values has %d elements, want %d (%v)", c.name, n, c.want, got[0][0] != nil)
		}
	}
	// Typed values keep their kinds; -0 == 0; reals and longs differ.
	aggTCheck(t, "make_set reals", "make_set", []builtins.Arg{aggTArg(types.Real)},
		[]*vec.Vec{aggTCol(types.Real, 0.0, math.Copysign(0, -1), 1.5, 1.5)}, nil, 1, []any{"[0,1.5]"})
	aggTCheck(t, "make_set dynamic kinds", "make_set", []builtins.Arg{aggTArg(types.Dynamic)},
		[]*vec.Vec{aggTCol(types.Dynamic, int64(1), "1", int64(1), aggTBag("a", 1), aggTBag("a", 1), []any{[]any{int64(1)}, nil, "1"})}, nil, 1,
		[]any{`[1,"1",{"a":1},[1]]`})
	d := aggTCol(types.DateTime, types.DT(0), types.DT(0), nil)
	aggTCheck(t, "make_set datetime", "make_set", []builtins.Arg{aggTArg(types.DateTime)}, []*vec.Vec{d}, nil, 1, []any{`["1970-01-01T00:00:00.0000000Z"]`})
	// make_set_if.
	p := aggTCol(types.Bool, true, true, false, true, nil, true)
	aggTCheck(t, "make_set_if", "make_set_if", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)}, []*vec.Vec{s, p}, g, 2, []any{`["b",""]`, `["x"]`})
	aggTCheck(t, "make_set_if maxSize", "make_set_if", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool), aggTConst(types.Long, 1)}, []*vec.Vec{s, p}, g, 2, []any{`["b"]`, `["x"]`})
}

func TestAggMakeList(t *testing.T) {
	names := make([]any, len(aggTShapes))
	sides := make([]any, len(aggTShapes))
	bags := make([]any, len(aggTShapes))
	even := make([]uint32, len(aggTShapes))
	for i, s := range aggTShapes {
		names[i] = s
		sides[i] = []int{3, 4, 4, 5, 6, 7, 8, 9, 10}[i]
		bags[i] = aggTBag("name", s, "sideCount", sides[i])
		if sides[i].(int)%2 == 0 {
			even[i] = 1
		}
	}
	// make-list-aggregation-function-1.
	aggTCheck(t, "make_list doc", "make_list", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{aggTCol(types.String, names...)}, nil, 1,
		[]any{`["triangle","square","rectangle","pentagon","hexagon","heptagon","octagon","nonagon","decagon"]`})
	// make-list-aggregation-function-2 and -3 (groups false = 0, true = 1).
	aggTCheck(t, "make_list by", "make_list", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{aggTCol(types.String, names...)}, even, 2,
		[]any{`["triangle","pentagon","heptagon","nonagon"]`, `["square","rectangle","hexagon","octagon","decagon"]`})
	aggTCheck(t, "make_list bags", "make_list", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{aggTCol(types.Dynamic, bags...)}, even, 2,
		[]any{`[{"name":"triangle","sideCount":3},{"name":"pentagon","sideCount":5},{"name":"heptagon","sideCount":7},{"name":"nonagon","sideCount":9}]`,
			`[{"name":"square","sideCount":4},{"name":"rectangle","sideCount":4},{"name":"hexagon","sideCount":6},{"name":"octagon","sideCount":8},{"name":"decagon","sideCount":10}]`})
	// make-list-if-aggregation-function-1.
	aggTCheck(t, "make_list_if doc", "make_list_if", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.String, "John", "Paul", "George", "Ringo"), aggTCol(types.Bool, false, false, true, true)}, nil, 1, []any{`["George","Ringo"]`})
	// make-list-with-nulls-aggregation-function-1.
	withNull := append([]any{nil}, sides[1:]...)
	aggTCheck(t, "make_list_with_nulls doc", "make_list_with_nulls", []builtins.Arg{aggTArg(types.Int)}, []*vec.Vec{aggTCol(types.Int, withNull...)}, nil, 1,
		[]any{"[null,4,4,5,6,7,8,9,10]"})
	aggTCheck(t, "make_list skips nulls", "make_list", []builtins.Arg{aggTArg(types.Int)}, []*vec.Vec{aggTCol(types.Int, withNull...)}, nil, 1,
		[]any{"[4,4,5,6,7,8,9,10]"})
	// The stdev page: make_list(x) of range 1..5.
	aggTCheck(t, "make_list range", "make_list", []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{aggTCol(types.Long, 1, 2, 3, 4, 5)}, nil, 1, []any{"[1,2,3,4,5]"})
	// Arrays are kept whole (hunt's decision, see agg_sets.go); nulls are
	// skipped; duplicates and order are kept.
	arr := aggTCol(types.Dynamic, []any{int64(1), int64(2)}, nil, "x", []any{[]any{int64(3)}, nil}, int64(1))
	aggTCheck(t, "make_list keeps arrays", "make_list", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{arr}, nil, 1, []any{`[[1,2],"x",[[3],null],1]`})
	aggTCheck(t, "make_list maxSize", "make_list", []builtins.Arg{aggTArg(types.Dynamic), aggTConst(types.Long, 3)}, []*vec.Vec{arr}, nil, 1, []any{`[[1,2],"x",[[3],null]]`})
	aggTCheck(t, "make_list_with_nulls keeps arrays", "make_list_with_nulls", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{arr}, nil, 1, []any{`[[1,2],null,"x",[[3],null],1]`})
	// Typed values.
	aggTCheck(t, "make_list timespans", "make_list", []builtins.Arg{aggTArg(types.Timespan)},
		[]*vec.Vec{aggTCol(types.Timespan, types.TS(10000000), nil)}, nil, 1, []any{`["00:00:01"]`})
	aggTCheck(t, "make_list bools", "make_list_if", []builtins.Arg{aggTArg(types.Bool), aggTArg(types.Bool)},
		[]*vec.Vec{aggTCol(types.Bool, true, false, nil), aggTCol(types.Bool, true, true, true)}, nil, 1, []any{`[true,false]`})
	aggTCheck(t, "make_list strings keep empty", "make_list", []builtins.Arg{aggTArg(types.String)},
		[]*vec.Vec{aggTCol(types.String, "", "a", "")}, nil, 1, []any{`["","a",""]`})
	aggTCheck(t, "make_list_with_nulls string", "make_list_with_nulls", []builtins.Arg{aggTArg(types.String)},
		[]*vec.Vec{aggTCol(types.String, "", "a")}, []uint32{1, 1}, 2, []any{`[]`, `["","a"]`})
}

func TestAggMakeBag(t *testing.T) {
	// make-bag-aggregation-function-1 and make-bag-if-aggregation-function-1.
	bags := aggTCol(types.Dynamic, aggTBag("prop01", "val_a"), aggTBag("prop02", "val_b"), aggTBag("prop03", "val_c"))
	aggTCheck(t, "make_bag doc", "make_bag", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{bags}, nil, 1,
		[]any{`{"prop01":"val_a","prop02":"val_b","prop03":"val_c"}`})
	aggTCheck(t, "make_bag_if doc", "make_bag_if", []builtins.Arg{aggTArg(types.Dynamic), aggTArg(types.Bool)},
		[]*vec.Vec{bags, aggTCol(types.Bool, true, false, true)}, nil, 1, []any{`{"prop01":"val_a","prop03":"val_c"}`})
	// Non-bags are skipped, the first value of a key wins, maxSize caps.
	mixed := aggTCol(types.Dynamic, aggTBag("a", 1, "b", 2), "str", nil, []any{int64(1)}, aggTBag("a", 9, "c", 3))
	aggTCheck(t, "make_bag mixed", "make_bag", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{mixed}, []uint32{0, 0, 0, 1, 0}, 3,
		[]any{`{"a":1,"b":2,"c":3}`, `{}`, `{}`})
	aggTCheck(t, "make_bag maxSize", "make_bag", []builtins.Arg{aggTArg(types.Dynamic), aggTConst(types.Long, 2)}, []*vec.Vec{mixed}, nil, 1,
		[]any{`{"a":1,"b":2}`})
	aggTCheck(t, "make_dictionary", "make_dictionary", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{mixed}, nil, 1,
		[]any{`{"a":1,"b":2,"c":3}`})
	// Many keys (past the bag's index threshold).
	many := vec.New(types.Dynamic, 40)
	for i := 0; i < 40; i++ {
		many.Append(aggTBag(fmt.Sprint("k", i%25), i))
	}
	out := aggTRun(t, "make_bag", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{many}, nil, 1)
	mk := aggTNew(t, "make_bag", []builtins.Arg{aggTArg(types.Dynamic)})
	a := mk()
	a.Grow(1)
	aggTFeed(t, a, []*vec.Vec{many}, make([]uint32, 40), 0, 40, 7)
	b := a.Result(1).Dyns[0].(*types.Bag)
	if b.Len() != 25 {
		t.Errorf("make_bag of 25 keys has %d: %v", b.Len(), out)
	}
	if v, _ := b.Get("k3"); v != int64(3) {
		t.Errorf("k3 = %v, want the first value 3", v)
	}
}

func TestAggSetBytes(t *testing.T) {
	a := aggTNew(t, "make_set", []builtins.Arg{aggTArg(types.String)})()
	a.Grow(1)
	b0 := a.Bytes()
	x := vec.New(types.String, 1000)
	for i := 0; i < 1000; i++ {
		x.Append(fmt.Sprintf("%0100d", i)) // 100-byte strings
	}
	aggTFeed(t, a, []*vec.Vec{x}, make([]uint32, 1000), 0, 1000, 256)
	if grew := a.Bytes() - b0; grew < 1000*100 {
		t.Errorf("1000 distinct 100-byte strings account for %d bytes", grew)
	}
	l := aggTNew(t, "make_list", []builtins.Arg{aggTArg(types.String)})()
	l.Grow(1)
	aggTFeed(t, l, []*vec.Vec{x}, make([]uint32, 1000), 0, 1000, 256)
	if l.Bytes() < 1000*100 {
		t.Errorf("a list of 1000 100-byte strings accounts for %d bytes", l.Bytes())
	}
}

func BenchmarkMakeSet(b *testing.B) {
	const n = 1024
	x := vec.New(types.String, n)
	groups := make([]uint32, n)
	for i := 0; i < n; i++ {
		x.Append(fmt.Sprintf("C:\\Users\\file%d.zip", i%200))
		groups[i] = uint32(i % 16)
	}
	a := aggTNew(b, "make_set", []builtins.Arg{aggTArg(types.String)})()
	a.Grow(16)
	args := []*vec.Vec{x}
	ctx := &Ctx{}
	_ = a.Add(ctx, groups, args, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Add(ctx, groups, args, n)
	}
}
