package builtins

// Geospatial functions (the geo_* family, without IP geolocation;
// the lookup plugins are evaluate plugins, see kql/sema).

import (
	"strings"

	"hunt/kql/types"
)

func init() {
	num := append(append([]types.Type{}, AnyNumeric...), types.Dynamic)
	str := []types.Type{types.String, types.Dynamic}
	dyn := Dyn
	boolean := []types.Type{types.Bool}
	reg := func(name string, min, max int, result types.Type, allowed ...[]types.Type) {
		Register(&Func{Name: name, Kind: Scalar, MinArgs: min, MaxArgs: max,
			Doc:    strings.ReplaceAll(name, "_", "-") + "-function",
			Result: Want(result, allowed...)(name)})
	}
	reg("geo_distance_2points", 4, 5, types.Real, num, num, num, num, boolean)
	reg("geo_point_in_circle", 5, 5, types.Bool, num, num, num, num, num)
	reg("geo_azimuth", 4, 4, types.Real, num, num, num, num)
	reg("geo_angle", 6, 6, types.Real, num, num, num, num, num, num)
	reg("geo_point_in_polygon", 3, 3, types.Bool, num, num, dyn)
	reg("geo_distance_point_to_line", 3, 3, types.Real, num, num, dyn)
	reg("geo_closest_point_on_line", 3, 3, types.Dynamic, num, num, dyn)
	reg("geo_distance_point_to_polygon", 3, 3, types.Real, num, num, dyn)
	reg("geo_closest_point_on_polygon", 3, 3, types.Dynamic, num, num, dyn)
	reg("geo_line_length", 1, 1, types.Real, dyn)
	reg("geo_line_centroid", 1, 1, types.Dynamic, dyn)
	reg("geo_line_locate_point", 3, 3, types.Real, dyn, num, num)
	reg("geo_polygon_area", 1, 1, types.Real, dyn)
	reg("geo_polygon_perimeter", 1, 1, types.Real, dyn)
	reg("geo_polygon_centroid", 1, 1, types.Dynamic, dyn)
	reg("geo_intersects_2polygons", 2, 2, types.Bool, dyn, dyn)
	reg("geo_intersects_line_with_polygon", 2, 2, types.Bool, dyn, dyn)
	reg("geo_intersects_2lines", 2, 2, types.Bool, dyn, dyn)
	reg("geo_point_to_geohash", 2, 3, types.String, num, num, num)
	reg("geo_geohash_to_central_point", 1, 1, types.Dynamic, str)
	reg("geo_geohash_to_polygon", 1, 1, types.Dynamic, str)
	reg("geo_geohash_neighbors", 1, 1, types.Dynamic, str)
	reg("geo_point_to_s2cell", 2, 3, types.String, num, num, num)
	reg("geo_s2cell_to_central_point", 1, 1, types.Dynamic, str)
	reg("geo_s2cell_to_polygon", 1, 1, types.Dynamic, str)
	reg("geo_s2cell_neighbors", 1, 1, types.Dynamic, str)
	reg("geo_point_to_h3cell", 2, 3, types.String, num, num, num)
	reg("geo_h3cell_to_central_point", 1, 1, types.Dynamic, str)
	reg("geo_h3cell_to_polygon", 1, 1, types.Dynamic, str)
	reg("geo_h3cell_level", 1, 1, types.Long, str)
	reg("geo_h3cell_parent", 1, 2, types.String, str, num)
	reg("geo_h3cell_children", 1, 2, types.Dynamic, str, num)
	reg("geo_h3cell_neighbors", 1, 1, types.Dynamic, str)
	reg("geo_h3cell_rings", 2, 2, types.Dynamic, str, num)
	reg("geo_polygon_to_h3cells", 1, 3, types.Dynamic, dyn, num, num)
	reg("geo_from_wkt", 1, 1, types.Dynamic, str)
	reg("geo_line_densify", 1, 3, types.Dynamic, dyn, num, boolean)
	reg("geo_polygon_densify", 1, 3, types.Dynamic, dyn, num, boolean)
	reg("geo_line_simplify", 1, 2, types.Dynamic, dyn, num)
	reg("geo_polygon_simplify", 1, 2, types.Dynamic, dyn, num)
	reg("geo_polygon_to_s2cells", 1, 3, types.Dynamic, dyn, num, num)
	reg("geo_line_to_s2cells", 1, 3, types.Dynamic, dyn, num, num)
	reg("geo_point_buffer", 3, 4, types.Dynamic, num, num, num, num)
	reg("geo_polygon_buffer", 2, 3, types.Dynamic, dyn, num, num)
	reg("geo_intersection_2lines", 2, 2, types.Dynamic, dyn, dyn)
	reg("geo_intersection_line_with_polygon", 2, 2, types.Dynamic, dyn, dyn)
	reg("geo_intersection_2polygons", 2, 2, types.Dynamic, dyn, dyn)
	reg("geo_union_lines_array", 1, 1, types.Dynamic, dyn)
	reg("geo_union_polygons_array", 1, 1, types.Dynamic, dyn)
}
