package syntax

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrorHandler receives scanner errors: the range [pos, end) of the bad text
// and a message.
type ErrorHandler func(pos, end Pos, msg string)

// Scanner turns a Source into tokens. The zero value is not usable; call
// Init.
type Scanner struct {
	src  *Source
	text string
	err  ErrorHandler
	off  int // reading offset

	ErrorCount int // number of errors reported
}

// Init prepares s to scan src, reporting errors to err (which may be nil).
func (s *Scanner) Init(src *Source, err ErrorHandler) {
	s.src = src
	s.text = src.Text
	s.err = err
	s.off = 0
	s.ErrorCount = 0
}

func (s *Scanner) error(from, to int, format string, args ...any) {
	s.ErrorCount++
	if s.err != nil {
		s.err(PosOf(from), PosOf(to), fmt.Sprintf(format, args...))
	}
}

// typedLiteralNames lists the typed literals whose parenthesized contents are
// raw text, not tokens:
// datetime(2024-01-01 10:00) must not be split at the blank or the colons.
var typedLiteralNames = map[string]bool{
	"datetime": true, "date": true, "timespan": true, "time": true, "guid": true,
	"int": true, "long": true, "real": true, "double": true, "decimal": true, "bool": true,
}

// timespanUnits lists the suffixes that turn a number into a timespan
// literal, lower-cased; Kusto matches them case-insensitively.
var timespanUnits = map[string]bool{
	"d": true, "day": true, "days": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
	"m": true, "min": true, "minute": true, "minutes": true,
	"s": true, "sec": true, "secs": true, "second": true, "seconds": true,
	"ms": true, "milli": true, "millis": true, "millisecond": true, "milliseconds": true,
	"micro": true, "micros": true, "microsecond": true, "microseconds": true,
	"tick": true, "ticks": true,
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// isIdentChar reports whether c may continue an identifier. Kusto names are
// ASCII only.
func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) }

func (s *Scanner) peek(i int) byte {
	if s.off+i < len(s.text) {
		return s.text[s.off+i]
	}
	return 0
}

// skipSpace skips blanks (including Unicode spaces such as NBSP, which are
// common in queries pasted from web pages) and // comments.
func (s *Scanner) skipSpace() {
	for s.off < len(s.text) {
		c := s.text[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.peek(1) == '/':
			for s.off < len(s.text) && s.text[s.off] != '\n' {
				s.off++
			}
		case c >= utf8.RuneSelf:
			r, w := utf8.DecodeRuneInString(s.text[s.off:])
			if unicode.IsSpace(r) || isInvisible(r) {
				s.off += w
				continue
			}
			return
		default:
			return
		}
	}
}

// isInvisible reports whether r is a zero-width character that Kusto skips
// like a blank (BOM, zero-width space and joiners, word joiner).
func isInvisible(r rune) bool {
	switch r {
	case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060':
		return true
	}
	return false
}

// Scan returns the next token, its position and its literal: the exact
// source text of the token (empty at EOF). At the end of input it returns
// EOF at offset len(Text), again on every further call.
func (s *Scanner) Scan() (pos Pos, tok Token, lit string) {
	s.skipSpace()
	start := s.off
	pos = PosOf(start)
	if s.off >= len(s.text) {
		return pos, EOF, ""
	}
	c := s.text[s.off]
	tok = s.scanToken(c)
	return pos, tok, s.text[start:s.off]
}

