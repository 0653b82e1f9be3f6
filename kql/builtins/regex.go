package builtins

import (
	"fmt"
	"strings"

	"hunt/kql/types"
)

// strTypeLiteral returns the type a `typeof(T)` argument names. The
// analyzer passes a type literal as a constant whose value is the type
// name ("int", "typeof(int)") or a types.Type.
func strTypeLiteral(a Arg) (types.Type, bool) {
	if !a.Const {
		return types.Unknown, false
	}
	switch v := a.Value.(type) {
	case types.Type:
		return v, v != types.Unknown
	case string:
		s := strings.TrimSpace(v)
		if strings.HasPrefix(s, "typeof(") && strings.HasSuffix(s, ")") {
			s = strings.TrimSpace(s[len("typeof(") : len(s)-1])
		}
		return types.Parse(s)
	}
	return types.Unknown, false
}

func init() {
	Register(&Func{
		Name: "extract", Kind: Scalar, MinArgs: 3, MaxArgs: 4, Doc: "extract-function",
		Result: func(args []Arg) (types.Type, error) {
			if err := strCheck("extract", args[:min(len(args), 3)], []strP{strPStr, strPLong, strPStr}, false); err != nil {
				return types.Unknown, err
			}
			if len(args) == 4 {
				t, ok := strTypeLiteral(args[3])
				if !ok {
					return types.Unknown, fmt.Errorf("extract(): argument 4 must be a type literal such as typeof(long)")
				}
				return t, nil
			}
			return types.String, nil
		},
	})
	Register(&Func{
		Name: "extract_all", Aliases: []string{"extractall"}, Kind: Scalar, MinArgs: 2, MaxArgs: 3,
		Doc: "extract-all-function",
		Result: func(args []Arg) (types.Type, error) {
			params := []strP{strPStr, strPStr}
			if len(args) == 3 {
				params = []strP{strPStr, strPDyn, strPStr}
			}
			if err := strCheck("extract_all", args, params, false); err != nil {
				return types.Unknown, err
			}
			return types.Dynamic, nil
		},
	})
	strFunc("replace_regex", nil, "replace-regex-function", types.String, 3, 3, strPStr, strPStr, strPStr)
	// replace() is the deprecated form of replace_regex() with the legacy
	// argument order (regex, rewrite, text); it is a function of its own,
	// not an alias, because the arguments differ.
	strFunc("replace", nil, "replace-regex-function", types.String, 3, 3, strPStr, strPStr, strPStr)
	strFunc("trim", nil, "trim-function", types.String, 2, 2, strPStr, strPStr)
	strFunc("trim_start", nil, "trim-start-function", types.String, 2, 2, strPStr, strPStr)
	strFunc("trim_end", nil, "trim-end-function", types.String, 2, 2, strPStr, strPStr)
	strFunc("indexof_regex", nil, "indexof-regex-function", types.Long, 2, 5, strPAny, strPAny, strPInt, strPInt, strPInt)
	strFunc("regex_quote", nil, "regex-quote-function", types.String, 1, 1, strPAny)
}
