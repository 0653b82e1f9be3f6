package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hunt/engine/exec"
	"hunt/engine/vec"
)

// splitData writes files of every kind with bad lines throughout, so
// that every part of a split meets some.
func splitData(t *testing.T) (*Set, vec.Schema) {
	dir := t.TempDir()
	line := func(i int) string {
		switch {
		case i%13 == 7:
			return fmt.Sprintf(`{"A":"bad%d",`, i)
		case i%17 == 3:
			return ""
		case i%29 == 11:
			return `{"A":"` + strings.Repeat("L", 300) + `"}`
		}
		return fmt.Sprintf(`{"A":"r%d","N":%d,"V":{"k":%d,"x":"y"}}`, i, i, i%5)
	}
	lines := func(from, to int, nl string) string {
		var b strings.Builder
		if from == 0 {
			b.WriteString("\xef\xbb\xbf")
		}
		for i := from; i < to; i++ {
			b.WriteString(line(i))
			b.WriteString(nl)
		}
		return b.String()
	}
	var files []*File
	add := func(name string, f Format, c Compression, data []byte) {
		p := writeFile(t, filepath.Join(dir, name), data)
		files = append(files, &File{Path: p, Format: f, Compression: c, table: "T"})
	}
	add("a.jsonl", JSONLines, None, []byte(lines(0, 150, "\n")))
	add("b.jsonl.gz", JSONLines, Gzip, gzipBytes(t, []byte(lines(150, 230, "\r\n"))))
	add("c.jsonl", JSONLines, None, []byte(strings.TrimSuffix(lines(230, 400, "\r\n"), "\r\n")))
	add("d.csv", CSV, None, []byte("A,N\nc1,1\nc2\nc3,3\n"))
	var env strings.Builder
	for i := 400; i < 520; i++ {
		l := line(i)
		if strings.HasPrefix(l, `{"A":"r`) {
			l = `{"category":"AdvancedHunting-T","properties":` + l + `}`
		}
		env.WriteString(l + "\n")
	}
	add("e.json", DefenderExport, None, []byte(env.String()))
	add("f.jsonl.zst", JSONLines, Zstd, zstdBytes(t, []byte(lines(520, 560, "\n"))))
	add("g.jsonl", JSONLines, None, []byte(lines(560, 700, "\n")))
	return testSet(schemaOf("A:string N:long V:dynamic"), files...), schemaOf("A:string N:long V:dynamic")
}

// readAll reads every part, one after another or all at once, and
// returns the rows in part order.
func readParts(t *testing.T, parts []exec.Source, s vec.Schema, concurrent bool) []string {
	t.Helper()
	out := make([][]string, len(parts))
	errs := make([]error, len(parts))
	read := func(i int) {
		defer parts[i].Close()
		for {
			b, err := parts[i].Next()
			if err != nil {
				errs[i] = err
				return
			}
			if b == nil {
				return
			}
			if err := checkBatch(b, s); err != nil {
				errs[i] = err
				return
			}
			out[i] = append(out[i], renderRows(b, s)...)
		}
	}
	if concurrent {
		var wg sync.WaitGroup
		// The last parts start first, so they finish first.
		for i := len(parts) - 1; i >= 0; i-- {
			wg.Go(func() { read(i) })
		}
		wg.Wait()
	} else {
		for i := range parts {
			read(i)
		}
	}
	var rows []string
	for i := range parts {
		if errs[i] != nil {
			t.Fatalf("part %d: %v", i, errs[i])
		}
		rows = append(rows, out[i]...)
	}
	return rows
}

// TestSplit: for any number of parts and batch size, the parts' rows in
// order are the whole table's, and the problems reported are the same,
// with the same line numbers, in the same order.
func TestSplit(t *testing.T) {
	for _, w := range []int64{mapWindow, 100} {
		t.Run(fmt.Sprintf("window %d", w), func(t *testing.T) {
			defer func(n int64) { mapWindow = n }(mapWindow)
			mapWindow = w
			testSplit(t)
		})
	}
}

