package store

import (
	"encoding/binary"
	"math"
	"sort"

	"hunt/kql/types"
)

// Encoding choices, per chunk:
//   - a column whose distinct values are few against its rows (at most a
//     quarter) is dictionary-encoded, so a filter on it is evaluated once
//     per distinct value and becomes a test of codes;
//   - other columns are stored plain in pages of about pageBytes, so that
//     reading a few rows decodes a few pages; int-backed pages keep their
//     range, for time filters;
//   - plain strings get a term index;
//   - dynamic columns holding property bags also store their frequent
//     top-level keys as columns of their own (shredding), which a scan
//     reading RawEventData.FileExtension reads instead of the bags.
const (
	pageBytes     = 32 << 10
	dictPageBytes = 16 << 10
	maxShredKeys  = 64
)

func dictLimit(n int) int { return n / 4 }

// shredMinCount is the fewest rows a key must be in to be shredded; a
// variable so that tests can leave rare keys in the whole values.
var shredMinCount = 1

// blockEncoder encodes the chunks of blocks and writes their pages.
type blockEncoder struct {
	pw      *pageWriter
	scratch []byte
}

func (e *blockEncoder) encodeBlock(cols []*colBuf) *block {
	b := &block{rows: cols[0].n}
	for _, c := range cols {
		b.chunks = append(b.chunks, e.column(c))
	}
	return b
}

func (e *blockEncoder) column(c *colBuf) *chunk {
	n := c.n
	var ch *chunk
	switch c.t.Physical() {
	case types.PhysInt:
		ch = e.ints(c.ints, c.nulls, n)
	case types.PhysReal:
		bits := make([]int64, n)
		for i, f := range c.reals {
			bits[i] = int64(math.Float64bits(f))
		}
		ch = e.fixed(n, c.nulls, func(i int) int64 { return bits[i] }, func(b []byte, idx []int) []byte {
			for _, i := range idx {
				b = binary.LittleEndian.AppendUint64(b, uint64(bits[i]))
			}
			return b
		}, 8)
	case types.PhysBool:
		ch = &chunk{enc: encPlain}
		ch.pages = []page{{rows: n, ref: e.pw.put(appendBools(nil, c.bools))}}
	case types.PhysGuid:
		ch = e.guids(c.guids, c.nulls, n)
	case types.PhysString:
		ch = e.bytesChunk(c, true)
	default:
		ch = e.bytesChunk(c, false)
		e.shred(ch, c)
	}
	if c.nulls != nil && !c.nulls.empty() {
		nb := make([]byte, (n+7)/8)
		for i := 0; i < n; i++ {
			if isNull(c.nulls, i) {
				nb[i/8] |= 1 << (i % 8)
			}
		}
		r := e.pw.put(nb)
		ch.nulls = &r
	}
	return ch
}

func isNull(nulls bitset, i int) bool { return nulls != nil && i>>6 < len(nulls) && nulls.get(i) }

// ints encodes an int-backed column: dictionary or delta pages, with
// ranges over the non-null values.
func (e *blockEncoder) ints(v []int64, nulls bitset, n int) *chunk {
	ch := e.fixed(n, nulls, func(i int) int64 { return v[i] }, func(b []byte, idx []int) []byte {
		prev := int64(0)
		for _, i := range idx {
			b = binary.LittleEndian.AppendUint64(b, uint64(v[i]-prev))
			prev = v[i]
		}
		return b
	}, 8)
	lo, hi, any := int64(math.MaxInt64), int64(math.MinInt64), false
	for i, x := range v {
		if isNull(nulls, i) {
			continue
		}
		lo, hi, any = min(lo, x), max(hi, x), true
	}
	ch.hasRange, ch.min, ch.max = any, lo, hi
	if ch.enc == encPlain {
		first := 0
		for k := range ch.pages {
			p := &ch.pages[k]
			lo, hi, any := int64(math.MaxInt64), int64(math.MinInt64), false
			for i := first; i < first+p.rows; i++ {
				if !isNull(nulls, i) {
					lo, hi, any = min(lo, v[i]), max(hi, v[i]), true
				}
			}
			p.hasRange, p.min, p.max = any, lo, hi
			first += p.rows
		}
	}
	return ch
}

