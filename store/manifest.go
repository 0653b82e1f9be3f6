package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// ManifestName is the file that makes a folder a store.
const ManifestName = "hunt-store.json"

const manifestFormat = "hunt-store"

// manifest is the JSON content of hunt-store.json: what a store holds.
// Part files not listed in it (left by an import that did not finish)
// are ignored.
type manifest struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Tables  []*tableMeta `json:"tables"`
}

type tableMeta struct {
	Name string `json:"name"`
	// Dir is the folder of the table's parts, relative to the store.
	Dir string `json:"dir"`
	// TimeColumn is the column parts are bucketed and pruned by: Timestamp,
	// else TimeGenerated, else none.
	TimeColumn string       `json:"timeColumn,omitempty"`
	Columns    []columnMeta `json:"columns"`
	Parts      []partMeta   `json:"parts"`
}

type columnMeta struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type partMeta struct {
	// File is the part's path relative to the store, with forward slashes.
	File  string `json:"file"`
	Rows  int64  `json:"rows"`
	Bytes int64  `json:"bytes"`
	// MinTime and MaxTime bound the time column's non-null values; both
	// are absent when the part has none.
	MinTime string `json:"minTime,omitempty"`
	MaxTime string `json:"maxTime,omitempty"`

	minT, maxT int64
	hasTime    bool
}

// IsStore reports whether path is a folder holding a store.
func IsStore(path string) bool {
	st, err := os.Stat(filepath.Join(path, ManifestName))
	return err == nil && st.Mode().IsRegular()
}

func readManifest(dir string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("store %s: %s is damaged: %v", dir, ManifestName, err)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("store %s: %s is not a hunt store manifest", dir, ManifestName)
	}
	if m.Version != formatVersion {
		return nil, fmt.Errorf("store %s: format version %d; this hunt reads version %d", dir, m.Version, formatVersion)
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		if t == nil || t.Name == "" || seen[t.Name] {
			return nil, fmt.Errorf("store %s: %s lists a table twice or without a name", dir, ManifestName)
		}
		seen[t.Name] = true
		if _, err := t.schema(); err != nil {
			return nil, fmt.Errorf("store %s: table %s: %v", dir, t.Name, err)
		}
		for i := range t.Parts {
			p := &t.Parts[i]
			if !localPath(p.File) {
				return nil, fmt.Errorf("store %s: table %s: part path %q leaves the store", dir, t.Name, p.File)
			}
			if p.MinTime != "" || p.MaxTime != "" {
				lo, ok1 := types.ParseDatetime(p.MinTime)
				hi, ok2 := types.ParseDatetime(p.MaxTime)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("store %s: table %s: part %s has a bad time range", dir, t.Name, p.File)
				}
				p.minT, p.maxT, p.hasTime = lo, hi, true
			}
		}
	}
	return &m, nil
}

// localPath reports whether a manifest path stays inside the store.
func localPath(p string) bool {
	return p != "" && filepath.IsLocal(filepath.FromSlash(p)) && !strings.Contains(p, `\`)
}

func (t *tableMeta) schema() (vec.Schema, error) {
	s := make(vec.Schema, 0, len(t.Columns))
	seen := map[string]bool{}
	for _, c := range t.Columns {
		ty, ok := types.Parse(c.Type)
		if !ok || c.Name == "" || seen[c.Name] {
			return nil, fmt.Errorf("bad column %q of type %q", c.Name, c.Type)
		}
		seen[c.Name] = true
		s = append(s, vec.Column{Name: c.Name, Type: ty})
	}
	return s, nil
}

// writeManifest replaces the manifest atomically: readers see the old or
// the new one, never a half-written file.
func writeManifest(dir string, m *manifest) error {
	sort.Slice(m.Tables, func(i, j int) bool { return m.Tables[i].Name < m.Tables[j].Name })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, ManifestName+".tmp")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ManifestName))
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

var errNoManifest = errors.New("no manifest")

// loadOrNew reads dir's manifest, or starts an empty one when dir holds
// none.
func loadOrNew(dir string) (*manifest, error) {
	m, err := readManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &manifest{Format: manifestFormat, Version: formatVersion}, nil
	}
	return m, err
}
