package fn

// Set operations on lines and polygons: geo_intersection_2lines,
// geo_intersection_line_with_polygon, geo_intersection_2polygons,
// geo_union_lines_array, geo_union_polygons_array (see geo_sphere.go for
// the shared model).
//
// Decisions where the reference is silent (also in docs/semantics.md):
//   - Polygon results are built from boundary pieces: every ring edge is
//     cut where it crosses (or touches) the other operand's boundary, a
//     piece is kept by the position of its midpoint (inside the other
//     operand for an intersection, outside for a union); a piece shared
//     by both boundaries counts once when both run the same way and not
//     at all when they run opposite ways (adjacent polygons). The pieces
//     are chained into rings (interior on the left, holes clockwise);
//     a ring starts with the piece of the earliest input edge, the
//     first operand's edges coming first (S2's canonical loop order),
//     and cuts inside one input edge are merged away. Input vertices
//     keep their input coordinates.
//   - geo_union_polygons_array unions the array's elements one after the
//     other (left to right). geo_union_lines_array keeps each segment
//     once (a segment lying on another is cut at its vertices) and chains
//     the segments into maximal lines in input order.
//   - An intersection of polygons that only touch at points gives those
//     points; lower-dimensional parts of other results (a line touching a
//     polygon at a point, polygons sharing only an edge) are left out.
//   - One part gives Point / LineString / Polygon, several of one kind
//     the Multi* type, parts of several kinds a GeometryCollection (points
//     first), nothing an empty GeometryCollection.
//   - Edges closer than 1e-12 radians (6 micrometers) are treated as
//     touching.

import (
	"math"
	"sort"

	"github.com/golang/geo/s2"

	"hunt/kql/types"
)

const geoEps = 1e-12

// geoMaxSetOpEdges bounds the input edges of one set operation.
const geoMaxSetOpEdges = 1 << 17

type geoEdgeRef struct{ a, b s2.Point }

// geoCuts holds the cut points of every edge of one operand.
type geoCuts [][]s2.Point

func geoRingEdges(rings [][]s2.Point, closed bool) []geoEdgeRef {
	var out []geoEdgeRef
	for _, r := range rings {
		n := len(r) - 1
		if closed {
			n = len(r)
		}
		for k := 0; k < n; k++ {
			out = append(out, geoEdgeRef{r[k], r[(k+1)%len(r)]})
		}
	}
	return out
}

func geoOnEdge(p s2.Point, e geoEdgeRef) bool {
	return float64(s2.DistanceFromSegment(p, e.a, e.b)) < geoEps
}

// geoCutEdges computes the points where the edges of a and b cross or
// touch; crossing points are shared by both sides so that pieces meet
// exactly. touch collects every contact point.
func geoCutEdges(ea, eb []geoEdgeRef) (ca, cb geoCuts, touch []s2.Point) {
	ca, cb = make(geoCuts, len(ea)), make(geoCuts, len(eb))
	rb := make([]s2.Rect, len(eb))
	for j, e := range eb {
		rb[j] = geoEdgeRect(e)
	}
	for i, e := range ea {
		ra := geoEdgeRect(e)
		cr := s2.NewEdgeCrosser(e.a, e.b)
		for j, f := range eb {
			if !ra.Intersects(rb[j]) {
				continue
			}
			switch cr.CrossingSign(f.a, f.b) {
			case s2.Cross:
				x := s2.Intersection(e.a, e.b, f.a, f.b)
				for _, v := range [4]s2.Point{e.a, e.b, f.a, f.b} {
					if float64(x.Distance(v)) < geoEps {
						x = v // a crossing at a vertex is that vertex
					}
				}
				if x != e.a && x != e.b {
					ca[i] = append(ca[i], x)
				}
				if x != f.a && x != f.b {
					cb[j] = append(cb[j], x)
				}
				touch = append(touch, x)
				continue
			}
			for _, v := range [2]s2.Point{f.a, f.b} {
				if geoOnEdge(v, e) {
					touch = append(touch, v)
					if !geoSame(v, e.a) && !geoSame(v, e.b) {
						ca[i] = append(ca[i], v)
					}
				}
			}
			for _, v := range [2]s2.Point{e.a, e.b} {
				if geoOnEdge(v, f) && !geoSame(v, f.a) && !geoSame(v, f.b) {
					cb[j] = append(cb[j], v)
				}
			}
		}
	}
	return ca, cb, touch
}

