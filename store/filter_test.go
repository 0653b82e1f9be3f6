package store_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/query"
	"hunt/store"
)

// filterQueries exercise every way a filter reaches the store: classic
// comparisons (zone maps), dictionary columns, term indexes, members of
// dynamic columns (shredded or not), filters above projects, and filters
// the store cannot use.
var filterQueries = []string{
	`T | where Sc == "github"`,
	`T | where Sc =~ "GITHUB"`,
	`T | where Sc != "zip"`,
	`T | where Sc has "office"`,
	`T | where Sc has_cs "GitHub"`,
	`T | where Sc in ("zip", ".zip", "")`,
	`T | where Sc in~ ("ZIP", "straSSe")`,
	`T | where Sc has_any ("github", "net")`,
	`T | where S has "github"`,
	`T | where S has "office.net"`,
	`T | where S has "k"`,
	`T | where S has "K"`,
	`T | where S has "ι"`,
	`T | where S has "σίσυφος"`,
	`T | where S has_cs "GitHub"`,
	`T | where S has_any ("zip", "myoffice", "日本語")`,
	`T | where S has_all ("github", "zip")`,
	`T | where S has_any ("a-b", "-")`,
	`T | where S contains "ub.z"`,
	`T | where S startswith "git"`,
	`T | where S == "zip"`,
	`T | where S =~ "ZIP.GITHUB-12"`,
	`T | where S in ("", "zip")`,
	`T | where S !has "github"`,
	`T | where S has ""`,
	`T | where Lc == 11161`,
	`T | where Lc != 0`,
	`T | where Lc in (11161, 20893)`,
	`T | where L < 0`,
	`T | where I >= 1000`,
	`T | where Timestamp > datetime(2026-11-25T06:10:00Z)`,
	`T | where Timestamp <= datetime(2026-11-25T04:00:00Z)`,
	`T | where Timestamp == datetime(2026-11-25T04:00:00Z)`,
	`T | where Timestamp between (datetime(2026-11-25T05:00:00Z) .. 1h)`,
	`T | where isnull(Timestamp)`,
	`T | where isnull(I)`,
	`T | where Span > 0s`,
	`T | where R > 0`,
	`T | where Rc == 0`,
	`T | where Dec >= 5`,
	`T | where B`,
	`T | where B == false`,
	`T | where Gc == guid(01000000-0000-0000-0000-000000000000)`,
	`T | where isnotnull(G)`,
	`T | where tolower(Sc) == "github"`,
	`T | where strlen(S) > 10`,
	`T | where D.FileExtension =~ "zip"`,
	`T | where D.FileExtension == "zip"`,
	`T | where isnull(D.FileExtension)`,
	`T | where isnotempty(D.TargetDomain)`,
	`T | where D.OriginatingDomain has_any ("github", "gitlab", "office")`,
	`T | where not(D.TargetDomain has_any ("office.net", "github"))`,
	`T | where D.TargetDomain == 5`,
	`T | where tostring(D.ObjectId) contains "git"`,
	`T | where D.ObjectId has "zip"`,
	`T | where D.Only7 == "x" or isnull(D.Only7)`,
	`T | where D.Rare has "github"`,
	`T | where D.Nested.k == "x"`,
	`T | where D has "github"`,
	`T | where Dc == "x"`,
	`T | where isnull(Dc)`,
	`T | extend e = D.FileExtension, o = D.OriginatingDomain | where e =~ "zip" | where o has_any ("github", "gitlab")`,
	`T | project Id, x = D.TargetDomain, Sc | where not(x has_any ("net")) and Sc != "zip"`,
	`T | where Lc == 11161 and Sc has "git" and Timestamp > datetime(2026-11-25T04:30:00Z)`,
	`T | where Sc == "zip" or Lc == 0`,
	`T | summarize count() by Sc`,
	`T | where D.FileExtension =~ "zip" | summarize n = count(), f = dcount(tostring(D.ObjectId)) by Lc`,
	`T | where Lc == 11161 | count`,
}

// TestFiltersMatchExecutor runs each query over a store and over the
// same rows as an in-memory table (which the executor filters alone):
// the results must be equal, so the store's pruning by time, zone maps,
// dictionaries and term indexes never loses a row.
func TestFiltersMatchExecutor(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		store.SmallUnits(t, []int{40, 300, 4000}[seed-1], []int{100, 2000, 1 << 20}[seed-1])
		rows := store.RandRows(rng, 3000)
		dir := t.TempDir()
		store.WriteStore(t, dir, "T", store.TestSchema, rows, rng)
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		mem := query.Options{
			Tables:       map[string]*vec.Batch{"T": store.RowsToBatch(store.TestSchema, rows)},
			TableSchemas: map[string]vec.Schema{"T": store.TestSchema},
		}
		for _, q := range filterQueries {
			want := runQuery(t, q, mem)
			got := runQuery(t, q, query.Options{Store: st})
			if got != want {
				t.Errorf("seed %d: %s\nstore:\n%s\nexecutor:\n%s", seed, q, clip(got), clip(want))
			}
		}
	}
}

