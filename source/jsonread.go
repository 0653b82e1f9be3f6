package source

import (
	"bytes"
	"io"
	"strconv"
	"strings"
)

// recordSource yields the raw records of one file: lines, or the elements
// of Event Hub bodies.
type recordSource interface {
	next() (rec []byte, line int, err error)
	release()
}

// fileReader decodes the records of one file into a rowBuilder. It is
// independent of the other files of its table so that files can later be
// read on their own goroutines, each with its own rowBuilder.
type fileReader interface {
	// fill decodes records until rb is full or the file ends (done).
	fill(rb *rowBuilder) (done bool, err error)
	close() error
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

const (
	catKeep uint8 = iota + 1
	catSkip
	catUnbound
)

// noCategory is the filter's key for envelopes without a category.
const noCategory = "\x00"

// decide returns catKeep, catSkip, or catUnbound the first time a
// category that no table claimed is met by the reporting binding.
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
	default:
		d = catUnbound
	}
	if f.seen == nil {
		f.seen = map[string]uint8{}
	}
	if d == catUnbound {
		f.seen[key] = catSkip
		if !f.reportUnbound {
			return catSkip
		}
		return d
	}
	f.seen[key] = d
	return d
}

// jsonReader reads JSON lines or Event Hub documents, flat or enveloped.
type jsonReader struct {
	path     string
	src      recordSource
	closer   io.Closer
	envelope bool
	filter   categoryFilter
	diag     *Diagnostics
	catBuf   []byte
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

func (r *jsonReader) fill(rb *rowBuilder) (bool, error) {
	for !rb.full() {
		rec, line, err := r.src.next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		keep, reason, err := r.decode(rb, rec)
		if err != nil {
			rb.rollback()
			r.diag.add(r.path, line, err.Error())
			continue
		}
		if reason != "" {
			rb.rollback()
			r.diag.add(r.path, line, reason)
			continue
		}
		if keep {
			rb.commit()
		} else {
			rb.rollback()
		}
	}
	return false, nil
}

// decode decodes one record into the current row. keep is false for an
// envelope of another table; reason is set when such an envelope must be
// reported.
func (r *jsonReader) decode(rb *rowBuilder, rec []byte) (keep bool, reason string, err error) {
	i := skipWS(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return false, "", notObject(rec, i)
	}
	if !r.envelope {
		e, err := rb.decodeObject(rec, i)
		if err != nil {
			return false, "", err
		}
		return true, "", checkTrailing(rec, e)
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
// other tables' records are dropped without looking at their properties;
// when it comes last, the properties are decoded on a second pass.
func (r *jsonReader) decodeEnvelope(rb *rowBuilder, rec []byte, i int) (bool, string, error) {
	var (
		decision  uint8
		haveCat   bool
		propStart = -1
		propsDone bool
		innerErr  error
		unbound   string
	)
	end, err := keyValues(rec, i, func(key []byte, kind jsonKind, start, end int) bool {
		switch {
		case !haveCat && kind == kindString && string(key) == "category":
			haveCat = true
			cat := rec[start+1 : end-1]
			if bytes.IndexByte(cat, '\\') >= 0 {
				var ok bool
				if r.catBuf, ok = unescape(r.catBuf[:0], cat); ok {
					cat = r.catBuf
				}
			}
			decision = r.filter.decide(cat, true)
			if decision == catUnbound {
				unbound = string(cat)
			}
			if decision != catKeep {
				return false
			}
			if propStart >= 0 {
				return true
			}
		case propStart < 0 && kind == kindObject && string(key) == "properties":
			propStart = start
			if haveCat {
				_, innerErr = rb.decodeObject(rec, start)
				propsDone = true
				return innerErr == nil
			}
		}
		return true
	})
	if innerErr != nil {
		return false, "", innerErr
	}
	if haveCat && decision != catKeep {
		if decision == catUnbound {
			return false, "record of category " + strconv.Quote(unbound) + " skipped: it is not bound to any table (the file's first records did not have it); use --table to read it", nil
		}
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	if err := checkTrailing(rec, end); err != nil {
		return false, "", err
	}
	if !haveCat {
		switch r.filter.decide(nil, false) {
		case catKeep:
		case catUnbound:
			return false, "envelope without \"category\" skipped: its table is unknown", nil
		default:
			return false, "", nil
		}
	}
	if propStart < 0 {
		return false, "envelope has no \"properties\" object", nil
	}
	if !propsDone {
		if _, err := rb.decodeObject(rec, propStart); err != nil {
			return false, "", err
		}
	}
	return true, "", nil
}

