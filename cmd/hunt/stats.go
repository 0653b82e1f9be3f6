package main

import (
	"fmt"
	"strings"
	"time"
)

// statsTotals renders the totals --stats prints under the per-operator
// lines: the command's wall time, the input the queries read, what the
// readers did with it, and the process's peak memory.
func (w *watch) statsTotals() string {
	if w == nil {
		return ""
	}
	w.mu.Lock()
	inBytes, inFiles := w.inputBytes, w.inputFiles
	w.mu.Unlock()
	wall := time.Since(w.start)
	s := w.diag.Scan()
	var b strings.Builder
	row := func(name, format string, a ...any) { fmt.Fprintf(&b, "  %-20s %s\n", name, fmt.Sprintf(format, a...)) }
	b.WriteString("totals:\n")
	row("wall time", "%s", wall.Round(time.Millisecond))
	row("input", "%s in %d file(s), %s read (%s/s)", humanBytes(inBytes), inFiles, humanBytes(s.BytesRead),
		humanBytes(int64(float64(s.BytesRead)/wall.Seconds())))
	row("events read", "%d (%s/s)", s.Records, humanCount(float64(s.Records)/wall.Seconds()))
	row("skipped by pushdown", "%d", s.Pushdown)
	row("rows to the query", "%d", s.Rows)
	if peak, how := peakMemory(); peak > 0 {
		row("peak memory", "%s (%s)", humanBytes(peak), how)
	}
	return b.String()
}
