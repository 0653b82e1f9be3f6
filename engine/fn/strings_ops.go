package fn

// String operators: the has family, contains, startswith, endswith, =~,
// matches regex, and the list operators has_any, has_all, in, in~.
//
// Semantics (semantics.md D.1, D.2, D.7 and the operator pages):
//   - The left operand is read as text with tostring() semantics (a
//     dynamic null is "", so `null has "x"` is false and `null !has "x"`
//     true). These operators never return null, except in/!in as below.
//   - has(H, N) is true iff N occurs in H, ignoring case, at an offset
//     where, if N starts with an alphanumeric character, the character
//     before is not alphanumeric (or H starts there), and if N ends with
//     one, the character after is not (or H ends there). So a term needle
//     matches whole terms only and a needle with punctuation matches
//     literally at term boundaries. hasprefix keeps only the first
//     condition, hassuffix only the second. See strings.go for what
//     "alphanumeric" and "ignoring case" mean.
//   - An empty needle matches at offset 0 with no boundary condition, so
//     `x has ""`, `x contains ""`, `x startswith ""` are all true (the
//     pages do not say; this is the documented decision, consistent
//     across the family). A null element of a has_any/has_all list is
//     skipped.
//   - has_any over an empty list is false; has_all over an empty list is
//     true. hunt does not cap the number of distinct values (Kusto
//     considers up to 10,000 for has_any and 256 for has_all).
//   - in / !in behave as an OR of == / an AND of != (null-values page):
//     a null left value gives false (in) / true (!in), or null when the
//     list holds a null. Elements are compared in the left operand's type:
//     numbers by value (int, long and real mixed), strings exactly,
//     datetime/timespan/guid/bool by value; a string element compared with
//     a non-string left value is parsed as that type, and a non-string
//     element compared with a string left value is converted with
//     tostring(). A dynamic left value compares numbers by value and
//     anything else by its text.
//   - in~ / !in~ compare the texts ignoring case; they never return null.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- needles ------------------------------------------------------------

// strNeedle is a compiled right operand of a string operator.
type strNeedle struct {
	raw   string // as given: case-sensitive matching
	fold  string // folded: case-insensitive matching
	runes []rune // folded runes, when fold is not ASCII
	cs    bool   // case-sensitive
	ascii bool   // fold is ASCII
	// ks is set when an ASCII needle holds 'k' or 's', the only ASCII
	// letters a non-ASCII rune folds to (KELVIN SIGN, LATIN SMALL LONG S);
	// without them an ASCII needle can only match ASCII bytes, byte for
	// byte. firstKS is set when the first character is one of them.
	ks, firstKS bool
	// anchor is the offset in fold of a byte that is not a letter (so has
	// one case only), searched for with strings.IndexByte; -1 if none.
	anchor     int
	startAlnum bool
	endAlnum   bool
	term       bool // non-empty and all alphanumeric
}

func strMakeNeedle(s string, cs bool) *strNeedle {
	n := &strNeedle{raw: s, cs: cs, anchor: -1}
	if s != "" {
		r, _ := utf8.DecodeRuneInString(s)
		n.startAlnum = strAlnumRune(r)
		r, _ = utf8.DecodeLastRuneInString(s)
		n.endAlnum = strAlnumRune(r)
		n.term = true
		for _, r := range s {
			if !strAlnumRune(r) {
				n.term = false
				break
			}
		}
	}
	if !cs {
		n.fold = string(strAppendFold(nil, s))
		n.ascii = strIsASCII(n.fold)
		if n.ascii {
			n.ks = strings.ContainsAny(n.fold, "ks")
			n.firstKS = n.fold != "" && (n.fold[0] == 'k' || n.fold[0] == 's')
			if !n.ks {
				digit := -1
				for i := 0; i < len(n.fold); i++ {
					c := n.fold[i]
					if c >= 'a' && c <= 'z' {
						continue
					}
					if c >= '0' && c <= '9' {
						if digit < 0 {
							digit = i
						}
						continue
					}
					n.anchor = i // punctuation: rarer than digits
					break
				}
				if n.anchor < 0 {
					n.anchor = digit
				}
			}
		} else {
			n.runes = []rune(n.fold)
		}
	}
	return n
}

