package source

import (
	"bytes"
	"math"
	"strconv"

	"hunt/kql/types"
)

// trimText drops the ASCII white space around a textual value; CSV writers
// and hand-edited JSON sometimes pad numbers.
func trimText(b []byte) []byte {
	for len(b) > 0 && isWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// parseIntText converts an integer, or a real with no fraction ("3.0",
// "1e3"), to int64. int32 limits the result to KQL's int range.
func parseIntText(b []byte, int32Only bool) (int64, bool) {
	b = trimText(b)
	v, ok := parseDecimalInt(b)
	if !ok {
		if !isDecimalReal(b) {
			return 0, false
		}
		f, err := strconv.ParseFloat(tmpString(b), 64)
		if err != nil || f != math.Trunc(f) || f < -9.223372036854775808e18 || f >= 9.223372036854775808e18 {
			return 0, false
		}
		v, ok = int64(f), true
	}
	if int32Only && (v < math.MinInt32 || v > math.MaxInt32) {
		return 0, false
	}
	return v, ok
}

// parseDecimalInt parses [+-]digits without allocating; strconv is used
// only for the rare 19-digit case where overflow must be checked.
func parseDecimalInt(b []byte) (int64, bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	if i >= len(b) {
		return 0, false
	}
	if len(b)-i > 18 {
		for _, c := range b[i:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		v, err := strconv.ParseInt(tmpString(b), 10, 64)
		return v, err == nil
	}
	var v int64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// isDecimalReal checks [+-](digits[.digits]|.digits)([eE][+-]digits):
// strconv.ParseFloat alone would also take hex floats and underscores,
// which no log writer means as numbers.
func isDecimalReal(b []byte) bool {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	digits := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
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

// parseRealText converts a decimal number or NaN/Infinity/-Infinity (the
// spellings Kusto writes) to float64. Out-of-range values become ±Inf as
// in kql/types.ParseJSON.
func parseRealText(b []byte) (float64, bool) {
	b = trimText(b)
	if v, ok := parseDecimalInt(b); ok && len(b) <= 16 {
		return float64(v), true
	}
	if isDecimalReal(b) {
		f, err := strconv.ParseFloat(tmpString(b), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return f, true
			}
			return 0, false
		}
		return f, true
	}
	switch {
	case equalFoldASCII(b, "nan"):
		return math.NaN(), true
	case equalFoldASCII(b, "infinity"), equalFoldASCII(b, "+infinity"):
		return math.Inf(1), true
	case equalFoldASCII(b, "-infinity"):
		return math.Inf(-1), true
	}
	return 0, false
}

// parseBoolText accepts true/false in any case and 1/0.
func parseBoolText(b []byte) (bool, bool) {
	b = trimText(b)
	switch {
	case equalFoldASCII(b, "true"), string(b) == "1":
		return true, true
	case equalFoldASCII(b, "false"), string(b) == "0":
		return false, true
	}
	return false, false
}

// parseBoolNumber accepts a JSON number equal to 1 or 0.
func parseBoolNumber(b []byte) (bool, bool) {
	v, ok := parseIntText(b, false)
	if !ok || (v != 0 && v != 1) {
		return false, false
	}
	return v == 1, true
}

func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// jsonNumberValue returns a JSON number the way kql/types.ParseJSON does,
// so a number in a dynamic column reads the same whether the column came
// from a JSON value or a CSV cell: int64 when it is written without
// fraction or exponent and fits, else float64.
func jsonNumberValue(b []byte) any {
	if v, ok := parseDecimalInt(b); ok && (len(b) == 0 || b[0] != '+') {
		return v
	}
	if f, ok := parseRealText(b); ok {
		return f
	}
	return nil
}

// looksISODateTime reports whether s is an ISO 8601 date with a time of
// day ("2026-01-31T10:00:00Z", "2026-01-31 10:00"). Schema inference asks
// for the time part so that bare dates, often meant as text, stay strings.
func looksISODateTime(s []byte) bool {
	s = trimText(s)
	if len(s) < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' {
		return false
	}
	_, ok := types.ParseDatetime(tmpString(s))
	return ok
}

// startsLikeJSONContainer reports whether text, after white space, begins
// an object or array: only those are parsed when a string meets a dynamic
// column.
func startsLikeJSONContainer(b []byte) bool {
	i := skipWS(b, 0)
	return i < len(b) && (b[i] == '{' || b[i] == '[')
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, bomUTF8) }
