package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hunt/engine/vec"
	"hunt/gen"
	"hunt/kql/syntax"
	"hunt/query"
	"hunt/source"
)

func TestProgressLine(t *testing.T) {
	gib := int64(1 << 30)
	cases := []struct {
		name    string
		label   string
		total   int64
		s       source.ScanStats
		elapsed time.Duration
		width   int
		want    string
	}{
		{"half way", "Code Repo Exfiltration", 2 * gib, source.ScanStats{BytesRead: gib, Records: 600_000}, 2 * time.Second, 120,
			" 50% [==========>         ] 1.00 GiB/2.00 GiB  300.0k events/s  ETA 0:02  Code Repo Exfiltration"},
		{"nothing read yet", "q", gib, source.ScanStats{}, time.Second, 120,
			"  0% [>                   ] 0 B/1.00 GiB  0 B/s  ETA --  q"},
		{"all read", "q", gib, source.ScanStats{BytesRead: gib, Records: 10}, 10 * time.Second, 120,
			"100% [====================] 1.00 GiB/1.00 GiB  1 events/s  ETA 0:00  q"},
		{"long ETA", "q", 100 * gib, source.ScanStats{BytesRead: gib, Records: 1e6}, 40 * time.Second, 120,
			"  1% [>                   ] 1.00 GiB/100.00 GiB  25.0k events/s  ETA 1:06:00  q"},
		{"label cut to the terminal", "a rule with a very long name indeed", 2 * gib, source.ScanStats{BytesRead: gib, Records: 600_000}, 2 * time.Second, 90,
			" 50% [==========>         ] 1.00 GiB/2.00 GiB  300.0k events/s  ETA 0:02  a rule with ..."},
		{"narrow terminal drops the label", "label", 2 * gib, source.ScanStats{BytesRead: gib, Records: 600_000}, 2 * time.Second, 40,
			" 50% [==========>         ] 1.00 GiB/2."},
		{"unknown total", "q", 0, source.ScanStats{BytesRead: 3 << 20}, 3 * time.Second, 120,
			"3.0 MiB read  1.0 MiB/s  0:03  q"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := progressLine(c.label, c.total, c.s, c.elapsed, c.width)
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			if len(got) > c.width-1 {
				t.Errorf("line is %d columns on a %d-column terminal", len(got), c.width)
			}
		})
	}
}

// genData writes n CloudAppEvents into a temporary folder and discovers it.
func genData(t *testing.T, n int) (*source.Set, string) {
	t.Helper()
	dir := t.TempDir()
	files, err := gen.Generate(gen.Options{Table: "CloudAppEvents", Events: n, Seed: 1, Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), Format: "jsonl", Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	set, err := source.Discover(source.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	return set, files[0]
}

func TestInputSizeCountsEachScan(t *testing.T) {
	set, file := genData(t, 300)
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kql   string
		scans int64
	}{
		{"CloudAppEvents | count", 1},
		{"CloudAppEvents | summarize n = count() by AccountObjectId | join kind=inner (CloudAppEvents | project AccountObjectId) on AccountObjectId", 2},
		{"print 1", 0},
	} {
		p, err := query.Prepare(syntax.NewSource("q", c.kql), query.Options{Data: set})
		if err != nil {
			t.Fatal(err)
		}
		bytes, files := inputSize(set, p)
		if bytes != c.scans*st.Size() || int64(files) != c.scans {
			t.Errorf("%s: %d bytes in %d files, want %d in %d", c.kql, bytes, files, c.scans*st.Size(), c.scans)
		}
	}
}

// TestWatchOnTerminal drives a watch as if stderr were a terminal: the
// bar shows the run's bytes once the delay has passed, output clears it
// first, and it is not drawn over a line still being written.
func TestWatchOnTerminal(t *testing.T) {
	set, file := genData(t, 500)
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	diag := &source.Diagnostics{}
	opt := query.Options{Data: set, Diag: diag}
	p, err := query.Prepare(syntax.NewSource("q", "CloudAppEvents | count"), opt)
	if err != nil {
		t.Fatal(err)
	}
	var term, out bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &watch{diag: diag, data: set, start: clock, term: &term, width: func() int { return 100 }, now: func() time.Time { return clock }, delay: time.Second}
	stdout, stderr := w.wrap(&out, &term)
	w.begin("count", p)
	if err := p.Run(func(*vec.Batch) error { return nil }); err != nil {
		t.Fatal(err)
	}

	w.drawLocked()
	if term.Len() != 0 {
		t.Fatalf("bar drawn before the delay: %q", term.String())
	}
	clock = clock.Add(2 * time.Second)
	w.drawLocked()
	bar := term.String()
	if !strings.HasPrefix(bar, "\r100% [====================] ") || !strings.HasSuffix(bar, "count\x1b[K") ||
		!strings.Contains(bar, humanBytes(st.Size())+"/"+humanBytes(st.Size())) || !strings.Contains(bar, "250 events/s") {
		t.Errorf("bar after the run: %q", bar)
	}

	// stdout is not a terminal here, so it is not wrapped; stderr is.
	if stdout != &out {
		t.Errorf("stdout that is not a terminal was wrapped")
	}
	term.Reset()
	stderr.Write([]byte("hunt: warning\n"))
	if got := term.String(); got != "\r\x1b[Khunt: warning\n" {
		t.Errorf("output to the terminal did not clear the bar first: %q", got)
	}
	term.Reset()
	stderr.Write([]byte("partial"))
	w.drawLocked()
	if got := term.String(); got != "partial" {
		t.Errorf("bar drawn over a line being written: %q", got)
	}
	stderr.Write([]byte(" line\n"))
	term.Reset()
	w.drawLocked()
	if !strings.HasPrefix(term.String(), "\r100%") {
		t.Errorf("bar not redrawn after the line ended: %q", term.String())
	}
	term.Reset()
	w.finish()
	if got := term.String(); got != "\r\x1b[K" {
		t.Errorf("finish left the bar on the screen: %q", got)
	}
}

// TestStatsTotals runs the CLI with --stats: the totals follow the
// per-operator lines, and with stderr not a terminal nothing of the bar
// is written.
func TestStatsTotals(t *testing.T) {
	_, file := genData(t, 400)
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"query", "--format", "json", "--stats", "--data", filepath.Dir(file), "CloudAppEvents | where ActionType == 'FileUploadedToCloud' | count"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	errText := stderr.String()
	if strings.Contains(errText, "\x1b[") || strings.Contains(errText, "\r") {
		t.Errorf("progress drawn on a stderr that is not a terminal: %q", errText)
	}
	st, _ := os.Stat(file)
	for _, want := range []string{
		"totals:\n",
		"  wall time ",
		"  input                " + humanBytes(st.Size()) + " in 1 file(s), " + humanBytes(st.Size()) + " read",
		"  events read          400 (",
		"  skipped by pushdown  ",
		"  rows to the query    ",
		"  peak memory          ",
	} {
		if !strings.Contains(errText, want) {
			t.Errorf("--stats output lacks %q:\n%s", want, errText)
		}
	}
	if i, j := strings.Index(errText, "Scan CloudAppEvents"), strings.Index(errText, "totals:"); i < 0 || j < i {
		t.Errorf("totals should follow the per-operator lines:\n%s", errText)
	}
}

func TestNoProgressFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"query", "--format", "json", "--no-progress", "print x = 1"}, &stdout, &stderr)
	if code != 0 || stdout.String() != "{\"x\":1}\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// screen replays what a terminal shows for text written to it with the
