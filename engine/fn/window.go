package fn

// Kernels of the window functions. Each call site gets its own kernel
// with its own state: the window operator (engine/exec) feeds it every
// row of the serialized input, batch after batch, in order, so the state
// carries across batches (the running row number, the last values for
// prev, the running sum).
//
// next() looks ahead instead: its kernel reads args[0] past row n-1,
// where the operator appends the rows that follow the batch; rows beyond
// the end of args[0] are past the end of the input.

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterScalar("row_number", newRowNumber)
	RegisterScalar("prev", newPrev)
	RegisterScalar("next", newNext)
	RegisterScalar("row_cumsum", newRowCumsum)
	RegisterScalar("row_rank_dense", func(a []builtins.Arg, t types.Type) (Scalar, error) { return newRowRank(true), nil })
	RegisterScalar("row_rank_min", func(a []builtins.Arg, t types.Type) (Scalar, error) { return newRowRank(false), nil })
	RegisterScalar("row_window_session", newRowWindowSession)
}

// restartAt reports whether the optional restart argument at index k is
// true for row i.
func restartAt(args []*vec.Vec, k, i int) bool {
	if k >= len(args) {
		return false
	}
	v := args[k]
	return !v.IsNull(i) && v.Bools[v.Row(i)]
}

func constInt(a []builtins.Arg, i int, def int64) int64 {
	if i < len(a) && a[i].Const {
		if n, ok := a[i].Value.(int64); ok {
			return n
		}
	}
	return def
}

func newRowNumber(a []builtins.Arg, _ types.Type) (Scalar, error) {
	start := constInt(a, 0, 1)
	next := start
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		out := vec.New(types.Long, n)
		for i := 0; i < n; i++ {
			if restartAt(args, 1, i) {
				next = start
			}
			out.Ints = append(out.Ints, next)
			next++
		}
		return out, nil
	}, nil
}

// shiftArgs returns the offset and the default of prev/next.
func shiftArgs(a []builtins.Arg) (int, error) {
	off := constInt(a, 1, 1)
	if len(a) > 1 && !a[1].Const {
		return 0, Errorf("the offset of prev() and next() must be a constant")
	}
	if off < 0 {
		return 0, Errorf("the offset of prev() and next() must not be negative")
	}
	return int(off), nil
}

func appendDefault(out *vec.Vec, args []*vec.Vec) {
	if len(args) > 2 && !args[2].IsNull(0) && args[2].Type.Physical() == out.Type.Physical() {
		out.AppendFrom(args[2], 0)
		return
	}
	out.AppendNull()
}

func newPrev(a []builtins.Arg, t types.Type) (Scalar, error) {
	off, err := shiftArgs(a)
	if err != nil {
		return nil, err
	}
	var hist *vec.Vec // the last off values seen, oldest first
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		x := args[0]
		if hist == nil {
			hist = vec.New(x.Type, off)
		}
		h := hist.Len()
		out := vec.New(x.Type, n)
		for i := 0; i < n; i++ {
			j := i - off
			switch {
			case j >= 0:
				out.AppendFrom(x, j)
			case h+j >= 0:
				out.AppendFrom(hist, h+j)
			default:
				appendDefault(out, args)
			}
		}
		// Keep the last off values of hist followed by x.
		nh := vec.New(x.Type, off)
		for k := max(0, h+n-off); k < h+n; k++ {
			if k < h {
				nh.AppendFrom(hist, k)
			} else {
				nh.AppendFrom(x, k-h)
			}
		}
		hist = nh
		return out, nil
	}, nil
}

func newNext(a []builtins.Arg, t types.Type) (Scalar, error) {
	off, err := shiftArgs(a)
	if err != nil {
		return nil, err
	}
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		x := args[0]
		avail := x.Len()
		if x.Const {
			avail = n + off
		}
		out := vec.New(x.Type, n)
		for i := 0; i < n; i++ {
			if i+off < avail {
				out.AppendFrom(x, i+off)
			} else {
				appendDefault(out, args)
			}
		}
		return out, nil
	}, nil
}

func newRowCumsum(a []builtins.Arg, t types.Type) (Scalar, error) {
	var isum int64
	var fsum float64
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		x := args[0]
		out := vec.New(t, n)
		for i := 0; i < n; i++ {
			if restartAt(args, 1, i) {
				isum, fsum = 0, 0
			}
			if !x.IsNull(i) {
				r := x.Row(i)
				if x.Type.Physical() == types.PhysInt {
					isum += x.Ints[r]
				} else if x.Type.Physical() == types.PhysReal {
					fsum += x.Reals[r]
				}
			}
			if t.Physical() == types.PhysInt {
				out.Ints = append(out.Ints, isum)
			} else {
				out.Reals = append(out.Reals, fsum)
			}
		}
		return out, nil
	}, nil
}

// newRowRank ranks rows by term in row order: dense ranks go up by one
// when the value changes; min ranks jump to the row's position in its
// partition (ties share the first tied row's position).
func newRowRank(dense bool) Scalar {
	var last *vec.Vec // the previous row's term, one value
	var rank, pos int64
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		x := args[0]
		out := vec.New(types.Long, n)
		for i := 0; i < n; i++ {
			pos++
			switch {
			case last == nil || restartAt(args, 1, i):
				rank, pos = 1, 1
			case !sameValue(last, 0, x, i):
				if dense {
					rank++
				} else {
					rank = pos
				}
			}
			out.Ints = append(out.Ints, rank)
			last = vec.New(x.Type, 1)
			last.AppendFrom(x, i)
		}
		return out, nil
	}
}

// sameValue compares row i of a with row j of b (same type); two nulls
// are the same.
func sameValue(a *vec.Vec, i int, b *vec.Vec, j int) bool {
	an, bn := a.IsNull(i), b.IsNull(j)
	if an || bn {
		return an == bn
	}
	ri, rj := a.Row(i), b.Row(j)
	switch a.Type.Physical() {
	case types.PhysBool:
		return a.Bools[ri] == b.Bools[rj]
	case types.PhysInt:
		return a.Ints[ri] == b.Ints[rj]
	case types.PhysReal:
		return a.Reals[ri] == b.Reals[rj]
	case types.PhysString:
		return a.Strs[ri] == b.Strs[rj]
	case types.PhysGuid:
		return a.Guids[ri] == b.Guids[rj]
	}
	return string(types.AppendJSON(nil, a.Dyns[ri])) == string(types.AppendJSON(nil, b.Dyns[rj]))
}

func newRowWindowSession(a []builtins.Arg, _ types.Type) (Scalar, error) {
	started := false
	var start, prev int64
	return func(_ *Ctx, args []*vec.Vec, n int) (*vec.Vec, error) {
		x, fromFirst, between := args[0], args[1], args[2]
		out := vec.New(types.DateTime, n)
		for i := 0; i < n; i++ {
			if x.IsNull(i) {
				out.AppendNull()
				continue
			}
			t := x.Ints[x.Row(i)]
			if !started || restartAt(args, 3, i) ||
				(!fromFirst.IsNull(i) && t-start > fromFirst.Ints[fromFirst.Row(i)]) ||
				(!between.IsNull(i) && t-prev > between.Ints[between.Row(i)]) {
				start, started = t, true
			}
			prev = t
			out.Ints = append(out.Ints, start)
		}
		return out, nil
	}, nil
}
