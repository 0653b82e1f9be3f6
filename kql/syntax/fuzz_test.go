package syntax

import (
	"strings"
	"testing"
)

func fuzzSeeds(f *testing.F) {
	for _, s := range valid {
		f.Add(s)
	}
	for _, s := range lenient {
		f.Add(s)
	}
	for _, s := range invalid {
		f.Add(s)
	}
	for _, e := range allTokens() {
		f.Add(e.lit)
	}
}

// FuzzScan checks that scanning never panics or stalls, that every token's
// literal is its source text, that tokens do not overlap, that errors lie
// inside the input and that EOF sits at len(input).
func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		var s Scanner
		s.Init(NewSource("fuzz", src), func(pos, end Pos, msg string) {
			if pos.Offset() < 0 || end < pos || end.Offset() > len(src) {
				t.Fatalf("error %q span [%d,%d) outside input of length %d", msg, pos.Offset(), end.Offset(), len(src))
			}
		})
		prevEnd := 0
		for n := 0; ; n++ {
			pos, tok, lit := s.Scan()
			off := pos.Offset()
			if off < prevEnd || off+len(lit) > len(src) || src[off:off+len(lit)] != lit {
				t.Fatalf("token %s %q at %d: not the source text or overlaps the previous token (ends %d)", tok, lit, off, prevEnd)
			}
			if tok == EOF {
				if off != len(src) {
					t.Fatalf("EOF at %d, want %d", off, len(src))
				}
				return
			}
			if lit == "" {
				t.Fatalf("empty literal for %s at %d", tok, off)
			}
			prevEnd = off + len(lit)
			if n > len(src) {
				t.Fatal("scanner does not advance")
			}
		}
	})
}

// FuzzParse checks that parsing never panics, that errors are bounded and
// lie inside the input, and that inputs that parse cleanly print to text
// that parses to the same text again, with node ranges inside the input.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		source := NewSource("fuzz", src)
		q, errs := Parse(source)
		if q == nil {
			t.Fatal("nil query")
		}
		checkErrorsInside(t, source, errs)
		for _, e := range errs {
			Render(source, e) // must not panic
		}
		if len(errs) > 0 {
			Format(q) // partial trees must print
			return
		}
		Inspect(q, func(n Node) bool {
			if n == nil {
				return false
			}
			if q, ok := n.(*Query); ok && len(q.Stmts) == 0 {
				return false // an empty query has no position
			}
			if pos, end := n.Pos(), n.End(); pos.Offset() < 0 || end < pos || end.Offset() > len(src) {
				t.Fatalf("%T %q has range [%d,%d) outside input", n, Format(n), pos.Offset(), end.Offset())
			}
			return true
		})
		out := Format(q)
		q2, errs2 := Parse(NewSource("printed", out))
		if len(errs2) > 0 {
			t.Fatalf("printed query does not parse: %v\ninput:   %q\nprinted: %q", errs2[0], src, out)
		}
		if out2 := Format(q2); out2 != out {
			t.Fatalf("round trip differs:\ninput:  %q\nfirst:  %q\nsecond: %q", src, out, out2)
		}
		if strings.Contains(out, "<bad") {
			t.Fatalf("clean parse prints a bad node: %q", out)
		}
	})
}