// matchAt reports whether the needle matches h at byte offset p and
// returns the end offset of the match.
func (n *strNeedle) matchAt(h string, p int) (int, bool) {
	if n.cs {
		if strings.HasPrefix(h[p:], n.raw) {
			return p + len(n.raw), true
		}
		return 0, false
	}
	if n.ascii {
		f := n.fold
		for j := 0; j < len(f); j++ {
			if p >= len(h) {
				return 0, false
			}
			c := h[p]
			if c < utf8.RuneSelf {
				if strLowerASCII(c) != f[j] {
					return 0, false
				}
				p++
				continue
			}
			if !n.ks {
				return 0, false
			}
			r, size := utf8.DecodeRuneInString(h[p:])
			if strFoldRune(r) != rune(f[j]) {
				return 0, false
			}
			p += size
		}
		return p, true
	}
	for _, fr := range n.runes {
		if p >= len(h) {
			return 0, false
		}
		c := h[p]
		if c < utf8.RuneSelf {
			if rune(strLowerASCII(c)) != fr {
				return 0, false
			}
			p++
			continue
		}
		r, size := utf8.DecodeRuneInString(h[p:])
		if strFoldRune(r) != fr {
			return 0, false
		}
		p += size
	}
	return p, true
}

// find returns the first match at or after byte offset from, or -1.
func (n *strNeedle) find(h string, from int) (int, int) {
	if from > len(h) {
		return -1, 0
	}
	if n.cs {
		j := strings.Index(h[from:], n.raw)
		if j < 0 {
			return -1, 0
		}
		return from + j, from + j + len(n.raw)
	}
	if !n.ascii {
		for i := from; i < len(h); {
			if e, ok := n.matchAt(h, i); ok {
				return i, e
			}
			_, size := utf8.DecodeRuneInString(h[i:])
			i += size
		}
		return -1, 0
	}
	f := n.fold
	if f == "" {
		return from, from
	}
	if n.anchor >= 0 {
		// Without k or s the needle matches ASCII bytes only, so the
		// anchor byte sits at a fixed offset from the match start.
		off, ab := n.anchor, f[n.anchor]
		for p := from + off; p < len(h); p++ {
			j := strings.IndexByte(h[p:], ab)
			if j < 0 {
				return -1, 0
			}
			p += j
			if e, ok := n.matchAt(h, p-off); ok {
				return p - off, e
			}
		}
		return -1, 0
	}
	c0 := f[0]
	up := c0 - ('a' - 'A') // f is all letters here unless ks is set
	if !n.ks && len(h)-from >= 48 {
		// Long text: two vectorized scans for the two cases of the first
		// letter, always extending the one that is behind.
		lo, hi := -2, -2
		for p := from; ; {
			if lo != -1 && lo < p {
				if lo = strings.IndexByte(h[p:], c0); lo >= 0 {
					lo += p
				}
			}
			if hi != -1 && hi < p {
				if hi = strings.IndexByte(h[p:], up); hi >= 0 {
					hi += p
				}
			}
			s := lo
			if s < 0 || (hi >= 0 && hi < s) {
				s = hi
			}
			if s < 0 {
				return -1, 0
			}
			if e, ok := n.matchAt(h, s); ok {
				return s, e
			}
			p = s + 1
		}
	}
	if c0 < 'a' || c0 > 'z' {
		up = c0
	}
	for i := from; i < len(h); i++ {
		c := h[i]
		if c == c0 || c == up || (n.firstKS && c >= 0xC0) {
			if e, ok := n.matchAt(h, i); ok {
				return i, e
			}
		}
	}
	return -1, 0
}