func geoEdgeRect(e geoEdgeRef) s2.Rect {
	rb := s2.NewRectBounder()
	rb.AddPoint(e.a)
	rb.AddPoint(e.b)
	return rb.RectBound()
}

// geoPieceOf is a piece of input edge id.
type geoPieceOf struct {
	a, b s2.Point
	id   int
}

// geoSplit cuts edge e at cuts (sorted along the edge).
func geoSplit(e geoEdgeRef, cuts []s2.Point, id int) []geoPieceOf {
	sort.Slice(cuts, func(i, j int) bool { return e.a.Distance(cuts[i]) < e.a.Distance(cuts[j]) })
	var out []geoPieceOf
	prev := e.a
	for _, x := range append(cuts, e.b) {
		if geoSame(prev, x) {
			continue
		}
		out = append(out, geoPieceOf{prev, x, id})
		prev = x
	}
	return out
}

const (
	geoOutside = iota
	geoInside
	geoSameWay
	geoOppositeWay
)

// geoClassify places a piece against an operand (its polygons and their
// boundary edges).
func geoClassify(a, b s2.Point, ps []geoPoly, edges []geoEdgeRef) int {
	m := s2.Interpolate(0.5, a, b)
	for _, e := range edges {
		if geoOnEdge(m, e) {
			if a.PointCross(b).Dot(e.a.PointCross(e.b).Vector) > 0 {
				return geoSameWay
			}
			return geoOppositeWay
		}
	}
	if geoPolysContain(ps, m) {
		return geoInside
	}
	return geoOutside
}

// geoRaw remembers the input coordinates of input vertices.
type geoRaw map[s2.Point][2]float64

func (r geoRaw) coord(p s2.Point) []any {
	if c, ok := r[p]; ok {
		return []any{c[0], c[1]}
	}
	return geoLngLatOf(p)
}

// geoPolysRaw reads the input coordinates of a polygon argument.
func geoPolysRaw(v any, raw geoRaw) {
	t, c, _ := geoBagType(v)
	polys := []any{c}
	if t == "MultiPolygon" {
		polys, _ = c.([]any)
	}
	for _, p := range polys {
		rs, _ := p.([]any)
		for _, r := range rs {
			for _, x := range geoRawChain(r) {
				raw[geoPoint(x[0], x[1])] = x
			}
		}
	}
}

func geoLinesRaw(v any, raw geoRaw) {
	t, c, _ := geoBagType(v)
	lines := []any{c}
	if t == "MultiLineString" {
		lines, _ = c.([]any)
	}
	for _, l := range lines {
		for _, x := range geoRawChain(l) {
			raw[geoPoint(x[0], x[1])] = x
		}
	}
}

// geoPolyOp computes the intersection (union=false) or union of a and b.
// It returns the result polygons and, for an intersection, the contact
// points that are not on the result.
func geoPolyOp(a, b []geoPoly, union bool) ([]geoPoly, [][][]s2.Point, []s2.Point, bool) {
	ra, rb := geoPolyChains(a), geoPolyChains(b)
	ea, eb := geoRingEdges(ra, true), geoRingEdges(rb, true)
	if len(ea)+len(eb) > geoMaxSetOpEdges {
		return nil, nil, nil, false
	}
	ca, cb, touch := geoCutEdges(ea, eb)
	var pieces []geoPieceOf
	for i, e := range ea {
		for _, p := range geoSplit(e, ca[i], i) {
			k := geoClassify(p.a, p.b, b, eb)
			if k == geoSameWay || (union && k == geoOutside) || (!union && k == geoInside) {
				pieces = append(pieces, p)
			}
		}
	}
	for j, e := range eb {
		for _, p := range geoSplit(e, cb[j], len(ea)+j) {
			k := geoClassify(p.a, p.b, a, ea)
			if (union && k == geoOutside) || (!union && k == geoInside) {
				pieces = append(pieces, p)
			}
		}
	}
	rings := geoChainPieces(pieces)
	polys, grouped := geoAssemble(rings)
	var pts []s2.Point
	if !union {
		for _, t := range touch {
			on := false
			for _, r := range rings {
				for k := range r {
					if geoOnEdge(t, geoEdgeRef{r[k].a, r[k].b}) {
						on = true
						break
					}
				}
			}
			for _, q := range pts {
				if geoSame(q, t) {
					on = true
				}
			}
			if !on {
				pts = append(pts, t)
			}
		}
	}
	return polys, grouped, pts, true
}

