package fn

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- helpers ----------------------------------------------------------------

// strV is one typed argument value.
type strV struct {
	t   types.Type
	v   any
	lit bool // a literal the analyzer always sees as a constant (typeof(T))
}

func strS(s string) strV            { return strV{types.String, s, false} }
func strL(n int64) strV             { return strV{types.Long, n, false} }
func strI(n int64) strV             { return strV{types.Int, n, false} }
func strR(f float64) strV           { return strV{types.Real, f, false} }
func strD(x any) strV               { return strV{types.Dynamic, x, false} }
func strDyn(j string) strV          { return strV{types.Dynamic, strJSON(j), false} }
func strNull(t types.Type) strV     { return strV{t, nil, false} }
func strA(t types.Type, v any) strV { return strV{t, v, false} }
func strT(name string) strV         { return strV{types.String, name, true} }

func strJSON(j string) any {
	v, err := types.ParseJSON([]byte(j))
	if err != nil {
		panic(err)
	}
	return v
}

// strRunMode says how the arguments reach the kernel.
type strRunMode int

const (
	strModeConst   strRunMode = iota // constants known to the factory, constant vectors
	strModeColumns                   // one-row columns, nothing constant
	strModeLate                      // constant vectors the factory did not know (sub-query results)
	strModeWide                      // three-row columns holding the same value
)

// strEval evaluates name over args in one mode and returns the row values.
func strEval(name string, mode strRunMode, args ...strV) ([]any, types.Type, error) {
	f, ok := builtins.Lookup(name)
	if !ok {
		return nil, 0, fmt.Errorf("no builtin %s", name)
	}
	if err := f.CheckCount(len(args)); err != nil {
		return nil, 0, err
	}
	infos := make([]builtins.Arg, len(args))
	for i, a := range args {
		infos[i].Type = a.t
		if mode == strModeConst || a.lit {
			infos[i].Const = true
			infos[i].Value = a.v
		}
	}
	rt, err := f.Result(infos)
	if err != nil {
		return nil, 0, err
	}
	k, err := NewScalar(name, infos, rt)
	if err != nil {
		return nil, rt, err
	}
	n := 1
	if mode == strModeWide {
		n = 3
	}
	vecs := make([]*vec.Vec, len(args))
	for i, a := range args {
		if mode == strModeConst || mode == strModeLate || a.lit {
			vecs[i] = vec.Constant(a.t, a.v)
			continue
		}
		v := vec.New(a.t, n)
		for j := 0; j < n; j++ {
			v.Append(a.v)
		}
		vecs[i] = v
	}
	out, err := k(&Ctx{}, vecs, n)
	if err != nil {
		return nil, rt, err
	}
	if out.Type != rt && !(rt == types.Unknown) {
		return nil, rt, fmt.Errorf("%s: result vector is %s, analyzer said %s", name, out.Type, rt)
	}
	res := make([]any, n)
	for j := 0; j < n; j++ {
		res[j] = out.Get(j)
	}
	if (mode == strModeConst || mode == strModeLate) != out.Const {
		return nil, rt, fmt.Errorf("%s: constant inputs gave Const=%v", name, out.Const)
	}
	return res, rt, nil
}

// strCheck evaluates name in every mode and checks each gives want.
func strCheck(t *testing.T, want any, name string, args ...strV) {
	t.Helper()
	for _, mode := range []strRunMode{strModeConst, strModeColumns, strModeLate, strModeWide} {
		got, _, err := strEval(name, mode, args...)
		if err != nil {
			t.Errorf("%s%v (mode %d): %v", name, strArgsText(args), mode, err)
			return
		}
		for j, g := range got {
			if !strSame(g, want) {
				t.Errorf("%s%v (mode %d, row %d) = %s, want %s", name, strArgsText(args), mode, j, strShow(g), strShow(want))
				return
			}
		}
	}
}

