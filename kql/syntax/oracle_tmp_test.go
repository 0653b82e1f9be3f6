package syntax

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestOracleTmp(t *testing.T) {
	var qs []string
	data, err := os.ReadFile("/tmp/oracle/t8.json")
	if err != nil {
		t.Skip()
	}
	json.Unmarshal(data, &qs)
	ref, _ := os.ReadFile("/tmp/oracle/ref8.txt")
	lines := strings.Split(strings.TrimSpace(string(ref)), "\n")
	for i, q := range qs {
		_, errs := Parse(NewSource("", q))
		refOK := strings.HasPrefix(lines[i], "OK")
		if refOK != (len(errs) == 0) {
			t.Logf("DIFF ref=%s\n   ours=%v", lines[i], errs)
		}
	}
}
