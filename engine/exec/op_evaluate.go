package exec

import (
	"net/netip"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// bagUnpackOp spreads the keys of a bag column into typed columns.
type bagUnpackOp struct {
	in Operator
	n  *plan.BagUnpack
}

func newBagUnpack(ctx *Context, n *plan.BagUnpack) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &bagUnpackOp{in: in, n: n}, nil
}

func (o *bagUnpackOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		out := &vec.Batch{Cols: make([]*vec.Vec, len(o.n.Out)), N: b.N}
		bags := b.Cols[o.n.Col]
		for c, src := range o.n.Src {
			if src >= 0 {
				out.Cols[c] = b.Cols[src]
				continue
			}
			t := o.n.Out[c].Type
			v := vec.New(t, b.N)
			for i := 0; i < b.N; i++ {
				var x any
				if bag, ok := bags.Get(i).(*types.Bag); ok {
					x, _ = bag.Get(o.n.Keys[c])
				}
				v.Append(castDynamic(x, t))
			}
			out.Cols[c] = v
		}
		return out, nil
	}
}

func (o *bagUnpackOp) Close() error { return o.in.Close() }

// bagSchemaOp reads its whole input and lists the bag keys with their
// common type.
type bagSchemaOp struct {
	in   Operator
	n    *plan.BagSchema
	done bool
}

func newBagSchema(ctx *Context, n *plan.BagSchema) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &bagSchemaOp{in: in, n: n}, nil
}

// dynKind is the KQL type a dynamic value would have as a column.
func dynKind(v any) types.Type {
	switch v.(type) {
	case string:
		return types.String
	case int64:
		return types.Long
	case float64:
		return types.Real
	case bool:
		return types.Bool
	case types.DT:
		return types.DateTime
	case types.TS:
		return types.Timespan
	case types.GuidVal:
		return types.Guid
	}
	return types.Dynamic
}

