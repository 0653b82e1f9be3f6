package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"hunt/source"
	"hunt/store"
)

func importCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "hunt import --out STORE --data PATH... [--table NAME=PATH]", stderr)
	out := fs.String("out", "", "store `DIR` to create or add to")
	data := fs.StringArray("data", nil, "data `PATH`: a file or folder (recursed); repeatable")
	tables := fs.StringArray("table", nil, "bind files to a table: `NAME=PATH`; repeatable")
	strict := fs.Bool("strict", false, "fail, adding nothing, when any input line is malformed")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `FILE`")
	fs.MarkHidden("cpuprofile")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("import: --out STORE is required")
	}
	if fs.NArg() > 0 {
		return usagef("import: unexpected argument %q (give data with --data)", fs.Arg(0))
	}
	if len(*data) == 0 && len(*tables) == 0 {
		return usagef("import: give the exports to import with --data PATH or --table NAME=PATH")
	}
	so := source.Options{Paths: *data, Tables: map[string][]string{}}
	for _, tb := range *tables {
		name, path, ok := strings.Cut(tb, "=")
		if !ok || name == "" || path == "" {
			return usagef("--table %q: want NAME=PATH", tb)
		}
		so.Tables[name] = append(so.Tables[name], path)
	}
	for _, p := range append(append([]string(nil), *data...), tableValues(*tables)...) {
		if store.IsStore(p) {
			return usagef("import: %s is a store, not an export", p)
		}
	}
	stopProfile, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	set, err := source.Discover(so)
	if err != nil {
		return err
	}
	w, err := store.Create(*out)
	if err != nil {
		return err
	}
	diag := &source.Diagnostics{}
	start := time.Now()
	stats, err := store.Import(w, set, diag, nil)
	if err == nil {
		err = reportDiagnostics(diag, *strict, stderr)
	}
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.Commit(); err != nil {
		return err
	}
	var total int64
	for _, s := range stats {
		fmt.Fprintf(stdout, "%s: %d rows\n", s.Table, s.Rows)
		total += s.Rows
	}
	st, err := store.Open(*out)
	if err != nil {
		return err
	}
	var bytes int64
	for _, ti := range st.Info() {
		bytes += ti.Bytes
	}
	fmt.Fprintf(stderr, "hunt: imported %d rows in %s; %s now holds %d table(s), %.1f MiB\n",
		total, time.Since(start).Round(time.Millisecond), *out, len(st.Names()), float64(bytes)/(1<<20))
	return nil
}

func tableValues(tables []string) []string {
	var out []string
	for _, tb := range tables {
		if _, p, ok := strings.Cut(tb, "="); ok {
			out = append(out, p)
		}
	}
	return out
}
