package source

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The functions here walk JSON text in a byte slice without building
// values. Positions are byte indexes into the slice; a negative result
// means the text is malformed at that point. They are lenient where being
// strict would cost a pass over bytes the caller does not use: skipped
// literals are not checked letter by letter and bracket kinds are not
// matched inside skipped values.

// jsonKind is the kind of a JSON value, from its first byte.
type jsonKind uint8

const (
	kindInvalid jsonKind = iota
	kindNull
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

// syntaxError describes malformed JSON at a byte offset of a record.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return "invalid JSON at byte " + strconv.Itoa(e.off+1) + ": " + e.msg
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just past the closing quote of the string
// whose content starts at i (just after its opening quote), or -1.
func stringEnd(b []byte, i int) int {
	for {
		i = nextSpecial(b, i)
		if i >= len(b) {
			return -1
		}
		if b[i] == '"' {
			return i + 1
		}
		i += 2 // the escaped byte cannot end the string
	}
}

// stringEndEsc is stringEnd that also reports whether the string has
// escapes, so callers need not scan it again to decide to unescape.
func stringEndEsc(b []byte, i int) (int, bool) {
	esc := false
	for {
		i = nextSpecial(b, i)
		if i >= len(b) {
			return -1, esc
		}
		if b[i] == '"' {
			return i + 1, esc
		}
		esc = true
		i += 2
	}
}

// nextSpecial returns the index of the first quote or backslash at or
// after i, or len(b). Most strings in logs are short keys and values,
// where testing eight bytes at a time beats calling IndexByte; after 32
// bytes it switches to IndexByte, which is faster on long runs.
func nextSpecial(b []byte, i int) int {
	for k := 0; k < 4 && i+8 <= len(b); k++ {
		x := binary.LittleEndian.Uint64(b[i:])
		if m := hasByte(x, '"') | hasByte(x, '\\'); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	if i+8 <= len(b) {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			q = len(b)
		} else {
			q += i
		}
		if e := bytes.IndexByte(b[i:q], '\\'); e >= 0 {
			return i + e
		}
		return q
	}
	for i < len(b) && b[i] != '"' && b[i] != '\\' {
		i++
	}
	return i
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// hasByte sets the high bit of each byte of x that equals c. Only the
// lowest set bit is exact (borrows can mark bytes above a match), which
// is all stringEnd uses.
func hasByte(x uint64, c byte) uint64 {
	y := x ^ (lowBits * uint64(c))
	return (y - lowBits) &^ y & highBits
}

// delim reports whether c ends a bare literal (number, true, …).
var delim = [256]bool{
	',': true, '}': true, ']': true, ':': true, '"': true, '{': true, '[': true,
	' ': true, '\t': true, '\n': true, '\r': true,
}

// nested is the set of bytes skipNested must look at outside strings.
var nested = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// skipNested returns the index just past the object or array starting at
// b[i], or -1 when it does not end within b. Unrequested nested values
// (RawEventData when a query does not use it) are most of a record, so
// the string scan is inlined here rather than calling stringEnd.
func skipNested(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		c := b[i]
		if !nested[c] {
			i++
			continue
		}
		switch c {
		case '"':
			i++
			for {
				for i+8 <= len(b) {
					x := binary.LittleEndian.Uint64(b[i:])
					if m := hasByte(x, '"') | hasByte(x, '\\'); m != 0 {
						i += bits.TrailingZeros64(m) >> 3
						break
					}
					i += 8
				}
				for i < len(b) && b[i] != '"' && b[i] != '\\' {
					i++
				}
				if i >= len(b) {
					return -1
				}
				if b[i] == '"' {
					break
				}
				i += 2
			}
		case '{', '[':
			depth++
			if depth > maxDepth {
				return -1
			}
		default:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return -1
}

// maxDepth bounds nesting so hostile input cannot make the tree builder
// recurse without end; it matches the kql/types parser's limit.
const maxDepth = 512

// literalEnd returns the end of the bare literal starting at i.
func literalEnd(b []byte, i int) int {
	for i < len(b) && !delim[b[i]] {
		i++
	}
	return i
}

// valueEnd returns the kind of the value starting at b[i] and the index
// just past it. The value is not validated beyond its extent.
func valueEnd(b []byte, i int) (jsonKind, int) {
	if i >= len(b) {
		return kindInvalid, -1
	}
	switch c := b[i]; c {
	case '"':
		return kindString, stringEnd(b, i+1)
	case '{':
		return kindObject, skipNested(b, i)
	case '[':
		return kindArray, skipNested(b, i)
	case 't', 'f':
		return kindBool, literalEnd(b, i)
	case 'n':
		return kindNull, literalEnd(b, i)
	default:
		if c == '-' || c == 'N' || c == 'I' || (c >= '0' && c <= '9') {
			return kindNumber, literalEnd(b, i)
		}
	}
	return kindInvalid, -1
}

// checkLiteral validates a bare literal of the given kind; the kinds come
// from valueEnd's first-byte guess. NaN and Infinity are accepted because
// Kusto's own JSON writer emits them for reals.
func checkLiteral(kind jsonKind, lit []byte) bool {
	switch kind {
	case kindNull:
		return string(lit) == "null"
	case kindBool:
		return string(lit) == "true" || string(lit) == "false"
	case kindNumber:
		return isJSONNumber(lit) || string(lit) == "NaN" || string(lit) == "Infinity" || string(lit) == "-Infinity"
	}
	return false
}

// isJSONNumber checks the JSON number grammar.
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return false
		}
	}
	return i == len(b)
}