func (o *bagSchemaOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	kinds := map[string]types.Type{}
	err := drain(o.in, func(b *vec.Batch) error {
		col := b.Cols[o.n.Col]
		for i := 0; i < b.N; i++ {
			bag, ok := col.Get(i).(*types.Bag)
			if !ok {
				continue
			}
			for k, key := range bag.Keys {
				v := bag.Vals[k]
				if v == nil {
					if _, seen := kinds[key]; !seen {
						kinds[key] = types.Unknown
					}
					continue
				}
				t := dynKind(v)
				switch prev, seen := kinds[key]; {
				case !seen || prev == types.Unknown:
					kinds[key] = t
				case prev != t:
					kinds[key] = types.Dynamic
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	v := vec.New(types.String, len(keys))
	for _, k := range keys {
		t := kinds[k]
		if t == types.Unknown {
			t = types.Dynamic
		}
		v.Strs = append(v.Strs, k+":"+t.String())
	}
	return &vec.Batch{Cols: []*vec.Vec{v}, N: len(keys)}, nil
}

func (o *bagSchemaOp) Close() error { return o.in.Close() }

// pivotOp reshapes aggregated (keys, pivot value, aggregate) rows into
// one row per key with a column per pivot value.
type pivotOp struct {
	in   Operator
	n    *plan.Pivot
	done bool
}

func newPivot(ctx *Context, n *plan.Pivot) (Operator, error) {
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &pivotOp{in: in, n: n}, nil
}

func (o *pivotOp) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	nk := o.n.NKeys
	col := map[string]int{}
	for i, v := range o.n.Values {
		col[v] = i
	}
	groups := map[string]int{}
	var keyRows [][]any
	var cells [][]any
	var enc keyEncoder
	err := drain(o.in, func(b *vec.Batch) error {
		enc.encode(b.Cols[:nk], b.N, nil)
		for i := 0; i < b.N; i++ {
			g, ok := groups[string(enc.key(i))]
			if !ok {
				g = len(keyRows)
				groups[string(enc.key(i))] = g
				kr := make([]any, nk)
				for k := 0; k < nk; k++ {
					kr[k] = b.Cols[k].Get(i)
				}
				keyRows = append(keyRows, kr)
				row := make([]any, len(o.n.Values))
				for k := range row {
					row[k] = o.n.Fill
				}
				cells = append(cells, row)
			}
			if c, ok := col[b.Cols[nk].Strs[b.Cols[nk].Row(i)]]; ok {
				cells[g][c] = b.Cols[nk+1].Get(i)
			}
		}
		return nil
	})
	if err != nil || len(keyRows) == 0 {
		return nil, err
	}
	out := vec.NewBuilder(o.n.Out, len(keyRows))
	for g, kr := range keyRows {
		for k, v := range kr {
			out.Cols[k].Append(v)
		}
		for k, v := range cells[g] {
			out.Cols[nk+k].Append(v)
		}
	}
	return &vec.Batch{Cols: out.Cols, N: len(keyRows)}, nil
}

func (o *pivotOp) Close() error { return o.in.Close() }

// ipLookupOp matches each row's address against the ranges of a lookup
// table held in memory, keyed by (masked address, prefix length, extra
// keys): a lookup tries each prefix length present, longest first.
type ipLookupOp struct {
	in    Operator
	n     *plan.IPLookup
	table *vec.Batch
	index map[string]int
	bits  []int
	enc   keyEncoder
	width int
}

func newIPLookup(ctx *Context, n *plan.IPLookup) (Operator, error) {
	t, err := Collect(ctx, n.Table)
	if err != nil {
		return nil, err
	}
	o := &ipLookupOp{n: n, table: t, index: map[string]int{}, width: len(n.Input.Schema())}
	var extra []*vec.Vec
	for _, c := range n.ExtraTable {
		extra = append(extra, t.Cols[c])
	}
	o.enc.encode(extra, t.N, nil)
	seenBits := map[int]bool{}
	ranges := t.Cols[n.Range]
	for i := 0; i < t.N; i++ {
		p, ok := parseRange(ranges.Strs[ranges.Row(i)], n.V6)
		if !ok {
			continue
		}
		k := rangeKey(p.Addr(), p.Bits(), o.enc.key(i))
		if _, dup := o.index[k]; !dup {
			o.index[k] = i
		}
		if !seenBits[p.Bits()] {
			seenBits[p.Bits()] = true
			o.bits = append(o.bits, p.Bits())
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(o.bits)))
	if o.in, err = Build(ctx, n.Input); err != nil {
		return nil, err
	}
	return o, nil
}

// parseRange reads an address or CIDR prefix as a 128-bit prefix (IPv4
// addresses are mapped into IPv6 so that both lookups share one index).
func parseRange(s string, v6 bool) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	addrText, bitsText, hasBits := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addrText)
	if err != nil || (!v6 && !a.Is4()) {
		return netip.Prefix{}, false
	}
	bits := a.BitLen()
	if hasBits {
		n := 0
		for _, c := range bitsText {
			if c < '0' || c > '9' {
				return netip.Prefix{}, false
			}
			n = n*10 + int(c-'0')
		}
		if n > bits {
			return netip.Prefix{}, false
		}
		bits = n
	}
	if a.Is4() {
		a = netip.AddrFrom16(a.As16())
		bits += 96
	}
	p, err := a.Prefix(bits)
	return p, err == nil
}

func rangeKey(a netip.Addr, bits int, extra []byte) string {
	b := a.As16()
	return string(b[:]) + string(rune(bits)) + string(extra)
}

func (o *ipLookupOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		var extra []*vec.Vec
		for _, c := range o.n.ExtraIn {
			extra = append(extra, b.Cols[c])
		}
		o.enc.encode(extra, b.N, nil)
		keys := b.Cols[o.n.Key]
		var rows []int
		var match []int
		for i := 0; i < b.N; i++ {
			found := -1
			if p, ok := parseRange(keys.Strs[keys.Row(i)], o.n.V6); ok && p.Bits() == 128 {
				for _, bits := range o.bits {
					q, _ := p.Addr().Prefix(bits)
					if j, ok := o.index[rangeKey(q.Addr(), bits, o.enc.key(i))]; ok {
						found = j
						break
					}
				}
			}
			if found >= 0 || o.n.KeepUnmatched {
				rows = append(rows, i)
				match = append(match, found)
			}
		}
		if len(rows) == 0 {
			continue
		}
		out := &vec.Batch{N: len(rows)}
		g := b
		if len(rows) < b.N {
			g = b.Gather(rows)
		}
		if !o.n.TableFirst {
			out.Cols = append(out.Cols, g.Cols...)
		}
		for _, tc := range o.table.Cols {
			v := vec.New(tc.Type, len(rows))
			for _, j := range match {
				if j < 0 {
					v.AppendNull()
				} else {
					v.AppendFrom(tc, j)
				}
			}
			out.Cols = append(out.Cols, v)
		}
		if o.n.TableFirst {
			out.Cols = append(out.Cols, g.Cols...)
		}
		return out, nil
	}
}

func (o *ipLookupOp) Close() error { return o.in.Close() }
