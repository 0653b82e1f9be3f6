package source

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
)

// recordSource yields the raw records of one file: lines, or the elements
// of Event Hub bodies.
type recordSource interface {
	next() (rec []byte, line int, err error)
	// lineCount is the number of lines read so far.
	lineCount() int
	release()
}

func (s *lineSource) lineCount() int { return s.line }
func (s *docSource) lineCount() int  { return s.line - 1 }

// fileReader decodes the records of one file into a rowBuilder. It is
// independent of the other files of its table so that files can be read
// on their own goroutines, each with its own rowBuilder.
type fileReader interface {
	// fill decodes records until rb is full or the file ends (done).
	fill(rb *rowBuilder, lc *localCounts) (done bool, err error)
	// lines is the number of lines read, once the file is done.
	lines() int
	close() error
}

// openRange starts reading one file range on the calling goroutine;
// compressed files are decompressed a few buffers ahead on another.
func openRange(rg fileRange, diag *Diagnostics, ioc ioCtx, serial bool) (fileReader, error) {
	f := rg.file
	if f.Format == Parquet {
		return openParquet(rg, ioc)
	}
	if src, closer, err := openMappedLines(rg, diag, ioc); src != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return &jsonReader{path: f.Path, src: src, closer: closer, diag: diag,
			envelope: f.Format == DefenderExport, filter: f.filter()}, nil
	}
	start := rg.start
	if start > 0 {
		start-- // the byte before the range tells whether a line starts at it
	}
	r, closer, err := openStreamAt(f.Path, f.Compression, start, ioc, serial, !serial)
	if err != nil {
		return nil, err
	}
	return newFileReader(f, rg, r, closer, diag), nil
}

// openMappedLines returns a source of the lines of a plain line file
// read through a memory map, or nil when the file is not such a file or
// cannot be mapped.
func openMappedLines(rg fileRange, diag *Diagnostics, ioc ioCtx) (*lineSource, io.Closer, error) {
	f := rg.file
	if f.Compression != None || (f.Format != DefenderExport && f.Format != JSONLines) {
		return nil, nil, nil
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, nil, err
	}
	report := func(line int, reason string) { diag.add(f.Path, line, reason) }
	src := newMappedLineSource(fh, report, rg.start, rg.end, ioc)
	if src == nil {
		fh.Close()
		return nil, nil, nil
	}
	return src, fh, nil
}

// newFileReader reads the records of f (or of range rg of it) from r,
// already decompressed.
func newFileReader(f *File, rg fileRange, r io.Reader, closer io.Closer, diag *Diagnostics) fileReader {
	report := func(line int, reason string) { diag.add(f.Path, line, reason) }
	switch f.Format {
	case CSV:
		return &csvReader{path: f.Path, src: newCSVSource(r, report), closer: closer, diag: diag}
	case EventHub, JSONDocument:
		return &jsonReader{path: f.Path, src: newDocSource(r, report), closer: closer, diag: diag,
			envelope: f.Format == EventHub, filter: f.filter()}
	default:
		return &jsonReader{path: f.Path, src: newRangeSource(r, report, rg.start, rg.end), closer: closer, diag: diag,
			envelope: f.Format == DefenderExport, filter: f.filter()}
	}
}

// categoryFilter decides which envelopes of a file belong to the table
// being read.
type categoryFilter struct {
	table string // table name, for categories first met after sampling
	want  string // the category the file was bound with; "" keeps all
	bound map[string]bool
	seen  map[string]uint8 // category -> keep/skip decision
	// reportUnbound is set on one binding per file, so a category no
	// table claimed is reported once, not once per table.
	reportUnbound bool
}

// Decisions about an envelope's category.
const (
	catKeep    uint8 = iota + 1
	catSkip          // another table's record
	catUnbound       // no table's record: the first one is reported
)

// noCategory is the filter's key for envelopes without a category.
const noCategory = "\x00"

