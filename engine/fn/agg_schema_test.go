package fn

import (
	"math/rand"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func TestBuildSchema(t *testing.T) {
	A := aggTArg
	// buildschema-aggregation-function example.
	vals := aggTCol(types.Dynamic,
		strJSON(`{"x":1, "y":3.5}`),
		strJSON(`{"x":"somevalue", "z":[1, 2, 3]}`),
		strJSON(`{"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]}`))
	aggTCheck(t, "doc", "buildschema", []builtins.Arg{A(types.Dynamic)}, []*vec.Vec{vals}, nil, 1,
		[]any{"{\"x\":[\"long\",\"string\"],\"y\":[\"double\",{\"w\":\"string\"}],\"z\":{\"`indexer`\":[\"long\",\"string\"]},\"t\":{\"`indexer`\":\"string\"}}"})
	// Scalars, nulls, empty arrays and empty groups.
	aggTCheck(t, "scalars", "buildschema", []builtins.Arg{A(types.Dynamic)},
		[]*vec.Vec{aggTCol(types.Dynamic, int64(1), nil, "a", int64(2), strJSON("[]"))}, []uint32{0, 0, 0, 0, 1}, 3,
		[]any{`["long","string"]`, "{\"`indexer`\":null}", nil})
	r := rand.New(rand.NewSource(5))
	aggTMergeCheck(t, "merge", "buildschema", []builtins.Arg{A(types.Dynamic)}, []*vec.Vec{aggTRand(r, types.Dynamic, 200)}, aggTGroups(r, 200, 3), 3, 0, 50, 200)
}
