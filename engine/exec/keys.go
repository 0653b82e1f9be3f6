package exec

import (
	"encoding/binary"
	"math"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// keyEncoder turns the key columns of each row into a byte string, so
// that rows with equal keys get equal strings. Group and join hash tables
// are keyed by these strings: lookups convert without allocating, and only
// a new group stores its key.
type keyEncoder struct {
	buf  []byte
	offs []int
}

// encode fills buf with the keys of rows [0, n) of cols; key i is
// buf[offs[i]:offs[i+1]]. hasNull[i] reports a null in row i's key (nulls
// group together in summarize but never match in joins).
func (k *keyEncoder) encode(cols []*vec.Vec, n int, hasNull []bool) {
	k.buf = k.buf[:0]
	if cap(k.offs) < n+1 {
		k.offs = make([]int, n+1)
	}
	k.offs = k.offs[:n+1]
	if len(cols) == 1 && !cols[0].Const && cols[0].Type == types.String {
		// The common single string key: the key is the string itself.
		for i, s := range cols[0].Strs[:n] {
			k.offs[i] = len(k.buf)
			k.buf = append(k.buf, s...)
		}
		k.offs[n] = len(k.buf)
		return
	}
	for i := 0; i < n; i++ {
		k.offs[i] = len(k.buf)
		for _, c := range cols {
			if c.IsNull(i) {
				k.buf = append(k.buf, 0)
				if hasNull != nil {
					hasNull[i] = true
				}
				continue
			}
			k.buf = append(k.buf, 1)
			r := c.Row(i)
			switch c.Type.Physical() {
			case types.PhysBool:
				if c.Bools[r] {
					k.buf = append(k.buf, 1)
				} else {
					k.buf = append(k.buf, 0)
				}
			case types.PhysInt:
				k.buf = binary.LittleEndian.AppendUint64(k.buf, uint64(c.Ints[r]))
			case types.PhysReal:
				f := c.Reals[r]
				if f == 0 {
					f = 0 // fold -0 into 0
				}
				if math.IsNaN(f) {
					f = math.NaN()
				}
				k.buf = binary.LittleEndian.AppendUint64(k.buf, math.Float64bits(f))
			case types.PhysString:
				s := c.Strs[r]
				k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
				k.buf = append(k.buf, s...)
			case types.PhysGuid:
				g := c.Guids[r]
				k.buf = append(k.buf, g[:]...)
			default:
				s := types.AppendJSON(nil, c.Dyns[r])
				k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
				k.buf = append(k.buf, s...)
			}
		}
	}
	k.offs[n] = len(k.buf)
}

func (k *keyEncoder) key(i int) []byte { return k.buf[k.offs[i]:k.offs[i+1]] }

// numericKeyCols converts int key columns that are joined with real
// columns; other columns are returned unchanged.
func castKeys(cols []*vec.Vec, want []types.Type) []*vec.Vec {
	out := cols
	for i, c := range cols {
		if want[i] == types.Real && c.Type.Physical() == types.PhysInt {
			if &out[0] == &cols[0] {
				out = append([]*vec.Vec(nil), cols...)
			}
			r := vec.New(types.Real, len(c.Ints))
			for _, x := range c.Ints {
				r.Reals = append(r.Reals, float64(x))
			}
			r.Nulls = c.Nulls
			r.Const = c.Const
			out[i] = r
		}
	}
	return out
}