// next returns where to search again after a rejected match at s.
func (n *strNeedle) next(h string, s int) int {
	if s < len(h) && h[s] >= utf8.RuneSelf {
		_, size := utf8.DecodeRuneInString(h[s:])
		return s + size
	}
	return s + 1
}

// bounded finds a match satisfying the requested term boundaries.
func (n *strNeedle) bounded(h string, start, end bool) bool {
	start = start && n.startAlnum
	end = end && n.endAlnum
	for from := 0; from <= len(h); {
		s, e := n.find(h, from)
		if s < 0 {
			return false
		}
		if (!start || !strAlnumBefore(h, s)) && (!end || !strAlnumAt(h, e)) {
			return true
		}
		from = n.next(h, s)
	}
	return false
}

func (n *strNeedle) has(h string) bool       { return n.bounded(h, true, true) }
func (n *strNeedle) hasPrefix(h string) bool { return n.bounded(h, true, false) }
func (n *strNeedle) hasSuffix(h string) bool { return n.bounded(h, false, true) }
func (n *strNeedle) contains(h string) bool  { s, _ := n.find(h, 0); return s >= 0 }
func (n *strNeedle) startsWith(h string) bool {
	_, ok := n.matchAt(h, 0)
	return ok
}

func (n *strNeedle) endsWith(h string) bool {
	if n.cs {
		return strings.HasSuffix(h, n.raw)
	}
	p := len(h)
	if n.ascii {
		f := n.fold
		for j := len(f) - 1; j >= 0; j-- {
			if p == 0 {
				return false
			}
			c := h[p-1]
			if c < utf8.RuneSelf {
				if strLowerASCII(c) != f[j] {
					return false
				}
				p--
				continue
			}
			r, size := utf8.DecodeLastRuneInString(h[:p])
			if strFoldRune(r) != rune(f[j]) {
				return false
			}
			p -= size
		}
		return true
	}
	for j := len(n.runes) - 1; j >= 0; j-- {
		if p == 0 {
			return false
		}
		r, size := utf8.DecodeLastRuneInString(h[:p])
		if strFoldRune(r) != n.runes[j] {
			return false
		}
		p -= size
	}
	return true
}

// ---- binary string operators ------------------------------------------------

// strPred is a compiled predicate of one operator and right operand.
type strPred func(h string) bool

type strBinOp struct {
	name   string
	negate bool
	// build compiles the right operand.
	build func(right string) (strPred, error)
}

// strNeedle predicates, selected by strNeedleOp.
const (
	strOpHas = iota
	strOpHasPrefix
	strOpHasSuffix
	strOpContains
	strOpStartsWith
	strOpEndsWith
)

func strNeedleOp(cs bool, op int) func(string) (strPred, error) {
	return func(right string) (strPred, error) {
		n := strMakeNeedle(right, cs)
		switch op {
		case strOpHas:
			return n.has, nil
		case strOpHasPrefix:
			return n.hasPrefix, nil
		case strOpHasSuffix:
			return n.hasSuffix, nil
		case strOpContains:
			return n.contains, nil
		case strOpStartsWith:
			return n.startsWith, nil
		}
		return n.endsWith, nil
	}
}

func strEqFold(right string) (strPred, error) {
	return func(h string) bool { return strings.EqualFold(h, right) }, nil
}