func testSplit(t *testing.T) {
	defer func(n int64) { minSplitBytes = n }(minSplitBytes)
	minSplitBytes = 64
	defer func(n int) { MaxLineBytes = n }(MaxLineBytes)
	MaxLineBytes = 200
	defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
	set, s := splitData(t)
	tb, _ := set.Table("T")
	spec := ScanSpec{Columns: s.Names(), Paths: map[string][]string{"V": {"k"}}}
	open := func(diag *Diagnostics, workers int) *tableReader {
		r, err := tb.Open(spec, diag)
		if err != nil {
			t.Fatal(err)
		}
		tr := r.(*tableReader)
		tr.workers = workers
		return tr
	}
	for _, size := range []int{1, 7, 1024} {
		vec.BatchSize = size
		wantDiag := &Diagnostics{}
		want := drain(t, open(wantDiag, 1), s)
		if len(want) < 500 || wantDiag.Skipped() < 50 {
			t.Fatalf("test data too small: %d rows, %d problems", len(want), wantDiag.Skipped())
		}
		// The pipeline decodes on several goroutines, in the same order.
		pipeDiag := &Diagnostics{}
		diffRows(t, fmt.Sprintf("size %d pipeline", size), drain(t, open(pipeDiag, 3), s), want)
		diffRows(t, fmt.Sprintf("size %d pipeline problems", size), errorsText(pipeDiag), errorsText(wantDiag))
		for n := 1; n <= 5; n++ {
			for _, concurrent := range []bool{false, true} {
				for _, workers := range []int{1, 2} {
					diag := &Diagnostics{}
					r := open(diag, workers)
					parts, err := r.Split(n)
					if err != nil {
						t.Fatal(err)
					}
					r.Close()
					if len(parts) > n || len(parts) == 0 {
						t.Fatalf("Split(%d) gave %d parts", n, len(parts))
					}
					if n >= 3 && len(parts) < n {
						t.Errorf("Split(%d) gave only %d parts", n, len(parts))
					}
					cuts := 0
					for _, p := range parts {
						p.(*tableReader).workers = workers
						if rs := p.(*tableReader).ranges; len(rs) > 0 && rs[0].cutStart() {
							cuts++
						}
					}
					if n > 1 && cuts == 0 {
						t.Errorf("Split(%d) cut no file", n)
					}
					what := fmt.Sprintf("size %d, %d parts, concurrent %v, workers %d", size, n, concurrent, workers)
					diffRows(t, what, readParts(t, parts, s, concurrent), want)
					diffRows(t, what+" problems", errorsText(diag), errorsText(wantDiag))
					if diag.Skipped() != wantDiag.Skipped() {
						t.Errorf("%s: skipped %d, want %d", what, diag.Skipped(), wantDiag.Skipped())
					}
					if got, want := diag.Scan().Rows, int64(len(want)); got != want {
						t.Errorf("%s: %d rows counted, want %d", what, got, want)
					}
				}
			}
		}
	}
}

// TestSplitPlan: cuts fall inside large plain files only, and the parts
// are about equal.
func TestSplitPlan(t *testing.T) {
	defer func(n int64) { minSplitBytes = n }(minSplitBytes)
	minSplitBytes = 1000
	dir := t.TempDir()
	mk := func(name string, size int, c Compression) fileRange {
		p := writeFile(t, filepath.Join(dir, name), make([]byte, size))
		return fileRange{file: &File{Path: p, Format: JSONLines, Compression: c}, end: -1}
	}
	big := mk("big.jsonl", 100000, None)
	gz := mk("x.gz", 5000, Gzip) // weighs 30000
	small := mk("s.jsonl", 500, None)
	parts, err := planSplit([]fileRange{big, gz, small}, 4)
	if err != nil {
		t.Fatal(err)
	}
	var desc []string
	for _, p := range parts {
		var d []string
		for _, rg := range p {
			d = append(d, fmt.Sprintf("%s[%d:%d]", filepath.Base(rg.file.Path), rg.start, rg.end))
		}
		desc = append(desc, strings.Join(d, "+"))
	}
	want := "big.jsonl[0:32625] big.jsonl[32625:65250] big.jsonl[65250:97875] big.jsonl[97875:-1]+x.gz[0:-1]+s.jsonl[0:-1]"
	if got := strings.Join(desc, " "); got != want {
		t.Errorf("plan:\n got  %s\n want %s", got, want)
	}
}

// TestSplitAbandoned: closing parts early neither blocks nor reports
// problems a reader would not have met, and Split after Next fails.
func TestSplitAbandoned(t *testing.T) {
	defer func(n int64) { minSplitBytes = n }(minSplitBytes)
	minSplitBytes = 64
	set, s := splitData(t)
	tb, _ := set.Table("T")
	diag := &Diagnostics{}
	r, _ := tb.Open(ScanSpec{Columns: s.Names()}, diag)
	parts, err := r.(exec.Splitter).Split(4)
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, rg := range parts[0].(*tableReader).ranges {
		read[rg.file.Path] = true
	}
	if _, err := parts[0].Next(); err != nil {
		t.Fatal(err)
	}
	// The later parts run to their end, but the first stops early.
	for _, p := range parts[1:] {
		for b, err := p.Next(); b != nil || err != nil; b, err = p.Next() {
		}
		p.Close()
	}
	parts[0].Close()
	if len(diag.Errors()) == 0 {
		t.Errorf("no problem reported from the first part")
	}
	for _, e := range diag.Errors() {
		if !read[e.File] {
			t.Errorf("problem from a part after one closed early: %v", e)
		}
	}
	r2, _ := tb.Open(ScanSpec{Columns: s.Names()}, nil)
	r2.Next()
	if _, err := r2.(exec.Splitter).Split(2); err == nil {
		t.Errorf("Split after Next succeeded")
	}
	r2.Close()
}

