package plan

import (
	"fmt"

	"hunt/engine/vec"
)

// RowsNear is evaluate rows_near: the input rows, in input order, that lie
// within Before rows before or After rows after a row where Cond holds.
type RowsNear struct {
	Input         Node
	Cond          Expr
	Before, After int64
}

func (*RowsNear) nodeMarker()          {}
func (n *RowsNear) Schema() vec.Schema { return n.Input.Schema() }
func (n *RowsNear) Inputs() []Node     { return []Node{n.Input} }
func (n *RowsNear) Describe() string {
	return fmt.Sprintf("RowsNear before=%d after=%d", n.Before, n.After)
}