func strMatchesRegex(right string) (strPred, error) {
	re, err := strRegex(right)
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

// strPredCache remembers the predicate of the last right operand seen at
// a call site whose right operand is constant per batch but unknown to the
// factory; kernels may run on several goroutines, so it is locked.
type strPredCache struct {
	mu    sync.Mutex
	key   string
	pred  strPred
	valid bool
}

func (c *strPredCache) get(key string, build func(string) (strPred, error)) (strPred, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid && c.key == key {
		return c.pred, nil
	}
	p, err := build(key)
	if err != nil {
		return nil, err
	}
	c.key, c.pred, c.valid = key, p, true
	return p, nil
}

// strBoolOut returns a bool vector of m rows, all false.
func strBoolOut(m int, c bool) *vec.Vec {
	out := &vec.Vec{Type: types.Bool, Const: c, Bools: make([]bool, m)}
	return out
}

func strBinFactory(op strBinOp) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		var fixed strPred
		if s, ok := strConstText(args[1]); ok {
			p, err := op.build(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.name, err)
			}
			fixed = p
		}
		cache := &strPredCache{}
		neg := op.negate
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := rows(a, n)
			left, right := a[0], a[1]
			out := strBoolOut(m, c)
			pred := fixed
			if pred == nil && right.Const {
				p, err := cache.get(strText(right, 0), op.build)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", op.name, err)
				}
				pred = p
			}
			if pred != nil {
				if left.Type == types.String && !left.Const {
					for i, s := range left.Strs[:m] {
						out.Bools[i] = pred(s) != neg
					}
					return out, nil
				}
				var scratch []byte
				for i := 0; i < m; i++ {
					out.Bools[i] = pred(strView(left, i, &scratch)) != neg
				}
				return out, nil
			}
			var scratch []byte
			for i := 0; i < m; i++ {
				p, err := cache.get(strText(right, i), op.build)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", op.name, err)
				}
				out.Bools[i] = p(strView(left, i, &scratch)) != neg
			}
			return out, nil
		}, nil
	}
}

// ---- list operands --------------------------------------------------------

// strListElems appends the elements of list arguments args (row i):
// scalars as they are, dynamic arrays flattened one level.
func strListElems(dst []any, args []*vec.Vec, i int) []any {
	for _, a := range args {
		x := a.Get(i)
		if arr, ok := x.([]any); ok {
			dst = append(dst, arr...)
			continue
		}
		dst = append(dst, x)
	}
	return dst
}

// strListKey identifies constant list arguments cheaply, so a matcher
// built from them can be reused by later batches. It returns ok=false
// when some argument is not constant.
func strListKey(args []*vec.Vec) (string, bool) {
	var b []byte
	for _, a := range args {
		if !a.Const {
			return "", false
		}
		x := a.Get(0)
		if arr, ok := x.([]any); ok {
			// Dynamic values are immutable: the same backing array is the
			// same list.
			if len(arr) == 0 {
				b = append(b, "[]\x00"...)
				continue
			}
			b = fmt.Appendf(b, "[%p:%d]\x00", &arr[0], len(arr))
			continue
		}
		b = fmt.Appendf(b, "%T:", x)
		b = strAppendDyn(b, x)
		b = append(b, 0)
	}
	return string(b), true
}

// strListCache caches one compiled list per call site (see strPredCache).
// hold keeps the cached arguments' values alive, so that the addresses in
// the key cannot be reused by other arrays while the entry is cached.
type strListCache[T any] struct {
	mu    sync.Mutex
	key   string
	val   T
	hold  []any
	valid bool
}

