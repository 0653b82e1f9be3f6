// Package vec holds the columnar data of the engine: typed column vectors
// (Vec), batches of them (Batch) and the schemas that name them.
//
// A Vec stores one column of one batch in a Go slice of the column's
// physical type (see types.Physical): bool, int64 (int, long, datetime and
// timespan ticks), float64 (real, decimal), string, guid or dynamic (any).
// Nulls live in a separate bitmap. Strings have no null in KQL, so a string
// Vec never has null bits set; a missing string is "".
//
// A Vec may be constant: it then holds one value that stands for every
// row. Expression evaluation produces constant vectors for literals and
// folded sub-expressions so kernels can take a scalar fast path.
package vec

import (
	"hunt/kql/types"
)

// Vec is one column of a batch.
type Vec struct {
	Type  types.Type
	Const bool // one stored value stands for every row

	Bools []bool
	Ints  []int64
	Reals []float64
	Strs  []string
	Guids []types.GuidVal
	Dyns  []any

	// Nulls has bit i set when row i is null; nil means no nulls.
	Nulls Bitmap
}

// New returns an empty vector of type t with capacity for n rows.
func New(t types.Type, n int) *Vec {
	v := &Vec{Type: t}
	switch t.Physical() {
	case types.PhysBool:
		v.Bools = make([]bool, 0, n)
	case types.PhysInt:
		v.Ints = make([]int64, 0, n)
	case types.PhysReal:
		v.Reals = make([]float64, 0, n)
	case types.PhysString:
		v.Strs = make([]string, 0, n)
	case types.PhysGuid:
		v.Guids = make([]types.GuidVal, 0, n)
	case types.PhysDynamic, types.PhysNone:
		v.Dyns = make([]any, 0, n)
	}
	return v
}

// Len returns the number of stored values (1 for a constant).
func (v *Vec) Len() int {
	switch v.Type.Physical() {
	case types.PhysBool:
		return len(v.Bools)
	case types.PhysInt:
		return len(v.Ints)
	case types.PhysReal:
		return len(v.Reals)
	case types.PhysString:
		return len(v.Strs)
	case types.PhysGuid:
		return len(v.Guids)
	}
	return len(v.Dyns)
}

// Row maps a logical row to the stored index: 0 for constants.
func (v *Vec) Row(i int) int {
	if v.Const {
		return 0
	}
	return i
}

// IsNull reports whether row i is null.
func (v *Vec) IsNull(i int) bool {
	if v.Nulls == nil {
		if v.Type == types.Dynamic || v.Type == types.Unknown {
			return v.Dyns[v.Row(i)] == nil
		}
		return false
	}
	return v.Nulls.Get(v.Row(i))
}

// HasNulls reports whether any row may be null.
func (v *Vec) HasNulls() bool { return v.Nulls != nil && v.Nulls.Any() }

// SetNull marks stored index i null.
func (v *Vec) SetNull(i int) {
	if v.Type == types.String {
		return
	}
	if v.Type.Physical() == types.PhysDynamic || v.Type == types.Unknown {
		v.Dyns[i] = nil
		return
	}
	v.Nulls = v.Nulls.Set(i)
}

// AppendNull appends a null (or "" for strings).
func (v *Vec) AppendNull() {
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bools = append(v.Bools, false)
		v.Nulls = v.Nulls.Set(len(v.Bools) - 1)
	case types.PhysInt:
		v.Ints = append(v.Ints, 0)
		v.Nulls = v.Nulls.Set(len(v.Ints) - 1)
	case types.PhysReal:
		v.Reals = append(v.Reals, 0)
		v.Nulls = v.Nulls.Set(len(v.Reals) - 1)
	case types.PhysString:
		v.Strs = append(v.Strs, "")
	case types.PhysGuid:
		v.Guids = append(v.Guids, types.GuidVal{})
		v.Nulls = v.Nulls.Set(len(v.Guids) - 1)
	default:
		v.Dyns = append(v.Dyns, nil)
	}
}

// Get returns row i as a boxed value: nil for null, else bool, int64,
// float64, string, types.DT, types.TS, types.GuidVal or a dynamic value.
// It is for slow paths (output, tests, constant folding), not kernels.
func (v *Vec) Get(i int) any {
	if v.IsNull(i) {
		return nil
	}
	r := v.Row(i)
	switch v.Type {
	case types.Bool:
		return v.Bools[r]
	case types.Int, types.Long:
		return v.Ints[r]
	case types.DateTime:
		return types.DT(v.Ints[r])
	case types.Timespan:
		return types.TS(v.Ints[r])
	case types.Real, types.Decimal:
		return v.Reals[r]
	case types.String:
		return v.Strs[r]
	case types.Guid:
		return v.Guids[r]
	}
	return v.Dyns[r]
}

