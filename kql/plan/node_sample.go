package plan

import (
	"fmt"

	"hunt/engine/vec"
)

// Sample keeps N rows chosen at random with a fixed seed (reservoir
// sampling), in input order: the same input always gives the same rows.
type Sample struct {
	Input Node
	N     int64
	Seed  uint64
}

func (*Sample) nodeMarker()          {}
func (n *Sample) Inputs() []Node     { return []Node{n.Input} }
func (n *Sample) Schema() vec.Schema { return n.Input.Schema() }
func (n *Sample) Describe() string   { return fmt.Sprintf("Sample %d seed=%d", n.N, n.Seed) }
