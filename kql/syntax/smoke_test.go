package syntax

import (
	"os"
	"strings"
	"testing"
)

func TestSmokeTmp(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("SMOKE"))
	if err != nil {
		t.Skip()
	}
	for _, q := range strings.Split(string(data), "\n----\n") {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		src := NewSource("q", q)
		tree, errs := Parse(src)
		out := Format(tree)
		status := "OK "
		if len(errs) > 0 {
			status = "ERR " + errs[0].Error()
		} else {
			t2, errs2 := Parse(NewSource("q2", out))
			if len(errs2) > 0 {
				status = "REPARSE-ERR " + errs2[0].Error()
			} else if Format(t2) != out {
				status = "ROUNDTRIP-DIFF " + Format(t2)
			}
		}
		t.Logf("%s\n    in:  %s\n    out: %s", status, strings.ReplaceAll(q, "\n", "\\n"), strings.ReplaceAll(out, "\n", "\\n"))
	}
}
