package plan

import (
	"fmt"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// BagUnpack is evaluate bag_unpack: column c of Out comes from input
// column Src[c], or, when Src[c] < 0, from key Keys[c] of the bag in
// input column Col, cast to the column's type.
type BagUnpack struct {
	Input Node
	Col   int
	Out   vec.Schema
	Src   []int
	Keys  []string
}

// BagSchema lists the keys of the bags in column Col with the type their
// values share (dynamic when they differ): one string row "key:type" per
// key, keys sorted. The analyzer runs it to learn bag_unpack's columns.
type BagSchema struct {
	Input Node
	Col   int
}

// Pivot turns the rows of Input (an Aggregate keyed by NKeys columns and
// the pivot value as a string, then the aggregate) into one row per key
// with a column per pivot value in Values; absent cells hold Fill.
type Pivot struct {
	Input  Node
	NKeys  int
	Values []string
	Out    vec.Schema
	Fill   any
}

// IPLookup is evaluate ipv4_lookup / ipv6_lookup: each input row gets the
// columns of the Table row whose range (column Range, an address or a
// CIDR prefix) holds the address in input column Key and whose ExtraTable
// columns equal the row's ExtraIn columns; the most specific range wins.
// Unmatched rows are dropped unless KeepUnmatched.
type IPLookup struct {
	Input         Node
	Table         Node
	Key, Range    int
	ExtraIn       []int
	ExtraTable    []int
	KeepUnmatched bool
	V6            bool
	// TableFirst puts the table's columns before the input's, as
	// ipv6_lookup's documentation shows.
	TableFirst bool
}

// SlidingWindowCounts is evaluate sliding_window_counts: for each bin from
// Start to End, the count of rows and of distinct Id values whose Time
// falls in the Lookback window ending with the bin, per Dims values.
type SlidingWindowCounts struct {
	Input                     Node
	Id, Time                  Expr
	Dims                      []Expr
	DimNames                  []string
	Start, End, Lookback, Bin int64
}

func (*BagUnpack) nodeMarker()           {}
func (*BagSchema) nodeMarker()           {}
func (*Pivot) nodeMarker()               {}
func (*IPLookup) nodeMarker()            {}
func (*SlidingWindowCounts) nodeMarker() {}

func (n *BagUnpack) Schema() vec.Schema { return n.Out }
func (n *BagSchema) Schema() vec.Schema {
	return vec.Schema{{Name: "Key", Type: types.String}}
}
func (n *Pivot) Schema() vec.Schema { return n.Out }
func (n *IPLookup) Schema() vec.Schema {
	if n.TableFirst {
		return append(append(vec.Schema(nil), n.Table.Schema()...), n.Input.Schema()...)
	}
	return append(append(vec.Schema(nil), n.Input.Schema()...), n.Table.Schema()...)
}
func (n *SlidingWindowCounts) Schema() vec.Schema {
	var s vec.Schema
	for i, d := range n.Dims {
		s = append(s, vec.Column{Name: n.DimNames[i], Type: d.Type()})
	}
	return append(s, vec.Column{Name: "Timestamp", Type: types.DateTime},
		vec.Column{Name: "Count", Type: types.Long}, vec.Column{Name: "dcount", Type: types.Long})
}

func (n *BagUnpack) Inputs() []Node           { return []Node{n.Input} }
func (n *BagSchema) Inputs() []Node           { return []Node{n.Input} }
func (n *Pivot) Inputs() []Node               { return []Node{n.Input} }
func (n *IPLookup) Inputs() []Node            { return []Node{n.Input, n.Table} }
func (n *SlidingWindowCounts) Inputs() []Node { return []Node{n.Input} }

func (n *BagUnpack) Describe() string { return "BagUnpack " + n.Out.String() }
func (n *BagSchema) Describe() string { return fmt.Sprintf("BagSchema col=%d", n.Col) }
func (n *Pivot) Describe() string     { return "Pivot " + strings.Join(n.Values, ", ") }
func (n *IPLookup) Describe() string {
	return fmt.Sprintf("IPLookup key=%d range=%d", n.Key, n.Range)
}
func (n *SlidingWindowCounts) Describe() string { return "SlidingWindowCounts" }
