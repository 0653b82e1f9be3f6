package fn

import (
	"testing"

	"hunt/kql/types"
)

func TestStrRegexTranslate(t *testing.T) {
	cases := []struct {
		in, match string
		want      bool
	}{
		{`\d+`, "٣", true}, // ARABIC-INDIC DIGIT THREE is \p{Nd}
		{`^\w+$`, "café", true},
		{`^\W$`, "é", false},
		{`^[\w]+$`, "naïve", true},
		{`^\s$`, "\u00a0", true},
		{`^\s$`, "\v", true},
		{`^\S$`, "\u00a0", false},
		{`^[\d]$`, "٣", true},
		{`\u0041`, "A", true},
		{`\u{41}`, "A", true},
		{`\U00000041`, "A", true},
		{`(?u)a`, "a", true},
		{`(?iu)A`, "a", true},
		{`(?-u:\b)x`, " x", true},
		{`\<ab\>`, "x ab y", true},
		{`\b{start}ab`, "x ab", true},
		{`[[:alpha:]]+`, "abc", true},
		{`[]a]`, "]", true},
		{`[^]a]`, "]", false},
		{`(?P<x>a)(?<y>b)`, "ab", true},
		{`a\.b`, "a.b", true},
		{`a\.b`, "axb", false},
	}
	for _, c := range cases {
		re, err := strRegex(c.in)
		if err != nil {
			t.Errorf("strRegex(%q): %v", c.in, err)
			continue
		}
		if got := re.MatchString(c.match); got != c.want {
			t.Errorf("%q (as %q) matching %q = %v, want %v", c.in, re.String(), c.match, got, c.want)
		}
	}
	if _, err := strRegex(`(`); err == nil {
		t.Error("strRegex(`(`) succeeded")
	}
}

func TestStrExtract(t *testing.T) {
	text1 := strS("User: James, Email: James@example.com, Age: 29")
	text2 := strS("User: David, Age: 35")
	strCheck(t, "James", "extract", strS("User: ([^,]+)"), strL(1), text1)
	strCheck(t, "James@example.com", "extract", strS(`Email: (\S+),`), strL(1), text1)
	strCheck(t, "", "extract", strS(`Email: (\S+),`), strL(1), text2)
	strCheck(t, "29", "extract", strS(`\d+`), strL(0), text1)
	strCheck(t, "35", "extract", strS(`\d+`), strL(0), text2)
	strCheck(t, "", "extract", strS(`(a)`), strL(2), strS("a"))
	strCheck(t, "", "extract", strS(`(a)|(b)`), strL(2), strS("a"))
	for in, want := range map[string]any{"15-12-2024": int64(12), "21-07-2023": int64(7), "x": nil} {
		strCheck(t, want, "extract", strS(`-(\d{2})-`), strL(1), strS(in), strT("int"))
	}
	strCheck(t, 1.5, "extract", strS(`v=(\S+)`), strL(1), strS("v=1.5"), strT("typeof(real)"))
	strCheck(t, types.TS(2*types.TicksPerHour), "extract", strS(`t=(\S+)`), strL(1), strS("t=02:00:00"), strT("timespan"))
	strErr(t, "type literal", "extract", strS("a"), strL(0), strS("a"), strT("nosuchtype"))
	strErr(t, "invalid regular expression", "extract", strS("("), strL(0), strS("a"))

	id := strS("82b8be2d-dfa7-4bd1-8f63-24ad26d31449")
	strCheck(t, []any{"123", "567", "789"}, "extract_all", strS(`(\d+)`), strS("a set of numbers: 123, 567 and 789"))
	strCheck(t, strJSON(`["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]`), "extract_all", strS(`([\da-f]{2})`), id)
	strCheck(t, strJSON(`[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`), "extract_all", strS(`(\w)(\w+)(\w)`), id)
	strCheck(t, strJSON(`[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]`), "extractall", strS(`(\w)(\w+)(\w)`), strDyn(`[1,3]`), id)
	strCheck(t, strJSON(`[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`), "extract_all",
		strS(`(?P<first>\w)(?P<middle>\w+)(?P<last>\w)`), strDyn(`["first",2,"last"]`), id)
	strCheck(t, nil, "extract_all", strS(`(\d+)`), strS("none"))
	strErr(t, "out of range", "extract_all", strS(`(\d)`), strDyn(`[2]`), strS("1"))
}

func TestStrReplaceTrimRegex(t *testing.T) {
	strCheck(t, "Number was: 1", "replace_regex", strS("Number is 1"), strS(`is (\d+)`), strS(`was: \1`))
	strCheck(t, "-a-b-", "replace_regex", strS("ab"), strS(`x*`), strS(`-`))
	strCheck(t, `C:\Users\userxx\AppData`, "replace", strS(`(C|D):\\Users\\.*?\\`), strS(`C:\\Users\\userxx\\`), strS(`C:\Users\bob\AppData`))
	strCheck(t, "c:", "replace", strS(`(\w:)\\.*`), strS(`\1`), strS(`c:\windows\x.exe`))
	strCheck(t, "a$1b", "replace_regex", strS("axb"), strS("x"), strS("$1"))
	strCheck(t, "x", "replace", strS("^::ffff:"), strS(""), strS("::ffff:x"))

	strCheck(t, "https://bing.com", "trim", strS("--"), strS("--https://bing.com--"))
	strCheck(t, "Te st1", "trim", strS(`[^\w]+`), strS("-  Te st1// $"))
	strCheck(t, "Hello, world!", "trim", strS(`\s+`), strS("    Hello, world!    "))
	strCheck(t, "bing.com", "trim_start", strS("https://"), strS("https://bing.com"))
	strCheck(t, "Te st1// $", "trim_start", strS(`[^\w]+`), strS("-  Te st1// $"))
	strCheck(t, "Hello, world!    ", "trim_start", strS(`\s+`), strS("    Hello, world!    "))
	strCheck(t, "bing", "trim_end", strS(".com"), strS("bing.com"))
	strCheck(t, "-  Te st1", "trim_end", strS(`[^\w]+`), strS("-  Te st1// $"))
	strCheck(t, "    Hello, world!", "trim_end", strS(`\s+`), strS("    Hello, world!    "))
	strCheck(t, "x", "trim", strS("ab"), strS("ababxabab"))
	strCheck(t, "abc", "trim", strS(""), strS("abc"))

	strCheck(t, 0, "indexof_regex", strS("abcabc"), strS("a.c"))
	strCheck(t, 3, "indexof_regex", strS("abcabcdefg"), strS("a.c"), strL(0), strL(9), strL(2))
	strCheck(t, -1, "indexof_regex", strS("abcabc"), strS("a.c"), strL(1), strL(-1), strL(2))
	strCheck(t, -1, "indexof_regex", strS("ababaa"), strS("a.a"), strL(0), strL(-1), strL(2))
	strCheck(t, nil, "indexof_regex", strS("abcabc"), strS("a|ab"), strL(-1))

	strCheck(t, `\(so\$me\.Te\^xt\)`, "regex_quote", strS("(so$me.Te^xt)"))
	strCheck(t, true, "matches regex", strS("(so$me.Te^xt)"), strS(`^\(so\$me\.Te\^xt\)$`))
	strCheck(t, true, "matches regex", strS("a#b&c-d~e"), strS(`^a\#b\&c\-d\~e$`))
	strCheck(t, true, "matches regex", strS("KANSAS"), strS("K.*S"))
	strCheck(t, false, "matches regex", strS("kansas"), strS("K.*S"))
	strCheck(t, true, "matches regex", strS("kansas"), strS("(?i)K.*S"))
}
