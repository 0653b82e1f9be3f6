package plan

import (
	"hunt/engine/vec"
	"hunt/kql/types"
)

// ActiveUsersCount is evaluate active_users_count: per Dims values and per
// Bin-wide step from Start, the distinct count of Ids with an active
// appearance in the step. An appearance at t in [Start, End] is active
// when the Id's appearances in (t-Lookback, t] fall in at least
// MinPeriods distinct Period-wide periods.
type ActiveUsersCount struct {
	Input                             Node
	Id, Time                          Expr
	Dims                              []Expr
	TimeName                          string
	DimNames                          []string
	Start, End, Lookback, Period, Bin int64
	MinPeriods                        int64
}

func (*ActiveUsersCount) nodeMarker()        {}
func (n *ActiveUsersCount) Inputs() []Node   { return []Node{n.Input} }
func (n *ActiveUsersCount) Describe() string { return "ActiveUsersCount" }
func (n *ActiveUsersCount) Schema() vec.Schema {
	s := vec.Schema{{Name: n.TimeName, Type: types.DateTime}}
	for i, d := range n.Dims {
		s = append(s, vec.Column{Name: n.DimNames[i], Type: d.Type()})
	}
	return append(s, vec.Column{Name: "dcount", Type: types.Long})
}