// Append appends a boxed value of the kind Get returns; nil appends null.
// Values of the wrong Go type append null.
func (v *Vec) Append(x any) {
	if x == nil {
		v.AppendNull()
		return
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		if b, ok := x.(bool); ok {
			v.Bools = append(v.Bools, b)
			return
		}
	case types.PhysInt:
		switch n := x.(type) {
		case int64:
			v.Ints = append(v.Ints, n)
			return
		case types.DT:
			v.Ints = append(v.Ints, int64(n))
			return
		case types.TS:
			v.Ints = append(v.Ints, int64(n))
			return
		}
	case types.PhysReal:
		if f, ok := x.(float64); ok {
			v.Reals = append(v.Reals, f)
			return
		}
	case types.PhysString:
		if s, ok := x.(string); ok {
			v.Strs = append(v.Strs, s)
			return
		}
	case types.PhysGuid:
		if g, ok := x.(types.GuidVal); ok {
			v.Guids = append(v.Guids, g)
			return
		}
	default:
		v.Dyns = append(v.Dyns, x)
		return
	}
	v.AppendNull()
}

// AppendFrom appends row i of src, which must have the same physical type.
func (v *Vec) AppendFrom(src *Vec, i int) {
	if src.IsNull(i) {
		v.AppendNull()
		return
	}
	r := src.Row(i)
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bools = append(v.Bools, src.Bools[r])
	case types.PhysInt:
		v.Ints = append(v.Ints, src.Ints[r])
	case types.PhysReal:
		v.Reals = append(v.Reals, src.Reals[r])
	case types.PhysString:
		v.Strs = append(v.Strs, src.Strs[r])
	case types.PhysGuid:
		v.Guids = append(v.Guids, src.Guids[r])
	default:
		v.Dyns = append(v.Dyns, src.Dyns[r])
	}
}

// Gather returns a new vector holding rows idx of v, in that order.
func (v *Vec) Gather(idx []int) *Vec {
	out := &Vec{Type: v.Type}
	if v.Const {
		out.Const = true
		copyConst(out, v)
		return out
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		out.Bools = make([]bool, len(idx))
		for j, i := range idx {
			out.Bools[j] = v.Bools[i]
		}
	case types.PhysInt:
		out.Ints = make([]int64, len(idx))
		for j, i := range idx {
			out.Ints[j] = v.Ints[i]
		}
	case types.PhysReal:
		out.Reals = make([]float64, len(idx))
		for j, i := range idx {
			out.Reals[j] = v.Reals[i]
		}
	case types.PhysString:
		out.Strs = make([]string, len(idx))
		for j, i := range idx {
			out.Strs[j] = v.Strs[i]
		}
	case types.PhysGuid:
		out.Guids = make([]types.GuidVal, len(idx))
		for j, i := range idx {
			out.Guids[j] = v.Guids[i]
		}
	default:
		out.Dyns = make([]any, len(idx))
		for j, i := range idx {
			out.Dyns[j] = v.Dyns[i]
		}
	}
	if v.Nulls != nil {
		for j, i := range idx {
			if v.Nulls.Get(i) {
				out.Nulls = out.Nulls.Set(j)
			}
		}
	}
	return out
}

func copyConst(out, v *Vec) {
	out.Bools, out.Ints, out.Reals, out.Strs, out.Guids, out.Dyns = v.Bools, v.Ints, v.Reals, v.Strs, v.Guids, v.Dyns
	out.Nulls = v.Nulls
}

// Expand returns v materialized to n rows when it is constant, else v.
func (v *Vec) Expand(n int) *Vec {
	if !v.Const {
		return v
	}
	out := New(v.Type, n)
	for i := 0; i < n; i++ {
		out.AppendFrom(v, 0)
	}
	return out
}

// Slice returns rows [from, to) of v sharing its storage.
func (v *Vec) Slice(from, to int) *Vec {
	if v.Const {
		return v
	}
	out := &Vec{Type: v.Type}
	switch v.Type.Physical() {
	case types.PhysBool:
		out.Bools = v.Bools[from:to]
	case types.PhysInt:
		out.Ints = v.Ints[from:to]
	case types.PhysReal:
		out.Reals = v.Reals[from:to]
	case types.PhysString:
		out.Strs = v.Strs[from:to]
	case types.PhysGuid:
		out.Guids = v.Guids[from:to]
	default:
		out.Dyns = v.Dyns[from:to]
	}
	if v.Nulls != nil {
		for i := from; i < to; i++ {
			if v.Nulls.Get(i) {
				out.Nulls = out.Nulls.Set(i - from)
			}
		}
	}
	return out
}

// Constant returns a constant vector holding boxed value x of type t.
func Constant(t types.Type, x any) *Vec {
	v := New(t, 1)
	v.Append(x)
	v.Const = true
	return v
}
