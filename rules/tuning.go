package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"hunt/kql/syntax"
	"hunt/query"
)

// Tuning is a tuning file: per rule id, parameter overrides, watchlist
// bindings and exclusions, kept beside a vendor's rule instead of inside
// it so that the tuning survives rule updates.
//
//	watchlists:                    # bindings shared by every rule below
//	  KnownCodeHosts: watchlists/known-code-hosts.csv:Domain
//	rules:
//	  11b8daa5-fe15-4664-b332-8f26d3c0b3a7:
//	    set:
//	      filesThreshold: 15
//	      excludeTargetDomainList: [office.net, sharepoint, bitbucket.org]
//	    watchlists:
//	      BackupTargets: {file: watchlists/backup-targets.csv, key: Pattern}
//	    exclusions:
//	    - name: ci-artifact-uploads
//	      reason: CI pipelines upload build artifacts to Artifactory
//	      owner: platform-team@contoso.com
//	      input:
//	        table: CloudAppEvents
//	        where: AccountObjectId in (_GetWatchlist('CiAccounts') | project SearchKey)
//	    - name: known-account
//	      reason: ...
//	      owner: ...
//	      where: AccountDisplayName == "Build Bot"   # over the result rows
//
// Paths are relative to the tuning file.
type Tuning struct {
	Path       string
	Watchlists map[string]WatchlistRef
	// Rules is keyed by lower-case rule id.
	Rules map[string]*RuleTuning
}

// RuleTuning is the tuning of one rule.
type RuleTuning struct {
	ID string
	At string
	// Set holds let overrides as KQL text, like --set NAME=VALUE; SetAt
	// where each is written.
	Set        map[string]string
	SetAt      map[string]string
	Watchlists map[string]WatchlistRef
	Exclusions []query.Exclusion
}

// WatchlistRef binds a watchlist alias to a CSV file and its search-key
// column ("" for the first column).
type WatchlistRef struct {
	Path, Key string
	At        string
}

