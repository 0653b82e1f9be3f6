// Package ruletest runs rule tests: YAML files beside a rule with fixture
// events, a pinned clock, parameters, watchlists, tuning, and the rows the
// rule must return. `hunt test` and `go test` run the same files.
//
// A test file (NAME.test.yaml):
//
//	rule: code-repo-exfil-web.yaml     # relative to this file
//	now: 2026-11-25T12:00:00Z          # pins now() and ago()
//	tuning: ../examples/tuning/code-repo-exfil.tuning.yaml  # optional
//	set: {filesThreshold: 10}          # let overrides, like --set
//	watchlists:                        # like --watchlist
//	  KnownCodeHosts: watchlists/known-code-hosts.csv:Domain
//	  Admins: {key: Id, rows: [{Id: a1, Name: Ann}]}
//	defaults:                          # merged under every inline row
//	  CloudAppEvents: {ApplicationId: 11161, ActionType: FileUploadedToCloud}
//	data:                              # inline rows per table
//	  CloudAppEvents:
//	  - {Timestamp: 2026-11-25T10:00:00Z, AccountObjectId: a1}
//	  - {$repeat: 11, RawEventData: {ObjectId: 'C:\x\repo{i:2}.zip'}}
//	files: [fixtures/more.jsonl, DeviceEvents=fixtures/dev.csv]
//	cases:
//	- name: eleven distinct archives alert
//	  data: {...}                      # added to the file's rows
//	  set: {...}                       # over the file's
//	  tuning: none                     # or another file
//	  expect:
//	    count: 1                       # number of rows
//	    rows: [{AccountObjectId: a1, uploadedFiles: 11}]   # exactly these rows, any order,
//	                                   # compared on the columns named
//	    ordered: true                  # rows in this order
//	    contains: [{uploadedFiles: 11}]  # at least these rows
//	    suppressed: {ci-artifacts: 1}  # result rows each exclusion suppressed
//	    error: "unknown watchlist"     # the run fails with this in the message
//
// `$repeat: N` turns one row into N, replacing {i} in its strings with
// 1..N ({i:2} pads to two digits); a string of digits and {i} alone, such
// as '42{i}', becomes a number. A table named in defaults reads as empty
// in a case that gives it no rows, rather than missing.
package ruletest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"hunt/rules"
)

// File is one loaded test file.
type File struct {
	Path string
	// Rule is the rule file's path, resolved against the test file.
	Rule  string
	Cases []*Case
}

// Case is one test case with the file's settings merged in.
type Case struct {
	Name string
	At   string
	Now  time.Time
	Set  map[string]string
	// Watchlists by alias.
	Watchlists map[string]*Watchlist
	// Tuning is the tuning file's path; "" for none.
	Tuning string
	// Data holds inline rows per table, as decoded from YAML.
	Data map[string][]map[string]any
	// Files are data paths ("TABLE=PATH" binds a table).
	Files  []string
	Expect Expect
}

// Watchlist is a watchlist of a test: a CSV file or inline rows.
type Watchlist struct {
	Path, Key string
	Columns   []string
	Rows      [][]string
}

// Expect is what a case checks.
type Expect struct {
	Count      *int
	Rows       []map[string]any
	Ordered    bool
	Contains   []map[string]any
	Suppressed map[string]int
	Error      string
	given      bool
}

var fileFields = []string{"rule", "now", "tuning", "set", "watchlists", "defaults", "data", "files", "cases"}
var caseFields = []string{"name", "now", "tuning", "set", "watchlists", "data", "files", "expect"}

// Load reads a test file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty test file", path)
	}
	top, err := rules.Fields(path, doc.Content[0], "the test file", fileFields...)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	f := &File{Path: path}
	if top["rule"] == nil {
		return nil, rules.Errorf(path, doc.Content[0], "the test file names no rule (rule: FILE.yaml)")
	}
	ruleText, err := rules.Scalar(path, top["rule"], "rule")
	if err != nil {
		return nil, err
	}
	f.Rule = resolve(dir, ruleText)
	base := &Case{Set: map[string]string{}, Watchlists: map[string]*Watchlist{}, Data: map[string][]map[string]any{}}
	defaults := map[string]map[string]any{}
	if n := top["defaults"]; n != nil {
		ks, vs, err := rules.Pairs(path, n, "defaults")
		if err != nil {
			return nil, err
		}
		for i, k := range ks {
			var row map[string]any
			if err := vs[i].Decode(&row); err != nil {
				return nil, rules.Errorf(path, vs[i], "defaults of %s: want a mapping of column to value", k.Value)
			}
			defaults[k.Value] = row
			// A table with defaults is part of the fixture even when a
			// case gives it no rows: it reads as empty, not as missing.
			base.Data[k.Value] = nil
		}
	}
	if err := settings(path, dir, top, base, defaults); err != nil {
		return nil, err
	}
	if top["cases"] == nil {
		return nil, rules.Errorf(path, doc.Content[0], "the test file has no cases")
	}
	items, err := rules.Items(path, top["cases"], "cases")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, it := range items {
		c, err := loadCase(path, dir, it, base, defaults)
		if err != nil {
			return nil, err
		}
		if names[c.Name] {
			return nil, rules.Errorf(path, it, "two cases are named %q", c.Name)
		}
		names[c.Name] = true
		f.Cases = append(f.Cases, c)
	}
	return f, nil
}

