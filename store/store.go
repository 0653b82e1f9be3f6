package store

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/plan"
)

// Store is an opened store: its manifest, read once. Part files are
// opened by the scans that need them.
type Store struct {
	dir    string
	tables map[string]*tableMeta
	names  []string
}

// Open opens the store in dir.
func Open(dir string) (*Store, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, tables: map[string]*tableMeta{}}
	for _, t := range m.Tables {
		s.tables[t.Name] = t
		s.names = append(s.names, t.Name)
	}
	sort.Strings(s.names)
	return s, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Names returns the table names, sorted.
func (s *Store) Names() []string { return append([]string(nil), s.names...) }

// table finds a table by exact name, else by the only case-insensitive
// match, as source.Set does.
func (s *Store) table(name string) (*tableMeta, bool) {
	if t, ok := s.tables[name]; ok {
		return t, true
	}
	var found *tableMeta
	for n, t := range s.tables {
		if strings.EqualFold(n, name) {
			if found != nil {
				return nil, false
			}
			found = t
		}
	}
	return found, found != nil
}

// Has reports whether the store holds table name.
func (s *Store) Has(name string) bool {
	_, ok := s.table(name)
	return ok
}

// Schema returns the columns of table name.
func (s *Store) Schema(name string) (vec.Schema, bool) {
	t, ok := s.table(name)
	if !ok {
		return nil, false
	}
	sc, err := t.schema()
	return sc, err == nil
}

// TableInfo summarizes one table of a store.
type TableInfo struct {
	Name  string
	Rows  int64
	Parts int
	Bytes int64
}

// Info lists the tables with their sizes.
func (s *Store) Info() []TableInfo {
	var out []TableInfo
	for _, n := range s.names {
		t := s.tables[n]
		ti := TableInfo{Name: n, Parts: len(t.Parts)}
		for _, p := range t.Parts {
			ti.Rows += p.Rows
			ti.Bytes += p.Bytes
		}
		out = append(out, ti)
	}
	return out
}

// Open starts a scan of the table scan names, producing exactly its
// columns in order. Its filters prune parts, blocks and rows; its paths
// limit the bags built from dynamic columns. The source can be split
// (exec.Splitter).
func (s *Store) Open(scan *plan.Scan) (exec.Source, error) {
	t, ok := s.table(scan.Table)
	if !ok {
		return nil, fmt.Errorf("store %s: no table %s", s.dir, scan.Table)
	}
	sp, err := newScanPlan(s, t, scan)
	if err != nil {
		return nil, err
	}
	return newScanner(sp, sp.parts(), defaultWorkers()), nil
}

func (s *Store) partPath(p partMeta) string {
	return filepath.Join(s.dir, filepath.FromSlash(p.File))
}
