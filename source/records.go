package source

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync"
)

// MaxLineBytes bounds one line of JSON lines or one CSV row; longer ones
// are reported and skipped so that a file without line breaks cannot
// exhaust memory.
var MaxLineBytes = 64 << 20

// MaxDocumentBytes bounds one top-level JSON value of an Event Hub style
// file (one {"records":[…]} body or one JSON array), which is read whole.
var MaxDocumentBytes = 256 << 20

const initialBufSize = 1 << 20

var errMapFailed = errors.New("cannot map the file into memory")

var bufPool = sync.Pool{New: func() any { b := make([]byte, initialBufSize); return &b }}

// reportFunc receives a problem at a 1-based line of the current file.
type reportFunc func(line int, reason string)

// byteSource is a refillable window over a (decompressed) stream.
// Sources parse buf[pos:end] in place, so the slices they hand out stay
// valid until the next fill.
type byteSource struct {
	r       io.Reader
	buf     []byte
	pooled  *[]byte
	pos     int
	end     int
	base    int64 // stream offset of buf[0]
	eof     bool
	hardErr error // an I/O error: the caller must fail
	corrupt error // a decompression error: reported, the file ends here
	limit   int
	m       *mapping // set when buf is a window of a memory-mapped file

	zeroReads int
}

func (s *byteSource) init(r io.Reader, limit int) {
	s.r = r
	s.limit = limit
	s.pooled = bufPool.Get().(*[]byte)
	s.buf = *s.pooled
}

func (s *byteSource) release() {
	if s.m != nil {
		s.releaseMap()
		return
	}
	if s.pooled != nil {
		// Only buffers of the pooled size go back, so one huge line does
		// not pin a huge buffer in the pool.
		if len(s.buf) == initialBufSize {
			*s.pooled = s.buf
			bufPool.Put(s.pooled)
		}
		s.pooled = nil
	}
	s.buf = nil
}

// fill moves the unread bytes to the front, grows the buffer when it is
// full, and reads until the buffer is full or the stream ends. Reading to
// a full buffer keeps the number of rescans of a long record logarithmic.
func (s *byteSource) fill() {
	if s.eof {
		return
	}
	if s.m != nil {
		if !s.mapNext() {
			s.eof, s.hardErr = true, errMapFailed
		}
		return
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.base += int64(s.pos)
		s.pos = 0
	}
	if s.end == len(s.buf) {
		n := 2 * len(s.buf)
		if n > s.limit+1 {
			n = s.limit + 1
		}
		if n <= len(s.buf) {
			n = len(s.buf) + 4096
		}
		nb := make([]byte, n)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				var ioe *ioError
				if errors.As(err, &ioe) {
					s.hardErr = ioe.err
				} else {
					s.corrupt = err
				}
			}
			return
		}
		if n == 0 {
			// A reader that keeps returning nothing without an error
			// would make the sources spin.
			if s.zeroReads++; s.zeroReads > 100 {
				s.eof, s.corrupt = true, io.ErrNoProgress
			}
			return
		}
		s.zeroReads = 0
	}
}

func corruptReason(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "compressed data ends early (truncated file); rows before this point were kept"
	}
	return "compressed data is corrupt (" + err.Error() + "); rows before this point were kept"
}

// lineSource hands out the lines of a stream, without their line ends,
// skipping blank ones.
type lineSource struct {
	byteSource
	line   int
	report reportFunc
	// A source for a range of a file (Split) starts reading just before
	// the range: it skips the partial line there, which belongs to the
	// range before, and ends before the first line starting at stop.
	skipPartial bool
	stop        int64 // < 0: read to the end
	midFile     bool  // the stream does not start the file: no BOM
}

func newLineSource(r io.Reader, report reportFunc) *lineSource {
	s := &lineSource{report: report, stop: -1}
	s.init(r, MaxLineBytes)
	return s
}

// newRangeSource reads the lines that start in [start, stop) of a file
// whose stream r begins at offset start-1 (or 0 when start is 0).
func newRangeSource(r io.Reader, report reportFunc, start, stop int64) *lineSource {
	s := newLineSource(r, report)
	if start > 0 {
		s.base = start - 1
		s.skipPartial, s.midFile = true, true
	}
	s.stop = stop
	return s
}

