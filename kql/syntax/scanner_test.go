package syntax

import (
	"regexp"
	"strings"
	"testing"
)

type elt struct {
	tok Token
	lit string
}

// tokenTable lists every token kind at least once, with the spellings that
// matter. Keywords are added from the token table by allTokens.
var tokenTable = []elt{
	// Names.
	{IDENT, "foo"},
	{IDENT, "_x9"},
	{IDENT, "$left"},
	{IDENT, "$right"},
	{IDENT, "2022Cves"}, // Kusto accepts names that start with digits
	{IDENT, "matches"},  // only "matches regex" is an operator
	{IDENT, "regex"},
	{IDENT, "h"},
	{IDENT, "datetime"}, // a type name unless "(" follows at once

	// Numbers and timespans.
	{INT, "0"},
	{INT, "10"},
	{INT, "0x1F"},
	{REAL, "1.5"},
	{REAL, "1e3"},
	{REAL, "2.5E-3"},
	{REAL, "1."},
	{TIMESPAN, "1d"},
	{TIMESPAN, "1.5h"},
	{TIMESPAN, "30m"},
	{TIMESPAN, "10s"},
	{TIMESPAN, "100ms"},
	{TIMESPAN, "5min"},
	{TIMESPAN, "2days"},
	{TIMESPAN, "3hours"},
	{TIMESPAN, "1tick"},
	{TIMESPAN, "7microseconds"},
	{TIMESPAN, "1Min"},

	// Strings.
	{STRING, `"a"`},
	{STRING, `'a'`},
	{STRING, `"a\"b\\c\n\u0041\x41\101"`},
	{STRING, `'it\'s'`},
	{STRING, `@"c:\temp"`},
	{STRING, `@'a''b'`},
	{STRING, `@"a""b"`},
	{STRING, `h"secret"`},
	{STRING, `H'secret'`},
	{STRING, `h@"c:\x"`},
	{STRING, "```multi\nline```"},

	// Typed literals with raw contents.
	{TYPED, "datetime(2024-01-01 10:00:00.5)"},
	{TYPED, "datetime(2024-01-01T10:00:00Z)"},
	{TYPED, "datetime(null)"},
	{TYPED, "date(2024-01-01)"},
	{TYPED, "timespan(1.02:03:04)"},
	{TYPED, "time(15 seconds)"},
	{TYPED, "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)"},
	{TYPED, "int(5)"},
	{TYPED, "long(null)"},
	{TYPED, "real(+inf)"},
	{TYPED, "double(nan)"},
	{TYPED, "bool(true)"},
	{TYPED, "decimal(1.0)"},

	// Keyword forms the scanner builds from several characters.
	{INCI, "in~"},
	{NOTINCI, "!in~"},
	{MATCHESREGEX, "matches regex"},
}

// allTokens returns tokenTable plus every operator and keyword spelled as
// in the token string table.
func allTokens() []elt {
	list := append([]elt(nil), tokenTable...)
	for tok := operatorBeg + 1; tok < operatorEnd; tok++ {
		list = append(list, elt{tok, tok.String()})
	}
	for tok := keywordBeg + 1; tok < keywordEnd; tok++ {
		if int(tok) < len(tokens) && tokens[tok] != "" {
			list = append(list, elt{tok, tok.String()})
		}
	}
	return list
}

func scanAll(t *testing.T, src string) ([]tokenInfo, []string) {
	t.Helper()
	var errs []string
	var s Scanner
	s.Init(NewSource("", src), func(pos, end Pos, msg string) {
		errs = append(errs, msg)
	})
	var toks []tokenInfo
	for {
		pos, tok, lit := s.Scan()
		toks = append(toks, tokenInfo{pos: pos, end: pos + Pos(len(lit)), tok: tok, lit: lit})
		if tok == EOF {
			return toks, errs
		}
		if len(toks) > len(src)+1 {
			t.Fatalf("scanner does not advance on %q", src)
		}
	}
}

