package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hunt/kql/syntax"
	"hunt/query"
	"hunt/rules"
)

type checkError struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

type checkResult struct {
	File   string       `json:"file"`
	OK     bool         `json:"ok"`
	Errors []checkError `json:"errors"`
	// Columns is the result schema ("name:type", ...) of a clean query.
	Columns []string `json:"columns,omitempty"`
}

func checkCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "hunt check [--syntax-only] [--format text|json] PATH ...", stderr)
	syntaxOnly := fs.Bool("syntax-only", false, "only parse; do not resolve tables, columns and functions")
	format := fs.String("format", "text", "report `FORMAT`: text or json (one object per file)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("check: --format %q: want text or json", *format)
	}
	if fs.NArg() == 0 {
		return usagef("check: give at least one .kql or rule file or folder")
	}
	files, err := checkFiles(fs.Args())
	if err != nil {
		return err
	}
	bad := 0
	enc := json.NewEncoder(stdout)
	for _, f := range files {
		res, rendered := checkFile(f, *syntaxOnly)
		if !res.OK {
			bad++
		}
		if *format == "json" {
			if res.Errors == nil {
				res.Errors = []checkError{}
			}
			enc.Encode(res)
			continue
		}
		for _, r := range rendered {
			fmt.Fprintln(stdout, r)
		}
	}
	if *format == "text" {
		fmt.Fprintf(stderr, "%d file(s) checked, %d with errors\n", len(files), bad)
	}
	if bad > 0 {
		return &silentError{code: exitError}
	}
	return nil
}

func checkFile(path string, syntaxOnly bool) (checkResult, []string) {
	res := checkResult{File: path, OK: true}
	var src *syntax.Source
	if strings.HasSuffix(strings.ToLower(path), ".kql") {
		text, err := os.ReadFile(path)
		if err != nil {
			res.OK = false
			res.Errors = append(res.Errors, checkError{Message: err.Error()})
			return res, []string{path + ": " + err.Error()}
		}
		src = syntax.NewSource(path, string(text))
	} else {
		r, err := rules.Load(path)
		if err != nil {
			res.OK = false
			res.Errors = append(res.Errors, checkError{Line: 1, Col: 1, Message: err.Error()})
			return res, []string{err.Error()}
		}
		src = r.Source
	}
	var list syntax.ErrorList
	if syntaxOnly {
		_, list = syntax.Parse(src)
		list.Sort()
	} else {
		p, err := query.Prepare(src, query.Options{CheckOnly: true})
		if err == nil && p.Plan != nil {
			for _, c := range p.Schema() {
				res.Columns = append(res.Columns, c.Name+":"+c.Type.String())
			}
		}
		var qe *query.Error
		if errors.As(err, &qe) {
			list = qe.List
		} else if err != nil {
			list = syntax.ErrorList{&syntax.Error{Pos: syntax.Position{Filename: path, Line: 1, Column: 1}, Msg: err.Error()}}
		}
	}
	var rendered []string
	for _, e := range list {
		res.OK = false
		res.Errors = append(res.Errors, checkError{Line: e.Pos.Line, Col: e.Pos.Column, Message: e.Msg})
		rendered = append(rendered, query.Render(src, e))
	}
	return res, rendered
}

func checkFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		filepath.WalkDir(a, func(p string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !de.IsDir() {
				ext := strings.ToLower(filepath.Ext(p))
				if ext == ".kql" || (isRuleFile(p)) {
					found = append(found, p)
				}
			}
			return nil
		})
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