// next returns the next non-blank line and its 1-based number, io.EOF at
// the end, or a hard I/O error.
func (s *lineSource) next() ([]byte, int, error) {
	if s.skipPartial {
		s.skipPartial = false
		s.discardLine()
	}
	for {
		if s.stop >= 0 && s.base+int64(s.pos) >= s.stop {
			return nil, 0, io.EOF
		}
		if j := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); j >= 0 {
			l := s.buf[s.pos : s.pos+j]
			s.pos += j + 1
			s.line++
			if len(l) > s.limit {
				s.report(s.line, tooLong(s.limit))
				continue
			}
			if s.line == 1 && !s.midFile {
				l = stripBOM(l)
			}
			if l = trimCR(l); isBlank(l) {
				continue
			}
			return l, s.line, nil
		}
		if s.eof {
			if s.hardErr != nil {
				return nil, 0, s.hardErr
			}
			if s.pos < s.end {
				l := s.buf[s.pos:s.end]
				s.pos = s.end
				s.line++
				if s.corrupt != nil {
					// The last line was cut by the damage; it is dropped
					// with the report rather than decoded as garbage.
					s.report(s.line, corruptReason(s.corrupt))
					s.corrupt = nil
					return nil, 0, io.EOF
				}
				if len(l) > s.limit {
					s.report(s.line, tooLong(s.limit))
					continue
				}
				if s.line == 1 && !s.midFile {
					l = stripBOM(l)
				}
				if l = trimCR(l); isBlank(l) {
					continue
				}
				return l, s.line, nil
			}
			if s.corrupt != nil {
				s.report(s.line+1, corruptReason(s.corrupt))
				s.corrupt = nil
			}
			return nil, 0, io.EOF
		}
		if s.end-s.pos > s.limit {
			s.line++
			s.report(s.line, tooLong(s.limit))
			s.discardLine()
			continue
		}
		s.fill()
	}
}

// discardLine drops bytes up to and including the next line end.
func (s *lineSource) discardLine() {
	for {
		if j := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); j >= 0 {
			s.pos += j + 1
			return
		}
		s.pos = s.end
		if s.eof {
			return
		}
		s.fill()
	}
}

func tooLong(limit int) string {
	return "line longer than " + byteCount(limit) + "; skipped"
}

func byteCount(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
}

func trimCR(l []byte) []byte {
	if len(l) > 0 && l[len(l)-1] == '\r' {
		return l[:len(l)-1]
	}
	return l
}

func isBlank(l []byte) bool { return skipWS(l, 0) == len(l) }

// docSource hands out the records of Event Hub style files: a sequence of
// top-level JSON values, each a {"records":[…]} body, an array of records
// or a record. Each top-level value is buffered whole (up to the limit)
// and its records are returned as slices of it.
type docSource struct {
	byteSource
	line   int // line of buf[pos]
	report reportFunc
	// partial lets a sample see the complete records at the start of a
	// value cut off by the sample's byte limit.
	partial bool
	started bool

	val       []byte
	valLine   int
	linePos   int // val[linePos] is on line valLine
	vpos      int
	single    bool // val is itself a record not yet returned
	inArray   bool
	needComma bool
}

func newDocSource(r io.Reader, report reportFunc) *docSource {
	s := &docSource{report: report, line: 1}
	s.init(r, MaxDocumentBytes)
	return s
}

func (s *docSource) next() ([]byte, int, error) {
	for {
		if s.val != nil {
			if rec, line, ok := s.nextElem(); ok {
				return rec, line, nil
			}
			s.val = nil
		}
		v, line, err := s.nextValue()
		if err != nil {
			return nil, 0, err
		}
		s.start(v, line)
	}
}

// start prepares to iterate the records of top-level value v.
func (s *docSource) start(v []byte, line int) {
	s.val, s.valLine, s.linePos = v, line, 0
	s.single, s.inArray, s.needComma = false, false, false
	if v[0] == '[' {
		s.inArray, s.vpos = true, 1
		return
	}
	arr := -1
	// The value may be cut short when sampling, so the walk must not
	// need the records array to end.
	keyValuesPrefix(v, func(key []byte, kind jsonKind, start int) bool {
		if kind == kindArray && string(key) == "records" {
			arr = start
			return false
		}
		return true
	})
	if arr >= 0 {
		s.inArray, s.vpos = true, arr+1
		return
	}
	s.single = true
}

func (s *docSource) lineAt(i int) int {
	if i > s.linePos {
		s.valLine += bytes.Count(s.val[s.linePos:i], nl)
		s.linePos = i
	}
	return s.valLine
}

var nl = []byte{'\n'}

