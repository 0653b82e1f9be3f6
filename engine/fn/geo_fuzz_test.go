package fn

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"hunt/kql/builtins"
	"hunt/kql/types"
)

// geoFuzzFuncs are the registered geo scalars FuzzGeo calls.
var geoFuzzFuncs = []string{
	"geo_distance_2points", "geo_point_in_circle", "geo_azimuth", "geo_angle",
	"geo_point_in_polygon", "geo_distance_point_to_line", "geo_closest_point_on_line",
	"geo_distance_point_to_polygon", "geo_closest_point_on_polygon",
	"geo_line_length", "geo_line_centroid", "geo_line_locate_point",
	"geo_polygon_area", "geo_polygon_perimeter", "geo_polygon_centroid",
	"geo_intersects_2polygons", "geo_intersects_line_with_polygon", "geo_intersects_2lines",
	"geo_point_to_geohash", "geo_geohash_to_central_point", "geo_geohash_to_polygon",
	"geo_geohash_neighbors", "geo_point_to_s2cell", "geo_s2cell_to_central_point",
	"geo_s2cell_to_polygon", "geo_s2cell_neighbors", "geo_from_wkt",
	"geo_line_densify", "geo_polygon_densify", "geo_line_simplify", "geo_polygon_simplify",
	"geo_polygon_to_s2cells", "geo_line_to_s2cells", "geo_point_buffer", "geo_polygon_buffer",
	"geo_intersection_2lines", "geo_intersection_line_with_polygon",
	"geo_intersection_2polygons", "geo_union_lines_array", "geo_union_polygons_array",
	"geo_point_to_h3cell", "geo_h3cell_to_central_point", "geo_h3cell_to_polygon", "geo_h3cell_level",
	"geo_h3cell_parent", "geo_h3cell_children", "geo_h3cell_neighbors", "geo_h3cell_rings",
	"geo_polygon_to_h3cells",
}

// geoFuzzMaxItems bounds the size of one result: the densify cap
// (geoMaxDensify points of two coordinates) with room to spare.
const geoFuzzMaxItems = 8 << 20

// geoItems counts the scalars and containers of a dynamic value.
func geoItems(v any) int {
	switch x := v.(type) {
	case []any:
		n := 1
		for _, e := range x {
			n += geoItems(e)
		}
		return n
	case *types.Bag:
		n := 1
		for _, k := range x.Keys {
			e, _ := x.Get(k)
			n += geoItems(e)
		}
		return n
	case string:
		return 1 + len(x)/8
	}
	return 1
}

