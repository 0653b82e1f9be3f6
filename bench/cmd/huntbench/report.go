package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
)

type metadata struct {
	Started string  `json:"started"`
	Seconds float64 `json:"seconds"`
	CPUs    int     `json:"cpus"`
	GOOS    string  `json:"goos"`
	GOARCH  string  `json:"goarch"`
	Hunt    string  `json:"hunt"`
	DuckDB  string  `json:"duckdb"`
	Runs    int     `json:"runs"`
	// LoadAvg is the one-minute load average when the bench started:
	// figures taken on a busy machine are noisy.
	LoadAvg float64 `json:"load_average"`
	// ParquetBy says who wrote the Parquet inputs (hunt gen or duckdb).
	ParquetBy string `json:"parquet_by"`
}

// result is one engine's figures for one case, format and size.
type result struct {
	Case   string `json:"case"`
	Engine string `json:"engine"`
	Format string `json:"format"`
	Events int    `json:"events"`
	// JSONBytes is the size of the same events as plain JSON lines, the
	// base of JSONMBPerSec in every format; DiskBytes the file read.
	JSONBytes   int64     `json:"json_bytes"`
	DiskBytes   int64     `json:"disk_bytes"`
	WallSeconds float64   `json:"wall_seconds"`
	Walls       []float64 `json:"walls,omitempty"`
	// CPUSeconds is the least CPU time (user and system) of the runs.
	CPUSeconds   float64 `json:"cpu_seconds"`
	EventsPerSec float64 `json:"events_per_second"`
	JSONMBPerSec float64 `json:"json_mb_per_second"`
	PeakRSS      int64   `json:"peak_rss_bytes"`
	// FloorRSS is the bench's own resident size when it started the
	// child: a peak at or near it is the floor, not the engine.
	FloorRSS int64 `json:"floor_rss_bytes"`
	// PeakSampled says the peak was sampled from /proc/PID/status
	// (VmHWM) because the engine stayed under the floor.
	PeakSampled bool `json:"peak_sampled,omitempty"`
	Rows        int  `json:"rows"`
	// SpeedVsDuckDB is DuckDB's wall time over hunt's (above 1: hunt is
	// faster); MemoryVsDuckDB hunt's peak memory over DuckDB's.
	SpeedVsDuckDB float64 `json:"speed_vs_duckdb,omitempty"`
	// CPUVsDuckDB is DuckDB's CPU time over hunt's (above 1: hunt does
	// the work with less CPU).
	CPUVsDuckDB    float64 `json:"cpu_vs_duckdb,omitempty"`
	MemoryVsDuckDB float64 `json:"memory_vs_duckdb,omitempty"`
	Verified       string  `json:"verified,omitempty"`
	Status         string  `json:"status"`
	// Reads is the format the engine actually read when it differs from
	// Format: DuckDB has no store, so its store result is its Parquet
	// run (the same figures as its parquet result, when both are run).
	Reads string `json:"reads,omitempty"`
}

// formatLabel is the format column of a result: DuckDB's store row says
// it is a Parquet run.
func (r *result) formatLabel() string {
	if r.Reads != "" {
		return r.Format + " (reads " + r.Reads + ")"
	}
	return r.Format
}

// storeNote explains the store rows when some are printed.
const storeNote = "store: hunt reads its columnar store (hunt import of the JSON export); DuckDB has no store, so its figures are its Parquet run, and speed is DuckDB's Parquet wall time / hunt's store wall time"

func hasStore(rs []*result) bool {
	return slices.ContainsFunc(rs, func(r *result) bool { return r.Format == storeFormat })
}

type report struct {
	Meta    metadata  `json:"meta"`
	Results []*result `json:"results"`
	Targets []target  `json:"targets,omitempty"`
}

func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func printCase(w io.Writer, bc *benchCase, events int, rs []*result) {
	fmt.Fprintf(w, "\n== %s: %s, %s events\n", bc.name, bc.title, count(float64(events)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "engine\tformat\tevents\twall\tCPU\tevents/s\tJSON MB/s\tpeak RSS MiB\thunt/DuckDB speed\tCPU\tmemory\trows\t")
	for _, r := range rs {
		if r.Status != "ok" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\t\t\t\t\t\t\t%s\n", r.Engine, r.formatLabel(), count(float64(r.Events)), firstLine(r.Status))
			continue
		}
		speed, cpu, mem := "", "", ""
		if r.SpeedVsDuckDB > 0 {
			speed = fmt.Sprintf("%.2f×", r.SpeedVsDuckDB)
			cpu = fmt.Sprintf("%.2f×", r.CPUVsDuckDB)
			mem = fmt.Sprintf("%.2f×", r.MemoryVsDuckDB)
		}
		rows := fmt.Sprint(r.Rows)
		if r.Verified == "" {
			rows = "unchecked"
		} else if r.Verified == "MISMATCH" {
			rows = "MISMATCH"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3fs\t%.3fs\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t\n", r.Engine, r.formatLabel(), count(float64(r.Events)),
			r.WallSeconds, r.CPUSeconds, count(r.EventsPerSec), r.JSONMBPerSec, mib(r.PeakRSS), speed, cpu, mem, rows)
	}
	tw.Flush()
	if hasStore(rs) {
		fmt.Fprintln(w, "("+storeNote+")")
	}
}

// printSummary prints hunt's ratios to DuckDB for every case and format.
func printSummary(w io.Writer, rep *report) {
	fmt.Fprintf(w, "\n== summary: hunt against DuckDB %s (speed: DuckDB wall time / hunt's; CPU: DuckDB CPU time / hunt's; memory: hunt peak / DuckDB's)\n", rep.Meta.DuckDB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "case\tformat\tevents\thunt events/s\tDuckDB events/s\tspeed\tCPU\thunt MiB\tDuckDB MiB\tmemory\t")
	type key struct {
		c, f string
		n    int
	}
	duck := map[key]*result{}
	for _, r := range rep.Results {
		if r.Engine == "duckdb" {
			duck[key{r.Case, r.Format, r.Events}] = r
		}
	}
	for _, r := range rep.Results {
		if r.Engine != "hunt" {
			continue
		}
		d := duck[key{r.Case, r.Format, r.Events}]
		hs, ds, sp, cp, hm, dm, mr := "-", "-", "-", "-", "-", "-", "-"
		if r.Status == "ok" {
			hs, hm = count(r.EventsPerSec), fmt.Sprintf("%.0f", mib(r.PeakRSS))
		} else {
			hs = strings.SplitN(r.Status, ":", 2)[0]
		}
		if d != nil && d.Status == "ok" {
			ds, dm = count(d.EventsPerSec), fmt.Sprintf("%.0f", mib(d.PeakRSS))
		}
		if r.SpeedVsDuckDB > 0 {
			sp, cp, mr = fmt.Sprintf("%.2f×", r.SpeedVsDuckDB), fmt.Sprintf("%.2f×", r.CPUVsDuckDB), fmt.Sprintf("%.2f×", r.MemoryVsDuckDB)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Case, r.Format, count(float64(r.Events)), hs, ds, sp, cp, hm, dm, mr)
	}
	tw.Flush()
	if hasStore(rep.Results) {
		fmt.Fprintln(w, "("+storeNote+")")
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// count prints 1234567 as 1.23M, 12345 as 12.3k.
func count(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%.0f", f)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
