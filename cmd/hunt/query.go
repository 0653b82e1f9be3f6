package main

import (
	"fmt"
	"io"
	"os"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/query"
)

func queryCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("query", "hunt query [flags] 'KQL' | -f FILE.kql", stderr)
	var d dataFlags
	d.register(fs)
	file := fs.StringP("file", "f", "", "read the query from `FILE`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var src *syntax.Source
	switch {
	case *file != "" && fs.NArg() == 0:
		text, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		src = syntax.NewSource(*file, string(text))
	case *file == "" && fs.NArg() == 1:
		src = syntax.NewSource("query", fs.Arg(0))
	case *file != "":
		return usagef("query: give the query either with -f or as an argument, not both")
	default:
		return usagef("query: expected one query argument (quote it) or -f FILE; got %d arguments", fs.NArg())
	}
	opt, err := d.options()
	if err != nil {
		return err
	}
	stopProfile, err := startProfile(d.cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	format, err := d.resolveFormat(stdout)
	if err != nil {
		return err
	}
	watch := newWatch(&d, opt, stderr)
	defer watch.finish()
	stdout, stderr = watch.wrap(stdout, stderr)
	p, err := query.Prepare(src, opt)
	if err != nil {
		return err
	}
	if d.plan {
		fmt.Fprint(stderr, plan.Format(p.Plan))
	}
	w, err := newWriter(format, stdout, p.Schema())
	if err != nil {
		return err
	}
	watch.begin("query", p)
	runErr := p.Run(func(b *vec.Batch) error { return w.Write(b) })
	// A table is printed only whole; streamed formats keep the rows
	// written before an error.
	if runErr == nil {
		runErr = w.Close()
	} else if format != "table" {
		w.Close()
	}
	if opt.Stats != nil {
		fmt.Fprint(stderr, opt.Stats.String()+watch.statsTotals())
	}
	if runErr != nil {
		return runErr
	}
	return reportDiagnostics(opt.Diag, d.strict, stderr)
}
