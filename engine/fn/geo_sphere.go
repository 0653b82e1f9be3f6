package fn

// Geospatial kernels: distances, angles, containment and measures of
// points, lines and polygons on Earth, the sphere model the other geo
// files build on (geo_cells.go: geohash and S2 cells; geo_wkt.go: WKT;
// geo_shape.go: densify, simplify, coverings, buffers; geo_setops.go:
// intersections and unions; geo_h3.go: H3 cells).
//
// Decisions where the reference is silent (also in docs/semantics.md):
//   - Earth is a sphere of radius 6371010 m; distances are haversine
//     great-circle distances. This radius reproduces the documented
//     1546754.35197381 m (Seattle to Los Angeles) and the Central Park
//     area 3475207.28346606 m² to 1e-9 and the other documented lengths
//     and areas; the IUGG mean radius 6371008.8 m is 1.9e-7 off on both. With
//     use_spheroid=true geo_distance_2points uses Vincenty's inverse
//     formula on the WGS-84 ellipsoid (falling back to the sphere where
//     it does not converge, for nearly antipodal points).
//   - Line and polygon edges are geodesics (great-circle arcs); polygons
//     follow S2's model: a ring encloses the smaller of the two regions it
//     divides the sphere into (orientation does not matter), containment
//     is semi-open (a vertex is not necessarily contained, but every
//     point of a subdivided sphere is in exactly one polygon).
//   - A ring is invalid when it has fewer than 4 entries, is not closed,
//     repeats a vertex, has an antipodal edge, or (up to 2,000 edges) has
//     two non-adjacent edges that cross. A line is invalid with fewer
//     than 2 points or an antipodal edge; repeated points are allowed.
//     Coordinates are [longitude, latitude] (a third value, altitude, is
//     ignored); a longitude outside [-180, 180] or a latitude outside
//     [-90, 90] makes the geometry invalid. Invalid input gives null.
//   - Two points are equal (geo_azimuth, geo_angle) when their unit
//     vectors coincide, so (-180, y) equals (180, y) and every longitude
//     at a pole is the same point; antipodal likewise.
//   - geo_point_in_circle: inside means distance <= radius; a radius that
//     is not positive (0 included) gives null, as "must be positive" says.
//   - The area, perimeter and centroid of a multipolygon are those of the
//     union of its polygons: edges are split where they cross edges of the
//     other polygons and a piece is kept when the point 1e-9 rad (or a
//     thousandth of the piece) to its outer side is in no other polygon;
//     an edge shared by two polygons counts once (same direction) or not
//     at all (opposite directions, the polygons are adjacent).

