package fn

// Shared helpers of the string kernels (text of any value, case folding,
// term boundaries, argument readers) and the plain string functions.
//
// Decisions where the KQL reference is silent (see also strings_ops.go):
//   - Strings are UTF-8; "characters" (strlen, substring, indexof,
//     reverse) are Unicode code points, as strlen's page says.
//   - A string parameter given a non-string value converts it the way
//     tostring() does: null is "", a dynamic string is its raw text,
//     other dynamic values are compact JSON, numbers use invariant text.
//     String results are never null (KQL strings have no null): where a
//     page says "null" for a string result, "" is returned.
//   - A null integer argument (start, length, index...) gives "" for a
//     string result and null for a numeric one.

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- text of values -------------------------------------------------

// strAppendDyn appends tostring() of a dynamic value.
func strAppendDyn(b []byte, x any) []byte {
	switch v := x.(type) {
	case nil:
		return b
	case string:
		return append(b, v...)
	case bool:
		if v {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return append(b, types.FormatReal(v)...)
	case types.DT:
		return types.AppendDatetime(b, int64(v))
	case types.TS:
		return types.AppendTimespan(b, int64(v))
	case types.GuidVal:
		return append(b, types.FormatGuid(v)...)
	}
	return types.AppendJSON(b, x)
}

// strDynText returns tostring() of a dynamic value.
func strDynText(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	if x == nil {
		return ""
	}
	return string(strAppendDyn(nil, x))
}

// strAppendText appends tostring() of row i of v.
func strAppendText(b []byte, v *vec.Vec, i int) []byte {
	if v.IsNull(i) {
		return b
	}
	r := v.Row(i)
	switch v.Type {
	case types.String:
		return append(b, v.Strs[r]...)
	case types.Bool:
		if v.Bools[r] {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case types.Int, types.Long:
		return strconv.AppendInt(b, v.Ints[r], 10)
	case types.Real, types.Decimal:
		return append(b, types.FormatReal(v.Reals[r])...)
	case types.DateTime:
		return types.AppendDatetime(b, v.Ints[r])
	case types.Timespan:
		return types.AppendTimespan(b, v.Ints[r])
	case types.Guid:
		return append(b, types.FormatGuid(v.Guids[r])...)
	}
	return strAppendDyn(b, v.Dyns[r])
}

// strText returns tostring() of row i of v.
func strText(v *vec.Vec, i int) string {
	switch v.Type {
	case types.String:
		return v.Strs[v.Row(i)]
	case types.Dynamic, types.Unknown:
		return strDynText(v.Dyns[v.Row(i)])
	}
	return string(strAppendText(nil, v, i))
}

// strView is strText without allocating: a stored string is returned as
// is, anything else is formatted into *scratch and the result aliases it,
// so it is valid only until the next use of scratch. Kernels use it for
// values they only inspect.
func strView(v *vec.Vec, i int, scratch *[]byte) string {
	switch v.Type {
	case types.String:
		return v.Strs[v.Row(i)]
	case types.Dynamic, types.Unknown:
		switch x := v.Dyns[v.Row(i)].(type) {
		case string:
			return x
		case nil:
			return ""
		}
	}
	*scratch = strAppendText((*scratch)[:0], v, i)
	return unsafe.String(unsafe.SliceData(*scratch), len(*scratch))
}

// ---- case folding and terms -------------------------------------------

// Case-insensitive operators compare with Unicode simple case folding
// (the same equivalence as strings.EqualFold). strFoldRune maps a rune to
// one representative of its folding orbit: ASCII letters to lower case,
// other runes whose orbit holds an ASCII letter (KELVIN SIGN, LONG S) to
// that lower-case letter, every other rune to the smallest rune of its
// orbit.
func strFoldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	if m < utf8.RuneSelf && 'A' <= m && m <= 'Z' {
		m += 'a' - 'A'
	}
	return m
}

func strLowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// strAppendFold appends the folded form of s.
func strAppendFold(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, strLowerASCII(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, strFoldRune(r))
		i += size
	}
	return b
}

// Terms: a term is a maximal run of alphanumeric characters, where
// alphanumeric means a Unicode letter or digit (unicode.IsLetter or
// unicode.IsDigit); everything else, including '_' and combining marks,
// separates terms. (The reference says "alphanumeric"; older pages said
// ASCII. Treating Unicode letters as term characters is the decision
// documented here, and the same rule is used for needles and haystacks.)
var strAlnumASCII = func() (t [utf8.RuneSelf]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	return
}()