// geoChainPieces links pieces end to start into rings, each rotated to
// start with its earliest input edge, with cuts inside an input edge
// merged away.
func geoChainPieces(pieces []geoPieceOf) [][]geoPieceOf {
	from := map[s2.Point][]int{}
	for i, p := range pieces {
		from[p.a] = append(from[p.a], i)
	}
	used := make([]bool, len(pieces))
	var rings [][]geoPieceOf
	for i := range pieces {
		if used[i] {
			continue
		}
		var ring []geoPieceOf
		cur := i
		for {
			used[cur] = true
			ring = append(ring, pieces[cur])
			end := pieces[cur].b
			if geoSame(end, pieces[i].a) {
				break
			}
			next := -1
			for _, k := range from[end] {
				if !used[k] {
					next = k
					break
				}
			}
			if next < 0 {
				ring = nil // an open chain: numerical trouble, drop it
				break
			}
			cur = next
		}
		if len(ring) < 3 {
			continue
		}
		// Rotate: earliest input edge first, at the start of its run.
		minID := ring[0].id
		for _, p := range ring {
			if p.id < minID {
				minID = p.id
			}
		}
		best := 0
		for k := range ring {
			if ring[k].id == minID && ring[(k+len(ring)-1)%len(ring)].id != minID {
				best = k
				break
			}
		}
		ring = append(ring[best:], ring[:best]...)
		var merged []geoPieceOf
		for _, p := range ring {
			if n := len(merged); n > 0 && merged[n-1].id == p.id {
				merged[n-1].b = p.b
				continue
			}
			merged = append(merged, p)
		}
		if len(merged) >= 3 {
			rings = append(rings, merged)
		}
	}
	return rings
}

// geoAssemble sorts rings into shells and holes; it returns the polygons
// and, per polygon, its rings (shell first) as vertex lists.
func geoAssemble(rings [][]geoPieceOf) ([]geoPoly, [][][]s2.Point) {
	type shell struct {
		loop  *s2.Loop
		rings [][]s2.Point
		holes []*s2.Loop
	}
	var shells []*shell
	var holes [][]s2.Point
	for _, r := range rings {
		pts := make([]s2.Point, len(r))
		for k, p := range r {
			pts[k] = p.a
		}
		l := s2.LoopFromPoints(pts)
		if l.Area() <= 2*math.Pi {
			shells = append(shells, &shell{loop: l, rings: [][]s2.Point{pts}})
		} else {
			holes = append(holes, pts)
		}
	}
	for _, h := range holes {
		var best *shell
		hl := s2.LoopFromPoints(h)
		hl.Normalize()
		probe := s2.Interpolate(0.5, h[0], h[1])
		for _, s := range shells {
			if s.loop.ContainsPoint(probe) || s.loop.ContainsPoint(h[0]) {
				if best == nil || s.loop.Area() < best.loop.Area() {
					best = s
				}
			}
		}
		if best != nil {
			best.rings = append(best.rings, h)
			best.holes = append(best.holes, hl)
		}
	}
	polys := make([]geoPoly, len(shells))
	grouped := make([][][]s2.Point, len(shells))
	for i, s := range shells {
		polys[i] = geoPoly{shell: s.loop, holes: s.holes}
		grouped[i] = s.rings
	}
	return polys, grouped
}

// geoPolysResult renders polygons (grouped rings) and points.
func geoPolysResult(grouped [][][]s2.Point, pts []s2.Point, raw geoRaw) *types.Bag {
	parts := geoPointsPart(nil, pts, raw)
	polys := make([]any, len(grouped))
	for i, g := range grouped {
		rs := make([]any, len(g))
		for k, r := range g {
			cs := make([]any, 0, len(r)+1)
			for _, p := range r {
				cs = append(cs, raw.coord(p))
			}
			rs[k] = append(cs, raw.coord(r[0]))
		}
		polys[i] = rs
	}
	if len(polys) == 1 {
		parts = append(parts, geoGeometry("Polygon", polys[0]))
	} else if len(polys) > 1 {
		parts = append(parts, geoGeometry("MultiPolygon", polys))
	}
	return geoCollect(parts)
}

// geoPointsPart appends pts to parts as a Point or a MultiPoint (nothing
// when there are none).
func geoPointsPart(parts []*types.Bag, pts []s2.Point, raw geoRaw) []*types.Bag {
	switch len(pts) {
	case 0:
		return parts
	case 1:
		return append(parts, geoGeometry("Point", raw.coord(pts[0])))
	}
	cs := make([]any, len(pts))
	for i, p := range pts {
		cs[i] = raw.coord(p)
	}
	return append(parts, geoGeometry("MultiPoint", cs))
}

