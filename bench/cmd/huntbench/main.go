// Command huntbench measures hunt against DuckDB on the same generated
// Defender XDR exports: the flagship rule, verbatim, and a few
// representative hunting queries, over plain JSON lines, gzip and
// Parquet, and hunt's columnar store against DuckDB on Parquet. Each engine runs in a child process so that wall time and peak
// memory are measured the same way for both; the results of the two
// engines are compared, and the bench fails when they differ.
//
// Run it from bench/: go run ./cmd/huntbench -quick (see README.md).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == duckChildArg {
		os.Exit(duckChild(os.Args[2:]))
	}
	os.Exit(mainExit())
}

type config struct {
	sizes   []int
	runs    int
	dataDir string
	huntBin string
	repo    string
	rule    string
	cases   []string
	formats []string
	engines []string
	jsonOut string
	regen   bool
}

func parseConfig() (*config, error) {
	c := &config{}
	sizes := flag.String("sizes", "1M,5M", "comma-separated event counts per table (suffixes k and M)")
	quick := flag.Bool("quick", false, "quick run: 100k events, 3 runs per case (overrides -sizes and -runs)")
	flag.IntVar(&c.runs, "runs", 1, "runs per case and engine; the fastest wall time and the highest peak memory are reported")
	flag.StringVar(&c.dataDir, "data", filepath.Join(os.TempDir(), "huntbench"), "`DIR` caching the generated data (reused by later runs) and the hunt binary")
	flag.StringVar(&c.huntBin, "hunt", "", "hunt binary to measure (default: built from -repo)")
	flag.StringVar(&c.repo, "repo", "..", "hunt repository `DIR`, for building hunt and finding ../shared")
	flag.StringVar(&c.rule, "rule", "", "flagship rule file (default: <repo>/../shared/rules/codeRepoExfil.yaml)")
	cases := flag.String("cases", "flagship,join,summarize,has", "cases to run")
	formats := flag.String("formats", strings.Join(allFormats, ","), "input formats to run: json, gzip, parquet, store (hunt's store, imported once per size; DuckDB's figures for it are its Parquet run)")
	engines := flag.String("engines", "hunt,duckdb", "engines to run; results are compared only when both run")
	flag.StringVar(&c.jsonOut, "json", "", "write the figures as JSON to `FILE`")
	flag.BoolVar(&c.regen, "regen", false, "generate the data again even when cached")
	timeout := flag.Duration("timeout", commandTimeout, "limit for one engine run")
	flag.Parse()
	if flag.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", flag.Arg(0))
	}
	commandTimeout = *timeout
	if *quick {
		*sizes = "100k"
		if !isFlagSet("runs") {
			c.runs = 3
		}
	}
	for _, s := range splitList(*sizes) {
		n, err := parseCount(s)
		if err != nil {
			return nil, fmt.Errorf("-sizes: %v", err)
		}
		c.sizes = append(c.sizes, n)
	}
	if c.runs < 1 {
		return nil, fmt.Errorf("-runs must be at least 1")
	}
	c.cases, c.formats, c.engines = splitList(*cases), splitList(*formats), splitList(*engines)
	for _, f := range c.formats {
		if !slices.Contains(knownFormats, f) {
			return nil, fmt.Errorf("-formats: unknown format %q (want json, gzip, parquet, store)", f)
		}
	}
	for _, e := range c.engines {
		if e != "hunt" && e != "duckdb" {
			return nil, fmt.Errorf("-engines: unknown engine %q (want hunt, duckdb)", e)
		}
	}
	if c.rule == "" {
		c.rule = filepath.Join(c.repo, "..", "shared", "rules", "codeRepoExfil.yaml")
	}
	return c, nil
}

func isFlagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseCount(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mult, s = 1000, s[:len(s)-1]
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult, s = 1000000, s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive count", s)
	}
	return n * mult, nil
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "huntbench: "+format+"\n", a...)
}

func mainExit() int {
	c, err := parseConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "huntbench:", err)
		return 2
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "huntbench: FAILED:", err)
		return 1
	}
	return 0
}

