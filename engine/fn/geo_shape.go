package fn

// Geometry-producing kernels: densification, simplification, S2 cell
// coverings and buffers (see geo_sphere.go for the shared model).
//
// Decisions where the reference is silent (also in docs/semantics.md):
//   - geo_line_densify / geo_polygon_densify treat each edge as the
//     straight line in (longitude, latitude) and bisect it at its planar
//     midpoint while that midpoint is farther than the tolerance from the
//     geodesic between the edge's ends; this reproduces the documented
//     outputs (an edge of 1 degree at latitude 10 becomes 4 edges, the
//     edge (50,50)-(51,51) becomes 8). Without preserve_crossing an edge
//     runs between its longitudes as written (from 170 to -170 it crosses
//     longitude 0); with preserve_crossing=true an edge whose longitudes
//     differ by more than 180 degrees crosses the antimeridian and the
//     added points are put back into [-180, 180]. Tolerance must be in
//     [0.1, 10000]. A result of more than 1,048,576 points gives null (the
//     reference's limit is 10,485,760; a lower cap bounds memory).
//   - geo_line_simplify / geo_polygon_simplify use Douglas-Peucker with
//     geodesic distances (vertex to great-circle edge), then drop any kept
//     vertex closer than the tolerance to the previously kept one (so no
//     two consecutive vertices are closer than the tolerance). A ring
//     starts from its first vertex and is split at the vertex farthest
//     from it. A line left with one point, a ring with fewer than three
//     vertices, or a result with nothing left gives null (the documented
//     disappearing shapes). Tolerance must be in [0, 7800000) meters.
//     Each line or polygon of a multi-geometry is simplified on its own.
//   - geo_polygon_to_s2cells / geo_line_to_s2cells return every cell of
//     the level whose distance to the shape is at most radius (0: that
//     intersects it), found top-down from the six faces, in cell-id order.
//     More than 65,536 cells gives null; the search stops as soon as the
//     count is known to exceed it, so giant coverings cost bounded work.
//   - geo_point_buffer: a regular polygon (at least 4 vertices, counter-
//     clockwise, starting due north) whose edges lie outside the circle
//     and whose vertices are at most tolerance beyond it. Tolerance below
//     1e-6 of the radius gives null, above the radius it is lowered to
//     just below the radius; a buffer reaching a hemisphere gives null.
//   - geo_polygon_buffer: the union of the polygon(s), a point buffer at
//     every vertex and a quadrilateral along every edge (the edge offset
//     by the buffered radius on both sides).

import (
	"math"
	"sort"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"hunt/kql/types"
)

// geoMaxDensify caps the number of points a densified geometry may have.
const geoMaxDensify = 1 << 20

// geoMaxCells is the documented limit of a covering.
const geoMaxCells = 65536

// geoRawChain reads a coordinate array as (lng, lat) pairs; validity was
// checked by the shape parser.
func geoRawChain(v any) [][2]float64 {
	a, _ := v.([]any)
	out := make([][2]float64, 0, len(a))
	for _, c := range a {
		lng, lat, _ := geoCoord(c)
		out = append(out, [2]float64{lng, lat})
	}
	return out
}

func geoNormLng(lng float64) float64 {
	for lng > 180 {
		lng -= 360
	}
	for lng < -180 {
		lng += 360
	}
	return lng
}

func geoPt(c [2]float64) s2.Point { return geoPoint(geoNormLng(c[0]), c[1]) }

func geoPairs(cs [][2]float64) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = []any{c[0], c[1]}
	}
	return out
}

