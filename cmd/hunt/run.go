package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"hunt/alert"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/output"
	"hunt/query"
	"hunt/rules"
)

// runFlags are the flags of run alone: tuning and explanations.
type runFlags struct {
	tuning         string
	showSuppressed bool
	explain        bool
	evidence       int
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.tuning, "tuning", "", "apply a tuning `FILE.yaml`: per rule id, let overrides, watchlists and exclusions")
	fs.BoolVar(&f.showSuppressed, "show-suppressed", false, "after the results, list what each exclusion removed, with its reason and owner")
	fs.BoolVar(&f.explain, "explain", false, "explain each result row for a person: group key, threshold, entities and the events behind it")
	fs.IntVar(&f.evidence, "evidence", alert.DefaultEvidence, "events kept per alert by --format alerts and --explain (the rest are counted)")
}

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "hunt run [flags] RULE.yaml|DIR ...", stderr)
	var d dataFlags
	d.register(fs)
	var rf runFlags
	rf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("run: give at least one rule file or folder")
	}
	if rf.evidence < 1 {
		return usagef("--evidence %d: want at least 1", rf.evidence)
	}
	paths, err := ruleFiles(fs.Args())
	if err != nil {
		return err
	}
	opt, err := d.options()
	if err != nil {
		return err
	}
	stopProfile, err := startProfile(d.cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	d.allowAlerts = true
	format, err := d.resolveFormat(stdout)
	if err != nil {
		return err
	}
	if rf.explain {
		if d.format != "" && d.format != "table" {
			return usagef("--explain prints text for a person; it does not combine with --format %s (use --format alerts for programs)", d.format)
		}
		format = "explain"
	}
	watch := newWatch(&d, opt, stderr)
	defer watch.finish()
	stdout, stderr = watch.wrap(stdout, stderr)
	rc := &runContext{flags: &rf, data: &d, format: format, many: len(paths) > 1, watchlists: map[rules.WatchlistRef]*query.Watchlist{}, watch: watch}
	if rf.tuning != "" {
		if rc.tuning, err = rules.LoadTuning(rf.tuning); err != nil {
			return err
		}
	}
	failed := 0
	for _, path := range paths {
		if err := rc.runRule(path, opt, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, prefixed(err.Error()))
			failed++
		}
	}
	if rc.tuning != nil && len(rc.tuning.Rules) > 0 && rc.tuned == 0 && failed == 0 {
		var ids []string
		for _, rt := range rc.tuning.Rules {
			ids = append(ids, rt.ID)
		}
		sort.Strings(ids)
		fmt.Fprintf(stderr, "hunt: warning: %s tunes none of the rules run (it tunes: %s)\n", rf.tuning, strings.Join(ids, ", "))
	}
	if opt.Stats != nil {
		fmt.Fprint(stderr, opt.Stats.String()+watch.statsTotals())
	}
	if err := reportDiagnostics(opt.Diag, d.strict, stderr); err != nil {
		return err
	}
	if failed > 0 {
		return &silentError{code: exitError}
	}
	return nil
}

// runContext carries what every rule of one hunt run shares.
type runContext struct {
	flags      *runFlags
	data       *dataFlags
	format     string
	many       bool
	tuning     *rules.Tuning
	tuned      int // rules the tuning file had an entry for
	watchlists map[rules.WatchlistRef]*query.Watchlist
	watch      *watch // progress bar and --stats totals
}

// tune applies the tuning file's entry for r to opt: its let overrides
// and watchlists under those of the command line, and its exclusions.
func (rc *runContext) tune(r *rules.Rule, opt *query.Options) (*query.Tuner, error) {
	tuner := &query.Tuner{}
	opt.Rewrite = tuner.Rewrite
	if rc.tuning == nil {
		return tuner, nil
	}
	rt := rc.tuning.For(r)
	if rt != nil {
		rc.tuned++
		if err := rt.CheckSets(r); err != nil {
			return nil, err
		}
		if len(rt.Set) > 0 {
			sets := map[string]string{}
			for k, v := range rt.Set {
				sets[k] = v
			}
			for k, v := range opt.Sets {
				sets[k] = v
			}
			opt.Sets = sets
		}
		tuner.Exclusions = rt.Exclusions
	}
	refs := rc.tuning.AllWatchlists(rt)
	if len(refs) > 0 {
		ws := map[string]*query.Watchlist{}
		for alias, ref := range refs {
			w, ok := rc.watchlists[ref]
			if !ok {
				var err error
				if w, err = query.LoadWatchlist(alias, ref.Path, ref.Key); err != nil {
					return nil, fmt.Errorf("%s: %w", ref.At, err)
				}
				rc.watchlists[ref] = w
			}
			ws[alias] = w
		}
		for k, v := range opt.Watchlists {
			ws[k] = v
		}
		opt.Watchlists = ws
	}
	return tuner, nil
}

