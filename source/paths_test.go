package source

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"hunt/kql/types"
)

var pathKeys = []string{"FileExtension", "OriginatingDomain", "TargetDomain", "ObjectId", "a", "", "é"}

// randJSON writes a random JSON value; objects draw their keys from
// pathKeys, so they repeat and collide with the paths asked for.
func randJSON(r *rand.Rand, depth int) string {
	k := r.IntN(10)
	if depth > 3 {
		k = r.IntN(6)
	}
	switch k {
	case 0:
		return "null"
	case 1:
		return []string{"true", "false"}[r.IntN(2)]
	case 2:
		return []string{"0", "-12", "3.5", "1e400", "12345678901234567890", "7"}[r.IntN(6)]
	case 3:
		return []string{`"zip"`, `"ZIP"`, `"a\"b\\c"`, `"\u00e9\ud83d\ude00"`, `""`, `"codeload.github.com"`}[r.IntN(6)]
	case 4:
		return strconv.Quote(`{"FileExtension":"zip","x":[1]}`)
	case 5:
		return `"` + strings.Repeat("x", r.IntN(40)) + `"`
	case 6, 7:
		var parts []string
		for range r.IntN(5) {
			parts = append(parts, randJSON(r, depth+1))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	var parts []string
	for range r.IntN(7) {
		key := strconv.Quote(pathKeys[r.IntN(len(pathKeys))])
		if r.IntN(10) == 0 && key == `"a"` {
			key = `"\u0061"`
		}
		parts = append(parts, key+" : "+randJSON(r, depth+1))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestPathsProperty: a value built with only some keys gives, for each of
// those keys, the member the whole value gives, for random values, when
// read as a JSON value, as a string holding JSON, and as a CSV cell.
func TestPathsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1500; i++ {
		v := randJSON(r, 0)
		if i%2 == 0 {
			v = randJSONObject(r)
		}
		var paths []string
		for _, k := range pathKeys {
			if r.IntN(2) == 0 {
				paths = append(paths, k)
			}
		}
		if len(paths) == 0 {
			paths = []string{"FileExtension"}
		}
		line := `{"V":` + v + `,"S":` + strconv.Quote(v) + `}`
		want := memberRows(t, line, nil, paths)
		got := memberRows(t, line, paths, paths)
		if got != want {
			t.Fatalf("value %s, paths %q:\n got  %s\n want %s", v, paths, got, want)
		}
	}
}

func randJSONObject(r *rand.Rand) string {
	v := randJSON(r, 0)
	for !strings.HasPrefix(v, "{") {
		v = randJSON(r, 0)
	}
	return v
}

// memberRows reads line into dynamic columns V and S (S holds the value
// as a string) with the given paths, and renders the members keys of
// both, and whether each is a bag.
func memberRows(t *testing.T, line string, paths, keys []string) string {
	t.Helper()
	s := schemaOf("V:dynamic S:dynamic")
	cfg, err := newReadConfig("T", s, ScanSpec{Paths: map[string][]string{"V": paths, "S": paths}})
	if err != nil {
		t.Fatal(err)
	}
	if paths == nil {
		cfg.spec.Paths = nil
	}
	rb := cfg.newRowBuilder()
	f := &File{Path: "mem", Format: JSONLines, table: "T"}
	fr := newFileReader(f, fileRange{file: f, end: -1}, strings.NewReader(line), nopCloser{}, &Diagnostics{})
	if _, err := fr.fill(rb, &localCounts{}); err != nil {
		t.Fatal(err)
	}
	if rb.n != 1 {
		return fmt.Sprintf("%d rows", rb.n)
	}
	var out []string
	for _, v := range rb.flush() {
		x := v.Get(0)
		bag, isBag := x.(*types.Bag)
		if !isBag {
			out = append(out, "not a bag: "+fmtValue(x))
			continue
		}
		for _, k := range keys {
			m, ok := bag.Get(k)
			out = append(out, fmt.Sprintf("%q=%v:%s", k, ok, fmtValue(m)))
		}
	}
	return strings.Join(out, " ")
}

// TestPathsShape: the small bag keeps the asked keys in the order of the
// record, the last of a repeated key, and nothing else.
func TestPathsShape(t *testing.T) {
	tb := newTreeBuilder()
	v, err := tb.parsePaths([]byte(`{"b":1,"x":{"deep":[1,2,3]},"a":"s","b":2,"c":null}`), []string{"a", "b", "zz"})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(types.AppendJSON(nil, v)); got != `{"b":2,"a":"s"}` {
		t.Errorf("got %s", got)
	}
	// Skipped members are not built, nor checked beyond their extent.
	v, err = tb.parsePaths([]byte(`{"x":[1,,nul],"y":tru,"a":1}`), []string{"a"})
	if err != nil || string(types.AppendJSON(nil, v)) != `{"a":1}` {
		t.Errorf("lenient skip: %v %v", v, err)
	}
	// Damage in a kept member, or in the object's own syntax, is an error.
	for _, bad := range []string{`{"a":[1,}]}`, `{"x":1 "a":2}`, `{"x":1,"a":2`} {
		if _, err := tb.parsePaths([]byte(bad), []string{"a"}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