func strAlnumRune(r rune) bool {
	if r < utf8.RuneSelf {
		return strAlnumASCII[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// strAlnumBefore reports whether the character ending at byte i of s is
// alphanumeric (false at the start of s).
func strAlnumBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	if c := s[i-1]; c < utf8.RuneSelf {
		return strAlnumASCII[c]
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return strAlnumRune(r)
}

// strAlnumAt reports whether the character starting at byte i of s is
// alphanumeric (false at the end of s).
func strAlnumAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	if c := s[i]; c < utf8.RuneSelf {
		return strAlnumASCII[c]
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return strAlnumRune(r)
}

func strIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ---- argument readers ---------------------------------------------------

// strInt reads row i of an integer-like argument: int, long, real or
// decimal (truncated), or a dynamic number. ok is false for null or a
// value that is not a number.
func strInt(v *vec.Vec, i int) (int64, bool) {
	if v.IsNull(i) {
		return 0, false
	}
	r := v.Row(i)
	switch v.Type.Physical() {
	case types.PhysInt:
		return v.Ints[r], true
	case types.PhysReal:
		f := v.Reals[r]
		if f != f || f > 9.2e18 || f < -9.2e18 {
			return 0, false
		}
		return int64(f), true
	case types.PhysDynamic, types.PhysNone:
		return strDynInt(v.Dyns[r])
	case types.PhysBool:
		if v.Bools[r] {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func strDynInt(x any) (int64, bool) {
	switch n := x.(type) {
	case int64:
		return n, true
	case float64:
		if n != n || n > 9.2e18 || n < -9.2e18 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

// strConstText returns the text of a constant argument, and whether the
// argument is a (non-null or string) constant.
func strConstText(a builtins.Arg) (string, bool) {
	if !a.Const {
		return "", false
	}
	if s, ok := a.Value.(string); ok {
		return s, true
	}
	return strDynText(a.Value), true
}

// ---- kernel builders ------------------------------------------------------

// strEach builds a kernel that calls f once per output row (one row when
// every argument is constant); f appends exactly one value to out.
func strEach(rt types.Type, f func(args []*vec.Vec, i int, out *vec.Vec) error) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(rt, m)
		for i := 0; i < m; i++ {
			if err := f(args, i, out); err != nil {
				return nil, err
			}
		}
		out.Const = c
		return out, nil
	}
}

// strMapS builds a kernel over one argument read as text, producing a
// string. It avoids copying when the argument is a string column.
func strMapS(f func(s string) string) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		x := args[0]
		out := vec.New(types.String, m)
		var scratch []byte
		for i := 0; i < m; i++ {
			out.Strs = append(out.Strs, f(strView(x, i, &scratch)))
		}
		out.Const = c
		return out, nil
	}
}

// strMapL is strMapS producing a long.
func strMapL(f func(s string) int64) Scalar {
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		x := args[0]
		out := vec.New(types.Long, m)
		var scratch []byte
		for i := 0; i < m; i++ {
			out.Ints = append(out.Ints, f(strView(x, i, &scratch)))
		}
		out.Const = c
		return out, nil
	}
}

func strFixed(k Scalar) ScalarFactory {
	return func([]builtins.Arg, types.Type) (Scalar, error) { return k, nil }
}

// strAppendLong appends v or null.
func strAppendLong(out *vec.Vec, v int64, ok bool) {
	if !ok {
		out.AppendNull()
		return
	}
	out.Ints = append(out.Ints, v)
}

// ---- code point helpers -----------------------------------------------------

// strRuneOffsets returns the byte offset of every code point of s plus
// len(s) at the end, or nil when s is ASCII (offsets are then the indexes).
func strRuneOffsets(s string) []int {
	if strIsASCII(s) {
		return nil
	}
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	return append(offs, len(s))
}

func strCharLen(s string, offs []int) int {
	if offs == nil {
		return len(s)
	}
	return len(offs) - 1
}

func strByteAt(offs []int, ci int) int {
	if offs == nil {
		return ci
	}
	return offs[ci]
}

// strCharAt converts a byte offset to a code point index.
func strCharAt(offs []int, bi int) int {
	if offs == nil {
		return bi
	}
	k, _ := slices.BinarySearch(offs, bi)
	return k
}

// ---- functions ----------------------------------------------------------------

// strSubstring implements substring(source, start [, length]): code
// points; a negative start counts from the end (clamped to 0); a start
// past the end or a negative length gives "".
func strSubstring(s string, start int64, length int64, hasLen bool) string {
	offs := strRuneOffsets(s)
	n := int64(strCharLen(s, offs))
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	if start >= n || (hasLen && length <= 0) {
		return ""
	}
	end := n
	if hasLen && length < n-start {
		end = start + length
	}
	return s[strByteAt(offs, int(start)):strByteAt(offs, int(end))]
}

func strReverse(s string) string {
	if strIsASCII(s) {
		b := []byte(s)
		slices.Reverse(b)
		return string(b)
	}
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// strTranslate implements translate(searchList, replacementList, source):
// each character of source found in searchList (first occurrence wins) is
// replaced by the character at the same position of replacementList, or by
// its last character when replacementList is shorter; an empty
// replacementList deletes the characters.
func strTranslate(search, repl, src string) string {
	from := []rune(search)
	to := []rune(repl)
	if len(from) == 0 {
		return src
	}
	var b strings.Builder
	b.Grow(len(src))
	for _, r := range src {
		k := slices.Index(from, r)
		switch {
		case k < 0:
			b.WriteRune(r)
		case len(to) == 0:
		case k < len(to):
			b.WriteRune(to[k])
		default:
			b.WriteRune(to[len(to)-1])
		}
	}
	return b.String()
}

// strSplit implements split(source, delimiter): an empty delimiter gives
// the whole source as the only element.
func strSplit(s, delim string) []any {
	if delim == "" {
		return []any{s}
	}
	parts := strings.Split(s, delim)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// strIndexOf implements indexof(): positions in code points; a negative
// start counts from the end (as the page's example shows), a length of -1
// means to the end, and each later occurrence is searched from one
// character after the previous match with the same length window (which
// reproduces the page's examples). It returns ok=false for null.
func strIndexOf(s, match string, start, length, occ int64) (int64, bool) {
	if length < -1 || occ < 0 {
		return 0, false
	}
	if occ == 0 {
		return -1, true
	}
	offs := strRuneOffsets(s)
	n := int64(strCharLen(s, offs))
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	pos := start
	for k := int64(1); ; k++ {
		if pos > n {
			return -1, true
		}
		limit := n
		if length >= 0 && pos+length < n {
			limit = pos + length
		}
		window := s[strByteAt(offs, int(pos)):strByteAt(offs, int(limit))]
		j := strings.Index(window, match)
		if j < 0 {
			return -1, true
		}
		at := int64(strCharAt(offs, strByteAt(offs, int(pos))+j))
		if k == occ {
			return at, true
		}
		pos = at + 1
	}
}

// strCountOf counts possibly overlapping occurrences of search in s; an
// empty search string counts 0.
func strCountOf(s, search string) int64 {
	if search == "" {
		return 0
	}
	var n int64
	for i := 0; i <= len(s)-len(search); {
		j := strings.Index(s[i:], search)
		if j < 0 {
			break
		}
		n++
		_, size := utf8.DecodeRuneInString(s[i+j:])
		i += j + size
	}
	return n
}

// strRep implements strrep(value, multiplier [, delimiter]). Multipliers
// below 1 give ""; above 67,108,864 (the documented maximum) they are
// clamped.
func strRep(s string, k int64, delim string) string {
	if k < 1 {
		return ""
	}
	if k > 67108864 {
		k = 67108864
	}
	if delim == "" {
		return strings.Repeat(s, int(k))
	}
	var b strings.Builder
	b.Grow(int(k)*(len(s)+len(delim)) - len(delim))
	for j := int64(0); j < k; j++ {
		if j > 0 {
			b.WriteString(delim)
		}
		b.WriteString(s)
	}
	return b.String()
}

// strReplaceStrings implements replace_strings(): lookups are applied in
// order; a region matched by an earlier lookup is not searched again, and
// a non-string rewrite keeps the matched text.
func strReplaceStrings(text string, lookups, rewrites []any) string {
	type seg struct {
		s     string
		fixed bool
	}
	segs := []seg{{text, false}}
	for k, l := range lookups {
		look, ok := l.(string)
		if !ok || look == "" {
			continue
		}
		var rw string
		rwOK := false
		if k < len(rewrites) {
			rw, rwOK = rewrites[k].(string)
		}
		var next []seg
		for _, sg := range segs {
			if sg.fixed || !strings.Contains(sg.s, look) {
				next = append(next, sg)
				continue
			}
			rest := sg.s
			for {
				j := strings.Index(rest, look)
				if j < 0 {
					break
				}
				if j > 0 {
					next = append(next, seg{rest[:j], false})
				}
				if rwOK {
					next = append(next, seg{rw, true})
				} else {
					next = append(next, seg{look, true})
				}
				rest = rest[j+len(look):]
			}
			if rest != "" {
				next = append(next, seg{rest, false})
			}
		}
		segs = next
	}
	var b strings.Builder
	for _, sg := range segs {
		b.WriteString(sg.s)
	}
	return b.String()
}

// strIsEmpty reports isempty() of row i: "" or null.
func strIsEmpty(v *vec.Vec, i int) bool {
	if v.IsNull(i) {
		return true
	}
	switch v.Type {
	case types.String:
		return v.Strs[v.Row(i)] == ""
	case types.Dynamic, types.Unknown:
		s, ok := v.Dyns[v.Row(i)].(string)
		return ok && s == ""
	}
	return false
}

// strCommandLine splits a Windows command line the way
// CommandLineToArgvW does: the program name (first argument) ends at the
// first space or tab, or is quoted without escapes; in later arguments
// 2n backslashes before a quote give n backslashes and toggle quoting,
// 2n+1 give n backslashes and a literal quote, a quote right after a
// closing quote inside a quoted run is literal, and other backslashes are
// literal.
func strCommandLine(s string) []any {
	out := []any{}
	i := 0
	// Program name.
	var name strings.Builder
	if i < len(s) && s[i] == '"' {
		i++
		for i < len(s) && s[i] != '"' {
			name.WriteByte(s[i])
			i++
		}
		if i < len(s) {
			i++
		}
	} else {
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			name.WriteByte(s[i])
			i++
		}
	}
	if s == "" {
		return out
	}
	out = append(out, name.String())
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return out
		}
		var arg strings.Builder
		inQuote := false
		for i < len(s) {
			c := s[i]
			if (c == ' ' || c == '\t') && !inQuote {
				break
			}
			switch c {
			case '\\':
				nb := 0
				for i < len(s) && s[i] == '\\' {
					nb++
					i++
				}
				if i < len(s) && s[i] == '"' {
					arg.WriteString(strings.Repeat(`\`, nb/2))
					if nb%2 == 1 {
						arg.WriteByte('"')
						i++
					}
				} else {
					arg.WriteString(strings.Repeat(`\`, nb))
				}
			case '"':
				i++
				if inQuote && i < len(s) && s[i] == '"' {
					arg.WriteByte('"')
					i++
					continue
				}
				inQuote = !inQuote
			default:
				arg.WriteByte(c)
				i++
			}
		}
		out = append(out, arg.String())
	}
}

// strFormatBytes implements format_bytes(size [, precision [, units]]).
// Units are powers of 1024; without units the largest unit whose value
// is at least 1 is chosen.
func strFormatBytes(size float64, prec int64, unit string) (string, bool) {
	units := []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}
	k := -1
	if unit != "" {
		for j, u := range units {
			if strings.EqualFold(u, unit) {
				k = j
			}
		}
		if k < 0 {
			return "", false
		}
	} else {
		k = 0
		for a := size; (a >= 1024 || a <= -1024) && k < len(units)-1; a /= 1024 {
			k++
		}
	}
	v := size
	for j := 0; j < k; j++ {
		v /= 1024
	}
	if prec < 0 {
		prec = 0
	}
	if prec > 15 {
		prec = 15
	}
	return strconv.FormatFloat(v, 'f', int(prec), 64) + " " + units[k], true
}

// strToHex implements tohex(value [, minLength]): two's complement for
// negative values, 8 digits for int and 16 for long; minLength (capped at
// 16) pads with zeros.
func strToHex(v int64, isInt bool, minLen int64) string {
	var s string
	switch {
	case v >= 0:
		s = strconv.FormatUint(uint64(v), 16)
	case isInt:
		s = strconv.FormatUint(uint64(uint32(int32(v))), 16)
	default:
		s = strconv.FormatUint(uint64(v), 16)
	}
	if minLen > 16 {
		minLen = 16
	}
	for int64(len(s)) < minLen {
		s = "0" + s
	}
	return s
}

func init() {
	RegisterScalar("strlen", strFixed(strMapL(func(s string) int64 { return int64(utf8.RuneCountInString(s)) })))
	RegisterScalar("string_size", strFixed(strMapL(func(s string) int64 { return int64(len(s)) })))
	RegisterScalar("tolower", strFixed(strMapS(strings.ToLower)))
	RegisterScalar("toupper", strFixed(strMapS(strings.ToUpper)))
	RegisterScalar("reverse", strFixed(strMapS(strReverse)))
	RegisterScalar("isutf8", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Bools = append(out.Bools, utf8.ValidString(strText(a[0], i)))
		return nil
	})))
	RegisterScalar("isempty", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Bools = append(out.Bools, strIsEmpty(a[0], i))
		return nil
	})))
	RegisterScalar("isnotempty", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Bools = append(out.Bools, !strIsEmpty(a[0], i))
		return nil
	})))
	RegisterScalar("substring", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		start, ok := strInt(a[1], i)
		var length int64
		hasLen := len(a) > 2
		if hasLen {
			var ok2 bool
			length, ok2 = strInt(a[2], i)
			ok = ok && ok2
		}
		if !ok {
			out.Strs = append(out.Strs, "")
			return nil
		}
		out.Strs = append(out.Strs, strSubstring(strText(a[0], i), start, length, hasLen))
		return nil
	})))
	RegisterScalar("strcmp", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Ints = append(out.Ints, int64(strings.Compare(strText(a[0], i), strText(a[1], i))))
		return nil
	})))
	RegisterScalar("strrep", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		k, ok := strInt(a[1], i)
		if !ok {
			out.Strs = append(out.Strs, "")
			return nil
		}
		delim := ""
		if len(a) > 2 {
			delim = strText(a[2], i)
		}
		out.Strs = append(out.Strs, strRep(strText(a[0], i), k, delim))
		return nil
	})))
	RegisterScalar("translate", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Strs = append(out.Strs, strTranslate(strText(a[0], i), strText(a[1], i), strText(a[2], i)))
		return nil
	})))
	RegisterScalar("strcat", strFixed(func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(types.String, m)
		var buf []byte
		for i := 0; i < m; i++ {
			buf = buf[:0]
			for _, a := range args {
				buf = strAppendText(buf, a, i)
			}
			out.Strs = append(out.Strs, string(buf))
		}
		out.Const = c
		return out, nil
	}))
	RegisterScalar("strcat_delim", strFixed(func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		m, c := rows(args, n)
		out := vec.New(types.String, m)
		var buf, delim []byte
		for i := 0; i < m; i++ {
			delim = strAppendText(delim[:0], args[0], i)
			buf = buf[:0]
			for k, a := range args[1:] {
				if k > 0 {
					buf = append(buf, delim...)
				}
				buf = strAppendText(buf, a, i)
			}
			out.Strs = append(out.Strs, string(buf))
		}
		out.Const = c
		return out, nil
	}))
	RegisterScalar("strcat_array", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		arr, _ := a[0].Get(i).([]any)
		delim := strText(a[1], i)
		var buf []byte
		for k, x := range arr {
			if k > 0 {
				buf = append(buf, delim...)
			}
			buf = strAppendDyn(buf, x)
		}
		out.Strs = append(out.Strs, string(buf))
		return nil
	})))
	// split(source, delimiter [, index]): with an index, a one-element
	// array holding that part, or an empty array when there is no such
	// part (negative indexes included).
	RegisterScalar("split", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		parts := strSplit(strText(a[0], i), strText(a[1], i))
		if len(a) > 2 {
			k, ok := strInt(a[2], i)
			if !ok {
				out.AppendNull()
				return nil
			}
			if k < 0 || k >= int64(len(parts)) {
				out.Dyns = append(out.Dyns, []any{})
				return nil
			}
			out.Dyns = append(out.Dyns, []any{parts[k]})
			return nil
		}
		out.Dyns = append(out.Dyns, parts)
		return nil
	})))
	RegisterScalar("indexof", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		start, length, occ := int64(0), int64(-1), int64(1)
		ok := true
		for k, p := range []*int64{&start, &length, &occ} {
			if len(a) > k+2 {
				var ok2 bool
				*p, ok2 = strInt(a[k+2], i)
				ok = ok && ok2
			}
		}
		if !ok {
			out.AppendNull()
			return nil
		}
		v, ok := strIndexOf(strText(a[0], i), strText(a[1], i), start, length, occ)
		strAppendLong(out, v, ok)
		return nil
	})))
	RegisterScalar("replace_string", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		text, look := strText(a[0], i), strText(a[1], i)
		if look == "" {
			out.Strs = append(out.Strs, text)
			return nil
		}
		out.Strs = append(out.Strs, strings.ReplaceAll(text, look, strText(a[2], i)))
		return nil
	})))
	RegisterScalar("replace_strings", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		look, _ := a[1].Get(i).([]any)
		rw, _ := a[2].Get(i).([]any)
		out.Strs = append(out.Strs, strReplaceStrings(strText(a[0], i), look, rw))
		return nil
	})))
	RegisterScalar("unicode_codepoints_from_string", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		s := strText(a[0], i)
		arr := make([]any, 0, len(s))
		for _, r := range s {
			arr = append(arr, int64(r))
		}
		out.Dyns = append(out.Dyns, arr)
		return nil
	})))
	// unicode_codepoints_to_string: an argument that is not a valid code
	// point makes the result "" (the page says null; strings have none).
	RegisterScalar("unicode_codepoints_to_string", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		var b []byte
		valid := true
		add := func(x any) {
			n, ok := strDynInt(x)
			if !ok || n < 0 || n > unicode.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
				valid = false
				return
			}
			b = utf8.AppendRune(b, rune(n))
		}
		for _, v := range a {
			switch x := v.Get(i).(type) {
			case []any:
				for _, e := range x {
					add(e)
				}
			default:
				add(x)
			}
		}
		if !valid {
			b = nil
		}
		out.Strs = append(out.Strs, string(b))
		return nil
	})))
	RegisterScalar("has_any_index", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		return strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
			arr, _ := a[1].Get(i).([]any)
			s := strText(a[0], i)
			for k, x := range arr {
				if x == nil {
					continue
				}
				if strMakeNeedle(strDynText(x), false).has(s) {
					out.Ints = append(out.Ints, int64(k))
					return nil
				}
			}
			out.Ints = append(out.Ints, -1)
			return nil
		}), nil
	})
	RegisterScalar("countof", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		if len(args) > 2 {
			if k, ok := strConstText(args[2]); ok && k != "normal" && k != "regex" {
				return nil, Errorf("countof(): kind must be \"normal\" or \"regex\", got %q", k)
			}
		}
		return strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
			s, search := strText(a[0], i), strText(a[1], i)
			kind := "normal"
			if len(a) > 2 {
				kind = strText(a[2], i)
			}
			switch kind {
			case "normal":
				out.Ints = append(out.Ints, strCountOf(s, search))
			case "regex":
				re, err := strRegex(search)
				if err != nil {
					return err
				}
				out.Ints = append(out.Ints, int64(len(re.FindAllStringIndex(s, -1))))
			default:
				return Errorf("countof(): kind must be \"normal\" or \"regex\", got %q", kind)
			}
			return nil
		}), nil
	})
	RegisterScalar("parse_command_line", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		if k, ok := strConstText(args[1]); ok && !strings.EqualFold(k, "windows") {
			return nil, Errorf("parse_command_line(): the only supported parser is \"windows\", got %q", k)
		}
		return strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
			out.Dyns = append(out.Dyns, strCommandLine(strText(a[0], i)))
			return nil
		}), nil
	})
	RegisterScalar("tohex", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		isInt := args[0].Type == types.Int
		return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
			v, ok := strInt(a[0], i)
			minLen := int64(0)
			if len(a) > 1 {
				var ok2 bool
				minLen, ok2 = strInt(a[1], i)
				ok = ok && ok2
			}
			if !ok {
				out.Strs = append(out.Strs, "")
				return nil
			}
			out.Strs = append(out.Strs, strToHex(v, isInt, minLen))
			return nil
		}), nil
	})
	RegisterScalar("format_bytes", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		if a[0].IsNull(i) {
			out.Strs = append(out.Strs, "")
			return nil
		}
		var size float64
		switch x := a[0].Get(i).(type) {
		case int64:
			size = float64(x)
		case float64:
			size = x
		}
		prec := int64(0)
		if len(a) > 1 {
			prec, _ = strInt(a[1], i)
		}
		unit := ""
		if len(a) > 2 {
			unit = strText(a[2], i)
		}
		s, _ := strFormatBytes(size, prec, unit)
		out.Strs = append(out.Strs, s)
		return nil
	})))
}
