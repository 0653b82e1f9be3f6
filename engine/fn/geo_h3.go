package fn

// H3 cell kernels: a pure-Go implementation of Uber's H3 hexagonal grid
// (see geo_sphere.go for the shared model; the reference data is in
// geo_h3_tables.go).
//
// The grid, as publicly specified (h3geo.org):
//   - The sphere is projected onto the 20 faces of an icosahedron with a
//     gnomonic projection centered on each face. Every face carries a
//     hexagonal lattice addressed by IJK coordinates (three axes 120
//     degrees apart, normalized so that at most two are nonzero and none
//     is negative). Resolution 0 has 122 base cells, 12 of them pentagons
//     (centered on the icosahedron's vertices).
//   - Each finer resolution has aperture 7: the lattice shrinks by sqrt(7)
//     and turns by about 19.1 degrees, alternately counterclockwise (odd,
//     "Class III" resolutions) and back (even, "Class II"), so a cell has
//     seven children: a center child and six in the unit directions,
//     numbered by their IJK unit vector (K=1, J=2, JK=3, I=4, IK=5, IJ=6).
//   - An index is 64 bits: mode 1 in bits 59-62, the resolution in bits
//     52-55, the base cell in bits 45-51, then fifteen 3-bit digits (the
//     child chosen at resolutions 1..15), unused ones set to 7. A
//     pentagon has no K child (its leading nonzero digit is never 1).
//     Tokens are the index in lower-case hexadecimal.
//
// Decisions where the reference is silent (also in docs/semantics.md):
//   - Tokens are parsed case-insensitively; a token that is not a valid
//     cell index gives null (empty for geo_h3cell_parent).
//   - Cell boundaries list the vertices counterclockwise and close the
//     ring; cells whose edges cross an icosahedron edge get the extra
//     vertex where the edge crosses (as H3 does).
//   - geo_h3cell_neighbors and geo_h3cell_rings walk the rings in H3's
//     order (starting from the cell in the I direction and turning through
//     J, JK, K, IK, I, IJ); near a pentagon, where that walk is undefined,
//     the rings are built breadth-first instead (the order then follows
//     the same direction sequence from each cell of the previous ring).
//   - geo_h3cell_children lists the children in index order, at most 5
//     levels below the cell (16807 children); the cell itself is returned
//     for its own resolution.
//   - geo_polygon_to_h3cells returns the cells whose centers are inside
//     the polygon (geodesic edges, as the other polygon functions) or,
//     with a positive radius, within radius meters of it, in index order;
//     more than 61,680 cells gives null and the search stops once that
//     many candidates are exceeded.

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"hunt/kql/types"
)

const (
	h3MaxRes      = 15
	h3Res0Gnomic  = 0.38196601125010500003
	h3Ap7Rot      = 0.333473172251832115336090755351601070065900389
	h3Sqrt7       = 2.6457513110645905905016157536392604257102
	h3Sin60       = 0.8660254037844386467637231707529361834714
	h3Epsilon     = 1e-16
	h3MaxPolygon  = 61680
	h3MaxRings    = 142
	h3MaxChildGap = 5
)

// Digits (IJK unit vectors packed as i<<2 | j<<1 | k).
const (
	h3Center = 0
	h3K      = 1
	h3J      = 2
	h3JK     = 3
	h3I      = 4
	h3IK     = 5
	h3IJ     = 6
	h3NoDig  = 7
)

type h3IJK struct{ i, j, k int }

type h3FaceIJK struct {
	face int
	c    h3IJK
}

func (a h3IJK) add(b h3IJK) h3IJK { return h3IJK{a.i + b.i, a.j + b.j, a.k + b.k} }
func (a h3IJK) sub(b h3IJK) h3IJK { return h3IJK{a.i - b.i, a.j - b.j, a.k - b.k} }
func (a h3IJK) scale(f int) h3IJK { return h3IJK{a.i * f, a.j * f, a.k * f} }
func h3Unit(d int) h3IJK          { return h3IJK{d >> 2 & 1, d >> 1 & 1, d & 1} }
func (a h3IJK) isZero() bool      { return a.i == 0 && a.j == 0 && a.k == 0 }
func (a h3IJK) sum() int          { return a.i + a.j + a.k }
func (a h3IJK) move(d int) h3IJK  { return a.add(h3Unit(d)).norm() }
func h3Combine(a h3IJK, vi, vj, vk h3IJK) h3IJK {
	return vi.scale(a.i).add(vj.scale(a.j)).add(vk.scale(a.k)).norm()
}

