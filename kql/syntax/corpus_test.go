package syntax

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var corpusMin = flag.Float64("corpus-min", corpusThreshold, "minimum share (percent) of reference-accepted corpus queries that must parse cleanly")

// corpusThreshold is the share of reference-accepted corpus queries that
// must parse without errors: all of them. (alexverboon/0283 writes
// "project-rename X" without "= Y"; like Microsoft's, hunt's parser
// accepts that and its analyzer rejects it.)
const corpusThreshold = 100.0

// corpusDir is the shared corpus, relative to this package directory.
const corpusDir = "../../../shared/corpus"

// TestCorpus parses every query of the shared corpus and compares the result
// with the reference parser's verdict (REFERENCE.tsv, column ref_syntax_ok).
// With -v it lists the reference-accepted queries hunt rejects, with their
// first error, so they can be worked down.
func TestCorpus(t *testing.T) {
	ref, refErr, err := readReference(filepath.Join(corpusDir, "REFERENCE.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var files []string
	err = filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".kql") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Skipf("corpus not available: %v", err)
	}
	sort.Strings(files)
	var okRef, okBoth, badRef, badBoth, samePos, unknown int
	var failures []string
	for _, path := range files {
		rel, _ := filepath.Rel(corpusDir, path)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := NewSource(rel, string(data))
		q, errs := Parse(src)
		checkErrorsInside(t, src, errs)
		if len(errs) == 0 {
			checkRoundTrip(t, rel, q)
		}
		refOK, known := ref[rel]
		switch {
		case !known:
			unknown++
		case refOK:
			okRef++
			if len(errs) == 0 {
				okBoth++
			} else {
				failures = append(failures, errs[0].Error())
			}
		default:
			badRef++
			if len(errs) > 0 {
				badBoth++
				if fmt.Sprintf("%d:%d", errs[0].Pos.Line, errs[0].Pos.Column) == refErr[rel] {
					samePos++
				}
			}
		}
	}
	pct := 100 * float64(okBoth) / float64(max(okRef, 1))
	t.Logf("corpus: %d of %d reference-accepted queries parse = %.2f%%; reference-rejected rejected = %d of %d (first error at the reference's line:col in %d); not in REFERENCE.tsv: %d",
		okBoth, okRef, pct, badBoth, badRef, samePos, unknown)
	if testing.Verbose() {
		for _, f := range failures {
			t.Log("  ", f)
		}
	}
	if pct < *corpusMin {
		t.Errorf("corpus parse rate %.2f%% is below the threshold %.2f%%", pct, *corpusMin)
	}
	if badBoth < badRef {
		t.Errorf("hunt accepts %d queries that the reference rejects", badRef-badBoth)
	}
}

// TestCorpusMutations damages corpus queries (truncation, a deleted, doubled
// or replaced token) and checks that the parser neither panics nor reports
// positions outside the input, and that whatever still parses round-trips.
func TestCorpusMutations(t *testing.T) {
	files, _ := filepath.Glob(corpusDir + "/*/*.kql")
	if len(files) == 0 {
		t.Skip("corpus not available")
	}
	if testing.Short() {
		files = files[:len(files)/10]
	}
	rng := rand.New(rand.NewSource(1))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		toks, _ := scanAll(t, text)
		for k := 0; k < 8; k++ {
			var mut string
			a, b := toks[rng.Intn(len(toks))], toks[rng.Intn(len(toks))]
			switch k % 4 {
			case 0:
				mut = text[:rng.Intn(len(text)+1)]
			case 1:
				mut = text[:a.pos.Offset()] + text[a.end.Offset():]
			case 2:
				mut = text[:a.end.Offset()] + " " + a.lit + text[a.end.Offset():]
			case 3:
				mut = text[:a.pos.Offset()] + b.lit + text[a.end.Offset():]
			}
			src := NewSource(f, mut)
			q, errs := Parse(src)
			checkErrorsInside(t, src, errs)
			for _, e := range errs {
				Render(src, e)
			}
			if len(errs) == 0 {
				checkRoundTrip(t, f, q)
			}
		}
		if t.Failed() {
			return
		}
	}
}

// checkRoundTrip checks that printing q and parsing the text again gives the
// same text.
func checkRoundTrip(t *testing.T, name string, q *Query) {
	t.Helper()
	out := Format(q)
	q2, errs := Parse(NewSource(name+" (printed)", out))
	if len(errs) > 0 {
		t.Errorf("%s: printed query does not parse: %v\n%s", name, errs[0], out)
		return
	}
	if out2 := Format(q2); out2 != out {
		t.Errorf("%s: round trip differs:\n first: %s\nsecond: %s", name, out, out2)
	}
}

// checkErrorsInside checks that every error position and span lies inside
// the input (the end of input counts as inside).
func checkErrorsInside(t *testing.T, src *Source, errs ErrorList) {
	t.Helper()
	n := len(src.Text)
	for _, e := range errs {
		if e.Pos.Offset < 0 || e.Pos.Offset > n {
			t.Errorf("%s: error offset %d outside input of length %d", e, e.Pos.Offset, n)
		}
		for _, p := range e.Span {
			if p.IsValid() && (p.Offset() < 0 || p.Offset() > n) {
				t.Errorf("%s: span %v outside input of length %d", e, e.Span, n)
			}
		}
		if e.Span[0].IsValid() && e.Span[1] < e.Span[0] {
			t.Errorf("%s: inverted span %v", e, e.Span)
		}
	}
}

// readReference reads REFERENCE.tsv: per file, whether the reference parser
// accepts it and the line:col of its first syntax error.
func readReference(path string) (ok map[string]bool, firstErr map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ref := map[string]bool{}
	refErr := map[string]string{}
	errCol := -1
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := -1
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if col < 0 {
			for i, name := range fields {
				switch name {
				case "ref_syntax_ok":
					col = i
				case "ref_syntax_first_error":
					errCol = i
				}
			}
			if col < 0 {
				return nil, nil, os.ErrInvalid
			}
			continue
		}
		if col < len(fields) {
			ref[fields[0]] = fields[col] == "true"
		}
		if errCol >= 0 && errCol < len(fields) {
			refErr[fields[0]], _, _ = strings.Cut(fields[errCol], " ")
		}
	}
	return ref, refErr, sc.Err()
}
