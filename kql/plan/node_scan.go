package plan

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// ScanOpStep is one step of the scan operator. Cond and Assign are
// evaluated over a frame of columns: the current record (the input's
// columns), then the declared variables as the match carries them, then,
// for each step in order, the record and variables that step recorded
// (what sK.Column reads).
type ScanOpStep struct {
	Name string
	// Output is "all" (the default), "last" or "none".
	Output string
	Cond   Expr
	// Assign gives new values to declared variables: Assign[i] sets
	// variable Vars[i].
	Vars   []int
	Assign []Expr
}

// ScanOp is the scan operator: it runs the records, in order, through a
// state machine of steps and emits the records that match a step, with
// the declared variables and, when MatchID is set, the match's number.
type ScanOp struct {
	Input    Node
	Declare  vec.Schema
	Defaults []any
	Steps    []ScanOpStep
	MatchID  string
}

func (*ScanOp) nodeMarker()      {}
func (n *ScanOp) Inputs() []Node { return []Node{n.Input} }
func (n *ScanOp) Describe() string {
	return fmt.Sprintf("Scan %d steps declare %s", len(n.Steps), n.Declare)
}

// Schema is the input's columns, the declared variables and the match id.
func (n *ScanOp) Schema() vec.Schema {
	s := append(vec.Schema(nil), n.Input.Schema()...)
	s = append(s, n.Declare...)
	if n.MatchID != "" {
		s = append(s, vec.Column{Name: n.MatchID, Type: types.Long})
	}
	return s
}
