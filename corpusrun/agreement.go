package corpusrun

// Analyzer agreement: how often hunt's analyzer says what Microsoft's
// says about a corpus query (REFERENCE.tsv, written with the reference
// parser over the table schemas of ../shared/schemas). Two figures
// matter to a user: the result columns and types of a query both accept
// (a rule's output feeds alerts and dashboards by column name), and an
// unknown table, column or function reported where the reference reports
// one (a misspelt name must not pass silently).

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"hunt/kql/syntax"
	"hunt/query"
)

// Agreement holds the figures of a comparison.
type Agreement struct {
	// RefClean counts the queries the reference accepts; HuntClean those
	// of them hunt accepts too; Match those whose result columns (names,
	// order and types) are the reference's.
	RefClean, HuntClean, Match int
	// Mismatches lists the clean queries whose columns differ: file,
	// reference columns, hunt's.
	Mismatches [][3]string
	// RefUnknown counts the queries whose first reference error is an
	// unknown name; Reported those hunt rejects too, and Named those it
	// rejects with an error that names it (the others get an error of
	// another kind: a cloud-only function "not available offline", a
	// watch list not bound, a member of a non-dynamic column).
	RefUnknown, Reported, Named int
	// Missed lists the files of RefUnknown that hunt accepts.
	Missed []string
}

// MatchShare is the share of queries both accept whose columns match.
func (g Agreement) MatchShare() float64 { return share(g.Match, g.HuntClean) }

// ReportedShare is the share of the queries with an unknown name that
// hunt rejects too.
func (g Agreement) ReportedShare() float64 { return share(g.Reported, g.RefUnknown) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

type refRow struct {
	syntaxOK   bool
	semErrors  string
	firstError string
	columns    string
}

var unknownName = regexp.MustCompile(`The name '([^']*)' does not refer to any known`)

// checkInfo is what the reference and hunt's analyzer say of one file.
type checkInfo struct {
	refClean   bool
	refColumns string
	refUnknown string // the unknown name of the reference's first error
	columns    []string
	errs       []string
}

// checkOne analyzes the file's query as `hunt check` does when the
// reference's verdict is one the comparison uses, else returns nil.
func checkOne(rel, text string, rr refRow) *checkInfo {
	if !rr.syntaxOK {
		return nil
	}
	ci := &checkInfo{refClean: rr.semErrors == "0", refColumns: rr.columns}
	if m := unknownName.FindStringSubmatch(rr.firstError); m != nil && !ci.refClean {
		ci.refUnknown = m[1]
	}
	if !ci.refClean && ci.refUnknown == "" {
		return nil
	}
	ci.columns, ci.errs = analyze(rel, text)
	return ci
}

// AgreementOf compares the analyzer's verdicts recorded in rs.
func AgreementOf(rs []Result) Agreement {
	var g Agreement
	for _, r := range rs {
		ci := r.check
		if ci == nil {
			continue
		}
		if ci.refClean {
			g.RefClean++
			if len(ci.errs) > 0 {
				continue
			}
			g.HuntClean++
			if got := strings.Join(ci.columns, ","); got == ci.refColumns {
				g.Match++
			} else {
				g.Mismatches = append(g.Mismatches, [3]string{r.File, ci.refColumns, got})
			}
			continue
		}
		g.RefUnknown++
		if len(ci.errs) == 0 {
			g.Missed = append(g.Missed, r.File)
			continue
		}
		g.Reported++
		for _, e := range ci.errs {
			if strings.Contains(e, "'"+ci.refUnknown+"'") || strings.Contains(e, ci.refUnknown+"()") {
				g.Named++
				break
			}
		}
	}
	return g
}

// Agree analyzes every corpus query with the catalog's schemas, as `hunt
// check` does, without running it, and compares the outcome with
// REFERENCE.tsv.
func Agree(corpus, filter string) (Agreement, error) {
	ref, err := readReferenceRows(filepath.Join(corpus, "REFERENCE.tsv"))
	if err != nil {
		return Agreement{}, err
	}
	files, err := corpusFiles(corpus)
	if err != nil {
		return Agreement{}, err
	}
	var rs []Result
	for _, rel := range files {
		rr, ok := ref[rel]
		if !ok || (filter != "" && !strings.Contains(rel, filter)) {
			continue
		}
		text, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(rel)))
		if err != nil {
			return Agreement{}, err
		}
		rs = append(rs, Result{File: rel, check: checkOne(rel, string(text), rr)})
	}
	return AgreementOf(rs), nil
}

// analyze checks one query without data: its result columns
// ("name:type"), or its error messages.
func analyze(name, text string) ([]string, []string) {
	src := syntax.NewSource(name, text)
	p, err := query.Prepare(src, query.Options{CheckOnly: true})
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			var msgs []string
			for _, e := range qe.List {
				msgs = append(msgs, e.Msg)
			}
			return nil, msgs
		}
		return nil, []string{err.Error()}
	}
	if p.Plan == nil {
		return nil, nil
	}
	var cols []string
	for _, c := range p.Schema() {
		cols = append(cols, c.Name+":"+c.Type.String())
	}
	return cols, nil
}

func readReferenceRows(path string) (map[string]refRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]refRow{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	head := true
	for sc.Scan() {
		if head {
			head = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		for len(c) < 6 {
			c = append(c, "")
		}
		out[c[0]] = refRow{syntaxOK: c[1] == "true", semErrors: c[3], firstError: c[4], columns: c[5]}
	}
	return out, sc.Err()
}