func (c *strListCache[T]) get(args []*vec.Vec, build func(elems []any) (T, error)) (T, bool, error) {
	key, ok := strListKey(args)
	if !ok {
		var zero T
		return zero, false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid && c.key == key {
		return c.val, true, nil
	}
	v, err := build(strListElems(nil, args, 0))
	if err != nil {
		var zero T
		return zero, false, err
	}
	c.hold = c.hold[:0]
	for _, a := range args {
		c.hold = append(c.hold, a.Get(0))
	}
	c.key, c.val, c.valid = key, v, true
	return v, true, nil
}

// strConstElems returns the elements of list arguments known to the
// factory, or ok=false.
func strConstElems(args []builtins.Arg) ([]any, bool) {
	var out []any
	for _, a := range args {
		if !a.Const {
			return nil, false
		}
		if arr, ok := a.Value.([]any); ok {
			out = append(out, arr...)
			continue
		}
		out = append(out, a.Value)
	}
	return out, true
}

// ---- has_any / has_all ------------------------------------------------------

// strTermSetMin is the number of term needles from which has_any looks
// terms up in a hash set instead of searching for each needle.
const strTermSetMin = 4

// strAnyMatcher is a compiled has_any / has_all needle list.
type strAnyMatcher struct {
	needles []*strNeedle // distinct, in list order
	empty   bool         // the list holds ""
	// With many term needles: folded term -> index in needles; phrases
	// holds the indexes of the other needles. filter has bit L of entry b
	// set when some term needle starts with byte b and is L bytes long
	// (L capped at 63), which rejects most terms without hashing.
	terms   map[string]int
	phrases []int
	filter  *[256]uint64
}

func strBuildAny(elems []any) (*strAnyMatcher, error) {
	m := &strAnyMatcher{}
	seen := map[string]bool{}
	for _, x := range elems {
		if x == nil {
			continue
		}
		s := strDynText(x)
		if s == "" {
			m.empty = true
			continue
		}
		n := strMakeNeedle(s, false)
		if seen[n.fold] {
			continue
		}
		seen[n.fold] = true
		m.needles = append(m.needles, n)
	}
	nterms := 0
	for _, n := range m.needles {
		if n.term {
			nterms++
		}
	}
	if nterms >= strTermSetMin {
		m.terms = make(map[string]int, nterms)
		m.filter = new([256]uint64)
		for k, n := range m.needles {
			if n.term {
				m.terms[n.fold] = k
				m.filter[n.fold[0]] |= 1 << min(len(n.fold), 63)
			} else {
				m.phrases = append(m.phrases, k)
			}
		}
	}
	return m, nil
}

// strTermSpans calls f for each term h[s:e] until f returns false. plain
// reports an ASCII term without upper-case letters, which is its own
// folded form.
func strTermSpans(h string, f func(s, e int, plain bool) bool) {
	i := 0
	for i < len(h) {
		c := h[i]
		if c < utf8.RuneSelf {
			if !strAlnumASCII[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(h[i:]); !strAlnumRune(r) {
			i += size
			continue
		}
		s, plain := i, true
		for i < len(h) {
			c := h[i]
			if c < utf8.RuneSelf {
				if !strAlnumASCII[c] {
					break
				}
				if c <= 'Z' && c >= 'A' {
					plain = false
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(h[i:])
			if !strAlnumRune(r) {
				break
			}
			plain = false
			i += size
		}
		if !f(s, i, plain) {
			return
		}
	}
}

// lookup returns the needle index of term h[s:e], or -1.
func (m *strAnyMatcher) lookup(h string, s, e int, plain bool, scratch *[]byte) int {
	key := h[s:e]
	if !plain {
		*scratch = strAppendFold((*scratch)[:0], key)
		if m.filter[(*scratch)[0]]&(1<<min(len(*scratch), 63)) == 0 {
			return -1
		}
		if k, ok := m.terms[string(*scratch)]; ok {
			return k
		}
		return -1
	}
	if m.filter[key[0]]&(1<<min(len(key), 63)) == 0 {
		return -1
	}
	if k, ok := m.terms[key]; ok {
		return k
	}
	return -1
}

func (m *strAnyMatcher) any(h string, scratch *[]byte) bool {
	if m.empty {
		return true
	}
	if m.terms == nil {
		for _, n := range m.needles {
			if n.has(h) {
				return true
			}
		}
		return false
	}
	found := false
	strTermSpans(h, func(s, e int, plain bool) bool {
		found = m.lookup(h, s, e, plain, scratch) >= 0
		return !found
	})
	if found {
		return true
	}
	for _, k := range m.phrases {
		if m.needles[k].has(h) {
			return true
		}
	}
	return false
}

func (m *strAnyMatcher) all(h string, scratch *[]byte, seen *[]bool) bool {
	if m.terms == nil {
		for _, n := range m.needles {
			if !n.has(h) {
				return false
			}
		}
		return true
	}
	if cap(*seen) < len(m.needles) {
		*seen = make([]bool, len(m.needles))
	}
	sn := (*seen)[:len(m.needles)]
	clear(sn)
	want := len(m.terms)
	strTermSpans(h, func(s, e int, plain bool) bool {
		if k := m.lookup(h, s, e, plain, scratch); k >= 0 && !sn[k] {
			sn[k] = true
			want--
		}
		return want > 0
	})
	if want > 0 {
		return false
	}
	for _, k := range m.phrases {
		if !m.needles[k].has(h) {
			return false
		}
	}
	return true
}

func strHasListFactory(all bool) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		var fixed *strAnyMatcher
		if elems, ok := strConstElems(args[1:]); ok {
			fixed, _ = strBuildAny(elems)
		}
		cache := &strListCache[*strAnyMatcher]{}
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := rows(a, n)
			left := a[0]
			out := strBoolOut(m, c)
			mt := fixed
			if mt == nil {
				var err error
				if mt, _, err = cache.get(a[1:], strBuildAny); err != nil {
					return nil, err
				}
			}
			var scratch, vs []byte
			var seen []bool
			var elems []any
			for i := 0; i < m; i++ {
				cur := mt
				if cur == nil {
					elems = strListElems(elems[:0], a[1:], i)
					cur, _ = strBuildAny(elems)
				}
				h := strView(left, i, &vs)
				if all {
					out.Bools[i] = cur.all(h, &scratch, &seen)
				} else {
					out.Bools[i] = cur.any(h, &scratch)
				}
			}
			return out, nil
		}, nil
	}
}

// ---- in~ / !in~ ----------------------------------------------------------------

// strFoldSet is a compiled in~ list: folded texts.
type strFoldSet struct {
	set  map[string]struct{}
	list []string // when short: the raw texts, compared with EqualFold
}

const strFoldSetMin = 8

func strBuildFoldSet(elems []any) (*strFoldSet, error) {
	fs := &strFoldSet{}
	var texts []string
	for _, x := range elems {
		if x == nil {
			continue
		}
		texts = append(texts, strDynText(x))
	}
	if len(texts) < strFoldSetMin {
		fs.list = texts
		return fs, nil
	}
	fs.set = make(map[string]struct{}, len(texts))
	for _, t := range texts {
		fs.set[string(strAppendFold(nil, t))] = struct{}{}
	}
	return fs, nil
}

func (fs *strFoldSet) has(s string, scratch *[]byte) bool {
	if fs.set == nil {
		for _, t := range fs.list {
			if strings.EqualFold(s, t) {
				return true
			}
		}
		return false
	}
	*scratch = strAppendFold((*scratch)[:0], s)
	_, ok := fs.set[string(*scratch)]
	return ok
}

func strInFoldFactory(negate bool) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		var fixed *strFoldSet
		if elems, ok := strConstElems(args[1:]); ok {
			fixed, _ = strBuildFoldSet(elems)
		}
		cache := &strListCache[*strFoldSet]{}
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := rows(a, n)
			left := a[0]
			out := strBoolOut(m, c)
			fs := fixed
			if fs == nil {
				fs, _, _ = cache.get(a[1:], strBuildFoldSet)
			}
			var scratch, vs []byte
			var elems []any
			for i := 0; i < m; i++ {
				cur := fs
				if cur == nil {
					elems = strListElems(elems[:0], a[1:], i)
					cur, _ = strBuildFoldSet(elems)
				}
				out.Bools[i] = cur.has(strView(left, i, &vs), &scratch) != negate
			}
			return out, nil
		}, nil
	}
}

