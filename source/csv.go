package source

import (
	"bytes"
	"io"
	"strconv"
	"strings"
)

// csvSource splits a stream into RFC 4180 records. Cells are slices of
// the buffer, or of a scratch buffer when doubled quotes had to be undone.
type csvSource struct {
	byteSource
	line    int // lines consumed so far
	report  reportFunc
	started bool

	bounds  []cellBound
	cells   [][]byte
	scratch []byte
}

type cellBound struct {
	start, end int
	dq         bool // quoted with doubled quotes inside
}

func newCSVSource(r io.Reader, report reportFunc) *csvSource {
	s := &csvSource{report: report}
	s.init(r, MaxLineBytes)
	return s
}

type csvStatus uint8

const (
	csvOK csvStatus = iota
	csvMore
	csvUnclosed
	csvAfterQuote
)

// parse scans one record at the start of b. It returns the record's
// length including its line end, the status, and whether the record ended
// with a line break.
func (s *csvSource) parse(b []byte, eof bool) (int, csvStatus, bool) {
	s.bounds = s.bounds[:0]
	i := 0
	for {
		if i < len(b) && b[i] == '"' {
			j := i + 1
			dq := false
			for {
				k := bytes.IndexByte(b[j:], '"')
				if k < 0 {
					if eof {
						return len(b), csvUnclosed, false
					}
					return 0, csvMore, false
				}
				k += j
				if k+1 < len(b) && b[k+1] == '"' {
					dq = true
					j = k + 2
					continue
				}
				if k+1 >= len(b) && !eof {
					return 0, csvMore, false
				}
				s.bounds = append(s.bounds, cellBound{i + 1, k, dq})
				i = k + 1
				break
			}
			if i >= len(b) {
				return i, csvOK, false
			}
			switch b[i] {
			case ',':
				i++
				continue
			case '\n':
				return i + 1, csvOK, true
			case '\r':
				if i+1 < len(b) && b[i+1] == '\n' {
					return i + 2, csvOK, true
				}
				if i+1 >= len(b) {
					if !eof {
						return 0, csvMore, false
					}
					return i + 1, csvOK, false
				}
			}
			// Text after a closing quote: skip to the end of the line.
			k := bytes.IndexByte(b[i:], '\n')
			if k < 0 {
				if !eof {
					return 0, csvMore, false
				}
				return len(b), csvAfterQuote, false
			}
			return i + k + 1, csvAfterQuote, true
		}
		// Unquoted cell: a quote inside it is taken literally, as most
		// CSV writers that do not quote also do not escape.
		k := i
		for k < len(b) && b[k] != ',' && b[k] != '\n' {
			k++
		}
		if k >= len(b) {
			if !eof {
				return 0, csvMore, false
			}
			e := k
			if e > i && b[e-1] == '\r' {
				e--
			}
			s.bounds = append(s.bounds, cellBound{i, e, false})
			return k, csvOK, false
		}
		if b[k] == ',' {
			s.bounds = append(s.bounds, cellBound{i, k, false})
			i = k + 1
			continue
		}
		e := k
		if e > i && b[e-1] == '\r' {
			e--
		}
		s.bounds = append(s.bounds, cellBound{i, e, false})
		return k + 1, csvOK, true
	}
}

