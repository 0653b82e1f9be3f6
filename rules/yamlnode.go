package rules

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"hunt/internal/suggest"
	"hunt/kql/syntax"
)

// The helpers below read hand-written YAML (tuning and test files)
// strictly: an unknown key is an error with its position and the closest
// known key, so a typo never silently disables an exclusion or a check.

// At returns "path:line:col" of node n.
func At(path string, n *yaml.Node) string {
	return fmt.Sprintf("%s:%d:%d", path, n.Line, n.Column)
}

// Errorf returns an error positioned at node n.
func Errorf(path string, n *yaml.Node, format string, a ...any) error {
	return fmt.Errorf("%s: %s", At(path, n), fmt.Sprintf(format, a...))
}

// Fields returns the values of mapping n by key. Keys not in allowed are
// an error; what names the mapping in messages.
func Fields(path string, n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, error) {
	n = Resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, Errorf(path, n, "%s: want a mapping (key: value)", what)
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" {
			// A merge key (<<: *anchor) brings in the anchor's fields.
			m, err := Fields(path, v, what, allowed...)
			if err != nil {
				return nil, err
			}
			for mk, mv := range m {
				if _, ok := out[mk]; !ok {
					out[mk] = mv
				}
			}
			continue
		}
		if len(allowed) > 0 && !contains(allowed, k.Value) {
			return nil, Errorf(path, k, "unknown field %q in %s%s (known: %s)", k.Value, what, didYouMean(k.Value, allowed), strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, Errorf(path, k, "%s: %q given twice", what, k.Value)
		}
		out[k.Value] = v
	}
	return out, nil
}

// Pairs returns the keys and values of mapping n in file order.
func Pairs(path string, n *yaml.Node, what string) ([]*yaml.Node, []*yaml.Node, error) {
	n = Resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, nil, Errorf(path, n, "%s: want a mapping (key: value)", what)
	}
	var ks, vs []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		ks = append(ks, n.Content[i])
		vs = append(vs, Resolve(n.Content[i+1]))
	}
	return ks, vs, nil
}

// Items returns the elements of sequence n.
func Items(path string, n *yaml.Node, what string) ([]*yaml.Node, error) {
	n = Resolve(n)
	if n.Kind != yaml.SequenceNode {
		return nil, Errorf(path, n, "%s: want a list (- item)", what)
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = Resolve(c)
	}
	return out, nil
}

// Scalar returns the text of scalar n.
func Scalar(path string, n *yaml.Node, what string) (string, error) {
	n = Resolve(n)
	if n.Kind != yaml.ScalarNode {
		return "", Errorf(path, n, "%s: want a single value", what)
	}
	return n.Value, nil
}

// Resolve follows an alias (*anchor) to the node it names.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// SourceAt returns scalar v's text as a KQL source positioned where it
// sits in data, the file at path.
func SourceAt(path string, v *yaml.Node, data []byte) *syntax.Source {
	src := syntax.NewSource(path, v.Value)
	place(src, v, data)
	return src
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// didYouMean returns "; did you mean "x"?" for the closest name, or "".
func didYouMean(name string, names []string) string {
	if best := suggest.Closest(name, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}
