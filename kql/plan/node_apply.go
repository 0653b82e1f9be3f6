package plan

import (
	"fmt"

	"hunt/engine/vec"
)

// Apply runs Body once per input row (mv-apply) or once per distinct
// value of Key (partition). Body reads its per-run input through a
// Shared node with ID, whose Input (a placeholder) has Input's schema;
// the executor binds that Shared to the row or the group before each run.
// The output is the input columns listed in Keep, taken from the row the
// run came from (mv-apply only), followed by Body's columns.
type Apply struct {
	Input Node
	ID    int
	Body  Node
	Keep  []int
	Key   Expr // partition key; nil for mv-apply
}

func (*Apply) nodeMarker()      {}
func (n *Apply) Inputs() []Node { return []Node{n.Input, n.Body} }
func (n *Apply) Describe() string {
	if n.Key != nil {
		return fmt.Sprintf("Partition by %s (#%d)", n.Key, n.ID)
	}
	return fmt.Sprintf("MvApply keep%v (#%d)", n.Keep, n.ID)
}

// Schema is the kept input columns followed by the body's.
func (n *Apply) Schema() vec.Schema {
	in := n.Input.Schema()
	var s vec.Schema
	for _, k := range n.Keep {
		s = append(s, in[k])
	}
	return append(s, n.Body.Schema()...)
}