// ---- in / !in ------------------------------------------------------------------

// strInSet is a compiled `in` list, normalized for one left type.
type strInSet struct {
	left    types.Type
	hasNull bool
	strs    map[string]struct{} // string left: texts; dynamic left: texts of all elements
	strEls  map[string]struct{} // dynamic left: string elements only
	ints    map[int64]struct{}  // numbers (integral), datetime/timespan ticks
	reals   map[float64]struct{}
	bools   [2]bool
	guids   map[types.GuidVal]struct{}
}

func strBuildInSet(left types.Type) func(elems []any) (*strInSet, error) {
	return func(elems []any) (*strInSet, error) {
		s := &strInSet{left: left}
		addInt := func(v int64) {
			if s.ints == nil {
				s.ints = map[int64]struct{}{}
			}
			s.ints[v] = struct{}{}
		}
		addReal := func(f float64) {
			if f != f {
				return
			}
			if f == math.Trunc(f) && math.Abs(f) < 9e18 {
				addInt(int64(f))
				return
			}
			if s.reals == nil {
				s.reals = map[float64]struct{}{}
			}
			s.reals[f] = struct{}{}
		}
		addStr := func(m *map[string]struct{}, t string) {
			if *m == nil {
				*m = map[string]struct{}{}
			}
			(*m)[t] = struct{}{}
		}
		for _, x := range elems {
			if x == nil {
				s.hasNull = true
				continue
			}
			switch left {
			case types.String:
				addStr(&s.strs, strDynText(x))
			case types.Dynamic, types.Unknown:
				addStr(&s.strs, strDynText(x))
				switch v := x.(type) {
				case string:
					addStr(&s.strEls, v)
				case int64:
					addInt(v)
				case float64:
					addReal(v)
				case bool:
					s.bools[strB2i(v)] = true
				}
			case types.Int, types.Long, types.Real, types.Decimal:
				switch v := x.(type) {
				case int64:
					addInt(v)
				case float64:
					addReal(v)
				case string:
					if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
						addInt(n)
					} else if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						addReal(f)
					}
				}
			case types.DateTime:
				switch v := x.(type) {
				case types.DT:
					addInt(int64(v))
				case string:
					if t, ok := types.ParseDatetime(v); ok {
						addInt(t)
					}
				}
			case types.Timespan:
				switch v := x.(type) {
				case types.TS:
					addInt(int64(v))
				case string:
					if t, ok := types.ParseTimespan(v); ok {
						addInt(t)
					}
				}
			case types.Bool:
				switch v := x.(type) {
				case bool:
					s.bools[strB2i(v)] = true
				case string:
					if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v))); err == nil {
						s.bools[strB2i(b)] = true
					}
				case int64:
					if v == 0 || v == 1 {
						s.bools[v] = true
					}
				}
			case types.Guid:
				var g types.GuidVal
				ok := false
				switch v := x.(type) {
				case types.GuidVal:
					g, ok = v, true
				case string:
					g, ok = types.ParseGuid(strings.TrimSpace(v))
				}
				if ok {
					if s.guids == nil {
						s.guids = map[types.GuidVal]struct{}{}
					}
					s.guids[g] = struct{}{}
				}
			}
		}
		return s, nil
	}
}

