// Command corpusrun executes every query of the shared hunting corpus
// against generated data and regenerates docs/corpus.md with the figures:
//
//	go run ./cmd/corpusrun                     # from the repository root
//	go run ./cmd/corpusrun -v -filter reprise99 -out ''
//
// It needs no network: the data is written by hunt's own generator into a
// temporary folder.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"hunt/corpusrun"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "corpus `DIR` (with REFERENCE.tsv)")
	out := flag.String("out", "docs/corpus.md", "report `FILE` to write; empty to skip")
	rows := flag.Int("rows", 200, "rows generated per table")
	data := flag.String("data", "", "use generated data in `DIR` instead of a fresh temporary folder")
	filter := flag.String("filter", "", "run only files whose path contains `S`")
	timeout := flag.Duration("timeout", 30*time.Second, "time limit per query")
	verbose := flag.Bool("v", false, "list every query that did not run, with its error")
	flag.Parse()
	if err := run(*corpus, *out, *data, *filter, *rows, *timeout, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "corpusrun:", err)
		os.Exit(1)
	}
}

func run(corpus, out, data, filter string, rows int, timeout time.Duration, verbose bool) error {
	tmp, err := os.MkdirTemp("", "hunt-corpus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if data == "" {
		data = filepath.Join(tmp, "tables")
		if err := corpusrun.GenerateData(data, rows, corpusrun.DefaultNow); err != nil {
			return err
		}
	}
	// Every externaldata URL reads this empty file instead of the web.
	empty := filepath.Join(tmp, "externaldata.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		return err
	}
	start := time.Now()
	rs, err := corpusrun.Run(corpusrun.Options{
		Corpus: corpus, Data: data, Now: corpusrun.DefaultNow, Timeout: timeout,
		MaxMemory: 1 << 30, Filter: filter, ExternalFile: empty,
	})
	if err != nil {
		return err
	}
	if verbose {
		sorted := append([]corpusrun.Result(nil), rs...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Status < sorted[j].Status })
		for _, r := range sorted {
			if r.Status != corpusrun.Ran {
				clean := ""
				if r.RefClean {
					clean = " [ref-clean]"
				}
				fmt.Printf("%s\t%s%s\t%s\t%s\n", r.File, r.Status, clean, r.Feature, r.Message)
			}
		}
	}
	s := corpusrun.Summarize(rs)
	fmt.Printf("%d queries in %s: %d ran, %d unsupported, %d failed, %d timed out, %d crashed\n",
		s.Total, time.Since(start).Round(time.Millisecond), s.Ran, s.Unsupported, s.Failed, s.Timeout, s.Crashed)
	fmt.Printf("reference-clean: %d of %d ran (%.1f%%); %d ran with externaldata bound to an empty file\n", s.RefCleanRan, s.RefClean, s.RefCleanShare(), s.External)
	if out == "" || filter != "" {
		return nil
	}
	var b bytes.Buffer
	corpusrun.WriteMarkdown(&b, rs, rows)
	return os.WriteFile(out, b.Bytes(), 0o644)
}
