package plan

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// RollingPercentile is evaluate rolling_percentile: per Dims values and per
// bin of Index (Bin wide), the Pct-th percentile of Value over the window
// of the Window bins ending with that bin.
type RollingPercentile struct {
	Input       Node
	Value       Expr
	Index       Expr
	Dims        []Expr
	IndexName   string
	DimNames    []string
	OutName     string
	Pct         float64
	Bin, Window int64
}

func (*RollingPercentile) nodeMarker()      {}
func (n *RollingPercentile) Inputs() []Node { return []Node{n.Input} }
func (n *RollingPercentile) Schema() vec.Schema {
	s := vec.Schema{{Name: n.IndexName, Type: n.Index.Type()}}
	for i, d := range n.Dims {
		s = append(s, vec.Column{Name: n.DimNames[i], Type: d.Type()})
	}
	t := n.Value.Type()
	if t == types.Int {
		t = types.Long
	}
	return append(s, vec.Column{Name: n.OutName, Type: t})
}
func (n *RollingPercentile) Describe() string {
	return fmt.Sprintf("RollingPercentile pct=%g bin=%d window=%d", n.Pct, n.Bin, n.Window)
}
