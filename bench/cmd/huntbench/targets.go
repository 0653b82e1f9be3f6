package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// target is one of the goals for the flagship rule, checked
// against a run's figures.
type target struct {
	Goal   string `json:"goal"`
	Events int    `json:"events"`
	Value  string `json:"value"`
	Met    bool   `json:"met"`
}

// flagshipSpeedGoals are the least hunt/DuckDB wall-time ratios per
// format. For the store the ratio is to DuckDB on Parquet, its fastest
// format, since DuckDB has no store.
var flagshipSpeedGoals = map[string]float64{"json": 3, "gzip": 1.5, "parquet": 1, storeFormat: 10}

// memoryGoal bounds hunt's peak memory for the flagship rule at 5M events;
// flatGoal is how much it may grow from the smallest to the largest size.
const (
	memoryGoal = 256 << 20
	flatGoal   = 1.25
)

// checkTargets evaluates the goals the figures allow.
func checkTargets(rs []*result) []target {
	var out []target
	var sizes []int
	peak := map[int]int64{} // events -> highest hunt flagship peak over formats
	for _, r := range rs {
		if r.Case != "flagship" || r.Engine != "hunt" || r.Status != "ok" {
			continue
		}
		if !slices.Contains(sizes, r.Events) {
			sizes = append(sizes, r.Events)
		}
		peak[r.Events] = max(peak[r.Events], r.PeakRSS)
		if goal, ok := flagshipSpeedGoals[r.Format]; ok && r.SpeedVsDuckDB > 0 {
			goalText := fmt.Sprintf("flagship %s: at least %.1f× DuckDB's throughput", r.Format, goal)
			if r.Format == storeFormat {
				goalText = fmt.Sprintf("flagship store: at least %.0f× DuckDB's Parquet throughput", goal)
			}
			out = append(out, target{Goal: goalText,
				Events: r.Events, Value: fmt.Sprintf("%.2f×", r.SpeedVsDuckDB), Met: r.SpeedVsDuckDB >= goal})
		}
	}
	slices.Sort(sizes)
	for _, n := range sizes {
		if n >= 5_000_000 {
			out = append(out, target{Goal: "flagship peak memory under 256 MiB", Events: n,
				Value: fmt.Sprintf("%.0f MiB", mib(peak[n])), Met: peak[n] < memoryGoal})
		}
	}
	if len(sizes) > 1 {
		lo, hi := sizes[0], sizes[len(sizes)-1]
		growth := float64(peak[hi]) / float64(peak[lo])
		out = append(out, target{Goal: fmt.Sprintf("flagship peak memory flat from %s to %s events", count(float64(lo)), count(float64(hi))),
			Events: hi, Value: fmt.Sprintf("%.0f → %.0f MiB (%.2f×)", mib(peak[lo]), mib(peak[hi]), growth), Met: growth <= flatGoal})
	}
	return out
}

func printTargets(w io.Writer, ts []target) {
	if len(ts) == 0 {
		return
	}
	fmt.Fprintln(w, "\n== targets of the issue (flagship rule)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range ts {
		verdict := "NOT MET"
		if t.Met {
			verdict = "met"
		}
		fmt.Fprintf(tw, "%s\t%s events\t%s\t%s\n", t.Goal, count(float64(t.Events)), t.Value, verdict)
	}
	tw.Flush()
}
