package types

import (
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// A dynamic value is held in a Go interface with one of these dynamic
// types: nil (null), bool, int64, float64, string, DT (datetime ticks),
// TS (timespan ticks), GuidVal, []any (array) or *Bag (property bag).
// Plain Go types keep the common cases (strings, numbers from JSON) free of
// wrappers; the named types keep datetime and timespan apart from longs.

// DT is a datetime inside a dynamic value.
type DT int64

// TS is a timespan inside a dynamic value.
type TS int64

// GuidVal is a guid: 16 bytes in the textual (big-endian) order.
type GuidVal [16]byte

// Bag is a property bag. It keeps keys in insertion order so that output
// is stable; lookups are linear for small bags and indexed for large ones.
type Bag struct {
	Keys  []string
	Vals  []any
	index map[string]int
}

const bagIndexThreshold = 16

// NewBag returns an empty bag with room for n properties.
func NewBag(n int) *Bag { return &Bag{Keys: make([]string, 0, n), Vals: make([]any, 0, n)} }

// Len returns the number of properties.
func (b *Bag) Len() int { return len(b.Keys) }

// Get returns the value of key k, case-sensitively.
func (b *Bag) Get(k string) (any, bool) {
	if b.index != nil {
		i, ok := b.index[k]
		if !ok {
			return nil, false
		}
		return b.Vals[i], true
	}
	for i, key := range b.Keys {
		if key == k {
			return b.Vals[i], true
		}
	}
	return nil, false
}

// Set adds or replaces property k. Bags are built once and then shared
// read-only, so Set must not be called on a bag another column holds.
func (b *Bag) Set(k string, v any) {
	if b.index != nil {
		if i, ok := b.index[k]; ok {
			b.Vals[i] = v
			return
		}
	} else {
		for i, key := range b.Keys {
			if key == k {
				b.Vals[i] = v
				return
			}
		}
	}
	b.Keys = append(b.Keys, k)
	b.Vals = append(b.Vals, v)
	if b.index != nil {
		b.index[k] = len(b.Keys) - 1
	} else if len(b.Keys) > bagIndexThreshold {
		b.index = make(map[string]int, len(b.Keys))
		for i, key := range b.Keys {
			b.index[key] = i
		}
	}
}

// Delete removes property k if present.
func (b *Bag) Delete(k string) {
	for i, key := range b.Keys {
		if key == k {
			b.Keys = append(b.Keys[:i:i], b.Keys[i+1:]...)
			b.Vals = append(b.Vals[:i:i], b.Vals[i+1:]...)
			b.index = nil
			if len(b.Keys) > bagIndexThreshold {
				b.index = make(map[string]int, len(b.Keys))
				for j, kk := range b.Keys {
					b.index[kk] = j
				}
			}
			return
		}
	}
}

// Clone returns a shallow copy of b that may be modified.
func (b *Bag) Clone() *Bag {
	c := &Bag{Keys: append([]string(nil), b.Keys...), Vals: append([]any(nil), b.Vals...)}
	if b.index != nil {
		c.index = make(map[string]int, len(b.index))
		for k, v := range b.index {
			c.index[k] = v
		}
	}
	return c
}

// SortedKeys returns the keys in ascending order.
func (b *Bag) SortedKeys() []string {
	ks := append([]string(nil), b.Keys...)
	sort.Strings(ks)
	return ks
}

// DynString returns the text tostring() gives a dynamic value: a string
// is its own text, null is "", anything else is compact JSON.
func DynString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatReal(x)
	case DT:
		return FormatDatetime(int64(x))
	case TS:
		return FormatTimespan(int64(x))
	case GuidVal:
		return FormatGuid(x)
	}
	return string(AppendJSON(nil, v))
}

// AppendJSON appends the compact JSON text of dynamic value v.
func AppendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return AppendJSONReal(b, x)
	case string:
		return AppendJSONString(b, x)
	case DT:
		b = append(b, '"')
		b = AppendDatetime(b, int64(x))
		return append(b, '"')
	case TS:
		b = append(b, '"')
		b = AppendTimespan(b, int64(x))
		return append(b, '"')
	case GuidVal:
		return append(append(append(b, '"'), FormatGuid(x)...), '"')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSON(b, e)
		}
		return append(b, ']')
	case *Bag:
		b = append(b, '{')
		for i, k := range x.Keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, k)
			b = append(b, ':')
			b = AppendJSON(b, x.Vals[i])
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

// FormatReal renders a real the way Kusto prints it in text: the shortest
// decimal that reads back to the same value, "NaN", "Infinity" or
// "-Infinity".
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.FormatFloat(f, 'E', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// AppendJSONReal appends a real as a JSON number; NaN and the infinities,
// which JSON cannot hold, become strings.
func AppendJSONReal(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(append(append(b, '"'), FormatReal(f)...), '"')
	}
	return append(b, FormatReal(f)...)
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal. Invalid UTF-8 is
// replaced by U+FFFD so the output is always valid JSON.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// FormatGuid renders a guid in the canonical lower-case 8-4-4-4-12 form.
func FormatGuid(g GuidVal) string {
	var buf [36]byte
	j := 0
	for i, c := range g {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf[j] = '-'
			j++
		}
		buf[j] = hexDigits[c>>4]
		buf[j+1] = hexDigits[c&0xF]
		j += 2
	}
	return string(buf[:])
}

// ParseGuid parses the 8-4-4-4-12 form (optionally in braces) or 32 bare
// hex digits.
func ParseGuid(s string) (GuidVal, bool) {
	var g GuidVal
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			if len(s) != 36 || (i != 8 && i != 13 && i != 18 && i != 23) {
				return g, false
			}
			continue
		}
		v, ok := unhex(c)
		if !ok || j >= 32 {
			return g, false
		}
		if j%2 == 0 {
			g[j/2] = v << 4
		} else {
			g[j/2] |= v
		}
		j++
	}
	if j != 32 || (len(s) != 36 && len(s) != 32) {
		return g, false
	}
	return g, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
