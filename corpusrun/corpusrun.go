// Package corpusrun executes every query of the shared hunting corpus
// (../shared/corpus) against synthetic data for the tables it names and
// sorts each into: ran, failed with an unsupported feature (named), or
// failed otherwise. It measures how much real hunting content hunt runs;
// cmd/corpusrun and hunttest's corpus test drive it, and it writes
// docs/corpus.md.
package corpusrun

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"hunt/engine/exec"
	"hunt/engine/fn"
	"hunt/kql/syntax"
	"hunt/query"
	"hunt/source"
)

// Status is the outcome class of one query.
type Status string

const (
	Ran         Status = "ran"
	Unsupported Status = "unsupported"
	Failed      Status = "failed"
	// Timeout and Crashed are kinds of failure worth counting apart: a
	// query that never ends or a panic in hunt.
	Timeout Status = "timeout"
	Crashed Status = "crashed"
)

// Options configures a run.
type Options struct {
	// Corpus is the corpus folder (holding REFERENCE.tsv and one folder
	// per source repository).
	Corpus string
	// Data is a folder holding generated data for every catalog table
	// (see GenerateData).
	Data string
	// Now pins now() and ago(); it should be the generation clock.
	Now time.Time
	// Timeout bounds one query; 0 means 30 seconds.
	Timeout time.Duration
	// MaxMemory bounds blocking operators of one query.
	MaxMemory int64
	// Workers is the number of queries run at once; 0 means GOMAXPROCS.
	Workers int
	// Filter, when not empty, keeps only files whose path contains it.
	Filter string
	// ExternalFile, when set, is the local file every externaldata URL of
	// a query is bound to (as --externaldata URL=FILE does), so that
	// queries with watch lists from the web run offline. An empty file
	// suits every format and gives no rows.
	ExternalFile string
	// GeoIP answers geo_info_from_ip_address() (as --geoip does); nil
	// means the empty database of EmptyGeoDB, so that those queries run
	// offline and find no locations.
	GeoIP *fn.GeoDB
}

// Result is the outcome of one corpus file.
type Result struct {
	File   string // folder/NNNN.kql
	Status Status
	// Feature names what is missing when Status is Unsupported.
	Feature string
	// Message is the first error, one line.
	Message string
	Rows    int
	Elapsed time.Duration
	// RefClean is true when Microsoft's analyzer accepts the query
	// (REFERENCE.tsv: ref_syntax_ok and no semantic errors).
	RefClean bool
	// RefKnown is false for files REFERENCE.tsv does not list.
	RefKnown bool
	// LetsOnly is set for a file of let statements without a query (a
	// library of functions): it ran when it analyzed cleanly.
	LetsOnly bool
	// External is set when the query read externaldata bound to
	// Options.ExternalFile.
	External bool
	// Geo is set when the query looked addresses up in Options.GeoIP.
	Geo bool
	// check is the analyzer comparison with the reference (agreement.go).
	check *checkInfo
}

