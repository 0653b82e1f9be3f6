package query

import (
	"crypto/sha1"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"hunt/engine/vec"
	"hunt/internal/suggest"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// Watchlist is a Sentinel watchlist loaded from a CSV file. As in
// Sentinel, _GetWatchlist('alias') yields one row per item: _DTItemId,
// LastUpdatedTimeUTC, SearchKey (the value of the search-key column) and
// every CSV column as a string, in the file's order.
type Watchlist struct {
	Alias     string
	SearchKey string
	Columns   []string
	Rows      [][]string
}

// CheckAlias enforces Sentinel's rule for watchlist aliases: 3 to 64
// characters, letters or digits first and last, spaces, '-' and '_'
// allowed inside.
func CheckAlias(alias string) error {
	ok := len(alias) >= 3 && len(alias) <= 64
	for i, r := range alias {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		inner := r == ' ' || r == '-' || r == '_'
		if !alnum && (!inner || i == 0 || i == len(alias)-1) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("watchlist alias %q: Sentinel aliases are 3 to 64 characters, letters or digits first and last, with spaces, '-' or '_' inside", alias)
	}
	return nil
}

// LoadWatchlist reads a CSV with a header row. searchKey names the column
// copied into SearchKey; "" means the first column.
func LoadWatchlist(alias, path, searchKey string) (*Watchlist, error) {
	if err := CheckAlias(alias); err != nil {
		return nil, err
	}
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
	seen := map[string]bool{}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
		if header[i] == "" {
			return nil, fmt.Errorf("watchlist %s: %s: header column %d has no name", alias, path, i+1)
		}
		if seen[header[i]] {
			return nil, fmt.Errorf("watchlist %s: %s: the header names %s twice", alias, path, header[i])
		}
		seen[header[i]] = true
	}
	w := &Watchlist{Alias: alias, Columns: header, SearchKey: searchKey}
	if w.SearchKey == "" && len(header) > 0 {
		w.SearchKey = header[0]
	}
	if !seen[w.SearchKey] {
		hint := ""
		if best := suggest.Closest(w.SearchKey, header); best != "" {
			hint = fmt.Sprintf("; did you mean %s?", best)
		}
		return nil, fmt.Errorf("watchlist %s: %s has no column %q for the search key%s (columns: %s)", alias, path, w.SearchKey, hint, strings.Join(header, ", "))
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

// watchlistNode is the table _GetWatchlist(alias) returns.
func watchlistNode(ws map[string]*Watchlist, alias string) (plan.Node, error) {
	w, ok := ws[alias]
	if !ok {
		var names []string
		for n := range ws {
			names = append(names, n)
		}
		sort.Strings(names)
		hint := ""
		if best := suggest.Closest(alias, names); best != "" {
			hint = fmt.Sprintf("; did you mean '%s'?", best)
		}
		return nil, fmt.Errorf("unknown watchlist '%s'%s (bound: %s)", alias, hint, strings.Join(names, ", "))
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
		r := []any{itemID(w.Alias, i), nil, rec[keyIdx]}
		for _, cell := range rec {
			r = append(r, cell)
		}
		rows[i] = r
	}
	return &plan.Values{Cols: schema, Rows: rows}, nil
}

// itemID gives watchlist item i a GUID, as Sentinel's items have; derived
// from the alias and position, so that runs agree.
func itemID(alias string, i int) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("%s\x00%d", alias, i)))
	var g types.GuidVal
	copy(g[:], sum[:16])
	g[6] = g[6]&0x0f | 0x50
	g[8] = g[8]&0x3f | 0x80
	return types.FormatGuid(g)
}
