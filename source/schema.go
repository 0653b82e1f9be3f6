package source

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"hunt/catalog"
	"hunt/engine/vec"
	"hunt/kql/types"
)

// Sampling bounds for schema inference. Each file contributes its first
// SampleRecords records or SampleBytes bytes; tables of many files sample
// less of each (down to minSampleRecords / minSampleBytes) so that the
// total stays near sampleBudgetBytes, since a storage-account export can
// hold thousands of hourly blobs.
var (
	SampleRecords = 1000
	SampleBytes   = 4 << 20
)

const (
	sampleBudgetBytes = 512 << 20
	minSampleBytes    = 64 << 10
	minSampleRecords  = 20
)

// Schema returns the table's columns: the catalog's, then any others seen
// in a sample of the data with inferred types (see the package comment).
func (t *Table) Schema() (vec.Schema, error) {
	t.schemaOnce.Do(func() { t.schema, t.schemaErr = t.inferSchema() })
	return append(vec.Schema(nil), t.schema...), t.schemaErr
}

// Value kinds seen for a column.
const (
	fNull  uint16 = 1 << iota
	fStr          // non-empty string that is not a datetime
	fDate         // ISO datetime string with a time of day
	fEmpty        // ""
	fInt
	fReal
	fBool
	fNested
	fText // seen in a CSV cell: mixes resolve to string, not dynamic
)

// resolveType picks a column type from the kinds of value sampled.
func resolveType(f uint16) types.Type {
	str := f & (fStr | fDate | fEmpty)
	other := f & (fInt | fReal | fBool | fNested)
	switch {
	case str != 0 && other != 0:
		return types.String
	case str != 0:
		if f&fDate != 0 && f&fStr == 0 {
			return types.DateTime
		}
		return types.String
	case other == 0:
		return types.String
	case other == fNested:
		return types.Dynamic
	case other == fBool:
		return types.Bool
	case other&^(fInt|fReal) == 0:
		if other&fReal != 0 {
			return types.Real
		}
		return types.Long
	case f&fText != 0:
		return types.String
	}
	return types.Dynamic
}

// colStats records the kinds seen per column, keeping first-seen order.
type colStats struct {
	idx   map[string]int
	names []string
	flags []uint16
}

func newColStats() *colStats { return &colStats{idx: map[string]int{}} }

func (s *colStats) add(name []byte, f uint16) {
	if i, ok := s.idx[string(name)]; ok {
		s.flags[i] |= f
		return
	}
	n := string(name)
	s.idx[n] = len(s.names)
	s.names = append(s.names, n)
	s.flags = append(s.flags, f)
}

func (s *colStats) merge(o *colStats) {
	for i, n := range o.names {
		s.add([]byte(n), o.flags[i])
	}
}

func (t *Table) inferSchema() (vec.Schema, error) {
	base, _ := catalog.Lookup(t.Name)
	out := append(vec.Schema(nil), base...)
	known := make(map[string]bool, len(base))
	for _, c := range base {
		known[c.Name] = true
	}
	nBytes, nRecords := SampleBytes, SampleRecords
	if n := len(t.Files); n > 0 && nBytes*n > sampleBudgetBytes {
		nBytes = max(sampleBudgetBytes/n, minSampleBytes)
		nRecords = max(nRecords*nBytes/SampleBytes, minSampleRecords)
	}
	stats := make([]*colStats, len(t.Files))
	errs := make([]error, len(t.Files))
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(t.Files)); w++ {
		wg.Go(func() {
			for i := range work {
				stats[i], errs[i] = sampleFile(t.Files[i], nBytes, nRecords)
			}
		})
	}
	// Parquet files carry their schema: their columns come first, in file
	// order, with the first file's type for a name.
	var pqCols vec.Schema
	for i, f := range t.Files {
		if f.Format == Parquet {
			s, err := parquetSchema(f.Path)
			if err != nil {
				close(work)
				wg.Wait()
				return nil, fmt.Errorf("source: %w", err)
			}
			for _, c := range s {
				if pqCols.Index(c.Name) < 0 {
					pqCols = append(pqCols, c)
				}
			}
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
	for _, c := range pqCols {
		if !known[c.Name] {
			known[c.Name] = true
			out = append(out, c)
		}
	}
	all := newColStats()
	for i, s := range stats {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if s != nil {
			all.merge(s)
		}
	}
	for i, n := range all.names {
		if !known[n] {
			out = append(out, vec.Column{Name: n, Type: resolveType(all.flags[i])})
		}
	}
	return out, nil
}

// sampleFile records the kinds of the values in the first records of f.
func sampleFile(f *File, nBytes, nRecords int) (*colStats, error) {
	r, closer, err := openStream(f.Path, f.Compression, true)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer closer.Close()
	lr := io.LimitReader(r, int64(nBytes))
	quiet := func(int, string) {}
	stats := newColStats()
	if f.Format == CSV {
		src := newCSVSource(lr, quiet)
		defer src.release()
		return stats, sampleCSV(src, stats, nRecords)
	}
	var src recordSource
	switch f.Format {
	case EventHub, JSONDocument:
		ds := newDocSource(lr, quiet)
		ds.partial = true
		src = ds
	default:
		src = newLineSource(lr, quiet)
	}
	defer src.release()
	s := sampler{stats: stats, envelope: f.Format == DefenderExport || f.Format == EventHub, filter: f.filter()}
	s.filter.reportUnbound = false
	for k := 0; k < nRecords; k++ {
		rec, _, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("source: reading %s: %w", f.Path, err)
		}
		s.record(rec)
	}
	return stats, nil
}