func (rc *runContext) runRule(path string, opt query.Options, stdout, stderr io.Writer) error {
	d, format := rc.data, rc.format
	r, err := rules.Load(path)
	if err != nil {
		return err
	}
	tuner, err := rc.tune(r, &opt)
	if err != nil {
		return err
	}
	p, err := query.Prepare(r.Source, opt)
	if err != nil {
		return err
	}
	if d.plan {
		fmt.Fprintf(stderr, "plan of %s:\n%s", path, plan.Format(p.Plan))
	}
	rc.watch.begin(r.Name, p)
	if format == "alerts" || format == "explain" {
		if err := rc.writeAlerts(r, p, tuner, opt, stdout); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	} else if err := writeRows(r, p, format, stdout); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if rc.flags.showSuppressed {
		if err := rc.writeSuppressed(r, p, tuner, stdout, stderr); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if (format == "table" || format == "explain") && rc.many {
		fmt.Fprintln(stdout)
	}
	return nil
}

// writeRows prints the result rows: the output contract of hunt run.
func writeRows(r *rules.Rule, p *query.Prepared, format string, stdout io.Writer) error {
	var w output.Writer
	var err error
	switch format {
	case "json":
		j := output.NewJSON(stdout, p.Schema())
		j.SetWrap(string(ruleJSON(r))+`,"row":`, "}")
		w = j
	case "csv":
		w, err = output.NewCSV(stdout, p.Schema())
		if err != nil {
			return err
		}
	default:
		fmt.Fprintf(stdout, "%s (%s)\n", r.Name, filepath.Base(r.Path))
		w = output.NewTable(stdout, p.Schema())
	}
	runErr := p.Run(func(b *vec.Batch) error { return w.Write(b) })
	// A table is printed only whole; streamed formats keep the rows
	// written before an error.
	if runErr == nil {
		runErr = w.Close()
	} else if format != "table" {
		w.Close()
	}
	return runErr
}

// ruleJSON returns `{"rule":{"id":…,"name":…}` without the closing brace.
func ruleJSON(r *rules.Rule) []byte {
	var pre []byte
	pre = append(pre, `{"rule":{"id":`...)
	pre = types.AppendJSONString(pre, r.ID)
	pre = append(pre, `,"name":`...)
	pre = types.AppendJSONString(pre, r.Name)
	return append(pre, '}')
}

// writeAlerts prints the rule's alerts: JSON lines (--format alerts) or
// text for a person (--explain).
func (rc *runContext) writeAlerts(r *rules.Rule, p *query.Prepared, tuner *query.Tuner, opt query.Options, stdout io.Writer) error {
	b, err := p.Collect()
	if err != nil {
		return err
	}
	now := opt.Now
	if now.IsZero() {
		now = p.Now()
	}
	alerts, err := alert.Build(r, p, tuner.Tuned(), b, alert.Options{Now: now, Evidence: rc.flags.evidence})
	if err != nil {
		return err
	}
	if rc.format == "explain" {
		return alert.Explain(stdout, alerts, fmt.Sprintf("%s (%s)", r.Name, filepath.Base(r.Path)))
	}
	var buf []byte
	for _, a := range alerts {
		buf = a.AppendJSON(buf[:0])
		buf = append(buf, '\n')
		if _, err := stdout.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// writeSuppressed lists what each exclusion removed: JSON lines next to
// JSON output, text otherwise (on stderr when stdout carries CSV).
func (rc *runContext) writeSuppressed(r *rules.Rule, p *query.Prepared, tuner *query.Tuner, stdout, stderr io.Writer) error {
	sups, err := alert.Suppressed(p, tuner)
	if err != nil {
		return err
	}
	switch rc.format {
	case "json", "alerts":
		return alert.SuppressedJSON(stdout, ruleJSON(r), sups)
	case "csv":
		return alert.SuppressedText(stderr, r.Name, sups)
	}
	return alert.SuppressedText(stdout, r.Name, sups)
}

// ruleFiles expands folders into the rule files below them, sorted.
func ruleFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() && p != a && strings.HasPrefix(de.Name(), ".") {
				return filepath.SkipDir
			}
			if !de.IsDir() && isRuleFile(p) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, errors.New(a + ": no rule files (.yaml, .yml) in this folder")
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func isRuleFile(p string) bool {
	if strings.HasSuffix(p, ".test.yaml") || strings.HasSuffix(p, ".tuning.yaml") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}
