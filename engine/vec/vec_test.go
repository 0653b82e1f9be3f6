package vec

import (
	"testing"

	"hunt/kql/types"
)

func TestGatherSliceExpand(t *testing.T) {
	v := New(types.Long, 4)
	for _, x := range []any{int64(1), nil, int64(3), int64(4)} {
		v.Append(x)
	}
	g := v.Gather([]int{3, 1, 0})
	if g.Get(0) != int64(4) || g.Get(1) != nil || g.Get(2) != int64(1) {
		t.Errorf("Gather: %v %v %v", g.Get(0), g.Get(1), g.Get(2))
	}
	s := v.Slice(1, 3)
	if s.Len() != 2 || !s.IsNull(0) || s.Get(1) != int64(3) {
		t.Errorf("Slice: len %d, %v %v", s.Len(), s.Get(0), s.Get(1))
	}
	c := Constant(types.String, "x")
	if c.Get(5) != "x" {
		t.Errorf("constant row 5 = %v", c.Get(5))
	}
	e := c.Expand(3)
	if e.Const || e.Len() != 3 || e.Get(2) != "x" {
		t.Errorf("Expand: const=%v len=%d", e.Const, e.Len())
	}
	// Strings have no null in KQL: a missing string is "".
	sv := New(types.String, 1)
	sv.Append(nil)
	if sv.IsNull(0) || sv.Get(0) != "" {
		t.Errorf("string null: %v %v", sv.IsNull(0), sv.Get(0))
	}
	// A dynamic null is a nil value.
	dv := New(types.Dynamic, 1)
	dv.Append(nil)
	if !dv.IsNull(0) {
		t.Error("dynamic nil is not null")
	}
}

func TestBitmap(t *testing.T) {
	var b Bitmap
	if b.Any() || b.Get(100) {
		t.Fatal("empty bitmap has bits")
	}
	b = b.Set(0).Set(65).Set(200)
	for _, i := range []int{0, 65, 200} {
		if !b.Get(i) {
			t.Errorf("bit %d not set", i)
		}
	}
	b.Clear(65)
	if b.Get(65) || !b.Any() {
		t.Error("Clear")
	}
}
