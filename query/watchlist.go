package query

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// Watchlist is a Sentinel watchlist loaded from a CSV file. As in
// Sentinel, _GetWatchlist('alias') yields one row per item with SearchKey
// (the value of the search-key column) and every CSV column as a string.
type Watchlist struct {
	Alias     string
	SearchKey string
	Columns   []string
	Rows      [][]string
}

// LoadWatchlist reads a CSV with a header row. searchKey names the column
// copied into SearchKey; "" means the first column.
func LoadWatchlist(alias, path, searchKey string) (*Watchlist, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("watchlist %s: %w", alias, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("watchlist %s: %s: reading the header row: %w", alias, path, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	w := &Watchlist{Alias: alias, Columns: header, SearchKey: searchKey}
	if w.SearchKey == "" && len(header) > 0 {
		w.SearchKey = header[0]
	}
	found := false
	for _, h := range header {
		if h == w.SearchKey {
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("watchlist %s: %s has no column %q (columns: %s)", alias, path, w.SearchKey, strings.Join(header, ", "))
	}
	line := 1
	for {
		rec, err := r.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("watchlist %s: %s:%d: %w", alias, path, line, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("watchlist %s: %s:%d: %d cells, the header has %d", alias, path, line, len(rec), len(header))
		}
		w.Rows = append(w.Rows, rec)
	}
	return w, nil
}

func watchlistNode(ws map[string]*Watchlist, alias string) (plan.Node, error) {
	w, ok := ws[alias]
	if !ok {
		var names []string
		for n := range ws {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("unknown watchlist '%s' (bound: %s)", alias, strings.Join(names, ", "))
	}
	schema := vec.Schema{{Name: "_DTItemId", Type: types.String}, {Name: "LastUpdatedTimeUTC", Type: types.DateTime}, {Name: "SearchKey", Type: types.String}}
	keyIdx := 0
	for i, c := range w.Columns {
		if c == w.SearchKey {
			keyIdx = i
		}
		name := c
		if schema.Index(name) >= 0 {
			name = c + "1"
		}
		schema = append(schema, vec.Column{Name: name, Type: types.String})
	}
	rows := make([][]any, len(w.Rows))
	for i, rec := range w.Rows {
		r := []any{fmt.Sprintf("%s-%d", w.Alias, i+1), nil, rec[keyIdx]}
		for _, cell := range rec {
			r = append(r, cell)
		}
		rows[i] = r
	}
	return &plan.Values{Cols: schema, Rows: rows}, nil
}
