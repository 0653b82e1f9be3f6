package source

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// Priorities of a value written into a row's column: a value under the
// column's own name beats one filled in from its partner (Timestamp from
// TimeGenerated, ISP from Isp), whichever comes first in the record.
const (
	prioNone  uint8 = 0
	prioAlias uint8 = 1
	prioOwn   uint8 = 2
)

// target names the decoded columns a record key feeds: the column of that
// name, and the column it stands in for when that one's own key is absent.
type target struct {
	own   int32
	alias int32
}

// partners are the column pairs that fill each other (see the package
// comment).
var partners = map[string]string{
	"Timestamp":     "TimeGenerated",
	"TimeGenerated": "Timestamp",
	"ISP":           "Isp",
	"Isp":           "ISP",
}

// buildTargets maps each record key to the columns it feeds.
func buildTargets(names []string) map[string]target {
	m := make(map[string]target, 2*len(names))
	get := func(k string) target {
		if t, ok := m[k]; ok {
			return t
		}
		return target{own: -1, alias: -1}
	}
	for i, n := range names {
		t := get(n)
		t.own = int32(i)
		m[n] = t
	}
	for i, n := range names {
		if p, ok := partners[n]; ok {
			t := get(p)
			t.alias = int32(i)
			m[p] = t
		}
	}
	return m
}

// colOut is one decoded column of the batch being built.
type colOut struct {
	typ   types.Type
	v     *vec.Vec
	state uint8 // priority of the value the current row holds, prioNone if none
	sets  uint32
	in    interner
	tree  *treeBuilder // dynamic columns
	paths []string     // dynamic columns: the only keys to keep, or nil
}

// rowBuilder accumulates decoded rows into typed vectors. Values go
// straight into the vectors; a row that turns out bad is rolled back by
// truncation, which is cheaper than staging every value.
type rowBuilder struct {
	cols    []colOut
	keys    map[string]target
	n       int
	scratch []byte // unescaped strings, compacted JSON
	keyBuf  []byte
	kc      []keyCache
	pd      *pushdown // filters tested before decoding, or nil
	// textPD[i] holds the path filters on dynamic column i, for readers
	// that get the column as JSON text (Parquet); nil when there are none.
	textPD map[int32]*pushdown
	// recordPD holds the same checks for readers of whole records (JSON).
	recordPD *pushdown
}

// rejectsRecord reports whether the record starting at obj[0] certainly
// fails a pushed-down filter.
func (rb *rowBuilder) rejectsRecord(obj []byte) bool {
	return rb.pd != nil && rb.pd.rejects(obj) || rb.recordPD != nil && rb.recordPD.rejects(obj)
}

func newRowBuilder(s vec.Schema) *rowBuilder {
	rb := &rowBuilder{cols: make([]colOut, len(s))}
	names := make([]string, len(s))
	for i, c := range s {
		rb.cols[i] = colOut{typ: c.Type}
		if c.Type == types.Dynamic {
			rb.cols[i].tree = newTreeBuilder()
		}
		names[i] = c.Name
	}
	rb.keys = buildTargets(names)
	rb.reset()
	return rb
}

// setPaths limits dynamic columns to the keys the query reads of them.
func (rb *rowBuilder) setPaths(paths map[string][]string) {
	if len(paths) == 0 {
		return
	}
	for ci, c := range rb.cols {
		if c.typ != types.Dynamic {
			continue
		}
		for name, t := range rb.keys {
			if t.own == int32(ci) {
				if keys, ok := paths[name]; ok {
					rb.cols[ci].paths = append([]string{}, keys...)
				}
			}
		}
	}
}

func (rb *rowBuilder) reset() {
	size := vec.BatchSize
	if size < 1 {
		size = 1
	}
	for i := range rb.cols {
		rb.cols[i].v = vec.New(rb.cols[i].typ, size)
	}
	rb.n = 0
}

func (rb *rowBuilder) full() bool { return rb.n >= max(vec.BatchSize, 1) }

