package source

import (
	"os"
	"runtime/debug"
)

// Plain files are read through a memory map, a window at a time, rather
// than copied into a buffer by read(2): on line files of gigabytes the
// copy was a quarter of the CPU time. The window slides with the reader,
// so the pages mapped at once, which count as resident memory, stay
// bounded; the kernel maps pages already in the page cache in batches
// (fault-around), so touching them costs little.

// mapWindow is how much of a file is mapped at once; a line longer than
// that gets a window twice its length.
var mapWindow int64 = 16 << 20

// mapping is the file behind a memory-mapped byteSource.
type mapping struct {
	f    *os.File
	size int64 // the file's size when opened: later growth is not read
	mem  []byte
	io   ioCtx
}

// newMappedLineSource reads the lines starting in [start, stop) of f
// from a memory map, or returns nil when the file cannot be mapped.
func newMappedLineSource(f *os.File, report reportFunc, start, stop int64, ioc ioCtx) *lineSource {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || !canMap {
		return nil
	}
	s := &lineSource{report: report, stop: stop}
	s.limit = MaxLineBytes
	s.m = &mapping{f: f, size: st.Size(), io: ioc}
	if start > 0 {
		s.base = start - 1
		s.skipPartial, s.midFile = true, true
	}
	if !s.mapNext() {
		s.releaseMap()
		return nil
	}
	return s
}

// mapNext maps the window that starts at the first unread byte. It
// returns false when the map fails.
func (s *byteSource) mapNext() bool {
	m := s.m
	off := s.base + int64(s.pos)
	unread := int64(s.end - s.pos)
	if m.mem != nil {
		unmapFile(m.mem)
		m.mem = nil
	}
	s.buf, s.pos, s.end = nil, 0, 0
	s.base = off
	if off >= m.size {
		s.eof = true
		return true
	}
	want := mapWindow
	if 2*unread > want {
		want = 2 * unread // a line longer than the window
	}
	aligned := off &^ (int64(pageSize) - 1)
	length := min(want+off-aligned, m.size-aligned)
	mem, err := mapFile(m.f, aligned, length)
	if err != nil {
		return false
	}
	if m.io.ctr != nil {
		m.io.ctr.bytesRead.Add(aligned + length - off - unread)
	}
	m.mem = mem
	s.buf, s.base = mem, aligned
	s.pos, s.end = int(off-aligned), len(mem)
	s.eof = aligned+length >= m.size
	return true
}

func (s *byteSource) releaseMap() {
	if s.m != nil && s.m.mem != nil {
		unmapFile(s.m.mem)
		s.m.mem = nil
	}
	s.buf = nil
}

// faultError is returned when a mapped file could not be read: a page
// fault reading it, because it shrank or its disk failed.
type faultError struct{ err any }

func (e *faultError) Error() string {
	return "the file changed or could not be read while it was read (" + errorString(e.err) + ")"
}

func errorString(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return "fault"
}

// catchFaults runs f, turning a fault on a mapped page into an error
// rather than a crash. Other panics go on.
func catchFaults(f func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(interface{ Addr() uintptr }); ok {
				err = &faultError{r}
				return
			}
			panic(r)
		}
	}()
	return f()
}