// FuzzGeo calls every geo scalar with coordinates, levels, radii and
// tolerances taken from a..d, and shapes built from them or given as
// JSON or WKT text s. No call may panic, run for long or return a huge
// value.
func FuzzGeo(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 4.0, `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}`)
	f.Add(-180.0, -90.0, 180.0, 90.0, `{"type":"LineString","coordinates":[[179,0],[-179,0]]}`)
	f.Add(0.0, 90.0, 0.0, -90.0, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,1],[0,0]]]]}`)
	f.Add(math.NaN(), math.Inf(1), math.Inf(-1), 1e308, `{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}`)
	f.Add(1e-300, 5e-324, -0.0, 30.0, `POLYGON ((0 0, 2 0, 2 2, 0 0))`)
	f.Add(12.0, 18.0, 1e7, 0.1, `MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))`)
	f.Add(9.223372036854776e18, -9.223372036854776e18, 65.0, 1e-9, `sunny`)
	f.Add(170.0, -10.0, -170.0, 10.0, `89c259`)
	f.Add(0.0, 0.0, 0.0, 0.0, `[{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]},{"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}]`)
	f.Add(0.5, 0.5, 1e-7, 1e-7, `GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 0, 1 1))`)
	f.Fuzz(func(t *testing.T, a, b, c, d float64, s string) {
		if len(s) > 4000 {
			return
		}
		nums := []float64{a, b, c, d, b, a}
		var shapes []any
		if v, err := types.ParseJSON([]byte(s)); err == nil {
			shapes = append(shapes, v)
		}
		for _, text := range []string{
			fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}`, a, b, c, b, c, d, a, b),
			fmt.Sprintf(`{"type":"LineString","coordinates":[[%v,%v],[%v,%v]]}`, a, b, c, d),
		} {
			text = strings.NewReplacer("NaN", "0", "+Inf", "1e308", "-Inf", "-1e308").Replace(text)
			if v, err := types.ParseJSON([]byte(text)); err == nil {
				shapes = append(shapes, v)
			}
		}
		if len(shapes) > 0 {
			shapes = append(shapes, []any{shapes[0], shapes[len(shapes)-1]})
		}
		began := time.Now()
		// A hung call never returns to the checks below: fail from a timer,
		// with the stacks, so that the fuzzer keeps the input.
		watchdog := time.AfterFunc(30*time.Second, func() {
			buf := make([]byte, 1<<20)
			panic(fmt.Sprintf("FuzzGeo: a call hung (%v %v %v %v %q)\n%s", a, b, c, d, s, buf[:runtime.Stack(buf, true)]))
		})
		defer watchdog.Stop()
		for _, name := range geoFuzzFuncs {
			fd, ok := builtins.Lookup(name)
			if !ok {
				t.Fatalf("no builtin %s", name)
			}
			for count := fd.MinArgs; count <= fd.MaxArgs; count++ {
				for si := 0; si < len(shapes) || si == 0; si++ {
					args := make([]coreV, count)
					dyn, hasDyn := 0, false
					for i := range args {
						switch want := geoFuzzArgType(name, i); want {
						case types.Dynamic:
							hasDyn = true
							if len(shapes) == 0 {
								args[i] = coreAN(types.Dynamic)
							} else {
								args[i] = coreAD(shapes[(si+dyn)%len(shapes)])
							}
							dyn++
						case types.String:
							args[i] = coreAS(s)
						case types.Bool:
							args[i] = coreAB(a > 0)
						default:
							args[i] = coreAR(nums[i%len(nums)])
						}
					}
					start := time.Now()
					out, _, err := coreEval(name, args, 1, 1)
					if el := time.Since(start); el > 2*time.Second || time.Since(began) > 10*time.Second {
						t.Fatalf("%s%v took %v (%v in all)", name, args, el, time.Since(began))
					}
					if err != nil {
						continue
					}
					if n := geoItems(out.Get(0)); n > geoFuzzMaxItems {
						t.Fatalf("%s%v returned %d items", name, args, n)
					}
					if !hasDyn {
						break
					}
				}
			}
		}
	})
}

// geoFuzzArgType is the type FuzzGeo passes as argument i of name.
func geoFuzzArgType(name string, i int) types.Type {
	switch name {
	case "geo_distance_2points":
		if i == 4 {
			return types.Bool
		}
	case "geo_point_in_polygon", "geo_distance_point_to_line", "geo_closest_point_on_line",
		"geo_distance_point_to_polygon", "geo_closest_point_on_polygon":
		if i == 2 {
			return types.Dynamic
		}
	case "geo_line_locate_point":
		if i == 0 {
			return types.Dynamic
		}
	case "geo_line_length", "geo_line_centroid", "geo_polygon_area", "geo_polygon_perimeter",
		"geo_polygon_centroid", "geo_union_lines_array", "geo_union_polygons_array":
		return types.Dynamic
	case "geo_intersects_2polygons", "geo_intersects_line_with_polygon", "geo_intersects_2lines",
		"geo_intersection_2lines", "geo_intersection_line_with_polygon", "geo_intersection_2polygons":
		return types.Dynamic
	case "geo_geohash_to_central_point", "geo_geohash_to_polygon", "geo_geohash_neighbors",
		"geo_s2cell_to_central_point", "geo_s2cell_to_polygon", "geo_s2cell_neighbors", "geo_from_wkt",
		"geo_h3cell_to_central_point", "geo_h3cell_to_polygon", "geo_h3cell_level", "geo_h3cell_neighbors":
		return types.String
	case "geo_h3cell_parent", "geo_h3cell_children", "geo_h3cell_rings":
		if i == 0 {
			return types.String
		}
	case "geo_polygon_to_h3cells":
		if i == 0 {
			return types.Dynamic
		}
	case "geo_line_densify", "geo_polygon_densify":
		switch i {
		case 0:
			return types.Dynamic
		case 2:
			return types.Bool
		}
	case "geo_line_simplify", "geo_polygon_simplify", "geo_polygon_to_s2cells", "geo_line_to_s2cells", "geo_polygon_buffer":
		if i == 0 {
			return types.Dynamic
		}
	}
	return types.Real
}

// TestGeoCoverHopeless: coverings that need far more than geoMaxCells
// cells return null at once. FuzzGeo found them exploring hundreds of
// thousands of cells, seconds a call, before giving up.
func TestGeoCoverHopeless(t *testing.T) {
	for _, c := range []struct {
		name string
		args []coreV
	}{
		{"geo_line_to_s2cells", []coreV{coreAJ(`{"type":"LineString","coordinates":[[0,0],[1,1]]}`), coreAL(30)}},
		{"geo_line_to_s2cells", []coreV{coreAJ(`{"type":"LineString","coordinates":[[0,0],[1,1]]}`), coreAL(20), coreAR(1e6)}},
		{"geo_polygon_to_s2cells", []coreV{coreAJ(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`), coreAL(30)}},
		{"geo_polygon_to_s2cells", []coreV{coreAJ(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`), coreAL(16), coreAR(1e7)}},
		{"geo_polygon_to_s2cells", []coreV{coreAJ(`{"type":"Polygon","coordinates":[[[-180,-89],[180,-89],[180,89],[-180,89],[-180,-89]]]}`), coreAL(30)}},
	} {
		start := time.Now()
		out, _, err := coreEval(c.name, c.args, 0, 1)
		if err != nil || !out.IsNull(0) {
			t.Errorf("%s%v = %v, %v; want null", c.name, c.args, out, err)
		}
		if el := time.Since(start); el > 100*time.Millisecond {
			t.Errorf("%s%v took %v", c.name, c.args, el)
		}
	}
}
