package sema

import (
	"strings"

	"hunt/kql/syntax"
)

// setOption records the query options that change results. Every other
// option (query tracing, limits, cache hints) means nothing offline and
// is ignored.
func (a *analyzer) setOption(s *syntax.SetStmt) {
	switch strings.ToLower(s.Name) {
	case "query_bin_auto_size":
		a.binAutoSize = s.Value
	case "query_bin_auto_at":
		a.binAutoAt = s.Value
	}
}