// commit ends the current row: columns it did not set become null.
func (rb *rowBuilder) commit() {
	for i := range rb.cols {
		c := &rb.cols[i]
		if c.state == prioNone {
			c.v.AppendNull()
		}
		c.state = prioNone
	}
	rb.n++
}

// rollback drops whatever the current row has set.
func (rb *rowBuilder) rollback() {
	for i := range rb.cols {
		c := &rb.cols[i]
		if c.state != prioNone {
			truncate(c.v, rb.n)
			c.state = prioNone
		}
	}
}

func truncate(v *vec.Vec, n int) {
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bools = v.Bools[:n]
	case types.PhysInt:
		v.Ints = v.Ints[:n]
	case types.PhysReal:
		v.Reals = v.Reals[:n]
	case types.PhysString:
		clear(v.Strs[n:len(v.Strs)])
		v.Strs = v.Strs[:n]
	case types.PhysGuid:
		v.Guids = v.Guids[:n]
	default:
		clear(v.Dyns[n:len(v.Dyns)])
		v.Dyns = v.Dyns[:n]
	}
}

// flush returns the rows built so far and starts a new batch.
func (rb *rowBuilder) flush() []*vec.Vec {
	out := make([]*vec.Vec, len(rb.cols))
	for i := range rb.cols {
		out[i] = rb.cols[i].v
	}
	rb.reset()
	return out
}

// The set* methods store a converted value for the current row, replacing
// one stored earlier in the same row.

func (c *colOut) take(prio uint8) (replace bool, ok bool) {
	if c.state > prio {
		return false, false
	}
	replace = c.state != prioNone
	c.state = prio
	c.sets++
	return replace, true
}

// clearOwn drops the current row's value of column ci when it came from
// the column's own key: a later duplicate of the key that is null or does
// not convert wins, as the last duplicate does in kql/types.ParseJSON.
func (rb *rowBuilder) clearOwn(ci int32) {
	c := &rb.cols[ci]
	if c.state == prioOwn {
		truncate(c.v, rb.n)
		c.state = prioNone
	}
}

func (c *colOut) setInt(n int, prio uint8, x int64) { set(c, n, prio, &c.v.Ints, x) }

func (c *colOut) setReal(n int, prio uint8, x float64) { set(c, n, prio, &c.v.Reals, x) }

func (c *colOut) setBool(n int, prio uint8, x bool) { set(c, n, prio, &c.v.Bools, x) }

func (c *colOut) setStr(n int, prio uint8, x string) { set(c, n, prio, &c.v.Strs, x) }

func (c *colOut) setGuid(n int, prio uint8, x types.GuidVal) { set(c, n, prio, &c.v.Guids, x) }

func (c *colOut) setDyn(n int, prio uint8, x any) {
	if x != nil {
		set(c, n, prio, &c.v.Dyns, x)
	}
}

// set stores x as row n's value in vals when prio allows: in place when
// the row has one already, else appended (n is then len(*vals)).
func set[T any](c *colOut, n int, prio uint8, vals *[]T, x T) {
	if rep, ok := c.take(prio); ok {
		if rep {
			(*vals)[n] = x
		} else {
			*vals = append(*vals, x)
		}
	}
}

// interner shares the string values of a column within a reader. Most
// columns that hunting queries read (ActionType, Application, DeviceName)
// repeat a few values, and sharing them saves an allocation per row and
// the memory of every copy downstream. It is a direct-mapped cache, so
// its size is fixed and a lookup costs a hash of a few words and one
// comparison. Columns that turn out to be mostly unique (ReportId) switch
// it off after a trial.
type interner struct {
	tab    []string
	misses int
	hits   int
	off    bool
	always bool // never switch off (object keys)
}

const (
	internMaxLen = 96
	internSlots  = 1024
	internTrial  = 2048
)

