package store

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// testSchema has a column of every type, in low- and high-cardinality
// versions where the encodings differ.
var testSchema = vec.Schema{
	{Name: "Id", Type: types.Long},
	{Name: "Timestamp", Type: types.DateTime},
	{Name: "B", Type: types.Bool},
	{Name: "I", Type: types.Int},
	{Name: "L", Type: types.Long},
	{Name: "Lc", Type: types.Long},
	{Name: "R", Type: types.Real},
	{Name: "Rc", Type: types.Real},
	{Name: "Dec", Type: types.Decimal},
	{Name: "S", Type: types.String},
	{Name: "Sc", Type: types.String},
	{Name: "Span", Type: types.Timespan},
	{Name: "G", Type: types.Guid},
	{Name: "Gc", Type: types.Guid},
	{Name: "D", Type: types.Dynamic},
	{Name: "Dc", Type: types.Dynamic},
}

var testWords = []string{"github", "GitHub", "gitlab", "zip", "ZIP", ".zip", "office.net", "myoffice.net", "a-b", "", " ",
	"Ünïcödé", "straße", "ΣΊΣΥΦΟΣ", "\u212a", "k", "x\u0345y", "日本語", "\u0345", "a.\u0345.b", "tab\there", "quote\"d", "back\\slash", "line\nbreak"}

func randWord(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return fmt.Sprintf("%s.%s-%d", testWords[rng.IntN(len(testWords))], testWords[rng.IntN(len(testWords))], rng.IntN(1000))
	}
	return testWords[rng.IntN(len(testWords))]
}

// randDyn returns a random dynamic value: the kinds JSON gives and the
// typed ones only in-memory tables hold.
func randDyn(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(14); {
	case k == 0:
		return nil
	case k == 1:
		return rng.IntN(2) == 0
	case k == 2:
		return int64(rng.IntN(100)) - 50
	case k == 3:
		return []float64{1.0, -0.0, 2.5, math.NaN(), math.Inf(1), 1e300}[rng.IntN(6)]
	case k <= 6:
		return randWord(rng)
	case k == 7:
		return types.DT(rng.Int64N(1 << 50))
	case k == 8:
		return types.TS(rng.Int64N(1<<40) - 1<<39)
	case k == 9:
		var g types.GuidVal
		g[rng.IntN(16)] = byte(rng.IntN(256))
		return g
	case k == 10 && depth < 3:
		n := rng.IntN(4)
		a := make([]any, n)
		for i := range a {
			a[i] = randDyn(rng, depth+1)
		}
		return a
	case depth < 3:
		return randBag(rng, depth+1, rng.IntN(5))
	}
	return "leaf"
}

var bagKeys = []string{"FileExtension", "OriginatingDomain", "TargetDomain", "ObjectId", "Rare", "k", "Nested"}

func randBag(rng *rand.Rand, depth, n int) *types.Bag {
	b := types.NewBag(n)
	for i := 0; i < n; i++ {
		k := bagKeys[rng.IntN(len(bagKeys))]
		if rng.IntN(40) == 0 {
			k = fmt.Sprintf("key%d", rng.IntN(100))
		}
		if rng.IntN(2) == 0 {
			b.Set(k, randWord(rng))
		} else {
			b.Set(k, randDyn(rng, depth))
		}
	}
	return b
}