// bar's controls: \r returns to the line's start, ESC [K erases to its
// end, text overwrites.
func screen(stream string) []string {
	var lines []string
	var cur []byte
	col := 0
	for i := 0; i < len(stream); i++ {
		switch c := stream[i]; {
		case c == '\r':
			col = 0
		case c == '\n':
			lines = append(lines, string(cur))
			cur, col = nil, 0
		case strings.HasPrefix(stream[i:], "\x1b[K"):
			cur = cur[:col]
			i += 2
		default:
			if col < len(cur) {
				cur[col] = c
			} else {
				cur = append(cur, c)
			}
			col++
		}
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// TestWatchRedrawsBetweenOutput lets the bar redraw every millisecond
// while lines are written in pieces: what stays on the screen is exactly
// the lines, with no trace of the bar. Run it with -race.
func TestWatchRedrawsBetweenOutput(t *testing.T) {
	set, _ := genData(t, 200)
	diag := &source.Diagnostics{}
	p, err := query.Prepare(syntax.NewSource("q", "CloudAppEvents | count"), query.Options{Data: set, Diag: diag})
	if err != nil {
		t.Fatal(err)
	}
	var term bytes.Buffer
	w := &watch{diag: diag, data: set, start: time.Now(), term: &term, width: func() int { return 120 }, now: time.Now, tick: time.Millisecond}
	_, stderr := w.wrap(nil, &term)
	w.begin("count", p)
	ran := make(chan error, 1)
	go func() { ran <- p.Run(func(*vec.Batch) error { return nil }) }()
	var want []string
	for i := 0; i < 100; i++ {
		line := fmt.Sprintf("row %d of the results", i)
		want = append(want, line)
		stderr.Write([]byte(line[:5]))
		time.Sleep(100 * time.Microsecond)
		stderr.Write([]byte(line[5:] + "\n"))
		if i%10 == 0 {
			// Draw the bar here as the ticker would, so the test does not
			// depend on the scheduler on a loaded machine; the ticker still
			// races with the writes above.
			w.mu.Lock()
			w.drawLocked()
			w.mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	w.finish()
	w.mu.Lock()
	out := term.String()
	w.mu.Unlock()
	if !strings.Contains(out, "  count\x1b[K") {
		t.Fatalf("the bar was never drawn: %q", out)
	}
	got := screen(out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen after the run:\n%s\nwant the lines alone", strings.Join(got, "\n"))
	}
}