// norm removes the common part of the three coordinates and makes them
// non-negative.
func (a h3IJK) norm() h3IJK {
	if a.i < 0 {
		a.j -= a.i
		a.k -= a.i
		a.i = 0
	}
	if a.j < 0 {
		a.i -= a.j
		a.k -= a.j
		a.j = 0
	}
	if a.k < 0 {
		a.i -= a.k
		a.j -= a.k
		a.k = 0
	}
	m := min(a.i, a.j, a.k)
	return h3IJK{a.i - m, a.j - m, a.k - m}
}

// digit is the digit of a normalized unit vector (h3NoDig otherwise).
func (a h3IJK) digit() int {
	if a.i < 0 || a.i > 1 || a.j < 0 || a.j > 1 || a.k < 0 || a.k > 1 {
		return h3NoDig
	}
	return a.i<<2 | a.j<<1 | a.k
}

// Rotations by 60 degrees: each axis moves to the one beside it.
func (a h3IJK) ccw() h3IJK {
	return h3Combine(a, h3IJK{1, 1, 0}, h3IJK{0, 1, 1}, h3IJK{1, 0, 1})
}
func (a h3IJK) cw() h3IJK {
	return h3Combine(a, h3IJK{1, 0, 1}, h3IJK{1, 1, 0}, h3IJK{0, 1, 1})
}

func h3DigitCCW(d int) int {
	if d == 0 || d == h3NoDig {
		return d
	}
	return h3Unit(d).ccw().digit()
}
func h3DigitCW(d int) int {
	if d == 0 || d == h3NoDig {
		return d
	}
	return h3Unit(d).cw().digit()
}

// Aperture 7 (and 3, for vertices) moves between resolutions: down* gives
// the center of the cell in the finer lattice, "r" variants are for
// Class II children.
func (a h3IJK) downAp7() h3IJK {
	return h3Combine(a, h3IJK{3, 0, 1}, h3IJK{1, 3, 0}, h3IJK{0, 1, 3})
}
func (a h3IJK) downAp7r() h3IJK {
	return h3Combine(a, h3IJK{3, 1, 0}, h3IJK{0, 3, 1}, h3IJK{1, 0, 3})
}
func (a h3IJK) downAp3() h3IJK {
	return h3Combine(a, h3IJK{2, 0, 1}, h3IJK{1, 2, 0}, h3IJK{0, 1, 2})
}
func (a h3IJK) downAp3r() h3IJK {
	return h3Combine(a, h3IJK{2, 1, 0}, h3IJK{0, 2, 1}, h3IJK{1, 0, 2})
}

// upAp7 and upAp7r invert downAp7 and downAp7r (nearest parent center).
func (a h3IJK) upAp7() h3IJK {
	i, j := float64(a.i-a.k), float64(a.j-a.k)
	return h3IJK{int(math.Round((3*i - j) / 7)), int(math.Round((i + 2*j) / 7)), 0}.norm()
}
func (a h3IJK) upAp7r() h3IJK {
	i, j := float64(a.i-a.k), float64(a.j-a.k)
	return h3IJK{int(math.Round((2*i + j) / 7)), int(math.Round((3*j - i) / 7)), 0}.norm()
}

func h3ClassIII(res int) bool { return res%2 == 1 }

// hex2d is the planar position of a lattice point: I along +x, J at 120
// degrees, K at 240 degrees, unit spacing.
func (a h3IJK) hex2d() (float64, float64) {
	i, j := float64(a.i-a.k), float64(a.j-a.k)
	return i - 0.5*j, j * h3Sin60
}

// h3FromHex2d is the lattice point nearest to (x, y): cube rounding in the
// axial coordinates q = i - j, r = j (axes 60 degrees apart).
func h3FromHex2d(x, y float64) h3IJK {
	j := y / h3Sin60
	i := x + 0.5*j
	q, r := i-j, j
	s := -q - r
	rq, rr, rs := math.Round(q), math.Round(r), math.Round(s)
	dq, dr, ds := math.Abs(rq-q), math.Abs(rr-r), math.Abs(rs-s)
	if dq > dr && dq > ds {
		rq = -rr - rs
	} else if dr > ds {
		rr = -rq - rs
	}
	ri, rj := int(rq)+int(rr), int(rr)
	return h3IJK{ri, rj, 0}.norm()
}

// ---------------------------------------------------------------------
// Tables

func h3FaceCenterLatLng(f int) (lat, lng float64) {
	x, y, z := h3FaceCenter[3*f], h3FaceCenter[3*f+1], h3FaceCenter[3*f+2]
	return math.Asin(z), math.Atan2(y, x)
}

func h3BaseHome(bc int) h3FaceIJK {
	d := h3BaseCellData[7*bc:]
	return h3FaceIJK{d[0], h3IJK{d[1], d[2], d[3]}}
}

