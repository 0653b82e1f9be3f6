package source

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"hunt/engine/exec"
)

// minSplitBytes is the smallest piece a file is cut into by Split; below
// it a worker's start-up costs more than the piece. Tests lower it.
var minSplitBytes int64 = 4 << 20

// compressedWeight is how much more decoding work a byte of a compressed
// file stands for than a byte of a plain one (decompressed JSON is
// several times larger, and inflating it costs too).
const compressedWeight = 6

// Split divides the reader into at most n readers whose rows, read one
// after another, are the rows of the whole in the same order: whole
// files, balanced by size, and pieces of large uncompressed JSON-lines
// files cut at line boundaries. It must be called before Next; the
// parts do not depend on r, which may be closed.
//
// Problems found by the parts reach the Diagnostics in the order of the
// data, with the line numbers of the whole file, as each part finishes
// after the ones before it: the parts count their own lines, and a part
// cut from the middle of a file learns how many lines precede it from
// the part before.
func (r *tableReader) Split(n int) ([]exec.Source, error) {
	if r.started {
		return nil, errSplitStarted
	}
	pieces, err := planSplit(r.ranges, n)
	if err != nil {
		return nil, err
	}
	g := &splitGroup{target: r.diag}
	workers := max(1, runtime.GOMAXPROCS(0)/max(len(pieces), 1))
	out := make([]exec.Source, len(pieces))
	for i, rs := range pieces {
		p := &splitPart{group: g, diag: newPrivateDiagnostics()}
		if len(rs) > 0 && rs[0].cutStart() {
			p.firstPath = rs[0].file.Path
		}
		if len(rs) > 0 && rs[len(rs)-1].cutEnd() {
			p.lastPath = rs[len(rs)-1].file.Path
			p.lastIsFirst = len(rs) == 1 && rs[0].cutStart()
		}
		g.parts = append(g.parts, p)
		tr := newTableReader(r.cfg, rs, p.diag, r.ctr, workers)
		tr.part = p
		out[i] = tr
	}
	return out, nil
}

// splittable reports whether a file can be cut at line boundaries.
func splittable(f *File) bool {
	return f.Compression == None && (f.Format == DefenderExport || f.Format == JSONLines)
}

// planSplit cuts ranges into at most n contiguous groups of about equal
// weight.
func planSplit(ranges []fileRange, n int) ([][]fileRange, error) {
	n = max(n, 1)
	type item struct {
		rg     fileRange
		weight int64
	}
	items := make([]item, 0, len(ranges))
	var total int64
	for _, rg := range ranges {
		if rg.file.Format == Parquet && rg.start == 0 && rg.end < 0 {
			// A Parquet file splits between row groups.
			sizes, err := rowGroupSizes(rg.file.Path)
			if err != nil {
				return nil, err
			}
			if len(sizes) > 1 {
				for g, size := range sizes {
					items = append(items, item{fileRange{file: rg.file, start: int64(g), end: int64(g + 1)}, size})
					total += size
				}
				continue
			}
		}
		st, err := os.Stat(rg.file.Path)
		if err != nil {
			return nil, err
		}
		end := st.Size()
		if rg.end >= 0 && rg.end < end {
			end = rg.end
		}
		w := max(end-rg.start, 0)
		if rg.file.Compression != None {
			w *= compressedWeight
		}
		items = append(items, item{rg, w})
		total += w
	}
	var parts [][]fileRange
	var cur []fileRange
	var curW, doneW int64
	closePart := func() {
		if len(cur) > 0 {
			parts = append(parts, cur)
			doneW += curW
		}
		cur, curW = nil, 0
	}
	for k := 0; k < len(items); k++ {
		it := items[k]
		for {
			left := n - len(parts)
			if left <= 1 {
				cur = append(cur, it.rg)
				curW += it.weight
				break
			}
			target := (total - doneW) / int64(left)
			if curW+it.weight <= target {
				cur = append(cur, it.rg)
				curW += it.weight
				break
			}
			room := target - curW
			if splittable(it.rg.file) && room >= minSplitBytes && it.weight-room >= minSplitBytes {
				cut := it.rg.start + room
				head := it.rg
				head.end = cut
				cur = append(cur, head)
				curW += room
				closePart()
				it.rg.start = cut
				it.weight -= room
				continue
			}
			// A whole file: it goes where it spoils the balance least.
			if curW == 0 || curW+it.weight-target < target-curW {
				cur = append(cur, it.rg)
				curW += it.weight
				closePart()
				break
			}
			closePart()
		}
	}
	closePart()
	if len(parts) == 0 {
		parts = [][]fileRange{nil}
	}
	for i, p := range parts {
		parts[i] = joinRowGroups(p)
	}
	return parts, nil
}

// joinRowGroups merges consecutive row-group ranges of a Parquet file;
// the ranges of a whole file become the whole file again.
func joinRowGroups(p []fileRange) []fileRange {
	var out []fileRange
	for _, rg := range p {
		if n := len(out); n > 0 && rg.file.Format == Parquet && out[n-1].file == rg.file && out[n-1].end == rg.start {
			out[n-1].end = rg.end
			continue
		}
		out = append(out, rg)
	}
	return out
}

// splitGroup publishes the problems of the parts of one Split into the
// shared Diagnostics, in part order.
type splitGroup struct {
	mu     sync.Mutex
	target *Diagnostics
	parts  []*splitPart
	next   int // first part not yet published
	// carry is the number of lines of file carryPath before the next
	// part, when that part starts in the middle of it.
	carryPath  string
	carryLines int
	// broken is set when a part was closed before its end: the lines
	// after it are not known, and a reader on one goroutine would not
	// have read them.
	broken bool
}

type splitPart struct {
	group       *splitGroup
	diag        *Diagnostics // private: problems with part-local lines
	firstPath   string       // the part starts in the middle of this file
	lastPath    string       // the part ends in the middle of this file
	lastIsFirst bool
	lastLines   int // lines read in the last range, when cut
	state       uint8
	// stop is set when a part before this one was closed early: its
	// consumer stopped, and this part's rows are not wanted.
	stop atomic.Bool
}

const (
	partRunning uint8 = iota
	partDone
	partAbandoned
)

func (p *splitPart) setLastLines(n int) {
	p.group.mu.Lock()
	p.lastLines = n
	p.group.mu.Unlock()
}

// finish marks the part read to its end (complete) or abandoned, and
// publishes what can be published.
func (p *splitPart) finish(complete bool) {
	g := p.group
	g.mu.Lock()
	defer g.mu.Unlock()
	if p.state != partRunning {
		return
	}
	p.state = partAbandoned
	if complete {
		p.state = partDone
	} else {
		// Parts after this one may be scanning on other goroutines for
		// rows nobody will read (a take after a selective filter); they
		// stop at their next read.
		after := false
		for _, q := range g.parts {
			if after {
				q.stop.Store(true)
			}
			after = after || q == p
		}
	}
	for g.next < len(g.parts) && g.parts[g.next].state != partRunning {
		q := g.parts[g.next]
		g.next++
		if g.broken {
			continue
		}
		base := 0
		if q.firstPath != "" {
			if q.firstPath != g.carryPath {
				g.broken = true // cannot happen: parts are contiguous
				continue
			}
			base = g.carryLines
		}
		g.target.merge(q.diag, q.firstPath, base)
		if q.state == partAbandoned {
			g.broken = true
			continue
		}
		g.carryPath, g.carryLines = "", 0
		if q.lastPath != "" {
			g.carryPath, g.carryLines = q.lastPath, q.lastLines
			if q.lastIsFirst {
				g.carryLines += base
			}
		}
	}
}
