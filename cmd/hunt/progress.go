package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"hunt/kql/plan"
	"hunt/query"
	"hunt/source"
)

// The progress bar appears only for runs longer than progressDelay, so
// that quick queries print nothing but their results, and is redrawn
// every progressTick.
const (
	progressDelay = time.Second
	progressTick  = 200 * time.Millisecond
)

// watch follows the runs of one command: on a terminal it draws a
// progress bar on stderr (input bytes read of the total, events/s, ETA),
// and it sums the totals --stats prints. The readers' counters are read
// from the run's source.Diagnostics. A nil *watch does nothing.
type watch struct {
	diag  *source.Diagnostics
	data  *source.Set
	start time.Time

	mu sync.Mutex
	// term is where the bar is drawn; nil when no bar is shown.
	term  io.Writer
	width func() int
	now   func() time.Time
	// tick is the redraw period; 0 leaves redrawing to the caller (tests).
	// delay is how long a run goes before its bar first appears.
	tick, delay time.Duration
	// Of the current run.
	label    string
	runStart time.Time
	total    int64
	base     source.ScanStats
	// drawn says a bar is on the screen; midLine that output ended
	// without a newline, so drawing now would overwrite it.
	drawn   bool
	midLine bool
	ticker  chan struct{} // closed to stop the redraw goroutine
	// Totals over the runs.
	inputBytes int64
	inputFiles int
}

// newWatch returns the watch of a command. The bar is shown when
// stderr is a terminal (and not a dumb one), there is data to read, and
// --no-progress is not given; output to a terminal then goes through
// the writers of wrap, which clear the bar first.
func newWatch(d *dataFlags, opt query.Options, stderr io.Writer) *watch {
	w := &watch{diag: opt.Diag, data: opt.Data, start: time.Now(), width: terminalWidth(stderr), now: time.Now, tick: progressTick, delay: progressDelay}
	if !d.noProgress && opt.Data != nil && isTerminal(stderr) && os.Getenv("TERM") != "dumb" {
		w.term = stderr
	}
	return w
}

// wrap returns the writers the command prints through: those that reach
// the terminal the bar is on clear it before each write.
func (w *watch) wrap(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	if w == nil || w.term == nil {
		return stdout, stderr
	}
	if isTerminal(stdout) {
		stdout = &clearingWriter{w: w, out: stdout}
	}
	return stdout, &clearingWriter{w: w, out: stderr}
}

// begin starts following the run of p, named label on the bar.
func (w *watch) begin(label string, p *query.Prepared) {
	if w == nil {
		return
	}
	bytes, files := inputSize(w.data, p)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inputBytes += bytes
	w.inputFiles += files
	w.label, w.total, w.base, w.runStart = label, bytes, w.diag.Scan(), w.now()
	if w.term != nil && w.ticker == nil && w.tick > 0 {
		w.ticker = make(chan struct{})
		go w.redraw(w.ticker, w.tick)
	}
}

func (w *watch) redraw(stop chan struct{}, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			w.mu.Lock()
			w.drawLocked()
			w.mu.Unlock()
		}
	}
}

// drawLocked redraws the bar of the current run in place.
func (w *watch) drawLocked() {
	if w.term == nil || w.midLine || w.runStart.IsZero() {
		return
	}
	elapsed := w.now().Sub(w.runStart)
	if elapsed < w.delay {
		return
	}
	line := progressLine(w.label, w.total, subScan(w.diag.Scan(), w.base), elapsed, w.width())
	fmt.Fprintf(w.term, "\r%s\x1b[K", line)
	w.drawn = true
}

// clearLocked removes the bar from the screen.
func (w *watch) clearLocked() {
	if w.drawn {
		fmt.Fprint(w.term, "\r\x1b[K")
		w.drawn = false
	}
}

// finish stops the bar and clears it; the command's last words (errors,
// diagnostics) follow on a clean line.
func (w *watch) finish() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ticker != nil {
		close(w.ticker)
		w.ticker = nil
	}
	if w.term != nil {
		w.clearLocked()
	}
	w.runStart = time.Time{}
}

// clearingWriter is a writer to the bar's terminal.
type clearingWriter struct {
	w   *watch
	out io.Writer
}

func (c *clearingWriter) Write(p []byte) (int, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	c.w.clearLocked()
	n, err := c.out.Write(p)
	if n > 0 {
		c.w.midLine = p[n-1] != '\n'
	}
	return n, err
}

// inputSize sums the sizes of the files of the tables p scans: the
// total the bar counts up to. A table scanned twice is read twice.
func inputSize(data *source.Set, p *query.Prepared) (bytes int64, files int) {
	if data == nil || p == nil || p.Plan == nil {
		return 0, 0
	}
	seen := map[plan.Node]bool{}
	var walk func(n plan.Node)
	walk = func(n plan.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if s, ok := n.(*plan.Scan); ok {
			if t, ok := data.Table(s.Table); ok {
				for _, f := range t.Files {
					if st, err := os.Stat(f.Path); err == nil {
						bytes += st.Size()
						files++
					}
				}
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(p.Plan)
	return bytes, files
}

func subScan(a, b source.ScanStats) source.ScanStats {
	return source.ScanStats{BytesRead: a.BytesRead - b.BytesRead, Records: a.Records - b.Records,
		Pushdown: a.Pushdown - b.Pushdown, Rows: a.Rows - b.Rows}
}

// progressLine renders the bar, at most width-1 columns wide:
//
//	42% [=========>            ] 1.10 GiB/2.62 GiB  312.4k events/s  ETA 0:05  Code Repo Exfiltration
func progressLine(label string, total int64, s source.ScanStats, elapsed time.Duration, width int) string {
	secs := elapsed.Seconds()
	rate := ""
	if s.Records > 0 {
		rate = humanCount(float64(s.Records)/secs) + " events/s"
	} else {
		rate = humanBytes(int64(float64(s.BytesRead)/secs)) + "/s"
	}
	var b strings.Builder
	if total > 0 {
		frac := min(float64(s.BytesRead)/float64(total), 1)
		const barWidth = 20
		fill := int(frac * barWidth)
		bar := strings.Repeat("=", fill)
		if fill < barWidth {
			bar += ">" + strings.Repeat(" ", barWidth-fill-1)
		}
		eta := "--"
		if s.BytesRead > 0 && frac < 1 {
			left := time.Duration(float64(elapsed) * (float64(total-s.BytesRead) / float64(s.BytesRead)))
			eta = clock(left)
		} else if frac >= 1 {
			eta = "0:00"
		}
		fmt.Fprintf(&b, "%3d%% [%s] %s/%s  %s  ETA %s", int(frac*100), bar, humanBytes(s.BytesRead), humanBytes(total), rate, eta)
	} else {
		fmt.Fprintf(&b, "%s read  %s  %s", humanBytes(s.BytesRead), rate, clock(elapsed))
	}
	line := b.String()
	if room := width - 1 - len(line) - 2; room >= 8 && label != "" {
		if len(label) > room {
			label = label[:room-3] + "..."
		}
		line += "  " + label
	}
	if width > 1 && len(line) > width-1 {
		line = line[:width-1]
	}
	return line
}

// clock renders a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func humanCount(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%.0f", f)
}