func h3IsPentagonBase(bc int) bool { return bc >= 0 && bc < 122 && h3BaseCellData[7*bc+4] == 1 }

func h3CwOffset(bc, face int) bool {
	d := h3BaseCellData[7*bc:]
	return d[4] == 1 && (d[5] == face || d[6] == face)
}

// h3FaceNeighbor: dir 1 = IJ, 2 = KI, 3 = JK.
func h3FaceNeighbor(face, dir int) (nface int, translate h3IJK, rot int) {
	d := h3FaceNeighbors[(face*4+dir)*5:]
	return d[0], h3IJK{d[1], d[2], d[3]}, d[4]
}

func h3BaseCellAt(f h3FaceIJK) (bc, rot int, ok bool) {
	c := f.c
	if c.i > 2 || c.j > 2 || c.k > 2 {
		return 0, 0, false
	}
	o := (((f.face*3+c.i)*3+c.j)*3 + c.k) * 2
	return h3FaceIjkBaseCells[o], h3FaceIjkBaseCells[o+1], true
}

// maxDim and unitScale of the Class II lattice of res (2*7^(res/2), 7^(res/2)).
func h3UnitScale(res int) int {
	s := 1
	for r := 0; r < res/2; r++ {
		s *= 7
	}
	return s
}

// ---------------------------------------------------------------------
// Index bits

type h3Index uint64

const h3DigitsMask = (uint64(1) << 45) - 1

func h3Make(res, bc int) h3Index {
	return h3Index(uint64(1)<<59 | uint64(res)<<52 | uint64(bc)<<45 | h3DigitsMask)
}

func (h h3Index) res() int      { return int(h >> 52 & 15) }
func (h h3Index) base() int     { return int(h >> 45 & 127) }
func (h h3Index) dig(r int) int { return int(h >> (3 * uint(15-r)) & 7) }
func (h h3Index) setDig(r, d int) h3Index {
	s := 3 * uint(15-r)
	return h&^(7<<s) | h3Index(d)<<s
}
func (h h3Index) setBase(bc int) h3Index { return h&^(127<<45) | h3Index(bc)<<45 }
func (h h3Index) setRes(r int) h3Index   { return h&^(15<<52) | h3Index(r)<<52 }

func (h h3Index) leading() int {
	for r := 1; r <= h.res(); r++ {
		if d := h.dig(r); d != 0 {
			return d
		}
	}
	return 0
}

func (h h3Index) isPentagon() bool {
	return h3IsPentagonBase(h.base()) && h.leading() == 0
}

func (h h3Index) rotCCW() h3Index {
	for r := 1; r <= h.res(); r++ {
		h = h.setDig(r, h3DigitCCW(h.dig(r)))
	}
	return h
}

func (h h3Index) rotCW() h3Index {
	for r := 1; r <= h.res(); r++ {
		h = h.setDig(r, h3DigitCW(h.dig(r)))
	}
	return h
}

// rotPentCCW rotates a cell of a pentagon base cell, skipping the missing
// K subsequence.
func (h h3Index) rotPentCCW() h3Index {
	h = h.rotCCW()
	if h.leading() == h3K {
		h = h.rotCCW()
	}
	return h
}

func (h h3Index) valid() bool {
	if h>>63 != 0 || h>>59&15 != 1 || h>>56&7 != 0 {
		return false
	}
	bc, res := h.base(), h.res()
	if bc >= 122 {
		return false
	}
	lead := 0
	for r := 1; r <= 15; r++ {
		d := h.dig(r)
		if r > res {
			if d != 7 {
				return false
			}
			continue
		}
		if d == 7 {
			return false
		}
		if lead == 0 && d != 0 {
			lead = d
		}
	}
	return !(h3IsPentagonBase(bc) && lead == h3K)
}

func (h h3Index) String() string { return strconv.FormatUint(uint64(h), 16) }

func h3Parse(v any) (h3Index, bool) {
	s, ok := v.(string)
	if !ok || s == "" || len(s) > 16 {
		return 0, false
	}
	u, err := strconv.ParseUint(strings.ToLower(s), 16, 64)
	if err != nil {
		return 0, false
	}
	h := h3Index(u)
	return h, h.valid()
}

func (h h3Index) parent(res int) h3Index {
	p := h.setRes(res)
	for r := res + 1; r <= 15; r++ {
		p = p.setDig(r, 7)
	}
	return p
}

// ---------------------------------------------------------------------
// Point to cell

func h3PosAngle(a float64) float64 {
	t := math.Mod(a, 2*math.Pi)
	if t < 0 {
		t += 2 * math.Pi
	}
	return t
}