// ParseWatchlistSpec splits "FILE.csv[:SearchKeyColumn]". A colon that
// belongs to a Windows drive letter or a folder name is part of the path.
func ParseWatchlistSpec(spec string) (path, key string) {
	path = spec
	if i := strings.LastIndex(spec, ":"); i > 0 && !strings.ContainsAny(spec[i:], `/\`) && !(i == 1 && len(spec) > 2) {
		path, key = spec[:i], spec[i+1:]
	}
	return path, key
}

// LoadTuning reads a tuning file.
func LoadTuning(path string) (*Tuning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTuning(path, data)
}

// ParseTuning reads a tuning file from its text.
func ParseTuning(path string, data []byte) (*Tuning, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", path, cleanYAMLError(err))
	}
	t := &Tuning{Path: path, Rules: map[string]*RuleTuning{}}
	if len(doc.Content) == 0 {
		return t, nil
	}
	top, err := Fields(path, doc.Content[0], "the tuning file", "watchlists", "rules")
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if n := top["watchlists"]; n != nil {
		if t.Watchlists, err = watchlistRefs(path, dir, n); err != nil {
			return nil, err
		}
	}
	if n := top["rules"]; n != nil {
		ks, vs, err := Pairs(path, n, "rules")
		if err != nil {
			return nil, err
		}
		for i, k := range ks {
			rt, err := ruleTuning(path, dir, data, k, vs[i])
			if err != nil {
				return nil, err
			}
			id := strings.ToLower(k.Value)
			if _, dup := t.Rules[id]; dup {
				return nil, Errorf(path, k, "rule %s is tuned twice", k.Value)
			}
			t.Rules[id] = rt
		}
	}
	return t, nil
}

// For returns the tuning of rule r, or nil when the file has none.
func (t *Tuning) For(r *Rule) *RuleTuning {
	if t == nil {
		return nil
	}
	return t.Rules[strings.ToLower(r.ID)]
}

// AllWatchlists returns the file's shared bindings overlaid with the
// rule's own.
func (t *Tuning) AllWatchlists(rt *RuleTuning) map[string]WatchlistRef {
	out := map[string]WatchlistRef{}
	if t != nil {
		for k, v := range t.Watchlists {
			out[k] = v
		}
	}
	if rt != nil {
		for k, v := range rt.Watchlists {
			out[k] = v
		}
	}
	return out
}

func ruleTuning(path, dir string, data []byte, key, n *yaml.Node) (*RuleTuning, error) {
	f, err := Fields(path, n, "the tuning of rule "+key.Value, "set", "watchlists", "exclusions")
	if err != nil {
		return nil, err
	}
	rt := &RuleTuning{ID: key.Value, At: At(path, key), Set: map[string]string{}, SetAt: map[string]string{}}
	if s := f["set"]; s != nil {
		ks, vs, err := Pairs(path, s, "set")
		if err != nil {
			return nil, err
		}
		for i, k := range ks {
			v, err := SetValue(path, vs[i])
			if err != nil {
				return nil, err
			}
			rt.Set[k.Value] = v
			rt.SetAt[k.Value] = At(path, k)
		}
	}
	if w := f["watchlists"]; w != nil {
		if rt.Watchlists, err = watchlistRefs(path, dir, w); err != nil {
			return nil, err
		}
	}
	if e := f["exclusions"]; e != nil {
		items, err := Items(path, e, "exclusions")
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, it := range items {
			ex, err := exclusion(path, data, it)
			if err != nil {
				return nil, err
			}
			if seen[ex.Name] {
				return nil, Errorf(path, it, "two exclusions are named %q", ex.Name)
			}
			seen[ex.Name] = true
			rt.Exclusions = append(rt.Exclusions, *ex)
		}
	}
	return rt, nil
}

func exclusion(path string, data []byte, n *yaml.Node) (*query.Exclusion, error) {
	f, err := Fields(path, n, "an exclusion", "name", "reason", "owner", "where", "input")
	if err != nil {
		return nil, err
	}
	ex := &query.Exclusion{At: At(path, n)}
	for _, k := range []string{"name", "reason", "owner"} {
		v := f[k]
		if v == nil {
			return nil, Errorf(path, n, "the exclusion has no %s (every exclusion needs a name, a reason and an owner)", k)
		}
		s, err := Scalar(path, v, k)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			return nil, Errorf(path, v, "the exclusion's %s is empty", k)
		}
		switch k {
		case "name":
			ex.Name = s
		case "reason":
			ex.Reason = strings.TrimSpace(s)
		case "owner":
			ex.Owner = s
		}
	}
	where := f["where"]
	if in := f["input"]; in != nil {
		if where != nil {
			return nil, Errorf(path, where, "exclusion %q: give either where (over result rows) or input (over an input table), not both", ex.Name)
		}
		g, err := Fields(path, in, "input", "table", "where")
		if err != nil {
			return nil, err
		}
		if g["table"] == nil || g["where"] == nil {
			return nil, Errorf(path, in, "exclusion %q: input needs a table and a where", ex.Name)
		}
		if ex.Table, err = Scalar(path, g["table"], "table"); err != nil {
			return nil, err
		}
		where = g["where"]
	}
	if where == nil {
		return nil, Errorf(path, n, "exclusion %q has no predicate: give where (over result rows) or input: {table, where}", ex.Name)
	}
	where = Resolve(where)
	if where.Kind != yaml.ScalarNode {
		return nil, Errorf(path, where, "exclusion %q: where must be a KQL predicate", ex.Name)
	}
	ex.Source = SourceAt(path, where, data)
	expr, errs := syntax.ParseExpr(ex.Source)
	if len(errs) > 0 {
		errs.Sort()
		return nil, &query.Error{Source: ex.Source, List: errs}
	}
	ex.Where = expr
	return ex, nil
}

func watchlistRefs(path, dir string, n *yaml.Node) (map[string]WatchlistRef, error) {
	ks, vs, err := Pairs(path, n, "watchlists")
	if err != nil {
		return nil, err
	}
	out := map[string]WatchlistRef{}
	for i, k := range ks {
		ref := WatchlistRef{At: At(path, vs[i])}
		if vs[i].Kind == yaml.ScalarNode {
			ref.Path, ref.Key = ParseWatchlistSpec(vs[i].Value)
		} else {
			f, err := Fields(path, vs[i], "watchlist "+k.Value, "file", "key")
			if err != nil {
				return nil, err
			}
			if f["file"] == nil {
				return nil, Errorf(path, vs[i], "watchlist %s: no file", k.Value)
			}
			ref.Path = f["file"].Value
			if f["key"] != nil {
				ref.Key = f["key"].Value
			}
		}
		if !filepath.IsAbs(ref.Path) {
			ref.Path = filepath.Join(dir, ref.Path)
		}
		out[k.Value] = ref
	}
	return out, nil
}

// SetValue turns a YAML value into the KQL text of a let override: a
// scalar as written (10, 2d, "text"), a list as dynamic([...]).
func SetValue(path string, n *yaml.Node) (string, error) {
	n = Resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value, nil
	case yaml.SequenceNode:
		var elems []string
		for _, c := range n.Content {
			c = Resolve(c)
			if c.Kind != yaml.ScalarNode {
				return "", Errorf(path, c, "a list value may hold only scalars")
			}
			switch c.Tag {
			case "!!int", "!!float", "!!bool":
				elems = append(elems, c.Value)
			case "!!null":
				elems = append(elems, "null")
			default:
				b, _ := json.Marshal(c.Value)
				elems = append(elems, string(b))
			}
		}
		return "dynamic([" + strings.Join(elems, ", ") + "])", nil
	}
	return "", Errorf(path, n, "want a value or a list of values")
}

// LetNames returns the names of the top-level lets of a query, sorted;
// nil when it does not parse.
func LetNames(src *syntax.Source) []string {
	q, errs := syntax.Parse(src)
	if len(errs) > 0 {
		return nil
	}
	var out []string
	for _, s := range q.Stmts {
		if l, ok := s.(*syntax.LetStmt); ok {
			out = append(out, l.Name.Name)
		}
	}
	sort.Strings(out)
	return out
}

// CheckSets reports a tuning override of a let the rule does not have,
// at the override's position.
func (rt *RuleTuning) CheckSets(r *Rule) error {
	lets := LetNames(r.Source)
	names := make([]string, 0, len(rt.Set))
	for name := range rt.Set {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if lets != nil && !contains(lets, name) {
			return fmt.Errorf("%s: set %s: rule %s has no top-level let named %s%s (its lets: %s)", rt.SetAt[name], name, filepath.Base(r.Path), name, didYouMean(name, lets), strings.Join(lets, ", "))
		}
	}
	return nil
}