// randRow returns a row of testSchema; null rates vary per column.
func randRow(rng *rand.Rand, id int64, base time.Time) []any {
	null := func() bool { return rng.IntN(8) == 0 }
	row := make([]any, len(testSchema))
	row[0] = id
	if !null() {
		row[1] = types.DT(types.FromTime(base.Add(time.Duration(rng.Int64N(int64(6 * time.Hour))))))
	}
	if !null() {
		row[2] = rng.IntN(2) == 0
	}
	if !null() {
		row[3] = int64(int32(rng.Uint32()))
	}
	if !null() {
		row[4] = rng.Int64() - rng.Int64()
	}
	if !null() {
		row[5] = []int64{11161, 20893, 0, -1, math.MaxInt64, math.MinInt64}[rng.IntN(6)]
	}
	if !null() {
		row[6] = rng.NormFloat64() * 1e6
	}
	if !null() {
		row[7] = []float64{0, -0.0, 1, math.NaN(), math.Inf(-1)}[rng.IntN(5)]
	}
	if !null() {
		row[8] = float64(rng.IntN(1000)) / 100
	}
	row[9] = randWord(rng) + fmt.Sprint(rng.IntN(100000))
	if rng.IntN(10) == 0 {
		row[9] = ""
	}
	row[10] = testWords[rng.IntN(len(testWords))]
	if !null() {
		row[11] = types.TS(rng.Int64N(1<<45) - 1<<44)
	}
	if !null() {
		var g types.GuidVal
		for i := range g {
			g[i] = byte(rng.UintN(256))
		}
		row[12] = g
	}
	if !null() {
		row[13] = types.GuidVal{byte(rng.IntN(3))}
	}
	switch rng.IntN(6) {
	case 0:
		row[14] = randDyn(rng, 0)
	default:
		b := types.NewBag(8)
		b.Set("ObjectId", randWord(rng)+fmt.Sprint(rng.IntN(1000)))
		if rng.IntN(3) == 0 {
			b.Set("FileExtension", []string{"zip", "ZIP", "pdf"}[rng.IntN(3)])
			b.Set("OriginatingDomain", randWord(rng))
		}
		if rng.IntN(2) == 0 {
			b.Set("TargetDomain", randDyn(rng, 1))
		}
		for k := rng.IntN(3); k > 0; k-- {
			b.Set(bagKeys[rng.IntN(len(bagKeys))], randDyn(rng, 1))
		}
		if rng.IntN(50) == 0 {
			b.Set(fmt.Sprintf("Only%d", rng.IntN(1000)), "x")
		}
		row[14] = b
	}
	row[15] = []any{[]any{}, "x", int64(1), types.NewBag(0)}[rng.IntN(4)]
	return row
}

func rowsToBatch(schema vec.Schema, rows [][]any) *vec.Batch {
	bld := vec.NewBuilder(schema, len(rows))
	for _, r := range rows {
		for i, x := range r {
			if x == nil && schema[i].Type == types.String {
				x = ""
			}
			bld.Cols[i].Append(x)
		}
	}
	return bld.Flush()
}

// smallUnits makes blocks and parts small for the duration of a test, so
// that a few hundred rows cross many boundaries.
func smallUnits(t testing.TB, block, part int) {
	ob, op, omb := BlockRows, PartRows, maxBuffered
	BlockRows, PartRows = block, part
	t.Cleanup(func() { BlockRows, PartRows, maxBuffered = ob, op, omb })
}

// writeStore writes rows in batches of random sizes into a new store.
func writeStore(t testing.TB, dir, table string, schema vec.Schema, rows [][]any, rng *rand.Rand) {
	t.Helper()
	w, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := w.Table(table, schema)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(rows); {
		n := 1 + rng.IntN(300)
		end := min(len(rows), i+n)
		if err := tw.Write(rowsToBatch(schema, rows[i:end])); err != nil {
			t.Fatal(err)
		}
		i = end
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// scanAll drains a source into rows.
func scanAll(t testing.TB, src interface {
	Next() (*vec.Batch, error)
	Close() error
}) [][]any {
	t.Helper()
	var out [][]any
	for {
		b, err := src.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		for i := 0; i < b.N; i++ {
			r := make([]any, len(b.Cols))
			for j, c := range b.Cols {
				r[j] = c.Get(i)
			}
			out = append(out, r)
		}
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameValue compares values exactly: types, NaN, negative zero, bag
// key order.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case *types.Bag:
		y, ok := b.(*types.Bag)
		if !ok || len(x.Keys) != len(y.Keys) {
			return false
		}
		for i, k := range x.Keys {
			if y.Keys[i] != k || !sameValue(x.Vals[i], y.Vals[i]) {
				return false
			}
			if v, ok := y.Get(k); !ok || !sameValue(v, x.Vals[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case float64:
		return fmt.Sprintf("real(%v)", x)
	case int64:
		return fmt.Sprintf("long(%d)", x)
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%T(%s)", v, types.DynString(v))
}

func allColumnsScan(table string, schema vec.Schema) *plan.Scan {
	return &plan.Scan{Table: table, Columns: schema}
}