// next returns the cells of the next non-blank record and the line it
// starts on, io.EOF at the end, or a hard I/O error.
func (s *csvSource) next() ([][]byte, int, error) {
	for {
		if !s.started {
			if s.end-s.pos < len(bomUTF8) && !s.eof {
				s.fill()
				continue
			}
			s.started = true
			if bytes.HasPrefix(s.buf[s.pos:s.end], bomUTF8) {
				s.pos += len(bomUTF8)
			}
		}
		if s.pos >= s.end && s.eof {
			if s.hardErr != nil {
				return nil, 0, s.hardErr
			}
			if s.corrupt != nil {
				s.report(s.line+1, corruptReason(s.corrupt))
				s.corrupt = nil
			}
			return nil, 0, io.EOF
		}
		b := s.buf[s.pos:s.end]
		n, st, terminated := s.parse(b, s.eof)
		if st == csvMore {
			if s.end-s.pos > s.limit {
				s.line++
				s.report(s.line, tooLong(s.limit))
				s.discardLine()
				continue
			}
			s.fill()
			continue
		}
		if s.hardErr != nil && !terminated {
			return nil, 0, s.hardErr
		}
		line := s.line + 1
		s.line += bytes.Count(b[:n], nl)
		if !terminated {
			s.line++
		}
		s.pos += n
		if s.corrupt != nil && !terminated {
			// The record was cut by the damage: report it with the damage.
			s.report(line, corruptReason(s.corrupt))
			s.corrupt = nil
			s.pos = s.end
			return nil, 0, io.EOF
		}
		if n > s.limit {
			s.report(line, tooLong(s.limit))
			continue
		}
		switch st {
		case csvUnclosed:
			s.report(line, "quoted cell is not closed before the end of the file")
			continue
		case csvAfterQuote:
			s.report(line, "unexpected text after a closing quote")
			continue
		}
		if len(s.bounds) == 1 && s.bounds[0].start == s.bounds[0].end && (s.bounds[0].start == 0 || b[0] != '"') {
			continue // blank line
		}
		return s.makeCells(b), line, nil
	}
}

func (s *csvSource) makeCells(b []byte) [][]byte {
	s.scratch = s.scratch[:0]
	s.cells = s.cells[:0]
	for _, c := range s.bounds {
		if c.dq {
			// Offsets into scratch are fixed up below, after scratch
			// has stopped growing.
			st := len(s.scratch)
			cell := b[c.start:c.end]
			for len(cell) > 0 {
				k := bytes.IndexByte(cell, '"')
				if k < 0 {
					s.scratch = append(s.scratch, cell...)
					break
				}
				s.scratch = append(s.scratch, cell[:k+1]...)
				cell = cell[k+2:]
			}
			s.cells = append(s.cells, nil)
			s.bounds[len(s.cells)-1] = cellBound{st, len(s.scratch), true}
			continue
		}
		s.cells = append(s.cells, b[c.start:c.end])
	}
	for i, c := range s.bounds {
		if c.dq {
			s.cells[i] = s.scratch[c.start:c.end]
		}
	}
	return s.cells
}

func (s *csvSource) discardLine() {
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

// csvReader decodes CSV rows into a rowBuilder.
type csvReader struct {
	path    string
	src     *csvSource
	closer  io.Closer
	diag    *Diagnostics
	header  bool
	targets []target // per header cell
	width   int
}

func (r *csvReader) close() error {
	if r.src != nil {
		r.src.release()
		r.src = nil
	}
	if r.closer != nil {
		err := r.closer.Close()
		r.closer = nil
		return err
	}
	return nil
}

// readHeader maps header cells to columns. A name that repeats an
// earlier one is ignored, so the first cell of a name wins.
func readHeader(cells [][]byte, keys map[string]target) []target {
	ts := make([]target, len(cells))
	seen := map[string]bool{}
	for i, c := range cells {
		name := strings.TrimSpace(string(c))
		ts[i] = target{own: -1, alias: -1}
		if seen[name] {
			continue
		}
		seen[name] = true
		if t, ok := keys[name]; ok {
			ts[i] = t
		}
	}
	return ts
}

func (r *csvReader) lines() int {
	if r.src == nil {
		return 0
	}
	return r.src.line
}

func (r *csvReader) fill(rb *rowBuilder, lc *localCounts) (bool, error) {
	for !rb.full() {
		cells, line, err := r.src.next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		if !r.header {
			r.header = true
			r.targets = readHeader(cells, rb.keys)
			r.width = len(cells)
			continue
		}
		lc.records++
		if len(cells) != r.width {
			r.diag.add(r.path, line, "expected "+strconv.Itoa(r.width)+" cells as in the header, found "+strconv.Itoa(len(cells)))
			continue
		}
		for i, t := range r.targets {
			if t.own >= 0 {
				rb.putText(t.own, prioOwn, cells[i])
			}
			if t.alias >= 0 {
				rb.putText(t.alias, prioAlias, cells[i])
			}
		}
		rb.commit()
	}
	return false, nil
}
