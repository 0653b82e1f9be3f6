package source

import (
	"math"
	"strconv"
	"unsafe"

	"hunt/kql/types"
)

// treeBuilder parses JSON into dynamic values exactly as
// kql/types.ParseJSON does (same numbers, escapes, duplicate keys and
// depth limit; FuzzJSONLines checks this), but faster on log records:
// each object's slices are allocated once at their final size, object
// keys are interned (records repeat them), and short repeated string
// values are shared.
type treeBuilder struct {
	keys interner
	vals boxInterner
	kst  []string // keys of the objects being built
	vst  []any    // values of the objects and arrays being built
	buf  []byte
	dups dupSet
}

const (
	// bagIndexAbove is the size from which bags are built with Set, so
	// that kql/types gives them a lookup index; smaller bags are built
	// directly and searched linearly, which is as fast at these sizes.
	bagIndexAbove = 64
)

func newTreeBuilder() *treeBuilder {
	return &treeBuilder{keys: interner{always: true}}
}

// parse parses one JSON value filling b (white space around it allowed).
func (tb *treeBuilder) parse(b []byte) (any, error) { return tb.parsePaths(b, nil) }

// parsePaths is parse keeping only the given keys of an object (all
// when paths is nil).
func (tb *treeBuilder) parsePaths(b []byte, paths []string) (any, error) {
	i := skipWS(b, 0)
	v, i, err := tb.valuePaths(b, i, paths)
	if err != nil {
		return nil, err
	}
	if i = skipWS(b, i); i != len(b) {
		return nil, &syntaxError{i, "unexpected text after value"}
	}
	return v, nil
}

// valuePaths parses the value at b[i]; when it is an object and paths
// is not nil, only members with those keys are built, in the order of
// the object, and the others are skipped without being built or checked.
// The query reads such a column only through those keys, so this gives
// it the same values.
func (tb *treeBuilder) valuePaths(b []byte, i int, paths []string) (any, int, error) {
	if paths != nil && i < len(b) && b[i] == '{' {
		return tb.objectPaths(b, i, paths)
	}
	return tb.value(b, i, 0)
}

func (tb *treeBuilder) objectPaths(b []byte, i int, paths []string) (any, int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return &types.Bag{}, i + 1, nil
	}
	kbase, vbase := len(tb.kst), len(tb.vst)
	defer func() {
		clear(tb.kst[kbase:])
		clear(tb.vst[vbase:])
		tb.kst, tb.vst = tb.kst[:kbase], tb.vst[:vbase]
	}()
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] != '"' {
			return nil, i, &syntaxError{i, "expected string key"}
		}
		content, e, err := tb.strContent(b, i)
		if err != nil {
			return nil, i, err
		}
		want := -1
		for k, p := range paths {
			if string(content) == p {
				want = k
				break
			}
		}
		i = skipWS(b, e)
		if i >= len(b) || b[i] != ':' {
			return nil, i, &syntaxError{i, "expected ':'"}
		}
		i = skipWS(b, i+1)
		if want >= 0 {
			v, e2, err := tb.value(b, i, 1)
			if err != nil {
				return nil, e2, err
			}
			tb.kst = append(tb.kst, paths[want])
			tb.vst = append(tb.vst, v)
			i = e2
		} else {
			kind, e2 := valueEnd(b, i)
			if e2 < 0 {
				return nil, i, valueError(b, i, kind)
			}
			i = e2
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return nil, i, &syntaxError{i, "unexpected end of input in object"}
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			if len(tb.kst) == kbase {
				return &types.Bag{}, i + 1, nil
			}
			return tb.bag(kbase, vbase), i + 1, nil
		default:
			return nil, i, &syntaxError{i, "expected ',' or '}'"}
		}
	}
}

func (tb *treeBuilder) value(b []byte, i, depth int) (any, int, error) {
	if depth > types.MaxJSONDepth {
		return nil, i, types.ErrJSONDepth
	}
	if i >= len(b) {
		return nil, i, &syntaxError{i, "unexpected end of input"}
	}
	switch c := b[i]; {
	case c == '{':
		return tb.object(b, i, depth)
	case c == '[':
		return tb.array(b, i, depth)
	case c == '"':
		content, e, err := tb.strContent(b, i)
		if err != nil {
			return nil, e, err
		}
		return tb.vals.box(content), e, nil
	case c == 't':
		return lit(b, i, "true", true)
	case c == 'f':
		return lit(b, i, "false", false)
	case c == 'n':
		return lit(b, i, "null", nil)
	case c == 'N':
		return lit(b, i, "NaN", math.NaN())
	case c == 'I':
		return lit(b, i, "Infinity", math.Inf(1))
	case c == '-' || (c >= '0' && c <= '9'):
		return number(b, i)
	}
	return nil, i, &syntaxError{i, "unexpected character"}
}

