package store_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hunt/query"
	"hunt/source"
	"hunt/store"
)

// randJSON returns a random JSON value: nested bags and arrays, numbers
// written as reals and longs (1.0 and 1), strings that are empty or look
// like other types, nulls.
func randJSON(rng *rand.Rand, depth int) string {
	switch k := rng.IntN(12); {
	case k == 0:
		return "null"
	case k == 1:
		return []string{"true", "false"}[rng.IntN(2)]
	case k == 2:
		return []string{"1", "1.0", "-0.0", "2.5e3", "12345678901234", "1e300"}[rng.IntN(6)]
	case k <= 5:
		s, _ := json.Marshal([]string{"", "zip", "github.com", "2026-11-25T10:00:00Z", "5", "Ünï\ncödé", "a\"b"}[rng.IntN(7)])
		return string(s)
	case k <= 7 && depth < 3:
		n := rng.IntN(4)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randJSON(rng, depth+1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case depth < 3:
		n := rng.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf("%q:%s", []string{"FileExtension", "TargetDomain", "ObjectId", "k", "Rare"}[rng.IntN(5)], randJSON(rng, depth+1))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return `"leaf"`
}

// TestImportMatchesExport writes random flat JSON lines, imports them,
// and compares every column of every row, and a few filters, over the
// store and over the file: exactly the same rows.
func TestImportMatchesExport(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	store.SmallUnits(t, 50, 200)
	raw := filepath.Join(t.TempDir(), "raw")
	os.MkdirAll(raw, 0o755)
	var lines []string
	for i := 0; i < 2000; i++ {
		fields := []string{fmt.Sprintf(`"Id":%d`, i)}
		if rng.IntN(8) > 0 {
			fields = append(fields, fmt.Sprintf(`"TimeGenerated":"2026-11-25T%02d:%02d:%02d.%07dZ"`, rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(10000000)))
		}
		if rng.IntN(6) > 0 {
			s, _ := json.Marshal([]string{"", "github", "GitHub.com", "zip", " ", fmt.Sprint(rng.IntN(500))}[rng.IntN(6)])
			fields = append(fields, `"S":`+string(s))
		}
		if rng.IntN(6) > 0 {
			fields = append(fields, fmt.Sprintf(`"N":%d`, rng.IntN(1000)-500))
		}
		if rng.IntN(6) > 0 {
			fields = append(fields, fmt.Sprintf(`"R":%s`, []string{"1.5", "-2", "0.1", "1e-300"}[rng.IntN(4)]))
		}
		if rng.IntN(6) > 0 {
			fields = append(fields, `"B":`+[]string{"true", "false", "null"}[rng.IntN(3)])
		}
		d := randJSON(rng, 1)
		if !strings.HasPrefix(d, "{") {
			d = `{"FileExtension":` + d + `}`
		}
		fields = append(fields, `"D":`+d, `"X":`+randJSON(rng, 0))
		rng.Shuffle(len(fields), func(a, b int) { fields[a], fields[b] = fields[b], fields[a] })
		lines = append(lines, "{"+strings.Join(fields, ",")+"}")
	}
	os.WriteFile(filepath.Join(raw, "Events.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	set, err := source.Discover(source.Options{Paths: []string{raw}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "store")
	w, err := store.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Import(w, set, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`Events`,
		`Events | where D.FileExtension == "zip" or D.TargetDomain has "github"`,
		`Events | where S has "github" and TimeGenerated > datetime(2026-11-25T06:00:00Z) | project Id, k = D.k, S`,
		`Events | where isnull(N) or N > 100 | summarize c = count() by tostring(D.Rare)`,
	} {
		want := runQuery(t, q, query.Options{Data: set})
		got := runQuery(t, q, query.Options{Store: st})
		if got != want {
			t.Errorf("%s\nstore:\n%s\nexport:\n%s", q, clip(got), clip(want))
		}
	}
}
