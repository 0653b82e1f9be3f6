package builtins

import (
	"regexp"
	"testing"
)

// docPage is the form of a KQL reference page name under
// data-explorer/kusto/query: lower case words joined by hyphens, perhaps
// in a folder ("scalar-data-types/dynamic").
var docPage = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)?$`)

// TestEveryFunctionNamesItsPage keeps the Doc field usable: every builtin
// names the reference page it was written against.
func TestEveryFunctionNamesItsPage(t *testing.T) {
	for _, f := range All() {
		if !docPage.MatchString(f.Doc) {
			t.Errorf("%s: Doc %q is not a reference page name", f.Name, f.Doc)
		}
	}
}