type sampler struct {
	stats    *colStats
	envelope bool
	filter   categoryFilter
	buf      []byte
}

// record adds the keys of one record. Malformed records are ignored: the
// reader reports them.
func (s *sampler) record(rec []byte) {
	i := skipWS(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return
	}
	if !s.envelope {
		s.object(rec, i)
		return
	}
	props, keep := -1, true
	keyValues(rec, i, func(key []byte, kind jsonKind, start, end int) bool {
		switch {
		case kind == kindString && string(key) == "category":
			keep = s.filter.decide(rec[start+1:end-1], true) == catKeep
		case kind == kindObject && string(key) == "properties" && props < 0:
			props = start
		}
		return keep
	})
	if keep && props >= 0 {
		s.object(rec, props)
	}
}

func (s *sampler) object(b []byte, i int) {
	keyValues(b, i, func(key []byte, kind jsonKind, start, end int) bool {
		if bytes.IndexByte(key, '\\') >= 0 {
			u, ok := unescape(nil, key)
			if !ok {
				return true
			}
			key = u
		}
		s.stats.add(key, s.kindFlag(kind, b[start:end]))
		return true
	})
}

func (s *sampler) kindFlag(kind jsonKind, raw []byte) uint16 {
	switch kind {
	case kindNull:
		return fNull
	case kindBool:
		return fBool
	case kindNumber:
		if _, ok := parseDecimalInt(raw); ok {
			return fInt
		}
		return fReal
	case kindObject, kindArray:
		return fNested
	case kindString:
		content := raw[1 : len(raw)-1]
		if bytes.IndexByte(content, '\\') >= 0 {
			var ok bool
			if s.buf, ok = unescape(s.buf[:0], content); ok {
				content = s.buf
			}
		}
		switch {
		case len(content) == 0:
			return fEmpty
		case looksISODateTime(content):
			return fDate
		}
		return fStr
	}
	return fNull
}

func sampleCSV(src *csvSource, stats *colStats, nRecords int) error {
	cells, _, err := src.next()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	var names [][]byte
	first := map[string]bool{}
	for _, c := range cells {
		n := bytes.TrimSpace(c)
		if first[string(n)] {
			names = append(names, nil)
			continue
		}
		first[string(n)] = true
		n = append([]byte(nil), n...)
		names = append(names, n)
		stats.add(n, fText)
	}
	for k := 0; k < nRecords; k++ {
		cells, _, err := src.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(cells) != len(names) {
			continue
		}
		for i, c := range cells {
			if names[i] != nil && len(trimText(c)) > 0 {
				stats.add(names[i], textFlag(c)|fText)
			}
		}
	}
	return nil
}

// textFlag classifies a CSV cell.
func textFlag(c []byte) uint16 {
	t := trimText(c)
	switch {
	case len(t) == 0:
		return fEmpty
	case isIntText(t):
		return fInt
	case isDecimalReal(t):
		return fReal
	case equalFoldASCII(t, "true") || equalFoldASCII(t, "false"):
		return fBool
	case looksISODateTime(t):
		return fDate
	case startsLikeJSONContainer(t):
		if _, err := types.ParseJSON(t); err == nil {
			return fNested
		}
	}
	return fStr
}

func isIntText(b []byte) bool {
	_, ok := parseDecimalInt(b)
	return ok
}