// TestScanTokens scans every token kind, separated by blanks, newlines and
// comments, and checks kind, literal and position of each, and that EOF sits
// at len(input).
func TestScanTokens(t *testing.T) {
	list := allTokens()
	seps := []string{" ", "\n", "\t", " // comment\n", "\r\n", "\u00a0", "\u200b"}
	var b strings.Builder
	offsets := make([]int, len(list))
	for i, e := range list {
		b.WriteString(seps[i%len(seps)])
		offsets[i] = b.Len()
		b.WriteString(e.lit)
	}
	b.WriteString("  ")
	src := b.String()
	toks, errs := scanAll(t, src)
	if len(errs) > 0 {
		t.Fatalf("unexpected scanner errors: %v", errs)
	}
	if len(toks) != len(list)+1 {
		t.Fatalf("got %d tokens, want %d", len(toks), len(list)+1)
	}
	seen := map[Token]bool{}
	for i, e := range list {
		got := toks[i]
		seen[e.tok] = true
		if got.tok != e.tok || got.lit != e.lit || got.pos.Offset() != offsets[i] {
			t.Errorf("token %d: got %s %q at %d, want %s %q at %d", i, got.tok, got.lit, got.pos.Offset(), e.tok, e.lit, offsets[i])
		}
	}
	eof := toks[len(toks)-1]
	if eof.tok != EOF || eof.pos.Offset() != len(src) {
		t.Errorf("last token %s at %d, want EOF at %d", eof.tok, eof.pos.Offset(), len(src))
	}
	for tok := ILLEGAL + 1; tok < keywordEnd; tok++ {
		if tok.IsLiteral() || tok.IsOperator() || tok.IsKeyword() {
			if !seen[tok] && int(tok) < len(tokens) && tokens[tok] != "" {
				t.Errorf("token %s is not in the scanner table", tok)
			}
		}
	}
}

