package source

import (
	"fmt"
	"sync/atomic"
)

// ScanStats counts what the readers of one query did, for --stats.
type ScanStats struct {
	// BytesRead is the bytes read from files, compressed as stored.
	BytesRead int64
	// Records is the records (lines, CSV rows, Event Hub records,
	// Parquet rows) met, whether kept or not.
	Records int64
	// Pushdown is the records dropped by a pushed-down filter before
	// they were decoded.
	Pushdown int64
	// Rows is the rows handed to the query.
	Rows int64
}

// String renders the counters on one line.
func (s ScanStats) String() string {
	return fmt.Sprintf("scan: %s read, %d records, %d skipped by pushdown, %d rows out\n",
		humanBytes(s.BytesRead), s.Records, s.Pushdown, s.Rows)
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

// scanCounters are the atomic counters behind ScanStats. Readers add to
// them per batch or per buffer, not per record, so workers on several
// cores do not contend.
type scanCounters struct {
	bytesRead atomic.Int64
	records   atomic.Int64
	pushdown  atomic.Int64
	rows      atomic.Int64
}

// Scan returns the scan counters so far.
func (d *Diagnostics) Scan() ScanStats {
	if d == nil {
		return ScanStats{}
	}
	return ScanStats{
		BytesRead: d.scan.bytesRead.Load(),
		Records:   d.scan.records.Load(),
		Pushdown:  d.scan.pushdown.Load(),
		Rows:      d.scan.rows.Load(),
	}
}

func (d *Diagnostics) counters() *scanCounters {
	if d == nil {
		return nil
	}
	return &d.scan
}

// localCounts accumulates counts on one reader goroutine until they are
// flushed into the shared counters.
type localCounts struct {
	records  int64
	pushdown int64
	rows     int64
}

func (l *localCounts) flush(c *scanCounters) {
	if c != nil {
		if l.records != 0 {
			c.records.Add(l.records)
		}
		if l.pushdown != 0 {
			c.pushdown.Add(l.pushdown)
		}
		if l.rows != 0 {
			c.rows.Add(l.rows)
		}
	}
	*l = localCounts{}
}
