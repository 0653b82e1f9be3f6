package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hunt/engine/exec"
	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/output"
	"hunt/query"
	"hunt/source"
)

// dataFlags are the flags shared by run and query.
type dataFlags struct {
	data       []string
	tables     []string
	now        string
	format     string
	strict     bool
	sets       []string
	watchlists []string
	maxMemory  string
	stats      bool
	plan       bool
	noProgress bool
	cpuprofile string
	geoip      string
	external   []string
	// allowAlerts admits --format alerts (hunt run only).
	allowAlerts bool
	workers     int
}

func (d *dataFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&d.data, "data", nil, "data `PATH`: a file or folder (recursed); repeatable")
	fs.StringArrayVar(&d.tables, "table", nil, "bind files to a table: `NAME=PATH`; repeatable")
	fs.StringVar(&d.now, "now", "", "pin now() and ago() to `TIME` (RFC 3339, e.g. 2026-11-25T12:00:00Z); default: the wall clock")
	fs.StringVar(&d.format, "format", "", "output `FORMAT`: table, json or csv; hunt run also alerts (default: table on a terminal, json otherwise)")
	fs.BoolVar(&d.strict, "strict", false, "fail (exit 1) when any input line is malformed")
	fs.StringArrayVar(&d.sets, "set", nil, "override a top-level let of the query: `NAME=VALUE` (a KQL literal); repeatable")
	fs.StringArrayVar(&d.watchlists, "watchlist", nil, "bind a watchlist for _GetWatchlist(): `ALIAS=FILE.csv[:SearchKeyColumn]`; repeatable")
	fs.StringVar(&d.maxMemory, "max-memory", "", "fail cleanly when summarize, join or sort state exceeds `SIZE` (e.g. 512MiB, 4GiB)")
	fs.BoolVar(&d.stats, "stats", false, "print per-operator row counts and times, input read and peak memory to stderr")
	fs.BoolVar(&d.noProgress, "no-progress", false, "do not draw the progress bar (shown on a terminal for runs over a second)")
	fs.BoolVar(&d.plan, "plan", false, "print the logical plan to stderr")
	fs.IntVar(&d.workers, "workers", 0, "use at most `N` cores (default: all)")
	fs.StringVar(&d.geoip, "geoip", "", "answer geo_info_from_ip_address() from a MaxMind-format `FILE.mmdb` (e.g. GeoLite2-City)")
	fs.StringVar(&d.cpuprofile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.MarkHidden("cpuprofile")
	fs.StringArrayVar(&d.external, "externaldata", nil, "read a local CSV, TSV or JSON file for an externaldata URL: `URL=FILE`; repeatable")
}

