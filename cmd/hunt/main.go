// Command hunt runs Microsoft Sentinel and Defender XDR hunting rules
// (KQL) over exported security logs.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"hunt/internal/suggest"
)

// Exit codes scripts can rely on.
const (
	exitOK    = 0
	exitError = 1 // query, rule or data error
	exitUsage = 2
)

// usageError marks a mistake in the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands []*command

func init() {
	commands = []*command{
		{"run", "run Sentinel rule files (YAML) over exported data", runCmd},
		{"query", "run an ad-hoc KQL query over exported data", queryCmd},
		{"check", "parse and analyze .kql and rule files and report errors", checkCmd},
		{"test", "run rule tests (*.test.yaml): fixtures, expected rows, tuning", testCmd},
		{"import", "convert exports into a columnar store for fast repeated hunting", importCmd},
		{"gen", "write synthetic data for any table (CloudAppEvents with exfiltration scenarios)", genCmd},
		{"version", "print the version", func([]string, io.Writer, io.Writer) error { fmt.Println("hunt " + version); return nil }},
	}
}

const version = "0.1.0"

func main() {
	os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr))
}

func mainExit(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return mainExit([]string{args[1], "--help"}, stdout, stderr)
		}
		printUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	name := args[0]
	for _, c := range commands {
		if c.name == name {
			err := c.run(args[1:], stdout, stderr)
			return report(err, stderr)
		}
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	fmt.Fprintf(stderr, "hunt: unknown command %q%s\nRun 'hunt --help' for usage.\n", name, didYouMean(name, names))
	return exitUsage
}

func report(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "hunt: %s\n", ue.msg)
		return exitUsage
	}
	var se *silentError
	if errors.As(err, &se) {
		return se.code
	}
	fmt.Fprintf(stderr, "%s\n", prefixed(err.Error()))
	return exitError
}

// silentError carries an exit code whose message was already printed.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// prefixed puts "hunt: " before a one-line message; positioned errors
// (file:line:col) are printed as they are, as compilers do.
func prefixed(msg string) string {
	first := strings.SplitN(msg, "\n", 2)[0]
	if strings.Count(first, ":") >= 3 {
		return msg
	}
	return "hunt: " + msg
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `hunt runs Microsoft Sentinel and Defender XDR hunting rules (KQL) over your
own exported logs and returns the rows Kusto would return.

Usage:
  hunt <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  hunt run rules/code-repo-exfil.yaml --data examples/data --now 2026-11-25T12:00:00Z
  hunt query 'CloudAppEvents | summarize count() by ActionType' --data exports/
  hunt check rules/

Run 'hunt <command> --help' for the flags of a command.
Exit codes: 0 success (with or without rows), 1 query, rule or data error, 2 usage error.
`)
}

// didYouMean suggests the closest name.
func didYouMean(name string, names []string) string {
	if best := suggest.Closest(name, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// newFlags returns a flag set that accepts flags before and after the
// positional arguments and reports unknown flags with a suggestion.
func newFlags(name, usage string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetInterspersed(true)
	fs.SetOutput(stderr)
	usageLines[name] = usage
	return fs
}

// parseFlags parses args and turns pflag's errors into usage errors.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, pflag.ErrHelp) {
		fs.SetOutput(os.Stdout)
		fs.Usage = usageTo(fs, os.Stdout)
		fs.Usage()
		return err
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown flag: ") {
		flag := strings.TrimPrefix(strings.TrimPrefix(msg, "unknown flag: "), "--")
		var names []string
		fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		sort.Strings(names)
		if s := didYouMean(flag, names); s != "" {
			msg += strings.Replace(s, `"`+"", `"--`, 1)
		}
	}
	return usagef("%s: %s (see 'hunt %s --help')", fs.Name(), msg, fs.Name())
}

var usageLines = map[string]string{}

func usageTo(fs *pflag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", usageLines[fs.Name()])
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
