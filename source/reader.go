package source

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

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

// Reader streams a table's rows as batches.
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

// Diagnostics collects the problems readers met in the data. It is safe
// for concurrent use; a nil *Diagnostics discards everything.
type Diagnostics struct {
	mu      sync.Mutex
	skipped int
	errs    []LineError
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

// Errors returns the first MaxKeptErrors problems, in the order met.
func (d *Diagnostics) Errors() []LineError {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]LineError(nil), d.errs...)
}

func (d *Diagnostics) add(file string, line int, reason string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.skipped++
	if len(d.errs) < MaxKeptErrors {
		d.errs = append(d.errs, LineError{File: file, Line: line, Reason: reason})
	}
	d.mu.Unlock()
}

// count counts a skipped record without keeping a LineError, for records
// like ones already reported (the rest of an unbound category).
func (d *Diagnostics) count() {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.skipped++
	d.mu.Unlock()
}

// ioError marks errors of the underlying file, which end the query,
// apart from errors of the decompressor, which are damage in the data.
type ioError struct{ err error }

func (e *ioError) Error() string { return e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

type ioErrReader struct{ r io.Reader }

func (r ioErrReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = &ioError{err}
	}
	return n, err
}

// zstdMaxWindow bounds the memory a zstd stream may ask for; 128 MiB is
// what `zstd --long` uses, far above ordinary levels.
const zstdMaxWindow = 128 << 20

// openStream opens path and returns its decompressed bytes.
func openStream(path string, c Compression, serial bool) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	raw := ioErrReader{f}
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(bufio.NewReaderSize(raw, 256<<10))
		if err != nil {
			return streamError(f, raw, err)
		}
		// The decompressor's Close repeats damage already reported.
		return zr, multiCloser{quietCloser{zr}, f}, nil
	case Zstd:
		conc := 2
		if serial {
			conc = 1
		}
		zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(conc), zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return streamError(f, raw, err)
		}
		return zr, multiCloser{zstdCloser{zr}, f}, nil
	}
	return raw, f, nil
}

// streamError turns a failure to start decompressing into a stream that
// fails on first read, so it is reported as damage like any other.
func streamError(f *os.File, _ io.Reader, err error) (io.Reader, io.Closer, error) {
	var ioe *ioError
	if errors.As(err, &ioe) {
		f.Close()
		return nil, nil, ioe.err
	}
	if err == io.EOF {
		// An empty compressed file holds no rows.
		return eofReader{}, f, nil
	}
	return errReader{err}, f, nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

type quietCloser struct{ c io.Closer }

func (q quietCloser) Close() error { q.c.Close(); return nil }

type zstdCloser struct{ d *zstd.Decoder }

func (z zstdCloser) Close() error { z.d.Close(); return nil }

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for _, c := range m {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Open starts reading the table. Problems in the data go to diag (which
// may be nil); errors returned by Open or Next are failures of the query:
// an unknown column, an unreadable file, an unsupported format.
func (t *Table) Open(spec ScanSpec, diag *Diagnostics) (Reader, error) {
	schema, err := t.Schema()
	if err != nil {
		return nil, err
	}
	names := spec.Columns
	if names == nil {
		names = schema.Names()
	}
	var uniq vec.Schema
	pos := map[string]int{}
	out := make([]int, len(names))
	for i, n := range names {
		p, ok := pos[n]
		if !ok {
			si := schema.Index(n)
			if si < 0 {
				return nil, fmt.Errorf("source: table %s has no column %q", t.Name, n)
			}
			p = len(uniq)
			pos[n] = p
			uniq = append(uniq, schema[si])
		}
		out[i] = p
	}
	for _, f := range t.Files {
		if f.Format == Parquet {
			return nil, fmt.Errorf("source: %s: Parquet files are not supported yet", f.Path)
		}
	}
	return &tableReader{table: t, rb: newRowBuilder(uniq), out: out, diag: diag}, nil
}

// tableReader reads a table's files one after another into one stream of
// batches, so that small files still make full batches.
type tableReader struct {
	table *Table
	rb    *rowBuilder
	out   []int
	diag  *Diagnostics
	next  int
	cur   fileReader
	done  bool
}

func (r *tableReader) Next() (*vec.Batch, error) {
	if r.done {
		return nil, nil
	}
	for !r.rb.full() {
		if r.cur == nil {
			if r.next >= len(r.table.Files) {
				break
			}
			f := r.table.Files[r.next]
			r.next++
			fr, err := openFile(f, r.diag, false)
			if err != nil {
				r.done = true
				return nil, err
			}
			r.cur = fr
		}
		done, err := r.cur.fill(r.rb)
		if err != nil {
			r.cur.close()
			r.cur = nil
			r.done = true
			return nil, fmt.Errorf("source: reading %s: %w", r.table.Files[r.next-1].Path, err)
		}
		if done {
			err := r.cur.close()
			r.cur = nil
			if err != nil {
				r.done = true
				return nil, fmt.Errorf("source: closing %s: %w", r.table.Files[r.next-1].Path, err)
			}
		}
	}
	if r.rb.n == 0 {
		r.done = true
		return nil, nil
	}
	n := r.rb.n
	vecs := r.rb.flush()
	b := &vec.Batch{Cols: make([]*vec.Vec, len(r.out)), N: n}
	for i, p := range r.out {
		b.Cols[i] = vecs[p]
	}
	return b, nil
}

func (r *tableReader) Close() error {
	r.done = true
	if r.cur != nil {
		err := r.cur.close()
		r.cur = nil
		return err
	}
	return nil
}

// openFile starts reading one file. serial asks for decompression on the
// calling goroutine only (sampling many files).
func openFile(f *File, diag *Diagnostics, serial bool) (fileReader, error) {
	r, closer, err := openStream(f.Path, f.Compression, serial)
	if err != nil {
		return nil, err
	}
	return newFileReader(f, r, closer, diag), nil
}

// newFileReader reads the records of f from r (already decompressed).
func newFileReader(f *File, r io.Reader, closer io.Closer, diag *Diagnostics) fileReader {
	report := func(line int, reason string) { diag.add(f.Path, line, reason) }
	switch f.Format {
	case CSV:
		return &csvReader{path: f.Path, src: newCSVSource(r, report), closer: closer, diag: diag}
	case EventHub, JSONDocument:
		return &jsonReader{path: f.Path, src: newDocSource(r, report), closer: closer, diag: diag,
			envelope: f.Format == EventHub, filter: f.filter()}
	default:
		return &jsonReader{path: f.Path, src: newLineSource(r, report), closer: closer, diag: diag,
			envelope: f.Format == DefenderExport, filter: f.filter()}
	}
}
