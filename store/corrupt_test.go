package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// onePartStore writes a small store whose table has a single part file,
// and returns the store folder and the part's path.
func onePartStore(t testing.TB) (string, string) {
	smallUnits(t, 40, 1<<20)
	rng := rand.New(rand.NewPCG(6, 6))
	rows := randRows(rng, 150)
	for _, r := range rows {
		r[1] = types.DT(types.FromTime(testBase)) // one hour: one part
	}
	dir := t.TempDir()
	writeStore(t, dir, "T", testSchema, rows, rng)
	parts, _ := filepath.Glob(filepath.Join(dir, "T", "*.hcol"))
	if len(parts) != 1 {
		t.Fatalf("%d parts", len(parts))
	}
	return dir, parts[0]
}

// readWhole scans every column of the store's table T, with a has filter
// and paths, so that every kind of page is read.
func readWhole(dir string) (n int, err error) {
	st, err := Open(dir)
	if err != nil {
		return 0, err
	}
	for _, scan := range testScans() {
		src, err := st.Open(scan)
		if err != nil {
			return 0, err
		}
		for {
			b, err := src.Next()
			if err != nil {
				src.Close()
				return 0, err
			}
			if b == nil {
				break
			}
			n += b.N
		}
		if err := src.Close(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func testScans() []*plan.Scan {
	has, _ := builtins.Lookup("has")
	eq, _ := builtins.Lookup("=~")
	hasPred := &plan.Call{Name: "has", Func: has, T: types.Bool, Args: []plan.Expr{
		&plan.ColRef{Index: 0, Name: "S", T: types.String}, &plan.Const{T: types.String, Value: "github"}}}
	pathPred := &plan.Call{Name: "=~", Func: eq, T: types.Bool, Args: []plan.Expr{
		&plan.ColRef{Index: 0, Name: "D.FileExtension", T: types.Dynamic}, &plan.Const{T: types.String, Value: "zip"}}}
	return []*plan.Scan{
		{Table: "T", Columns: testSchema},
		{Table: "T", Columns: testSchema, Filters: []plan.ScanFilter{{Column: "S", Op: plan.OpPred, Pred: hasPred}}},
		{Table: "T", Columns: vec.Schema{testSchema[0], testSchema[14]}, Paths: map[string][]string{"D": {"FileExtension", "ObjectId", "Only1", "k"}},
			Filters: []plan.ScanFilter{{Column: "D", Path: "FileExtension", Op: plan.OpPred, Pred: pathPred}}},
	}
}

// TestTruncatedPart: a part cut anywhere gives a CorruptError naming the
// file, never a panic or wrong rows.
func TestTruncatedPart(t *testing.T) {
	dir, part := onePartStore(t)
	whole, err := os.ReadFile(part)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readWhole(dir); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 7, 8, 20, len(whole) / 3, len(whole) / 2, len(whole) - trailerLen - 1, len(whole) - trailerLen, len(whole) - 1} {
		if err := os.WriteFile(part, whole[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readWhole(dir)
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.Path != part {
			t.Fatalf("cut at %d of %d: got %v, want a CorruptError for %s", n, len(whole), err, part)
		}
		if !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "not a hunt store part") {
			t.Errorf("cut at %d: %v does not say truncated", n, err)
		}
	}
}

// TestDamagedPart flips bytes all over a part: every flip is reported
// (the checksums cover every byte that is read), and none panics.
func TestDamagedPart(t *testing.T) {
	dir, part := onePartStore(t)
	whole, _ := os.ReadFile(part)
	want, err := readWhole(dir)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 300; k++ {
		bad := bytes.Clone(whole)
		i := rng.IntN(len(bad))
		bad[i] ^= byte(1 + rng.IntN(255))
		os.WriteFile(part, bad, 0o644)
		n, err := readWhole(dir)
		if err == nil && n != want {
			t.Fatalf("flip at %d: %d rows, want %d", i, n, want)
		}
		var ce *CorruptError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("flip at %d: %v is not a CorruptError", i, err)
		}
	}
}

// TestDamagedManifest: a manifest that is not JSON, or names a part
// outside the store, is refused with a message.
func TestDamagedManifest(t *testing.T) {
	dir, _ := onePartStore(t)
	m := filepath.Join(dir, ManifestName)
	good, _ := os.ReadFile(m)
	for _, bad := range []string{
		string(good[:len(good)/2]),
		strings.Replace(string(good), `"file": "T/`, `"file": "../`, 1),
		strings.Replace(string(good), `"version": 1`, `"version": 99`, 1),
		strings.Replace(string(good), `"type": "long"`, `"type": "nope"`, 1),
	} {
		os.WriteFile(m, []byte(bad), 0o644)
		if _, err := Open(dir); err == nil {
			t.Errorf("accepted a damaged manifest:\n%s", bad)
		}
	}
	os.WriteFile(m, good, 0o644)
	// A manifest whose row count disagrees with the part.
	os.WriteFile(m, []byte(strings.Replace(string(good), `"rows": 150`, `"rows": 151`, 1)), 0o644)
	if _, err := readWhole(dir); err == nil || !strings.Contains(err.Error(), "manifest says") {
		t.Errorf("row count mismatch: %v", err)
	}
}

// FuzzPartFile feeds mutated part files to the reader with checksums off,
// so that damage reaches the footer and page decoders: they must return
// errors, never panic or allocate without bound.
func FuzzPartFile(f *testing.F) {
	_, part := onePartStore(f)
	whole, err := os.ReadFile(part)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(whole)
	f.Add(whole[:len(whole)/2])
	f.Add([]byte(partMagic + partEndMagic + partEndMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		verifyChecksums, maxPage = false, 1<<20
		defer func() { verifyChecksums, maxPage = true, 256<<20 }()
		pf, err := readPart("fuzz.hcol", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		scanPart(pf)
	})
}

// scanPart reads everything a query could read of a part, ignoring
// errors: every column of every block, term indexes, paths, filters.
func scanPart(pf *partFile) {
	sp := &scanPlan{meta: &tableMeta{Name: "T"}}
	for _, c := range pf.foot.cols {
		sp.cols = append(sp.cols, outCol{name: c.Name, t: c.Type})
		sp.out = append(sp.out, len(sp.out))
	}
	for _, scan := range testScans() {
		for _, f := range scan.Filters {
			sp.filters = append(sp.filters, analyzeFilter(f, f.Pred.(*plan.Call).Args[0].Type()))
		}
	}
	w := newWorker(sp)
	defer w.close()
	for bi, b := range pf.foot.blocks {
		if b.rows > 10000 {
			continue // valid but slow: a million absent rows teach nothing
		}
		w.run(pf, bi, func(*vec.Batch) bool { return true })
		all := fullBitset(b.rows).rows(nil)
		for ci := range b.chunks {
			c, err := pf.chunk(bi, ci)
			if err != nil {
				continue
			}
			r := newChunkReader(pf, c, pf.foot.cols[ci].Type, b.rows)
			r.gather(all)
			if ti, err := r.index(); err == nil && ti != nil {
				ti.rows([]byte("github"))
				ti.rows([]byte("zzzz"))
				for k := 0; k < ti.n && k < 5; k++ {
					if term, err := ti.term(k); err == nil {
						ti.rows(term)
					}
				}
			}
			if pf.foot.cols[ci].Type == types.Dynamic {
				if pr, err := newPathsReader(r); err == nil {
					keys := []string{"x"}
					for _, s := range c.subs {
						keys = append(keys, s.key)
					}
					pr.gather(keys, all)
				}
			}
		}
	}
}
