package fn

import (
	"math"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func TestAggArgMaxDocs(t *testing.T) {
	// arg-max-aggregation-function-3 and the arg_min page's twin:
	// datatable(Fruit, Color, Version) | summarize arg_max(Version, *) by
	// Fruit; * expands to Color (Fruit is the key).
	version := aggTCol(types.Int, 1, nil, nil, nil, 1, 2)
	color := aggTCol(types.String, "Red", "Green", "Yellow", "Green", "Brown", "Green")
	fruit := []uint32{0, 0, 1, 1, 2, 2} // Apple, Banana, Pear
	args := []builtins.Arg{aggTArg(types.Int), aggTArg(types.String)}
	cols := []*vec.Vec{version, color}
	aggTCheck(t, "arg_max doc", "arg_max", args, cols, fruit, 3,
		[]any{1, nil, 2}, []any{"Red", "Yellow", "Green"})
	aggTCheck(t, "arg_min doc", "arg_min", args, cols, fruit, 3,
		[]any{1, nil, 1}, []any{"Red", "Yellow", "Brown"})
	aggTCheck(t, "argmax alias", "argmax", args, cols, fruit, 3,
		[]any{1, nil, 2}, []any{"Red", "Yellow", "Green"})
	// The same rows split between workers.
	aggTMergeCheck(t, "arg_max doc merged", "arg_max", args, cols, fruit, 3, 1, 2, 3, 5)
}

func TestAggArgMax(t *testing.T) {
	// Ties keep the first row; several returned columns of every type.
	x := aggTCol(types.Long, 5, 7, 7, 3, 3, 1)
	name := aggTCol(types.String, "a", "b", "c", "d", "e", "f")
	when := aggTCol(types.DateTime, types.DT(1), nil, types.DT(3), types.DT(4), types.DT(5), types.DT(6))
	dyn := aggTCol(types.Dynamic, "d1", []any{int64(2)}, nil, aggTBag("k", 1), "d5", "d6")
	g := []uint32{0, 0, 0, 1, 1, 2}
	args := []builtins.Arg{aggTArg(types.Long), aggTArg(types.String), aggTArg(types.DateTime), aggTArg(types.Dynamic)}
	cols := []*vec.Vec{x, name, when, dyn}
	aggTCheck(t, "arg_max ties", "arg_max", args, cols, g, 4,
		[]any{7, 3, 1, nil}, []any{"b", "d", "f", ""}, []any{nil, types.DT(4), types.DT(6), nil}, []any{"[2]", `{"k":1}`, `"d6"`, nil})
	aggTCheck(t, "arg_min ties", "arg_min", args, cols, g, 3,
		[]any{5, 3, 1}, []any{"a", "d", "f"}, []any{types.DT(1), types.DT(4), types.DT(6)}, []any{`"d1"`, `{"k":1}`, `"d6"`})
	// Only the maximized expression.
	aggTCheck(t, "arg_max alone", "arg_max", args[:1], cols[:1], g, 3, []any{7, 3, 1})
	// Strings, reals with NaN (least), bools, timespans.
	s := aggTCol(types.String, "b", "", "c", "a")
	aggTCheck(t, "arg_max string", "arg_max", []builtins.Arg{aggTArg(types.String), aggTArg(types.Long)},
		[]*vec.Vec{s, aggTCol(types.Long, 1, 2, 3, 4)}, nil, 1, []any{"c"}, []any{3})
	aggTCheck(t, "arg_min string: empty is least", "arg_min", []builtins.Arg{aggTArg(types.String), aggTArg(types.Long)},
		[]*vec.Vec{s, aggTCol(types.Long, 1, 2, 3, 4)}, nil, 1, []any{""}, []any{2})
	r := aggTCol(types.Real, math.NaN(), 2.5, nil, 1.0)
	aggTCheck(t, "arg_max real", "arg_max", []builtins.Arg{aggTArg(types.Real), aggTArg(types.Long)},
		[]*vec.Vec{r, aggTCol(types.Long, 1, 2, 3, 4)}, nil, 1, []any{2.5}, []any{2})
	aggTCheck(t, "arg_min real: NaN is least", "arg_min", []builtins.Arg{aggTArg(types.Real), aggTArg(types.Long)},
		[]*vec.Vec{r, aggTCol(types.Long, 1, 2, 3, 4)}, nil, 1, []any{math.NaN()}, []any{1})
	b := aggTCol(types.Bool, false, true, true)
	aggTCheck(t, "arg_max bool", "arg_max", []builtins.Arg{aggTArg(types.Bool), aggTArg(types.Long)},
		[]*vec.Vec{b, aggTCol(types.Long, 1, 2, 3)}, nil, 1, []any{true}, []any{2})
	ts := aggTCol(types.Timespan, types.TS(-5), types.TS(9), types.TS(9))
	aggTCheck(t, "arg_min timespan", "arg_min", []builtins.Arg{aggTArg(types.Timespan), aggTArg(types.Guid)},
		[]*vec.Vec{ts, aggTCol(types.Guid, types.GuidVal{1}, types.GuidVal{2}, nil)}, nil, 1, []any{types.TS(-5)}, []any{types.GuidVal{1}})
	// A group with only null expressions returns its first row.
	aggTCheck(t, "arg_max all null", "arg_max", []builtins.Arg{aggTArg(types.Long), aggTArg(types.String)},
		[]*vec.Vec{aggTCol(types.Long, nil, nil), aggTCol(types.String, "first", "second")}, nil, 1, []any{nil}, []any{"first"})
	// An untyped null expression: the first row too.
	aggTCheck(t, "arg_max untyped null", "arg_max", []builtins.Arg{aggTConst(types.Unknown, nil), aggTArg(types.String)},
		[]*vec.Vec{nil, aggTCol(types.String, "first", "second")}, nil, 1, []any{nil}, []any{"first"})
}

// When the analyzer leaves a `*` unexpanded, the kernel types the columns
// from the vectors it is given.
func TestAggArgMaxStar(t *testing.T) {
	args := []builtins.Arg{aggTArg(types.Long), {Star: true}}
	mk := aggTNew(t, "arg_max", args)
	a := mk()
	a.Grow(2)
	x := aggTCol(types.Long, 1, 5, 2)
	c1 := aggTCol(types.String, "a", "b", "c")
	c2 := aggTCol(types.Real, 1.0, 2.0, 3.0)
	if err := a.Add(&Ctx{}, []uint32{0, 0, 1}, []*vec.Vec{x, c1, c2}, 3); err != nil {
		t.Fatal(err)
	}
	got := aggTValues(a.(MultiAgg).Results(2))
	want := [][]any{{5, 2}, {"b", "c"}, {2.0, 3.0}}
	for k := range want {
		if !aggTEqCol(got[k], want[k]) {
			t.Errorf("column %d = %v, want %v", k, got[k], want[k])
		}
	}
}

func TestAggTakeAny(t *testing.T) {
	g := []uint32{0, 0, 0, 1, 1, 2}
	s := aggTCol(types.String, "", "x", "y", "", "", "z")
	l := aggTCol(types.Long, nil, 2, 3, nil, 5, 6)
	// One argument: the first non-empty value.
	aggTCheck(t, "take_any string", "take_any", []builtins.Arg{aggTArg(types.String)}, []*vec.Vec{s}, g, 4, []any{"x", "", "z", ""})
	aggTCheck(t, "take_any long", "take_any", []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{l}, g, 4, []any{2, 5, 6, nil})
	aggTCheck(t, "any alias", "any", []builtins.Arg{aggTArg(types.Long)}, []*vec.Vec{l}, g, 3, []any{2, 5, 6})
	d := aggTCol(types.Dynamic, nil, "", []any{}, "v", nil, nil)
	aggTCheck(t, "take_any dynamic", "take_any", []builtins.Arg{aggTArg(types.Dynamic)}, []*vec.Vec{d}, g, 3, []any{"[]", `"v"`, nil})
	// Several arguments: all from the first row.
	aggTCheck(t, "take_any row", "take_any", []builtins.Arg{aggTArg(types.String), aggTArg(types.Long)}, []*vec.Vec{s, l}, g, 3,
		[]any{"", "", "z"}, []any{nil, nil, 6})
	// take_anyif.
	p := aggTCol(types.Bool, true, false, true, false, nil, true)
	aggTCheck(t, "take_anyif", "take_anyif", []builtins.Arg{aggTArg(types.String), aggTArg(types.Bool)}, []*vec.Vec{s, p}, g, 3, []any{"y", "", "z"})
	aggTCheck(t, "take_anyif long", "anyif", []builtins.Arg{aggTArg(types.Long), aggTArg(types.Bool)}, []*vec.Vec{l, p}, g, 3, []any{3, nil, 6})
	// take_any(*) with unexpanded star.
	a := aggTNew(t, "take_any", []builtins.Arg{{Star: true}})()
	a.Grow(1)
	if err := a.Add(&Ctx{}, []uint32{0, 0}, []*vec.Vec{aggTCol(types.String, "", "b"), aggTCol(types.Long, 1, 2)}, 2); err != nil {
		t.Fatal(err)
	}
	got := aggTValues(a.(MultiAgg).Results(1))
	if len(got) != 2 || !aggTEqCol(got[0], []any{""}) || !aggTEqCol(got[1], []any{1}) {
		t.Errorf("take_any(*) = %v", got)
	}
}
