package source

import (
	"math"
	"strings"
	"testing"

	"hunt/kql/types"
)

// sameDyn compares dynamic values by Go type and value (NaN equals NaN).
func sameDyn(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if !sameDyn(x[i], y[i]) {
				return false
			}
		}
		return true
	case *types.Bag:
		y, ok := b.(*types.Bag)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.Keys {
			if y.Keys[i] != k || !sameDyn(x.Vals[i], y.Vals[i]) {
				return false
			}
			if v, ok := x.Get(k); !ok || !sameDyn(v, x.Vals[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// checkTree fails when the tree builder and kql/types.ParseJSON disagree.
func checkTree(t *testing.T, tb *treeBuilder, in []byte) {
	want, werr := types.ParseJSON(in)
	got, gerr := tb.parse(in)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: treeBuilder error %v, ParseJSON error %v", in, gerr, werr)
	}
	if werr == nil && !sameDyn(got, want) {
		t.Fatalf("%q: treeBuilder %s, ParseJSON %s", in, types.AppendJSON(nil, got), types.AppendJSON(nil, want))
	}
}

func TestTreeBuilder(t *testing.T) {
	var many strings.Builder
	many.WriteString("{")
	for i := 0; i < 100; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `":` + string(rune('0'+i%10)))
	}
	many.WriteString("}")
	inputs := []string{
		`{"a":1,"b":[true,false,null],"c":"x\"y"}`, ` [ 1.5 , -2, 1e3, "\u00e9\ud83d\ude00" ] `,
		`12345678901234567890`, `-9223372036854775808`, `9223372036854775807`, `-0`, `0`, `01`, `1.`, `-.5`, `1e400`, `-1e400`,
		`"tab\tnew\nline"`, `{}`, `[]`, `[[],{}]`, `NaN`, `Infinity`, `-Infinity`, `-Inf`, `tru`, `nul`, `"\ud800x"`, `"\udc00\ud800"`,
		`{"a":1,"a":2}`, `{"a":1,"b":2,"a":null}`, `{"a":{"b":{"c":[1,{"d":2}]}},"e":[{"f":1},{"g":[]}]}`,
		`{"a" 1}`, `[1,]`, `{"a":1,}`, `"abc`, `1 2`, ``, `   `, `{"a":"\x"}`, `[1 2]`, `+1`, `.5`, `- 1`, `1-2`, `1e5`, `1E+5`,
		many.String(), strings.Repeat("[", 600) + strings.Repeat("]", 600), strings.Repeat("[", 512) + strings.Repeat("]", 512),
		strings.Repeat("[", 513) + strings.Repeat("]", 513), `{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k1":10}`,
	}
	tb := newTreeBuilder()
	for _, in := range inputs {
		checkTree(t, tb, []byte(in))
	}
	for i := 0; i < 50; i++ {
		checkTree(t, tb, []byte(benchRecord(i)))
	}
}
