package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"hunt/ruletest"
)

// testCmd runs rule tests: *.test.yaml files with fixture events and
// expected rows (see package ruletest for the format).
func testCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("test", "hunt test [flags] [PATH ...]", stderr)
	junit := fs.String("junit", "", "also write a JUnit XML report to `FILE` (for CI systems)")
	verbose := fs.BoolP("verbose", "v", false, "list every case, not only the failing ones")
	runRe := fs.String("run", "", "run only the cases whose name matches `REGEXP`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var keep func(string) bool
	if *runRe != "" {
		re, err := regexp.Compile(*runRe)
		if err != nil {
			return usagef("--run %q: %v", *runRe, err)
		}
		keep = re.MatchString
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, err := ruletest.Find(paths)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no rule tests (*.test.yaml) in %s", strings.Join(paths, ", "))
	}
	var all []ruletest.Result
	passed, failed := 0, 0
	for _, f := range files {
		results := ruletest.RunFile(f, keep)
		if len(results) == 0 {
			continue // --run selected none of its cases
		}
		all = append(all, results...)
		bad := 0
		for _, r := range results {
			if !r.Passed() {
				bad++
			}
		}
		passed += len(results) - bad
		failed += bad
		switch {
		case bad == 0:
			fmt.Fprintf(stdout, "ok    %s  (%d case%s)\n", f, len(results), plural(len(results)))
		case len(results) == 1 && results[0].Case == "":
			fmt.Fprintf(stdout, "FAIL  %s\n%s\n", f, indentLines(results[0].Failure, "      "))
		default:
			fmt.Fprintf(stdout, "FAIL  %s  (%d case%s, %d failed)\n", f, len(results), plural(len(results)), bad)
		}
		for _, r := range results {
			if r.Case == "" {
				continue
			}
			if !r.Passed() {
				fmt.Fprintf(stdout, "  --- FAIL: %s (%s)\n%s\n", r.Case, r.At, indentLines(r.Failure, "      "))
			} else if *verbose {
				fmt.Fprintf(stdout, "  --- ok:   %s\n", r.Case)
			}
		}
	}
	if *junit != "" {
		out, err := os.Create(*junit)
		if err != nil {
			return err
		}
		if err := ruletest.WriteJUnit(out, all); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return &silentError{code: exitError}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func indentLines(s, pad string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}