func (s *Scanner) scanToken(c byte) Token {
	start := s.off
	switch {
	case isLetter(c) || c == '$':
		return s.scanWord()
	case isDigit(c):
		return s.scanNumber()
	case c == '"' || c == '\'':
		s.scanString(start, false)
		return STRING
	case c == '@' && (s.peek(1) == '"' || s.peek(1) == '\''):
		s.off++
		s.scanString(start, true)
		return STRING
	case c == '`' && strings.HasPrefix(s.text[s.off:], "```"):
		s.off += 3
		if i := strings.Index(s.text[s.off:], "```"); i >= 0 {
			s.off += i + 3
		} else {
			s.off = len(s.text)
			s.error(start, start+3, "multi-line string literal not terminated")
		}
		return STRING
	}
	s.off++
	switch c {
	case '+':
		return ADD
	case '-':
		return SUB
	case '*':
		return MUL
	case '/':
		return QUO
	case '%':
		return REM
	case '|':
		return PIPE
	case ';':
		return SEMI
	case ',':
		return COMMA
	case ':':
		return COLON
	case '(':
		return LPAREN
	case ')':
		return RPAREN
	case '[':
		return LBRACK
	case ']':
		return RBRACK
	case '{':
		return LBRACE
	case '}':
		return RBRACE
	case '.':
		if s.peek(0) == '.' {
			s.off++
			return DOTDOT
		}
		return DOT
	case '=':
		switch s.peek(0) {
		case '=':
			s.off++
			return EQL
		case '~':
			s.off++
			return EQTILDE
		case '>':
			s.off++
			return ARROW
		}
		return ASSIGN
	case '<':
		switch s.peek(0) {
		case '=':
			s.off++
			return LEQ
		case '>':
			s.off++
			return LTGT
		}
		return LSS
	case '>':
		if s.peek(0) == '=' {
			s.off++
			return GEQ
		}
		return GTR
	case '!':
		switch c1 := s.peek(0); {
		case c1 == '=':
			s.off++
			return NEQ
		case c1 == '~':
			s.off++
			return NEQTILDE
		case isLetter(c1):
			end := s.off
			for end < len(s.text) && isIdentChar(s.text[end]) {
				end++
			}
			word := s.text[start:end]
			if word == "!in" && end < len(s.text) && s.text[end] == '~' {
				word, end = "!in~", end+1
			}
			if tok := Lookup(word); tok != IDENT {
				s.off = end
				return tok
			}
		}
		s.error(start, s.off, "unexpected '!'")
		return ILLEGAL
	}
	// Not a known character: consume the whole rune so that multi-byte
	// characters such as curly quotes are reported once.
	s.off = start
	r, w := utf8.DecodeRuneInString(s.text[s.off:])
	s.off += w
	if r == utf8.RuneError && w == 1 {
		s.error(start, s.off, "invalid UTF-8 byte 0x%02x", s.text[start])
	} else {
		s.error(start, s.off, "unexpected character %q", r)
	}
	return ILLEGAL
}

func (s *Scanner) scanWord() Token {
	start := s.off
	s.off++
	for s.off < len(s.text) && isIdentChar(s.text[s.off]) {
		s.off++
	}
	word := s.text[start:s.off]
	next := s.peek(0)
	switch {
	case (word == "h" || word == "H") && (next == '"' || next == '\''):
		s.scanString(start, false)
		return STRING
	case (word == "h" || word == "H") && next == '@' && (s.peek(1) == '"' || s.peek(1) == '\''):
		s.off++
		s.scanString(start, true)
		return STRING
	case next == '(' && typedLiteralNames[word]:
		s.off++
		for s.off < len(s.text) && s.text[s.off] != ')' && s.text[s.off] != '\n' {
			s.off++
		}
		if s.off >= len(s.text) || s.text[s.off] != ')' {
			s.error(start, s.off, "%s literal not terminated: expected ')'", word)
			return TYPED
		}
		s.off++
		return TYPED
	case word == "in" && next == '~':
		s.off++
		return INCI
	case word == "matches" && strings.HasPrefix(s.text[s.off:], " regex") &&
		(s.off+6 >= len(s.text) || !isIdentChar(s.text[s.off+6])):
		s.off += 6
		return MATCHESREGEX
	}
	return Lookup(word)
}

// scanNumber scans 10, 0x1F, 1.5, 1e3, and timespans such as 1d and 1.5h.
func (s *Scanner) scanNumber() Token {
	start := s.off
	if s.text[s.off] == '0' && (s.peek(1) == 'x' || s.peek(1) == 'X') && isHex(s.peek(2)) {
		s.off += 2
		for s.off < len(s.text) && isHex(s.text[s.off]) {
			s.off++
		}
		return s.checkSuffix(start, INT, true)
	}
	tok := INT
	s.digits()
	if s.peek(0) == '.' && isDigit(s.peek(1)) {
		tok = REAL
		s.off++
		s.digits()
	} else if s.peek(0) == '.' && !strings.ContainsRune("$[.'\"@", rune(s.peek(1))) && !isIdentChar(s.peek(1)) {
		// "1." is a real number in Kusto, but "1.x", "1.$", "1.['x']" are
		// member accesses, which the printer writes without blanks.
		tok = REAL
		s.off++
	}
	if c := s.peek(0); c == 'e' || c == 'E' {
		c1 := s.peek(1)
		if isDigit(c1) || (c1 == '+' || c1 == '-') && isDigit(s.peek(2)) {
			tok = REAL
			s.off += 2
			s.digits()
		}
	}
	return s.checkSuffix(start, tok, false)
}

func (s *Scanner) digits() {
	for s.off < len(s.text) && isDigit(s.text[s.off]) {
		s.off++
	}
}