// Run executes every corpus query and returns the results sorted by file.
func Run(opt Options) ([]Result, error) {
	ref, err := readReference(filepath.Join(opt.Corpus, "REFERENCE.tsv"))
	if err != nil {
		return nil, err
	}
	refRows, err := readReferenceRows(filepath.Join(opt.Corpus, "REFERENCE.tsv"))
	if err != nil {
		return nil, err
	}
	files, err := corpusFiles(opt.Corpus)
	if err != nil {
		return nil, err
	}
	if opt.Filter != "" {
		var keep []string
		for _, f := range files {
			if strings.Contains(f, opt.Filter) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	set, err := source.Discover(source.Options{Paths: []string{opt.Data}})
	if err != nil {
		return nil, err
	}
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.GeoIP == nil {
		if opt.GeoIP, err = fn.NewGeoDB(EmptyGeoDB()); err != nil {
			return nil, err
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make([]Result, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rel := files[i]
				r := runOne(opt, set, rel)
				if rr, ok := ref[rel]; ok {
					r.RefKnown, r.RefClean = true, rr
				}
				if rr, ok := refRows[rel]; ok {
					if text, err := os.ReadFile(filepath.Join(opt.Corpus, filepath.FromSlash(rel))); err == nil {
						r.check = checkOne(rel, string(text), rr)
					}
				}
				results[i] = r
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results, nil
}

// runOne runs one file with a deadline. A query that overruns is left to
// finish in the background: the engine has no cancellation, and one stray
// goroutine is cheaper than stopping the whole run.
func runOne(opt Options, set *source.Set, rel string) Result {
	r := Result{File: rel}
	text, err := os.ReadFile(filepath.Join(opt.Corpus, filepath.FromSlash(rel)))
	if err != nil {
		r.Status, r.Message = Failed, err.Error()
		return r
	}
	type done struct {
		rows     int
		err      error
		letsOnly bool
		external bool
	}
	ch := make(chan done, 1)
	start := time.Now()
	go func() {
		src := syntax.NewSource(rel, string(text))
		qo := query.Options{Data: set, Diag: &source.Diagnostics{}, Now: opt.Now, MaxMemory: opt.MaxMemory, GeoIP: opt.GeoIP}
		if letsOnly(src) {
			qo.CheckOnly = true
		}
		urls := externalURLs(src)
		if opt.ExternalFile != "" && len(urls) > 0 {
			qo.ExternalData = map[string]string{}
			for _, u := range urls {
				qo.ExternalData[u] = opt.ExternalFile
			}
		}
		p, err := query.Prepare(src, qo)
		if err != nil {
			ch <- done{err: err}
			return
		}
		if p.Plan == nil {
			ch <- done{letsOnly: true}
			return
		}
		external := qo.ExternalData != nil
		b, err := p.Collect()
		n := 0
		if b != nil {
			n = b.N
		}
		ch <- done{rows: n, err: err, external: external}
	}()
	select {
	case d := <-ch:
		r.Elapsed = time.Since(start)
		r.Rows, r.LetsOnly, r.External = d.rows, d.letsOnly, d.external
		r.Geo = strings.Contains(string(text), "geo_info_from_ip_address")
		classify(&r, d.err)
	case <-time.After(opt.Timeout):
		r.Elapsed = opt.Timeout
		r.Status, r.Message = Timeout, fmt.Sprintf("did not finish within %s", opt.Timeout)
	}
	return r
}

// externalURLs lists the URLs the query's externaldata operators read.
func externalURLs(src *syntax.Source) []string {
	q, errs := syntax.Parse(src)
	if len(errs) > 0 {
		return nil
	}
	var urls []string
	syntax.Inspect(q, func(n syntax.Node) bool {
		if x, ok := n.(*syntax.ExternalDataExpr); ok {
			for _, u := range x.URLs {
				if lit, ok := u.(*syntax.Literal); ok && lit.Kind == syntax.LitString {
					urls = append(urls, lit.Value)
				}
			}
		}
		return true
	})
	return urls
}

// letsOnly reports whether the query text holds let statements and
// nothing else.
func letsOnly(src *syntax.Source) bool {
	q, errs := syntax.Parse(src)
	if len(errs) > 0 || len(q.Stmts) == 0 {
		return false
	}
	for _, st := range q.Stmts {
		if _, ok := st.(*syntax.LetStmt); !ok {
			return false
		}
	}
	return true
}

// classify sorts an error into the outcome classes.
func classify(r *Result, err error) {
	if err == nil {
		r.Status = Ran
		return
	}
	var ie *exec.InternalError
	if errors.As(err, &ie) {
		r.Status, r.Message = Crashed, firstLine(ie.Error())
		return
	}
	var qe *query.Error
	if errors.As(err, &qe) && len(qe.List) > 0 {
		// The first unsupported feature wins over other errors: those
		// often follow from it (a column the unsupported operator
		// would have made).
		for _, e := range qe.List {
			if e.Unsupported {
				r.Status, r.Feature, r.Message = Unsupported, featureName(e.Msg), e.Error()
				return
			}
		}
		e := qe.List[0]
		r.Status, r.Message = Failed, e.Error()
		if f := unknownFunction(e.Msg); f != "" && documentedFunctions[f] {
			r.Status, r.Feature = Unsupported, "function "+f+"()"
		}
		return
	}
	var ue *fn.UnsupportedError
	if errors.As(err, &ue) {
		r.Status, r.Feature, r.Message = Unsupported, ue.What, firstLine(err.Error())
		return
	}
	r.Status, r.Message = Failed, firstLine(err.Error())
	if strings.HasPrefix(r.Message, "not available offline: ") {
		r.Status, r.Feature = Unsupported, featureName(r.Message)
	}
}

// featureName turns the message of an unsupported-feature error into a
// short name to count by.
func featureName(msg string) string {
	m := strings.TrimSuffix(msg, " is not supported yet")
	m = strings.TrimSuffix(m, " are not supported yet")
	if rest, ok := strings.CutPrefix(m, "not available offline: "); ok {
		// "FileProfile() needs the ... service" → "offline: FileProfile()"
		if strings.HasPrefix(rest, "externaldata of ") {
			return "offline: externaldata of a URL not bound to a file"
		}
		if i := strings.Index(rest, " needs "); i > 0 {
			rest = rest[:i]
		} else if i := strings.Index(rest, " queries "); i > 0 {
			rest = rest[:i]
		}
		return "offline: " + rest
	}
	m = strings.TrimPrefix(m, "the ")
	if op, ok := strings.CutSuffix(m, " operator"); ok {
		return "operator " + op
	}
	if len(m) > 80 {
		m = m[:80]
	}
	return m
}

// unknownFunction returns X of "unknown function 'X'...".
func unknownFunction(msg string) string {
	rest, ok := strings.CutPrefix(msg, "unknown function '")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "'")
	return name
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// corpusFiles lists folder/NNNN.kql paths, sorted.
func corpusFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".kql") {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no .kql files under %s", dir)
	}
	sort.Strings(files)
	return files, err
}

// readReference reads REFERENCE.tsv: for each file, whether Microsoft's
// parser and analyzer accept it cleanly.
func readReference(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	head := true
	for sc.Scan() {
		if head {
			head = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 4 {
			continue
		}
		out[c[0]] = c[1] == "true" && c[3] == "0"
	}
	return out, sc.Err()
}
