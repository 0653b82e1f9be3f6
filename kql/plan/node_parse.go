package plan

import (
	"fmt"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// ParseCol is one column a Parse extracts: the text of regex group Group
// converted to Type. Replace is the input column it overwrites, or -1
// when it is appended.
type ParseCol struct {
	Name    string
	Type    types.Type
	Group   string
	Replace int
}

// Parse is the parse and parse-where operators: Regex (RE2 syntax, with a
// named group per column) is matched against X. In strict mode a failed
// match or a typed column that does not convert makes every extracted
// column null; Relaxed nulls only the column that does not convert.
// Where drops the rows a strict parse would null (parse-where).
type Parse struct {
	Input   Node
	X       Expr
	Regex   string
	Cols    []ParseCol
	Relaxed bool
	Where   bool
}

func (*Parse) nodeMarker()        {}
func (n *Parse) Inputs() []Node   { return []Node{n.Input} }
func (n *Parse) Describe() string { return fmt.Sprintf("Parse %s with /%s/", n.X, n.Regex) }

// Schema is the input with each extracted column replaced or appended.
func (n *Parse) Schema() vec.Schema {
	s := append(vec.Schema(nil), n.Input.Schema()...)
	for _, c := range n.Cols {
		if c.Replace >= 0 {
			s[c.Replace] = vec.Column{Name: c.Name, Type: c.Type}
		} else {
			s = append(s, vec.Column{Name: c.Name, Type: c.Type})
		}
	}
	return s
}

// ParseKv is the parse-kv operator: key/value pairs of X become the
// declared columns (null or "" when a key is absent). Either Regex (one
// or two groups: key and value) or the delimiters describe the pairs.
type ParseKv struct {
	Input     Node
	X         Expr
	Cols      vec.Schema
	Replace   []int // input column each of Cols overwrites, or -1
	PairDelim string
	KvDelim   string
	Quote     string // quote characters; the closing one of a pair follows the opening one
	Escape    string
	Greedy    bool
	Regex     string
}

func (*ParseKv) nodeMarker()        {}
func (n *ParseKv) Inputs() []Node   { return []Node{n.Input} }
func (n *ParseKv) Describe() string { return "ParseKv " + n.X.String() + " as " + n.Cols.String() }

// Schema is the input with the declared columns replaced or appended.
func (n *ParseKv) Schema() vec.Schema {
	s := append(vec.Schema(nil), n.Input.Schema()...)
	for i, c := range n.Cols {
		if n.Replace[i] >= 0 {
			s[n.Replace[i]] = c
		} else {
			s = append(s, c)
		}
	}
	return s
}