// checkSuffix consumes letters glued to a number. A timespan unit makes the
// token a TIMESPAN. Otherwise an integer with letters is a name: Kusto
// accepts identifiers that start with a digit (let 2022Cves = ...).
func (s *Scanner) checkSuffix(start int, tok Token, hex bool) Token {
	if s.off >= len(s.text) || !isIdentChar(s.text[s.off]) {
		return tok
	}
	ustart := s.off
	for s.off < len(s.text) && isIdentChar(s.text[s.off]) {
		s.off++
	}
	unit := s.text[ustart:s.off]
	if !hex && timespanUnits[strings.ToLower(unit)] {
		return TIMESPAN
	}
	if tok == INT {
		return IDENT
	}
	s.error(start, s.off, "invalid number suffix %q in %s", unit, s.text[start:s.off])
	return tok
}

// scanString scans a quoted string starting at the quote at s.off; start is
// where the literal (with any h or @ prefix) begins. Errors are reported,
// and the token still ends at the line end so that parsing can go on.
func (s *Scanner) scanString(start int, verbatim bool) {
	quote := s.text[s.off]
	s.off++
	for {
		if s.off >= len(s.text) || s.text[s.off] == '\n' {
			s.error(start, s.off, "string literal not terminated")
			return
		}
		c := s.text[s.off]
		switch {
		case c == quote:
			s.off++
			if verbatim && s.peek(0) == quote {
				s.off++
				continue
			}
			return
		case c == '\\' && !verbatim:
			s.scanEscape(quote)
		default:
			s.off++
		}
	}
}

// scanEscape checks one escape sequence at s.off. Kusto rejects unknown
// escapes such as "\d", which usually means a verbatim @"" string was meant.
func (s *Scanner) scanEscape(quote byte) {
	start := s.off
	s.off++ // backslash
	if s.off >= len(s.text) {
		return
	}
	c := s.text[s.off]
	n := 0
	switch c {
	case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '"', '\'':
		s.off++
		return
	case '0', '1', '2', '3', '4', '5', '6', '7':
		for i := 0; i < 3 && s.off < len(s.text) && '0' <= s.text[s.off] && s.text[s.off] <= '7'; i++ {
			s.off++
		}
		return
	case 'x':
		n = 2
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		if c == '\n' {
			s.error(start, s.off, "unknown escape sequence")
			return
		}
		_, w := utf8.DecodeRuneInString(s.text[s.off:])
		s.off += w
		s.error(start, s.off, "unknown escape sequence '%s' (use a verbatim string @\"...\" for regular expressions and paths)", s.text[start:s.off])
		return
	}
	s.off++
	for i := 0; i < n; i++ {
		if s.off >= len(s.text) || !isHex(s.text[s.off]) {
			s.error(start, s.off, "invalid escape sequence '%s'", s.text[start:s.off])
			return
		}
		s.off++
	}
}

// Unquote decodes the raw text of one STRING token: "a\tb", 'x', @"c:\x",
// h"secret", h@'x', ```multi-line```. It reports malformed input (which the
// scanner already flagged) with ok false and decodes what it can.
func Unquote(raw string) (value string, ok bool) {
	if strings.HasPrefix(raw, "```") {
		if len(raw) >= 6 && strings.HasSuffix(raw, "```") {
			return raw[3 : len(raw)-3], true
		}
		return raw[3:], false
	}
	if raw != "" && (raw[0] == 'h' || raw[0] == 'H') {
		raw = raw[1:]
	}
	verbatim := false
	if raw != "" && raw[0] == '@' {
		verbatim = true
		raw = raw[1:]
	}
	if raw == "" {
		return "", false
	}
	quote := raw[0]
	body := raw[1:]
	ok = len(body) > 0 && body[len(body)-1] == quote
	if ok {
		body = body[:len(body)-1]
	}
	if verbatim {
		q := string(quote)
		return strings.ReplaceAll(body, q+q, q), ok
	}
	if !strings.Contains(body, `\`) {
		return body, ok
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, j := 0, i
			for ; j < len(body) && j < i+3 && '0' <= body[j] && body[j] <= '7'; j++ {
				v = v*8 + int(body[j]-'0')
			}
			b.WriteRune(rune(v))
			i = j - 1
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			v, j := 0, i+1
			for ; j < len(body) && j < i+1+n && isHex(body[j]); j++ {
				v = v*16 + hexVal(body[j])
			}
			if j != i+1+n {
				ok = false
			}
			if v > unicode.MaxRune || (0xD800 <= v && v < 0xE000) {
				v = utf8.RuneError
			}
			b.WriteRune(rune(v))
			i = j - 1
		default:
			// '\\', '"', '\'' and unknown escapes (already reported).
			if e != '\\' && e != '"' && e != '\'' {
				ok = false
			}
			b.WriteByte(e)
		}
	}
	return b.String(), ok
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}