func (in *interner) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if in.off || len(b) > internMaxLen {
		return string(b)
	}
	if in.tab == nil {
		in.tab = make([]string, internSlots)
	}
	// Two ways per set, most recent first, so two frequent values that
	// hash alike do not evict each other.
	h := hashBytes(b) & (internSlots/2 - 1) * 2
	if s := in.tab[h]; s == string(b) {
		in.hits++
		return s
	}
	if s := in.tab[h+1]; s == string(b) {
		in.hits++
		in.tab[h], in.tab[h+1] = s, in.tab[h]
		return s
	}
	s := string(b)
	in.tab[h+1] = in.tab[h]
	in.tab[h] = s
	in.misses++
	if in.misses == internTrial && !in.always {
		if in.hits < internTrial {
			in.off, in.tab = true, nil
		}
		in.misses, in.hits = 0, 0
	}
	return s
}

// hashBytes is a cheap hash of a short byte string: its length and its
// first and last eight bytes.
func hashBytes(b []byte) uint32 {
	n := len(b)
	var h uint64
	if n >= 8 {
		h = binary.LittleEndian.Uint64(b) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(b[n-8:]), 29)
	} else {
		for _, c := range b {
			h = h<<8 | uint64(c)
		}
	}
	h = (h ^ uint64(n)) * 0x9E3779B97F4A7C15
	return uint32(h >> 32)
}

// keyCache remembers, for each position of a key in the record, the key
// last seen there and the columns it feeds: exports write every record
// with the same keys in the same order, so one comparison usually
// replaces a map lookup.
type keyCache struct {
	key   string
	t     target
	found bool
}

// putJSON converts the JSON value raw (of the given kind, already
// validated as a token) into column ci of the current row. A value that
// does not fit the column's type is dropped, leaving the row's value
// null; only malformed JSON inside a value is an error.
func (rb *rowBuilder) putJSON(ci int32, prio uint8, kind jsonKind, raw []byte) error {
	c := &rb.cols[ci]
	if c.state > prio {
		return nil
	}
	sets := c.sets
	if err := rb.convertJSON(c, prio, kind, raw); err != nil {
		return err
	}
	if c.sets == sets && prio == prioOwn {
		rb.clearOwn(ci)
	}
	return nil
}

func (rb *rowBuilder) convertJSON(c *colOut, prio uint8, kind jsonKind, raw []byte) error {
	n := rb.n
	// Skipping found only the extent of a container; a requested one must
	// also be valid JSON (dynamic columns check while building the tree).
	if (kind == kindObject || kind == kindArray) && c.typ != types.Dynamic {
		if err := validJSON(raw); err != nil {
			return err
		}
	}
	var content []byte
	if kind == kindString {
		content = raw[1 : len(raw)-1]
		if bytes.IndexByte(content, '\\') >= 0 {
			var ok bool
			rb.scratch, ok = unescape(rb.scratch[:0], content)
			if !ok {
				return &syntaxError{0, "invalid escape in string"}
			}
			content = rb.scratch
		}
	}
	switch c.typ {
	case types.String:
		switch kind {
		case kindString:
			c.setStr(n, prio, c.in.str(content))
		case kindNumber, kindBool:
			c.setStr(n, prio, c.in.str(raw))
		case kindObject, kindArray:
			rb.scratch = compactJSON(rb.scratch[:0], raw)
			c.setStr(n, prio, string(rb.scratch))
		}
	case types.Dynamic:
		switch kind {
		case kindString:
			if startsLikeJSONContainer(content) {
				if v, err := c.tree.parsePaths(content, c.paths); err == nil {
					c.setDyn(n, prio, v)
					return nil
				}
			}
			c.setDyn(n, prio, c.in.str(content))
		case kindNumber:
			c.setDyn(n, prio, jsonNumberValue(raw))
		case kindBool:
			c.setDyn(n, prio, raw[0] == 't')
		case kindObject, kindArray:
			v, err := c.tree.parsePaths(raw, c.paths)
			if err != nil {
				return err
			}
			c.setDyn(n, prio, v)
		}
	case types.Int, types.Long:
		if kind == kindNumber || kind == kindString {
			if kind == kindString {
				raw = content
			}
			if v, ok := parseIntText(raw, c.typ == types.Int); ok {
				c.setInt(n, prio, v)
			}
		}
	case types.Real, types.Decimal:
		if kind == kindNumber || kind == kindString {
			if kind == kindString {
				raw = content
			}
			if v, ok := parseRealText(raw); ok {
				c.setReal(n, prio, v)
			}
		}
	case types.Bool:
		switch kind {
		case kindBool:
			c.setBool(n, prio, raw[0] == 't')
		case kindNumber:
			if v, ok := parseBoolNumber(raw); ok {
				c.setBool(n, prio, v)
			}
		case kindString:
			if v, ok := parseBoolText(content); ok {
				c.setBool(n, prio, v)
			}
		}
	case types.DateTime:
		if kind == kindString {
			if v, ok := types.ParseDatetime(tmpString(content)); ok {
				c.setInt(n, prio, v)
			}
		}
	case types.Timespan:
		if kind == kindString {
			if v, ok := types.ParseTimespan(tmpString(content)); ok {
				c.setInt(n, prio, v)
			}
		}
	case types.Guid:
		if kind == kindString {
			if v, ok := types.ParseGuid(tmpString(trimText(content))); ok {
				c.setGuid(n, prio, v)
			}
		}
	}
	return nil
}

