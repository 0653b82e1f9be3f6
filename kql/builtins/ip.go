package builtins

import "hunt/kql/types"

// strAnyRange is the Result rule of the functions that take an address
// and then either one or more range strings or one dynamic array of them.
func strAnyRange(name string) func([]Arg) (types.Type, error) {
	return func(args []Arg) (types.Type, error) {
		if err := strCheck(name, args[:1], []strP{strPStr}, false); err != nil {
			return types.Unknown, err
		}
		if len(args) == 2 && args[1].Type == types.Dynamic {
			return types.Bool, nil
		}
		for i, a := range args[1:] {
			if a.Type != types.String && a.Type != types.Unknown {
				return types.Unknown, TypeError(name, i+1, "string (or a single dynamic array)", a.Type)
			}
		}
		return types.Bool, nil
	}
}

func init() {
	strFunc("ipv4_is_private", nil, "ipv4-is-private-function", types.Bool, 1, 1, strPStr)
	strFunc("ipv4_is_in_range", nil, "ipv4-is-in-range-function", types.Bool, 2, 2, strPStr, strPStr)
	strFunc("ipv4_compare", nil, "ipv4-compare-function", types.Long, 2, 3, strPStr, strPStr, strPLong)
	strFunc("ipv4_is_match", nil, "ipv4-is-match-function", types.Bool, 2, 3, strPStr, strPStr, strPLong)
	strFunc("parse_ipv4", nil, "parse-ipv4-function", types.Long, 1, 1, strPStr)
	strFunc("parse_ipv4_mask", nil, "parse-ipv4-mask-function", types.Long, 2, 2, strPStr, strPLong)
	strFunc("ipv4_netmask_suffix", nil, "ipv4-netmask-suffix-function", types.Long, 1, 1, strPStr)
	strFunc("format_ipv4", nil, "format-ipv4-function", types.String, 1, 2, strPAny, strPLong)
	strFunc("format_ipv4_mask", nil, "format-ipv4-mask-function", types.String, 1, 2, strPAny, strPLong)
	strFunc("ipv6_compare", nil, "ipv6-compare-function", types.Long, 2, 3, strPStr, strPStr, strPLong)
	strFunc("ipv6_is_match", nil, "ipv6-is-match-function", types.Bool, 2, 3, strPStr, strPStr, strPLong)
	strFunc("parse_ipv6", nil, "parse-ipv6-function", types.String, 1, 1, strPStr)
	strFunc("parse_ipv6_mask", nil, "parse-ipv6-mask-function", types.String, 2, 2, strPStr, strPLong)
	strFunc("ipv6_is_in_range", nil, "ipv6-is-in-range-function", types.Bool, 2, 2, strPStr, strPStr)
	strFunc("ipv4_range_to_cidr_list", nil, "ipv4-range-to-cidr-list-function", types.Dynamic, 2, 2, strPStr, strPStr)
	strFunc("has_ipv4", nil, "has-ipv4-function", types.Bool, 2, 2, strPStr, strPStr)
	strFunc("has_ipv4_prefix", nil, "has-ipv4-prefix-function", types.Bool, 2, 2, strPStr, strPStr)
	strFunc("geo_info_from_ip_address", nil, "geo-info-from-ip-address-function", types.Dynamic, 1, 1, strPStr)
	for _, f := range []struct{ name, doc string }{
		{"ipv4_is_in_any_range", "ipv4-is-in-any-range-function"},
		{"ipv6_is_in_any_range", "ipv6-is-in-any-range-function"},
		{"has_any_ipv4", "has-any-ipv4-function"},
		{"has_any_ipv4_prefix", "has-any-ipv4-prefix-function"},
	} {
		Register(&Func{Name: f.name, Kind: Scalar, MinArgs: 2, MaxArgs: -1, Result: strAnyRange(f.name), Doc: f.doc})
	}
}
