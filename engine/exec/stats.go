package exec

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"hunt/engine/vec"
	"hunt/kql/plan"
)

// Stats collects per-operator row counts and times for --stats.
type Stats struct {
	mu  sync.Mutex
	ops []*opStats
}

type opStats struct {
	desc    string
	depth   int
	rows    int64
	batches int64
	elapsed time.Duration
}

type statsOp struct {
	in Operator
	st *opStats
}

func (s *Stats) wrap(n plan.Node, op Operator) Operator {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &opStats{desc: n.Describe()}
	s.ops = append(s.ops, st)
	return &statsOp{in: op, st: st}
}

func (o *statsOp) Next() (*vec.Batch, error) {
	start := time.Now()
	b, err := o.in.Next()
	o.st.elapsed += time.Since(start)
	if b != nil {
		o.st.rows += int64(b.N)
		o.st.batches++
	}
	return b, err
}

func (o *statsOp) Close() error { return o.in.Close() }

// String renders the statistics, one operator per line. Times include
// the operator's inputs.
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
		fmt.Fprintf(&b, "%10d rows %10s  %s\n", st.rows, st.elapsed.Round(time.Microsecond), desc)
	}
	return b.String()
}
