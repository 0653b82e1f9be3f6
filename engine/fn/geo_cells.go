package fn

// Geohash and S2 cell kernels (see geo_sphere.go for the shared model).
//
// Decisions where the reference is silent (also in docs/semantics.md):
//   - Geohash: the standard base-32 alphabet, lower case only; a geohash
//     of 1 to 18 characters. Encoding halves each interval and takes the
//     upper half when the value is >= the midpoint, so longitude 180 and
//     latitude 90 fall in the last cell. geo_geohash_neighbors lists the
//     neighbors in the order the reference's example shows (south-west,
//     north-west, south-east, north, west, north-east, east, south);
//     longitudes wrap around the antimeridian and cells beyond a pole are
//     left out.
//   - S2: cells and tokens are S2's (github.com/golang/geo). A token is
//     valid when it decodes to a valid cell id. geo_s2cell_to_polygon lists
//     the cell's four vertices in S2's order (counterclockwise) and closes
//     the ring, which reproduces the documented polygons;
//     geo_s2cell_neighbors lists the eight neighbors of the same level in
//     the order of the reference's example.

import (
	"math"
	"strings"

	"github.com/golang/geo/s2"

	"hunt/kql/types"
)

const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// geoInt reads an integral level or accuracy argument.
func geoInt(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return 0, false
		}
		return int(x), true
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
			return 0, false
		}
		return int(x), true
	}
	return 0, false
}

func geohashEncode(lng, lat float64, n int) string {
	lo := [2]float64{-180, -90}
	hi := [2]float64{180, 90}
	val := [2]float64{lng, lat}
	var sb strings.Builder
	even := true
	for sb.Len() < n {
		c := 0
		for k := 0; k < 5; k++ {
			i := 1
			if even {
				i = 0
			}
			mid := (lo[i] + hi[i]) / 2
			c <<= 1
			if val[i] >= mid {
				c |= 1
				lo[i] = mid
			} else {
				hi[i] = mid
			}
			even = !even
		}
		sb.WriteByte(geohashAlphabet[c])
	}
	return sb.String()
}

// geohashDecode returns the cell's bounds: min lng, min lat, max lng, max lat.
func geohashDecode(h string) (box [4]float64, ok bool) {
	if len(h) < 1 || len(h) > 18 {
		return box, false
	}
	lo := [2]float64{-180, -90}
	hi := [2]float64{180, 90}
	even := true
	for i := 0; i < len(h); i++ {
		c := strings.IndexByte(geohashAlphabet, h[i])
		if c < 0 {
			return box, false
		}
		for k := 4; k >= 0; k-- {
			j := 1
			if even {
				j = 0
			}
			mid := (lo[j] + hi[j]) / 2
			if c>>k&1 == 1 {
				lo[j] = mid
			} else {
				hi[j] = mid
			}
			even = !even
		}
	}
	return [4]float64{lo[0], lo[1], hi[0], hi[1]}, true
}

func geoClosedRing(pts ...[2]float64) []any {
	out := make([]any, 0, len(pts)+1)
	for _, p := range pts {
		out = append(out, []any{p[0], p[1]})
	}
	return append(out, []any{pts[0][0], pts[0][1]})
}

// geoS2Cell parses a token.
func geoS2Cell(v any) (s2.CellID, bool) {
	s, ok := v.(string)
	if !ok || s == "" || len(s) > 16 {
		return 0, false
	}
	id := s2.CellIDFromToken(s)
	return id, id.IsValid()
}

// geoPointLevel reads the (longitude, latitude[, level]) arguments of
// the point-to-cell functions: a valid point, and a level in [lo, hi]
// (def when it is not given).
func geoPointLevel(v []any, def, lo, hi int) (lng, lat float64, level int, ok bool) {
	lng, ok1 := geoNum(v[0])
	lat, ok2 := geoNum(v[1])
	level, ok3 := def, true
	if len(v) > 2 {
		level, ok3 = geoInt(v[2])
	}
	ok = ok1 && ok2 && ok3 && geoLngLat(lng, lat) && level >= lo && level <= hi
	return lng, lat, level, ok
}

