package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"hunt/catalog"
	"hunt/engine/vec"
)

// Format is the layout of a data file.
type Format uint8

const (
	FormatUnknown  Format = iota
	DefenderExport        // JSON lines of {"category":…, "properties":{…}} envelopes
	EventHub              // {"records":[envelope, …]} bodies (or arrays of envelopes), any layout
	JSONLines             // one flat JSON object per line
	JSONDocument          // arrays of flat objects, or pretty-printed flat objects
	CSV                   // RFC 4180 with a header row
	Parquet               // Apache Parquet
)

var formatNames = [...]string{"unknown", "defender-export", "event-hub", "json-lines", "json-document", "csv", "parquet"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "invalid"
}

// Compression is how a data file is compressed.
type Compression uint8

const (
	None Compression = iota
	Gzip
	Zstd
)

func (c Compression) String() string {
	switch c {
	case None:
		return "none"
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	}
	return "invalid"
}

// Options configures discovery.
type Options struct {
	// Paths are the --data arguments: files, or folders walked
	// recursively.
	Paths []string
	// Tables are the --table NAME=PATH bindings: each table's files or
	// folders.
	Tables map[string][]string
}

// Set is the tables found in the data.
type Set struct {
	tables map[string]*Table
	names  []string
}

// Table returns the table of this exact name or, failing that, the only
// table whose name matches case-insensitively.
func (s *Set) Table(name string) (*Table, bool) {
	if t, ok := s.tables[name]; ok {
		return t, true
	}
	var found *Table
	for n, t := range s.tables {
		if strings.EqualFold(n, name) {
			if found != nil {
				return nil, false
			}
			found = t
		}
	}
	return found, found != nil
}

// Names returns the table names, sorted.
func (s *Set) Names() []string { return append([]string(nil), s.names...) }

// Table is one table's files.
type Table struct {
	Name  string
	Files []*File

	schemaOnce sync.Once
	schema     vec.Schema
	schemaErr  error
}

// File is one data file bound to one table. A file holding several
// tables' records appears once per table, with its own Category.
type File struct {
	Path        string
	Format      Format
	Compression Compression
	// Category is the envelope category of this table's records in the
	// file, when the file is enveloped and its first records named one;
	// records of other categories are skipped. "" keeps every record.
	Category string

	table         string
	categories    []string // every category seen in the file's first records
	reportUnbound bool
}

func (f *File) filter() categoryFilter {
	cf := categoryFilter{table: f.table, want: f.Category, reportUnbound: f.reportUnbound}
	if f.Category != "" {
		cf.bound = make(map[string]bool, len(f.categories))
		for _, c := range f.categories {
			cf.bound[c] = true
		}
	}
	return cf
}

// Discover finds the data files named by opt and the tables they hold.
func Discover(opt Options) (*Set, error) {
	type job struct {
		c     candidate
		table string // the --table name; "" for --data files
		abs   string
		sr    sniffResult
		err   error
	}
	var jobs []*job
	names := make([]string, 0, len(opt.Tables))
	for n := range opt.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	bound := map[string]bool{}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return nil, errors.New("source: --table needs a table name before '='")
		}
		table := canonicalName(strings.TrimSpace(n))
		for _, p := range opt.Tables[n] {
			cands, err := listPath(p)
			if err != nil {
				return nil, err
			}
			for _, c := range cands {
				abs := absPath(c.path)
				bound[abs] = true
				jobs = append(jobs, &job{c: c, table: table, abs: abs})
			}
		}
	}
	seen := map[string]bool{}
	for _, p := range opt.Paths {
		cands, err := listPath(p)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			abs := absPath(c.path)
			if seen[abs] || bound[abs] {
				continue
			}
			seen[abs] = true
			jobs = append(jobs, &job{c: c, abs: abs})
		}
	}
	// Sniffing opens and decompresses the start of every file; a
	// storage-account export has thousands of them.
	work := make(chan *job)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(jobs)); w++ {
		wg.Go(func() {
			for j := range work {
				j.sr, j.err = sniff(j.c.path, j.c.explicit)
			}
		})
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()

	d := discoverer{set: &Set{tables: map[string]*Table{}}}
	reported := map[string]bool{}
	for _, j := range jobs {
		if j.err != nil {
			return nil, j.err
		}
		if j.sr.skip {
			continue
		}
		var bs []binding
		if j.table != "" {
			cat := ""
			if j.sr.format == DefenderExport || j.sr.format == EventHub {
				for _, sc := range j.sr.cats {
					if strings.EqualFold(tableForCategory(sc), j.table) {
						cat = sc
						break
					}
				}
			}
			bs = []binding{{j.table, cat}}
		} else {
			bs = recognize(j.c, j.sr)
		}
		for _, b := range bs {
			d.add(b.table, j.c.path, j.sr, b.category, !reported[j.abs])
			reported[j.abs] = true
		}
	}
	for n := range d.set.tables {
		d.set.names = append(d.set.names, n)
	}
	sort.Strings(d.set.names)
	return d.set, nil
}

