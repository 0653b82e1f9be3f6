// Package rules loads Microsoft Sentinel rule files: hunting queries and
// analytics rules written in YAML with the KQL in a `query:` field. The
// query keeps its position in the file, so an error in it is reported at
// the rule file's line and column.
package rules

import (
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"hunt/kql/syntax"
)

// Rule is a Sentinel hunting or analytics rule.
type Rule struct {
	Path                   string
	ID                     string            `yaml:"id"`
	Name                   string            `yaml:"name"`
	Description            string            `yaml:"description"`
	Severity               string            `yaml:"severity"`
	RequiredDataConnectors []DataConnector   `yaml:"requiredDataConnectors"`
	Tactics                []string          `yaml:"tactics"`
	RelevantTechniques     []string          `yaml:"relevantTechniques"`
	QueryFrequency         string            `yaml:"queryFrequency"`
	QueryPeriod            string            `yaml:"queryPeriod"`
	TriggerOperator        string            `yaml:"triggerOperator"`
	TriggerThreshold       int               `yaml:"triggerThreshold"`
	EntityMappings         []EntityMapping   `yaml:"entityMappings"`
	CustomDetails          map[string]string `yaml:"customDetails"`
	Query                  string            `yaml:"query"`
	Kind                   string            `yaml:"kind"`
	Version                string            `yaml:"version"`

	// Source is the query with its position in the file.
	Source *syntax.Source `yaml:"-"`
}

// DataConnector names a connector and the tables it feeds.
type DataConnector struct {
	ConnectorID string   `yaml:"connectorId"`
	DataTypes   []string `yaml:"dataTypes"`
}

// EntityMapping maps result columns to an entity type.
type EntityMapping struct {
	EntityType    string         `yaml:"entityType"`
	FieldMappings []FieldMapping `yaml:"fieldMappings"`
}

// FieldMapping maps one entity identifier to a column.
type FieldMapping struct {
	Identifier string `yaml:"identifier"`
	ColumnName string `yaml:"columnName"`
}

// Load reads one rule file.
func Load(path string) (*Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a rule from YAML text.
func Parse(path string, data []byte) (*Rule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", path, cleanYAMLError(err))
	}
	r := &Rule{Path: path}
	if err := doc.Decode(r); err != nil {
		return nil, fmt.Errorf("%s: %s", path, cleanYAMLError(err))
	}
	if strings.TrimSpace(r.Query) == "" {
		return nil, fmt.Errorf("%s: the rule has no query field", path)
	}
	r.Source = syntax.NewSource(path, r.Query)
	if len(doc.Content) > 0 {
		locate(r.Source, doc.Content[0], data)
	}
	return r, nil
}

func cleanYAMLError(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// locate sets the query's base line and column from the YAML node, so
// positions in the query map back to the file.
func locate(src *syntax.Source, root *yaml.Node, data []byte) {
	if root.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "query" {
			place(src, root.Content[i+1], data)
			return
		}
	}
}

// place sets src's base line and column to where the scalar v's text
// starts in data. For a block scalar (| or >) the text starts on the line
// after the indicator, indented.
func place(src *syntax.Source, v *yaml.Node, data []byte) {
	switch v.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		src.BaseLine = v.Line + 1
		lines := strings.Split(string(data), "\n")
		if v.Line < len(lines) {
			l := lines[v.Line]
			src.BaseCol = len(l) - len(strings.TrimLeft(l, " "))
		}
	default:
		src.BaseLine = v.Line
		src.BaseCol = v.Column - 1
		if v.Style == yaml.DoubleQuotedStyle || v.Style == yaml.SingleQuotedStyle {
			src.BaseCol++
		}
	}
}
