package fn

import (
	"math"
	"math/rand"
	"testing"
)

// TestH3Invariants checks, on random points and every resolution, that
// cells round-trip through their centers, parents contain their children,
// rings have the expected sizes away from pentagons and neighbors are
// symmetric; and that arbitrary 64-bit tokens never panic.
func TestH3Invariants(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 3000; n++ {
		lat := math.Asin(2*rng.Float64() - 1)
		lng := (2*rng.Float64() - 1) * math.Pi
		res := rng.Intn(16)
		h := h3FromLatLng(lat, lng, res)
		if !h.valid() || h.res() != res {
			t.Fatalf("invalid cell %s for %v %v", h, lat, lng)
		}
		clat, clng := h.center()
		if g := h3FromLatLng(clat, clng, res); g != h {
			t.Fatalf("%s: center maps to %s", h, g)
		}
		if b := h.boundary(); len(b) < 5 || len(b) > 10 {
			t.Fatalf("%s: %d vertices", h, len(b))
		}
		if res > 0 {
			p := h.parent(res - 1)
			found := false
			for _, c := range p.children(res) {
				found = found || c == h
			}
			if !found {
				t.Fatalf("%s not among the children of %s", h, p)
			}
		}
		rs, ok := h.rings(2)
		if !ok || len(rs) != 3 {
			t.Fatalf("%s: rings failed", h)
		}
		if _, walked := h.ringsWalk(2); walked && (len(rs[1]) != 6 || len(rs[2]) != 12) {
			t.Fatalf("%s: ring sizes %d %d", h, len(rs[1]), len(rs[2]))
		}
		for _, nb := range rs[1] {
			back, _ := nb.rings(1)
			found := false
			for _, c := range back[1] {
				found = found || c == h
			}
			if !found {
				t.Fatalf("%s is a neighbor of %s but not conversely", nb, h)
			}
		}
	}
	for n := 0; n < 20000; n++ {
		h := h3Index(rng.Uint64())
		if n%2 == 0 {
			h = h&^(15<<59) | 1<<59
		}
		if h.valid() {
			h.center()
			h.boundary()
			h.rings(1)
		}
	}
}