func loadCase(path, dir string, n *yaml.Node, base *Case, defaults map[string]map[string]any) (*Case, error) {
	m, err := rules.Fields(path, n, "a case", caseFields...)
	if err != nil {
		return nil, err
	}
	c := &Case{At: rules.At(path, n), Now: base.Now, Tuning: base.Tuning, Set: map[string]string{}, Watchlists: map[string]*Watchlist{},
		Data: map[string][]map[string]any{}, Files: append([]string(nil), base.Files...)}
	for k, v := range base.Set {
		c.Set[k] = v
	}
	for k, v := range base.Watchlists {
		c.Watchlists[k] = v
	}
	for k, v := range base.Data {
		c.Data[k] = append([]map[string]any(nil), v...)
	}
	if m["name"] == nil {
		return nil, rules.Errorf(path, n, "the case has no name")
	}
	if c.Name, err = rules.Scalar(path, m["name"], "name"); err != nil {
		return nil, err
	}
	if err := settings(path, dir, m, c, defaults); err != nil {
		return nil, err
	}
	if c.Now.IsZero() {
		return nil, rules.Errorf(path, n, "case %q: no now (give now: at the top of the file or in the case)", c.Name)
	}
	if m["expect"] == nil {
		return nil, rules.Errorf(path, n, "case %q expects nothing (give expect: count, rows, contains, suppressed or error)", c.Name)
	}
	if err := loadExpect(path, m["expect"], &c.Expect); err != nil {
		return nil, err
	}
	return c, nil
}

// settings reads the fields a file and a case share into c.
func settings(path, dir string, m map[string]*yaml.Node, c *Case, defaults map[string]map[string]any) error {
	if n := m["now"]; n != nil {
		s, err := rules.Scalar(path, n, "now")
		if err != nil {
			return err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return rules.Errorf(path, n, "now %q: want RFC 3339 such as 2026-11-25T12:00:00Z", s)
		}
		c.Now = t.UTC()
	}
	if n := m["tuning"]; n != nil {
		s, err := rules.Scalar(path, n, "tuning")
		if err != nil {
			return err
		}
		c.Tuning = ""
		if s != "none" && s != "" {
			c.Tuning = resolve(dir, s)
		}
	}
	if n := m["set"]; n != nil {
		ks, vs, err := rules.Pairs(path, n, "set")
		if err != nil {
			return err
		}
		for i, k := range ks {
			v, err := rules.SetValue(path, vs[i])
			if err != nil {
				return err
			}
			c.Set[k.Value] = v
		}
	}
	if n := m["watchlists"]; n != nil {
		ks, vs, err := rules.Pairs(path, n, "watchlists")
		if err != nil {
			return err
		}
		for i, k := range ks {
			w, err := loadWatchlist(path, dir, vs[i])
			if err != nil {
				return err
			}
			c.Watchlists[k.Value] = w
		}
	}
	if n := m["data"]; n != nil {
		ks, vs, err := rules.Pairs(path, n, "data")
		if err != nil {
			return err
		}
		for i, k := range ks {
			var rows []map[string]any
			if err := vs[i].Decode(&rows); err != nil {
				return rules.Errorf(path, vs[i], "data of %s: want a list of rows (column: value)", k.Value)
			}
			for _, r := range rows {
				for _, x := range expand(r) {
					c.Data[k.Value] = append(c.Data[k.Value], merge(defaults[k.Value], x))
				}
			}
		}
	}
	if n := m["files"]; n != nil {
		items, err := rules.Items(path, n, "files")
		if err != nil {
			return err
		}
		for _, it := range items {
			s, err := rules.Scalar(path, it, "files")
			if err != nil {
				return err
			}
			if table, p, ok := strings.Cut(s, "="); ok && !strings.ContainsAny(table, `/\.`) {
				c.Files = append(c.Files, table+"="+resolve(dir, p))
			} else {
				c.Files = append(c.Files, resolve(dir, s))
			}
		}
	}
	return nil
}

