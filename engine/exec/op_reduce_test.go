package exec

import (
	"math/rand/v2"
	"testing"

	"hunt/kql/plan"
)

// TestReduceClusterArbitrary runs the tokenizer and the clustering over
// random bytes (invalid UTF-8 included) with random delimiter sets and
// thresholds: no panic, every row in one pattern or others, the counts
// adding up, and every term of a value concatenating back to it.
func TestReduceClusterArbitrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab1 -_.\t\xff\xc3\xa4Z")
	for iter := 0; iter < 300; iter++ {
		n := &plan.Reduce{Threshold: rng.Float64(), DefaultChars: rng.IntN(2) == 0}
		if !n.DefaultChars {
			for k := rng.IntN(4); k > 0; k-- {
				n.Chars += string(alphabet[rng.IntN(len(alphabet))])
			}
		}
		d := newReduceDelims(n)
		in := &reduceInput{off: []int32{0}}
		for r := rng.IntN(40); r > 0; r-- {
			b := make([]byte, rng.IntN(12))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			s := string(b)
			before := len(in.terms)
			in.terms = d.terms(in.terms, s)
			joined := ""
			for _, x := range in.terms[before:] {
				if x == "" {
					t.Fatalf("empty term in %q", s)
				}
				joined += x
			}
			if len(joined) > len(s) || s[:len(joined)] != joined {
				t.Fatalf("terms of %q are %q", s, in.terms[before:])
			}
			in.vals = append(in.vals, s)
			in.off = append(in.off, int32(len(in.terms)))
		}
		pats, rowPat := reduceCluster(d, in, n.Threshold)
		var total int64
		for i, p := range pats {
			total += p.count
			if i > 0 && pats[i-1].first >= p.first {
				t.Fatalf("patterns out of order: %+v", pats)
			}
		}
		for _, p := range rowPat {
			if p < 0 {
				total++
			} else if int(p) >= len(pats) {
				t.Fatalf("row pattern %d of %d", p, len(pats))
			}
		}
		if total != int64(len(in.vals)) {
			t.Fatalf("counts add up to %d, want %d", total, len(in.vals))
		}
	}
}
