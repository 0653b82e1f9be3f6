package ruletest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hunt/alert"
	"hunt/engine/vec"
	"hunt/query"
	"hunt/rules"
	"hunt/source"
)

// Result is the outcome of one case; a file that does not load gives one
// failed Result with an empty Case.
type Result struct {
	File, Case, At string
	// Failure is empty when the case passed.
	Failure  string
	Duration time.Duration
}

// Passed reports whether the case passed.
func (r Result) Passed() bool { return r.Failure == "" }

// RunFile loads and runs one test file; keep, when not nil, selects the
// cases to run by name.
func RunFile(path string, keep func(name string) bool) []Result {
	f, err := Load(path)
	if err != nil {
		return []Result{{File: path, Failure: err.Error()}}
	}
	r := &runner{tunings: map[string]*rules.Tuning{}, watchlists: map[string]*query.Watchlist{}}
	var out []Result
	for _, c := range f.Cases {
		if keep != nil && !keep(c.Name) {
			continue
		}
		start := time.Now()
		msg := r.runCase(f, c)
		out = append(out, Result{File: path, Case: c.Name, At: c.At, Failure: msg, Duration: time.Since(start)})
	}
	return out
}

// runner caches what the cases of a file share.
type runner struct {
	rule       *rules.Rule
	ruleErr    error
	tunings    map[string]*rules.Tuning
	watchlists map[string]*query.Watchlist
}

// runCase runs one case and returns "" or what went wrong.
func (r *runner) runCase(f *File, c *Case) string {
	if r.rule == nil && r.ruleErr == nil {
		r.rule, r.ruleErr = rules.Load(f.Rule)
	}
	if r.ruleErr != nil {
		return r.ruleErr.Error()
	}
	dir, err := os.MkdirTemp("", "hunt-test-")
	if err != nil {
		return err.Error()
	}
	defer os.RemoveAll(dir)
	opt, tuner, err := r.options(c, dir)
	if err != nil {
		return err.Error()
	}
	b, p, runErr := run(r.rule, opt)
	if c.Expect.Error != "" {
		if runErr == nil {
			return fmt.Sprintf("expected an error containing %q; the rule ran and returned %d row(s)", c.Expect.Error, b.N)
		}
		if !strings.Contains(runErr.Error(), c.Expect.Error) {
			return fmt.Sprintf("expected an error containing %q, got:\n%s", c.Expect.Error, runErr)
		}
		return ""
	}
	if runErr != nil {
		return runErr.Error()
	}
	if opt.Diag.Skipped() > 0 {
		return fmt.Sprintf("fixture data has malformed lines: %v", opt.Diag.Errors()[0])
	}
	var problems []string
	problems = append(problems, check(p.Schema(), b, &c.Expect)...)
	if c.Expect.Suppressed != nil {
		sups, err := alert.Suppressed(p, tuner)
		if err != nil {
			return err.Error()
		}
		problems = append(problems, checkSuppressed(sups, c.Expect.Suppressed)...)
	}
	return strings.Join(problems, "\n")
}

func run(r *rules.Rule, opt query.Options) (*vec.Batch, *query.Prepared, error) {
	p, err := query.Prepare(r.Source, opt)
	if err != nil {
		return nil, nil, err
	}
	b, err := p.Collect()
	return b, p, err
}

// options builds the query options of a case: fixture data written to
// dir, the clock, tuning, parameters and watchlists (the case's over the
// tuning file's).
func (r *runner) options(c *Case, dir string) (query.Options, *query.Tuner, error) {
	opt := query.Options{Now: c.Now, Diag: &source.Diagnostics{}}
	so := source.Options{Tables: map[string][]string{}}
	for table, rows := range c.Data {
		path := filepath.Join(dir, table+".jsonl")
		var buf []byte
		for _, row := range rows {
			line, err := json.Marshal(row)
			if err != nil {
				return opt, nil, fmt.Errorf("fixture row of %s: %v", table, err)
			}
			buf = append(append(buf, line...), '\n')
		}
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			return opt, nil, err
		}
		so.Tables[table] = append(so.Tables[table], path)
	}
	for _, f := range c.Files {
		if table, p, ok := strings.Cut(f, "="); ok && !strings.ContainsAny(table, `/\.`) {
			so.Tables[table] = append(so.Tables[table], p)
		} else {
			so.Paths = append(so.Paths, f)
		}
	}
	if len(so.Paths) > 0 || len(so.Tables) > 0 {
		set, err := source.Discover(so)
		if err != nil {
			return opt, nil, err
		}
		opt.Data = set
	}
	tuner := &query.Tuner{}
	opt.Rewrite = tuner.Rewrite
	sets := map[string]string{}
	ws := map[string]*query.Watchlist{}
	if c.Tuning != "" {
		t, ok := r.tunings[c.Tuning]
		if !ok {
			var err error
			if t, err = rules.LoadTuning(c.Tuning); err != nil {
				return opt, nil, err
			}
			r.tunings[c.Tuning] = t
		}
		rt := t.For(r.rule)
		if rt != nil {
			if err := rt.CheckSets(r.rule); err != nil {
				return opt, nil, err
			}
			for k, v := range rt.Set {
				sets[k] = v
			}
			tuner.Exclusions = rt.Exclusions
		}
		for alias, ref := range t.AllWatchlists(rt) {
			w, err := r.watchlist(alias, ref.Path, ref.Key)
			if err != nil {
				return opt, nil, fmt.Errorf("%s: %w", ref.At, err)
			}
			ws[alias] = w
		}
	}
	for k, v := range c.Set {
		sets[k] = v
	}
	for alias, w := range c.Watchlists {
		if err := query.CheckAlias(alias); err != nil {
			return opt, nil, err
		}
		if w.Path != "" {
			wl, err := r.watchlist(alias, w.Path, w.Key)
			if err != nil {
				return opt, nil, err
			}
			ws[alias] = wl
			continue
		}
		key := w.Key
		if key == "" && len(w.Columns) > 0 {
			key = w.Columns[0]
		}
		ws[alias] = &query.Watchlist{Alias: alias, SearchKey: key, Columns: w.Columns, Rows: w.Rows}
	}
	if len(sets) > 0 {
		opt.Sets = sets
	}
	if len(ws) > 0 {
		opt.Watchlists = ws
	}
	return opt, tuner, nil
}

func (r *runner) watchlist(alias, path, key string) (*query.Watchlist, error) {
	k := alias + "\x00" + path + "\x00" + key
	if w, ok := r.watchlists[k]; ok {
		return w, nil
	}
	w, err := query.LoadWatchlist(alias, path, key)
	if err != nil {
		return nil, err
	}
	r.watchlists[k] = w
	return w, nil
}

func checkSuppressed(sups []alert.Suppression, want map[string]int) []string {
	got := map[string]int{}
	for _, s := range sups {
		n := 0
		if s.Rows != nil {
			n = s.Rows.N
		}
		got[s.Exclusion.Name] = n
	}
	var out []string
	for _, name := range sortedNames(want) {
		n, ok := got[name]
		if !ok {
			out = append(out, fmt.Sprintf("suppressed: no exclusion named %q applies (exclusions: %s)", name, strings.Join(sortedNames(got), ", ")))
			continue
		}
		if n != want[name] {
			out = append(out, fmt.Sprintf("suppressed: %s suppressed %d result row(s), want %d", name, n, want[name]))
		}
	}
	return out
}
