package fn

// parse_csv(), parse_version() and isascii().
//
// Decisions where the reference is silent:
//   - parse_csv reads one record as RFC 4180 does: fields split at
//     commas, a field that starts with a double quote runs to the
//     closing quote with "" standing for one quote and commas and line
//     breaks kept; the record ends at the first line break outside quotes.
//     Text after a closing quote up to the next comma is appended to the
//     field. The empty string gives [""].
//   - parse_version trims surrounding white space; a part with a sign,
//     more than eight digits or no digit makes the result null. The value
//     is part1*10^24 + part2*10^16 + part3*10^8 + part4. Decimals are
//     float64 in hunt, so the value keeps about 16 significant digits:
//     versions that differ only in the third or fourth part compare equal
//     when the first part is not zero.
//   - isascii is true when every byte of the text is below 128 (the
//     empty string included); null gives false.

import (
	"strings"

	"hunt/engine/vec"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("parse_csv", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Dyns = append(out.Dyns, parseCSVRecord(strText(a[0], i)))
		return nil
	})))
	RegisterScalar("parse_version", strFixed(strEach(types.Decimal, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, ok := parseVersion(strText(a[0], i))
		out.Reals = append(out.Reals, v)
		if !ok || (a[0].Type != types.String && a[0].IsNull(i)) {
			out.SetNull(len(out.Reals) - 1)
		}
		return nil
	})))
	RegisterScalar("isascii", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Bools = append(out.Bools, !(a[0].Type != types.String && a[0].IsNull(i)) && strIsASCII(strText(a[0], i)))
		return nil
	})))
}

// parseCSVRecord splits the first CSV record of s into its fields.
func parseCSVRecord(s string) []any {
	var fields []any
	var b strings.Builder
	i, n := 0, len(s)
	for {
		b.Reset()
		if i < n && s[i] == '"' {
			i++
			for i < n {
				if s[i] == '"' {
					if i+1 < n && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
		}
		for i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r' {
			b.WriteByte(s[i])
			i++
		}
		fields = append(fields, b.String())
		if i < n && s[i] == ',' {
			i++
			continue
		}
		return fields
	}
}

// parseVersion turns "a.b.c.d" (one to four parts of up to eight
// digits) into the comparable number parse_version() returns.
func parseVersion(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var v float64
	scale := 1e24
	for _, p := range parts {
		if len(p) == 0 || len(p) > 8 {
			return 0, false
		}
		x, ok := digitsValue(p)
		if !ok {
			return 0, false
		}
		v += float64(x) * scale
		scale /= 1e8
	}
	return v, true
}

func digitsValue(s string) (int64, bool) {
	var x int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int64(c-'0')
	}
	return x, true
}