// TestRandomFilters combines random conditions on random columns.
func TestRandomFilters(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 1))
	store.SmallUnits(t, 100, 700)
	rows := store.RandRows(rng, 2000)
	dir := t.TempDir()
	store.WriteStore(t, dir, "T", store.TestSchema, rows, rng)
	st, _ := store.Open(dir)
	mem := query.Options{
		Tables:       map[string]*vec.Batch{"T": store.RowsToBatch(store.TestSchema, rows)},
		TableSchemas: map[string]vec.Schema{"T": store.TestSchema},
	}
	words := []string{"github", "zip", "net", "office.net", "a-b", "", "K", "straße", "GitHub", "日本語"}
	strCols := []string{"S", "Sc", "tostring(D.FileExtension)", "tostring(D.OriginatingDomain)", "tostring(D.ObjectId)", "tostring(D.Rare)"}
	ops := []string{"==", "=~", "!=", "has", "has_cs", "!has", "contains", "startswith", "endswith", "hasprefix", "hassuffix"}
	cond := func() string {
		switch rng.IntN(4) {
		case 0:
			return fmt.Sprintf("Lc %s %d", []string{"==", "!=", "<", ">="}[rng.IntN(4)], []int64{11161, 0, -1, 20893}[rng.IntN(4)])
		case 1:
			ts := time.Date(2026, 11, 25, 3+rng.IntN(7), rng.IntN(60), 0, 0, time.UTC)
			return fmt.Sprintf("Timestamp %s datetime(%s)", []string{"<", ">", "<=", ">=", "=="}[rng.IntN(5)], ts.Format(time.RFC3339))
		case 2:
			return fmt.Sprintf("%s has_any (%q, %q)", strCols[rng.IntN(len(strCols))], words[rng.IntN(len(words))], words[rng.IntN(len(words))])
		}
		return fmt.Sprintf("%s %s %q", strCols[rng.IntN(len(strCols))], ops[rng.IntN(len(ops))], words[rng.IntN(len(words))])
	}
	for i := 0; i < 150; i++ {
		q := "T | where " + cond()
		for k := rng.IntN(3); k > 0; k-- {
			if rng.IntN(2) == 0 {
				q += " and " + cond()
			} else {
				q += " | where " + cond()
			}
		}
		q += " | project Id, Sc, D"
		want := runQuery(t, q, mem)
		got := runQuery(t, q, query.Options{Store: st})
		if got != want {
			t.Fatalf("%s\nstore:\n%s\nexecutor:\n%s", q, clip(got), clip(want))
		}
	}
}

// runQuery runs text and returns its rows as sorted lines.
func runQuery(t *testing.T, text string, opt query.Options) string {
	t.Helper()
	p, err := query.Prepare(syntax.NewSource("q", text), opt)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	b, err := p.Collect()
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	var lines []string
	for i := 0; i < b.N; i++ {
		var cells []string
		for _, c := range b.Cols {
			cells = append(cells, cell(c.Get(i)))
		}
		lines = append(lines, strings.Join(cells, "\t"))
	}
	sort.Strings(lines)
	return fmt.Sprintf("%d rows\n%s", len(lines), strings.Join(lines, "\n"))
}

// cell renders a value with its type, so that 1 and 1.0 differ.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "<null>"
	case float64:
		return fmt.Sprintf("real:%v", x)
	case []any, *types.Bag:
		var parts []string
		switch y := x.(type) {
		case []any:
			for _, e := range y {
				parts = append(parts, cell(e))
			}
			return "[" + strings.Join(parts, ",") + "]"
		case *types.Bag:
			for i, k := range y.Keys {
				parts = append(parts, k+":"+cell(y.Vals[i]))
			}
			return "{" + strings.Join(parts, ",") + "}"
		}
	}
	return fmt.Sprintf("%T:%s", v, types.DynString(v))
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestTimeBoundaries puts rows exactly on the bounds of parts and blocks
// and compares every comparison with those instants.
func TestTimeBoundaries(t *testing.T) {
	store.SmallUnits(t, 3, 6)
	t0 := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	var rows [][]any
	for k := 0; k < 40; k++ {
		r := make([]any, len(store.TestSchema))
		r[0] = int64(k)
		r[1] = types.DT(types.FromTime(t0.Add(time.Duration(k) * 20 * time.Minute)))
		rows = append(rows, r)
	}
	dir := t.TempDir()
	store.WriteStore(t, dir, "T", store.TestSchema, rows, rand.New(rand.NewPCG(1, 1)))
	st, _ := store.Open(dir)
	mem := query.Options{
		Tables:       map[string]*vec.Batch{"T": store.RowsToBatch(store.TestSchema, rows)},
		TableSchemas: map[string]vec.Schema{"T": store.TestSchema},
	}
	for k := -1; k <= 41; k++ {
		at := t0.Add(time.Duration(k) * 20 * time.Minute).Format(time.RFC3339)
		for _, op := range []string{"<", "<=", ">", ">=", "==", "!="} {
			q := fmt.Sprintf("T | where Timestamp %s datetime(%s) | project Id", op, at)
			if got, want := runQuery(t, q, query.Options{Store: st}), runQuery(t, q, mem); got != want {
				t.Fatalf("%s\nstore: %s\nexecutor: %s", q, got, want)
			}
		}
	}
}
