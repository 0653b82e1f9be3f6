package source

import (
	"bytes"
	"maps"
	"math"
	"slices"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Pushed-down filters (ScanSpec.Filters) are tested on a record's raw
// bytes before it is decoded, so that the rows a query throws away cost
// a few fast scans instead of a full decode. A record is dropped only
// when the filter certainly fails on it:
//
// The filter's column is fed by its key and, for Timestamp/TimeGenerated
// and ISP/Isp, by its partner's (see the package comment). Every
// occurrence of those keys anywhere in the record is found with
// bytes.Index, nested or not, and its value converted to the column's
// type exactly as the decoder would. Only if every occurrence fails, and
// a missing value (null, or "" for strings) fails too, is the record
// dropped: whichever occurrence the decoder would have used, or none,
// the row would fail the filter. An occurrence whose value is malformed
// keeps the record, so the decoder reports it. A key spelled with \u
// escapes could hide from the search, so a record with an escape that
// decodes to a character of a searched key is kept. Comparisons that
// are not certain (case-insensitive ones on non-ASCII text) keep the
// record. Only records that look whole (an object ending in '}') are
// dropped, so truncated lines are still reported.
//
// A filter that drops nothing is switched off for a while, and filters
// are tried most selective first, so useless filters cost little.

// pdOp is a pushed-down comparison.
type pdOp uint8

const (
	pdEq pdOp = iota
	pdNe
	pdEqFold
	pdLt
	pdLe
	pdGt
	pdGe
	pdIn
	pdInFold
	// pdMatch is a filter only a kernel describes (a PathFilter): match
	// judges string values.
	pdMatch
)

var pdOps = map[string]pdOp{
	"==": pdEq, "!=": pdNe, "=~": pdEqFold, "<": pdLt, "<=": pdLe, ">": pdGt, ">=": pdGe, "in": pdIn, "in~": pdInFold,
}

// pdCheck is one compiled filter.
type pdCheck struct {
	col  int      // the column's index in the decoded schema
	keys [][]byte // the column's key and its partner's
	// anchors[k] is the position in keys[k] of its byte that is rarest
	// in the data, which the search looks for first.
	anchors []int
	typ     types.Type
	op      pdOp
	str     string
	strs    []string
	num     int64
	nums    []int64
	b       bool
	guid    types.GuidVal
	// absentFails: a record without the value (null; "" for strings)
	// fails the filter.
	absentFails bool

	// match and memo are pdMatch's: the filter on a string value, and
	// its answers so far (the keys hunts filter on, an extension or a
	// domain, take few values).
	match func(string) bool
	memo  map[string]bool
	// typedOnly: the check cannot judge raw records (a missing value
	// passes it), only typed values (Parquet's), see addMatches.
	typedOnly bool

	tested, dropped int
	offFor          int // records to skip this check for
}

// pdMemoMax bounds a pdMatch check's memo. A key with more distinct
// values than that (a file path) is not worth judging before the parse:
// the check switches itself off.
const pdMemoMax = 4096

// pushdown is the compiled filters of one reader.
type pushdown struct {
	// quotedKeeps: a record holding an escaped quote is kept untested.
	// Path checks search a key in the whole record, and a dynamic column
	// given as a JSON string ("{\"FileExtension\": ...}") is parsed
	// into the object whose keys the search cannot see.
	quotedKeeps bool
	checks      []*pdCheck
	records     int
	scratch     []byte
	compact     []byte
}

// Adaptive ordering: every pdReorder records the checks are sorted by
// how often they dropped records; one that dropped none of pdTrial
// records is switched off for pdOff records, then tried again.
const (
	pdReorder = 1024
	pdTrial   = 2048
	pdOff     = 1 << 16
)

// compilePushdown compiles the filters that can be tested on raw JSON;
// the others are left to the query. It returns nil when none can.
func compilePushdown(schema vec.Schema, filters []Filter) *pushdown {
	var pd pushdown
	for _, f := range filters {
		ci := schema.Index(f.Column)
		if ci < 0 || !plainKey(f.Column) {
			continue
		}
		c, ok := compileCheck(schema[ci].Type, f)
		if !ok || !c.absentFails {
			// A check that a missing value passes can never prove a
			// record fails: the value might be nested, not top-level.
			continue
		}
		c.col = ci
		c.keys = [][]byte{[]byte(f.Column)}
		if p, ok := partners[f.Column]; ok {
			c.keys = append(c.keys, []byte(p))
		}
		c.anchors = make([]int, len(c.keys))
		pd.checks = append(pd.checks, c)
	}
	if len(pd.checks) == 0 {
		return nil
	}
	// Equality on strings is usually the most selective test (an
	// ActionType), time bounds the least.
	slices.SortStableFunc(pd.checks, func(a, b *pdCheck) int { return checkRank(a) - checkRank(b) })
	return &pd
}

// compilePathChecks compiles the path filters that can be tested on a
// dynamic column's JSON text, per column. Only filters that a row without
// the key fails can drop rows (as in compilePushdown), and only on columns
// that no partner column fills.
func compilePathChecks(schema vec.Schema, filters []PathFilter) map[int32]*pushdown {
	var out map[int32]*pushdown
	for _, f := range filters {
		ci := schema.Index(f.Column)
		if f.Path == "" || ci < 0 || schema[ci].Type != types.Dynamic || f.AbsentPasses || !plainKey(f.Path) || f.NewMatch == nil {
			continue
		}
		if _, ok := partners[f.Column]; ok {
			continue
		}
		match := f.NewMatch()
		if match == nil {
			continue
		}
		if out == nil {
			out = map[int32]*pushdown{}
		}
		pd := out[int32(ci)]
		if pd == nil {
			pd = &pushdown{}
			out[int32(ci)] = pd
		}
		pd.checks = append(pd.checks, &pdCheck{
			col: ci, keys: [][]byte{[]byte(f.Path)}, anchors: make([]int, 1),
			typ: types.Dynamic, op: pdMatch, match: match, memo: map[string]bool{}, absentFails: true,
		})
	}
	return out
}

var escapedQuote = []byte(`\"`)

// recordChecks gathers the path checks of every column into one set for
// readers of whole records (JSON), which search each key anywhere in the
// record: an occurrence outside the column only keeps more records.
// Readers use either these or the per-column ones, so they share checks.
func recordChecks(byCol map[int32]*pushdown) *pushdown {
	if len(byCol) == 0 {
		return nil
	}
	pd := &pushdown{quotedKeeps: true}
	for _, col := range slices.Sorted(maps.Keys(byCol)) {
		pd.checks = append(pd.checks, byCol[col].checks...)
	}
	return pd
}

// addMatches adds to pd (made when nil) the filters on whole string
// columns (PathFilters without a Path: has_any, contains, a function of
// the column...). One that a missing value fails is tested on raw records
// like a classic filter; the others only on typed values, where a value
// is never missing unseen: Parquet judges them per dictionary entry.
func addMatches(pd *pushdown, schema vec.Schema, filters []PathFilter) *pushdown {
	for _, f := range filters {
		ci := schema.Index(f.Column)
		if f.Path != "" || ci < 0 || schema[ci].Type != types.String || !plainKey(f.Column) || f.NewMatch == nil {
			continue
		}
		match := f.NewMatch()
		if match == nil {
			continue
		}
		c := &pdCheck{
			col: ci, keys: [][]byte{[]byte(f.Column)}, typ: types.String, op: pdMatch,
			match: match, memo: map[string]bool{}, absentFails: !f.AbsentPasses, typedOnly: f.AbsentPasses,
		}
		if p, ok := partners[f.Column]; ok {
			c.keys = append(c.keys, []byte(p))
		}
		c.anchors = make([]int, len(c.keys))
		if pd == nil {
			pd = &pushdown{}
		}
		pd.checks = append(pd.checks, c)
	}
	return pd
}

func checkRank(c *pdCheck) int {
	switch {
	case c.typ == types.String && c.op != pdNe:
		return 0
	case c.op == pdEq || c.op == pdIn:
		return 1
	case c.op == pdNe:
		return 3
	}
	return 2
}

// plainKey reports whether a column name is made of ASCII letters,
// digits and underscores, which JSON can spell differently only with \u
// escapes.
func plainKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !keyChar(s[i]) {
			return false
		}
	}
	return true
}