func init() {
	str, dyn := types.String, types.Dynamic

	geoRegister("geo_point_to_geohash", str, func(_ []geoShapeCache, v []any) any {
		lng, lat, n, ok := geoPointLevel(v, 5, 1, 18)
		if !ok {
			return ""
		}
		return geohashEncode(lng, lat, n)
	})

	geoRegister("geo_geohash_to_central_point", dyn, func(_ []geoShapeCache, v []any) any {
		s, _ := v[0].(string)
		b, ok := geohashDecode(s)
		if !ok {
			return nil
		}
		return geoPointBag((b[0]+b[2])/2, (b[1]+b[3])/2)
	})

	geoRegister("geo_geohash_to_polygon", dyn, func(_ []geoShapeCache, v []any) any {
		s, _ := v[0].(string)
		b, ok := geohashDecode(s)
		if !ok {
			return nil
		}
		return geoPolygonBag(geoClosedRing(
			[2]float64{b[0], b[1]}, [2]float64{b[2], b[1]}, [2]float64{b[2], b[3]}, [2]float64{b[0], b[3]}))
	})

	geoRegister("geo_geohash_neighbors", dyn, func(_ []geoShapeCache, v []any) any {
		s, _ := v[0].(string)
		b, ok := geohashDecode(s)
		if !ok {
			return nil
		}
		w, h := b[2]-b[0], b[3]-b[1]
		cx, cy := (b[0]+b[2])/2, (b[1]+b[3])/2
		out := []any{}
		for _, d := range [8][2]float64{{-1, -1}, {-1, 1}, {1, -1}, {0, 1}, {-1, 0}, {1, 1}, {1, 0}, {0, -1}} {
			y := cy + d[1]*h
			if y < -90 || y > 90 {
				continue
			}
			x := cx + d[0]*w
			if x > 180 {
				x -= 360
			} else if x < -180 {
				x += 360
			}
			out = append(out, geohashEncode(x, y, len(s)))
		}
		return out
	})

	geoRegister("geo_point_to_s2cell", str, func(_ []geoShapeCache, v []any) any {
		lng, lat, level, ok := geoPointLevel(v, 11, 0, 30)
		if !ok {
			return ""
		}
		return s2.CellIDFromLatLng(s2.LatLngFromDegrees(lat, lng)).Parent(level).ToToken()
	})

	geoRegister("geo_s2cell_to_central_point", dyn, func(_ []geoShapeCache, v []any) any {
		id, ok := geoS2Cell(v[0])
		if !ok {
			return nil
		}
		return geoPointBagOf(id.Point())
	})

	geoRegister("geo_s2cell_to_polygon", dyn, func(_ []geoShapeCache, v []any) any {
		id, ok := geoS2Cell(v[0])
		if !ok {
			return nil
		}
		c := s2.CellFromCellID(id)
		var pts [4][2]float64
		for k := 0; k < 4; k++ {
			ll := geoLngLatOf(c.Vertex(k))
			pts[k] = [2]float64{ll[0].(float64), ll[1].(float64)}
		}
		return geoPolygonBag(geoClosedRing(pts[:]...))
	})

	geoRegister("geo_s2cell_neighbors", dyn, func(_ []geoShapeCache, v []any) any {
		id, ok := geoS2Cell(v[0])
		if !ok {
			return nil
		}
		out := []any{}
		seen := map[s2.CellID]bool{id: true}
		all := id.AllNeighbors(id.Level())
		if len(all) == 8 {
			// S2 lists (i-1,j-1), (i+1,j-1), (i,j-1), (i,j+1), (i-1,j),
			// (i+1,j), (i-1,j+1), (i+1,j+1); the reference shows this order.
			all = []s2.CellID{all[7], all[0], all[1], all[2], all[3], all[5], all[4], all[6]}
		}
		for _, n := range all {
			if !seen[n] {
				seen[n] = true
				out = append(out, n.ToToken())
			}
		}
		return out
	})
}