// h3FromLatLng is the cell of res holding (lat, lng) in radians.
func h3FromLatLng(lat, lng float64, res int) h3Index {
	x, y, z := math.Cos(lat)*math.Cos(lng), math.Cos(lat)*math.Sin(lng), math.Sin(lat)
	face, best := 0, math.Inf(1)
	for f := 0; f < 20; f++ {
		dx, dy, dz := x-h3FaceCenter[3*f], y-h3FaceCenter[3*f+1], z-h3FaceCenter[3*f+2]
		if d := dx*dx + dy*dy + dz*dz; d < best {
			face, best = f, d
		}
	}
	var c h3IJK
	dist := math.Acos(math.Max(-1, math.Min(1, 1-best/2)))
	if dist >= h3Epsilon {
		flat, flng := h3FaceCenterLatLng(face)
		az := math.Atan2(math.Cos(lat)*math.Sin(lng-flng),
			math.Cos(flat)*math.Sin(lat)-math.Sin(flat)*math.Cos(lat)*math.Cos(lng-flng))
		theta := h3PosAngle(h3FaceAxesAz[3*face] - h3PosAngle(az))
		if h3ClassIII(res) {
			theta = h3PosAngle(theta - h3Ap7Rot)
		}
		r := math.Tan(dist) / h3Res0Gnomic
		for i := 0; i < res; i++ {
			r *= h3Sqrt7
		}
		c = h3FromHex2d(r*math.Cos(theta), r*math.Sin(theta))
	}
	return h3FromFaceIJK(h3FaceIJK{face, c}, res)
}

// h3FromFaceIJK builds the index of the cell at f (lattice of res).
func h3FromFaceIJK(f h3FaceIJK, res int) h3Index {
	h := h3Make(res, 0)
	c := f.c
	for r := res; r >= 1; r-- {
		last := c
		var center h3IJK
		if h3ClassIII(r) {
			c = c.upAp7()
			center = c.downAp7()
		} else {
			c = c.upAp7r()
			center = c.downAp7r()
		}
		h = h.setDig(r, last.sub(center).norm().digit())
	}
	bc, rot, ok := h3BaseCellAt(h3FaceIJK{f.face, c})
	if !ok {
		return 0
	}
	h = h.setBase(bc)
	if h3IsPentagonBase(bc) {
		if h.leading() == h3K {
			if h3CwOffset(bc, f.face) {
				h = h.rotCW()
			} else {
				h = h.rotCCW()
			}
		}
		for i := 0; i < rot; i++ {
			h = h.rotPentCCW()
		}
	} else {
		for i := 0; i < rot; i++ {
			h = h.rotCCW()
		}
	}
	return h
}

// ---------------------------------------------------------------------
// Cell to face coordinates and geography

const (
	h3NoOverage = iota
	h3FaceEdge
	h3NewFace
)

// h3Overage moves f onto the adjacent face when it lies beyond its own
// (Class II lattice of res; substrate: the vertex lattice, 3 times finer).
func h3Overage(f *h3FaceIJK, res int, pentLeading4, substrate bool) int {
	maxDim := 2 * h3UnitScale(res)
	if substrate {
		maxDim *= 3
	}
	s := f.c.sum()
	if substrate && s == maxDim {
		return h3FaceEdge
	}
	if s <= maxDim {
		return h3NoOverage
	}
	var dir int
	switch {
	case f.c.k > 0 && f.c.j > 0:
		dir = 3
	case f.c.k > 0:
		dir = 2
		if pentLeading4 {
			o := h3IJK{maxDim, 0, 0}
			f.c = f.c.sub(o).norm().cw().add(o).norm()
		}
	default:
		dir = 1
	}
	nface, tr, rot := h3FaceNeighbor(f.face, dir)
	f.face = nface
	for i := 0; i < rot; i++ {
		f.c = f.c.ccw()
	}
	scale := h3UnitScale(res)
	if substrate {
		scale *= 3
	}
	f.c = f.c.add(tr.scale(scale)).norm()
	if substrate && f.c.sum() == maxDim {
		return h3FaceEdge
	}
	return h3NewFace
}

// h3ToFaceIJK is the cell's center on a face (possibly not its base cell's
// home face).
func (h h3Index) toFaceIJK() h3FaceIJK {
	bc := h.base()
	if h3IsPentagonBase(bc) && h.leading() == h3IK {
		h = h.rotCW()
	}
	f := h3BaseHome(bc)
	res := h.res()
	possible := h3IsPentagonBase(bc) || (res > 0 && !f.c.isZero())
	for r := 1; r <= res; r++ {
		if h3ClassIII(r) {
			f.c = f.c.downAp7()
		} else {
			f.c = f.c.downAp7r()
		}
		f.c = f.c.move(h.dig(r))
	}
	if !possible {
		return f
	}
	adj := res
	if h3ClassIII(res) {
		f.c = f.c.downAp7r()
		adj++
	}
	pent4 := h3IsPentagonBase(bc) && h.leading() == h3I
	if h3Overage(&f, adj, pent4, false) != h3NoOverage && h3IsPentagonBase(bc) {
		for h3Overage(&f, adj, false, false) != h3NoOverage {
		}
	}
	if adj != res {
		f.c = f.c.upAp7r()
	}
	return f
}

