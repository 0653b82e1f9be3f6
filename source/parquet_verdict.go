package source

import (
	"cmp"
	"math"
	"slices"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"hunt/kql/types"
)

// pqVerdict decides, from a filter column's stored value alone, whether
// the row certainly fails a pushed-down filter, so that a dropped row
// costs a table look-up instead of a value built, converted, stored,
// tested and rolled back. For a dictionary-encoded page the filters are
// run once per dictionary entry. Only a column's own (not its
// partner's) values are judged: a non-null value converted at prioOwn is
// the one the row ends up with, since no other file column has its
// name. Values it cannot judge with certainty (nulls, conversions that
// may not take) go the ordinary way and are tested by rowFails.
type pqVerdict struct {
	checks []*pdCheck // the checks on the column's own target
	colTyp types.Type // the target's type
	kind   pqKind

	dict  parquet.Dictionary // the dictionary table was built for
	table []bool             // table[k]: entry k fails a check

	tested, failed int
}

// pqReorder is how often, in rows, the filter columns are reordered.
const pqReorder = 4096

// reorder sorts the columns that feed filters so that those whose
// verdicts dropped the most rows come first: a row is then usually
// dropped after one look-up, whatever the order of the file's columns.
func (r *parquetReader) reorder() {
	rate := func(c *pqColumn) float64 {
		if c.verdict == nil || c.verdict.tested == 0 {
			return -1
		}
		return float64(c.verdict.failed) / float64(c.verdict.tested)
	}
	slices.SortStableFunc(r.cols[:r.first], func(a, b *pqColumn) int {
		return cmp.Compare(rate(b), rate(a))
	})
}

// newPqVerdict returns the verdict for column c, or nil when no check
// tests its own target.
func newPqVerdict(c *pqColumn, rb *rowBuilder) *pqVerdict {
	if rb.pd == nil || c.nest != nil || c.t.own < 0 {
		return nil
	}
	v := &pqVerdict{colTyp: rb.cols[c.t.own].typ, kind: c.kind}
	for _, k := range rb.pd.checks {
		if k.col == int(c.t.own) {
			v.checks = append(v.checks, k)
		}
	}
	if len(v.checks) == 0 {
		return nil
	}
	return v
}

// rowFails reports whether the next row of the page d reads certainly
// fails, without moving past it.
func (v *pqVerdict) rowFails(d *pqDirect) bool {
	i, ok := d.index()
	if !ok {
		return false
	}
	switch {
	case d.dict != nil:
		if d.dict != v.dict {
			v.build(d.dict)
		}
		x := d.i32[i]
		return x >= 0 && int(x) < len(v.table) && v.table[x]
	case d.ends != nil:
		return v.bytesFail(d.bytes[d.offs[i]:d.ends[i]])
	case d.kind == encoding.ByteArray:
		return v.bytesFail(d.bytes[d.offs[i]:d.offs[i+1]])
	case d.kind == encoding.Int32:
		return v.intFails(int64(d.i32[i]))
	}
	return v.intFails(d.i64[i])
}

// build fills the table for a dictionary.
func (v *pqVerdict) build(dict parquet.Dictionary) {
	v.dict = dict
	n := dict.Len()
	v.table = v.table[:0]
	for k := range n {
		x := dict.Index(int32(k))
		fails := false
		switch x.Kind() {
		case parquet.ByteArray:
			fails = v.bytesFail(x.ByteArray())
		case parquet.Int32:
			fails = v.intFails(int64(x.Int32()))
		case parquet.Int64:
			fails = v.intFails(x.Int64())
		}
		v.table = append(v.table, fails)
	}
}

// bytesFail judges a byte-array value, as putParquetText would store it
// in a string column.
func (v *pqVerdict) bytesFail(b []byte) bool {
	if v.colTyp != types.String || v.kind == pqUUID {
		return false
	}
	for _, k := range v.checks {
		if k.typ == types.String && !k.matchStr(b) {
			return true
		}
	}
	return false
}

// intFails judges an integer or timestamp value, converted as
// putParquet converts it.
func (v *pqVerdict) intFails(x int64) bool {
	switch v.kind {
	case pqPlain:
		switch v.colTyp {
		case types.Long:
		case types.Int:
			if x < math.MinInt32 || x > math.MaxInt32 {
				return false
			}
		default:
			return false
		}
	case pqMillis, pqMicros, pqNanos, pqDate:
		if v.colTyp != types.DateTime {
			return false
		}
		switch v.kind {
		case pqMillis:
			x *= 10000
		case pqMicros:
			x *= 10
		case pqNanos:
			x /= 100
		case pqDate:
			x *= 86400 * types.TicksPerSecond
		}
	default:
		return false
	}
	for _, k := range v.checks {
		if k.typ == v.colTyp && !k.matchNum(x) {
			return true
		}
	}
	return false
}
