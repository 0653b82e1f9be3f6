// Package gen writes realistic synthetic data for hunt's examples, tests
// and benchmarks: any catalog table with plausible values, and for
// CloudAppEvents a mix of ordinary Microsoft 365 activity and the
// code-repository exfiltration pattern at and around the flagship rule's
// threshold. Output is deterministic for a given seed and clock.
package gen

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"hunt/catalog"
	"hunt/engine/vec"
	"hunt/kql/types"
)

// Options controls a generation run.
type Options struct {
	Table  string
	Events int
	Seed   uint64
	// Now is the end of the generated time range; events fall in
	// [Now-Span, Now).
	Now  time.Time
	Span time.Duration
	// Format is "defender" (streaming-export envelopes), "eventhub"
	// (Event Hub bodies {"records":[…]}), "jsonl" (flat rows) or "csv".
	Format string
	// Gzip compresses with gzip; Compression may say "gzip" or "zstd"
	// instead.
	Gzip        bool
	Compression string
	// Scenarios adds the scenario mix to CloudAppEvents and the device
	// tables: the five benign activities that look like code-repository
	// exfiltration, and exfiltration around the rules' thresholds and
	// through their blind spots.
	Scenarios bool
	// Out is the folder to write into.
	Out string
}

// Row is one generated event: column name to value (string, int64,
// float64, bool, time.Time, or a JSON-able map/slice for dynamic columns).
type Row map[string]any

// Generate writes the data and returns the files written.
func Generate(opt Options) ([]string, error) {
	if opt.Events <= 0 {
		return nil, fmt.Errorf("gen: --events must be positive")
	}
	if opt.Span == 0 {
		opt.Span = 24 * time.Hour
	}
	if opt.Now.IsZero() {
		return nil, fmt.Errorf("gen: a fixed --now is required so that output is reproducible")
	}
	name, ok := catalog.Canonical(opt.Table)
	if !ok {
		return nil, fmt.Errorf("gen: unknown table %q (see the catalog: %s, ...)", opt.Table, strings.Join(catalog.Tables()[:5], ", "))
	}
	schema, _ := catalog.Lookup(name)
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	var rows func(emit func(Row) error) error
	switch name {
	case "CloudAppEvents":
		rows = func(emit func(Row) error) error { return cloudAppEvents(rng, opt, emit) }
	case "DeviceProcessEvents", "DeviceNetworkEvents":
		rows = func(emit func(Row) error) error { return deviceEvents(rng, opt, name, emit) }
	default:
		rows = func(emit func(Row) error) error { return genericRows(rng, opt, schema, emit) }
	}
	compression := opt.Compression
	if opt.Gzip && compression == "" {
		compression = "gzip"
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, err
	}
	var path string
	switch opt.Format {
	case "defender":
		path = filepath.Join(opt.Out, "insights-logs-advancedhunting-"+strings.ToLower(name), "tenantId=00000000-0000-0000-0000-0000000000aa",
			opt.Now.Format("y=2006/m=01/d=02/h=15"), "m=00", "PT1H.json")
	case "eventhub":
		path = filepath.Join(opt.Out, name+".eventhub.json")
	case "jsonl":
		path = filepath.Join(opt.Out, name+".jsonl")
	case "csv":
		path = filepath.Join(opt.Out, name+".csv")
	default:
		return nil, fmt.Errorf("gen: unknown format %q (want defender, eventhub, jsonl or csv)", opt.Format)
	}
	switch compression {
	case "":
	case "gzip":
		path += ".gz"
	case "zstd":
		path += ".zst"
	default:
		return nil, fmt.Errorf("gen: unknown compression %q (want gzip or zstd)", compression)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var w io.Writer = f
	var zw io.WriteCloser
	switch compression {
	case "gzip":
		zw = gzip.NewWriter(f)
		w = zw
	case "zstd":
		zs, err := zstd.NewWriter(f)
		if err != nil {
			return nil, err
		}
		zw, w = zs, zs
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var enc rowEncoder
	switch opt.Format {
	case "defender":
		enc = &defenderEncoder{w: bw, table: name, schema: schema}
	case "eventhub":
		enc = &eventHubEncoder{defenderEncoder{w: bw, table: name, schema: schema}, 0}
	case "jsonl":
		enc = &jsonlEncoder{w: bw, schema: schema}
	case "csv":
		enc = newCSVEncoder(bw, schema)
	}
	if err := rows(enc.write); err != nil {
		return nil, err
	}
	if err := enc.close(); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return nil, err
		}
	}
	return []string{path}, f.Close()
}