// h3ToGeo maps a planar face position (lattice of res) to (lat, lng).
func h3ToGeo(x, y float64, face, res int, substrate bool) (float64, float64) {
	flat, flng := h3FaceCenterLatLng(face)
	r := math.Hypot(x, y)
	if r < h3Epsilon {
		return flat, flng
	}
	theta := math.Atan2(y, x)
	for i := 0; i < res; i++ {
		r /= h3Sqrt7
	}
	if substrate {
		r /= 3
		if h3ClassIII(res) {
			r /= h3Sqrt7
		}
	}
	r = math.Atan(r * h3Res0Gnomic)
	if !substrate && h3ClassIII(res) {
		theta = h3PosAngle(theta + h3Ap7Rot)
	}
	theta = h3PosAngle(h3FaceAxesAz[3*face] - theta)
	return h3Destination(flat, flng, theta, r)
}

// h3Destination is the point at angular distance d and azimuth az from
// (lat, lng), all in radians.
func h3Destination(lat, lng, az, d float64) (float64, float64) {
	sinLat := math.Sin(lat)*math.Cos(d) + math.Cos(lat)*math.Sin(d)*math.Cos(az)
	sinLat = math.Max(-1, math.Min(1, sinLat))
	lat2 := math.Asin(sinLat)
	if math.Abs(lat2-math.Pi/2) < 1e-15 {
		return math.Pi / 2, 0
	}
	if math.Abs(lat2+math.Pi/2) < 1e-15 {
		return -math.Pi / 2, 0
	}
	dl := math.Atan2(math.Sin(az)*math.Sin(d)*math.Cos(lat), math.Cos(d)-math.Sin(lat)*sinLat)
	lng2 := lng + dl
	for lng2 > math.Pi {
		lng2 -= 2 * math.Pi
	}
	for lng2 < -math.Pi {
		lng2 += 2 * math.Pi
	}
	return lat2, lng2
}

func (h h3Index) center() (lat, lng float64) {
	f := h.toFaceIJK()
	x, y := f.c.hex2d()
	return h3ToGeo(x, y, f.face, h.res(), false)
}