// putText converts a CSV cell into column ci of the current row. An empty
// cell leaves the value null ("" for strings).
func (rb *rowBuilder) putText(ci int32, prio uint8, text []byte) {
	c := &rb.cols[ci]
	if c.state > prio || len(text) == 0 {
		return
	}
	n := rb.n
	switch c.typ {
	case types.String:
		c.setStr(n, prio, c.in.str(text))
	case types.Dynamic:
		c.setDyn(n, prio, c.tree.fromText(text, c.paths, c.in.str))
	case types.Int, types.Long:
		if v, ok := parseIntText(text, c.typ == types.Int); ok {
			c.setInt(n, prio, v)
		}
	case types.Real, types.Decimal:
		if v, ok := parseRealText(text); ok {
			c.setReal(n, prio, v)
		}
	case types.Bool:
		if v, ok := parseBoolText(text); ok {
			c.setBool(n, prio, v)
		}
	case types.DateTime:
		if v, ok := types.ParseDatetime(tmpString(text)); ok {
			c.setInt(n, prio, v)
		}
	case types.Timespan:
		if v, ok := types.ParseTimespan(tmpString(text)); ok {
			c.setInt(n, prio, v)
		}
	case types.Guid:
		if v, ok := types.ParseGuid(tmpString(trimText(text))); ok {
			c.setGuid(n, prio, v)
		}
	}
}

// decodeObject decodes the object starting at b[i] into the current row
// and returns the index just past it.
func (rb *rowBuilder) decodeObject(b []byte, i int) (int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for ord := 0; ; ord++ {
		if i >= len(b) {
			return -1, &syntaxError{i, "unexpected end of record"}
		}
		if b[i] != '"' {
			return -1, &syntaxError{i, "expected a quoted key"}
		}
		ke := stringEnd(b, i+1)
		if ke < 0 {
			return -1, &syntaxError{i, "unterminated string"}
		}
		key := b[i+1 : ke-1]
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return -1, &syntaxError{i, "expected ':' after key"}
		}
		i = skipWS(b, i+1)
		var t target
		var found bool
		if ord < len(rb.kc) && rb.kc[ord].key == string(key) {
			t, found = rb.kc[ord].t, rb.kc[ord].found
		} else {
			t, found = rb.lookupKey(key, ord)
		}
		if !found && bytes.IndexByte(key, '\\') >= 0 {
			var ok bool
			rb.keyBuf, ok = unescape(rb.keyBuf[:0], key)
			if !ok {
				return -1, &syntaxError{i, "invalid escape in key"}
			}
			t, found = rb.keys[string(rb.keyBuf)]
		}
		if found && t.alias < 0 && t.own >= 0 && i < len(b) && (b[i] == '{' || b[i] == '[') && rb.cols[t.own].typ == types.Dynamic {
			// A requested object or array is parsed in one pass, without
			// first scanning for its end.
			c := &rb.cols[t.own]
			v, e, err := c.tree.valuePaths(b, i, c.paths)
			if err != nil {
				return -1, err
			}
			c.setDyn(rb.n, prioOwn, v)
			if i = skipWS(b, e); i >= len(b) {
				return -1, &syntaxError{i, "unexpected end of record"}
			}
			switch b[i] {
			case ',':
				i = skipWS(b, i+1)
				continue
			case '}':
				return i + 1, nil
			}
			return -1, &syntaxError{i, "expected ',' or '}'"}
		}
		kind, e := valueEnd(b, i)
		if e < 0 {
			return -1, valueError(b, i, kind)
		}
		if found {
			if kind <= kindNumber && !checkLiteral(kind, b[i:e]) {
				return -1, &syntaxError{i, "invalid literal"}
			}
			if kind == kindNull {
				if t.own >= 0 {
					rb.clearOwn(t.own)
				}
			} else {
				if t.own >= 0 {
					if err := rb.putJSON(t.own, prioOwn, kind, b[i:e]); err != nil {
						return -1, offsetError(err, i)
					}
				}
				if t.alias >= 0 {
					if err := rb.putJSON(t.alias, prioAlias, kind, b[i:e]); err != nil {
						return -1, offsetError(err, i)
					}
				}
			}
		}
		i = skipWS(b, e)
		if i >= len(b) {
			return -1, &syntaxError{i, "unexpected end of record"}
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return -1, &syntaxError{i, "expected ',' or '}'"}
		}
	}
}