func run(c *config) error {
	start := time.Now()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dataDir, 0o755); err != nil {
		return err
	}
	var cases []*benchCase
	for _, bc := range benchCases(c.rule) {
		if slices.Contains(c.cases, bc.name) {
			cases = append(cases, bc)
		}
	}
	if len(cases) == 0 {
		return fmt.Errorf("-cases: none of %v is a case (flagship, join, summarize, has)", c.cases)
	}
	if _, err := os.Stat(c.rule); err != nil && slices.ContainsFunc(cases, func(bc *benchCase) bool { return bc.rule != "" }) {
		return fmt.Errorf("the flagship rule: %w (give -rule FILE)", err)
	}
	meta := metadata{Started: start.UTC().Format(time.RFC3339), CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Runs: c.runs}
	if slices.Contains(c.engines, "hunt") {
		if c.huntBin == "" {
			if c.huntBin, err = buildHunt(c.repo, c.dataDir); err != nil {
				return err
			}
		}
		meta.Hunt = huntVersion(c.huntBin, c.repo)
	}
	if slices.Contains(c.engines, "duckdb") || slices.Contains(c.formats, "parquet") || slices.Contains(c.formats, storeFormat) {
		m, err := runDuck(self, "SELECT version() AS v", false)
		if err != nil {
			return fmt.Errorf("DuckDB does not run: %w", err)
		}
		if rows, err := parseRows(m.stdout); err == nil && len(rows) == 1 {
			meta.DuckDB = fmt.Sprint(rows[0]["v"])
		}
	}
	if meta.Hunt == "" {
		meta.Hunt = "(not run)"
	}
	meta.LoadAvg = loadAverage()
	logf("hunt %s, DuckDB %s, %d CPUs, load average %.2f; %d run(s) per case", meta.Hunt, meta.DuckDB, meta.CPUs, meta.LoadAvg, c.runs)
	if meta.LoadAvg > 0.5*float64(meta.CPUs) {
		logf("warning: the machine is busy (load average %.2f on %d CPUs); the figures will be noisy", meta.LoadAvg, meta.CPUs)
	}
	rep := &report{Meta: meta}
	var failures []string
	for _, n := range c.sizes {
		d, err := prepareData(c.dataDir, n, c.regen, self, logf)
		if err != nil {
			return err
		}
		rep.Meta.ParquetBy = d.ParquetBy
		if slices.Contains(c.formats, storeFormat) && slices.Contains(c.engines, "hunt") {
			var tables []string
			for _, bc := range cases {
				if !slices.Contains(tables, bc.table) {
					tables = append(tables, bc.table)
				}
			}
			if err := prepareStore(d, c.huntBin, tables, logf); err != nil {
				return err
			}
		}
		for _, bc := range cases {
			got, fails := runCase(c, self, bc, d)
			rep.Results = append(rep.Results, got...)
			failures = append(failures, fails...)
			printCase(os.Stdout, bc, n, got)
		}
	}
	rep.Meta.Seconds = time.Since(start).Seconds()
	printSummary(os.Stdout, rep)
	rep.Targets = checkTargets(rep.Results)
	printTargets(os.Stdout, rep.Targets)
	if c.jsonOut != "" {
		if err := rep.writeJSON(c.jsonOut); err != nil {
			return err
		}
		logf("wrote %s", c.jsonOut)
	}
	logf("done in %s", time.Since(start).Round(time.Second))
	if len(failures) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	return nil
}

