package alert

import (
	"fmt"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/query"
)

// DefaultEvidence is how many events an alert carries by default; the
// rest are counted.
const DefaultEvidence = 20

// Evidence is the input events behind one result row.
type Evidence struct {
	// Events holds up to the limit's rows, in input order.
	Events *vec.Batch
	// Total counts every contributing event, shown or not.
	Total int
	// First and Last bound the events' times (ticks); HasTime is false
	// when the events carry no time.
	First, Last int64
	HasTime     bool
}

// Events is the evidence of every row of a result.
type Events struct {
	Schema vec.Schema
	// TimeCol is the column of Schema with each event's time, or -1.
	TimeCol int
	// ByRow is indexed by result row; nil entries have no evidence.
	ByRow []*Evidence
	// Why is set when evidence could not be gathered.
	Why string
}

// Gather finds the evidence of each row of result, the output of the
// prepared query whose unpruned plan is root. For a summarize it runs the
// plan below the final summarize again and keeps, per alerting group, the
// first limit rows and a count of all of them.
func Gather(p *query.Prepared, root plan.Node, sh *Shape, result *vec.Batch, limit int) (*Events, error) {
	if sh.Agg == nil {
		if sh.NoEvidence != "" {
			return &Events{Why: sh.NoEvidence, TimeCol: -1, ByRow: make([]*Evidence, result.N)}, nil
		}
		// Row results are the events themselves.
		ev := &Events{Schema: root.Schema(), TimeCol: TimeColumn(root.Schema()), ByRow: make([]*Evidence, result.N)}
		for i := 0; i < result.N; i++ {
			e := &Evidence{Events: result.Slice(i, i+1), Total: 1}
			if ev.TimeCol >= 0 && !result.Cols[ev.TimeCol].IsNull(i) {
				t := result.Cols[ev.TimeCol].Get(i).(types.DT)
				e.First, e.Last, e.HasTime = int64(t), int64(t), true
			}
			ev.ByRow[i] = e
		}
		return ev, nil
	}
	in := sh.Agg.Input
	schema := in.Schema()
	ev := &Events{Schema: schema, TimeCol: TimeColumn(schema), ByRow: make([]*Evidence, result.N)}
	groups := map[string]*group{}
	for i := 0; i < result.N; i++ {
		k := rowKey(result, sh.KeyCols, i)
		if groups[k] == nil {
			groups[k] = &group{b: vec.NewBuilder(schema, 0)}
		}
	}
	if len(groups) == 0 {
		return ev, nil
	}
	// The events plus their group key, computed by the summarize's own key
	// expressions.
	proj := &plan.Project{Input: in}
	for i, c := range schema {
		proj.Exprs = append(proj.Exprs, &plan.ColRef{Index: i, Name: c.Name, T: c.Type})
		proj.Names = append(proj.Names, c.Name)
	}
	keyCols := make([]int, len(sh.Agg.Keys))
	for k, e := range sh.Agg.Keys {
		keyCols[k] = len(proj.Exprs)
		proj.Exprs = append(proj.Exprs, e)
		proj.Names = append(proj.Names, fmt.Sprintf("__key%d", k))
	}
	err := p.RunPlan(proj, func(b *vec.Batch) error {
		for i := 0; i < b.N; i++ {
			g := groups[rowKey(b, keyCols, i)]
			if g == nil {
				continue
			}
			g.total++
			if g.b.Len() < limit {
				for c := range schema {
					g.b.Cols[c].AppendFrom(b.Cols[c], i)
				}
			}
			if ev.TimeCol >= 0 && !b.Cols[ev.TimeCol].IsNull(i) {
				t := int64(b.Cols[ev.TimeCol].Get(i).(types.DT))
				if !g.hasTime || t < g.first {
					g.first = t
				}
				if !g.hasTime || t > g.last {
					g.last = t
				}
				g.hasTime = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gathering evidence: %w", err)
	}
	for i := 0; i < result.N; i++ {
		g := groups[rowKey(result, sh.KeyCols, i)]
		ev.ByRow[i] = &Evidence{Events: &vec.Batch{Cols: g.b.Cols, N: g.b.Len()}, Total: g.total, First: g.first, Last: g.last, HasTime: g.hasTime}
	}
	return ev, nil
}

type group struct {
	b           *vec.Builder
	total       int
	first, last int64
	hasTime     bool
}

// rowKey encodes the values of columns cols of row i, nulls and types
// kept apart, so that equal keys give equal strings.
func rowKey(b *vec.Batch, cols []int, i int) string {
	var sb strings.Builder
	for _, c := range cols {
		v := b.Cols[c]
		if v.IsNull(i) {
			sb.WriteString("\x00N")
		} else {
			fmt.Fprintf(&sb, "\x00%T:%v", v.Get(i), v.Get(i))
		}
	}
	return sb.String()
}

// TimeColumn returns the column holding an event's time: Timestamp, else
// TimeGenerated, else the first datetime column; -1 if none.
func TimeColumn(s vec.Schema) int {
	for _, name := range []string{"Timestamp", "TimeGenerated"} {
		if i := s.Index(name); i >= 0 && s[i].Type == types.DateTime {
			return i
		}
	}
	for i, c := range s {
		if c.Type == types.DateTime {
			return i
		}
	}
	return -1
}
