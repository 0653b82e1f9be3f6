package source

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"hunt/engine/exec"
	"hunt/engine/vec"
)

// ScanSpec says what a reader decodes.
type ScanSpec struct {
	// Columns are the top-level columns to decode, in output order; nil
	// means every column of the table's Schema. A name may repeat; its
	// vector is then shared.
	Columns []string
	// Paths maps a dynamic column to the only top-level keys the query
	// reads of it; the reader may build bags holding just those keys. A
	// column absent from the map is read whole.
	Paths map[string][]string
	// Filters are conjunctive predicates the reader may test early to
	// drop rows; it may keep rows that fail them (the query filters
	// again), never drop rows that pass.
	Filters []Filter
	// PathFilters are filters on one key of a dynamic column, which a
	// reader holding the column as JSON text may test before parsing it.
	// As with Filters, a reader may keep rows that fail them.
	PathFilters []PathFilter
}

// Filter is a predicate on one column: Op is "==", "!=", "=~", "<",
// "<=", ">", ">=" with Value, or "in", "in~" with Values. Values are
// boxed as vec.Vec.Get returns them.
type Filter struct {
	Column string
	Op     string
	Value  any
	Values []any
}

// PathFilter is a filter on one top-level key of a dynamic column, such
// as RawEventData.FileExtension =~ "zip", or, with Path "", on a string
// column itself (FileName has_any (...)). The reader does not interpret
// the filter: NewMatch returns a function (one per reader, so it need not
// be safe for concurrent use) that reports whether a string value of the
// key passes; values of other kinds are not judged. AbsentPasses says
// whether a row without the key, or with a null there, passes (for a
// string column: whether "" passes). NewMatch
// may return nil, and the filter is then not tested.
type PathFilter struct {
	Column, Path string
	AbsentPasses bool
	NewMatch     func() func(string) bool
}

// Reader streams a table's rows as batches. The Reader returned by
// Table.Open also implements exec.Splitter.
type Reader interface {
	// Next returns the next batch, or nil, nil at the end of the data.
	// Batches have exactly the requested columns, typed as in Schema, and
	// up to vec.BatchSize rows (never zero).
	Next() (*vec.Batch, error)
	Close() error
}

// LineError is a record that was skipped, or damage that ended a file.
type LineError struct {
	File   string
	Line   int // 1-based; 0 when the problem is not tied to a line
	Reason string
}

func (e LineError) Error() string {
	if e.Line <= 0 {
		return e.File + ": " + e.Reason
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Reason
}

// MaxKeptErrors is how many LineErrors Diagnostics keeps; all are counted.
const MaxKeptErrors = 100

// Diagnostics collects the problems readers met in the data, and the
// readers' counters (Scan). It is safe for concurrent use; a nil
// *Diagnostics discards everything.
//
// Readers working in parallel on parts of the data report into private
// Diagnostics that are merged in the order of the data, so the problems
// kept and their order are those of reading everything on one goroutine.
type Diagnostics struct {
	mu      sync.Mutex
	skipped int
	errs    []LineError
	// once is parallel to errs: a key for problems reported only the
	// first time they occur (a category no table claimed), else "".
	once []string
	seen map[string]bool
	// private buffers keep once-problems past MaxKeptErrors, so that
	// merging can tell which occurrence comes first.
	private bool

	scan scanCounters
}

// Skipped returns how many records (lines, CSV rows, damaged file ends)
// were skipped.
func (d *Diagnostics) Skipped() int {
	if d == nil {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.skipped
}

// Errors returns the first MaxKeptErrors problems, in the order of the
// data.
func (d *Diagnostics) Errors() []LineError {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]LineError(nil), d.errs...)
}

func (d *Diagnostics) add(file string, line int, reason string) {
	d.addOnce(file, line, reason, "")
}

// addOnce records a problem; with a non-empty key, only the first
// problem of that key is kept, later ones are counted.
func (d *Diagnostics) addOnce(file string, line int, reason, key string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.skipped++
	d.keep(LineError{File: file, Line: line, Reason: reason}, key)
	d.mu.Unlock()
}

