package source

import (
	"bufio"
	"errors"
	"io"
	"os"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// ioError marks errors of the underlying file, which end the query,
// apart from errors of the decompressor, which are damage in the data.
type ioError struct{ err error }

func (e *ioError) Error() string { return e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

// ioCtx is what file reads report to and obey.
type ioCtx struct {
	ctr *scanCounters // counts the bytes read; may be nil
	// stop, when set, makes reads fail: the consumer of a Split stopped
	// before the part reading.
	stop *atomic.Bool
}

// errStopped is the read error of a Split part whose rows are no longer
// wanted.
var errStopped = errors.New("the query stopped reading before this part of the data")

func (c ioCtx) stopped() bool { return c.stop != nil && c.stop.Load() }

// ioErrReader reads a file, marks its errors as ioErrors and counts the
// bytes read.
type ioErrReader struct {
	r  io.Reader
	io ioCtx
}

func (r ioErrReader) Read(p []byte) (int, error) {
	if r.io.stopped() {
		return 0, &ioError{errStopped}
	}
	n, err := r.r.Read(p)
	if n > 0 && r.io.ctr != nil {
		r.io.ctr.bytesRead.Add(int64(n))
	}
	if err != nil && err != io.EOF {
		err = &ioError{err}
	}
	return n, err
}

// zstdMaxWindow bounds the memory a zstd stream may ask for; 128 MiB is
// what `zstd --long` uses, far above ordinary levels.
const zstdMaxWindow = 128 << 20

// openStream opens path and returns its decompressed bytes, decompressed
// on the calling goroutine (discovery and sampling).
func openStream(path string, c Compression, serial bool) (io.Reader, io.Closer, error) {
	return openStreamAt(path, c, 0, ioCtx{}, serial, false)
}

// openStreamAt opens path at byte offset start (uncompressed files only)
// and returns its decompressed bytes. readAhead decompresses on a
// goroutine of its own, a few buffers ahead of the reader, so that
// decompression and decoding overlap.
func openStreamAt(path string, c Compression, start int64, ioc ioCtx, serial, readAhead bool) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if start > 0 && c == None {
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	raw := ioErrReader{f, ioc}
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(bufio.NewReaderSize(raw, 256<<10))
		if err != nil {
			return streamError(f, err)
		}
		if readAhead {
			ra := newReadAhead(zr)
			return ra, multiCloser{ra, quietCloser{zr}, f}, nil
		}
		// The decompressor's Close repeats damage already reported.
		return zr, multiCloser{quietCloser{zr}, f}, nil
	case Zstd:
		// The zstd decoder decodes ahead on goroutines of its own.
		conc := 2
		if serial {
			conc = 1
		}
		zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(conc), zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return streamError(f, err)
		}
		return zr, multiCloser{zstdCloser{zr}, f}, nil
	}
	return raw, f, nil
}

// streamError turns a failure to start decompressing into a stream that
// fails on first read, so it is reported as damage like any other.
func streamError(f *os.File, err error) (io.Reader, io.Closer, error) {
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

// Read-ahead buffers: enough to keep the decompressor busy while a
// buffer is decoded, few enough to keep memory flat.
const (
	readAheadBufs = 4
	readAheadSize = 1 << 20
)

// readAhead reads src on its own goroutine into a ring of buffers.
type readAhead struct {
	full chan raBuf
	free chan []byte
	stop chan struct{}
	done chan struct{}
	cur  raBuf
	off  int
}

type raBuf struct {
	b   []byte
	err error // after b
}

func newReadAhead(src io.Reader) *readAhead {
	ra := &readAhead{
		full: make(chan raBuf, readAheadBufs),
		free: make(chan []byte, readAheadBufs),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range readAheadBufs {
		ra.free <- make([]byte, readAheadSize)
	}
	go ra.run(src)
	return ra
}

func (ra *readAhead) run(src io.Reader) {
	defer close(ra.done)
	for {
		var b []byte
		select {
		case b = <-ra.free:
		case <-ra.stop:
			return
		}
		n := 0
		var err error
		zero := 0
		for n < len(b) && err == nil {
			var k int
			k, err = src.Read(b[n:])
			n += k
			if k == 0 && err == nil {
				if zero++; zero > 100 {
					err = io.ErrNoProgress
				}
			}
		}
		// The ring holds every buffer, so this send cannot block.
		ra.full <- raBuf{b[:n], err}
		if err != nil {
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for ra.off >= len(ra.cur.b) {
		if ra.cur.err != nil {
			return 0, ra.cur.err
		}
		if ra.cur.b != nil {
			ra.free <- ra.cur.b[:cap(ra.cur.b)]
		}
		ra.cur, ra.off = <-ra.full, 0
		if len(ra.cur.b) == 0 && ra.cur.err == nil {
			ra.cur.b = nil
		}
	}
	n := copy(p, ra.cur.b[ra.off:])
	ra.off += n
	return n, nil
}

// Close stops the goroutine; the caller then closes the source.
func (ra *readAhead) Close() error {
	select {
	case <-ra.stop:
	default:
		close(ra.stop)
	}
	<-ra.done
	return nil
}