func loadWatchlist(path, dir string, n *yaml.Node) (*Watchlist, error) {
	if n.Kind == yaml.ScalarNode {
		p, key := rules.ParseWatchlistSpec(n.Value)
		return &Watchlist{Path: resolve(dir, p), Key: key}, nil
	}
	m, err := rules.Fields(path, n, "a watchlist", "file", "key", "rows")
	if err != nil {
		return nil, err
	}
	w := &Watchlist{}
	if m["key"] != nil {
		w.Key = m["key"].Value
	}
	if m["file"] != nil {
		w.Path = resolve(dir, m["file"].Value)
		return w, nil
	}
	if m["rows"] == nil {
		return nil, rules.Errorf(path, n, "a watchlist needs a file or rows")
	}
	items, err := rules.Items(path, m["rows"], "rows")
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		ks, vs, err := rules.Pairs(path, it, "a watchlist row")
		if err != nil {
			return nil, err
		}
		row := make([]string, len(w.Columns))
		for i, k := range ks {
			j := indexOf(w.Columns, k.Value)
			if j < 0 {
				w.Columns = append(w.Columns, k.Value)
				for r := range w.Rows {
					w.Rows[r] = append(w.Rows[r], "")
				}
				row = append(row, "")
				j = len(w.Columns) - 1
			}
			row[j] = vs[i].Value
		}
		w.Rows = append(w.Rows, row)
	}
	return w, nil
}

func loadExpect(path string, n *yaml.Node, e *Expect) error {
	m, err := rules.Fields(path, n, "expect", "count", "rows", "ordered", "contains", "suppressed", "error")
	if err != nil {
		return err
	}
	if v := rules.Resolve(m["count"]); v != nil {
		k, err := strconv.Atoi(v.Value)
		if err != nil || k < 0 {
			return rules.Errorf(path, v, "count: want a number of rows")
		}
		e.Count = &k
	}
	for _, f := range []struct {
		key string
		dst *[]map[string]any
	}{{"rows", &e.Rows}, {"contains", &e.Contains}} {
		if v := m[f.key]; v != nil {
			if err := v.Decode(f.dst); err != nil {
				return rules.Errorf(path, v, "%s: want a list of rows (column: value)", f.key)
			}
			if *f.dst == nil {
				*f.dst = []map[string]any{}
			}
		}
	}
	if v := m["ordered"]; v != nil {
		e.Ordered = v.Value == "true"
	}
	if v := m["suppressed"]; v != nil {
		ks, vs, err := rules.Pairs(path, v, "suppressed")
		if err != nil {
			return err
		}
		e.Suppressed = map[string]int{}
		for i, k := range ks {
			c, err := strconv.Atoi(vs[i].Value)
			if err != nil {
				return rules.Errorf(path, vs[i], "suppressed %s: want the number of result rows it suppresses", k.Value)
			}
			e.Suppressed[k.Value] = c
		}
	}
	if v := m["error"]; v != nil {
		e.Error = v.Value
	}
	e.given = e.Count != nil || e.Rows != nil || e.Contains != nil || e.Suppressed != nil || e.Error != ""
	if !e.given {
		return rules.Errorf(path, n, "expect checks nothing (give count, rows, contains, suppressed or error)")
	}
	return nil
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

var (
	placeholder    = regexp.MustCompile(`\{i(?::(\d))?\}`)
	numberTemplate = regexp.MustCompile(`^[0-9]*(\{i(:\d)?\}[0-9]*)+$`)
)

// expand turns a row with $repeat: N into N rows with {i} replaced.
func expand(r map[string]any) []map[string]any {
	n, ok := r["$repeat"]
	if !ok {
		return []map[string]any{r}
	}
	count, _ := n.(int)
	var out []map[string]any
	for i := 1; i <= count; i++ {
		x := substitute(r, i).(map[string]any)
		delete(x, "$repeat")
		out = append(out, x)
	}
	return out
}

func substitute(v any, i int) any {
	switch x := v.(type) {
	case string:
		out := placeholder.ReplaceAllStringFunc(x, func(m string) string {
			sub := placeholder.FindStringSubmatch(m)
			if sub[1] != "" {
				w, _ := strconv.Atoi(sub[1])
				return fmt.Sprintf("%0*d", w, i)
			}
			return strconv.Itoa(i)
		})
		// '42{i}' written for a number column stays a number.
		if out != x && numberTemplate.MatchString(x) {
			if n, err := strconv.Atoi(out); err == nil {
				return n
			}
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			out[k] = substitute(y, i)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for k, y := range x {
			out[k] = substitute(y, i)
		}
		return out
	}
	return v
}

// merge returns row over defaults, merging nested mappings.
func merge(defaults, row map[string]any) map[string]any {
	if defaults == nil {
		return row
	}
	out := make(map[string]any, len(defaults)+len(row))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range row {
		if dm, ok := out[k].(map[string]any); ok {
			if rm, ok := v.(map[string]any); ok {
				out[k] = merge(dm, rm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// Find returns the test files named by paths: files as they are, folders
// searched for *.test.yaml, sorted.
func Find(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(q string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() && q != p && (strings.HasPrefix(de.Name(), ".") || de.Name() == "testdata") {
				return filepath.SkipDir
			}
			if !de.IsDir() && (strings.HasSuffix(q, ".test.yaml") || strings.HasSuffix(q, ".test.yml")) {
				found = append(found, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
