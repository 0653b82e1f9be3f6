package store

import (
	"hunt/engine/vec"
	"hunt/kql/types"
)

// colBuf accumulates one column of the rows of a block being written.
// Strings and dynamic values are copied into an arena at once: a reader's
// batch may share memory it reuses, and a block outlives many batches.
type colBuf struct {
	t     types.Type
	n     int
	ints  []int64
	reals []float64
	bools []bool
	guids []types.GuidVal
	arena []byte   // strings, or encoded dynamic values
	ends  []uint32 // end of each row's bytes in arena
	nulls bitset   // grown as rows are added; nil while no null was seen
}

func newColBuf(t types.Type) *colBuf { return &colBuf{t: t} }

func (c *colBuf) setNull(i int) {
	for len(c.nulls) <= i>>6 {
		c.nulls = append(c.nulls, 0)
	}
	c.nulls.set(i)
}

// item returns the bytes of row i of a string or dynamic column.
func (c *colBuf) item(i int) []byte {
	s := uint32(0)
	if i > 0 {
		s = c.ends[i-1]
	}
	return c.arena[s:c.ends[i]]
}

// appendRow appends row i of v; src == nil appends a null (the part's
// schema has a column the batch lacks).
func (c *colBuf) appendRow(v *vec.Vec, i int) {
	null := v == nil || v.IsNull(i)
	if null && c.t.Physical() != types.PhysString && c.t.Physical() != types.PhysDynamic {
		c.setNull(c.n)
	}
	r := 0
	if v != nil {
		r = v.Row(i)
	}
	switch c.t.Physical() {
	case types.PhysBool:
		c.bools = append(c.bools, !null && v.Bools[r])
	case types.PhysInt:
		x := int64(0)
		if !null {
			x = v.Ints[r]
		}
		c.ints = append(c.ints, x)
	case types.PhysReal:
		x := 0.0
		if !null {
			x = v.Reals[r]
		}
		c.reals = append(c.reals, x)
	case types.PhysGuid:
		var g types.GuidVal
		if !null {
			g = v.Guids[r]
		}
		c.guids = append(c.guids, g)
	case types.PhysString:
		if v != nil {
			c.arena = append(c.arena, v.Strs[r]...)
		}
		c.ends = append(c.ends, uint32(len(c.arena)))
	default:
		var x any
		if v != nil && !null {
			x = v.Dyns[r]
		}
		c.arena = appendDyn(c.arena, x)
		c.ends = append(c.ends, uint32(len(c.arena)))
	}
	c.n++
}

// bytes estimates the memory the buffer holds, allocated or in use.
func (c *colBuf) bytes() int {
	return 8*cap(c.ints) + 8*cap(c.reals) + cap(c.bools) + 16*cap(c.guids) + cap(c.arena) + 4*cap(c.ends)
}

// free releases the buffer's memory.
func (c *colBuf) free() {
	c.reset()
	c.ints, c.reals, c.bools, c.guids, c.arena, c.ends = nil, nil, nil, nil, nil, nil
}

func (c *colBuf) reset() {
	c.n = 0
	c.ints, c.reals, c.bools, c.guids = c.ints[:0], c.reals[:0], c.bools[:0], c.guids[:0]
	c.arena, c.ends = c.arena[:0], c.ends[:0]
	c.nulls = nil
}
