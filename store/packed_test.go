package store

import (
	"math/rand/v2"
	"testing"
)

// TestPacked checks get and selectCodes against the plain values for
// every width and for row counts around word boundaries.
func TestPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	for _, ndict := range []int{1, 2, 3, 4, 5, 16, 17, 200, 256, 257, 5000, 70000} {
		w := packWidth(ndict)
		if 1<<w < ndict || w&(w-1) != 0 {
			t.Fatalf("packWidth(%d) = %d", ndict, w)
		}
		for _, n := range []int{1, 63, 64, 65, 127, 1000} {
			vals := make([]uint32, n)
			for i := range vals {
				vals[i] = uint32(rng.IntN(ndict))
			}
			p, err := readPacked(appendPacked(nil, vals, w), n, w)
			if err != nil {
				t.Fatal(err)
			}
			pass := make([]bool, 1<<w)
			for c := 0; c < ndict; c++ {
				pass[c] = rng.IntN(3) == 0
			}
			sel := newBitset(n)
			p.selectCodes(pass, n, sel)
			for i, v := range vals {
				if p.get(i) != v {
					t.Fatalf("ndict %d n %d: get(%d) = %d, want %d", ndict, n, i, p.get(i), v)
				}
				if sel.get(i) != pass[v] {
					t.Fatalf("ndict %d n %d: row %d selected %v, want %v", ndict, n, i, sel.get(i), pass[v])
				}
			}
			if sel.count() > n {
				t.Fatalf("rows past %d selected", n)
			}
		}
	}
}