// geoDensifyChain densifies one chain (a ring repeats its first point at
// the end); budget counts the points still allowed.
func geoDensifyChain(cs [][2]float64, tol float64, cross bool, budget *int) ([][2]float64, bool) {
	out := [][2]float64{cs[0]}
	var rec func(a, b [2]float64, depth int) bool
	rec = func(a, b [2]float64, depth int) bool {
		m := [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		pa, pb, pm := geoPt(a), geoPt(b), geoPt(m)
		if depth < 50 && !geoSame(pa, pb) && float64(s2.DistanceFromSegment(pm, pa, pb))*geoEarthRadius > tol {
			if !rec(a, m, depth+1) {
				return false
			}
			if *budget--; *budget < 0 {
				return false
			}
			out = append(out, [2]float64{geoNormLng(m[0]), m[1]})
			return rec(m, b, depth+1)
		}
		return true
	}
	for i := 0; i+1 < len(cs); i++ {
		a, b := cs[i], cs[i+1]
		if cross {
			if b[0]-a[0] > 180 {
				b[0] -= 360
			} else if a[0]-b[0] > 180 {
				b[0] += 360
			}
		}
		if !rec(a, b, 0) {
			return nil, false
		}
		if *budget--; *budget < 0 {
			return nil, false
		}
		out = append(out, cs[i+1])
	}
	return out, true
}

// geoDensifyArgs reads the tolerance and preserve_crossing arguments.
func geoDensifyArgs(v []any) (float64, bool, bool) {
	tol := 10.0
	if len(v) > 1 && v[1] != nil {
		t, ok := geoNum(v[1])
		if !ok || t < 0.1 || t > 10000 {
			return 0, false, false
		}
		tol = t
	}
	cross := false
	if len(v) > 2 && v[2] != nil {
		b, ok := v[2].(bool)
		if !ok {
			return 0, false, false
		}
		cross = b
	}
	return tol, cross, true
}

// geoSimplifyTol reads a simplification tolerance (meters) as an angle.
func geoSimplifyTol(v []any) (float64, bool) {
	tol := 10.0
	if len(v) > 1 && v[1] != nil {
		t, ok := geoNum(v[1])
		if !ok || t < 0 || t >= 7800000 {
			return 0, false
		}
		tol = t
	}
	return tol / geoEarthRadius, true
}

// geoDP marks the vertices Douglas-Peucker keeps between lo and hi.
func geoDP(pts []s2.Point, lo, hi int, tol float64, keep []bool) {
	for hi-lo > 1 {
		best, bestD := -1, -1.0
		for k := lo + 1; k < hi; k++ {
			if d := float64(s2.DistanceFromSegment(pts[k], pts[lo], pts[hi])); d > bestD {
				best, bestD = k, d
			}
		}
		if bestD <= tol {
			return
		}
		keep[best] = true
		geoDP(pts, lo, best, tol, keep)
		lo = best
	}
}

// geoSimplifyChain simplifies a line (closed=false) or a ring given
// without its closing point; it returns the kept indexes.
func geoSimplifyChain(pts []s2.Point, closed bool, tol float64) []int {
	n := len(pts)
	keep := make([]bool, n+1)
	keep[0] = true
	if closed {
		ext := append(append([]s2.Point(nil), pts...), pts[0])
		far, farD := 0, -1.0
		for k := 1; k < n; k++ {
			if d := float64(pts[0].Distance(pts[k])); d > farD {
				far, farD = k, d
			}
		}
		if far == 0 {
			return []int{0}
		}
		keep[far] = true
		geoDP(ext, 0, far, tol, keep)
		geoDP(ext, far, n, tol, keep)
	} else {
		keep[n-1] = true
		geoDP(pts, 0, n-1, tol, keep)
	}
	var idx []int
	for k := 0; k < n; k++ {
		if !keep[k] {
			continue
		}
		if len(idx) > 0 && float64(pts[idx[len(idx)-1]].Distance(pts[k])) < tol {
			if !closed && k == n-1 && len(idx) > 1 {
				idx[len(idx)-1] = k // keep the line's end point
			}
			continue
		}
		idx = append(idx, k)
	}
	if closed {
		for len(idx) > 1 && float64(pts[idx[len(idx)-1]].Distance(pts[0])) < tol {
			idx = idx[:len(idx)-1]
		}
	}
	return idx
}

// ---------------------------------------------------------------------
// Coverings

// geoCover lists the cells of level whose distance to the shapes in
// index is at most radius; contains reports cells entirely inside.
func geoCover(index *s2.ShapeIndex, contains func(s2.Cell) bool, level int, radius float64) ([]any, bool) {
	if geoCoverAtLeast(index, level, radius) > geoMaxCells {
		return nil, false
	}
	q := s2.NewClosestEdgeQuery(index, s2.NewClosestEdgeQueryOptions().IncludeInteriors(true))
	limit := s1.ChordAngleFromAngle(s1.Angle(radius / geoEarthRadius)).Successor()
	var out []s2.CellID
	var queue []s2.CellID
	for f := 0; f < 6; f++ {
		queue = append(queue, s2.CellIDFromFace(f))
	}
	for len(queue) > 0 {
		id := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		c := s2.CellFromCellID(id)
		if !q.IsDistanceLess(s2.NewMinDistanceToCellTarget(c), limit) {
			continue
		}
		if id.Level() == level {
			out = append(out, id)
		} else if contains != nil && contains(c) {
			if n := 1 << (2 * uint(level-id.Level())); n > geoMaxCells || len(out)+n > geoMaxCells {
				return nil, false
			}
			for d := id.ChildBeginAtLevel(level); d != id.ChildEndAtLevel(level); d = d.Next() {
				out = append(out, d)
			}
		} else {
			ch := id.Children()
			queue = append(queue, ch[:]...)
		}
		// Every intersecting cell holds at least one intersecting cell of
		// the level, so the queue bounds the final count from below.
		if len(out) > geoMaxCells || len(out)+len(queue)/4 > 4*geoMaxCells {
			return nil, false
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	res := make([]any, len(out))
	for i, id := range out {
		res[i] = id.ToToken()
	}
	return res, true
}

// geoCoverAtLeast is a lower bound of the number of cells of level that
// geoCover lists, found without searching (a hopeless search otherwise
// explores some hundred thousand cells before it gives up): the cells
// must hold the longest edge (a cell holds at most its diagonal of a
// geodesic edge), the polygons' area and a disc of radius.
func geoCoverAtLeast(index *s2.ShapeIndex, level int, radius float64) float64 {
	diag := s2.MaxDiagMetric.Value(level)
	area := s2.MaxAreaMetric.Value(level)
	best, shapes := 0.0, 0
	for id := int32(0); id < int32(index.Len()); id++ {
		sh := index.Shape(id)
		if sh == nil {
			continue
		}
		shapes++
		for i, n := 0, sh.NumEdges(); i < n; i++ {
			e := sh.Edge(i)
			best = math.Max(best, float64(e.V0.Angle(e.V1.Vector))/diag)
		}
		if p, ok := sh.(*s2.Polygon); ok {
			best = math.Max(best, p.Area()/area)
		}
	}
	if shapes > 0 && radius > 0 {
		r := math.Min(radius/geoEarthRadius, math.Pi)
		best = math.Max(best, 2*math.Pi*(1-math.Cos(r))/area)
	}
	return best
}

func geoCoverArgs(v []any) (int, float64, bool) {
	level, radius := 11, 0.0
	if len(v) > 1 && v[1] != nil {
		l, ok := geoInt(v[1])
		if !ok || l < 0 || l > 30 {
			return 0, 0, false
		}
		level = l
	}
	if len(v) > 2 && v[2] != nil {
		r, ok := geoNum(v[2])
		if !ok || r < 0 || math.IsInf(r, 0) {
			return 0, 0, false
		}
		radius = r
	}
	return level, radius, true
}

// geoS2Polygon builds an S2 polygon (shell and holes) of one geoPoly.
func geoS2Polygon(g *geoPoly) *s2.Polygon {
	loops := []*s2.Loop{s2.LoopFromPoints(g.shell.Vertices())}
	for _, h := range g.holes {
		loops = append(loops, s2.LoopFromPoints(h.Vertices()))
	}
	return s2.PolygonFromLoops(loops)
}

// ---------------------------------------------------------------------
// Buffers

// geoDestination is the point at angular distance d and bearing az
// (radians, clockwise from north) from p.
func geoDestination(p s2.Point, d, az float64) s2.Point {
	ll := s2.LatLngFromPoint(p)
	lat1, lng1 := ll.Lat.Radians(), ll.Lng.Radians()
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(az))
	lng2 := lng1 + math.Atan2(math.Sin(az)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	return s2.PointFromLatLng(s2.LatLngFromDegrees(lat2*180/math.Pi, geoNormLng(lng2*180/math.Pi)))
}

// geoBufferArgs reads radius and tolerance (meters) and returns the
// number of polygon vertices and the vertices' angular distance.
func geoBufferArgs(rv, tv any, hasTol bool) (int, float64, bool) {
	r, ok := geoNum(rv)
	if !ok || !(r > 0) || math.IsInf(r, 0) {
		return 0, 0, false
	}
	tol := 10.0
	if hasTol && tv != nil {
		t, ok := geoNum(tv)
		if !ok || !(t > 0) || math.IsInf(t, 0) {
			return 0, 0, false
		}
		tol = t
	}
	if tol < r*1e-6 {
		return 0, 0, false
	}
	if tol >= r {
		tol = r * (1 - 1e-9)
	}
	rho := r / geoEarthRadius
	if rho >= math.Pi/2 {
		return 0, 0, false
	}
	n := 4
	for ; n < 1<<16; n *= 2 {
		out := math.Atan(math.Tan(rho) / math.Cos(math.Pi/float64(n)))
		if (out-rho)*geoEarthRadius <= tol {
			break
		}
	}
	// Refine between n/2 and n.
	lo, hi := n/2, n
	if lo < 4 {
		lo = 4
	}
	for lo < hi {
		mid := (lo + hi) / 2
		out := math.Atan(math.Tan(rho) / math.Cos(math.Pi/float64(mid)))
		if (out-rho)*geoEarthRadius <= tol {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	n = hi
	out := math.Atan(math.Tan(rho) / math.Cos(math.Pi/float64(n)))
	if out >= math.Pi/2 {
		return 0, 0, false
	}
	return n, out, true
}

// geoCircle is the counterclockwise ring of n points at angular distance
// d around c, starting due north.
func geoCircle(c s2.Point, n int, d float64) []s2.Point {
	out := make([]s2.Point, n)
	for i := 0; i < n; i++ {
		out[i] = geoDestination(c, d, -2*math.Pi*float64(i)/float64(n))
	}
	return out
}

func geoRingCoords(r []s2.Point) []any {
	out := make([]any, 0, len(r)+1)
	for _, p := range r {
		out = append(out, geoLngLatOf(p))
	}
	return append(out, geoLngLatOf(r[0]))
}

// geoOffsetQuad is the quadrilateral around edge a-b at angular distance d
// on both sides (counterclockwise).
func geoOffsetQuad(a, b s2.Point, d float64) []s2.Point {
	n := s2.Point{Vector: a.PointCross(b).Normalize()}
	off := func(p s2.Point, s float64) s2.Point {
		return s2.Point{Vector: p.Mul(math.Cos(d)).Add(n.Mul(s * math.Sin(d))).Normalize()}
	}
	return []s2.Point{off(a, -1), off(b, -1), off(b, 1), off(a, 1)}
}

func init() {
	dyn := types.Dynamic

	geoRegister("geo_line_densify", dyn, func(c []geoShapeCache, v []any) any {
		if _, ok := c[0].lines(v[0], true); !ok {
			return nil
		}
		tol, cross, ok := geoDensifyArgs(v)
		if !ok {
			return nil
		}
		t, coords, _ := geoBagType(v[0])
		budget := geoMaxDensify
		if t == "LineString" {
			out, ok := geoDensifyChain(geoRawChain(coords), tol, cross, &budget)
			if !ok {
				return nil
			}
			return geoGeometry("LineString", geoPairs(out))
		}
		var lines []any
		for _, l := range coords.([]any) {
			out, ok := geoDensifyChain(geoRawChain(l), tol, cross, &budget)
			if !ok {
				return nil
			}
			lines = append(lines, geoPairs(out))
		}
		return geoGeometry("MultiLineString", lines)
	})

	geoRegister("geo_polygon_densify", dyn, func(c []geoShapeCache, v []any) any {
		if _, ok := c[0].polys(v[0]); !ok {
			return nil
		}
		tol, cross, ok := geoDensifyArgs(v)
		if !ok {
			return nil
		}
		t, coords, _ := geoBagType(v[0])
		budget := geoMaxDensify
		poly := func(p any) ([]any, bool) {
			var rings []any
			for _, r := range p.([]any) {
				out, ok := geoDensifyChain(geoRawChain(r), tol, cross, &budget)
				if !ok {
					return nil, false
				}
				rings = append(rings, geoPairs(out))
			}
			return rings, true
		}
		if t == "Polygon" {
			rings, ok := poly(coords)
			if !ok {
				return nil
			}
			return geoGeometry("Polygon", rings)
		}
		var polys []any
		for _, p := range coords.([]any) {
			rings, ok := poly(p)
			if !ok {
				return nil
			}
			polys = append(polys, rings)
		}
		return geoGeometry("MultiPolygon", polys)
	})

	geoRegister("geo_line_simplify", dyn, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		tol, ok2 := geoSimplifyTol(v)
		if !ok || !ok2 {
			return nil
		}
		t, coords, _ := geoBagType(v[0])
		raws := []any{coords}
		if t == "MultiLineString" {
			raws = coords.([]any)
		}
		var out []any
		for i, l := range ls {
			raw := geoRawChain(raws[i])
			idx := geoSimplifyChain(l, false, tol)
			if len(idx) < 2 {
				continue
			}
			cs := make([][2]float64, len(idx))
			for k, j := range idx {
				cs[k] = raw[j]
			}
			out = append(out, geoPairs(cs))
		}
		return geoOneOrMany(out, "LineString", "MultiLineString")
	})

	geoRegister("geo_polygon_simplify", dyn, func(c []geoShapeCache, v []any) any {
		if _, ok := c[0].polys(v[0]); !ok {
			return nil
		}
		tol, ok := geoSimplifyTol(v)
		if !ok {
			return nil
		}
		t, coords, _ := geoBagType(v[0])
		raws := []any{coords}
		if t == "MultiPolygon" {
			raws = coords.([]any)
		}
		var out []any
		for _, p := range raws {
			var rings []any
			for ri, r := range p.([]any) {
				raw := geoRawChain(r)
				raw = raw[:len(raw)-1]
				pts := make([]s2.Point, len(raw))
				for k, x := range raw {
					pts[k] = geoPt(x)
				}
				idx := geoSimplifyChain(pts, true, tol)
				if len(idx) < 3 {
					if ri == 0 {
						rings = nil
						break
					}
					continue
				}
				cs := make([][2]float64, 0, len(idx)+1)
				for _, j := range idx {
					cs = append(cs, raw[j])
				}
				cs = append(cs, raw[idx[0]])
				rings = append(rings, geoPairs(cs))
			}
			if rings != nil {
				out = append(out, rings)
			}
		}
		return geoOneOrMany(out, "Polygon", "MultiPolygon")
	})

	geoRegister("geo_polygon_to_s2cells", dyn, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		level, radius, ok2 := geoCoverArgs(v)
		if !ok || !ok2 {
			return nil
		}
		index := s2.NewShapeIndex()
		polys := make([]*s2.Polygon, len(ps))
		for i := range ps {
			polys[i] = geoS2Polygon(&ps[i])
			index.Add(polys[i])
		}
		cells, ok := geoCover(index, func(cell s2.Cell) bool {
			for _, p := range polys {
				if p.ContainsCell(cell) {
					return true
				}
			}
			return false
		}, level, radius)
		if !ok {
			return nil
		}
		return cells
	})

	geoRegister("geo_line_to_s2cells", dyn, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		level, radius, ok2 := geoCoverArgs(v)
		if !ok || !ok2 {
			return nil
		}
		index := s2.NewShapeIndex()
		for _, l := range ls {
			pl := s2.Polyline(append([]s2.Point(nil), l...))
			index.Add(&pl)
		}
		cells, ok := geoCover(index, nil, level, radius)
		if !ok {
			return nil
		}
		return cells
	})

	geoRegister("geo_point_buffer", dyn, func(_ []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		if !ok {
			return nil
		}
		n, d, ok := geoBufferArgs(v[2], geoArg(v, 3), len(v) > 3)
		if !ok {
			return nil
		}
		return geoPolygonBag(geoRingCoords(geoCircle(p, n, d)))
	})

	geoRegister("geo_polygon_buffer", dyn, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		if !ok {
			return nil
		}
		n, d, ok := geoBufferArgs(v[1], geoArg(v, 2), len(v) > 2)
		if !ok {
			return nil
		}
		return geoPolygonBuffer(ps, n, d)
	})
}

func geoArg(v []any, i int) any {
	if i < len(v) {
		return v[i]
	}
	return nil
}

// geoGeometry builds {"type": t, "coordinates": coords}.
func geoGeometry(t string, coords any) *types.Bag {
	b := types.NewBag(2)
	b.Set("type", t)
	b.Set("coordinates", coords)
	return b
}

// geoOneOrMany renders the coordinates of simplified shapes: nothing is
// null, one is the simple type, several the Multi type.
func geoOneOrMany(out []any, one, many string) any {
	switch len(out) {
	case 0:
		return nil
	case 1:
		return geoGeometry(one, out[0])
	}
	return geoGeometry(many, out)
}
