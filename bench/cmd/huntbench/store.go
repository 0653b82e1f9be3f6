package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// storeFormat is hunt's columnar store, made by `hunt import` from the
// plain JSON export. It is not generated with the other formats: only the
// tables the chosen cases read are imported, the first time a run asks
// for them, by the hunt binary being measured.
const storeFormat = "store"

// storeReads is what DuckDB reads for the store format: it has no store,
// so its store figures are its Parquet run.
const storeReads = "parquet"

// knownFormats are the values -formats accepts.
var knownFormats = append(slices.Clone(allFormats), storeFormat)

// storeManifest is the part of hunt-store.json the bench reads: which
// tables the store holds and their part files, for disk_bytes.
type storeManifest struct {
	Version int `json:"version"`
	Tables  []struct {
		Name  string `json:"name"`
		Parts []struct {
			File string `json:"file"`
		} `json:"parts"`
	} `json:"tables"`
}

// prepareStore makes sure the dataset's store holds each of tables,
// importing the plain export of those it lacks with huntBin, and records
// them in the dataset's manifest. A cached table is probed with a query
// first: a store written by an older hunt (another format version) is
// refused by the binary being measured, and is imported again.
func prepareStore(d *dataset, huntBin string, tables []string, logf func(string, ...any)) error {
	dir := d.dir(storeFormat)
	if len(d.Dirs[storeFormat]) > 0 {
		for _, t := range tables {
			if d.Dirs[storeFormat][t] == "" {
				continue
			}
			if err := probeStore(huntBin, dir, t); err != nil {
				logf("the cached store %s is not usable (%v); importing it again", dir, firstLine(err.Error()))
				delete(d.Dirs, storeFormat)
				delete(d.Files, storeFormat)
				d.StoreImportSeconds = nil
				if err := os.RemoveAll(dir); err != nil {
					return err
				}
				break
			}
		}
	}
	imported := false
	for _, t := range tables {
		if d.Dirs[storeFormat][t] != "" && d.storeComplete(t) {
			continue
		}
		logf("importing %s (%d events) into the store %s", t, d.Events, dir)
		start := time.Now()
		cmd, cancel := command(huntBin, "import", "--out", dir, "--data", d.Dirs["json"][t])
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			return fmt.Errorf("hunt import of %s: %v\n%s", t, err, strings.TrimSpace(string(out)))
		}
		took := time.Since(start)
		logf("imported %s in %s", t, took.Round(time.Second))
		if d.StoreImportSeconds == nil {
			d.StoreImportSeconds = map[string]float64{}
		}
		d.StoreImportSeconds[t] = took.Seconds()
		imported = true
	}
	// The parts of every table are read back from the store's own
	// manifest, since an import may rewrite what an earlier one listed.
	m, err := readStoreManifest(dir)
	if err != nil {
		return err
	}
	for _, t := range tables {
		var files []string
		for _, mt := range m.Tables {
			if mt.Name != t {
				continue
			}
			for _, p := range mt.Parts {
				files = append(files, filepath.Join(dir, filepath.FromSlash(p.File)))
			}
		}
		if len(files) == 0 {
			return fmt.Errorf("the store %s holds no %s after importing it", dir, t)
		}
		d.add(storeFormat, t, dir, files)
	}
	if imported {
		return d.save()
	}
	return nil
}

// storeComplete says the recorded part files of a table are all there.
func (d *dataset) storeComplete(table string) bool {
	files := d.Files[storeFormat][table]
	if len(files) == 0 {
		return false
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return true
}

// probeStore runs the cheapest query on a table of the store.
func probeStore(huntBin, dir, table string) error {
	cmd, cancel := command(huntBin, "query", table+" | take 1", "--data", dir, "--format", "json")
	defer cancel()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func readStoreManifest(dir string) (*storeManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "hunt-store.json"))
	if err != nil {
		return nil, err
	}
	var m storeManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "hunt-store.json"), err)
	}
	return &m, nil
}