func lit(b []byte, i int, word string, v any) (any, int, error) {
	if len(b)-i >= len(word) && string(b[i:i+len(word)]) == word {
		return v, i + len(word), nil
	}
	return nil, i, &syntaxError{i, "invalid literal"}
}

// number follows kql/types: it takes the run of digits, signs, dots and
// exponents, gives int64 when the run has no fraction, exponent or inner
// sign and fits, and float64 otherwise (±Inf when out of range).
func number(b []byte, i int) (any, int, error) {
	start := i
	if b[i] == '-' {
		i++
		if i < len(b) && b[i] == 'I' {
			if _, e, err := lit(b, i, "Infinity", nil); err == nil {
				return math.Inf(-1), e, nil
			}
			return nil, i, &syntaxError{i, "invalid literal"}
		}
	}
	isFloat := false
	for i < len(b) {
		c := b[i]
		if c >= '0' && c <= '9' {
			i++
			continue
		}
		if c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			isFloat = true
			i++
			continue
		}
		break
	}
	text := b[start:i]
	if !isFloat {
		if v, ok := parseDecimalInt(text); ok && (len(text) == 0 || text[0] != '+') {
			if len(text) <= 18 {
				return v, i, nil
			}
			if v2, err := strconv.ParseInt(tmpString(text), 10, 64); err == nil {
				return v2, i, nil
			}
		}
	}
	f, err := strconv.ParseFloat(tmpString(text), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, i, nil
		}
		return nil, start, &syntaxError{start, "invalid number"}
	}
	return f, i, nil
}

// str decodes the string starting at b[i] through the interner in.
func (tb *treeBuilder) str(b []byte, i int, in *interner) (string, int, error) {
	content, e, err := tb.strContent(b, i)
	if err != nil {
		return "", e, err
	}
	return in.str(content), e, nil
}

// strContent returns the decoded content of the string at b[i], valid
// until the next call.
func (tb *treeBuilder) strContent(b []byte, i int) ([]byte, int, error) {
	e, esc := stringEndEsc(b, i+1)
	if e < 0 {
		return nil, i, &syntaxError{i, "unterminated string"}
	}
	content := b[i+1 : e-1]
	if esc {
		var ok bool
		tb.buf, ok = unescape(tb.buf[:0], content)
		if !ok {
			return nil, i, &syntaxError{i, "invalid escape"}
		}
		content = tb.buf
	}
	return content, e, nil
}

func (tb *treeBuilder) object(b []byte, i, depth int) (any, int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return &types.Bag{}, i + 1, nil
	}
	// Arrays push values only, so the two stacks have their own bases.
	kbase, vbase := len(tb.kst), len(tb.vst)
	defer func() {
		clear(tb.kst[kbase:])
		clear(tb.vst[vbase:])
		tb.kst, tb.vst = tb.kst[:kbase], tb.vst[:vbase]
	}()
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] != '"' {
			return nil, i, &syntaxError{i, "expected string key"}
		}
		k, e, err := tb.str(b, i, &tb.keys)
		if err != nil {
			return nil, i, err
		}
		i = skipWS(b, e)
		if i >= len(b) || b[i] != ':' {
			return nil, i, &syntaxError{i, "expected ':'"}
		}
		i = skipWS(b, i+1)
		v, e2, err := tb.value(b, i, depth+1)
		if err != nil {
			return nil, e2, err
		}
		tb.kst = append(tb.kst, k)
		tb.vst = append(tb.vst, v)
		i = skipWS(b, e2)
		if i >= len(b) {
			return nil, i, &syntaxError{i, "unexpected end of input in object"}
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return tb.bag(kbase, vbase), i + 1, nil
		default:
			return nil, i, &syntaxError{i, "expected ',' or '}'"}
		}
	}
}