// boundary lists the cell's vertices (lat, lng in radians), counterclockwise.
func (h h3Index) boundary() [][2]float64 {
	f := h.toFaceIJK()
	res := h.res()
	pent := h.isPentagon()
	n := 6
	verts := []h3IJK{{2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {0, 1, 2}, {1, 0, 2}, {2, 0, 1}}
	if h3ClassIII(res) {
		verts = []h3IJK{{5, 4, 0}, {1, 5, 0}, {0, 5, 4}, {0, 1, 5}, {4, 0, 5}, {5, 0, 1}}
	}
	if pent {
		n = 5
	}
	// The vertices on the substrate lattice (3 times finer, Class II).
	adj := res
	c := f.c.downAp3().downAp3r()
	if h3ClassIII(res) {
		c = c.downAp7r()
		adj++
	}
	fv := make([]h3FaceIJK, n)
	for v := 0; v < n; v++ {
		fv[v] = h3FaceIJK{f.face, c.add(verts[v]).norm()}
	}
	maxDim := float64(2 * h3UnitScale(adj) * 3)
	edge := func(dir int) (x0, y0, x1, y1 float64) {
		v0x, v0y := maxDim, 0.0
		v1x, v1y := -maxDim/2, maxDim*h3Sin60
		v2x, v2y := -maxDim/2, -maxDim*h3Sin60
		switch dir {
		case 1:
			return v0x, v0y, v1x, v1y
		case 3:
			return v1x, v1y, v2x, v2y
		}
		return v2x, v2y, v0x, v0y
	}
	var out [][2]float64
	add := func(x, y float64, face int) {
		lat, lng := h3ToGeo(x, y, face, adj, true)
		out = append(out, [2]float64{lat, lng})
	}
	if pent {
		var last h3FaceIJK
		for v := 0; v <= n; v++ {
			cur := fv[v%n]
			for h3Overage(&cur, adj, false, true) == h3NewFace {
			}
			if h3ClassIII(res) && v > 0 {
				// The edge from last to cur crosses a face edge: project last's
				// position onto cur's face and intersect.
				tmp := cur
				x0, y0 := last.c.hex2d()
				dir := h3AdjacentFaceDir[tmp.face*20+last.face]
				nface, tr, rot := h3FaceNeighbor(tmp.face, dir)
				tmp.face = nface
				ijk := tmp.c
				for i := 0; i < rot; i++ {
					ijk = ijk.ccw()
				}
				ijk = ijk.add(tr.scale(h3UnitScale(adj) * 3)).norm()
				x1, y1 := ijk.hex2d()
				ex0, ey0, ex1, ey1 := edge(h3AdjacentFaceDir[tmp.face*20+cur.face])
				ix, iy := h3Intersect(x0, y0, x1, y1, ex0, ey0, ex1, ey1)
				add(ix, iy, tmp.face)
			}
			if v < n {
				x, y := cur.c.hex2d()
				add(x, y, cur.face)
			}
			last = cur
		}
		return out
	}
	lastFace, lastOver := -1, h3NoOverage
	for v := 0; v <= n; v++ {
		cur := fv[v%n]
		over := h3Overage(&cur, adj, false, true)
		if h3ClassIII(res) && v > 0 && cur.face != lastFace && lastOver != h3FaceEdge {
			x0, y0 := fv[(v+n-1)%n].c.hex2d()
			x1, y1 := fv[v%n].c.hex2d()
			face2 := lastFace
			if lastFace == f.face {
				face2 = cur.face
			}
			ex0, ey0, ex1, ey1 := edge(h3AdjacentFaceDir[f.face*20+face2])
			ix, iy := h3Intersect(x0, y0, x1, y1, ex0, ey0, ex1, ey1)
			at0 := math.Abs(ix-x0) < 1.2e-7 && math.Abs(iy-y0) < 1.2e-7
			at1 := math.Abs(ix-x1) < 1.2e-7 && math.Abs(iy-y1) < 1.2e-7
			if !at0 && !at1 {
				add(ix, iy, f.face)
			}
		}
		if v < n {
			x, y := cur.c.hex2d()
			add(x, y, cur.face)
		}
		lastFace, lastOver = cur.face, over
	}
	return out
}

// h3Intersect intersects the lines through (x0,y0)-(x1,y1) and (x2,y2)-(x3,y3).
func h3Intersect(x0, y0, x1, y1, x2, y2, x3, y3 float64) (float64, float64) {
	s1x, s1y := x1-x0, y1-y0
	s2x, s2y := x3-x2, y3-y2
	t := (s2x*(y0-y2) - s2y*(x0-x2)) / (-s2x*s1y + s1x*s2y)
	return x0 + t*s1x, y0 + t*s1y
}

// ---------------------------------------------------------------------
// Neighbors

// h3Ring order of directions walked around a ring.
var h3RingDirs = [6]int{h3J, h3JK, h3K, h3IK, h3I, h3IJ}

// neighbor is the adjacent cell in direction dir; rot accumulates the
// 60-degree counterclockwise rotations between the coordinate systems.
func (h h3Index) neighbor(dir int, rot *int) (h3Index, bool) {
	cur := h
	oldBase := h.base()
	oldLead := h.leading()
	for i := 0; i < *rot; i++ {
		dir = h3DigitCCW(dir)
	}
	newRot := 0
	r := h.res() - 1
	for {
		if r == -1 {
			nb := h3BaseCellNeighbors[oldBase*7+dir]
			newRot = h3BaseCellNeighborRots[oldBase*7+dir]
			if nb == 127 {
				// The missing K direction of a pentagon: go round it.
				nb = h3BaseCellNeighbors[oldBase*7+h3IK]
				newRot = h3BaseCellNeighborRots[oldBase*7+h3IK]
				cur = cur.rotCCW()
				*rot++
			}
			cur = cur.setBase(nb)
			break
		}
		old := cur.dig(r + 1)
		if old == h3NoDig {
			return 0, false
		}
		var next int
		if h3ClassIII(r + 1) {
			cur = cur.setDig(r+1, h3NewDigitII[old*7+dir])
			next = h3NewAdjII[old*7+dir]
		} else {
			cur = cur.setDig(r+1, h3NewDigitIII[old*7+dir])
			next = h3NewAdjIII[old*7+dir]
		}
		if next == h3Center {
			break
		}
		dir = next
		r--
	}
	nb := cur.base()
	if h3IsPentagonBase(nb) {
		adjusted := false
		if cur.leading() == h3K {
			if oldBase != nb {
				if h3CwOffset(nb, h3BaseCellData[oldBase*7]) {
					cur = cur.rotCW()
				} else {
					cur = cur.rotCCW()
				}
				adjusted = true
			} else {
				switch oldLead {
				case h3JK:
					cur = cur.rotCCW()
					*rot++
				case h3IK:
					cur = cur.rotCW()
					*rot += 5
				default:
					return 0, false
				}
			}
		}
		for i := 0; i < newRot; i++ {
			cur = cur.rotPentCCW()
		}
		if oldBase != nb {
			if nb == 4 || nb == 117 {
				if oldBase != 118 && oldBase != 8 && cur.leading() != h3JK {
					*rot++
				}
			} else if cur.leading() == h3IK && !adjusted {
				*rot++
			}
		}
	} else {
		for i := 0; i < newRot; i++ {
			cur = cur.rotCCW()
		}
	}
	*rot = (*rot + newRot) % 6
	return cur, true
}

// rings lists the cells within k steps, ring by ring.
func (h h3Index) rings(k int) ([][]h3Index, bool) {
	if out, ok := h.ringsWalk(k); ok {
		return out, true
	}
	return h.ringsBFS(k)
}

func (h h3Index) ringsWalk(k int) ([][]h3Index, bool) {
	out := [][]h3Index{{h}}
	if h.isPentagon() {
		return nil, false
	}
	cur, rot := h, 0
	for ring := 1; ring <= k; ring++ {
		var ok bool
		if cur, ok = cur.neighbor(h3I, &rot); !ok || cur.isPentagon() {
			return nil, false
		}
		cells := make([]h3Index, 0, 6*ring)
		for d := 0; d < 6; d++ {
			for i := 0; i < ring; i++ {
				if cur, ok = cur.neighbor(h3RingDirs[d], &rot); !ok || cur.isPentagon() {
					return nil, false
				}
				cells = append(cells, cur)
			}
		}
		out = append(out, cells)
	}
	// A walk that crossed pentagon distortion repeats cells.
	seen := make(map[h3Index]bool, 1+3*k*(k+1))
	for _, r := range out {
		for _, c := range r {
			if seen[c] {
				return nil, false
			}
			seen[c] = true
		}
	}
	return out, true
}

func (h h3Index) ringsBFS(k int) ([][]h3Index, bool) {
	out := [][]h3Index{{h}}
	seen := map[h3Index]bool{h: true}
	for ring := 1; ring <= k; ring++ {
		var next []h3Index
		for _, c := range out[ring-1] {
			for _, d := range h3RingDirs {
				rot := 0
				n, ok := c.neighbor(d, &rot)
				if !ok || seen[n] {
					continue
				}
				seen[n] = true
				next = append(next, n)
			}
		}
		out = append(out, next)
	}
	return out, true
}

// ---------------------------------------------------------------------
// Children and polygons

func (h h3Index) children(res int) []h3Index {
	base := h.res()
	gap := res - base
	out := make([]h3Index, 0, int(math.Pow(7, float64(gap))))
	var rec func(c h3Index, r int)
	rec = func(c h3Index, r int) {
		if r > res {
			if c.valid() {
				out = append(out, c)
			}
			return
		}
		c = c.setRes(r)
		for d := 0; d < 7; d++ {
			rec(c.setDig(r, d), r+1)
		}
	}
	rec(h, base+1)
	return out
}

func h3Strings(cs []h3Index) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// h3Polygon lists the cells of res whose centers are within radius meters
// of the polygons (inside them for radius 0).
func h3Polygon(ps []geoPoly, res int, radius float64) ([]any, bool) {
	index := s2.NewShapeIndex()
	rect := s2.EmptyRect()
	var seeds []s2.Point
	for i := range ps {
		p := geoS2Polygon(&ps[i])
		index.Add(p)
		rect = rect.Union(p.RectBound())
		seeds = append(seeds, ps[i].shell.Vertex(0))
	}
	// Candidates: cells reachable from a vertex through cells whose centers
	// are near the polygon's bounding box (a cell's center is within one
	// cell diameter of every point of the cell).
	bound := rect.CapBound()
	grown := s2.CapFromCenterAngle(bound.Center(), bound.Radius()+s1.Angle(radius/geoEarthRadius+2*h3CellRadius(res)))
	q := s2.NewClosestEdgeQuery(index, s2.NewClosestEdgeQueryOptions().IncludeInteriors(true))
	limit := s1.ChordAngleFromAngle(s1.Angle(radius / geoEarthRadius)).Successor()
	seen := map[h3Index]bool{}
	var queue []h3Index
	for _, p := range seeds {
		ll := s2.LatLngFromPoint(p)
		c := h3FromLatLng(float64(ll.Lat), float64(ll.Lng), res)
		if c != 0 && !seen[c] {
			seen[c] = true
			queue = append(queue, c)
		}
	}
	var out []h3Index
	for len(queue) > 0 {
		c := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		clat, clng := c.center()
		pt := s2.PointFromLatLng(s2.LatLng{Lat: s1.Angle(clat), Lng: s1.Angle(clng)})
		in := geoPolysContain(ps, pt)
		if !in && radius > 0 {
			in = q.IsDistanceLess(s2.NewMinDistanceToPointTarget(pt), limit)
		}
		if in {
			out = append(out, c)
			if len(out) > h3MaxPolygon {
				return nil, false
			}
		}
		for _, d := range h3RingDirs {
			rot := 0
			n, ok := c.neighbor(d, &rot)
			if !ok || seen[n] {
				continue
			}
			seen[n] = true
			nlat, nlng := n.center()
			if !grown.ContainsPoint(s2.PointFromLatLng(s2.LatLng{Lat: s1.Angle(nlat), Lng: s1.Angle(nlng)})) {
				continue
			}
			queue = append(queue, n)
		}
		if len(seen) > 8*h3MaxPolygon {
			return nil, false
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return h3Strings(out), true
}

// h3CellRadius bounds the angular distance from a cell's center to its
// vertices at res (the largest hexagons, near face centers, are about
// 1.25 times the average; 2x is a safe bound).
func h3CellRadius(res int) float64 {
	r := 1108000.0 / geoEarthRadius * 2 // res 0 edge length, doubled
	for i := 0; i < res; i++ {
		r /= h3Sqrt7
	}
	return r
}

// ---------------------------------------------------------------------
// Kernels

func h3LngLatBag(lat, lng float64) *types.Bag {
	return geoPointBag(lng*180/math.Pi, lat*180/math.Pi)
}

func init() {
	str, dyn, long := types.String, types.Dynamic, types.Long

	geoRegister("geo_point_to_h3cell", str, func(_ []geoShapeCache, v []any) any {
		lng, lat, res, ok := geoPointLevel(v, 6, 0, h3MaxRes)
		if !ok {
			return ""
		}
		h := h3FromLatLng(lat*math.Pi/180, lng*math.Pi/180, res)
		if h == 0 {
			return ""
		}
		return h.String()
	})

	geoRegister("geo_h3cell_to_central_point", dyn, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return nil
		}
		return h3LngLatBag(h.center())
	})

	geoRegister("geo_h3cell_to_polygon", dyn, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return nil
		}
		b := h.boundary()
		pts := make([][2]float64, len(b))
		for i, p := range b {
			pts[i] = [2]float64{p[1] * 180 / math.Pi, p[0] * 180 / math.Pi}
		}
		return geoPolygonBag(geoClosedRing(pts...))
	})

	geoRegister("geo_h3cell_level", long, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return nil
		}
		return int64(h.res())
	})

	geoRegister("geo_h3cell_parent", str, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return ""
		}
		res := h.res() - 1
		if len(v) > 1 {
			if res, ok = geoInt(v[1]); !ok {
				return ""
			}
		}
		if res < 0 || res > 14 || res > h.res() {
			return ""
		}
		return h.parent(res).String()
	})

	geoRegister("geo_h3cell_children", dyn, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return nil
		}
		res := h.res() + 1
		if len(v) > 1 {
			if res, ok = geoInt(v[1]); !ok {
				return nil
			}
		}
		if res < 1 || res > h3MaxRes || res < h.res() || res-h.res() > h3MaxChildGap {
			return nil
		}
		return h3Strings(h.children(res))
	})

	geoRegister("geo_h3cell_neighbors", dyn, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		if !ok {
			return nil
		}
		rs, ok := h.rings(1)
		if !ok {
			return nil
		}
		return h3Strings(rs[1])
	})

	geoRegister("geo_h3cell_rings", dyn, func(_ []geoShapeCache, v []any) any {
		h, ok := h3Parse(v[0])
		k, ok2 := geoInt(v[1])
		if !ok || !ok2 || k < 0 || k > h3MaxRings {
			return nil
		}
		rs, ok := h.rings(k)
		if !ok {
			return nil
		}
		out := make([]any, len(rs))
		for i, r := range rs {
			out[i] = h3Strings(r)
		}
		return out
	})

	geoRegister("geo_polygon_to_h3cells", dyn, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		if !ok {
			return nil
		}
		res, radius := 6, 0.0
		if len(v) > 1 && v[1] != nil {
			if res, ok = geoInt(v[1]); !ok || res < 0 || res > h3MaxRes {
				return nil
			}
		}
		if len(v) > 2 && v[2] != nil {
			if radius, ok = geoNum(v[2]); !ok || radius < 0 || math.IsInf(radius, 0) {
				return nil
			}
		}
		out, ok := h3Polygon(ps, res, radius)
		if !ok {
			return nil
		}
		return out
	})
}
