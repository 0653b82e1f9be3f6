package store

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// scanPlan is what all the scanners of one scan share: the columns to
// produce, the filters, and the parts left after pruning by time.
type scanPlan struct {
	st      *Store
	meta    *tableMeta
	cols    []outCol // distinct output columns
	out     []int    // scan column i → index in cols
	filters []filterInfo
	all     []partMeta // parts that may hold matching rows, in order
}

// outCol is one distinct column the scan produces.
type outCol struct {
	name string
	t    types.Type
	keys []string // the only keys read of a dynamic column; nil: whole values
}

func newScanPlan(s *Store, t *tableMeta, scan *plan.Scan) (*scanPlan, error) {
	schema, err := t.schema()
	if err != nil {
		return nil, err
	}
	sp := &scanPlan{st: s, meta: t, out: make([]int, len(scan.Columns))}
	pos := map[string]int{}
	for i, c := range scan.Columns {
		k, ok := pos[c.Name]
		if !ok {
			si := schema.Index(c.Name)
			if si < 0 {
				return nil, fmt.Errorf("store: table %s has no column %q", t.Name, c.Name)
			}
			if schema[si].Type != c.Type {
				return nil, fmt.Errorf("store: table %s: column %s is %s, not %s", t.Name, c.Name, schema[si].Type, c.Type)
			}
			oc := outCol{name: c.Name, t: c.Type}
			if keys, ok := scan.Paths[c.Name]; ok && c.Type.Physical() == types.PhysDynamic && len(keys) > 0 {
				oc.keys = keys
			}
			k = len(sp.cols)
			pos[c.Name] = k
			sp.cols = append(sp.cols, oc)
		}
		sp.out[i] = k
	}
	for _, f := range scan.Filters {
		si := schema.Index(f.Column)
		if si < 0 {
			continue
		}
		ty := schema[si].Type
		if f.Path != "" {
			if ty.Physical() != types.PhysDynamic {
				continue
			}
			ty = types.Dynamic
		}
		if f.Pred != nil {
			if ref := plan.ValueRef(f.Pred); ref != nil && ref.T != ty {
				continue // not the value this store holds: do not guess
			}
		}
		sp.filters = append(sp.filters, analyzeFilter(f, ty))
	}
	for _, p := range t.Parts {
		if sp.keepPart(p) {
			sp.all = append(sp.all, p)
		}
	}
	return sp, nil
}

// keepPart prunes a part by the range of its time column: a comparison
// is false on null, so a part without any time value has no match either.
func (sp *scanPlan) keepPart(p partMeta) bool {
	for _, f := range sp.filters {
		if !f.hasRange || f.sf.Path != "" || f.sf.Column != sp.meta.TimeColumn {
			continue
		}
		if !p.hasTime || p.maxT < f.lo || p.minT > f.hi || f.lo > f.hi {
			return false
		}
	}
	return true
}

func (sp *scanPlan) parts() []int {
	idx := make([]int, len(sp.all))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func defaultWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }

// unit is one block of one part: the unit of work of a scanner.
type unit struct {
	part  int // index in scanPlan.all
	block int
	rows  int
}

// scanner reads its parts' blocks on a few goroutines, returning the
// batches in block order, so the result is the same for any number of
// workers. Memory is bounded: a worker works a block ahead at most.
type scanner struct {
	sp      *scanPlan
	parts   []int  // the parts to read all blocks of
	units   []unit // or these blocks, when set by Split
	workers int

	files   *fileCache
	started bool
	outs    []chan scanItem
	slots   chan struct{}
	stop    chan struct{}
	wg      sync.WaitGroup
	next    int
	done    bool
	err     error
	once    sync.Once
}

type scanItem struct {
	b   *vec.Batch
	err error
}

func newScanner(sp *scanPlan, parts []int, workers int) *scanner {
	return &scanner{sp: sp, parts: parts, workers: workers, files: newFileCache(sp)}
}

// resolve lists the blocks of the scanner's parts.
func (s *scanner) resolve() error {
	if s.units != nil || len(s.parts) == 0 {
		return nil
	}
	for _, pi := range s.parts {
		pf, err := s.files.get(pi)
		if err != nil {
			return err
		}
		for bi, b := range pf.foot.blocks {
			s.units = append(s.units, unit{part: pi, block: bi, rows: b.rows})
		}
	}
	s.parts = nil
	return nil
}

