package exec

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hunt/engine/vec"
	"hunt/kql/plan"
)

// Stats collects per-operator row counts and times for --stats. The
// copies of an operator that parallel parts run share one line: rows are
// the total, and time is summed over the parts (so under parallelism it
// can exceed the wall time).
type Stats struct {
	mu   sync.Mutex
	ops  []*opStats
	byOp map[plan.Node]*opStats
}

type opStats struct {
	desc    string
	parts   int // copies run (guarded by Stats.mu)
	rows    atomic.Int64
	batches atomic.Int64
	elapsed atomic.Int64 // nanoseconds
}

type statsOp struct {
	in Operator
	st *opStats
}

func (s *Stats) wrap(n plan.Node, op Operator) Operator {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byOp == nil {
		s.byOp = map[plan.Node]*opStats{}
	}
	st := s.byOp[n]
	if st == nil {
		st = &opStats{desc: n.Describe()}
		s.byOp[n] = st
		s.ops = append(s.ops, st)
	}
	st.parts++
	return &statsOp{in: op, st: st}
}

func (o *statsOp) Next() (*vec.Batch, error) {
	start := time.Now()
	b, err := o.in.Next()
	o.st.elapsed.Add(int64(time.Since(start)))
	if b != nil {
		o.st.rows.Add(int64(b.N))
		o.st.batches.Add(1)
	}
	return b, err
}

func (o *statsOp) Close() error { return o.in.Close() }

// String renders the statistics, one operator per line, the plan's root
// first. Times include the operator's inputs.
func (s *Stats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for i := len(s.ops) - 1; i >= 0; i-- {
		st := s.ops[i]
		desc := st.desc
		if len(desc) > 90 {
			desc = desc[:87] + "..."
		}
		if st.parts > 1 {
			desc += fmt.Sprintf(" (%d parts)", st.parts)
		}
		elapsed := time.Duration(st.elapsed.Load())
		fmt.Fprintf(&b, "%10d rows %10s  %s\n", st.rows.Load(), elapsed.Round(time.Microsecond), desc)
	}
	return b.String()
}