func keyChar(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func compileCheck(t types.Type, f Filter) (*pdCheck, bool) {
	op, ok := pdOps[f.Op]
	if !ok {
		return nil, false
	}
	c := &pdCheck{typ: t, op: op}
	list := op == pdIn || op == pdInFold
	switch t {
	case types.String:
		switch op {
		case pdEq, pdNe, pdEqFold:
			s, ok := f.Value.(string)
			if !ok || (op == pdEqFold && !isASCII(s)) {
				return nil, false
			}
			c.str = s
		case pdIn, pdInFold:
			for _, v := range f.Values {
				if v == nil {
					continue // a string is never null
				}
				s, ok := v.(string)
				if !ok || (op == pdInFold && !isASCII(s)) {
					return nil, false
				}
				c.strs = append(c.strs, s)
			}
		default:
			return nil, false
		}
		c.absentFails = !c.matchStr(nil)
		return c, true
	case types.Int, types.Long, types.DateTime, types.Timespan:
		if op == pdEqFold || op == pdInFold {
			return nil, false
		}
		conv := func(v any) (int64, bool) {
			switch x := v.(type) {
			case int64:
				return x, t == types.Int || t == types.Long
			case types.DT:
				return int64(x), t == types.DateTime
			case types.TS:
				return int64(x), t == types.Timespan
			}
			return 0, false
		}
		if list {
			for _, v := range f.Values {
				if v == nil {
					continue // null is never in the list for a non-null value
				}
				n, ok := conv(v)
				if !ok {
					return nil, false
				}
				c.nums = append(c.nums, n)
			}
		} else if c.num, ok = conv(f.Value); !ok {
			return nil, false
		}
	case types.Bool:
		b, ok := f.Value.(bool)
		if !ok || (op != pdEq && op != pdNe) {
			return nil, false
		}
		c.b = b
	case types.Guid:
		g, ok := f.Value.(types.GuidVal)
		if !ok || (op != pdEq && op != pdNe) {
			return nil, false
		}
		c.guid = g
	default:
		return nil, false
	}
	// A null compares as null, which fails a where, except with != (one
	// side null is "not equal"), see engine/fn's comparisons.
	c.absentFails = op != pdNe
	return c, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// rejects reports whether the object starting at obj[0] certainly fails
// one of the filters. obj may run past the object's end (the rest of an
// envelope); occurrences there only make the test keep more.
func (pd *pushdown) rejects(obj []byte) bool {
	if !looksWhole(obj) || pd.quotedKeeps && bytes.Contains(obj, escapedQuote) {
		return false
	}
	if pd.records%pdReorder == 0 {
		pd.calibrate(obj)
		if pd.records > 0 {
			pd.reorder()
		}
	}
	pd.records++
	escapes := -1
	for _, c := range pd.checks {
		if c.typedOnly {
			continue
		}
		if c.offFor > 0 {
			c.offFor--
			continue
		}
		c.tested++
		if !c.rejects(pd, obj) {
			continue
		}
		if escapes < 0 {
			escapes = 0
			if keyEscape(obj) {
				escapes = 1
			}
		}
		if escapes == 1 {
			return false
		}
		c.dropped++
		return true
	}
	return false
}

// calibrate picks each key's rarest byte in a sample record as the
// byte to search for: memchr-like scans are fast, and the fewer false
// hits the fewer comparisons.
func (pd *pushdown) calibrate(sample []byte) {
	var freq [256]int32
	for _, c := range sample {
		freq[c]++
	}
	for _, c := range pd.checks {
		for k, key := range c.keys {
			best := 0
			for i := range key {
				if freq[key[i]] < freq[key[best]] {
					best = i
				}
			}
			c.anchors[k] = best
		}
	}
}

func (pd *pushdown) reorder() {
	for _, c := range pd.checks {
		if c.tested >= pdTrial && c.dropped == 0 {
			c.offFor = pdOff
			c.tested = 0
		}
	}
	slices.SortStableFunc(pd.checks, func(a, b *pdCheck) int {
		// Higher drop rate first: compare a.dropped/a.tested with b's.
		l := int64(a.dropped) * int64(max(b.tested, 1))
		r := int64(b.dropped) * int64(max(a.tested, 1))
		switch {
		case l > r:
			return -1
		case l < r:
			return 1
		}
		return 0
	})
}

// looksWhole reports whether b starts an object and its last non-blank
// byte closes one.
func looksWhole(b []byte) bool {
	e := len(b) - 1
	for e >= 0 && isWS(b[e]) {
		e--
	}
	return len(b) > 0 && b[0] == '{' && e > 0 && b[e] == '}'
}

// rejects reports whether every occurrence of the check's keys in obj
// has a value failing the check, and so does a missing value.
func (c *pdCheck) rejects(pd *pushdown, obj []byte) bool {
	for ki, key := range c.keys {
		a := c.anchors[ki]
		for from := a; from < len(obj); {
			j := bytes.IndexByte(obj[from:], key[a])
			if j < 0 {
				break
			}
			k := from + j - a
			from += j + 1
			e := k + len(key)
			if k < 0 || e > len(obj) || obj[k] != key[0] || obj[e-1] != key[len(key)-1] ||
				string(obj[k:e]) != string(key) || !isKeyAt(obj, k, e) {
				continue
			}
			v := skipWS(obj, e+1)
			if v >= len(obj) || obj[v] != ':' {
				continue // a string value that spells the key
			}
			if !c.valueFails(pd, obj, skipWS(obj, v+1)) {
				return false
			}
		}
	}
	return true
}

// isKeyAt reports whether obj[k:e] is the whole content of a string
// token in key position: quoted, and after '{' or ','.
func isKeyAt(obj []byte, k, e int) bool {
	if k < 2 || e >= len(obj) || obj[k-1] != '"' || obj[e] != '"' {
		return false
	}
	p := k - 2
	for p >= 0 && isWS(obj[p]) {
		p--
	}
	return p >= 0 && (obj[p] == '{' || obj[p] == ',')
}

// keyEscape reports whether b has a \u escape (a u after an odd run of
// backslashes) that decodes to a character keys are made of, or one
// that is malformed.
func keyEscape(b []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\\')
		if j < 0 {
			return false
		}
		i += j
		k := i
		for k < len(b) && b[k] == '\\' {
			k++
		}
		if (k-i)%2 == 1 && k < len(b) && b[k] == 'u' {
			r, ok := hex4(b, k+1)
			if !ok || (r < 0x80 && keyChar(byte(r))) {
				return true
			}
		}
		i = k
	}
}

// valueFails converts the JSON value at obj[i] as the decoder would and
// reports whether it certainly fails the check.
func (c *pdCheck) valueFails(pd *pushdown, obj []byte, i int) bool {
	kind, e := valueEnd(obj, i)
	if e < 0 {
		return false
	}
	raw := obj[i:e]
	if c.op == pdMatch {
		return c.matchFails(pd, kind, raw)
	}
	switch kind {
	case kindNull, kindBool, kindNumber:
		if !checkLiteral(kind, raw) {
			return false
		}
	case kindObject, kindArray:
		if validJSON(raw) != nil {
			return false
		}
	}
	var content []byte
	if kind == kindString {
		content = raw[1 : len(raw)-1]
		if bytes.IndexByte(content, '\\') >= 0 {
			var ok bool
			if pd.scratch, ok = unescape(pd.scratch[:0], content); !ok {
				return false
			}
			content = pd.scratch
		}
	}
	if c.typ == types.String {
		var text []byte
		switch kind {
		case kindString:
			text = content
		case kindNumber, kindBool:
			text = raw
		case kindObject, kindArray:
			pd.compact = compactJSON(pd.compact[:0], raw)
			text = pd.compact
		}
		return !c.matchStr(text)
	}
	var n int64
	ok := false
	switch c.typ {
	case types.Int, types.Long:
		switch kind {
		case kindNumber:
			n, ok = parseIntText(raw, c.typ == types.Int)
		case kindString:
			n, ok = parseIntText(content, c.typ == types.Int)
		}
	case types.DateTime:
		if kind == kindString {
			n, ok = types.ParseDatetime(tmpString(content))
		}
	case types.Timespan:
		if kind == kindString {
			n, ok = types.ParseTimespan(tmpString(content))
		}
	case types.Bool:
		var b bool
		switch kind {
		case kindBool:
			b, ok = raw[0] == 't', true
		case kindNumber:
			b, ok = parseBoolNumber(raw)
		case kindString:
			b, ok = parseBoolText(content)
		}
		if !ok {
			return c.absentFails
		}
		return (b == c.b) == (c.op == pdNe)
	case types.Guid:
		if kind != kindString {
			return c.absentFails
		}
		g, ok := types.ParseGuid(tmpString(trimText(content)))
		if !ok {
			return c.absentFails
		}
		return (g == c.guid) == (c.op == pdNe)
	}
	if !ok {
		return c.absentFails // null
	}
	return !c.matchNum(n)
}

// matchFails judges a path filter on one JSON value: a string by the
// filter itself, null as a missing key; other kinds are not judged.
func (c *pdCheck) matchFails(pd *pushdown, kind jsonKind, raw []byte) bool {
	switch kind {
	case kindNull:
		return checkLiteral(kind, raw) && c.absentFails
	case kindString:
	default:
		return false
	}
	content := raw[1 : len(raw)-1]
	if bytes.IndexByte(content, '\\') >= 0 {
		var ok bool
		if pd.scratch, ok = unescape(pd.scratch[:0], content); !ok {
			return false
		}
		content = pd.scratch
	}
	return !c.matchMemo(content)
}

func (c *pdCheck) matchStr(text []byte) bool {
	switch c.op {
	case pdEq:
		return string(text) == c.str
	case pdNe:
		return string(text) != c.str
	case pdEqFold:
		return !isASCIIBytes(text) || equalFoldBytes(text, c.str)
	case pdIn:
		for _, s := range c.strs {
			if string(text) == s {
				return true
			}
		}
		return false
	case pdInFold:
		if !isASCIIBytes(text) {
			return true
		}
		for _, s := range c.strs {
			if equalFoldBytes(text, s) {
				return true
			}
		}
		return false
	case pdMatch:
		return c.matchMemo(text)
	}
	return true
}

// matchMemo is a pdMatch check's verdict on a string: from the memo, or
// from the filter, remembered while the memo has room. Past that, an
// unseen value passes untested and the check switches itself off for
// records, since judging one would cost more than decoding it.
func (c *pdCheck) matchMemo(text []byte) bool {
	if pass, ok := c.memo[string(text)]; ok {
		return pass
	}
	if len(c.memo) >= pdMemoMax {
		c.offFor = math.MaxInt
		return true
	}
	pass := c.match(string(text))
	c.memo[string(text)] = pass
	return pass
}

func (c *pdCheck) matchNum(n int64) bool {
	switch c.op {
	case pdEq:
		return n == c.num
	case pdNe:
		return n != c.num
	case pdLt:
		return n < c.num
	case pdLe:
		return n <= c.num
	case pdGt:
		return n > c.num
	case pdGe:
		return n >= c.num
	case pdIn:
		return slices.Contains(c.nums, n)
	}
	return true
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// equalFoldBytes compares ASCII texts ignoring case.
func equalFoldBytes(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// rowFails reports whether the current row of rb, as decoded so far,
// fails a check. Readers of typed data (Parquet) decode the filters'
// columns first and use it to skip decoding the rest.
func (pd *pushdown) rowFails(rb *rowBuilder) bool {
	for _, c := range pd.checks {
		if c.decodedFails(&rb.cols[c.col], rb.n) {
			return true
		}
	}
	return false
}

func (c *pdCheck) decodedFails(col *colOut, n int) bool {
	return c.vecFails(col.v, n, col.state != prioNone)
}

// vecFails reports whether row i of v (null unless present) fails.
func (c *pdCheck) vecFails(v *vec.Vec, i int, present bool) bool {
	if !present {
		if c.typ == types.String {
			return !c.matchStr(nil)
		}
		return c.absentFails
	}
	switch c.typ {
	case types.String:
		return !c.matchStr([]byte(v.Strs[i]))
	case types.Bool:
		return (v.Bools[i] == c.b) == (c.op == pdNe)
	case types.Guid:
		return (v.Guids[i] == c.guid) == (c.op == pdNe)
	}
	return !c.matchNum(v.Ints[i])
}