// lookupKey finds the columns key feeds and caches the answer for
// position ord.
func (rb *rowBuilder) lookupKey(key []byte, ord int) (target, bool) {
	t, found := rb.keys[string(key)]
	if ord < 256 {
		for len(rb.kc) <= ord {
			rb.kc = append(rb.kc, keyCache{})
		}
		rb.kc[ord] = keyCache{key: string(key), t: t, found: found}
	}
	return t, found
}

func valueError(b []byte, i int, kind jsonKind) error {
	switch kind {
	case kindInvalid:
		if i >= len(b) {
			return &syntaxError{i, "unexpected end of record"}
		}
		return &syntaxError{i, "unexpected character " + quoteByte(b[i])}
	case kindString:
		return &syntaxError{i, "unterminated string"}
	}
	return &syntaxError{i, "unterminated object or array"}
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// offsetError places an error from a nested parse at the value's offset
// in the record.
func offsetError(err error, at int) error {
	switch e := err.(type) {
	case *syntaxError:
		return &syntaxError{at + e.off, e.msg}
	case *types.JSONError:
		return &syntaxError{at + e.Offset, e.Msg}
	}
	return &syntaxError{at, err.Error()}
}

// keyValues walks the top-level keys of the object at b[i], calling fn
// with each key (raw, still escaped) and the value's kind and extent. It
// returns the index past the object. fn returns false to stop early, in
// which case the result is -1 with a nil error.
func keyValues(b []byte, i int, fn func(key []byte, kind jsonKind, start, end int) bool) (int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) {
			return -1, &syntaxError{i, "unexpected end of record"}
		}
		if b[i] != '"' {
			return -1, &syntaxError{i, "expected a quoted key"}
		}
		ke := stringEnd(b, i+1)
		if ke < 0 {
			return -1, &syntaxError{i, "unterminated string"}
		}
		key := b[i+1 : ke-1]
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return -1, &syntaxError{i, "expected ':' after key"}
		}
		i = skipWS(b, i+1)
		kind, e := valueEnd(b, i)
		if e < 0 {
			return -1, valueError(b, i, kind)
		}
		if !fn(key, kind, i, e) {
			return -1, nil
		}
		i = skipWS(b, e)
		if i >= len(b) {
			return -1, &syntaxError{i, "unexpected end of record"}
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return -1, &syntaxError{i, "expected ',' or '}'"}
		}
	}
}

// checkTrailing reports text after the record's closing brace.
func checkTrailing(b []byte, i int) error {
	if j := skipWS(b, i); j < len(b) {
		return &syntaxError{j, "unexpected text after the record"}
	}
	return nil
}
