package fn

// buildschema(): the smallest schema that admits every dynamic value of
// a group, as the reference describes it. A schema is one type or an
// array of alternatives in the order they were first met: a type name
// ("long", "double", "string", "bool", "datetime", "timespan", "guid"),
// a bag of the schemas of its properties (keys in first-met order), or
// {"`indexer`": schema} for an array. Nulls are ignored; an array with no
// elements gives {"`indexer`": null}; a group without values gives null.
// JSON integers are "long" and fractional numbers "double", as the
// page's example shows.

import (
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func init() {
	RegisterAgg("buildschema", func(_ []builtins.Arg, _ types.Type) (func() Agg, error) {
		return func() Agg { return &aggSchema{} }, nil
	})
}

const schemaIndexer = "`indexer`"

// schemaNode is a set of alternatives.
type schemaNode struct {
	prims []string
	bag   *schemaBag
	arr   *schemaNode
	order []byte // 'p' (the next primitive), 'b', 'a': first-met order
	// hasArr tells an array with no elements yet from no array.
	hasArr bool
}

type schemaBag struct {
	keys []string
	vals map[string]*schemaNode
}

func (s *schemaNode) add(x any) {
	switch v := x.(type) {
	case nil:
	case *types.Bag:
		if s.bag == nil {
			s.bag = &schemaBag{vals: map[string]*schemaNode{}}
			s.order = append(s.order, 'b')
		}
		for i, k := range v.Keys {
			if v.Vals[i] == nil {
				continue
			}
			c := s.bag.vals[k]
			if c == nil {
				c = &schemaNode{}
				s.bag.vals[k] = c
				s.bag.keys = append(s.bag.keys, k)
			}
			c.add(v.Vals[i])
		}
	case []any:
		if !s.hasArr {
			s.hasArr = true
			s.arr = &schemaNode{}
			s.order = append(s.order, 'a')
		}
		for _, e := range v {
			s.arr.add(e)
		}
	default:
		s.addPrim(schemaPrim(v))
	}
}

func (s *schemaNode) addPrim(name string) {
	for _, p := range s.prims {
		if p == name {
			return
		}
	}
	s.prims = append(s.prims, name)
	s.order = append(s.order, 'p')
}

func schemaPrim(x any) string {
	switch x.(type) {
	case int64:
		return "long"
	case float64:
		return "double"
	case bool:
		return "bool"
	case types.DT:
		return "datetime"
	case types.TS:
		return "timespan"
	case types.GuidVal:
		return "guid"
	}
	return "string"
}

func (s *schemaNode) empty() bool { return len(s.order) == 0 }

// value renders the schema as a dynamic value.
func (s *schemaNode) value() any {
	var alts []any
	p := 0
	for _, o := range s.order {
		switch o {
		case 'p':
			alts = append(alts, s.prims[p])
			p++
		case 'b':
			b := types.NewBag(len(s.bag.keys))
			for _, k := range s.bag.keys {
				b.Set(k, s.bag.vals[k].value())
			}
			alts = append(alts, b)
		case 'a':
			b := types.NewBag(1)
			var elem any
			if !s.arr.empty() {
				elem = s.arr.value()
			}
			b.Set(schemaIndexer, elem)
			alts = append(alts, b)
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return alts
}

func (s *schemaNode) merge(o *schemaNode) {
	if o == nil {
		return
	}
	p := 0
	for _, ord := range o.order {
		switch ord {
		case 'p':
			s.addPrim(o.prims[p])
			p++
		case 'b':
			if s.bag == nil {
				s.bag = &schemaBag{vals: map[string]*schemaNode{}}
				s.order = append(s.order, 'b')
			}
			for _, k := range o.bag.keys {
				c := s.bag.vals[k]
				if c == nil {
					c = &schemaNode{}
					s.bag.vals[k] = c
					s.bag.keys = append(s.bag.keys, k)
				}
				c.merge(o.bag.vals[k])
			}
		case 'a':
			if !s.hasArr {
				s.hasArr = true
				s.arr = &schemaNode{}
				s.order = append(s.order, 'a')
			}
			s.arr.merge(o.arr)
		}
	}
}

type aggSchema struct {
	nodes []*schemaNode
	bytes int64
}

func (a *aggSchema) Grow(n int) {
	if n > len(a.nodes) {
		a.bytes += 8 * int64(n-len(a.nodes))
		a.nodes = aggGrowTo(a.nodes, n)
	}
}

func (a *aggSchema) Add(_ *Ctx, groups []uint32, args []*vec.Vec, n int) error {
	x := args[0]
	for i, g := range groups[:n] {
		v := x.Get(i)
		if v == nil {
			continue
		}
		if a.nodes[g] == nil {
			a.nodes[g] = &schemaNode{}
			a.bytes += 64
		}
		a.nodes[g].add(v)
	}
	return nil
}

func (a *aggSchema) Merge(other Agg, into []uint32) {
	o, ok := other.(*aggSchema)
	if !ok {
		panic(aggWrongState(a, other))
	}
	a.Grow(aggMaxGroup(into))
	for j, g := range into {
		if j >= len(o.nodes) || o.nodes[j] == nil {
			continue
		}
		if a.nodes[g] == nil {
			a.nodes[g] = &schemaNode{}
		}
		a.nodes[g].merge(o.nodes[j])
	}
}

func (a *aggSchema) Result(n int) *vec.Vec {
	a.Grow(n)
	out := vec.New(types.Dynamic, n)
	for g := 0; g < n; g++ {
		if a.nodes[g] == nil || a.nodes[g].empty() {
			out.AppendNull()
			continue
		}
		out.Append(a.nodes[g].value())
	}
	return out
}

func (a *aggSchema) Bytes() int64 { return a.bytes }