func (d *Diagnostics) keep(e LineError, key string) {
	if key != "" {
		if d.seen[key] {
			return
		}
		if d.seen == nil {
			d.seen = map[string]bool{}
		}
		d.seen[key] = true
	}
	if len(d.errs) < MaxKeptErrors || (d.private && key != "") {
		d.errs = append(d.errs, e)
		d.once = append(d.once, key)
	}
}

func newPrivateDiagnostics() *Diagnostics { return &Diagnostics{private: true} }

// merge appends the problems of src, a private buffer, after those of
// d. Line numbers of file path are shifted by base: src was read from a
// part of the file that starts after base lines.
func (d *Diagnostics) merge(src *Diagnostics, path string, base int) {
	if d == nil || src == nil {
		return
	}
	src.mu.Lock()
	errs, once, skipped := src.errs, src.once, src.skipped
	src.errs, src.once, src.skipped = nil, nil, 0
	src.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.skipped += skipped
	for i, e := range errs {
		if path != "" && e.File == path && e.Line > 0 {
			e.Line += base
		}
		d.keep(e, once[i])
	}
}

// Open starts reading the table. Problems in the data go to diag (which
// may be nil); errors returned by Open or Next are failures of the query:
// an unknown column, an unreadable file, an unsupported format.
func (t *Table) Open(spec ScanSpec, diag *Diagnostics) (Reader, error) {
	schema, err := t.Schema()
	if err != nil {
		return nil, err
	}
	cfg, err := newReadConfig(t.Name, schema, spec)
	if err != nil {
		return nil, err
	}
	ranges := make([]fileRange, len(t.Files))
	for i, f := range t.Files {
		ranges[i] = fileRange{file: f, end: -1}
	}
	return newTableReader(cfg, ranges, diag, diag.counters(), runtime.GOMAXPROCS(0)), nil
}

// readConfig is what every reader of one Open shares: the columns to
// decode and how to map them to the output.
type readConfig struct {
	table  string
	schema vec.Schema // distinct requested columns
	out    []int      // output column i is schema[out[i]]
	spec   ScanSpec
}

func newReadConfig(table string, schema vec.Schema, spec ScanSpec) (*readConfig, error) {
	names := spec.Columns
	if names == nil {
		names = schema.Names()
	}
	cfg := &readConfig{table: table, out: make([]int, len(names)), spec: spec}
	pos := map[string]int{}
	for i, n := range names {
		p, ok := pos[n]
		if !ok {
			si := schema.Index(n)
			if si < 0 {
				return nil, fmt.Errorf("source: table %s has no column %q", table, n)
			}
			p = len(cfg.schema)
			pos[n] = p
			cfg.schema = append(cfg.schema, schema[si])
		}
		cfg.out[i] = p
	}
	return cfg, nil
}

func (c *readConfig) newRowBuilder() *rowBuilder {
	rb := newRowBuilder(c.schema)
	rb.setPaths(c.spec.Paths)
	rb.pd = addMatches(compilePushdown(c.schema, c.spec.Filters), c.schema, c.spec.PathFilters)
	rb.textPD = compilePathChecks(c.schema, c.spec.PathFilters)
	rb.recordPD = recordChecks(rb.textPD)
	return rb
}

// batch arranges decoded vectors as the requested output columns.
func (c *readConfig) batch(vecs []*vec.Vec, n int) *vec.Batch {
	b := &vec.Batch{Cols: make([]*vec.Vec, len(c.out)), N: n}
	for i, p := range c.out {
		b.Cols[i] = vecs[p]
	}
	return b
}

// fileRange is a file, or the lines of a file starting in [start, end).
type fileRange struct {
	file       *File
	start, end int64 // end < 0: to the end of the file
}

func (r fileRange) cutStart() bool { return r.start > 0 }
func (r fileRange) cutEnd() bool   { return r.end >= 0 }