// Split divides the scan into at most n contiguous scanners: by parts
// when there are enough of them, else by blocks.
func (s *scanner) Split(n int) ([]exec.Source, error) {
	if s.started {
		return nil, errors.New("store: Split after Next")
	}
	if n < 1 {
		n = 1
	}
	var out []exec.Source
	if len(s.parts) >= n && s.units == nil {
		rows := make([]int64, len(s.parts))
		for i, pi := range s.parts {
			rows[i] = s.sp.all[pi].Rows
		}
		for _, g := range balance(rows, n) {
			out = append(out, newScanner(s.sp, s.parts[g[0]:g[1]], 1))
		}
		return out, nil
	}
	if err := s.resolve(); err != nil {
		return nil, err
	}
	rows := make([]int64, len(s.units))
	for i, u := range s.units {
		rows[i] = int64(u.rows)
	}
	for _, g := range balance(rows, n) {
		sc := newScanner(s.sp, nil, 1)
		sc.units = append([]unit{}, s.units[g[0]:g[1]]...)
		if len(sc.units) == 0 {
			sc.units = []unit{}
		}
		out = append(out, sc)
	}
	return out, nil
}

// balance cuts items with the given weights into at most n contiguous
// non-empty groups of similar total weight: [from, to) index pairs.
func balance(w []int64, n int) [][2]int {
	if len(w) == 0 {
		return nil
	}
	var total int64
	for _, x := range w {
		total += x
	}
	n = min(n, len(w))
	var out [][2]int
	start := 0
	var acc int64
	for i, x := range w {
		acc += x
		left := len(w) - i - 1
		groupsLeft := n - len(out) - 1
		if groupsLeft == 0 {
			break
		}
		if acc*int64(n) >= total*int64(len(out)+1) || left == groupsLeft {
			out = append(out, [2]int{start, i + 1})
			start = i + 1
		}
	}
	if start < len(w) {
		out = append(out, [2]int{start, len(w)})
	}
	return out
}

func (s *scanner) start() {
	s.started = true
	if err := s.resolve(); err != nil {
		s.err = err
		return
	}
	s.outs = make([]chan scanItem, len(s.units))
	for i := range s.outs {
		s.outs[i] = make(chan scanItem, 4)
	}
	s.stop = make(chan struct{})
	workers := max(1, min(s.workers, len(s.units)))
	s.slots = make(chan struct{}, workers+1)
	work := make(chan int)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(work)
		for i := range s.units {
			select {
			case s.slots <- struct{}{}:
			case <-s.stop:
				return
			}
			select {
			case work <- i:
			case <-s.stop:
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			wk := newWorker(s.sp)
			defer wk.close()
			for i := range work {
				s.runUnit(wk, i)
			}
		}()
	}
}

func (s *scanner) runUnit(wk *worker, i int) {
	out := s.outs[i]
	defer close(out)
	defer func() {
		if r := recover(); r != nil {
			select {
			case out <- scanItem{err: &exec.InternalError{Value: r}}:
			case <-s.stop:
			}
		}
	}()
	u := s.units[i]
	pf, err := s.files.get(u.part)
	if err == nil {
		err = wk.run(pf, u.block, func(b *vec.Batch) bool {
			select {
			case out <- scanItem{b: b}:
				return true
			case <-s.stop:
				return false
			}
		})
	}
	if err != nil {
		select {
		case out <- scanItem{err: err}:
		case <-s.stop:
		}
	}
}

// Next returns the next batch of matching rows, nil at the end.
func (s *scanner) Next() (*vec.Batch, error) {
	if s.done {
		return nil, s.err
	}
	if !s.started {
		s.start()
		if s.err != nil {
			s.done = true
			return nil, s.err
		}
	}
	for s.next < len(s.outs) {
		it, ok := <-s.outs[s.next]
		if !ok {
			s.next++
			<-s.slots
			continue
		}
		if it.err != nil {
			s.err = it.err
			s.done = true
			s.shutdown()
			return nil, it.err
		}
		return it.b, nil
	}
	s.done = true
	return nil, nil
}

func (s *scanner) shutdown() {
	s.once.Do(func() {
		if s.stop != nil {
			close(s.stop)
		}
		s.wg.Wait()
	})
}

// Close stops the workers and closes the part files.
func (s *scanner) Close() error {
	s.done = true
	s.shutdown()
	return s.files.close()
}

// fileCache opens each part file once per scanner, for all its workers.
type fileCache struct {
	sp    *scanPlan
	mu    sync.Mutex
	files map[int]*partFile
}

func newFileCache(sp *scanPlan) *fileCache { return &fileCache{sp: sp, files: map[int]*partFile{}} }

func (c *fileCache) get(i int) (*partFile, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pf, ok := c.files[i]; ok {
		return pf, nil
	}
	pm := c.sp.all[i]
	pf, err := openPartFile(c.sp.st.partPath(pm))
	if err != nil {
		return nil, err
	}
	if int64(pf.foot.rows) != pm.Rows {
		pf.close()
		return nil, &CorruptError{Path: pf.path, Reason: fmt.Sprintf("holds %d rows, the manifest says %d", pf.foot.rows, pm.Rows)}
	}
	c.files[i] = pf
	return pf, nil
}

func (c *fileCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for i, pf := range c.files {
		if err := pf.close(); err != nil && first == nil {
			first = err
		}
		delete(c.files, i)
	}
	return first
}