type rowEncoder interface {
	write(Row) error
	close() error
}

func appendValue(b []byte, v any, t types.Type) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return types.AppendJSONString(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return types.AppendJSONReal(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case time.Time:
		b = append(b, '"')
		b = x.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		return append(b, '"')
	case *types.Bag, []any:
		return types.AppendJSON(b, x)
	}
	return types.AppendJSONString(b, fmt.Sprint(v))
}

// appendObject writes the row's columns in schema order; absent columns
// are left out, as exports do for empty values.
func appendObject(b []byte, r Row, s vec.Schema) []byte {
	b = append(b, '{')
	first := true
	for _, c := range s {
		v, ok := r[c.Name]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = types.AppendJSONString(b, c.Name)
		b = append(b, ':')
		b = appendValue(b, v, c.Type)
	}
	return append(b, '}')
}

type jsonlEncoder struct {
	w      *bufio.Writer
	schema vec.Schema
	buf    []byte
}

func (e *jsonlEncoder) write(r Row) error {
	e.buf = appendObject(e.buf[:0], r, e.schema)
	e.buf = append(e.buf, '\n')
	_, err := e.w.Write(e.buf)
	return err
}
func (e *jsonlEncoder) close() error { return nil }

// defenderEncoder writes the Defender XDR streaming-export envelope.
type defenderEncoder struct {
	w      *bufio.Writer
	table  string
	schema vec.Schema
	buf    []byte
}

func (e *defenderEncoder) write(r Row) error {
	e.buf = e.envelope(e.buf[:0], r)
	e.buf = append(e.buf, '\r', '\n')
	_, err := e.w.Write(e.buf)
	return err
}

// envelope appends the record's streaming-export envelope to b.
func (e *defenderEncoder) envelope(b []byte, r Row) []byte {
	ts, _ := r["Timestamp"].(time.Time)
	b = append(b, `{"time":`...)
	b = appendValue(b, ts.Add(3*time.Minute), types.DateTime)
	b = append(b, `,"tenantId":"00000000-0000-0000-0000-0000000000aa","operationName":"Publish","category":"AdvancedHunting-`...)
	b = append(b, e.table...)
	b = append(b, `","properties":`...)
	b = appendObject(b, r, e.schema)
	return append(b, `,"Tenant":"DefaultTenant"}`...)
}
func (e *defenderEncoder) close() error { return nil }

// eventHubEncoder writes Event Hub bodies, {"records":[…]} with up to 100
// envelopes each, one body per line.
type eventHubEncoder struct {
	defenderEncoder
	n int
}

func (e *eventHubEncoder) write(r Row) error {
	if e.n == 0 {
		e.buf = append(e.buf[:0], `{"records":[`...)
	} else {
		e.buf = append(e.buf, ',')
	}
	e.buf = e.envelope(e.buf, r)
	e.n++
	if e.n == 100 {
		return e.flush()
	}
	return nil
}

func (e *eventHubEncoder) flush() error {
	if e.n == 0 {
		return nil
	}
	e.buf = append(e.buf, "]}\n"...)
	e.n = 0
	_, err := e.w.Write(e.buf)
	return err
}

func (e *eventHubEncoder) close() error { return e.flush() }

type csvEncoder struct {
	w      *csv.Writer
	schema vec.Schema
	rec    []string
}

func newCSVEncoder(w io.Writer, s vec.Schema) *csvEncoder {
	e := &csvEncoder{w: csv.NewWriter(w), schema: s, rec: make([]string, len(s))}
	e.w.Write(s.Names())
	return e
}

func (e *csvEncoder) write(r Row) error {
	for i, c := range e.schema {
		v, ok := r[c.Name]
		if !ok || v == nil {
			e.rec[i] = ""
			continue
		}
		switch x := v.(type) {
		case string:
			e.rec[i] = x
		case time.Time:
			e.rec[i] = x.UTC().Format("2006-01-02T15:04:05.000Z")
		default:
			e.rec[i] = string(appendValue(nil, v, c.Type))
		}
	}
	return e.w.Write(e.rec)
}

func (e *csvEncoder) close() error {
	e.w.Flush()
	return e.w.Error()
}