// strErr checks that evaluating name fails with a message containing sub.
func strErr(t *testing.T, sub string, name string, args ...strV) {
	t.Helper()
	_, _, err := strEval(name, strModeConst, args...)
	if err == nil || !strings.Contains(err.Error(), sub) {
		t.Errorf("%s%v: error %v, want one containing %q", name, strArgsText(args), err, sub)
	}
}

func strSame(a, b any) bool {
	if x, ok := a.(int); ok {
		a = int64(x)
	}
	if x, ok := b.(int); ok {
		b = int64(x)
	}
	ab, aok := a.(*types.Bag)
	bb, bok := b.(*types.Bag)
	if aok || bok {
		return aok && bok && string(types.AppendJSON(nil, ab)) == string(types.AppendJSON(nil, bb))
	}
	return reflect.DeepEqual(a, b)
}

func strShow(x any) string {
	switch v := x.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", v)
	case []any, *types.Bag:
		return string(types.AppendJSON(nil, v))
	}
	return fmt.Sprintf("%v (%T)", x, x)
}

func strArgsText(args []strV) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.t.String() + ":" + strShow(a.v)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// ---- string functions ---------------------------------------------------------

func TestStrLengthCase(t *testing.T) {
	strCheck(t, 5, "strlen", strS("hello"))
	strCheck(t, 5, "strlen", strS("⒦⒰⒮⒯⒪"))
	strCheck(t, 8, "strlen", strS("C\u0327edilla"))
	strCheck(t, 0, "strlen", strNull(types.Dynamic))
	strCheck(t, 3, "strlen", strD("abc"))
	strCheck(t, 7, "strlen", strDyn(`{"a":1}`))
	strCheck(t, 5, "string_size", strS("hello"))
	strCheck(t, 15, "string_size", strS("⒦⒰⒮⒯⒪"))
	strCheck(t, "hello", "tolower", strS("HeLLo"))
	strCheck(t, "ÉCOLE", "toupper", strS("école"))
	strCheck(t, "123", "tolower", strL(123))
	strCheck(t, "", "tolower", strNull(types.Long))
	strErr(t, "argument 1 must be string", "strlen", strL(1))
}

func TestStrSubstring(t *testing.T) {
	strCheck(t, "23456", "substring", strS("123456"), strL(1))
	strCheck(t, "34", "substring", strS("123456"), strL(2), strL(2))
	strCheck(t, "AB", "substring", strS("ABCD"), strL(0), strL(2))
	strCheck(t, "56", "substring", strS("123456"), strL(-2), strL(2))
	strCheck(t, "", "substring", strS("123456"), strL(10))
	strCheck(t, "123456", "substring", strS("123456"), strL(-10))
	strCheck(t, "", "substring", strS("123456"), strL(1), strL(-1))
	strCheck(t, "bé", "substring", strS("ébéc"), strL(1), strL(2))
	strCheck(t, "23", "substring", strL(1234), strI(1), strI(2))
	strCheck(t, "", "substring", strS("abc"), strNull(types.Long))
	strErr(t, "argument 2 must be int or long", "substring", strS("abc"), strS("1"))
}