func strB2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *strInSet) hasInt(v int64) bool {
	_, ok := s.ints[v]
	return ok
}

func (s *strInSet) hasReal(f float64) bool {
	if f == math.Trunc(f) && math.Abs(f) < 9e18 {
		return s.hasInt(int64(f))
	}
	_, ok := s.reals[f]
	return ok
}

// contains reports whether row i of v equals an element; null reports
// whether the result is null (a null left value and a null element).
func (s *strInSet) contains(v *vec.Vec, i int, scratch *[]byte) (found, null bool) {
	if v.Type != types.String && v.IsNull(i) {
		return false, s.hasNull
	}
	r := v.Row(i)
	switch v.Type {
	case types.String:
		_, ok := s.strs[v.Strs[r]]
		return ok, false
	case types.Int, types.Long, types.DateTime, types.Timespan:
		return s.hasInt(v.Ints[r]), false
	case types.Real, types.Decimal:
		return s.hasReal(v.Reals[r]), false
	case types.Bool:
		return s.bools[strB2i(v.Bools[r])], false
	case types.Guid:
		_, ok := s.guids[v.Guids[r]]
		return ok, false
	}
	switch x := v.Dyns[r].(type) {
	case string:
		_, ok := s.strs[x]
		return ok, false
	case int64:
		if s.hasInt(x) {
			return true, false
		}
	case float64:
		if s.hasReal(x) {
			return true, false
		}
	case bool:
		if s.bools[strB2i(x)] {
			return true, false
		}
	default:
		_, ok := s.strs[strView(v, i, scratch)]
		return ok, false
	}
	_, ok := s.strEls[strView(v, i, scratch)]
	return ok, false
}