// tableReader reads a list of file ranges one after another into one
// stream of batches, so that small files still make full batches. With
// more than one worker it decodes line files on several goroutines
// (pipeline.go); as a Split part it reports problems through its part.
type tableReader struct {
	cfg     *readConfig
	ranges  []fileRange
	diag    *Diagnostics
	ctr     *scanCounters
	workers int
	part    *splitPart

	started bool
	done    bool
	err     error

	// reading on the caller's goroutine
	rb    *rowBuilder
	next  int
	cur   fileReader
	local localCounts

	pl *pipeline
}

func (r *tableReader) ioCtx() ioCtx {
	c := ioCtx{ctr: r.ctr}
	if r.part != nil {
		c.stop = &r.part.stop
	}
	return c
}

func newTableReader(cfg *readConfig, ranges []fileRange, diag *Diagnostics, ctr *scanCounters, workers int) *tableReader {
	return &tableReader{cfg: cfg, ranges: ranges, diag: diag, ctr: ctr, workers: max(workers, 1)}
}

var _ exec.Splitter = (*tableReader)(nil)

func (r *tableReader) Next() (*vec.Batch, error) {
	if r.done {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		if r.workers > 1 && pipelined(r.ranges) {
			r.pl = startPipeline(r)
		} else {
			r.rb = r.cfg.newRowBuilder()
		}
	}
	var b *vec.Batch
	var err error
	if r.pl != nil {
		b, err = r.pl.next()
	} else {
		err = catchFaults(func() error {
			var err error
			b, err = r.nextInline()
			return err
		})
	}
	if err != nil {
		r.finish(false)
		r.done, r.err = true, err
		return nil, err
	}
	if b == nil {
		r.finish(true)
		r.done = true
		return nil, nil
	}
	if r.ctr != nil {
		r.ctr.rows.Add(int64(b.N))
	}
	return b, nil
}

func (r *tableReader) nextInline() (*vec.Batch, error) {
	rb := r.rb
	for !rb.full() {
		if r.cur == nil {
			if r.next >= len(r.ranges) {
				break
			}
			rg := r.ranges[r.next]
			r.next++
			fr, err := openRange(rg, r.diag, r.ioCtx(), false)
			if err != nil {
				return nil, err
			}
			r.cur = fr
		}
		done, err := r.cur.fill(rb, &r.local)
		if err != nil {
			r.closeCur()
			return nil, fmt.Errorf("source: reading %s: %w", r.ranges[r.next-1].file.Path, err)
		}
		if done {
			if r.part != nil && r.next == len(r.ranges) {
				r.part.setLastLines(r.cur.lines())
			}
			if err := r.closeCur(); err != nil {
				return nil, fmt.Errorf("source: closing %s: %w", r.ranges[r.next-1].file.Path, err)
			}
		}
	}
	r.local.flush(r.ctr)
	if rb.n == 0 {
		return nil, nil
	}
	n := rb.n
	return r.cfg.batch(rb.flush(), n), nil
}

func (r *tableReader) closeCur() error {
	if r.cur == nil {
		return nil
	}
	err := r.cur.close()
	r.cur = nil
	return err
}

// finish ends reading: complete says whether every row was read.
func (r *tableReader) finish(complete bool) error {
	var err error
	if r.pl != nil {
		r.pl.close()
	}
	err = r.closeCur()
	r.local.flush(r.ctr)
	if r.part != nil {
		r.part.finish(complete)
		r.part = nil
	}
	return err
}

func (r *tableReader) Close() error {
	if r.done {
		return nil
	}
	r.done = true
	return r.finish(false)
}

// pipelined reports whether the ranges are worth decoding on several
// goroutines: line and Event Hub files are; CSV is decoded in place.
func pipelined(ranges []fileRange) bool {
	for _, rg := range ranges {
		switch rg.file.Format {
		case DefenderExport, JSONLines, EventHub, JSONDocument:
		default:
			return false
		}
	}
	return len(ranges) > 0
}

// errSplitStarted is returned by Split after the first Next.
var errSplitStarted = errors.New("source: Split called after Next")
