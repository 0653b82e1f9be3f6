package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hunt/ruletest"
)

// TestRulePack runs every rule test beside the rules (*.test.yaml), as
// `hunt test rules/` does, so that go test ./... covers the rule pack, its
// tuning and the five benign scenarios.
func TestRulePack(t *testing.T) {
	files, err := ruletest.Find([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rule tests found")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".test.yaml"), func(t *testing.T) {
			f, err := ruletest.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(f.Rule); err != nil && strings.Contains(f.Rule, "shared") {
				t.Skip("../shared is not beside the repository")
			}
			for _, r := range ruletest.RunFile(path, nil) {
				if !r.Passed() {
					t.Errorf("%s (%s):\n%s", r.Case, r.At, r.Failure)
				}
			}
		})
	}
}

// TestEveryRuleHasTests keeps the pack honest: each rule file in this
// folder has a test file beside it.
func TestEveryRuleHasTests(t *testing.T) {
	rules, _ := filepath.Glob("*.yaml")
	for _, r := range rules {
		if strings.HasSuffix(r, ".test.yaml") || strings.HasSuffix(r, ".tuning.yaml") {
			continue
		}
		test := strings.TrimSuffix(r, ".yaml") + ".test.yaml"
		if _, err := os.Stat(test); err != nil {
			t.Errorf("%s has no test file %s", r, test)
		}
	}
}