import (
	"math"
	"sort"

	"github.com/golang/geo/s2"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// geoEarthRadius is the sphere's radius in meters (see above).
const geoEarthRadius = 6371010.0

// geoNum reads a numeric argument (a long, real or dynamic number).
func geoNum(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

// geoLngLat checks a coordinate pair in degrees.
func geoLngLat(lng, lat float64) bool {
	return lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90
}

// geoPointArgs reads vals[i] and vals[i+1] as longitude and latitude.
func geoPointArgs(vals []any, i int) (s2.Point, bool) {
	lng, ok1 := geoNum(vals[i])
	lat, ok2 := geoNum(vals[i+1])
	if !ok1 || !ok2 || !geoLngLat(lng, lat) {
		return s2.Point{}, false
	}
	return geoPoint(lng, lat), true
}

func geoPoint(lng, lat float64) s2.Point {
	return s2.PointFromLatLng(s2.LatLngFromDegrees(lat, lng))
}

// geoSame and geoAntipodal compare unit vectors with a tolerance of a few
// rounding errors.
func geoSame(a, b s2.Point) bool      { return a.Sub(b.Vector).Norm() < 1e-15 }
func geoAntipodal(a, b s2.Point) bool { return a.Add(b.Vector).Norm() < 1e-15 }

// geoHaversine is the central angle between two points, in radians.
func geoHaversine(lng1, lat1, lng2, lat2 float64) float64 {
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, math.Remainder(lng2-lng1, 360)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	if h > 1 {
		h = 1
	}
	return 2 * math.Asin(math.Sqrt(h))
}

// geoVincenty is the distance in meters on the WGS-84 ellipsoid, or false
// when the iteration does not converge.
func geoVincenty(lng1, lat1, lng2, lat2 float64) (float64, bool) {
	const a, f = 6378137.0, 1 / 298.257223563
	b := a * (1 - f)
	rad := math.Pi / 180
	L := (lng2 - lng1) * rad
	U1 := math.Atan((1 - f) * math.Tan(lat1*rad))
	U2 := math.Atan((1 - f) * math.Tan(lat2*rad))
	sinU1, cosU1 := math.Sincos(U1)
	sinU2, cosU2 := math.Sincos(U2)
	lambda := L
	var sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM float64
	for iter := 0; ; iter++ {
		if iter == 200 {
			return 0, false
		}
		sinL, cosL := math.Sincos(lambda)
		sinSigma = math.Hypot(cosU2*sinL, cosU1*sinU2-sinU1*cosU2*cosL)
		if sinSigma == 0 {
			return 0, true // coincident points
		}
		cosSigma = sinU1*sinU2 + cosU1*cosU2*cosL
		sigma = math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinL / sinSigma
		cos2Alpha = 1 - sinAlpha*sinAlpha
		cos2SigmaM = 0
		if cos2Alpha != 0 {
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		}
		C := f / 16 * cos2Alpha * (4 + f*(4-3*cos2Alpha))
		prev := lambda
		lambda = L + (1-C)*f*sinAlpha*(sigma+C*sinSigma*(cos2SigmaM+C*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lambda-prev) < 1e-12 {
			break
		}
	}
	uSq := cos2Alpha * (a*a - b*b) / (b * b)
	A := 1 + uSq/16384*(4096+uSq*(-768+uSq*(320-175*uSq)))
	B := uSq / 1024 * (256 + uSq*(-128+uSq*(74-47*uSq)))
	dSigma := B * sinSigma * (cos2SigmaM + B/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
		B/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
	return b * A * (sigma - dSigma), true
}

// geoAzimuth is the initial bearing from p1 to p2, clockwise from north,
// in [0, 2pi).
func geoAzimuth(lng1, lat1, lng2, lat2 float64) float64 {
	rad := math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dl := (lng2 - lng1) * rad
	y := math.Sin(dl) * math.Cos(p2)
	x := math.Cos(p1)*math.Sin(p2) - math.Sin(p1)*math.Cos(p2)*math.Cos(dl)
	az := math.Atan2(y, x)
	if az < 0 {
		az += 2 * math.Pi
	}
	if az >= 2*math.Pi {
		az = 0
	}
	return az
}

// ---------------------------------------------------------------------
// GeoJSON geometries

// geoLine is a chain of points (a LineString).
type geoLine []s2.Point

// geoPoly is one polygon: a shell and holes, each loop normalized to the
// smaller region it bounds.
type geoPoly struct {
	shell *s2.Loop
	holes []*s2.Loop
}

// contains reports whether p is inside the shell and in no hole.
func (g *geoPoly) contains(p s2.Point) bool {
	if !g.shell.ContainsPoint(p) {
		return false
	}
	for _, h := range g.holes {
		if h.ContainsPoint(p) {
			return false
		}
	}
	return true
}

// rings returns the shell and the holes as vertex lists oriented with the
// polygon's interior on the left (holes reversed).
func (g *geoPoly) rings() [][]s2.Point {
	out := [][]s2.Point{g.shell.Vertices()}
	for _, h := range g.holes {
		v := h.Vertices()
		r := make([]s2.Point, len(v))
		for i := range v {
			r[i] = v[len(v)-1-i]
		}
		out = append(out, r)
	}
	return out
}

func geoBagType(v any) (string, any, bool) {
	b, ok := v.(*types.Bag)
	if !ok {
		return "", nil, false
	}
	t, _ := b.Get("type")
	ts, ok := t.(string)
	if !ok {
		return "", nil, false
	}
	c, ok := b.Get("coordinates")
	if !ok {
		return ts, nil, ts == "GeometryCollection"
	}
	return ts, c, true
}

// geoCoord parses [lng, lat] (an altitude after them is ignored).
func geoCoord(v any) (float64, float64, bool) {
	a, ok := v.([]any)
	if !ok || len(a) < 2 || len(a) > 3 {
		return 0, 0, false
	}
	lng, ok1 := geoNum(a[0])
	lat, ok2 := geoNum(a[1])
	if !ok1 || !ok2 || !geoLngLat(lng, lat) {
		return 0, 0, false
	}
	return lng, lat, true
}

func geoParseLineCoords(v any) (geoLine, bool) {
	a, ok := v.([]any)
	if !ok || len(a) < 2 {
		return nil, false
	}
	out := make(geoLine, len(a))
	for i, c := range a {
		lng, lat, ok := geoCoord(c)
		if !ok {
			return nil, false
		}
		out[i] = geoPoint(lng, lat)
		if i > 0 && geoAntipodal(out[i-1], out[i]) {
			return nil, false
		}
	}
	return out, true
}

// geoParseLines reads a LineString or MultiLineString.
func geoParseLines(v any, multiOK bool) ([]geoLine, bool) {
	t, c, ok := geoBagType(v)
	if !ok {
		return nil, false
	}
	switch t {
	case "LineString":
		l, ok := geoParseLineCoords(c)
		return []geoLine{l}, ok
	case "MultiLineString":
		a, ok := c.([]any)
		if !multiOK || !ok || len(a) == 0 {
			return nil, false
		}
		out := make([]geoLine, len(a))
		for i, x := range a {
			if out[i], ok = geoParseLineCoords(x); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// geoMaxCrossCheck bounds the ring size for which self-crossings are
// checked (the check is quadratic).
const geoMaxCrossCheck = 2000

func geoParseRing(v any) (*s2.Loop, bool) {
	a, ok := v.([]any)
	if !ok || len(a) < 4 {
		return nil, false
	}
	pts := make([]s2.Point, 0, len(a))
	var fl, fa float64
	for i, c := range a {
		lng, lat, ok := geoCoord(c)
		if !ok {
			return nil, false
		}
		if i == 0 {
			fl, fa = lng, lat
		}
		if i == len(a)-1 {
			if !geoSame(geoPoint(lng, lat), geoPoint(fl, fa)) {
				return nil, false
			}
			break
		}
		pts = append(pts, geoPoint(lng, lat))
	}
	// Vertices must be distinct.
	seen := make(map[s2.Point]bool, len(pts))
	for i, p := range pts {
		if seen[p] {
			return nil, false
		}
		seen[p] = true
		if geoAntipodal(p, pts[(i+1)%len(pts)]) {
			return nil, false
		}
	}
	if n := len(pts); n <= geoMaxCrossCheck {
		for i := 0; i < n; i++ {
			a0, a1 := pts[i], pts[(i+1)%n]
			cr := s2.NewEdgeCrosser(a0, a1)
			for j := i + 2; j < n; j++ {
				if i == 0 && j == n-1 {
					continue // adjacent through the closing edge
				}
				if cr.CrossingSign(pts[j], pts[(j+1)%n]) == s2.Cross {
					return nil, false
				}
			}
		}
	}
	l := s2.LoopFromPoints(pts)
	if l.Validate() != nil {
		return nil, false
	}
	l.Normalize()
	return l, true
}

func geoParsePolyCoords(v any) (geoPoly, bool) {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return geoPoly{}, false
	}
	var g geoPoly
	for i, r := range a {
		l, ok := geoParseRing(r)
		if !ok {
			return geoPoly{}, false
		}
		if i == 0 {
			g.shell = l
		} else {
			g.holes = append(g.holes, l)
		}
	}
	return g, true
}

// geoParsePolys reads a Polygon or MultiPolygon.
func geoParsePolys(v any) ([]geoPoly, bool) {
	t, c, ok := geoBagType(v)
	if !ok {
		return nil, false
	}
	switch t {
	case "Polygon":
		g, ok := geoParsePolyCoords(c)
		return []geoPoly{g}, ok
	case "MultiPolygon":
		a, ok := c.([]any)
		if !ok || len(a) == 0 {
			return nil, false
		}
		out := make([]geoPoly, len(a))
		for i, x := range a {
			if out[i], ok = geoParsePolyCoords(x); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

func geoPolysContain(ps []geoPoly, p s2.Point) bool {
	for i := range ps {
		if ps[i].contains(p) {
			return true
		}
	}
	return false
}

// geoShapeCache keeps the last parsed geometry of a batch, so a constant
// (or repeated) geometry argument is parsed once per batch.
type geoShapeCache struct {
	key   *types.Bag
	val   any
	valid bool
}

func (c *geoShapeCache) get(v any, parse func(any) (any, bool)) (any, bool) {
	b, ok := v.(*types.Bag)
	if ok && c.key == b && b != nil {
		return c.val, c.valid
	}
	val, valid := parse(v)
	if ok {
		c.key, c.val, c.valid = b, val, valid
	}
	return val, valid
}

func (c *geoShapeCache) polys(v any) ([]geoPoly, bool) {
	x, ok := c.get(v, func(v any) (any, bool) { return geoParsePolys(v) })
	if !ok {
		return nil, false
	}
	return x.([]geoPoly), true
}

func (c *geoShapeCache) lines(v any, multiOK bool) ([]geoLine, bool) {
	x, ok := c.get(v, func(v any) (any, bool) { return geoParseLines(v, multiOK) })
	if !ok {
		return nil, false
	}
	return x.([]geoLine), true
}

// geoRows builds a row-wise kernel; f sees boxed arguments (nil for null)
// and returns the boxed result (nil for null). Each geometry argument
// position gets its own cache.
func geoRows(rt types.Type, f func(cache []geoShapeCache, vals []any) any) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(rt, m)
		vals := make([]any, len(args))
		cache := make([]geoShapeCache, len(args))
		for i := 0; i < m; i++ {
			for k, a := range args {
				vals[k] = a.Get(i)
			}
			out.Append(f(cache, vals))
		}
		out.Const = c
		return out, nil
	}
}

func geoRegister(name string, rt types.Type, f func(cache []geoShapeCache, vals []any) any) {
	RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return geoRows(rt, f), nil
	})
}

// ---------------------------------------------------------------------
// GeoJSON output

func geoLngLatOf(p s2.Point) []any {
	ll := s2.LatLngFromPoint(p)
	return []any{ll.Lng.Degrees(), ll.Lat.Degrees()}
}

func geoPointBag(lng, lat float64) *types.Bag {
	b := types.NewBag(2)
	b.Set("type", "Point")
	b.Set("coordinates", []any{lng, lat})
	return b
}

func geoPointBagOf(p s2.Point) *types.Bag {
	c := geoLngLatOf(p)
	return geoPointBag(c[0].(float64), c[1].(float64))
}

func geoPolygonBag(rings ...[]any) *types.Bag {
	b := types.NewBag(2)
	b.Set("type", "Polygon")
	cs := make([]any, len(rings))
	for i, r := range rings {
		cs[i] = r
	}
	b.Set("coordinates", cs)
	return b
}

// ---------------------------------------------------------------------
// Measures

// geoEdgeAngle is the central angle of the edge a-b.
func geoEdgeAngle(a, b s2.Point) float64 { return float64(a.Distance(b)) }

// geoPiece is a part of a polygon boundary, interior on its left.
type geoPiece struct{ a, b s2.Point }

// geoBoundary returns the boundary of the union of ps: every ring edge,
// split where it crosses edges of the other polygons, without the parts
// inside another polygon.
func geoBoundary(ps []geoPoly) []geoPiece {
	var out []geoPiece
	all := make([][][]s2.Point, len(ps))
	for i := range ps {
		all[i] = ps[i].rings()
	}
	for i := range ps {
		for _, r := range all[i] {
			for k := range r {
				a, b := r[k], r[(k+1)%len(r)]
				if len(ps) == 1 {
					out = append(out, geoPiece{a, b})
					continue
				}
				var cuts []float64
				ab := geoEdgeAngle(a, b)
				cr := s2.NewEdgeCrosser(a, b)
				for j := range ps {
					if j == i {
						continue
					}
					for _, q := range all[j] {
						for m := range q {
							c, d := q[m], q[(m+1)%len(q)]
							if cr.CrossingSign(c, d) == s2.Cross {
								x := s2.Intersection(a, b, c, d)
								if ab > 0 {
									cuts = append(cuts, geoEdgeAngle(a, x)/ab)
								}
							}
						}
					}
				}
				sort.Float64s(cuts)
				prev := a
				pts := make([]s2.Point, 0, len(cuts)+1)
				for _, t := range cuts {
					pts = append(pts, s2.Interpolate(t, a, b))
				}
				pts = append(pts, b)
				for _, x := range pts {
					if geoSame(prev, x) {
						continue
					}
					if geoKeepPiece(ps, i, prev, x) {
						out = append(out, geoPiece{prev, x})
					}
					prev = x
				}
			}
		}
	}
	return out
}

// geoKeepPiece reports whether the boundary piece a-b of polygon i is on
// the boundary of the union: the point just to its right (outside
// polygon i) must be in no other polygon. A piece shared with an earlier
// polygon in the same direction (the point just to its left is in it) is
// left to that polygon, so shared edges count once.
func geoKeepPiece(ps []geoPoly, i int, a, b s2.Point) bool {
	mid := s2.Interpolate(0.5, a, b)
	n := a.PointCross(b).Normalize()
	eps := math.Min(1e-9, geoEdgeAngle(a, b)*1e-3)
	left := s2.Point{Vector: mid.Add(n.Mul(eps)).Normalize()}
	right := s2.Point{Vector: mid.Sub(n.Mul(eps)).Normalize()}
	for j := range ps {
		if j == i {
			continue
		}
		if ps[j].contains(right) || (j < i && ps[j].contains(left)) {
			return false
		}
	}
	return true
}

// geoRef is a reference point near the pieces (their normalized mean),
// used to sum signed triangle areas and centroids.
func geoRef(pcs []geoPiece) (s2.Point, bool) {
	var sum s2.Point
	for _, p := range pcs {
		sum.Vector = sum.Vector.Add(p.a.Vector)
	}
	if sum.Norm() < 1e-9 {
		return s2.Point{}, false
	}
	return s2.Point{Vector: sum.Normalize()}, true
}

// geoPolysArea is the area of the union of ps in steradians.
func geoPolysArea(ps []geoPoly) float64 {
	if len(ps) == 1 {
		a := ps[0].shell.Area()
		for _, h := range ps[0].holes {
			a -= h.Area()
		}
		return a
	}
	pcs := geoBoundary(ps)
	ref, ok := geoRef(pcs)
	if !ok {
		a := 0.0
		for i := range ps {
			a += geoPolysArea(ps[i : i+1])
		}
		return a
	}
	a := 0.0
	for _, p := range pcs {
		a += s2.SignedArea(ref, p.a, p.b)
	}
	if a < 0 {
		a += 4 * math.Pi
	}
	return a
}

// geoPolysCentroid is the (unnormalized) area-weighted centroid of the
// union of ps.
func geoPolysCentroid(ps []geoPoly) s2.Point {
	if len(ps) == 1 {
		c := ps[0].shell.Centroid().Vector
		for _, h := range ps[0].holes {
			c = c.Sub(h.Centroid().Vector)
		}
		return s2.Point{Vector: c}
	}
	pcs := geoBoundary(ps)
	ref, ok := geoRef(pcs)
	if !ok {
		var c s2.Point
		for i := range ps {
			c.Vector = c.Vector.Add(geoPolysCentroid(ps[i : i+1]).Vector)
		}
		return c
	}
	var c s2.Point
	for _, p := range pcs {
		c.Vector = c.Vector.Add(s2.TrueCentroid(ref, p.a, p.b).Vector)
	}
	return c
}

// geoNearest returns the point of the lines or polygon boundaries nearest
// to p, and its central angle from p.
func geoNearestOnChains(chains [][]s2.Point, closed bool, p s2.Point) (s2.Point, float64) {
	best, bestD := s2.Point{}, math.Inf(1)
	for _, ch := range chains {
		n := len(ch) - 1
		if closed {
			n = len(ch)
		}
		for k := 0; k < n; k++ {
			a, b := ch[k], ch[(k+1)%len(ch)]
			x := s2.Project(p, a, b)
			if d := float64(p.Distance(x)); d < bestD {
				best, bestD = x, d
			}
		}
	}
	return best, bestD
}

func geoLineChains(ls []geoLine) [][]s2.Point {
	out := make([][]s2.Point, len(ls))
	for i, l := range ls {
		out[i] = l
	}
	return out
}

func geoPolyChains(ps []geoPoly) [][]s2.Point {
	var out [][]s2.Point
	for i := range ps {
		out = append(out, ps[i].rings()...)
	}
	return out
}

// geoChainsCross reports whether an edge of a crosses an edge of b
// (including touching at a vertex).
func geoChainsCross(a [][]s2.Point, aClosed bool, b [][]s2.Point, bClosed bool) bool {
	edges := func(ch []s2.Point, closed bool) int {
		if closed {
			return len(ch)
		}
		return len(ch) - 1
	}
	for _, x := range a {
		for i := 0; i < edges(x, aClosed); i++ {
			a0, a1 := x[i], x[(i+1)%len(x)]
			cr := s2.NewEdgeCrosser(a0, a1)
			for _, y := range b {
				for j := 0; j < edges(y, bClosed); j++ {
					if cr.CrossingSign(y[j], y[(j+1)%len(y)]) != s2.DoNotCross {
						return true
					}
				}
			}
		}
	}
	return false
}

func init() {
	tReal, boolean, dyn := types.Real, types.Bool, types.Dynamic

	geoRegister("geo_distance_2points", tReal, func(_ []geoShapeCache, v []any) any {
		lng1, ok1 := geoNum(v[0])
		lat1, ok2 := geoNum(v[1])
		lng2, ok3 := geoNum(v[2])
		lat2, ok4 := geoNum(v[3])
		if !ok1 || !ok2 || !ok3 || !ok4 || !geoLngLat(lng1, lat1) || !geoLngLat(lng2, lat2) {
			return nil
		}
		if len(v) > 4 && v[4] != nil {
			sph, ok := v[4].(bool)
			if !ok {
				return nil
			}
			if sph {
				if d, ok := geoVincenty(lng1, lat1, lng2, lat2); ok {
					return d
				}
			}
		}
		return geoHaversine(lng1, lat1, lng2, lat2) * geoEarthRadius
	})

	geoRegister("geo_point_in_circle", boolean, func(_ []geoShapeCache, v []any) any {
		lng1, ok1 := geoNum(v[0])
		lat1, ok2 := geoNum(v[1])
		lng2, ok3 := geoNum(v[2])
		lat2, ok4 := geoNum(v[3])
		r, ok5 := geoNum(v[4])
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !geoLngLat(lng1, lat1) || !geoLngLat(lng2, lat2) || !(r > 0) {
			return nil
		}
		return geoHaversine(lng1, lat1, lng2, lat2)*geoEarthRadius <= r
	})

	geoRegister("geo_azimuth", tReal, func(_ []geoShapeCache, v []any) any {
		p1, ok1 := geoPointArgs(v, 0)
		p2, ok2 := geoPointArgs(v, 2)
		if !ok1 || !ok2 || geoSame(p1, p2) || geoAntipodal(p1, p2) {
			return nil
		}
		lng1, _ := geoNum(v[0])
		lat1, _ := geoNum(v[1])
		lng2, _ := geoNum(v[2])
		lat2, _ := geoNum(v[3])
		return geoAzimuth(lng1, lat1, lng2, lat2)
	})

	geoRegister("geo_angle", tReal, func(_ []geoShapeCache, v []any) any {
		p1, ok1 := geoPointArgs(v, 0)
		p2, ok2 := geoPointArgs(v, 2)
		p3, ok3 := geoPointArgs(v, 4)
		if !ok1 || !ok2 || !ok3 || geoSame(p1, p2) || geoSame(p2, p3) || geoAntipodal(p1, p2) || geoAntipodal(p2, p3) {
			return nil
		}
		f := make([]float64, 6)
		for i := range f {
			f[i], _ = geoNum(v[i])
		}
		a := geoAzimuth(f[2], f[3], f[4], f[5]) - geoAzimuth(f[2], f[3], f[0], f[1])
		if a < 0 {
			a += 2 * math.Pi
		}
		if a >= 2*math.Pi {
			a = 0
		}
		return a
	})

	geoRegister("geo_point_in_polygon", boolean, func(c []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		ps, ok2 := c[2].polys(v[2])
		if !ok || !ok2 {
			return nil
		}
		return geoPolysContain(ps, p)
	})

	geoRegister("geo_distance_point_to_line", tReal, func(c []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		ls, ok2 := c[2].lines(v[2], true)
		if !ok || !ok2 {
			return nil
		}
		_, d := geoNearestOnChains(geoLineChains(ls), false, p)
		return d * geoEarthRadius
	})

	geoRegister("geo_closest_point_on_line", dyn, func(c []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		ls, ok2 := c[2].lines(v[2], true)
		if !ok || !ok2 {
			return nil
		}
		x, _ := geoNearestOnChains(geoLineChains(ls), false, p)
		return geoPointBagOf(x)
	})

	geoRegister("geo_distance_point_to_polygon", tReal, func(c []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		ps, ok2 := c[2].polys(v[2])
		if !ok || !ok2 {
			return nil
		}
		if geoPolysContain(ps, p) {
			return 0.0
		}
		_, d := geoNearestOnChains(geoPolyChains(ps), true, p)
		return d * geoEarthRadius
	})

	geoRegister("geo_closest_point_on_polygon", dyn, func(c []geoShapeCache, v []any) any {
		p, ok := geoPointArgs(v, 0)
		ps, ok2 := c[2].polys(v[2])
		if !ok || !ok2 {
			return nil
		}
		if geoPolysContain(ps, p) {
			lng, _ := geoNum(v[0])
			lat, _ := geoNum(v[1])
			return geoPointBag(lng, lat)
		}
		x, _ := geoNearestOnChains(geoPolyChains(ps), true, p)
		return geoPointBagOf(x)
	})

	geoRegister("geo_line_length", tReal, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		if !ok {
			return nil
		}
		sum := 0.0
		for _, l := range ls {
			for k := 0; k+1 < len(l); k++ {
				sum += geoEdgeAngle(l[k], l[k+1])
			}
		}
		return sum * geoEarthRadius
	})

	geoRegister("geo_line_centroid", dyn, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		if !ok {
			return nil
		}
		var sum s2.Point
		for _, l := range ls {
			for k := 0; k+1 < len(l); k++ {
				sum.Vector = sum.Vector.Add(s2.EdgeTrueCentroid(l[k], l[k+1]).Vector)
			}
		}
		if sum.Norm() == 0 {
			return nil // every edge is a single point
		}
		return geoPointBagOf(s2.Point{Vector: sum.Normalize()})
	})

	geoRegister("geo_line_locate_point", tReal, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], false)
		p, ok2 := geoPointArgs(v, 1)
		if !ok || !ok2 {
			return nil
		}
		l := ls[0]
		total, bestAt, bestD := 0.0, 0.0, math.Inf(1)
		for k := 0; k+1 < len(l); k++ {
			a, b := l[k], l[k+1]
			x := s2.Project(p, a, b)
			if d := float64(p.Distance(x)); d < bestD {
				bestD, bestAt = d, total+geoEdgeAngle(a, x)
			}
			total += geoEdgeAngle(a, b)
		}
		if total == 0 {
			return 0.0
		}
		return bestAt / total
	})

	geoRegister("geo_polygon_area", tReal, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		if !ok {
			return nil
		}
		return geoPolysArea(ps) * geoEarthRadius * geoEarthRadius
	})

	geoRegister("geo_polygon_perimeter", tReal, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		if !ok {
			return nil
		}
		sum := 0.0
		for _, p := range geoBoundary(ps) {
			sum += geoEdgeAngle(p.a, p.b)
		}
		return sum * geoEarthRadius
	})

	geoRegister("geo_polygon_centroid", dyn, func(c []geoShapeCache, v []any) any {
		ps, ok := c[0].polys(v[0])
		if !ok {
			return nil
		}
		x := geoPolysCentroid(ps)
		if x.Norm() == 0 {
			return nil
		}
		return geoPointBagOf(s2.Point{Vector: x.Normalize()})
	})

	geoRegister("geo_intersects_2polygons", boolean, func(c []geoShapeCache, v []any) any {
		a, ok := c[0].polys(v[0])
		b, ok2 := c[1].polys(v[1])
		if !ok || !ok2 {
			return nil
		}
		ca, cb := geoPolyChains(a), geoPolyChains(b)
		if geoChainsCross(ca, true, cb, true) {
			return true
		}
		return geoPolysContain(b, ca[0][0]) || geoPolysContain(a, cb[0][0])
	})

	geoRegister("geo_intersects_line_with_polygon", boolean, func(c []geoShapeCache, v []any) any {
		ls, ok := c[0].lines(v[0], true)
		ps, ok2 := c[1].polys(v[1])
		if !ok || !ok2 {
			return nil
		}
		cl := geoLineChains(ls)
		if geoChainsCross(cl, false, geoPolyChains(ps), true) {
			return true
		}
		for _, l := range ls {
			if geoPolysContain(ps, l[0]) {
				return true
			}
		}
		return false
	})

	geoRegister("geo_intersects_2lines", boolean, func(c []geoShapeCache, v []any) any {
		a, ok := c[0].lines(v[0], true)
		b, ok2 := c[1].lines(v[1], true)
		if !ok || !ok2 {
			return nil
		}
		return geoChainsCross(geoLineChains(a), false, geoLineChains(b), false)
	})
}
