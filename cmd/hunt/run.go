package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/output"
	"hunt/query"
	"hunt/rules"
)

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "hunt run [flags] RULE.yaml|DIR ...", stderr)
	var d dataFlags
	d.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("run: give at least one rule file or folder")
	}
	paths, err := ruleFiles(fs.Args())
	if err != nil {
		return err
	}
	opt, err := d.options()
	if err != nil {
		return err
	}
	format, err := d.resolveFormat(stdout)
	if err != nil {
		return err
	}
	failed := 0
	for _, path := range paths {
		if err := runRule(path, opt, &d, format, len(paths) > 1, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, prefixed(err.Error()))
			failed++
		}
	}
	if opt.Stats != nil {
		fmt.Fprint(stderr, opt.Stats.String())
	}
	if err := reportDiagnostics(opt.Diag, d.strict, stderr); err != nil {
		return err
	}
	if failed > 0 {
		return &silentError{code: exitError}
	}
	return nil
}

func runRule(path string, opt query.Options, d *dataFlags, format string, many bool, stdout, stderr io.Writer) error {
	r, err := rules.Load(path)
	if err != nil {
		return err
	}
	p, err := query.Prepare(r.Source, opt)
	if err != nil {
		return err
	}
	if d.plan {
		fmt.Fprintf(stderr, "plan of %s:\n%s", path, plan.Format(p.Plan))
	}
	var w output.Writer
	switch format {
	case "json":
		j := output.NewJSON(stdout, p.Schema())
		var pre []byte
		pre = append(pre, `{"rule":{"id":`...)
		pre = types.AppendJSONString(pre, r.ID)
		pre = append(pre, `,"name":`...)
		pre = types.AppendJSONString(pre, r.Name)
		pre = append(pre, `},"row":`...)
		j.SetWrap(string(pre), "}")
		w = j
	case "csv":
		w, err = output.NewCSV(stdout, p.Schema())
		if err != nil {
			return err
		}
	default:
		fmt.Fprintf(stdout, "%s (%s)\n", r.Name, filepath.Base(path))
		w = output.NewTable(stdout, p.Schema())
	}
	runErr := p.Run(func(b *vec.Batch) error { return w.Write(b) })
	// A table is printed only whole; streamed formats keep the rows
	// written before an error.
	if runErr == nil {
		runErr = w.Close()
	} else if format != "table" {
		w.Close()
	}
	if format == "table" && many {
		fmt.Fprintln(stdout)
	}
	if runErr != nil {
		return fmt.Errorf("%s: %w", path, runErr)
	}
	return nil
}

// ruleFiles expands folders into the rule files below them, sorted.
func ruleFiles(args []string) ([]string, error) {
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
		err = filepath.WalkDir(a, func(p string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() && p != a && strings.HasPrefix(de.Name(), ".") {
				return filepath.SkipDir
			}
			if !de.IsDir() && isRuleFile(p) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, errors.New(a + ": no rule files (.yaml, .yml) in this folder")
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func isRuleFile(p string) bool {
	if strings.HasSuffix(p, ".test.yaml") || strings.HasSuffix(p, ".tuning.yaml") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}