func TestScanAdjacent(t *testing.T) {
	// Operators glued together must split as KQL reads them.
	tests := []struct {
		src  string
		want string
	}{
		{"a!=b", "IDENT != IDENT"},
		{"a!~b", "IDENT !~ IDENT"},
		{"a=~b", "IDENT =~ IDENT"},
		{"a<>b", "IDENT <> IDENT"},
		{"a<=b>=c", "IDENT <= IDENT >= IDENT"},
		{"x!has'y'", "IDENT !has STRING"},
		{"x !in~('a')", "IDENT !in~ ( STRING )"},
		{"1..2", "INT .. INT"},
		{"x[1].y", "IDENT [ INT ] . IDENT"},
		{"project-away", "IDENT - IDENT"},
		{"s1: x => y", "IDENT : IDENT => IDENT"},
		{"datetime (2020)", "IDENT ( INT )"},
		{"matches  regex", "IDENT IDENT"},
		{"matches regexp", "IDENT IDENT"},
		{"1d+2h", "TIMESPAN + TIMESPAN"},
		{"x//c\ny", "IDENT IDENT"},
		{"'a''b'", "STRING STRING"},
	}
	for _, tt := range tests {
		toks, errs := scanAll(t, tt.src)
		if len(errs) > 0 {
			t.Errorf("%q: errors %v", tt.src, errs)
		}
		var got []string
		for _, tk := range toks[:len(toks)-1] {
			switch {
			case tk.tok.IsLiteral():
				got = append(got, tk.tok.String())
			default:
				got = append(got, tk.tok.String())
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%q: got %s, want %s", tt.src, g, tt.want)
		}
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		src string
		off int    // expected error offset
		msg string // regexp
	}{
		{`"abc`, 0, "string literal not terminated"},
		{"x = 'abc\ny", 4, "string literal not terminated"},
		{`@"abc`, 0, "string literal not terminated"},
		{"```abc", 0, "multi-line string literal not terminated"},
		{`"a\d"`, 2, `unknown escape sequence '\\d'`},
		{`"\x4g"`, 1, "invalid escape sequence"},
		{`"\u12"`, 1, "invalid escape sequence"},
		{"a # b", 2, "unexpected character '#'"},
		{"a “b", 2, "unexpected character '“'"},
		{"a ! b", 2, "unexpected '!'"},
		{"a !foo b", 2, "unexpected '!'"},
		{"a ~ b", 2, "unexpected character '~'"},
		{"datetime(2020", 0, `datetime literal not terminated`},
		{"1.5abc", 0, `invalid number suffix "abc"`},
		{"\xff", 0, "invalid UTF-8"},
	}
	for _, tt := range tests {
		var got []struct {
			off int
			msg string
		}
		var s Scanner
		s.Init(NewSource("", tt.src), func(pos, end Pos, msg string) {
			got = append(got, struct {
				off int
				msg string
			}{pos.Offset(), msg})
			if end < pos || end.Offset() > len(tt.src) {
				t.Errorf("%q: error span [%d,%d) outside input", tt.src, pos.Offset(), end.Offset())
			}
		})
		for {
			_, tok, _ := s.Scan()
			if tok == EOF {
				break
			}
		}
		if len(got) != 1 {
			t.Errorf("%q: got %d errors %v, want 1", tt.src, len(got), got)
			continue
		}
		if got[0].off != tt.off || !regexp.MustCompile(tt.msg).MatchString(got[0].msg) {
			t.Errorf("%q: got %q at %d, want %q at %d", tt.src, got[0].msg, got[0].off, tt.msg, tt.off)
		}
		if s.ErrorCount != 1 {
			t.Errorf("%q: ErrorCount = %d", tt.src, s.ErrorCount)
		}
	}
}

func TestUnquote(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`"abc"`, "abc"},
		{`'abc'`, "abc"},
		{`"a\tb\nc\\d\"e\'f"`, "a\tb\nc\\d\"e'f"},
		{`"\u0041\x42\103\U0001F600"`, "ABC😀"},
		{`"\a\b\f\v\r\0"`, "\a\b\f\v\r\x00"},
		{`@"c:\temp\x"`, `c:\temp\x`},
		{`@'it''s'`, "it's"},
		{`@"say ""hi"""`, `say "hi"`},
		{`h"secret"`, "secret"},
		{`H@'c:\x'`, `c:\x`},
		{"```a\n\"b\"```", "a\n\"b\""},
		{`""`, ""},
	}
	for _, tt := range tests {
		got, ok := Unquote(tt.raw)
		if !ok || got != tt.want {
			t.Errorf("Unquote(%s) = %q, %v; want %q", tt.raw, got, ok, tt.want)
		}
	}
	for _, bad := range []string{`"abc`, `"\q"`, "```abc", ``, `@`} {
		if _, ok := Unquote(bad); ok {
			t.Errorf("Unquote(%q) ok, want failure", bad)
		}
	}
}

func TestLookup(t *testing.T) {
	for tok := keywordBeg + 1; tok < keywordEnd; tok++ {
		if int(tok) >= len(tokens) || tokens[tok] == "" {
			continue
		}
		if got := Lookup(tok.String()); got != tok {
			t.Errorf("Lookup(%q) = %s", tok.String(), got)
		}
	}
	for _, w := range []string{"where", "And", "HAS", "project", "count"} {
		if got := Lookup(w); got != IDENT {
			t.Errorf("Lookup(%q) = %s, want IDENT", w, got)
		}
	}
	prec := []Token{OR, AND, EQL, ADD, MUL}
	for i := 1; i < len(prec); i++ {
		if prec[i-1].Precedence() >= prec[i].Precedence() {
			t.Errorf("precedence of %s not below %s", prec[i-1], prec[i])
		}
	}
	for _, tok := range []Token{HAS, NOTCONTAINS, IN, BETWEEN, MATCHESREGEX, EQTILDE, LTGT} {
		if tok.Precedence() != EQL.Precedence() {
			t.Errorf("%s precedence %d, want %d", tok, tok.Precedence(), EQL.Precedence())
		}
	}
}
