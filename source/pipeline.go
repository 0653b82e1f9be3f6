package source

import (
	"fmt"
	"io"
	"sync"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// The pipeline decodes JSON files on several goroutines while keeping
// the order of their rows: one goroutine reads (and decompresses) the
// files and cuts them into chunks of whole records; workers decode
// chunks into column blocks; the reader hands the blocks out in chunk
// order, regrouped into full batches. It serves a single compressed
// file, which cannot be cut by offset, and scans the executor does not
// split.

// chunkBytes is the size of the chunks of records handed to workers:
// large enough that handing one over is cheap next to decoding it, small
// enough that a few per worker keep memory flat.
var chunkBytes = 1 << 20

type chunk struct {
	rg      int     // index of the range the records come from
	data    []byte  // the records back to back
	ends    []int32 // end of each record in data
	lines   []int32 // line of each record, counted from the range start
	reports []chunkReport
	err     error // reading failed after these records
	// rangeEnd marks the last chunk of a range; lineCount is then the
	// number of lines of the range.
	rangeEnd  bool
	lineCount int

	done   chan struct{} // closed when decoded
	blocks []rowBlock
	diag   *Diagnostics
	lc     localCounts
}

// chunkReport is a problem the record source met before record before.
type chunkReport struct {
	before int
	line   int
	reason string
}

// rowBlock is decoded rows: one vector per distinct requested column.
type rowBlock struct {
	vecs []*vec.Vec
	n    int
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, chunkBytes); return &b }}

type pipeline struct {
	r      *tableReader
	order  chan *chunk // in file order, to the reader
	jobs   chan *chunk // to the workers
	stop   chan struct{}
	wg     sync.WaitGroup
	closed bool

	pending []rowBlock
	offset  int // rows of pending[0] already handed out
	rows    int // rows pending
	eof     bool
}

func startPipeline(r *tableReader) *pipeline {
	p := &pipeline{
		r:     r,
		order: make(chan *chunk, 2*r.workers+2),
		jobs:  make(chan *chunk),
		stop:  make(chan struct{}),
	}
	p.wg.Add(1 + r.workers)
	go p.produce()
	for range r.workers {
		go p.work()
	}
	return p
}

// emit hands c to the reader and to a worker; false when stopped.
func (p *pipeline) emit(c *chunk) bool {
	select {
	case p.order <- c:
	case <-p.stop:
		return false
	}
	select {
	case p.jobs <- c:
		return true
	case <-p.stop:
		// The reader may wait for c; it is stopping too.
		close(c.done)
		return false
	}
}

func newChunk(rg int) *chunk {
	buf := chunkPool.Get().(*[]byte)
	return &chunk{rg: rg, data: (*buf)[:0], done: make(chan struct{})}
}

func (p *pipeline) produce() {
	defer p.wg.Done()
	defer close(p.jobs)
	defer close(p.order)
	for ri, rg := range p.r.ranges {
		ok := true
		err := catchFaults(func() error {
			ok = p.produceRange(ri, rg)
			return nil
		})
		if err != nil {
			c := newChunk(ri)
			c.err = err
			p.emit(c)
			return
		}
		if !ok {
			return
		}
	}
}

func (p *pipeline) produceRange(ri int, rg fileRange) bool {
	c := newChunk(ri)
	f := rg.file
	report := func(line int, reason string) {
		c.reports = append(c.reports, chunkReport{len(c.ends), line, reason})
	}
	var src recordSource
	var closer io.Closer
	if ms, mc, err := openMappedLines(rg, nil, p.r.ioCtx()); err != nil {
		c.err = err
		p.emit(c)
		return false
	} else if ms != nil {
		ms.report = report
		src, closer = ms, mc
	} else {
		start := rg.start
		if start > 0 {
			start--
		}
		r, rc, err := openStreamAt(f.Path, f.Compression, start, p.r.ioCtx(), false, true)
		if err != nil {
			c.err = err
			p.emit(c)
			return false
		}
		closer = rc
		switch f.Format {
		case EventHub, JSONDocument:
			src = newDocSource(r, report)
		default:
			src = newRangeSource(r, report, rg.start, rg.end)
		}
	}
	defer src.release()
	for {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			closer.Close()
			c.err = err
			p.emit(c)
			return false
		}
		if len(c.ends) > 0 && len(c.data)+len(rec) > chunkBytes {
			if !p.emit(c) {
				closer.Close()
				return false
			}
			c = newChunk(ri)
		}
		c.data = append(c.data, rec...)
		c.ends = append(c.ends, int32(len(c.data)))
		c.lines = append(c.lines, int32(line))
	}
	c.rangeEnd, c.lineCount = true, src.lineCount()
	if err := closer.Close(); err != nil {
		c.err = fmt.Errorf("closing: %w", err)
		p.emit(c)
		return false
	}
	return p.emit(c)
}