func geoCollect(parts []*types.Bag) *types.Bag {
	if len(parts) == 1 {
		return parts[0]
	}
	gs := make([]any, len(parts))
	for i, p := range parts {
		gs[i] = p
	}
	b := types.NewBag(2)
	b.Set("type", "GeometryCollection")
	b.Set("geometries", gs)
	return b
}

// geoLinesResult renders chains of points.
func geoLinesResult(chains [][]s2.Point, pts []s2.Point, raw geoRaw) *types.Bag {
	parts := geoPointsPart(nil, pts, raw)
	ls := make([]any, len(chains))
	for i, ch := range chains {
		cs := make([]any, len(ch))
		for k, p := range ch {
			cs[k] = raw.coord(p)
		}
		ls[i] = cs
	}
	if len(ls) == 1 {
		parts = append(parts, geoGeometry("LineString", ls[0]))
	} else if len(ls) > 1 {
		parts = append(parts, geoGeometry("MultiLineString", ls))
	}
	return geoCollect(parts)
}

// geoChainSegments joins segments (in order) into chains where one ends
// at the next one's start.
func geoChainSegments(segs []geoEdgeRef) [][]s2.Point {
	var chains [][]s2.Point
	for _, s := range segs {
		if n := len(chains); n > 0 && geoSame(chains[n-1][len(chains[n-1])-1], s.a) {
			chains[n-1] = append(chains[n-1], s.b)
			continue
		}
		chains = append(chains, []s2.Point{s.a, s.b})
	}
	return chains
}

// geoAlong is the angle of p from e.a along e's great circle.
func geoAlong(e geoEdgeRef, p s2.Point) float64 {
	n := e.a.PointCross(e.b).Normalize()
	t := n.Cross(e.a.Vector)
	return math.Atan2(t.Dot(p.Vector), e.a.Dot(p.Vector))
}

