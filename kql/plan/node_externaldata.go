package plan

import (
	"strings"

	"hunt/engine/vec"
)

// ExternalData reads the files an externaldata operator names. URLs are
// resolved to local files by the run (hunt --externaldata URL=FILE);
// Format is csv, tsv, psv, txt/raw (one line per row), json or multijson.
type ExternalData struct {
	Cols        vec.Schema
	URLs        []string
	Format      string
	IgnoreFirst bool
}

func (*ExternalData) nodeMarker()          {}
func (n *ExternalData) Inputs() []Node     { return nil }
func (n *ExternalData) Schema() vec.Schema { return n.Cols }
func (n *ExternalData) Describe() string {
	return "ExternalData " + n.Format + " " + strings.Join(n.URLs, ", ") + " " + n.Cols.String()
}