// bag builds the object whose members are on the stacks from base. A key
// that repeats keeps its first position and its last value, as Bag.Set
// does.
func (tb *treeBuilder) bag(kbase, vbase int) *types.Bag {
	ks, vs := tb.kst[kbase:], tb.vst[vbase:]
	n := len(ks)
	if n > bagIndexAbove {
		bag := types.NewBag(n)
		for j := range ks {
			bag.Set(ks[j], vs[j])
		}
		return bag
	}
	dup := false
	if n <= 8 {
	outer:
		for j := 1; j < n; j++ {
			for k := 0; k < j; k++ {
				if ks[j] == ks[k] {
					dup = true
					break outer
				}
			}
		}
	} else {
		dup = tb.dups.any(ks)
	}
	if dup {
		bag := types.NewBag(n)
		for j := range ks {
			bag.Set(ks[j], vs[j])
		}
		return bag
	}
	keys := make([]string, n)
	vals := make([]any, n)
	copy(keys, ks)
	copy(vals, vs)
	return &types.Bag{Keys: keys, Vals: vals}
}

func (tb *treeBuilder) array(b []byte, i, depth int) (any, int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return []any{}, i + 1, nil
	}
	base := len(tb.vst)
	defer func() {
		clear(tb.vst[base:])
		tb.vst = tb.vst[:base]
	}()
	for {
		i = skipWS(b, i)
		v, e, err := tb.value(b, i, depth+1)
		if err != nil {
			return nil, e, err
		}
		tb.vst = append(tb.vst, v)
		i = skipWS(b, e)
		if i >= len(b) {
			return nil, i, &syntaxError{i, "unexpected end of input in array"}
		}
		switch b[i] {
		case ',':
			i++
		case ']':
			arr := make([]any, len(tb.vst)-base)
			copy(arr, tb.vst[base:])
			return arr, i + 1, nil
		default:
			return nil, i, &syntaxError{i, "expected ',' or ']'"}
		}
	}
}

// fromText is the dynamic value of text that should hold JSON (a CSV
// cell). Text that does not parse stays a string rather than becoming
// null, so nothing in the cell is lost.
func (tb *treeBuilder) fromText(b []byte, paths []string, keep func([]byte) string) any {
	t := trimText(b)
	if len(t) == 0 {
		return nil
	}
	if v, err := tb.parsePaths(t, paths); err == nil {
		return v
	}
	return keep(b)
}

// boxInterner is an interner for strings stored in dynamic values, which
// keeps them boxed: putting a string in an interface allocates, so a hit
// saves two allocations, the bytes and the box.
type boxInterner struct {
	tab    []boxEntry
	misses int
	hits   int
	off    bool
}

type boxEntry struct {
	s string
	v any
}

func (in *boxInterner) box(b []byte) any {
	if len(b) == 0 {
		return ""
	}
	if in.off || len(b) > internMaxLen {
		return string(b)
	}
	if in.tab == nil {
		in.tab = make([]boxEntry, internSlots)
	}
	h := hashBytes(b) & (internSlots - 1)
	if e := &in.tab[h]; e.v != nil && e.s == string(b) {
		in.hits++
		return e.v
	}
	s := string(b)
	v := any(s)
	in.tab[h] = boxEntry{s, v}
	in.misses++
	if in.misses == internTrial {
		if in.hits < internTrial/4 {
			in.off, in.tab = true, nil
		}
		in.misses, in.hits = 0, 0
	}
	return v
}

// dupSet finds repeated keys in an object. It is an open-addressing set
// of key positions, reset by bumping a generation instead of clearing,
// and it stores no pointers, so checking an object of 35 keys costs less
// than a map would for a handful.
type dupSet struct {
	slots []dupSlot
	gen   uint32
}

type dupSlot struct {
	gen uint32
	h   uint32
	idx int32
}

func (d *dupSet) any(ks []string) bool {
	need := 16
	for need < 2*len(ks) {
		need *= 2
	}
	if len(d.slots) < need {
		d.slots = make([]dupSlot, need)
		d.gen = 0
	}
	if d.gen++; d.gen == 0 {
		clear(d.slots)
		d.gen = 1
	}
	mask := uint32(len(d.slots) - 1)
	for i, k := range ks {
		h := hashBytes(unsafe.Slice(unsafe.StringData(k), len(k)))
		for j := h & mask; ; j = (j + 1) & mask {
			sl := &d.slots[j]
			if sl.gen != d.gen {
				*sl = dupSlot{d.gen, h, int32(i)}
				break
			}
			if sl.h == h && ks[sl.idx] == k {
				return true
			}
		}
	}
	return false
}
