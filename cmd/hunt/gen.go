package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"hunt/gen"
)

func genCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", "hunt gen [flags] --out DIR", stderr)
	table := fs.String("table", "CloudAppEvents", "`TABLES` to generate, comma-separated (any table of the catalog)")
	events := fs.Int("events", 10000, "number of events per table")
	seed := fs.Uint64("seed", 1, "random `SEED`; the same seed and --now give the same files")
	now := fs.String("now", "2026-11-25T12:00:00Z", "end of the generated time range (RFC 3339)")
	span := fs.Duration("span", 24*time.Hour, "length of the time range the events fall in")
	format := fs.String("format", "defender", "`FORMAT`: defender (streaming export), eventhub ({\"records\":[…]} bodies), jsonl or csv")
	gz := fs.Bool("gzip", false, "gzip the output (same as --compress gzip)")
	compress := fs.String("compress", "", "compress the output: `gzip` or zstd")
	scenarios := fs.Bool("scenarios", false, "add the scenario mix to CloudAppEvents, DeviceProcessEvents and DeviceNetworkEvents: the five benign look-alikes of code-repository exfiltration and exfiltration around the thresholds")
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
	if *gz && *compress != "" && *compress != "gzip" {
		return usagef("gen: --gzip and --compress %s disagree", *compress)
	}
	for _, name := range strings.Split(*table, ",") {
		files, err := gen.Generate(gen.Options{Table: strings.TrimSpace(name), Events: *events, Seed: *seed, Now: t.UTC(), Span: *span,
			Format: *format, Gzip: *gz, Compression: *compress, Scenarios: *scenarios, Out: *out})
		if err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintln(stdout, f)
		}
	}
	return nil
}