// unescape appends the decoded content of a JSON string (without its
// quotes) to dst. ok is false for an invalid escape. Lone surrogates
// become U+FFFD, as in kql/types.
func unescape(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 {
			return append(dst, s[i:]...), true
		}
		dst = append(dst, s[i:i+j]...)
		i += j
		if i+1 >= len(s) {
			return dst, false
		}
		e := s[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i)
			if !ok {
				return dst, false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2, ok := hex4(s, i+2); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							dst = utf8.AppendRune(dst, d)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, false
		}
	}
	return dst, true
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := s[k]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// compactJSON appends b with the white space between tokens removed; the
// tokens themselves are kept byte for byte.
func compactJSON(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c == '"' {
			e := stringEnd(b, i+1)
			if e < 0 {
				return append(dst, b[i:]...)
			}
			dst = append(dst, b[i:e]...)
			i = e
			continue
		}
		if !isWS(c) {
			dst = append(dst, c)
		}
		i++
	}
	return dst
}

// tmpString views b as a string without copying. The result must not
// outlive the next change to b's buffer: use it only for parsing and map
// lookups.
func tmpString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// validJSON checks that b is one well-formed JSON value, without
// allocating. Skipping is lenient; values that are kept as text must not be.
func validJSON(b []byte) error {
	i, err := validValue(b, skipWS(b, 0), 0)
	if err != nil {
		return err
	}
	if j := skipWS(b, i); j != len(b) {
		return &syntaxError{j, "unexpected text after value"}
	}
	return nil
}

func validValue(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return -1, &syntaxError{i, "JSON nested too deeply"}
	}
	kind, e := valueEnd(b, i)
	switch kind {
	case kindInvalid:
		return -1, valueError(b, i, kind)
	case kindString:
		if e < 0 {
			return -1, valueError(b, i, kind)
		}
		if !validEscapes(b[i+1 : e-1]) {
			return -1, &syntaxError{i, "invalid escape in string"}
		}
		return e, nil
	case kindNull, kindBool, kindNumber:
		if !checkLiteral(kind, b[i:e]) {
			return -1, &syntaxError{i, "invalid literal"}
		}
		return e, nil
	}
	closer := byte('}')
	if kind == kindArray {
		closer = ']'
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == closer {
		return i + 1, nil
	}
	for {
		if kind == kindObject {
			if i >= len(b) || b[i] != '"' {
				return -1, &syntaxError{i, "expected a quoted key"}
			}
			ke := stringEnd(b, i+1)
			if ke < 0 || !validEscapes(b[i+1:ke-1]) {
				return -1, &syntaxError{i, "invalid key"}
			}
			i = skipWS(b, ke)
			if i >= len(b) || b[i] != ':' {
				return -1, &syntaxError{i, "expected ':' after key"}
			}
			i = skipWS(b, i+1)
		}
		var err error
		if i, err = validValue(b, i, depth+1); err != nil {
			return -1, err
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return -1, &syntaxError{i, "unexpected end of value"}
		}
		if b[i] == closer {
			return i + 1, nil
		}
		if b[i] != ',' {
			return -1, &syntaxError{i, "expected ',' or '" + string(closer) + "'"}
		}
		i = skipWS(b, i+1)
	}
}

// validEscapes checks the escapes of a string's content.
func validEscapes(s []byte) bool {
	for i := 0; i < len(s); {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 {
			return true
		}
		i += j
		if i+1 >= len(s) {
			return false
		}
		switch s[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if _, ok := hex4(s, i+2); !ok {
				return false
			}
			i += 6
		default:
			return false
		}
	}
	return true
}
