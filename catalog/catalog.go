// Package catalog holds the table schemas shipped in the binary: the
// Defender XDR and Sentinel tables that hunting queries name, with their
// column types. Readers use them to type the columns they decode; the
// analyzer uses them to resolve names before any data is read.
package catalog

import (
	_ "embed"
	"sort"
	"strings"
	"sync"

	"hunt/engine/vec"
	"hunt/kql/types"
)

//go:embed tables.txt
var tablesText string

var (
	loadOnce sync.Once
	tables   map[string]vec.Schema // by exact name
	byLower  map[string]string     // lower-case name -> exact name
)

func load() {
	tables = map[string]vec.Schema{}
	byLower = map[string]string{}
	for _, line := range strings.Split(tablesText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		var s vec.Schema
		for _, f := range fields[1:] {
			name, typ, ok := strings.Cut(f, ":")
			if !ok {
				continue
			}
			t, ok := types.Parse(typ)
			if !ok {
				t = types.Dynamic
			}
			s = append(s, vec.Column{Name: name, Type: t})
		}
		tables[fields[0]] = s
		byLower[strings.ToLower(fields[0])] = fields[0]
	}
}

// Lookup returns the schema of the table with exactly this name.
func Lookup(name string) (vec.Schema, bool) {
	loadOnce.Do(load)
	s, ok := tables[name]
	return s, ok
}

// Canonical returns the catalog's spelling of a table name matched
// case-insensitively (as in export folder names such as
// "insights-logs-advancedhunting-cloudappevents").
func Canonical(name string) (string, bool) {
	loadOnce.Do(load)
	n, ok := byLower[strings.ToLower(name)]
	return n, ok
}

// Tables returns every table name in the catalog, sorted.
func Tables() []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(tables))
	for n := range tables {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