// fixed encodes a column of fixed-width values identified by key(i):
// as a dictionary when they are few, else in pages of width-byte values.
func (e *blockEncoder) fixed(n int, nulls bitset, key func(int) int64, enc func([]byte, []int) []byte, width int) *chunk {
	limit := dictLimit(n)
	seen := map[int64]uint32{}
	var order []int
	codes := make([]uint32, n)
	for i := 0; i < n && len(seen) <= limit; i++ {
		if isNull(nulls, i) {
			continue
		}
		k := key(i)
		c, ok := seen[k]
		if !ok {
			c = uint32(len(order))
			seen[k] = c
			order = append(order, i)
		}
		codes[i] = c
	}
	if len(seen) <= limit && len(order) > 0 {
		return e.dictChunk(len(order), func(int) int { return width }, func(from, to int) []byte { return enc(nil, order[from:to]) }, codes)
	}
	ch := &chunk{enc: encPlain}
	per := max(1, pageBytes/width)
	idx := make([]int, 0, per)
	for first := 0; first < n; first += per {
		idx = idx[:0]
		for i := first; i < min(n, first+per); i++ {
			idx = append(idx, i)
		}
		ch.pages = append(ch.pages, page{rows: len(idx), ref: e.pw.put(enc(nil, idx))})
	}
	return ch
}

func (e *blockEncoder) guids(v []types.GuidVal, nulls bitset, n int) *chunk {
	limit := dictLimit(n)
	seen := map[types.GuidVal]uint32{}
	var order []types.GuidVal
	codes := make([]uint32, n)
	for i := 0; i < n && len(seen) <= limit; i++ {
		if isNull(nulls, i) {
			continue
		}
		c, ok := seen[v[i]]
		if !ok {
			c = uint32(len(order))
			seen[v[i]] = c
			order = append(order, v[i])
		}
		codes[i] = c
	}
	if len(seen) <= limit && len(order) > 0 {
		return e.dictChunk(len(order), func(int) int { return 16 }, func(from, to int) []byte { return appendGuids(nil, order[from:to]) }, codes)
	}
	ch := &chunk{enc: encPlain}
	per := pageBytes / 16
	for first := 0; first < n; first += per {
		end := min(n, first+per)
		ch.pages = append(ch.pages, page{rows: end - first, ref: e.pw.put(appendGuids(nil, v[first:end]))})
	}
	return ch
}

// dictChunk writes a dictionary chunk: the distinct values in pages of
// about dictPageBytes (a scan that outputs a few rows decodes the pages
// of their codes only) and the codes, bit-packed in the fewest bits that
// hold them. size(k) is the encoded size of entry k, enc the page of
// entries [from, to).
func (e *blockEncoder) dictChunk(ndict int, size func(k int) int, enc func(from, to int) []byte, codes []uint32) *chunk {
	ch := &chunk{enc: encDict, ndict: ndict, width: byte(packWidth(ndict))}
	for from := 0; from < ndict; {
		to, bytes := from, 0
		for to < ndict && (to == from || bytes+size(to) <= dictPageBytes) {
			bytes += size(to)
			to++
		}
		ch.dict = append(ch.dict, page{rows: to - from, ref: e.pw.put(enc(from, to))})
		from = to
	}
	if ndict == 1 {
		return ch
	}
	r := e.pw.putRaw(appendPacked(nil, codes, int(ch.width)))
	ch.codes = &r
	return ch
}

// bytesChunk encodes a string or dynamic column from its arena. Plain
// strings also get a term index.
func (e *blockEncoder) bytesChunk(c *colBuf, strs bool) *chunk {
	n := c.n
	limit := dictLimit(n)
	seen := map[string]uint32{}
	var order []int
	codes := make([]uint32, n)
	for i := 0; i < n && len(seen) <= limit; i++ {
		k := bytesString(c.item(i))
		code, ok := seen[k]
		if !ok {
			code = uint32(len(order))
			seen[k] = code
			order = append(order, i)
		}
		codes[i] = code
	}
	if len(seen) <= limit && len(order) > 0 {
		return e.dictChunk(len(order), func(k int) int { return len(c.item(order[k])) + 1 }, func(from, to int) []byte {
			return appendBytesVec(nil, to-from, func(k int) []byte { return c.item(order[from+k]) })
		}, codes)
	}
	ch := &chunk{enc: encPlain}
	for first := 0; first < n; {
		end, size := first, 0
		for end < n && (end == first || size+len(c.item(end)) <= pageBytes) {
			size += len(c.item(end))
			end++
		}
		raw := appendBytesVec(e.scratch[:0], end-first, func(k int) []byte { return c.item(first + k) })
		ch.pages = append(ch.pages, page{rows: end - first, ref: e.pw.put(raw)})
		e.scratch = raw
		first = end
	}
	if strs && smallVocabulary(c) {
		ib := newIndexBuilder()
		for i := 0; i < n; i++ {
			ib.add(i, bytesString(c.item(i)))
		}
		r := e.pw.put(ib.encode(n))
		ch.index = &r
	}
	return ch
}

