package builtins

// String operators and string functions as the analyzer sees them.
//
// Parameter types follow the signatures of Kusto's own language service
// (microsoft/Kusto-Query-Language, Functions.cs and Operators.cs): a
// parameter declared `string` also takes a dynamic argument (Kusto
// converts it implicitly, with tostring() semantics), a `long` parameter
// takes any number or a dynamic value, a "scalar" parameter takes anything
// but a table. An untyped null (types.Unknown) fits every parameter.

import (
	"fmt"

	"hunt/kql/types"
)

// strP is the kind of one parameter in a signature.
type strP uint8

const (
	strPAny     strP = iota // any scalar
	strPStr                 // string; dynamic converts implicitly
	strPInt                 // int or long
	strPLong                // long; int, real, decimal and dynamic convert
	strPNum                 // int, long, real or decimal
	strPDyn                 // dynamic (array or bag)
	strPGuid                // guid; dynamic converts
	strPNotDyn              // any scalar but dynamic
	strPNotBool             // any scalar but bool
)

func (p strP) accepts(t types.Type) bool {
	if t == types.Unknown {
		return true
	}
	switch p {
	case strPAny:
		return true
	case strPStr:
		return t == types.String || t == types.Dynamic
	case strPInt:
		return t.IsInteger()
	case strPLong:
		return t.IsNumeric() || t == types.Dynamic
	case strPNum:
		return t.IsNumeric()
	case strPDyn:
		return t == types.Dynamic
	case strPGuid:
		return t == types.Guid || t == types.Dynamic
	case strPNotDyn:
		return t != types.Dynamic
	case strPNotBool:
		return t != types.Bool
	}
	return false
}

func (p strP) String() string {
	switch p {
	case strPStr:
		return "string"
	case strPInt:
		return "int or long"
	case strPLong:
		return "a number"
	case strPNum:
		return "a number"
	case strPDyn:
		return "dynamic"
	case strPGuid:
		return "guid"
	case strPNotDyn:
		return "a scalar that is not dynamic"
	case strPNotBool:
		return "a scalar that is not bool"
	}
	return "a scalar"
}

// strCheck checks args against params; when variadic is set the last
// parameter repeats.
func strCheck(fn string, args []Arg, params []strP, variadic bool) error {
	for i, a := range args {
		if a.Star {
			return fmt.Errorf("%s(): '*' is not allowed here", fn)
		}
		k := i
		if k >= len(params) {
			if !variadic || len(params) == 0 {
				break
			}
			k = len(params) - 1
		}
		if !params[k].accepts(a.Type) {
			return TypeError(fn, i, params[k].String(), a.Type)
		}
	}
	return nil
}

// strSig returns a Result rule for one signature.
func strSig(fn string, result types.Type, variadic bool, params ...strP) func([]Arg) (types.Type, error) {
	return func(args []Arg) (types.Type, error) {
		if err := strCheck(fn, args, params, variadic); err != nil {
			return types.Unknown, err
		}
		return result, nil
	}
}

// strFunc registers a function with a single signature. min is the
// number of required parameters; max < 0 means any number. Arguments past
// the listed parameters are checked against the last one.
func strFunc(name string, aliases []string, doc string, result types.Type, min, max int, params ...strP) {
	Register(&Func{
		Name: name, Aliases: aliases, Kind: Scalar,
		MinArgs: min, MaxArgs: max,
		Result: strSig(name, result, max < 0 || max > len(params), params...),
		Doc:    doc,
	})
}

// strOperatorNames lists the two-operand string predicates. The has
// family takes a string right operand; the others also take dynamic.
var strHasFamily = []string{
	"has", "!has", "has_cs", "!has_cs",
	"hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs",
	"hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs",
}

var strOtherOps = []struct {
	name    string
	aliases []string
	doc     string
}{
	{"contains", nil, "contains-operator"},
	{"!contains", []string{"notcontains"}, "not-contains-operator"},
	{"contains_cs", []string{"containscs"}, "contains-cs-operator"},
	{"!contains_cs", []string{"notcontainscs"}, "not-contains-cs-operator"},
	{"startswith", nil, "startswith-operator"},
	{"!startswith", nil, "not-startswith-operator"},
	{"startswith_cs", nil, "startswith-cs-operator"},
	{"!startswith_cs", nil, "not-startswith-cs-operator"},
	{"endswith", nil, "endswith-operator"},
	{"!endswith", nil, "not-endswith-operator"},
	{"endswith_cs", nil, "endswith-cs-operator"},
	{"!endswith_cs", nil, "not-endswith-cs-operator"},
	{"=~", nil, "equals-operator"},
	{"!~", nil, "not-equals-operator"},
	{"matches regex", nil, "matches-regex-operator"},
}

func strOpDoc(name string) string {
	neg := ""
	if name[0] == '!' {
		neg = "not-"
		name = name[1:]
	}
	n := []byte(name)
	for i, c := range n {
		if c == '_' {
			n[i] = '-'
		}
	}
	return neg + string(n) + "-operator"
}