// TestRangeSource: cut anywhere, two ranges of a file read each line
// exactly once, the first range counting the lines the second needs to
// number its own.
func TestRangeSource(t *testing.T) {
	data := "\xef\xbb\xbf{\"a\":1}\n\n{\"a\":2}\r\n  \n{\"a\":3}\n{\"a\":4}"
	var want []string
	src := newLineSource(strings.NewReader(data), func(int, string) {})
	for {
		l, n, err := src.next()
		if err != nil {
			break
		}
		want = append(want, fmt.Sprintf("%d:%s", n, l))
	}
	for c := 0; c <= len(data); c++ {
		var got []string
		first := newRangeSource(strings.NewReader(data), func(int, string) {}, 0, int64(c))
		for {
			l, n, err := first.next()
			if err != nil {
				break
			}
			got = append(got, fmt.Sprintf("%d:%s", n, l))
		}
		start := max(c-1, 0)
		second := newRangeSource(strings.NewReader(data[start:]), func(int, string) {}, int64(c), -1)
		for {
			l, n, err := second.next()
			if err != nil {
				break
			}
			got = append(got, fmt.Sprintf("%d:%s", n+first.lineCount(), l))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("cut at %d: %q, want %q", c, got, want)
		}
	}
}

// TestSplitStop: once a part is closed before its end, the parts after it
// fail at their next read instead of scanning on for rows nobody reads,
// and they fail rather than end, so no reader mistakes them for whole.
func TestSplitStop(t *testing.T) {
	defer func(n int64) { minSplitBytes = n }(minSplitBytes)
	minSplitBytes = 64
	defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
	vec.BatchSize = 2
	set, s := splitData(t)
	tb, _ := set.Table("T")
	r, _ := tb.Open(ScanSpec{Columns: s.Names()}, nil)
	parts, err := r.(exec.Splitter).Split(3)
	if err != nil || len(parts) != 3 {
		t.Fatalf("%d parts, %v", len(parts), err)
	}
	if _, err := parts[1].Next(); err != nil {
		t.Fatal(err)
	}
	if b, err := parts[0].Next(); b == nil || err != nil {
		t.Fatalf("first part: %v %v", b, err)
	}
	parts[0].Close()
	for _, p := range parts[1:] {
		var err error
		for b := (*vec.Batch)(nil); err == nil; {
			if b, err = p.Next(); b == nil && err == nil {
				t.Fatalf("a part after a closed one read to its end")
			}
		}
		if !strings.Contains(err.Error(), "stopped") {
			t.Errorf("error %v", err)
		}
		p.Close()
	}
}

// TestMappedFileShrinks: a plain file cut short while it is read through
// a memory map gives an error, not a crash.
func TestMappedFileShrinks(t *testing.T) {
	if !canMap {
		t.Skip("no memory maps here")
	}
	defer func(n int64) { mapWindow = n }(mapWindow)
	mapWindow = 1 << 20
	defer func(n int) { vec.BatchSize = n }(vec.BatchSize)
	vec.BatchSize = 1
	var b strings.Builder
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&b, `{"A":"%d%s"}`+"\n", i, strings.Repeat("x", 500))
	}
	p := writeFile(t, filepath.Join(t.TempDir(), "a.jsonl"), []byte(b.String()))
	set := testSet(schemaOf("A:string"), &File{Path: p, Format: JSONLines, table: "T"})
	tb, _ := set.Table("T")
	r, err := tb.Open(ScanSpec{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.(*tableReader).workers = 1
	defer r.Close()
	if b, err := r.Next(); b == nil || err != nil {
		t.Fatalf("first batch: %v %v", b, err)
	}
	if err := os.Truncate(p, 10); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		b, err := r.Next()
		if err != nil {
			if !strings.Contains(err.Error(), "changed") {
				t.Errorf("error %v", err)
			}
			return
		}
		if b == nil {
			t.Fatalf("read to the end of a file cut short, after %d batches", i)
		}
	}
}