// smallVocabulary tells from a sample of rows whether a term index pays:
// when most rows bring new terms (ids, hashes, guids), the index is as
// large as the column and as slow to build, and a scan that needs such
// a term reads the column instead.
func smallVocabulary(c *colBuf) bool {
	const sample = 2048
	n := min(c.n, sample)
	if n < 64 {
		return true
	}
	step := c.n / n
	seen := map[string]bool{}
	var buf []byte
	for k := 0; k < n; k++ {
		buf = eachTerm(bytesString(c.item(k*step)), buf, func(t []byte) {
			if !seen[string(t)] {
				seen[string(t)] = true
			}
		})
	}
	return len(seen) <= n/2
}

// shred stores the frequent top-level keys of a dynamic column's bags as
// columns: a key qualifies when it is in at least 1/256 of the rows (and
// the 64 most frequent are kept), so that sparse keys such as the
// FileExtension of upload events still qualify.
func (e *blockEncoder) shred(ch *chunk, c *colBuf) {
	n := c.n
	counts := map[string]int{}
	var first []string
	bags := 0
	for i := 0; i < n; i++ {
		ok, err := bagMembers(c.item(i), func(k, _ []byte) {
			if _, seen := counts[string(k)]; !seen {
				first = append(first, string(k))
			}
			counts[string(k)]++
		})
		if err != nil {
			panic("store: encoding a value it cannot decode: " + err.Error())
		}
		if ok {
			bags++
		}
	}
	if bags == 0 {
		return
	}
	need := max(shredMinCount, n/256)
	var keys []string
	for _, k := range first {
		if counts[k] >= need {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	if len(keys) > maxShredKeys {
		keys = keys[:maxShredKeys]
	}
	pos := make(map[string]int, len(keys))
	for i, k := range keys {
		pos[k] = i
	}
	shape := make([]uint32, n)
	kinds := make([][]uint32, len(keys))
	strs := make([]*colBuf, len(keys))
	others := make([]*colBuf, len(keys))
	for k := range keys {
		kinds[k] = make([]uint32, n)
		strs[k] = newColBuf(types.String)
	}
	hasOther := make([]bool, len(keys))
	for i := 0; i < n; i++ {
		for k := range keys {
			strs[k].ends = append(strs[k].ends, uint32(len(strs[k].arena)))
		}
		isBag, _ := bagMembers(c.item(i), func(key, val []byte) {
			k, ok := pos[string(key)]
			if !ok {
				shape[i] = shapeMore
				return
			}
			if val[0] == dynString {
				s, _, _ := dynStr(val[1:])
				strs[k].arena = append(strs[k].arena, s...)
				strs[k].ends[i] = uint32(len(strs[k].arena))
				kinds[k][i] = kindString
				return
			}
			kinds[k][i] = kindOther
			hasOther[k] = true
			if others[k] == nil {
				others[k] = newColBuf(types.Dynamic)
				for j := 0; j < i; j++ {
					others[k].arena = append(others[k].arena, dynNull)
					others[k].ends = append(others[k].ends, uint32(len(others[k].arena)))
				}
			}
			others[k].arena = append(others[k].arena, val...)
			others[k].ends = append(others[k].ends, uint32(len(others[k].arena)))
			others[k].n = i + 1
		})
		if isBag && shape[i] == 0 {
			shape[i] = shapeShredded
		}
		for k := range keys {
			if o := others[k]; o != nil && o.n == i {
				o.arena = append(o.arena, dynNull)
				o.ends = append(o.ends, uint32(len(o.arena)))
				o.n = i + 1
			}
		}
	}
	r := e.pw.putRaw(appendPacked(nil, shape, tagBits))
	ch.shape = &r
	for k, key := range keys {
		s := subColumn{key: key}
		allStr := true
		for _, x := range kinds[k] {
			if x != kindString {
				allStr = false
				break
			}
		}
		if !allStr {
			kr := e.pw.putRaw(appendPacked(nil, kinds[k], tagBits))
			s.kinds = &kr
		}
		strs[k].n = n
		s.strs = e.bytesChunk(strs[k], true)
		if hasOther[k] {
			s.other = e.bytesChunk(others[k], false)
		}
		ch.subs = append(ch.subs, s)
	}
}