func (f *categoryFilter) decide(cat []byte, present bool) uint8 {
	if f.want == "" {
		return catKeep
	}
	if !present {
		cat = []byte(noCategory)
	} else if string(cat) == f.want {
		return catKeep
	}
	if d, ok := f.seen[string(cat)]; ok {
		return d
	}
	key := string(cat)
	var d uint8
	switch {
	case present && strings.EqualFold(tableForCategory(key), f.table):
		d = catKeep
	case present && f.bound[key]:
		d = catSkip
	case !f.reportUnbound:
		// Another binding of the file reports and counts these.
		d = catSkip
	default:
		d = catUnbound
	}
	if f.seen == nil {
		f.seen = map[string]uint8{}
	}
	f.seen[key] = d
	return d
}

// jsonReader reads JSON lines or Event Hub documents, flat or enveloped.
type jsonReader struct {
	path     string
	rg       int // the range read, in a pipeline
	src      recordSource
	closer   io.Closer
	envelope bool
	filter   categoryFilter
	diag     *Diagnostics
	catBuf   []byte
	propBuf  []byte
}

func (r *jsonReader) lines() int {
	if r.src == nil {
		return 0
	}
	return r.src.lineCount()
}

func (r *jsonReader) close() error {
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

// outcome is what became of one record.
type outcome uint8

const (
	outKeep     outcome = iota
	outDrop             // another table's record
	outReport           // dropped, with a reason for Diagnostics
	outUnbound          // dropped, reported the first time per category
	outPushdown         // dropped by a pushed-down filter
)

func (r *jsonReader) fill(rb *rowBuilder, lc *localCounts) (bool, error) {
	for !rb.full() {
		rec, line, err := r.src.next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		lc.records++
		r.decodeRecord(rb, rec, line, lc)
	}
	return false, nil
}

// decodeRecord decodes one record into the current row and commits it,
// or rolls it back and accounts for it.
func (r *jsonReader) decodeRecord(rb *rowBuilder, rec []byte, line int, lc *localCounts) {
	out, reason, err := r.decode(rb, rec)
	if err != nil {
		rb.rollback()
		r.diag.add(r.path, line, err.Error())
		return
	}
	switch out {
	case outKeep:
		rb.commit()
	case outReport:
		rb.rollback()
		r.diag.add(r.path, line, reason)
	case outUnbound:
		rb.rollback()
		// The key makes merged reports of parallel readers keep only the
		// first record of the category, as one reader would.
		r.diag.addOnce(r.path, line, reason, r.path+"\x00"+reason)
	case outPushdown:
		// Dropped before anything was decoded: nothing to roll back.
		lc.pushdown++
	default:
		rb.rollback()
	}
}

// decode decodes one record into the current row.
func (r *jsonReader) decode(rb *rowBuilder, rec []byte) (outcome, string, error) {
	i := skipWS(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return outDrop, "", notObject(rec, i)
	}
	if !r.envelope {
		if rb.rejectsRecord(rec[i:]) {
			return outPushdown, "", nil
		}
		e, err := rb.decodeObject(rec, i)
		if err != nil {
			return outDrop, "", err
		}
		return outKeep, "", checkTrailing(rec, e)
	}
	return r.decodeEnvelope(rb, rec, i)
}

func notObject(rec []byte, i int) error {
	if i < len(rec) && rec[i] == '[' {
		return &syntaxError{i, "record is a JSON array, not an object"}
	}
	if i < len(rec) {
		c := rec[i]
		if c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n' {
			return &syntaxError{i, "record is not a JSON object"}
		}
		return &syntaxError{i, "unexpected character " + quoteByte(c)}
	}
	return &syntaxError{i, "empty record"}
}

