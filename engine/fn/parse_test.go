package fn

import (
	"math/rand"
	"testing"

	"hunt/kql/types"
)

func TestParseCSV(t *testing.T) {
	// parse-csv-function examples.
	strCheck(t, strJSON(`["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]`),
		"parse_csv", strS("aa,\"b,b,b\",cc,\"Escaping quotes: \"\"Title\"\"\",\"line1\nline2\""))
	strCheck(t, strJSON(`["record1","a","b","c"]`), "parse_csv", strS("record1,a,b,c\nrecord2,x,y,z"))
	strCheck(t, strJSON(`["Guy Reginiano"," Guy Yehudy"]`), "parse_csv", strS("Guy Reginiano, Guy Yehudy"))
	strCheck(t, strJSON(`[""]`), "parse_csv", strS(""))
	strCheck(t, strJSON(`["a","","b",""]`), "parse_csv", strS("a,,b,"))
	strCheck(t, strJSON(`["ab x","c"]`), "parse_csv", strS("\"ab\" x,c\r\nd"))
}

func TestParseVersion(t *testing.T) {
	// parse-version-function: the documented values.
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"0.0.0.5", 5}, {"0.0.7.0", 700000000}, {"0.0.3", 300000000}, {"0.2", 2e16},
		{"0.1.2.0", 1e16 + 2e8}, {"1.2.3.4", 1e24 + 2e16 + 3e8 + 4}, {"1", 1e24},
		{" 10.0.19041.1 ", 10e24 + 19041e8 + 1},
	} {
		strCheck(t, c.want, "parse_version", strS(c.in))
	}
	for _, bad := range []string{"", "1.2.3.4.5", "a.b", "1..2", "123456789", "-1.0", "1.2 beta"} {
		strCheck(t, nil, "parse_version", strS(bad))
	}
	strCheck(t, nil, "parse_version", strNull(types.Dynamic))
	// The page's comparison: every version below 1.0.0.0 needs an update.
	lo, _, _ := strEval("parse_version", strModeConst, strS("0.1.2.0"))
	hi, _, _ := strEval("parse_version", strModeConst, strS("1.0.0.0"))
	if !(lo[0].(float64) < hi[0].(float64)) {
		t.Errorf("parse_version(0.1.2.0) >= parse_version(1.0.0.0)")
	}
}

func TestIsASCII(t *testing.T) {
	strCheck(t, true, "isascii", strS("some string"))
	strCheck(t, true, "isascii", strS(""))
	strCheck(t, false, "isascii", strS("Çedilla"))
	strCheck(t, true, "isascii", strL(42))
	strCheck(t, false, "isascii", strNull(types.Long))
}

// The text parsers take any input without failing: random bytes give a
// value or null, never an error or a panic.
func TestTextParsersTakeAnyInput(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	alphabet := []byte("aZ09 .,;:/\"'()[]\n\r\t-_é\xff")
	for k := 0; k < 2000; k++ {
		b := make([]byte, r.Intn(40))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		s := strS(string(b))
		for _, call := range [][]strV{{s}, {s, strS("device")}, {s, strDyn(`["os","browser"]`)}} {
			name := "parse_csv"
			switch len(call) {
			case 2:
				name = "parse_user_agent"
			}
			if _, _, err := strEval(name, strModeWide, call...); err != nil {
				t.Fatalf("%s(%q): %v", name, b, err)
			}
		}
		for _, name := range []string{"parse_version", "isascii", "todatetime"} {
			if _, _, err := strEval(name, strModeWide, s); err != nil {
				t.Fatalf("%s(%q): %v", name, b, err)
			}
		}
	}
}