func TestStrReverseCmpRep(t *testing.T) {
	strCheck(t, "ZYXWVUTSRQPONMLKJIHGFEDCBA", "reverse", strS("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	strCheck(t, "54321", "reverse", strL(12345))
	strCheck(t, "54.321", "reverse", strR(123.45))
	dt, _ := types.ParseDatetime("2017-10-15 12:00")
	strCheck(t, "Z0000000.00:00:21T51-01-7102", "reverse", strA(types.DateTime, types.DT(dt)))
	strCheck(t, "00:00:30", "reverse", strA(types.Timespan, types.TS(3*types.TicksPerHour)))
	strCheck(t, "cbé", "reverse", strS("ébc"))
	strCheck(t, 0, "strcmp", strS("ABC"), strS("ABC"))
	strCheck(t, 1, "strcmp", strS("abc"), strS("ABC"))
	strCheck(t, -1, "strcmp", strS("ABC"), strS("abc"))
	strCheck(t, 1, "strcmp", strS("abcde"), strS("abc"))
	strCheck(t, "ABCABC", "strrep", strS("ABC"), strI(2))
	strCheck(t, "123.123.123", "strrep", strL(123), strI(3), strS("."))
	strCheck(t, "00:00:03 00:00:03", "strrep", strA(types.Timespan, types.TS(3*types.TicksPerSecond)), strI(2), strS(" "))
	strCheck(t, "", "strrep", strS("a"), strI(0))
}

func TestStrTranslateEmpty(t *testing.T) {
	strCheck(t, "xxx", "translate", strS("abc"), strS("x"), strS("abc"))
	strCheck(t, "", "translate", strS("abc"), strS(""), strS("ab"))
	strCheck(t, "kusto", "translate", strS("krasp"), strS("otsku"), strS("spark"))
	for _, c := range []struct {
		v    strV
		want bool
	}{
		{strS(""), true}, {strS("x"), false}, {strNull(types.Dynamic), true},
		{strD(""), true}, {strDyn("[]"), false}, {strDyn("{}"), false},
		{strNull(types.Long), true}, {strL(0), false}, {strNull(types.Unknown), true},
	} {
		strCheck(t, c.want, "isempty", c.v)
		strCheck(t, !c.want, "isnotempty", c.v)
		strCheck(t, !c.want, "notempty", c.v)
	}
	strCheck(t, true, "isutf8", strS("some string"))
}

func TestStrConcatSplit(t *testing.T) {
	strCheck(t, "hello world", "strcat", strS("hello"), strS(" "), strS("world"))
	strCheck(t, "a1true", "strcat", strS("a"), strL(1), strA(types.Bool, true))
	strCheck(t, "a", "strcat", strS("a"), strNull(types.Long))
	strCheck(t, `x{"a":[1,"b"]}`, "strcat", strS("x"), strDyn(`{"a":[1,"b"]}`))
	strCheck(t, "1-2-A-00:00:01", "strcat_delim", strS("-"), strL(1), strS("2"), strS("A"), strA(types.Timespan, types.TS(types.TicksPerSecond)))
	strCheck(t, "1->2->3", "strcat_array", strDyn("[1,2,3]"), strS("->"))
	strCheck(t, `1"2"3`, "strcat_array", strDyn("[1,2,3]"), strS(`"`))
	strCheck(t, "a,,b", "strcat_array", strDyn(`["a",null,"b"]`), strS(","))
	strCheck(t, []any{"aa", "bb"}, "split", strS("aa_bb"), strS("_"))
	strCheck(t, []any{"bbb"}, "split", strS("aaa_bbb_ccc"), strS("_"), strI(1))
	strCheck(t, []any{""}, "split", strS(""), strS("_"))
	strCheck(t, []any{"a", "", "b"}, "split", strS("a__b"), strS("_"))
	strCheck(t, []any{"aa", "cc"}, "split", strS("aabbcc"), strS("bb"))
	strCheck(t, []any{}, "split", strS("a_b"), strS("_"), strI(5))
	strCheck(t, []any{"abc"}, "split", strS("abc"), strS(""))
	strErr(t, "1 to 64", "strcat")
	strErr(t, "3 to 65", "strcat_delim", strS("-"), strS("a"))
}

func TestStrIndexOfCountOf(t *testing.T) {
	cases := []struct {
		want any
		args []strV
	}{
		{2, []strV{strS("abcdefg"), strS("cde")}},
		{2, []strV{strS("abcdefg"), strS("cde"), strI(1), strI(4)}},
		{-1, []strV{strS("abcdefg"), strS("cde"), strI(1), strI(2)}},
		{-1, []strV{strS("abcdefg"), strS("cde"), strI(3), strI(4)}},
		{2, []strV{strS("abcdefg"), strS("cde"), strI(-5)}},
		{4, []strV{strL(1234567), strL(5), strI(1), strI(4)}},
		{2, []strV{strS("abcdefg"), strS("cde"), strI(2), strI(-1)}},
		{9, []strV{strS("abcdefgabcdefg"), strS("cde"), strI(1), strI(10), strI(2)}},
		{-1, []strV{strS("abcdefgabcdefg"), strS("cde"), strI(1), strI(-1), strI(3)}},
		{nil, []strV{strS("abc"), strS("b"), strI(0), strI(-2)}},
		{nil, []strV{strS("abc"), strS("b"), strI(0), strI(-1), strI(-1)}},
		{2, []strV{strS("aéb"), strS("b")}},
	}
	for _, c := range cases {
		strCheck(t, c.want, "indexof", c.args...)
	}
	strCheck(t, 3, "countof", strS("aaa"), strS("a"))
	strCheck(t, 3, "countof", strS("aaaa"), strS("aa"))
	strCheck(t, 2, "countof", strS("ababa"), strS("ab"), strS("normal"))
	strCheck(t, 2, "countof", strS("ababa"), strS("aba"))
	strCheck(t, 1, "countof", strS("ababa"), strS("aba"), strS("regex"))
	strCheck(t, 2, "countof", strS("abcabc"), strS("a.c"), strS("regex"))
	strErr(t, "kind must be", "countof", strS("a"), strS("a"), strS("fuzzy"))
}

func TestStrReplace(t *testing.T) {
	strCheck(t, "A magic trick can turn a hamster into a dog", "replace_string",
		strS("A magic trick can turn a cat into a dog"), strS("cat"), strS("hamster"))
	strCheck(t, "Number was 1", "replace_string", strS("Number is 1"), strS("is"), strS("was"))
	strCheck(t, "abc", "replace_string", strS("abc"), strS(""), strS("x"))
	msg := strS("This is an example of using replace_strings()")
	strCheck(t, "This was an example of using replace_strings()", "replace_strings", msg, strDyn(`["This","is"]`), strDyn(`["This","was"]`))
	strCheck(t, "Thwas was an example of using replace_strings()", "replace_strings", msg, strDyn(`["is","This"]`), strDyn(`["was","This"]`))
	strCheck(t, "This was an example of using replace_strings()", "replace_strings", msg, strDyn(`["This","is"]`), strDyn(`[12345,"was"]`))
	strCheck(t, "A magic trick can turn a dog into a pigeon", "replace_strings",
		strS("A magic trick can turn a cat into a dog"), strDyn(`["cat","dog"]`), strDyn(`["dog","pigeon"]`))
	strCheck(t, "A magic trick can disappear a cat", "replace_strings",
		strS("A magic trick can turn a cat into a dog"), strDyn(`["turn"," into a dog"]`), strDyn(`["disappear",""]`))
}

func TestStrCodepointsHexBytes(t *testing.T) {
	strCheck(t, []any{int64(9382), int64(9392), int64(9390), int64(9391), int64(9386)}, "unicode_codepoints_from_string", strS("⒦⒰⒮⒯⒪"))
	strCheck(t, "Kusto", "unicode_codepoints_to_string", strL(75), strL(117), strL(115), strL(116), strL(111))
	strCheck(t, "Kusto", "unicode_codepoints_to_string", strDyn("[75,117,115]"), strL(116), strL(111))
	strCheck(t, "K\nu", "make_string", strL(75), strL(10), strL(117))
	strCheck(t, "", "unicode_codepoints_to_string", strL(-1))
	strCheck(t, "100", "tohex", strL(256))
	strCheck(t, "ffffffffffffff00", "tohex", strL(-256))
	strCheck(t, "ffffff00", "tohex", strI(-256), strI(8))
	strCheck(t, "00000100", "tohex", strL(256), strI(8))
	strCheck(t, "100", "tohex", strL(256), strI(2))
	strCheck(t, "564 Bytes", "format_bytes", strL(564))
	strCheck(t, "10.1 KB", "format_bytes", strL(10332), strI(1))
	strCheck(t, "19 MB", "format_bytes", strL(20010332))
	strCheck(t, "19.08 MB", "format_bytes", strL(20010332), strI(2))
	strCheck(t, "19541 KB", "format_bytes", strL(20010332), strI(0), strS("KB"))
}

func TestStrCommandLine(t *testing.T) {
	cases := []struct {
		in   string
		want []any
	}{
		{`echo "hello world!"`, []any{"echo", "hello world!"}},
		{`"C:\Program Files\a.exe" -x "a b"`, []any{`C:\Program Files\a.exe`, "-x", "a b"}},
		{`a.exe a\\\"b c\d "e\\"`, []any{"a.exe", `a\"b`, `c\d`, `e\`}},
		{`cmd.exe  /c   "x ""y"" z"`, []any{"cmd.exe", "/c", `x "y" z`}},
		{``, []any{}},
	}
	for _, c := range cases {
		strCheck(t, c.want, "parse_command_line", strS(c.in), strS("windows"))
	}
	strErr(t, "windows", "parse_command_line", strS("a"), strS("linux"))
}

// strAllNames lists every builtin this part registers (operators,
// string, regex, encoding and IP functions, with aliases).
var strAllNames = []string{
	"has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs",
	"hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs", "contains", "!contains", "contains_cs",
	"!contains_cs", "notcontains", "containscs", "notcontainscs", "startswith", "!startswith",
	"startswith_cs", "!startswith_cs", "endswith", "!endswith", "endswith_cs", "!endswith_cs",
	"=~", "!~", "matches regex", "has_any", "has_all", "in~", "!in~", "in", "!in",
	"strlen", "string_size", "tolower", "toupper", "substring", "reverse", "strcmp", "strrep",
	"translate", "isempty", "isnotempty", "notempty", "isutf8", "strcat", "strcat_delim",
	"strcat_array", "split", "indexof", "countof", "has_any_index", "replace_string",
	"replace_strings", "unicode_codepoints_from_string", "to_utf8", "unicode_codepoints_to_string",
	"make_string", "tohex", "format_bytes", "parse_command_line",
	"extract", "extract_all", "extractall", "replace_regex", "replace", "trim", "trim_start",
	"trim_end", "indexof_regex", "regex_quote",
	"url_encode", "url_encode_component", "url_decode", "parse_url", "parseurl", "parse_urlquery",
	"parseurlquery", "base64_encode_tostring", "base64_encodestring", "base64_decode_tostring",
	"base64_decodestring", "base64_decode_toarray", "base64_encode_fromarray",
	"base64_encode_fromguid", "base64_decode_toguid", "zlib_decompress_from_base64_string",
	"gzip_decompress_from_base64_string", "hash_md5", "hash_sha1", "hash_sha256", "hash",
	"hash_xxhash64",
	"ipv4_is_private", "ipv4_is_in_range", "ipv4_compare", "ipv4_is_match", "parse_ipv4",
	"parse_ipv4_mask", "ipv4_netmask_suffix", "format_ipv4", "format_ipv4_mask", "ipv6_compare",
	"ipv6_is_match", "parse_ipv6", "parse_ipv6_mask", "ipv6_is_in_range", "ipv4_is_in_any_range",
	"ipv6_is_in_any_range", "has_ipv4", "has_ipv4_prefix", "has_any_ipv4", "has_any_ipv4_prefix",
	"ipv4_range_to_cidr_list", "punycode_from_string", "punycode_to_string",
	"punycode_domain_to_string", "punycode_domain_from_string",
}

func TestStrRegistered(t *testing.T) {
	for _, name := range strAllNames {
		f, ok := builtins.Lookup(name)
		if !ok {
			t.Errorf("%s: no builtin", name)
			continue
		}
		if f.Kind != builtins.Scalar || f.Result == nil {
			t.Errorf("%s: not a scalar with a Result rule", name)
		}
		if !HasKernel(name) {
			t.Errorf("%s: no kernel", name)
		}
	}
	// Operators yield bool for string operands.
	for _, name := range strAllNames[:36] {
		f, _ := builtins.Lookup(name)
		rt, err := f.Result([]builtins.Arg{{Type: types.String}, {Type: types.String}})
		if err != nil || rt != types.Bool {
			t.Errorf("%s(string, string): %v, %v", name, rt, err)
		}
	}
}