// decodeEnvelope decodes the "properties" of a Defender envelope when its
// "category" belongs to the table. The category usually comes first, so
// the properties are decoded in the same pass and other tables' records
// are dropped without looking at their properties; when it comes last,
// the properties are decoded on a second pass. Properties given as a
// string holding an object (some pipelines stringify them) are decoded
// from that string.
func (r *jsonReader) decodeEnvelope(rb *rowBuilder, rec []byte, i int) (outcome, string, error) {
	var (
		decision  uint8 = catKeep
		haveCat   bool
		props     []byte // the properties object, or nil
		propsAt   int    // its offset in rec, for error positions
		propsDone bool
	)
	// Without a category filter every record is kept, so the properties
	// can be decoded before the category is known.
	keepAll := r.filter.want == ""
	i = skipWS(rec, i+1)
	if i < len(rec) && rec[i] == '}' {
		i++
	} else {
		for {
			if i >= len(rec) || rec[i] != '"' {
				return outDrop, "", keyError(rec, i)
			}
			ke := stringEnd(rec, i+1)
			if ke < 0 {
				return outDrop, "", &syntaxError{i, "unterminated string"}
			}
			key := rec[i+1 : ke-1]
			i = skipWS(rec, ke)
			if i >= len(rec) || rec[i] != ':' {
				return outDrop, "", &syntaxError{i, "expected ':' after key"}
			}
			i = skipWS(rec, i+1)
			var e int
			switch {
			case props == nil && string(key) == "properties" && i < len(rec) && rec[i] == '{':
				propsAt = i
				if keepAll || (haveCat && decision == catKeep) {
					if rb.rejectsRecord(rec[i:]) {
						return outPushdown, "", nil
					}
					var err error
					if e, err = rb.decodeObject(rec, i); err != nil {
						return outDrop, "", err
					}
					propsDone = true
				} else if e = skipNested(rec, i); e < 0 {
					return outDrop, "", valueError(rec, i, kindObject)
				}
				props = rec[i:e]
			case props == nil && string(key) == "properties" && i < len(rec) && rec[i] == '"':
				if e = stringEnd(rec, i+1); e < 0 {
					return outDrop, "", valueError(rec, i, kindString)
				}
				var ok bool
				r.propBuf, ok = unescape(r.propBuf[:0], rec[i+1:e-1])
				if j := skipWS(r.propBuf, 0); ok && j < len(r.propBuf) && r.propBuf[j] == '{' {
					props, propsAt = r.propBuf[j:], i
				}
			case !haveCat && string(key) == "category" && i < len(rec) && rec[i] == '"':
				if e = stringEnd(rec, i+1); e < 0 {
					return outDrop, "", valueError(rec, i, kindString)
				}
				haveCat = true
				cat := rec[i+1 : e-1]
				if bytes.IndexByte(cat, '\\') >= 0 {
					var ok bool
					if r.catBuf, ok = unescape(r.catBuf[:0], cat); ok {
						cat = r.catBuf
					}
				}
				decision = r.filter.decide(cat, true)
				switch decision {
				case catKeep:
				case catUnbound:
					return outUnbound, "record of category " + strconv.Quote(string(cat)) + " skipped: no table is bound to it (the file's first records did not have it); use --table to read it", nil
				default:
					return outDrop, "", nil
				}
			default:
				var kind jsonKind
				if kind, e = valueEnd(rec, i); e < 0 {
					return outDrop, "", valueError(rec, i, kind)
				}
			}
			i = skipWS(rec, e)
			if i >= len(rec) {
				return outDrop, "", &syntaxError{i, "unexpected end of record"}
			}
			if rec[i] == '}' {
				i++
				break
			}
			if rec[i] != ',' {
				return outDrop, "", &syntaxError{i, "expected ',' or '}'"}
			}
			i = skipWS(rec, i+1)
		}
	}
	if err := checkTrailing(rec, i); err != nil {
		return outDrop, "", err
	}
	if !haveCat {
		switch r.filter.decide(nil, false) {
		case catKeep:
		case catUnbound:
			return outUnbound, "envelope without \"category\" skipped: its table is unknown", nil
		default:
			return outDrop, "", nil
		}
	}
	if props == nil {
		return outReport, "envelope has no \"properties\" object", nil
	}
	if !propsDone {
		if rb.rejectsRecord(props) {
			return outPushdown, "", nil
		}
		if _, err := rb.decodeObject(props, 0); err != nil {
			return outDrop, "", offsetError(err, propsAt)
		}
	}
	return outKeep, "", nil
}

// keyError explains what was found where a quoted key should be.
func keyError(b []byte, i int) error {
	if i >= len(b) {
		return &syntaxError{i, "unexpected end of record"}
	}
	return &syntaxError{i, "expected a quoted key"}
}