// options turns the flags into query options.
func (d *dataFlags) options() (query.Options, error) {
	var opt query.Options
	if d.now != "" {
		t, err := time.Parse(time.RFC3339Nano, d.now)
		if err != nil {
			t, err = time.Parse("2006-01-02", d.now)
		}
		if err != nil {
			return opt, usagef("--now %q: want RFC 3339 such as 2026-11-25T12:00:00Z", d.now)
		}
		opt.Now = t.UTC()
	}
	data, st, err := openStore(d.data)
	if err != nil {
		return opt, err
	}
	opt.Store = st
	if len(data) > 0 || len(d.tables) > 0 {
		so := source.Options{Paths: data, Tables: map[string][]string{}}
		for _, tb := range d.tables {
			name, path, ok := strings.Cut(tb, "=")
			if !ok || name == "" || path == "" {
				return opt, usagef("--table %q: want NAME=PATH", tb)
			}
			so.Tables[name] = append(so.Tables[name], path)
		}
		set, err := source.Discover(so)
		if err != nil {
			return opt, err
		}
		opt.Data = set
		if err := checkStoreOverlap(st, set); err != nil {
			return opt, err
		}
	}
	opt.Diag = &source.Diagnostics{}
	if len(d.sets) > 0 {
		opt.Sets = map[string]string{}
		for _, s := range d.sets {
			name, val, ok := strings.Cut(s, "=")
			if !ok || name == "" {
				return opt, usagef("--set %q: want NAME=VALUE", s)
			}
			opt.Sets[name] = val
		}
	}
	if len(d.watchlists) > 0 {
		opt.Watchlists = map[string]*query.Watchlist{}
		for _, w := range d.watchlists {
			alias, spec, ok := strings.Cut(w, "=")
			if !ok || alias == "" || spec == "" {
				return opt, usagef("--watchlist %q: want ALIAS=FILE.csv[:SearchKeyColumn]", w)
			}
			path, key := spec, ""
			if i := strings.LastIndex(spec, ":"); i > 0 && !strings.ContainsAny(spec[i:], `/\`) && !(i == 1 && len(spec) > 2) {
				path, key = spec[:i], spec[i+1:]
			}
			wl, err := query.LoadWatchlist(alias, path, key)
			if err != nil {
				return opt, err
			}
			opt.Watchlists[alias] = wl
		}
	}
	for _, e := range d.external {
		// The file is after the last '=': URLs may hold '=' in their query.
		i := strings.LastIndex(e, "=")
		if i <= 0 || i == len(e)-1 {
			return opt, usagef("--externaldata %q: want URL=FILE", e)
		}
		if opt.ExternalData == nil {
			opt.ExternalData = map[string]string{}
		}
		opt.ExternalData[e[:i]] = e[i+1:]
	}
	if d.geoip != "" {
		db, err := fn.OpenGeoDB(d.geoip)
		if err != nil {
			return opt, fmt.Errorf("--geoip: %w", err)
		}
		opt.GeoIP = db
	}
	if d.maxMemory != "" {
		n, err := parseSize(d.maxMemory)
		if err != nil {
			return opt, usagef("--max-memory %q: %v", d.maxMemory, err)
		}
		opt.MaxMemory = n
	}
	if d.stats {
		opt.Stats = &exec.Stats{}
	}
	if d.workers < 0 {
		return opt, usagef("--workers %d: want a positive number of cores", d.workers)
	}
	if d.workers > 0 {
		// Readers and the executor size their parallelism from it.
		runtime.GOMAXPROCS(d.workers)
	}
	return opt, nil
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			var n float64
			if _, err := fmt.Sscanf(strings.TrimSuffix(s, u.suffix), "%g", &n); err != nil || n <= 0 {
				return 0, fmt.Errorf("want a size such as 512MiB")
			}
			return int64(n * float64(u.mult)), nil
		}
	}
	var n int64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n <= 0 {
		return 0, fmt.Errorf("want a size such as 512MiB")
	}
	return n, nil
}

// resolveFormat picks the output format.
func (d *dataFlags) resolveFormat(w io.Writer) (string, error) {
	f := d.format
	if f == "" {
		if isTerminal(w) {
			return "table", nil
		}
		return "json", nil
	}
	switch f {
	case "table", "json", "csv":
		return f, nil
	case "alerts":
		if d.allowAlerts {
			return f, nil
		}
		return "", usagef("--format alerts is for rules: use hunt run")
	}
	if d.allowAlerts {
		return "", usagef("--format %q: want table, json, csv or alerts", f)
	}
	return "", usagef("--format %q: want table, json or csv", f)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newWriter(format string, w io.Writer, s vec.Schema) (output.Writer, error) {
	switch format {
	case "json":
		return output.NewJSON(w, s), nil
	case "csv":
		return output.NewCSV(w, s)
	}
	return output.NewTable(w, s), nil
}

// reportDiagnostics prints the summary of skipped input lines; with
// --strict any skipped line is an error.
func reportDiagnostics(diag *source.Diagnostics, strict bool, stderr io.Writer) error {
	if diag == nil || diag.Skipped() == 0 {
		return nil
	}
	errs := diag.Errors()
	fmt.Fprintf(stderr, "hunt: skipped %d malformed input line(s):\n", diag.Skipped())
	for i, e := range errs {
		if i == 10 {
			fmt.Fprintf(stderr, "  ... and %d more\n", diag.Skipped()-10)
			break
		}
		fmt.Fprintf(stderr, "  %s\n", e.Error())
	}
	if strict {
		return fmt.Errorf("--strict: %d malformed input line(s)", diag.Skipped())
	}
	return nil
}
