package store

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// A term index maps each folded term of a plain string chunk to the rows
// holding it, as Kusto's term index does for has. Its page is
//
//	nterms u32 | term ends (nterms u32) | posting ends (nterms u32) | terms (sorted) | postings
//
// and a posting is either 0, a uvarint count and uvarint gaps between
// ascending rows, or 1 and a bitmap of the block's rows, whichever is
// smaller. Lookups binary-search the terms in place, so a query that
// asks for three terms decodes three postings, not the index.

// maxTermLen is the longest term indexed; a needle with a longer term
// cannot use the index (the reader then keeps every row).
const maxTermLen = 64

type indexBuilder struct {
	rows  map[string][]uint32
	buf   []byte
	empty bool
}

func newIndexBuilder() *indexBuilder { return &indexBuilder{rows: map[string][]uint32{}} }

func (ib *indexBuilder) add(row int, s string) {
	ib.buf = eachTerm(s, ib.buf, func(t []byte) {
		if len(t) > maxTermLen {
			return
		}
		rs := ib.rows[string(t)]
		if n := len(rs); n > 0 && rs[n-1] == uint32(row) {
			return
		}
		ib.rows[string(t)] = append(rs, uint32(row))
	})
}

func (ib *indexBuilder) encode(nrows int) []byte {
	terms := make([]string, 0, len(ib.rows))
	for t := range ib.rows {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	n := len(terms)
	head := make([]byte, 4+8*n)
	binary.LittleEndian.PutUint32(head, uint32(n))
	var tb, pb []byte
	for i, t := range terms {
		tb = append(tb, t...)
		binary.LittleEndian.PutUint32(head[4+4*i:], uint32(len(tb)))
		pb = appendPosting(pb, ib.rows[t], nrows)
		binary.LittleEndian.PutUint32(head[4+4*n+4*i:], uint32(len(pb)))
	}
	return append(append(head, tb...), pb...)
}

func appendPosting(b []byte, rows []uint32, nrows int) []byte {
	listLen := binary.MaxVarintLen32 * len(rows)
	bitmapLen := (nrows + 7) / 8
	if listLen > bitmapLen {
		start := len(b) + 1
		b = append(b, 1)
		b = append(b, make([]byte, bitmapLen)...)
		for _, r := range rows {
			b[start+int(r)/8] |= 1 << (r % 8)
		}
		return b
	}
	b = append(b, 0)
	b = binary.AppendUvarint(b, uint64(len(rows)))
	prev := uint32(0)
	for i, r := range rows {
		if i == 0 {
			b = binary.AppendUvarint(b, uint64(r))
		} else {
			b = binary.AppendUvarint(b, uint64(r-prev))
		}
		prev = r
	}
	return b
}

// termIndex reads an index page in place.
type termIndex struct {
	b      []byte
	n      int
	terms  []byte
	posts  []byte
	nrows  int
	header []byte
}

func openIndex(b []byte, nrows int) (*termIndex, error) {
	if len(b) < 4 {
		return nil, errPage
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n < 0 || uint64(n)*8+4 > uint64(len(b)) {
		return nil, errPage
	}
	ti := &termIndex{b: b, n: n, nrows: nrows, header: b[4 : 4+8*n]}
	rest := b[4+8*n:]
	tlen := 0
	if n > 0 {
		tlen = int(binary.LittleEndian.Uint32(ti.header[4*(n-1):]))
	}
	if tlen > len(rest) {
		return nil, errPage
	}
	ti.terms, ti.posts = rest[:tlen], rest[tlen:]
	return ti, nil
}

func (ti *termIndex) termEnd(i int) int { return int(binary.LittleEndian.Uint32(ti.header[4*i:])) }
func (ti *termIndex) postEnd(i int) int {
	return int(binary.LittleEndian.Uint32(ti.header[4*ti.n+4*i:]))
}
func (ti *termIndex) span(i int, end func(int) int) (int, int) {
	s := 0
	if i > 0 {
		s = end(i - 1)
	}
	return s, end(i)
}

func (ti *termIndex) term(i int) ([]byte, error) {
	s, e := ti.span(i, ti.termEnd)
	if s > e || e > len(ti.terms) {
		return nil, errPage
	}
	return ti.terms[s:e], nil
}

// rows returns the rows holding term as a bitmap over the block, or nil
// when no row holds it.
func (ti *termIndex) rows(term []byte) (bitset, error) {
	var ferr error
	i := sort.Search(ti.n, func(i int) bool {
		t, err := ti.term(i)
		if err != nil {
			ferr = err
			return true
		}
		return bytes.Compare(t, term) >= 0
	})
	if ferr != nil {
		return nil, ferr
	}
	if i == ti.n {
		return nil, nil
	}
	if t, _ := ti.term(i); !bytes.Equal(t, term) {
		return nil, nil
	}
	s, e := ti.span(i, ti.postEnd)
	if s >= e || e > len(ti.posts) {
		return nil, errPage
	}
	p := ti.posts[s:e]
	switch p[0] {
	case 1:
		return bitmapBytes(p[1:], ti.nrows)
	case 0:
		cnt, m := binary.Uvarint(p[1:])
		if m <= 0 || cnt > uint64(ti.nrows) {
			return nil, errPage
		}
		out := newBitset(ti.nrows)
		pos := 1 + m
		row := uint64(0)
		for k := uint64(0); k < cnt; k++ {
			d, m := binary.Uvarint(p[pos:])
			if m <= 0 {
				return nil, errPage
			}
			pos += m
			row += d
			if row >= uint64(ti.nrows) {
				return nil, errPage
			}
			out.set(int(row))
		}
		return out, nil
	}
	return nil, errPage
}
