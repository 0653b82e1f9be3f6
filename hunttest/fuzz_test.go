package hunttest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hunt/engine/exec"
	"hunt/kql/syntax"
	"hunt/query"
)

// FuzzQuery feeds arbitrary query text through parse, analysis and
// execution over the tables of the script tests. Any outcome but a crash
// or an internal error is fine.
func FuzzQuery(f *testing.F) {
	files, _ := filepath.Glob("../testdata/queries/*.test")
	tables := &Script{}
	for _, file := range files {
		s, err := Parse(file)
		if err != nil {
			f.Fatal(err)
		}
		if tables.Tables == nil {
			tables = s
		} else {
			for n, b := range s.Tables {
				tables.Tables[n] = b
				tables.Schemas[n] = s.Schemas[n]
			}
		}
		for _, r := range s.Records {
			f.Add(r.Query)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 || strings.Contains(text, "range") {
			return // keep each run small; range can be asked for huge outputs
		}
		opt := query.Options{Tables: tables.Tables, TableSchemas: tables.Schemas, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), MaxMemory: 64 << 20}
		p, err := query.Prepare(syntax.NewSource("fuzz", text), opt)
		if err != nil {
			if _, ok := err.(*exec.InternalError); ok {
				t.Fatalf("internal error preparing %q: %v\n%s", text, err, err.(*exec.InternalError).Stack)
			}
			return
		}
		if p.Plan == nil {
			return
		}
		if _, err := p.Collect(); err != nil {
			if ie, ok := err.(*exec.InternalError); ok {
				t.Fatalf("internal error running %q: %v\n%s", text, err, ie.Stack)
			}
		}
	})
}
