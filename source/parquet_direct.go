package source

import (
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// pqDirect reads a flat page's values by row number straight from its
// decoded buffers, instead of copying every value out through a
// ValueReader: a value is built only for the rows that are kept. Plain
// byte arrays, 32- and 64-bit integers and dictionary indexes are read
// this way; other pages go through their ValueReader.
type pqDirect struct {
	on   bool
	rows int // rows in the page
	row  int // the next row
	// defs are the rows' definition levels (nil when none is null);
	// vi is the number of non-null values in the rows before defRow.
	defs   []byte
	maxDef byte
	defRow int
	vi     int

	kind  encoding.Kind
	bytes []byte
	offs  []uint32
	ends  []uint32 // when set, value i is bytes[offs[i]:ends[i]]
	i32   []int32
	i64   []int64
	dict  parquet.Dictionary
	dictN int32
}

// bind sets d to read page p, and reports whether it can.
func (d *pqDirect) bind(p parquet.Page, maxDef byte) bool {
	*d = pqDirect{}
	if len(p.RepetitionLevels()) > 0 {
		return false
	}
	data := p.Data()
	values := 0
	switch data.Kind() {
	case encoding.ByteArray:
		if p.Dictionary() != nil {
			return false
		}
		d.bytes, d.offs = data.ByteArray()
		if len(d.offs) == 0 {
			return false
		}
		values = len(d.offs) - 1
		if int(d.offs[values]) > len(d.bytes) {
			return false
		}
	case encoding.Int32:
		d.i32 = data.Int32()
		values = len(d.i32)
		if dict := p.Dictionary(); dict != nil {
			d.dict, d.dictN = dict, int32(dict.Len())
		}
	case encoding.Int64:
		if p.Dictionary() != nil {
			return false
		}
		d.i64 = data.Int64()
		values = len(d.i64)
	default:
		return false
	}
	d.kind = data.Kind()
	defs := p.DefinitionLevels()
	if maxDef > 0 && len(defs) > 0 {
		nonNull := 0
		for _, l := range defs {
			if l == maxDef {
				nonNull++
			}
		}
		if nonNull > values {
			return false
		}
		d.defs, d.maxDef, d.rows = defs, maxDef, len(defs)
	} else {
		if int64(values) < p.NumRows() {
			return false
		}
		d.rows = int(p.NumRows())
	}
	d.on = true
	return true
}

// index returns the position among the page's values of the next row's
// value, and false when it is null; it does not move past the row.
func (d *pqDirect) index() (int, bool) {
	r := d.row
	if d.defs == nil {
		return r, true
	}
	for ; d.defRow < r; d.defRow++ {
		if d.defs[d.defRow] == d.maxDef {
			d.vi++
		}
	}
	return d.vi, d.defs[r] == d.maxDef
}

// at returns the value of the next row and moves past it.
func (d *pqDirect) at() (parquet.Value, error) {
	i, ok := d.index()
	d.row++
	if !ok {
		return parquet.Value{}, nil
	}
	switch {
	case d.dict != nil:
		x := d.i32[i]
		if x < 0 || x >= d.dictN {
			return parquet.Value{}, fmt.Errorf("dictionary index %d out of range [0, %d)", x, d.dictN)
		}
		return d.dict.Index(x), nil
	case d.ends != nil:
		return parquet.ByteArrayValue(d.bytes[d.offs[i]:d.ends[i]]), nil
	case d.kind == encoding.ByteArray:
		return parquet.ByteArrayValue(d.bytes[d.offs[i]:d.offs[i+1]]), nil
	case d.kind == encoding.Int32:
		return parquet.Int32Value(d.i32[i]), nil
	}
	return parquet.Int64Value(d.i64[i]), nil
}