type discoverer struct {
	set *Set
}

func (d *discoverer) add(table, path string, sr sniffResult, category string, reporter bool) {
	t := d.set.tables[table]
	if t == nil {
		t = &Table{Name: table}
		d.set.tables[table] = t
	}
	t.Files = append(t.Files, &File{
		Path: path, Format: sr.format, Compression: sr.comp, Category: category,
		table: table, categories: sr.cats, reportUnbound: reporter,
	})
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// canonicalName is the catalog's spelling of a table name, or the name
// as given for tables the catalog does not know.
func canonicalName(n string) string {
	if c, ok := catalog.Canonical(n); ok {
		return c
	}
	return n
}

const categoryPrefix = "advancedhunting-"

// tableForCategory maps an envelope category to its table:
// "AdvancedHunting-CloudAppEvents" → CloudAppEvents.
func tableForCategory(cat string) string {
	if len(cat) > len(categoryPrefix) && strings.EqualFold(cat[:len(categoryPrefix)], categoryPrefix) {
		cat = cat[len(categoryPrefix):]
	}
	return canonicalName(cat)
}

type candidate struct {
	path     string
	root     string // the folder named on the command line (for folder names)
	explicit bool
}

// listPath returns the data files at p: p itself when it is a file, else
// the data files under it.
func listPath(p string) ([]candidate, error) {
	st, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("source: data path %q does not exist", p)
		}
		return nil, fmt.Errorf("source: %w", err)
	}
	if !st.IsDir() {
		return []candidate{{path: p, root: filepath.Dir(p), explicit: true}}, nil
	}
	var out []candidate
	err = filepath.WalkDir(p, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("source: %w", err)
		}
		name := de.Name()
		if de.IsDir() {
			if path != p && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if de.Type()&fs.ModeSymlink != 0 {
			// Linked files are read; linked folders are not followed,
			// which also keeps link cycles out.
			if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !de.Type().IsRegular() {
			return nil
		}
		if notData(name) {
			return nil
		}
		out = append(out, candidate{path: path, root: p})
		return nil
	})
	return out, err
}

// nonDataExt lists extensions of files that sit next to exports but are
// never data.
var nonDataExt = map[string]bool{
	".md": true, ".markdown": true, ".txt": true, ".rst": true, ".yaml": true, ".yml": true,
	".toml": true, ".ini": true, ".cfg": true, ".conf": true, ".xml": true, ".html": true, ".htm": true,
	".pdf": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".ico": true,
	".kql": true, ".py": true, ".go": true, ".sh": true, ".ps1": true, ".js": true, ".ts": true,
	".zip": true, ".tar": true, ".7z": true, ".xlsx": true, ".xls": true, ".docx": true,
	".exe": true, ".dll": true, ".so": true, ".crc": true, ".sum": true, ".mod": true, ".lock": true,
}