func (p *pipeline) work() {
	defer p.wg.Done()
	cfg := p.r.cfg
	rb := cfg.newRowBuilder()
	var jr *jsonReader
	for c := range p.jobs {
		f := p.r.ranges[c.rg].file
		if jr == nil || jr.path != f.Path || jr.rg != c.rg {
			jr = &jsonReader{path: f.Path, rg: c.rg, envelope: f.Format == DefenderExport || f.Format == EventHub, filter: f.filter()}
		}
		c.diag = newPrivateDiagnostics()
		jr.diag = c.diag
		ri, start := 0, 0
		for k, end := range c.ends {
			for ri < len(c.reports) && c.reports[ri].before <= k {
				c.diag.add(f.Path, c.reports[ri].line, c.reports[ri].reason)
				ri++
			}
			c.lc.records++
			jr.decodeRecord(rb, c.data[start:end], int(c.lines[k]), &c.lc)
			start = int(end)
			if rb.full() {
				n := rb.n
				c.blocks = append(c.blocks, rowBlock{rb.flush(), n})
			}
		}
		for ; ri < len(c.reports); ri++ {
			c.diag.add(f.Path, c.reports[ri].line, c.reports[ri].reason)
		}
		if rb.n > 0 {
			n := rb.n
			c.blocks = append(c.blocks, rowBlock{rb.flush(), n})
		}
		if cap(c.data) <= 2*chunkBytes {
			buf := c.data[:0]
			chunkPool.Put(&buf)
		}
		c.data = nil
		close(c.done)
	}
}

// next returns the next batch in order.
func (p *pipeline) next() (*vec.Batch, error) {
	size := max(vec.BatchSize, 1)
	for !p.eof && p.rows < size {
		c, ok := <-p.order
		if !ok {
			p.eof = true
			break
		}
		<-c.done
		f := p.r.ranges[c.rg].file
		p.r.diag.merge(c.diag, "", 0)
		c.lc.flush(p.r.ctr)
		if c.rangeEnd && p.r.part != nil && c.rg == len(p.r.ranges)-1 {
			p.r.part.setLastLines(c.lineCount)
		}
		if c.err != nil {
			return nil, fmt.Errorf("source: reading %s: %w", f.Path, c.err)
		}
		for _, b := range c.blocks {
			p.pending = append(p.pending, b)
			p.rows += b.n
		}
	}
	if p.rows == 0 {
		return nil, nil
	}
	cfg := p.r.cfg
	// A block that is a whole batch goes out as it is.
	if p.offset == 0 && (p.pending[0].n == size || (p.eof && len(p.pending) == 1)) {
		b := p.pending[0]
		p.pending[0] = rowBlock{}
		p.pending = p.pending[1:]
		p.rows -= b.n
		return cfg.batch(b.vecs, b.n), nil
	}
	n := min(size, p.rows)
	out := make([]*vec.Vec, len(cfg.schema))
	for i, col := range cfg.schema {
		out[i] = vec.New(col.Type, n)
	}
	for got := 0; got < n; {
		b := p.pending[0]
		take := min(n-got, b.n-p.offset)
		for i := range out {
			appendRows(out[i], b.vecs[i], p.offset, p.offset+take)
		}
		got += take
		p.offset += take
		if p.offset == b.n {
			p.pending[0] = rowBlock{}
			p.pending = p.pending[1:]
			p.offset = 0
		}
	}
	p.rows -= n
	return cfg.batch(out, n), nil
}

func (p *pipeline) close() {
	if p.closed {
		return
	}
	p.closed = true
	close(p.stop)
	p.wg.Wait()
	p.pending = nil
}

// appendRows appends rows [from, to) of src to dst, of the same type.
func appendRows(dst, src *vec.Vec, from, to int) {
	base := dst.Len()
	switch src.Type.Physical() {
	case types.PhysBool:
		dst.Bools = append(dst.Bools, src.Bools[from:to]...)
	case types.PhysInt:
		dst.Ints = append(dst.Ints, src.Ints[from:to]...)
	case types.PhysReal:
		dst.Reals = append(dst.Reals, src.Reals[from:to]...)
	case types.PhysString:
		dst.Strs = append(dst.Strs, src.Strs[from:to]...)
	case types.PhysGuid:
		dst.Guids = append(dst.Guids, src.Guids[from:to]...)
	default:
		dst.Dyns = append(dst.Dyns, src.Dyns[from:to]...)
	}
	if src.Nulls != nil {
		for i := from; i < to; i++ {
			if src.Nulls.Get(i) {
				dst.Nulls = dst.Nulls.Set(base + i - from)
			}
		}
	}
}
