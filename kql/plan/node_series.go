package plan

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// MakeSeries turns Input, an Aggregate keyed by NKeys group columns and
// the axis bin (column NKeys) followed by the aggregates, into one row per
// group holding an array per aggregate and the array of bin starts. Bins
// run from From (else the smallest bin seen) by Step, up to To (exclusive;
// else the largest bin seen); a bin without a row holds Defaults[i].
type MakeSeries struct {
	Input    Node
	NKeys    int
	Defaults []any
	From, To any // int64 (datetime, timespan, long ticks) or float64; nil when not given
	Step     any
	AxisType types.Type
}

func (*MakeSeries) nodeMarker()      {}
func (n *MakeSeries) Inputs() []Node { return []Node{n.Input} }
func (n *MakeSeries) Describe() string {
	return fmt.Sprintf("MakeSeries keys=%d from=%v to=%v step=%v", n.NKeys, n.From, n.To, n.Step)
}

// Schema is the group columns, an array per aggregate, then the axis.
func (n *MakeSeries) Schema() vec.Schema {
	in := n.Input.Schema()
	s := append(vec.Schema(nil), in[:n.NKeys]...)
	for _, c := range in[n.NKeys+1:] {
		s = append(s, vec.Column{Name: c.Name, Type: types.Dynamic})
	}
	return append(s, vec.Column{Name: in[n.NKeys].Name, Type: types.Dynamic})
}