func notData(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	lower := strings.ToLower(name)
	for _, p := range []string{"readme", "license", "licence", "changelog", "notice", "copying"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return nonDataExt[filepath.Ext(lower)]
}

// binding is one table a file holds.
type binding struct {
	table    string
	category string
}

// recognize names the tables of a file found under --data.
func recognize(c candidate, sr sniffResult) []binding {
	if (sr.format == DefenderExport || sr.format == EventHub) && len(sr.cats) > 0 {
		var out []binding
		have := map[string]bool{}
		for _, cat := range sr.cats {
			t := tableForCategory(cat)
			if !have[t] {
				have[t] = true
				out = append(out, binding{t, cat})
			}
		}
		return out
	}
	base := filepath.Base(c.path)
	stem := base
	if i := strings.IndexByte(base, '.'); i > 0 {
		stem = base[:i]
	}
	if t, ok := catalog.Canonical(stem); ok {
		return []binding{{table: t}}
	}
	if t := prefixTable(stem); t != "" {
		return []binding{{table: t}}
	}
	if t := folderTable(c); t != "" {
		return []binding{{table: t}}
	}
	return []binding{{table: stem}}
}

// prefixTable finds a catalog table whose name starts the file name and
// is followed by a separator, as in "CloudAppEvents_2026-11-25" or
// "DeviceEvents-part1"; the longest such name wins.
func prefixTable(stem string) string {
	best := ""
	for i := 1; i < len(stem); i++ {
		switch stem[i] {
		case '_', '-', ' ', '+', '@', '(', '[':
			if t, ok := catalog.Canonical(stem[:i]); ok && len(t) > len(best) {
				best = t
			}
		}
	}
	return best
}

// folderTable finds the table named by an enclosing folder.
func folderTable(c candidate) string {
	dir := filepath.Dir(absPath(c.path))
	for d := dir; ; {
		name := strings.ToLower(filepath.Base(d))
		if strings.HasPrefix(name, "insights-logs-"+categoryPrefix) && len(name) > len("insights-logs-"+categoryPrefix) {
			return canonicalName(name[len("insights-logs-"+categoryPrefix):])
		}
		if strings.HasPrefix(name, "am-") {
			if t, ok := catalog.Canonical(name[3:]); ok {
				return t
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	root := absPath(c.root)
	for d := dir; ; {
		if t, ok := catalog.Canonical(filepath.Base(d)); ok {
			return t
		}
		if d == root || !strings.HasPrefix(d, root) {
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return ""
}

// sniffResult is what the start of a file says about it.
type sniffResult struct {
	format Format
	comp   Compression
	cats   []string // envelope categories seen, in order of first appearance
	skip   bool     // not data (walked files only)
}

// Discovery looks at the first sniffRecords records of each file, within
// sniffBytes (decompressed), or sniffDocBytes for Event Hub documents:
// those are where several categories mix, while a line file from a
// storage account holds one table.
const (
	sniffBytes    = 64 << 10
	sniffDocBytes = 1 << 20
)

var sniffRecords = 1000

var (
	magicGzip    = []byte{0x1f, 0x8b}
	magicZstd    = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicParquet = []byte("PAR1")
)

// splitExt returns the compression named by a file's extension and the
// extension under it ("x.csv.gz" → Gzip, ".csv").
func splitExt(name string) (Compression, string) {
	lower := strings.ToLower(name)
	c := None
	switch ext := filepath.Ext(lower); ext {
	case ".gz", ".gzip":
		c = Gzip
		lower = strings.TrimSuffix(lower, ext)
	case ".zst", ".zstd":
		c = Zstd
		lower = strings.TrimSuffix(lower, ext)
	}
	return c, filepath.Ext(lower)
}

func sniff(path string, explicit bool) (sniffResult, error) {
	var sr sniffResult
	_, ext := splitExt(filepath.Base(path))
	f, err := os.Open(path)
	if err != nil {
		return sr, fmt.Errorf("source: %w", err)
	}
	var magic [4]byte
	n, err := io.ReadFull(f, magic[:])
	f.Close()
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return sr, fmt.Errorf("source: %s: %w", path, err)
	}
	switch m := magic[:n]; {
	case bytes.HasPrefix(m, magicGzip):
		sr.comp = Gzip
	case bytes.HasPrefix(m, magicZstd):
		sr.comp = Zstd
	}
	if ext == ".parquet" || bytes.HasPrefix(magic[:n], magicParquet) {
		sr.format = Parquet
		return sr, nil
	}
	r, closer, err := openStream(path, sr.comp, true)
	if err != nil {
		return sr, fmt.Errorf("source: %w", err)
	}
	defer closer.Close()
	buf := make([]byte, sniffBytes)
	n, err = io.ReadFull(r, buf)
	var ioe *ioError
	if errors.As(err, &ioe) {
		return sr, fmt.Errorf("source: %s: %w", path, ioe.err)
	}
	// Damage is reported when the file is read; the sample is what could
	// be decompressed.
	complete := err != nil
	buf = buf[:n]
	readMore := func() error {
		if complete {
			return nil
		}
		more := make([]byte, sniffDocBytes)
		copy(more, buf)
		m, err := io.ReadFull(r, more[len(buf):])
		if errors.As(err, &ioe) {
			return fmt.Errorf("source: %s: %w", path, ioe.err)
		}
		complete = err != nil
		buf = more[:len(buf)+m]
		return nil
	}
	buf = stripBOM(buf)
	first := skipWS(buf, 0)
	looksJSON := first < len(buf) && (buf[first] == '{' || buf[first] == '[')
	switch {
	case ext == ".csv":
		sr.format = CSV
	case ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || looksJSON:
		sr.format, sr.cats = analyzeJSON(buf, complete)
		if (sr.format == EventHub || sr.format == JSONDocument) && !complete {
			if err := readMore(); err != nil {
				return sr, err
			}
			sr.format, sr.cats = analyzeJSON(buf, complete)
		}
	case explicit:
		sr.format = CSV
	default:
		sr.skip = true
	}
	return sr, nil
}

// analyzeJSON tells lines from documents and flat records from envelopes
// in a sample, and lists the envelope categories.
func analyzeJSON(b []byte, complete bool) (Format, []string) {
	i := skipWS(b, 0)
	if i >= len(b) {
		return JSONLines, nil
	}
	doc := b[i] == '['
	if b[i] == '{' {
		lineEnd := bytes.IndexByte(b[i:], '\n')
		cut := lineEnd < 0 && !complete
		if lineEnd < 0 {
			lineEnd = len(b) - i
		}
		line := b[i : i+lineEnd]
		switch {
		case wholeObjectLine(line) || cut:
			doc = hasRecordsArray(line)
		default:
			// An object spread over lines, unless the first line is
			// just damaged and the lines after it are whole records.
			doc = !mostlyObjectLines(b[i+lineEnd:], complete)
		}
	}
	var src recordSource
	quiet := func(int, string) {}
	if doc {
		ds := newDocSource(bytes.NewReader(b), quiet)
		ds.partial = !complete
		src = ds
	} else {
		src = newLineSource(bytes.NewReader(b), quiet)
	}
	defer src.release()
	var cats []string
	env, flat := 0, 0
	for k := 0; k < sniffRecords; k++ {
		rec, _, err := src.next()
		if err != nil {
			break
		}
		cat, isEnv, ok := envelopeCategory(rec)
		if !ok {
			continue
		}
		if !isEnv {
			flat++
			continue
		}
		env++
		if cat != "" && !contains(cats, cat) {
			cats = append(cats, cat)
		}
	}
	envelope := env > 0 && env >= flat
	switch {
	case doc && envelope:
		return EventHub, cats
	case doc:
		return JSONDocument, nil
	case envelope:
		return DefenderExport, cats
	}
	return JSONLines, nil
}

// wholeObjectLine reports whether line holds exactly one complete object.
func wholeObjectLine(line []byte) bool {
	i := skipWS(line, 0)
	if i >= len(line) || line[i] != '{' {
		return false
	}
	e := skipNested(line, i)
	return e > 0 && isBlank(line[e:])
}

// mostlyObjectLines reports whether most of the next few lines of b are
// whole objects. A pretty-printed document has at most its last array
// element on one line without a trailing comma.
func mostlyObjectLines(b []byte, complete bool) bool {
	whole, other := 0, 0
	for k := 0; k < 20 && len(b) > 0; {
		j := bytes.IndexByte(b, '\n')
		if j < 0 && !complete {
			break
		}
		if j < 0 {
			j = len(b)
		}
		line := b[:j]
		if !isBlank(line) {
			k++
			if wholeObjectLine(line) {
				whole++
			} else {
				other++
			}
		}
		if j == len(b) {
			break
		}
		b = b[j+1:]
	}
	return whole > other
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// hasRecordsArray reports whether the object at the start of b (possibly
// cut short) has a "records" key holding an array.
func hasRecordsArray(b []byte) bool {
	found := false
	keyValuesPrefix(b, func(key []byte, kind jsonKind, _ int) bool {
		if string(key) == "records" {
			found = kind == kindArray
			return false
		}
		return true
	})
	return found
}

// keyValuesPrefix walks the keys of an object that may be cut short,
// giving the kind of each value from its first byte and its offset.
func keyValuesPrefix(b []byte, fn func(key []byte, kind jsonKind, start int) bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i = skipWS(b, i+1)
	for i < len(b) && b[i] == '"' {
		ke := stringEnd(b, i+1)
		if ke < 0 {
			return
		}
		key := b[i+1 : ke-1]
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipWS(b, i+1)
		kind, e := valueEnd(b, i)
		if kind == kindInvalid || !fn(key, kind, i) || e < 0 {
			return
		}
		i = skipWS(b, e)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipWS(b, i+1)
	}
}

// envelopeCategory reports whether rec is a Defender envelope (an object
// with a string "category" and an object "properties") and its category.
// ok is false when rec is not a well-formed object.
func envelopeCategory(rec []byte) (cat string, envelope bool, ok bool) {
	i := skipWS(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return "", false, false
	}
	var catRaw []byte
	haveCat, haveProps := false, false
	_, err := keyValues(rec, i, func(key []byte, kind jsonKind, start, end int) bool {
		switch string(key) {
		case "category":
			if kind == kindString {
				haveCat = true
				catRaw = rec[start+1 : end-1]
			}
		case "properties":
			haveProps = haveProps || kind == kindObject
		}
		return true
	})
	if err != nil {
		return "", false, false
	}
	if !haveCat || !haveProps {
		return "", false, true
	}
	if bytes.IndexByte(catRaw, '\\') >= 0 {
		u, ok := unescape(nil, catRaw)
		if !ok {
			return "", false, true
		}
		catRaw = u
	}
	return string(catRaw), true, true
}
