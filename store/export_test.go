package store

import (
	"math/rand/v2"
	"testing"

	"hunt/engine/vec"
)

// Test helpers for the external tests (store_test), which run queries.
var (
	TestSchema = testSchema
	RandRows   = randRows
	SmallUnits = smallUnits
)

func WriteStore(t testing.TB, dir, table string, schema vec.Schema, rows [][]any, rng *rand.Rand) {
	writeStore(t, dir, table, schema, rows, rng)
}

func RowsToBatch(schema vec.Schema, rows [][]any) *vec.Batch { return rowsToBatch(schema, rows) }
