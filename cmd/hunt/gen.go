package main

import (
	"fmt"
	"io"
	"time"

	"hunt/gen"
)

func genCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", "hunt gen [flags] --out DIR", stderr)
	table := fs.String("table", "CloudAppEvents", "`TABLE` to generate (any table of the catalog)")
	events := fs.Int("events", 10000, "number of events")
	seed := fs.Uint64("seed", 1, "random `SEED`; the same seed and --now give the same files")
	now := fs.String("now", "2026-11-25T12:00:00Z", "end of the generated time range (RFC 3339)")
	span := fs.Duration("span", 24*time.Hour, "length of the time range the events fall in")
	format := fs.String("format", "defender", "`FORMAT`: defender (streaming export), jsonl or csv")
	gz := fs.Bool("gzip", false, "gzip the output")
	out := fs.String("out", "", "output `DIR` (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("gen: --out DIR is required")
	}
	if fs.NArg() > 0 {
		return usagef("gen: unexpected argument %q", fs.Arg(0))
	}
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		return usagef("gen: --now %q: want RFC 3339", *now)
	}
	files, err := gen.Generate(gen.Options{Table: *table, Events: *events, Seed: *seed, Now: t.UTC(), Span: *span, Format: *format, Gzip: *gz, Out: *out})
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}