// runCase measures one case in every format on each engine and compares
// the engines' rows. DuckDB has no store: for the store format it reads
// Parquet, and a Parquet run of the same case is measured once and
// reported under both formats.
func runCase(c *config, self string, bc *benchCase, d *dataset) (results []*result, failures []string) {
	type duckRun struct {
		r   result
		out []byte
	}
	duckRuns := map[string]*duckRun{} // by the format DuckDB read
	for _, format := range c.formats {
		base := result{Case: bc.name, Format: format, Events: d.Events, JSONBytes: d.JSONBytes[bc.table], DiskBytes: d.diskBytes(format, bc.table)}
		var hunt, duck *result
		var huntOut, duckOut []byte
		if slices.Contains(c.engines, "hunt") {
			r := base
			r.Engine = "hunt"
			huntOut = measureRuns(&r, c.runs, func() (measured, error) {
				cmd, cancel := huntCommand(c.huntBin, bc, d.Dirs[format][bc.table])
				defer cancel()
				m := runMeasured(cmd)
				return m, m.err
			})
			if r.Status != "ok" && format == "parquet" && strings.Contains(r.Status, "not supported") {
				r.Status = "unsupported: hunt cannot read Parquet yet"
			} else if r.Status != "ok" {
				failures = append(failures, fmt.Sprintf("%s/%s/%d hunt: %s", bc.name, format, d.Events, r.Status))
			}
			hunt = &r
			results = append(results, hunt)
		}
		if slices.Contains(c.engines, "duckdb") {
			reads := format
			if format == storeFormat {
				reads = storeReads
			}
			run := duckRuns[reads]
			if run == nil {
				r := base
				r.Engine = "duckdb"
				r.Format = reads
				r.DiskBytes = d.diskBytes(reads, bc.table)
				text := bc.sql(bc.relation(d, reads))
				out := measureRuns(&r, c.runs, func() (measured, error) { return runDuck(self, text, false) })
				if r.Status != "ok" {
					failures = append(failures, fmt.Sprintf("%s/%s/%d duckdb: %s", bc.name, reads, d.Events, r.Status))
				}
				run = &duckRun{r, out}
				duckRuns[reads] = run
			}
			r := run.r
			r.Format = format
			if reads != format {
				r.Reads = reads
			}
			duck, duckOut = &r, run.out
			results = append(results, duck)
		}
		if hunt == nil || duck == nil || hunt.Status != "ok" || duck.Status != "ok" {
			continue
		}
		hunt.SpeedVsDuckDB = duck.WallSeconds / hunt.WallSeconds
		if hunt.CPUSeconds > 0 {
			hunt.CPUVsDuckDB = duck.CPUSeconds / hunt.CPUSeconds
		}
		hunt.MemoryVsDuckDB = float64(hunt.PeakRSS) / float64(duck.PeakRSS)
		rows, err := bc.compareResults(huntOut, duckOut)
		if err != nil {
			msg := fmt.Sprintf("%s/%s/%d: MISMATCH: %v", bc.name, format, d.Events, err)
			fmt.Fprintln(os.Stderr, "huntbench: "+msg)
			failures = append(failures, msg)
			hunt.Verified, duck.Verified = "MISMATCH", "MISMATCH"
			continue
		}
		if bc.rule != "" && rows == 0 && d.Events >= 1000 {
			failures = append(failures, fmt.Sprintf("%s/%s/%d: both engines returned no rows; the generator plants alerting accounts, so the comparison proves nothing", bc.name, format, d.Events))
		}
		hunt.Rows, duck.Rows = rows, rows
		hunt.Verified, duck.Verified = "same rows", "same rows"
	}
	return results, failures
}

// measureRuns runs f runs times, keeping the fastest wall time and the
// highest peak memory, and returns the last run's output.
func measureRuns(r *result, runs int, f func() (measured, error)) []byte {
	var out []byte
	r.Status = "ok"
	for i := 0; i < runs; i++ {
		m, err := f()
		if err != nil {
			r.Status = "error: " + err.Error()
			return nil
		}
		r.Walls = append(r.Walls, m.wall.Seconds())
		if i == 0 || m.wall.Seconds() < r.WallSeconds {
			r.WallSeconds = m.wall.Seconds()
		}
		if i == 0 || m.cpu.Seconds() < r.CPUSeconds {
			r.CPUSeconds = m.cpu.Seconds()
		}
		if m.maxRSS > r.PeakRSS {
			r.PeakRSS, r.PeakSampled = m.maxRSS, m.sampled
		}
		r.FloorRSS = max(r.FloorRSS, m.floor)
		out = m.stdout
	}
	r.EventsPerSec = float64(r.Events) / r.WallSeconds
	r.JSONMBPerSec = float64(r.JSONBytes) / 1e6 / r.WallSeconds
	return out
}

func huntCommand(bin string, bc *benchCase, data string) (*exec.Cmd, func()) {
	now := genNow.Format(time.RFC3339)
	if bc.rule != "" {
		return command(bin, "run", bc.rule, "--data", data, "--now", now, "--format", "json")
	}
	return command(bin, "query", bc.kql, "--data", data, "--now", now, "--format", "json")
}

// loadAverage is the one-minute load average (Linux), 0 when unknown.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}

// buildHunt builds the hunt binary of the repository into dir.
func buildHunt(repo, dir string) (string, error) {
	mod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module hunt\n") {
		return "", fmt.Errorf("-repo %s is not hunt's repository (run from bench/ or give -repo or -hunt)", repo)
	}
	bin, err := filepath.Abs(filepath.Join(dir, "bin", "hunt"))
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/hunt")
	cmd.Dir = repo
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	logf("building hunt from %s", repo)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building hunt: %w", err)
	}
	return bin, nil
}

// huntVersion names the measured hunt: its version and, when the
// repository is a git work tree, the commit (with "+changes" when the
// tree differs from it).
func huntVersion(bin, repo string) string {
	v := "?"
	if out, err := exec.Command(bin, "version").Output(); err == nil {
		v = strings.TrimPrefix(strings.TrimSpace(string(out)), "hunt ")
	}
	if out, err := exec.Command("git", "-C", repo, "rev-parse", "--short", "HEAD").Output(); err == nil {
		v += " " + strings.TrimSpace(string(out))
		if st, err := exec.Command("git", "-C", repo, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			v += "+changes"
		}
	}
	return v
}
