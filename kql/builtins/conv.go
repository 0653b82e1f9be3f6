package builtins

// Conversion functions (tostring, toint, tolong, todouble, todecimal,
// tobool, todatetime, totimespan, toguid, parse_json), gettype and
// new_guid. Every conversion accepts any scalar; a value that cannot be
// converted gives null.

import "hunt/kql/types"

func init() {
	conv := func(name string, t types.Type, doc string, aliases ...string) {
		Register(&Func{Name: name, Aliases: aliases, Kind: Scalar, MinArgs: 1, MaxArgs: 1, Doc: doc, Result: Fixed(t)})
	}
	conv("tostring", types.String, "tostring-function")
	conv("toint", types.Int, "toint-function")
	conv("tolong", types.Long, "tolong-function")
	conv("todouble", types.Real, "toreal-function", "toreal")
	conv("todecimal", types.Decimal, "todecimal-function")
	conv("tobool", types.Bool, "tobool-function", "toboolean")
	conv("todatetime", types.DateTime, "todatetime-function")
	conv("totimespan", types.Timespan, "totimespan-function", "totime")
	conv("toguid", types.Guid, "toguid-function")
	// todynamic, toobject and parsejson are the documented deprecated
	// aliases of parse_json.
	conv("parse_json", types.Dynamic, "parse-json-function", "parsejson", "todynamic", "toobject")
	conv("gettype", types.String, "gettype-function")
	// estimate_data_size(*) or of some columns: the analyzer expands *.
	Register(&Func{Name: "estimate_data_size", Kind: Scalar, MinArgs: 1, MaxArgs: -1, Doc: "estimate-data-size-function", Result: Fixed(types.Long)})
	Register(&Func{Name: "new_guid", Kind: Scalar, MinArgs: 0, MaxArgs: 0, Volatile: true, Doc: "new-guid-function", Result: Fixed(types.Guid)})
}
