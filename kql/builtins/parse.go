package builtins

// Parsers of structured text: CSV records, version strings and
// user-agent strings.

import "hunt/kql/types"

func init() {
	strFunc("parse_csv", nil, "parse-csv-function", types.Dynamic, 1, 1, strPStr)
	strFunc("parse_version", nil, "parse-version-function", types.Decimal, 1, 1, strPStr)
	Register(&Func{Name: "parse_user_agent", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Doc: "parse-user-agent-function",
		Result: func(a []Arg) (types.Type, error) {
			if t := a[0].Type; t != types.String && t != types.Dynamic && t != types.Unknown {
				return types.Unknown, TypeError("parse_user_agent", 0, "string", t)
			}
			if t := a[1].Type; t != types.String && t != types.Dynamic && t != types.Unknown {
				return types.Unknown, TypeError("parse_user_agent", 1, "string or dynamic", t)
			}
			return types.Dynamic, nil
		}})
}
