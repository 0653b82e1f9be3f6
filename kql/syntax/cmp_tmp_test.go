package syntax

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCmpTmp(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "REFERENCE.tsv"))
	if err != nil {
		t.Skip()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	same, diff := 0, 0
	for sc.Scan() {
		fl := strings.Split(sc.Text(), "\t")
		if fl[1] != "false" {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(corpusDir, fl[0]))
		_, errs := Parse(NewSource(fl[0], string(data)))
		refLine := strings.SplitN(fl[2], " ", 2)[0]
		our := ""
		if len(errs) > 0 {
			our = strconv.Itoa(errs[0].Pos.Line) + ":" + strconv.Itoa(errs[0].Pos.Column)
		}
		if our == refLine {
			same++
		} else {
			diff++
			t.Logf("%s ref=%s ours=%v", fl[0], fl[2], errs)
		}
	}
	t.Logf("same line %d, different %d", same, diff)
}