func init() {
	for _, name := range strHasFamily {
		Register(&Func{
			Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2,
			Result: strSig(name, types.Bool, false, strPStr, strPStr),
			Doc:    strOpDoc(name),
		})
	}
	for _, op := range strOtherOps {
		Register(&Func{
			Name: op.name, Aliases: op.aliases, Kind: Scalar, MinArgs: 2, MaxArgs: 2,
			Result: strSig(op.name, types.Bool, false, strPStr, strPStr),
			Doc:    op.doc,
		})
	}
	// List operators: the left value, then one or more list elements, each
	// a scalar or a dynamic array (a tabular list arrives as a dynamic
	// array of its first column).
	for _, op := range []struct{ name, doc string }{
		{"has_any", "has-any-operator"}, {"has_all", "has-all-operator"},
		{"in~", "in-operator"}, {"!in~", "not-in-operator"},
	} {
		Register(&Func{
			Name: op.name, Kind: Scalar, MinArgs: 2, MaxArgs: -1,
			Result: strSig(op.name, types.Bool, true, strPStr, strPAny),
			Doc:    op.doc,
		})
	}
	for _, op := range []struct{ name, doc string }{
		{"in", "in-cs-operator"}, {"!in", "not-in-cs-operator"},
	} {
		Register(&Func{
			Name: op.name, Kind: Scalar, MinArgs: 2, MaxArgs: -1,
			Result: strSig(op.name, types.Bool, true, strPAny, strPAny),
			Doc:    op.doc,
		})
	}

	// Length, case, substrings.
	strFunc("strlen", nil, "strlen-function", types.Long, 1, 1, strPStr)
	strFunc("string_size", nil, "string-size-function", types.Long, 1, 1, strPStr)
	strFunc("tolower", nil, "tolower-function", types.String, 1, 1, strPAny)
	strFunc("toupper", nil, "toupper-function", types.String, 1, 1, strPAny)
	strFunc("substring", nil, "substring-function", types.String, 2, 3, strPAny, strPInt, strPInt)
	strFunc("reverse", nil, "reverse-function", types.String, 1, 1, strPAny)
	strFunc("strcmp", nil, "strcmp-function", types.Long, 2, 2, strPAny, strPAny)
	strFunc("strrep", nil, "strrep-function", types.String, 2, 3, strPAny, strPLong, strPAny)
	strFunc("translate", nil, "translate-function", types.String, 3, 3, strPStr, strPStr, strPStr)
	strFunc("isempty", nil, "isempty-function", types.Bool, 1, 1, strPAny)
	strFunc("isnotempty", []string{"notempty"}, "isnotempty-function", types.Bool, 1, 1, strPAny)
	strFunc("isutf8", nil, "isutf8-function", types.Bool, 1, 1, strPAny)
	strFunc("isascii", nil, "isascii", types.Bool, 1, 1, strPAny)

	// Concatenation and splitting.
	strFunc("strcat", nil, "strcat-function", types.String, 1, 64, strPAny)
	strFunc("strcat_delim", nil, "strcat-delim-function", types.String, 3, 65, strPAny, strPAny)
	strFunc("strcat_array", nil, "strcat-array-function", types.String, 2, 2, strPDyn, strPAny)
	strFunc("split", nil, "split-function", types.Dynamic, 2, 3, strPAny, strPStr, strPInt)

	// Search.
	strFunc("indexof", nil, "indexof-function", types.Long, 2, 5, strPAny, strPAny, strPInt, strPInt, strPInt)
	strFunc("countof", nil, "countof-function", types.Long, 2, 3, strPStr, strPStr, strPStr)
	strFunc("has_any_index", nil, "has-any-index-function", types.Long, 2, 2, strPStr, strPDyn)

	// Replacement.
	strFunc("replace_string", nil, "replace-string-function", types.String, 3, 3, strPStr, strPStr, strPStr)
	strFunc("replace_strings", nil, "replace-strings-function", types.String, 3, 3, strPStr, strPDyn, strPDyn)

	// Code points.
	strFunc("unicode_codepoints_from_string", []string{"to_utf8"}, "unicode-codepoints-from-string-function", types.Dynamic, 1, 1, strPAny)
	Register(&Func{
		Name: "unicode_codepoints_to_string", Aliases: []string{"make_string"}, Kind: Scalar,
		MinArgs: 1, MaxArgs: -1, Doc: "unicode-codepoints-to-string-function",
		Result: func(args []Arg) (types.Type, error) {
			for i, a := range args {
				if a.Type != types.Unknown && !a.Type.IsInteger() && a.Type != types.Dynamic {
					return types.Unknown, TypeError("unicode_codepoints_to_string", i, "int, long or dynamic", a.Type)
				}
			}
			return types.String, nil
		},
	})

	// Formatting.
	strFunc("tohex", nil, "tohex-function", types.String, 1, 2, strPInt, strPInt)
	strFunc("format_bytes", nil, "format-bytes-function", types.String, 1, 3, strPNum, strPNum, strPStr)

	// parse_command_line(command, "windows").
	strFunc("parse_command_line", nil, "parse-command-line-function", types.Dynamic, 2, 2, strPAny, strPStr)
}
