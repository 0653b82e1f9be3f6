package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// measured is one child process run.
type measured struct {
	wall time.Duration
	// cpu is the child's user and system time: steadier than the wall
	// clock when other processes share the machine.
	cpu    time.Duration
	maxRSS int64 // bytes
	// floor is the bench's own resident size when the child started: on
	// Linux a child's ru_maxrss is never below it (see lowerFloor).
	floor int64
	// sampled says that maxRSS is the child's own high-water mark read
	// from /proc while it ran, because ru_maxrss showed only the floor.
	sampled bool
	stdout  []byte
	stderr  []byte
	err     error
}

// runMeasured runs cmd to the end and measures its wall time and peak
// resident memory (ru_maxrss from wait4), the same way for hunt and for
// the DuckDB child.
func runMeasured(cmd *exec.Cmd) measured {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	floor := lowerFloor()
	start := time.Now()
	err := cmd.Start()
	var hwm int64
	if err == nil {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			hwm = sampleHWM(cmd.Process.Pid, stop)
		}()
		err = cmd.Wait()
		close(stop)
		<-done
	}
	m := measured{wall: time.Since(start), floor: floor, stdout: out.Bytes(), stderr: errb.Bytes(), err: err}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			m.maxRSS = int64(ru.Maxrss)
			if runtime.GOOS != "darwin" {
				m.maxRSS *= 1024 // kilobytes on Linux and the BSDs
			}
		}
	}
	if m.maxRSS <= floor+floorMargin && hwm > 0 {
		m.maxRSS, m.sampled = hwm, true
	}
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if len(msg) > 4000 {
			msg = msg[:4000] + " ..."
		}
		m.err = fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args[:min(len(cmd.Args), 3)], " "), err, msg)
	}
	return m
}

// lowerFloor shrinks the bench process before it starts a child and
// returns its resident size. Go starts children with vfork, and Linux
// folds the parent's peak resident size into the child's ru_maxrss when
// the child execs; returning freed memory to the OS and resetting the
// peak (clear_refs 5) leaves only the bench's current size as a floor
// under the child's figure.
func lowerFloor() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return procStatusBytes("VmRSS:")
}

// floorMargin is how far above the floor ru_maxrss must be to count as
// the child's own peak: the bench may grow a little between measuring
// the floor and starting the child.
const floorMargin = 2 << 20

// sampleHWM polls the child's high-water resident size (VmHWM, which
// starts afresh at exec, unlike ru_maxrss) until stop is closed. It is
// used only when the child stayed under the floor, where missing the
// last few milliseconds of its life matters little.
func sampleHWM(pid int, stop <-chan struct{}) int64 {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	var peak int64
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		peak = max(peak, statusBytes(path, "VmHWM:"))
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

// procStatusBytes reads a "kB" field of /proc/self/status; 0 elsewhere.
func procStatusBytes(field string) int64 { return statusBytes("/proc/self/status", field) }

func statusBytes(path, field string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n * 1024
		}
	}
	return 0
}

// commandTimeout bounds every child run, so that a hung engine ends the
// bench with an error rather than never.
var commandTimeout = 30 * time.Minute

func command(name string, args ...string) (*exec.Cmd, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd, cancel
}