func strInFactory(negate bool) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		lt := args[0].Type
		build := strBuildInSet(lt)
		var fixed *strInSet
		if elems, ok := strConstElems(args[1:]); ok {
			fixed, _ = build(elems)
		}
		cache := &strListCache[*strInSet]{}
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			m, c := rows(a, n)
			left := a[0]
			out := strBoolOut(m, c)
			set := fixed
			rowBuild := build
			if set == nil || set.left != left.Type {
				// The factory saw no constant list, or the column arrives
				// with another type than the analyzer inferred.
				rowBuild = strBuildInSet(left.Type)
				set, _, _ = cache.get(a[1:], rowBuild)
				if set != nil && set.left != left.Type {
					set = nil
				}
			}
			var scratch []byte
			var elems []any
			for i := 0; i < m; i++ {
				cur := set
				if cur == nil {
					elems = strListElems(elems[:0], a[1:], i)
					cur, _ = rowBuild(elems)
				}
				found, null := cur.contains(left, i, &scratch)
				switch {
				case found:
					out.Bools[i] = !negate
				case null:
					out.SetNull(i)
				default:
					out.Bools[i] = negate
				}
			}
			return out, nil
		}, nil
	}
}

func init() {
	family := []struct {
		name string
		cs   bool
		op   int
	}{
		{"has", false, strOpHas}, {"has_cs", true, strOpHas},
		{"hasprefix", false, strOpHasPrefix}, {"hasprefix_cs", true, strOpHasPrefix},
		{"hassuffix", false, strOpHasSuffix}, {"hassuffix_cs", true, strOpHasSuffix},
		{"contains", false, strOpContains}, {"contains_cs", true, strOpContains},
		{"startswith", false, strOpStartsWith}, {"startswith_cs", true, strOpStartsWith},
		{"endswith", false, strOpEndsWith}, {"endswith_cs", true, strOpEndsWith},
	}
	for _, op := range family {
		build := strNeedleOp(op.cs, op.op)
		RegisterScalar(op.name, strBinFactory(strBinOp{name: op.name, build: build}))
		RegisterScalar("!"+op.name, strBinFactory(strBinOp{name: "!" + op.name, negate: true, build: build}))
	}
	RegisterScalar("=~", strBinFactory(strBinOp{name: "=~", build: strEqFold}))
	RegisterScalar("!~", strBinFactory(strBinOp{name: "!~", negate: true, build: strEqFold}))
	RegisterScalar("matches regex", strBinFactory(strBinOp{name: "matches regex", build: strMatchesRegex}))
	RegisterScalar("has_any", strHasListFactory(false))
	RegisterScalar("has_all", strHasListFactory(true))
	RegisterScalar("in~", strInFoldFactory(false))
	RegisterScalar("!in~", strInFoldFactory(true))
	RegisterScalar("in", strInFactory(false))
	RegisterScalar("!in", strInFactory(true))
}