// geoLinesIntersection intersects two sets of lines.
func geoLinesIntersection(la, lb []geoLine) ([][]s2.Point, []s2.Point) {
	ea, eb := geoRingEdges(geoLineChains(la), false), geoRingEdges(geoLineChains(lb), false)
	var segs []geoEdgeRef
	var pts []s2.Point
	for _, e := range ea {
		if geoSame(e.a, e.b) {
			continue
		}
		n := s2.Point{Vector: e.a.PointCross(e.b).Normalize()}
		l := float64(e.a.Distance(e.b))
		cr := s2.NewEdgeCrosser(e.a, e.b)
		var mine []geoEdgeRef
		for _, f := range eb {
			if math.Abs(n.Dot(f.a.Vector)) < geoEps && math.Abs(n.Dot(f.b.Vector)) < geoEps {
				t0, t1 := geoAlong(e, f.a), geoAlong(e, f.b)
				if t0 > t1 {
					t0, t1 = t1, t0
				}
				lo, hi := math.Max(0, t0), math.Min(l, t1)
				if hi-lo > geoEps {
					mine = append(mine, geoEdgeRef{geoAt(e, lo, l), geoAt(e, hi, l)})
				} else if hi-lo > -geoEps {
					pts = append(pts, geoAt(e, lo, l))
				}
				continue
			}
			if cr.CrossingSign(f.a, f.b) == s2.Cross {
				pts = append(pts, s2.Intersection(e.a, e.b, f.a, f.b))
				continue
			}
			for _, v := range [2]s2.Point{f.a, f.b} {
				if geoOnEdge(v, e) {
					pts = append(pts, v)
				}
			}
			for _, v := range [2]s2.Point{e.a, e.b} {
				if geoOnEdge(v, f) {
					pts = append(pts, v)
				}
			}
		}
		sort.Slice(mine, func(i, j int) bool { return geoAlong(e, mine[i].a) < geoAlong(e, mine[j].a) })
		for _, m := range mine {
			if k := len(segs); k > 0 && geoAlong(e, segs[k-1].b) >= geoAlong(e, m.a)-geoEps && geoOnEdge(segs[k-1].b, e) && geoOnEdge(segs[k-1].a, e) {
				if geoAlong(e, m.b) > geoAlong(e, segs[k-1].b) {
					segs[k-1].b = m.b
				}
				continue
			}
			segs = append(segs, m)
		}
	}
	chains := geoChainSegments(segs)
	var out []s2.Point
	for _, p := range pts {
		dup := false
		for _, s := range segs {
			if geoOnEdge(p, s) {
				dup = true
			}
		}
		for _, q := range out {
			if geoSame(p, q) || float64(p.Distance(q)) < geoEps {
				dup = true
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return chains, out
}

// geoAt is the point at angle t along e (of length l).
func geoAt(e geoEdgeRef, t, l float64) s2.Point {
	if t <= 0 {
		return e.a
	}
	if t >= l {
		return e.b
	}
	return s2.Interpolate(t/l, e.a, e.b)
}

// geoLineInPolys clips lines to polygons.
func geoLineInPolys(ls []geoLine, ps []geoPoly) [][]s2.Point {
	rp := geoPolyChains(ps)
	ep := geoRingEdges(rp, true)
	var chains [][]s2.Point
	for _, l := range ls {
		el := geoRingEdges([][]s2.Point{l}, false)
		cl, _, _ := geoCutEdges(el, ep)
		open := false
		for i, e := range el {
			for _, p := range geoSplit(e, cl[i], i) {
				k := geoClassify(p.a, p.b, ps, ep)
				if k == geoOutside {
					open = false
					continue
				}
				if n := len(chains); open && geoSame(chains[n-1][len(chains[n-1])-1], p.a) {
					chains[n-1] = append(chains[n-1], p.b)
				} else {
					chains = append(chains, []s2.Point{p.a, p.b})
				}
				open = true
			}
		}
	}
	// Drop cut points inside an input edge (collinear interior points).
	for i, ch := range chains {
		out := []s2.Point{ch[0]}
		for k := 1; k+1 < len(ch); k++ {
			if geoOnEdge(ch[k], geoEdgeRef{out[len(out)-1], ch[k+1]}) && !geoIsVertex(ls, ch[k]) {
				continue
			}
			out = append(out, ch[k])
		}
		chains[i] = append(out, ch[len(ch)-1])
	}
	return chains
}

func geoIsVertex(ls []geoLine, p s2.Point) bool {
	for _, l := range ls {
		for _, q := range l {
			if q == p {
				return true
			}
		}
	}
	return false
}

// geoUnionLines keeps each segment once and chains them.
func geoUnionLines(all []geoLine) [][]s2.Point {
	edges := geoRingEdges(geoLineChains(all), false)
	// Cut every edge at the vertices of the others lying on it.
	var verts []s2.Point
	for _, l := range all {
		verts = append(verts, l...)
	}
	var segs []geoEdgeRef
	for _, e := range edges {
		if geoSame(e.a, e.b) {
			continue
		}
		var cuts []s2.Point
		for _, v := range verts {
			if !geoSame(v, e.a) && !geoSame(v, e.b) && geoOnEdge(v, e) {
				cuts = append(cuts, v)
			}
		}
		for _, p := range geoSplit(e, cuts, 0) {
			dup := false
			for _, s := range segs {
				if (geoSame(s.a, p.a) && geoSame(s.b, p.b)) || (geoSame(s.a, p.b) && geoSame(s.b, p.a)) {
					dup = true
					break
				}
			}
			if !dup {
				segs = append(segs, geoEdgeRef{p.a, p.b})
			}
		}
	}
	deg := map[s2.Point]int{}
	out := map[s2.Point][]int{}
	for i, s := range segs {
		deg[s.a]++
		deg[s.b]++
		out[s.a] = append(out[s.a], i)
	}
	used := make([]bool, len(segs))
	var chains [][]s2.Point
	extend := func(i int) {
		ch := []s2.Point{segs[i].a, segs[i].b}
		used[i] = true
		for {
			end := ch[len(ch)-1]
			if deg[end] != 2 {
				break
			}
			next := -1
			for _, k := range out[end] {
				if !used[k] {
					next = k
				}
			}
			if next < 0 {
				break
			}
			used[next] = true
			ch = append(ch, segs[next].b)
		}
		chains = append(chains, ch)
	}
	for i, s := range segs {
		if used[i] {
			continue
		}
		// Start where no unused segment leads in through a degree-2 vertex.
		in := false
		if deg[s.a] == 2 {
			for k, t := range segs {
				if !used[k] && k != i && t.b == s.a {
					in = true
				}
			}
		}
		if !in {
			extend(i)
		}
	}
	for i := range segs {
		if !used[i] {
			extend(i)
		}
	}
	return chains
}

// geoPolyFromRings turns a rings list (shell, holes) into a geoPoly.
func geoPolyFromRings(rings [][]s2.Point) (geoPoly, bool) {
	var g geoPoly
	for i, r := range rings {
		if len(r) < 3 {
			return g, false
		}
		l := s2.LoopFromPoints(r)
		l.Normalize()
		if i == 0 {
			g.shell = l
		} else {
			g.holes = append(g.holes, l)
		}
	}
	return g, true
}

// geoPolygonBuffer buffers polygons by angular distance d with n-gons.
func geoPolygonBuffer(ps []geoPoly, n int, d float64) any {
	rings := geoPolyChains(ps)
	total := 0
	for _, r := range rings {
		total += len(r) * (n + 4)
	}
	if total > geoMaxSetOpEdges {
		return nil
	}
	acc := ps
	var grouped [][][]s2.Point
	for i := range ps {
		grouped = append(grouped, ps[i].rings())
	}
	add := func(r []s2.Point) bool {
		g, ok := geoPolyFromRings([][]s2.Point{r})
		if !ok {
			return false
		}
		res, gr, _, ok := geoPolyOp(acc, []geoPoly{g}, true)
		if !ok || len(res) == 0 {
			return false
		}
		acc, grouped = res, gr
		return true
	}
	for _, r := range rings {
		for k := range r {
			a, b := r[k], r[(k+1)%len(r)]
			if !add(geoCircle(a, n, d)) {
				return nil
			}
			if !geoSame(a, b) && !add(geoOffsetQuad(a, b, d)) {
				return nil
			}
		}
	}
	return geoPolysResult(grouped, nil, geoRaw{})
}

func init() {
	dyn := types.Dynamic

	geoRegister("geo_intersection_2lines", dyn, func(c []geoShapeCache, v []any) any {
		a, ok := c[0].lines(v[0], true)
		b, ok2 := c[1].lines(v[1], true)
		if !ok || !ok2 {
			return nil
		}
		raw := geoRaw{}
		geoLinesRaw(v[0], raw)
		geoLinesRaw(v[1], raw)
		chains, pts := geoLinesIntersection(a, b)
		return geoLinesResult(chains, pts, raw)
	})

	geoRegister("geo_intersection_line_with_polygon", dyn, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		ps, ok2 := c[1].polys(v[1])
		if !ok || !ok2 {
			return nil
		}
		raw := geoRaw{}
		geoLinesRaw(v[0], raw)
		geoPolysRaw(v[1], raw)
		return geoLinesResult(geoLineInPolys(ls, ps), nil, raw)
	})

	geoRegister("geo_intersection_2polygons", dyn, func(c []geoShapeCache, v []any) any {
		a, ok := c[0].polys(v[0])
		b, ok2 := c[1].polys(v[1])
		if !ok || !ok2 {
			return nil
		}
		raw := geoRaw{}
		geoPolysRaw(v[0], raw)
		geoPolysRaw(v[1], raw)
		_, grouped, pts, ok := geoPolyOp(a, b, false)
		if !ok {
			return nil
		}
		return geoPolysResult(grouped, pts, raw)
	})

	geoRegister("geo_union_lines_array", dyn, func(_ []geoShapeCache, v []any) any {
		arr, ok := v[0].([]any)
		if !ok || len(arr) == 0 {
			return nil
		}
		var all []geoLine
		raw := geoRaw{}
		for _, x := range arr {
			ls, ok := geoParseLines(x, true)
			if !ok {
				return nil
			}
			all = append(all, ls...)
			geoLinesRaw(x, raw)
		}
		return geoLinesResult(geoUnionLines(all), nil, raw)
	})

	geoRegister("geo_union_polygons_array", dyn, func(_ []geoShapeCache, v []any) any {
		arr, ok := v[0].([]any)
		if !ok || len(arr) == 0 {
			return nil
		}
		raw := geoRaw{}
		var acc []geoPoly
		var grouped [][][]s2.Point
		for i, x := range arr {
			ps, ok := geoParsePolys(x)
			if !ok {
				return nil
			}
			geoPolysRaw(x, raw)
			if i == 0 {
				acc = ps
				for k := range ps {
					grouped = append(grouped, ps[k].rings())
				}
				if len(ps) > 1 {
					// Merge the first multipolygon's own overlaps.
					acc, grouped, _, ok = geoPolyOp(ps[:1], ps[1:], true)
					if !ok {
						return nil
					}
				}
				continue
			}
			acc, grouped, _, ok = geoPolyOp(acc, ps, true)
			if !ok {
				return nil
			}
		}
		return geoPolysResult(grouped, nil, raw)
	})
}