func (s *docSource) nextElem() ([]byte, int, bool) {
	if s.single {
		s.single = false
		return s.val, s.valLine, true
	}
	for s.inArray {
		v := s.val
		i := skipWS(v, s.vpos)
		if i >= len(v) {
			if !s.partial {
				s.report(s.lineAt(len(v)), "records array is not closed")
			}
			break
		}
		if s.needComma {
			if v[i] == ']' {
				break
			}
			if v[i] != ',' {
				s.report(s.lineAt(i), "invalid JSON in records array: expected ',' or ']'; rest of this value skipped")
				break
			}
			i = skipWS(v, i+1)
		} else if v[i] == ']' {
			break
		}
		kind, e := valueEnd(v, i)
		line := s.lineAt(i)
		if e < 0 {
			if !s.partial {
				s.report(line, "invalid JSON in records array; rest of this value skipped")
			}
			break
		}
		s.vpos, s.needComma = e, true
		if kind != kindObject {
			s.report(line, "record is not a JSON object")
			continue
		}
		return v[i:e], line, true
	}
	s.inArray = false
	return nil, 0, false
}

// valueScanner finds the end of a JSON object or array across refills.
type valueScanner struct {
	off   int // bytes of the value scanned so far
	depth int
	inStr bool
	esc   bool
}

// scan continues over b (the value's bytes so far) and returns the length
// of the value once its closing bracket is seen, or -1.
func (sc *valueScanner) scan(b []byte) int {
	i := sc.off
	for i < len(b) {
		c := b[i]
		if sc.inStr {
			if sc.esc {
				sc.esc = false
			} else if c == '\\' {
				sc.esc = true
			} else if c == '"' {
				sc.inStr = false
			}
			i++
			continue
		}
		switch c {
		case '"':
			sc.inStr = true
		case '{', '[':
			sc.depth++
		case '}', ']':
			sc.depth--
			if sc.depth <= 0 {
				sc.off = i + 1
				return i + 1
			}
		}
		i++
	}
	sc.off = i
	return -1
}

// nextValue returns the next top-level object or array and its first line.
func (s *docSource) nextValue() ([]byte, int, error) {
	for {
		for {
			for s.pos < s.end && isWS(s.buf[s.pos]) {
				if s.buf[s.pos] == '\n' {
					s.line++
				}
				s.pos++
			}
			if s.pos < s.end {
				break
			}
			if s.eof {
				return nil, 0, s.finish(s.line)
			}
			s.fill()
		}
		if !s.started {
			s.started = true
			if len(s.buf[s.pos:s.end]) < len(bomUTF8) && !s.eof {
				s.fill()
			}
			if bytes.HasPrefix(s.buf[s.pos:s.end], bomUTF8) {
				s.pos += len(bomUTF8)
				continue
			}
		}
		start := s.line
		if c := s.buf[s.pos]; c != '{' && c != '[' {
			s.report(start, "expected a JSON object or array; skipped to the next line")
			s.skipLine()
			continue
		}
		var sc valueScanner
		skipping := false
		for {
			if n := sc.scan(s.buf[s.pos:s.end]); n >= 0 {
				v := s.buf[s.pos : s.pos+n]
				s.line += bytes.Count(v, nl)
				s.pos += n
				if skipping {
					break
				}
				return v, start, nil
			}
			if s.eof {
				if s.hardErr != nil {
					return nil, 0, s.hardErr
				}
				if s.partial && !skipping && s.end > s.pos {
					v := s.buf[s.pos:s.end]
					s.pos = s.end
					return v, start, nil
				}
				if s.corrupt == nil {
					s.report(start, "JSON value is not closed before the end of the file")
				}
				s.pos = s.end
				return nil, 0, s.finish(start)
			}
			if !skipping && s.end-s.pos > s.limit {
				s.report(start, "JSON value longer than "+byteCount(s.limit)+"; skipped (write the export as JSON lines to read values this large)")
				skipping = true
			}
			if skipping {
				// Keep scanning but drop what was scanned.
				s.line += bytes.Count(s.buf[s.pos:s.end], nl)
				s.pos = s.end
				sc.off = 0
			}
			s.fill()
		}
	}
}

func (s *docSource) skipLine() {
	for {
		if j := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); j >= 0 {
			s.pos += j + 1
			s.line++
			return
		}
		s.pos = s.end
		if s.eof {
			return
		}
		s.fill()
	}
}

// finish ends the stream: a hard error is returned, damage is reported.
func (s *docSource) finish(line int) error {
	if s.hardErr != nil {
		return s.hardErr
	}
	if s.corrupt != nil {
		if !s.partial {
			s.report(line, corruptReason(s.corrupt))
		}
		s.corrupt = nil
	}
	return io.EOF
}
