package builtins

// Dynamic, array and property-bag functions, and the member/index access
// of dynamic values (`x.a`, `x["a"]`, `x[0]`), which the analyzer lowers
// to __member and __index.
//
// Decisions where the reference is silent:
//   - array_sort_asc/array_sort_desc with several arrays return one column
//     per array in Kusto; a function here has one result, so the sorted
//     arrays come back as one dynamic array of arrays (so that the
//     documented `array_sort_asc(a, b)[1]` works). With one array the
//     result is the sorted array itself.
//   - extract_json's optional third argument is the target type given as a
//     constant: a types.Type value or a type name string ("long",
//     "typeof(long)").

import (
	"fmt"
	"strings"

	"hunt/kql/types"
)

func init() {
	D := types.Dynamic
	ints := Integers
	any1 := []types.Type(nil)
	reg := func(name string, min, max int, doc string, result func([]Arg) (types.Type, error), aliases ...string) {
		Register(&Func{Name: name, Aliases: aliases, Kind: Scalar, MinArgs: min, MaxArgs: max, Doc: doc, Result: result})
	}
	want := func(name string, res types.Type, allowed ...[]types.Type) func([]Arg) (types.Type, error) {
		return Want(res, allowed...)(name)
	}
	allDyn := func(name string, res types.Type) func([]Arg) (types.Type, error) {
		return func(a []Arg) (types.Type, error) {
			for i, x := range a {
				if x.Type != D && x.Type != types.Unknown {
					return types.Unknown, TypeError(name, i, "dynamic", x.Type)
				}
			}
			return res, nil
		}
	}

	reg("__member", 2, 2, "scalar-data-types/dynamic", func(a []Arg) (types.Type, error) {
		if a[0].Type != D && a[0].Type != types.Unknown {
			return types.Unknown, fmt.Errorf("cannot access a member of a %s value; only dynamic values have members", a[0].Type)
		}
		if a[1].Type != types.String {
			return types.Unknown, TypeError("__member", 1, "string", a[1].Type)
		}
		return D, nil
	})
	reg("__index", 2, 2, "scalar-data-types/dynamic", func(a []Arg) (types.Type, error) {
		if a[0].Type != D && a[0].Type != types.Unknown {
			return types.Unknown, fmt.Errorf("cannot index a %s value; only dynamic values can be indexed", a[0].Type)
		}
		switch a[1].Type {
		case types.Int, types.Long, types.Bool, types.String, D, types.Unknown, types.Real, types.Decimal:
			return D, nil
		}
		return types.Unknown, fmt.Errorf("a dynamic value cannot be indexed by a %s value", a[1].Type)
	})

	reg("pack_array", 1, -1, "pack-array-function", Fixed(D))
	reg("__bag_pack_nonempty", 0, -1, "pack-all-function", func(a []Arg) (types.Type, error) {
		if len(a)%2 != 0 {
			return types.Unknown, fmt.Errorf("__bag_pack_nonempty() takes key/value pairs, got %d arguments", len(a))
		}
		return D, nil
	})
	reg("bag_pack", 0, -1, "pack-function", func(a []Arg) (types.Type, error) {
		if len(a)%2 != 0 {
			return types.Unknown, fmt.Errorf("bag_pack() takes key/value pairs, got %d arguments", len(a))
		}
		for i := 0; i < len(a); i += 2 {
			if a[i].Type != types.String && a[i].Type != D && a[i].Type != types.Unknown {
				return types.Unknown, TypeError("bag_pack", i, "string (a key)", a[i].Type)
			}
		}
		return D, nil
	}, "pack", "pack_dictionary")

	reg("array_length", 1, 1, "array-length-function", allDyn("array_length", types.Long), "arraylength")
	reg("array_concat", 1, 64, "array-concat-function", allDyn("array_concat", D))
	reg("array_reverse", 1, 1, "array-reverse-function", allDyn("array_reverse", D))
	reg("array_sum", 1, 1, "array-sum-function", allDyn("array_sum", types.Real))
	reg("array_slice", 3, 3, "array-slice-function", want("array_slice", D, Dyn, ints, ints))
	reg("array_index_of", 2, 5, "array-index-of-function", want("array_index_of", types.Long, Dyn, any1, ints, ints, ints))
	reg("array_iff", 3, 3, "array-iff-function", want("array_iff", D, Dyn), "array_iif")
	reg("array_split", 2, 2, "array-split-function", want("array_split", D, Dyn, []types.Type{types.Int, types.Long, D}))
	for _, n := range []string{"array_shift_left", "array_shift_right"} {
		reg(n, 2, 3, strings.ReplaceAll(n, "_", "-")+"-function", want(n, D, Dyn, ints))
	}
	for _, n := range []string{"array_rotate_left", "array_rotate_right"} {
		reg(n, 2, 2, strings.ReplaceAll(n, "_", "-")+"-function", want(n, D, Dyn, ints))
	}
	for _, n := range []string{"array_sort_asc", "array_sort_desc"} {
		n := n
		reg(n, 1, 65, strings.ReplaceAll(n, "_", "-")+"-function", func(a []Arg) (types.Type, error) {
			for i, x := range a {
				if i > 0 && i == len(a)-1 && x.Type == types.Bool {
					continue // nulls_last
				}
				if x.Type != D && x.Type != types.Unknown {
					return types.Unknown, TypeError(n, i, "dynamic", x.Type)
				}
			}
			return D, nil
		})
	}
	reg("set_has_element", 2, 2, "set-has-element-function", want("set_has_element", types.Bool, Dyn))
	for _, n := range []string{"set_union", "set_intersect", "set_difference"} {
		reg(n, 2, 64, strings.ReplaceAll(n, "_", "-")+"-function", allDyn(n, D))
	}
	reg("set_equals", 2, 2, "set-equals-function", allDyn("set_equals", types.Bool))
	reg("jaccard_index", 2, 2, "jaccard-index-function", allDyn("jaccard_index", types.Real))
	reg("zip", 2, 16, "zip-function", allDyn("zip", D))
	reg("bag_keys", 1, 1, "bag-keys-function", allDyn("bag_keys", D))
	reg("bag_merge", 2, 64, "bag-merge-function", allDyn("bag_merge", D))
	reg("bag_remove_keys", 2, 2, "bag-remove-keys-function", allDyn("bag_remove_keys", D))
	reg("bag_has_key", 2, 2, "bag-has-key-function", want("bag_has_key", types.Bool, Dyn, Strs))
	reg("bag_set_key", 3, 3, "bag-set-key-function", want("bag_set_key", D, Dyn, Strs))
	reg("bag_zip", 2, 2, "bag-zip", allDyn("bag_zip", D))
	reg("treepath", 1, 1, "treepath-function", allDyn("treepath", D))
	reg("dynamic_to_json", 1, 1, "dynamic-to-json-function", Fixed(types.String))
	reg("parse_path", 1, 1, "parse-path-function", want("parse_path", D, StrOrDyn))
	reg("parse_xml", 1, 1, "parse-xml-function", want("parse_xml", D, StrOrDyn))
	reg("range", 2, 3, "range-function", func(a []Arg) (types.Type, error) {
		U := types.Unknown
		seq := func(t types.Type) bool {
			return t.IsNumeric() || t == types.DateTime || t == types.Timespan || t == U || t == D
		}
		for i, x := range a {
			ok := seq(x.Type)
			if i == 2 {
				ok = x.Type.IsNumeric() || x.Type == types.Timespan || x.Type == U || x.Type == D
			}
			if !ok {
				return U, TypeError("range", i, "a number, datetime or timespan", x.Type)
			}
		}
		return D, nil
	})
	reg("repeat", 2, 2, "repeat-function", want("repeat", D, any1, ints))
	reg("extract_json", 2, 3, "extract-json-function", func(a []Arg) (types.Type, error) {
		for i := 0; i < 2; i++ {
			if a[i].Type != types.String && a[i].Type != D && a[i].Type != types.Unknown {
				return types.Unknown, TypeError("extract_json", i, "string", a[i].Type)
			}
		}
		if len(a) < 3 {
			return types.String, nil
		}
		if t, ok := a[2].Value.(types.Type); ok && a[2].Const {
			return t, nil
		}
		s, ok := a[2].Value.(string)
		if !a[2].Const || !ok {
			return types.Unknown, fmt.Errorf("extract_json(): the third argument must be a constant type name such as typeof(long)")
		}
		t, ok := types.Parse(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "typeof("), ")"))
		if !ok {
			return types.Unknown, fmt.Errorf("extract_json(): unknown type %q", s)
		}
		return t, nil
	}, "extractjson")
}
