package main

import (
	"strings"

	"hunt/source"
	"hunt/store"
)

// openStore takes the --data paths that are stores (folders holding
// hunt-store.json) out of paths and opens the store; the other paths are
// returned for discovery. One store at a time keeps a table's origin
// unambiguous.
func openStore(paths []string) ([]string, *store.Store, error) {
	var rest []string
	var st *store.Store
	for _, p := range paths {
		if !store.IsStore(p) {
			rest = append(rest, p)
			continue
		}
		if st != nil {
			return nil, nil, usagef("--data %s: only one store can be queried at a time (already %s)", p, st.Dir())
		}
		s, err := store.Open(p)
		if err != nil {
			return nil, nil, err
		}
		st = s
	}
	return rest, st, nil
}

// checkStoreOverlap refuses a table that is both in the store and in the
// raw files: reading only one of them would silently drop rows.
func checkStoreOverlap(st *store.Store, set *source.Set) error {
	if st == nil || set == nil {
		return nil
	}
	var both []string
	for _, n := range set.Names() {
		if st.Has(n) {
			both = append(both, n)
		}
	}
	if len(both) > 0 {
		return usagef("table %s is both in the store %s and in the files given with --data; import the files into the store (hunt import --out %s) or query them apart",
			strings.Join(both, ", "), st.Dir(), st.Dir())
	}
	return nil
}
