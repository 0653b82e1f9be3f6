package store

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/engine/exec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

var testBase = time.Date(2026, 11, 25, 3, 30, 0, 0, time.UTC)

func randRows(rng *rand.Rand, n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = randRow(rng, int64(i), testBase)
	}
	return rows
}

// byID orders scanned rows by their Id column (column 0).
func byID(rows [][]any) {
	sort.Slice(rows, func(i, j int) bool { return rows[i][0].(int64) < rows[j][0].(int64) })
}

// TestRoundTrip writes random rows of every type (nulls, empty strings,
// NaN, -0, nested dynamic values of every kind) through small blocks and
// parts and reads them back exactly.
func TestRoundTrip(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		smallUnits(t, []int{7, 64, 300, 5000}[seed-1], []int{30, 200, 1000, 1 << 20}[seed-1])
		rows := randRows(rng, 1500)
		dir := t.TempDir()
		writeStore(t, dir, "T", testSchema, rows, rng)
		st, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		src, err := st.Open(allColumnsScan("T", testSchema))
		if err != nil {
			t.Fatal(err)
		}
		got := scanAll(t, src)
		if len(got) != len(rows) {
			t.Fatalf("seed %d: %d rows back, want %d", seed, len(got), len(rows))
		}
		byID(got)
		for i, r := range rows {
			for j, want := range r {
				if want == nil && testSchema[j].Type == types.String {
					want = ""
				}
				if !sameValue(got[i][j], want) {
					t.Fatalf("seed %d row %d column %s: got %s, want %s", seed, i, testSchema[j].Name, show(got[i][j]), show(want))
				}
			}
		}
	}
}

// TestRowOrder: rows come back bucketed by hour, in input order within
// an hour, and those without a time last.
func TestRowOrder(t *testing.T) {
	smallUnits(t, 16, 40)
	rng := rand.New(rand.NewPCG(3, 3))
	rows := randRows(rng, 700)
	dir := t.TempDir()
	writeStore(t, dir, "T", testSchema, rows, rng)
	st, _ := Open(dir)
	src, _ := st.Open(&plan.Scan{Table: "T", Columns: testSchema[:2]})
	got := scanAll(t, src)
	hour := func(r []any) int64 {
		if r[1] == nil {
			return 1 << 62
		}
		return int64(r[1].(types.DT)) / ticksPerHour
	}
	want := append([][]any(nil), rows...)
	sort.SliceStable(want, func(i, j int) bool { return hour(want[i]) < hour(want[j]) })
	for i := range want {
		if got[i][0] != want[i][0] {
			t.Fatalf("row %d: id %v, want %v", i, got[i][0], want[i][0])
		}
	}
}

// TestPaths: a scan asking for some keys of a dynamic column gets bags of
// exactly those keys the row has (shredded or not), and null for rows
// that are not bags.
func TestPaths(t *testing.T) {
	// Keys in fewer than 3 rows of a block are not shredded: the OnlyN
	// keys, in a row or two, are read from the whole values.
	smallUnits(t, 1000, 4000)
	shredMinCount = 3
	defer func() { shredMinCount = 1 }()
	rng := rand.New(rand.NewPCG(5, 5))
	rows := randRows(rng, 2500)
	dir := t.TempDir()
	writeStore(t, dir, "T", testSchema, rows, rng)
	st, _ := Open(dir)
	keys := []string{"TargetDomain", "FileExtension", "Nested", "missing"}
	for _, r := range rows {
		if b, ok := r[14].(*types.Bag); ok && len(keys) < 10 {
			for _, k := range b.Keys {
				if strings.HasPrefix(k, "Only") {
					keys = append(keys, k)
				}
			}
		}
	}
	scan := &plan.Scan{Table: "T", Columns: append(testSchema[:1:1], testSchema[14]), Paths: map[string][]string{"D": keys}}
	src, err := st.Open(scan)
	if err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, src)
	byID(got)
	for i, r := range rows {
		orig, isBag := r[14].(*types.Bag)
		if !isBag {
			if got[i][1] != nil {
				t.Fatalf("row %d: got %s for a non-bag", i, show(got[i][1]))
			}
			continue
		}
		bag, ok := got[i][1].(*types.Bag)
		if !ok {
			t.Fatalf("row %d: got %s, want a bag", i, show(got[i][1]))
		}
		for _, k := range keys {
			wv, wok := orig.Get(k)
			gv, gok := bag.Get(k)
			if wok != gok || !sameValue(wv, gv) {
				t.Fatalf("row %d key %s: got %s (%v), want %s (%v)", i, k, show(gv), gok, show(wv), wok)
			}
		}
		if bag.Len() > len(keys) {
			t.Fatalf("row %d: bag has extra keys %v", i, bag.Keys)
		}
	}
}

// TestSplitEqualsWhole: the splits of a scan, read in order, are the
// whole scan, whether split by parts or by blocks.
func TestSplitEqualsWhole(t *testing.T) {
	smallUnits(t, 20, 100)
	rng := rand.New(rand.NewPCG(9, 9))
	rows := randRows(rng, 900)
	dir := t.TempDir()
	writeStore(t, dir, "T", testSchema, rows, rng)
	st, _ := Open(dir)
	scan := func() *plan.Scan {
		return &plan.Scan{Table: "T", Columns: testSchema, Filters: []plan.ScanFilter{{Column: "Lc", Op: "!=", Value: int64(0)}}}
	}
	whole, _ := st.Open(scan())
	want := scanAll(t, whole)
	if len(want) == 0 {
		t.Fatal("no rows")
	}
	for n := 1; n <= 40; n += 3 {
		src, _ := st.Open(scan())
		parts, err := src.(exec.Splitter).Split(n)
		if err != nil {
			t.Fatal(err)
		}
		src.Close()
		if len(parts) > n {
			t.Fatalf("Split(%d) gave %d parts", n, len(parts))
		}
		var got [][]any
		for _, p := range parts {
			got = append(got, scanAll(t, p)...)
		}
		if len(got) != len(want) {
			t.Fatalf("Split(%d): %d rows, want %d", n, len(got), len(want))
		}
		for i := range want {
			if got[i][0] != want[i][0] {
				t.Fatalf("Split(%d): row %d is %v, want %v", n, i, got[i][0], want[i][0])
			}
		}
	}
}

// TestAppend: importing into an existing store adds parts; a new column
// reads as null in the old rows, and a column of another type is refused.
func TestAppend(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	dir := t.TempDir()
	rows := randRows(rng, 300)
	writeStore(t, dir, "T", testSchema[:5], cut(rows, 5), rng)
	more := randRows(rng, 200)
	for i := range more {
		more[i][0] = int64(1000 + i)
	}
	writeStore(t, dir, "T", testSchema, more, rng)
	st, _ := Open(dir)
	sc, _ := st.Schema("T")
	if sc.String() != testSchema.String() {
		t.Fatalf("schema %s", sc)
	}
	src, _ := st.Open(&plan.Scan{Table: "T", Columns: testSchema})
	got := scanAll(t, src)
	byID(got)
	if len(got) != 500 {
		t.Fatalf("%d rows", len(got))
	}
	for i := 0; i < 300; i++ {
		if got[i][9] != "" || got[i][6] != nil {
			t.Fatalf("old row %d: new columns read %v %v", i, got[i][9], got[i][6])
		}
	}
	w, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	bad := append(testSchema[:1:1], testSchema[2:]...)
	bad[0].Type = types.String
	if _, err := w.Table("T", bad); err == nil {
		t.Fatal("a column of another type was accepted")
	}
}

func cut(rows [][]any, n int) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r[:n]
	}
	return out
}
