package fn

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// TestStrHasSemantics checks the term rules of semantics.md D.1.
func TestStrHasSemantics(t *testing.T) {
	cases := []struct {
		h, n string
		want bool
	}{
		{"outlook.office.net", "office.net", true},
		{"myoffice.net", "office.net", false},
		{"office.network.com", "office.net", false},
		{"codeload.github.com", "github", true},
		{"gist.github.com", "github", true},
		{"raw.githubusercontent.com", "github", false},
		{"objects.githubusercontent.com", "github", false},
		{"myorg.visualstudio.com", "visualstudio", true},
		{"dev.azure.com", "visualstudio", false},
		{"dev.azure.com", "azure", true},
		{"bitbucket.org", "bitbucket", true},
		{"contoso-my.sharepoint.com", "sharepoint", true},
		{"mystorage.blob.core.windows.net", "azure", false},
		{"teams.microsoft.com", "teams", true},
		{"North America", "america", true},
		{"North America", "amer", false},
		{"KustoExplorerQueryRun", "Explorer", false},
		{"BA", "b", false},
		{"North America", "North America", true},
		{"https://x/resourcegroups/test.rg000001/y", "resourcegroups/test.rg000001", true},
		{"https://x/subscriptions/0/resourcegroups/test.rg000001?api", "/resourcegroups/test.rg000001?", true},
		{"office-net", "office.net", false},
		{"my_repo", "repo", true},
		{"abc", "", true},
		{"", "", true},
		{"", "a", false},
		{"Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun", "c1db", true},
		{"Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun", "kustoexplorerqueryrun", true},
		// Unicode letters are term characters; case folds Unicode-wide.
		{"café-bar", "CAFÉ", true},
		{"cafébar", "caf", false},
		{"straße.de", "STRASSE", false},
		{"İstanbul", "istanbul", false},
		{"x \u212Aelvin y", "kelvin", true}, // KELVIN SIGN folds to k
		{"x kelvin y", "\u212Aelvin", true},
		{"été2024", "été2024", true},
		{"ÉTÉ été", "été", true},
		{"abc日本def", "日本", false},
		{"abc 日本 def", "日本", true},
	}
	for _, c := range cases {
		strCheck(t, c.want, "has", strS(c.h), strS(c.n))
		strCheck(t, !c.want, "!has", strS(c.h), strS(c.n))
		strCheck(t, c.want, "has_any", strS(c.h), strS(c.n))
		if got := strRefFind(c.h, c.n, true, true, false); got != c.want {
			t.Errorf("reference has(%q, %q) = %v, want %v", c.h, c.n, got, c.want)
		}
	}
}

func TestStrOperatorsDocExamples(t *testing.T) {
	cases := []struct {
		op   string
		h, n string
	}{
		{"=~", "abc", "ABC"}, {"!~", "aBc", "xyz"},
		{"contains", "FabriKam", "BRik"}, {"!contains", "Fabrikam", "xyz"},
		{"contains_cs", "FabriKam", "Kam"}, {"!contains_cs", "Fabrikam", "Kam"},
		{"endswith", "Fabrikam", "Kam"}, {"!endswith", "Fabrikam", "brik"},
		{"endswith_cs", "Fabrikam", "kam"}, {"!endswith_cs", "Fabrikam", "brik"},
		{"has", "North America", "america"}, {"!has", "North America", "amer"},
		{"has_cs", "North America", "America"}, {"!has_cs", "North America", "amer"},
		{"hasprefix", "North America", "ame"}, {"!hasprefix", "North America", "mer"},
		{"hasprefix_cs", "North America", "Ame"}, {"!hasprefix_cs", "North America", "CA"},
		{"hassuffix", "North America", "ica"}, {"!hassuffix", "North America", "americ"},
		{"hassuffix_cs", "North America", "ica"}, {"!hassuffix_cs", "North America", "icA"},
		{"matches regex", "Fabrikam", "b.*k"},
		{"startswith", "Fabrikam", "fab"}, {"!startswith", "Fabrikam", "kam"},
		{"startswith_cs", "Fabrikam", "Fab"}, {"!startswith_cs", "Fabrikam", "fab"},
		{"notcontains", "Fabrikam", "xyz"}, {"containscs", "FabriKam", "Kam"}, {"notcontainscs", "Fabrikam", "Kam"},
		{"has_all", "North and South America", "south"},
	}
	for _, c := range cases {
		strCheck(t, true, c.op, strS(c.h), strS(c.n))
	}
	strCheck(t, false, "has_cs", strS("North America"), strS("america"))
	strCheck(t, false, "startswith_cs", strS("Fabrikam"), strS("fab"))
	strCheck(t, true, "endswith", strS("ABC\u212A"), strS("ck"))
	strCheck(t, true, "=~", strS("Straße"), strS("STRAßE"))
	strCheck(t, false, "=~", strS("straße"), strS("STRASSE"))
	strCheck(t, true, "=~", strS("\u212Aelvin"), strS("KELVIN"))
	strCheck(t, true, "has_all", strS("North and South America"), strS("south"), strS("north"))
	strCheck(t, true, "has_any", strS("North America"), strS("south"), strS("north"))
	strCheck(t, true, "in", strS("abc"), strS("123"), strS("345"), strS("abc"))
	strCheck(t, true, "!in", strS("bca"), strS("123"), strS("345"), strS("abc"))
	strCheck(t, true, "in~", strS("Abc"), strS("123"), strS("345"), strS("abc"))
	strCheck(t, true, "!in~", strS("bCa"), strS("123"), strS("345"), strS("ABC"))
	strErr(t, "matches regex", "matches regex", strS("a"), strS("(unclosed"))
	strErr(t, "argument 2 must be string", "has", strS("a"), strL(1))
	strErr(t, "argument 1 must be string", "contains", strL(1), strS("1"))
	strErr(t, "argument 1 must be string", "has_any", strL(1), strS("1"))
}

// TestStrDynamicLeft checks dynamic left operands (semantics.md D.7).
func TestStrDynamicLeft(t *testing.T) {
	null := strNull(types.Dynamic)
	for _, op := range []string{"has", "contains", "startswith", "endswith", "=~", "hasprefix", "hassuffix", "has_cs", "contains_cs"} {
		strCheck(t, false, op, null, strS("zip"))
		strCheck(t, true, "!"+strings.TrimPrefix(op, "=~")+map[bool]string{true: "~"}[op == "=~"], null, strS("zip"))
	}
	strCheck(t, false, "has_any", null, strDyn(`["github","gitlab"]`))
	strCheck(t, true, "=~", strD("ZIP"), strS("zip"))
	strCheck(t, true, "=~", strD("zip"), strD("ZIP"))
	strCheck(t, true, "has", strDyn(`{"TargetDomain":"drive.google.com"}`), strS("google"))
	strCheck(t, true, "has", strDyn(`{"TargetDomain":"drive.google.com"}`), strS("TargetDomain"))
	strCheck(t, true, "contains", strDyn(`{"a":1}`), strS(`"a":1`))
	strCheck(t, true, "has", strDyn(`[1,"two"]`), strS("two"))
	strCheck(t, true, "has", strD(int64(42)), strS("42"))
	strCheck(t, true, "=~", strDyn(`"x"`), strS("X"))
}

func TestStrHasAnyAll(t *testing.T) {
	origins := strDyn(`["github","visualstudio","gitlab","bitbucket","osdn"]`)
	targets := strDyn(`["office.net","visualstudio","github","gitlab","azure","dynamics","teams","sharepoint"]`)
	for _, c := range []struct {
		h        string
		origin   bool
		excluded bool
	}{
		{"codeload.github.com", true, true},
		{"dev.azure.com", false, true},
		{"myorg.visualstudio.com", true, true},
		{"raw.githubusercontent.com", false, false},
		{"www.mediafire.com", false, false},
		{"outlook.office.net", false, true},
		{"myoffice.net", false, false},
		{"contoso-my.sharepoint.com", false, true},
		{"OSDN.NET", true, false},
		{"", false, false},
	} {
		strCheck(t, c.origin, "has_any", strS(c.h), origins)
		strCheck(t, c.excluded, "has_any", strS(c.h), targets)
		strCheck(t, c.excluded, "has_any", strD(c.h), targets)
	}
	strCheck(t, false, "has_any", strS("abc"), strDyn(`[]`))
	strCheck(t, true, "has_all", strS("abc"), strDyn(`[]`))
	strCheck(t, false, "has_any", strS("abc"), strDyn(`[null]`))
	strCheck(t, true, "has_any", strS("Example number 2"), strDyn(`[1,2,3]`))
	strCheck(t, true, "has_any", strS("a b c d e"), strS("x"), strDyn(`["y","z"]`), strS("q"), strS("e"))
	strCheck(t, true, "has_all", strS("cold strong afternoon hail"), strDyn(`["cold","strong","afternoon","hail"]`))
	strCheck(t, false, "has_all", strS("cold strong afternoon"), strDyn(`["cold","strong","afternoon","hail"]`))
	strCheck(t, true, "has_all", strS("a.b-c d e f"), strDyn(`["a.b","c","d","e","f","F"]`))
	strCheck(t, false, "has_all", strS("a.b-c d e f"), strDyn(`["a.b","c","d","e","f","g"]`))
	strCheck(t, false, "has_all", strS("ab-c d e f"), strDyn(`["a.b","c","d","e","f"]`))
	strCheck(t, 0, "has_any_index", strS("this is an example"), strDyn(`["this","example"]`))
	strCheck(t, 1, "has_any_index", strS("this is an example"), strDyn(`["not","example"]`))
	strCheck(t, -1, "has_any_index", strS("this is an example"), strDyn(`["not","found"]`))
	strCheck(t, 1, "has_any_index", strS("Example number 2"), strDyn(`[1,2,3]`))
	strCheck(t, -1, "has_any_index", strS("this is an example"), strDyn(`[]`))
}

func TestStrIn(t *testing.T) {
	dt1, _ := types.ParseDatetime("2020-01-01")
	g, _ := types.ParseGuid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb")
	cases := []struct {
		want any
		args []strV
	}{
		{true, []strV{strL(3), strR(3.0)}},
		{true, []strV{strR(3), strL(1), strL(3)}},
		{false, []strV{strR(3.5), strL(3)}},
		{true, []strV{strR(3.5), strDyn(`[1, 3.5]`)}},
		{true, []strV{strI(4624), strS("4624"), strS("4625")}},
		{false, []strV{strI(4624), strS("x")}},
		{true, []strV{strS("1"), strL(1)}},
		{false, []strV{strS("ABC"), strS("abc")}},
		{true, []strV{strS("b"), strDyn(`["a","b"]`)}},
		{true, []strV{strS("b"), strS("a"), strDyn(`["c","b"]`)}},
		{false, []strV{strNull(types.Long), strL(1), strL(2)}},
		{nil, []strV{strNull(types.Long), strL(1), strNull(types.Long)}},
		{false, []strV{strL(5), strL(1), strNull(types.Long)}},
		{true, []strV{strA(types.DateTime, types.DT(dt1)), strS("2020-01-01T00:00:00Z")}},
		{true, []strV{strA(types.Guid, g), strS("AE3133F2-6E22-49AE-B06A-16E6A9B212EB")}},
		{true, []strV{strA(types.Bool, true), strA(types.Bool, true)}},
		{true, []strV{strD(int64(63)), strL(62), strL(63)}},
		{true, []strV{strD(int64(63)), strS("63")}},
		{true, []strV{strD("63"), strL(63)}},
		{false, []strV{strNull(types.Dynamic), strS("a")}},
		{true, []strV{strD("a"), strDyn(`["a"]`)}},
	}
	for _, c := range cases {
		strCheck(t, c.want, "in", c.args...)
		var neg any
		if b, ok := c.want.(bool); ok {
			neg = !b
		}
		strCheck(t, neg, "!in", c.args...)
	}
	// Long lists use a hash set; short ones a scan: both must agree.
	long := `["a","B","c","D","e","F","g","H","i","J"]`
	for _, s := range []string{"b", "B", "j", "x", "É"} {
		want := strings.ContainsAny(strings.ToLower(s), "abcdefghij")
		strCheck(t, want, "in~", strS(s), strDyn(long))
		strCheck(t, want, "in~", strS(s), strDyn(`["a","B","c","D","e"]`), strDyn(`["F","g","H","i","J"]`))
		strCheck(t, !want, "!in~", strS(s), strDyn(long))
	}
	strCheck(t, true, "in~", strS("ÉCOLE"), strS("école"))
	strCheck(t, false, "in~", strNull(types.Dynamic), strS("x"))
	strCheck(t, true, "in~", strNull(types.Dynamic), strS(""))
	strErr(t, "argument 1 must be string", "in~", strL(1), strS("1"))
}

// TestStrListRowwise checks list operands that change from row to row.
func TestStrListRowwise(t *testing.T) {
	for _, name := range []string{"has_any", "in~", "in"} {
		f, _ := builtins.Lookup(name)
		infos := []builtins.Arg{{Type: types.String}, {Type: types.Dynamic}}
		rt, err := f.Result(infos)
		if err != nil {
			t.Fatal(err)
		}
		k, err := NewScalar(name, infos, rt)
		if err != nil {
			t.Fatal(err)
		}
		left := vec.New(types.String, 3)
		lists := vec.New(types.Dynamic, 3)
		for _, r := range [][2]any{{"a", strJSON(`["a"]`)}, {"b", strJSON(`["a"]`)}, {"c", strJSON(`["x","c"]`)}} {
			left.Append(r[0])
			lists.Append(r[1])
		}
		out, err := k(&Ctx{}, []*vec.Vec{left, lists}, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []bool{true, false, true} {
			if got := out.Get(i); got != want {
				t.Errorf("%s row %d = %v, want %v", name, i, got, want)
			}
		}
	}
}

// ---- differential tests against a naive reference ---------------------------------

func strRefAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func strRefEq(a, b rune, cs bool) bool {
	if cs {
		return a == b
	}
	return a == b || strings.EqualFold(string(a), string(b))
}

// strRefFind is the matching rule of semantics.md D.1 written directly
// over runes, as a reference for the fast paths.
func strRefFind(h, n string, start, end, cs bool) bool {
	hr, nr := []rune(h), []rune(n)
	for i := 0; i+len(nr) <= len(hr); i++ {
		ok := true
		for j := range nr {
			if !strRefEq(hr[i+j], nr[j], cs) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if start && len(nr) > 0 && strRefAlnum(nr[0]) && i > 0 && strRefAlnum(hr[i-1]) {
			continue
		}
		if end && len(nr) > 0 && strRefAlnum(nr[len(nr)-1]) && i+len(nr) < len(hr) && strRefAlnum(hr[i+len(nr)]) {
			continue
		}
		return true
	}
	return false
}

func strRandText(r *rand.Rand, alphabet []string, max int) string {
	var b strings.Builder
	for k := r.Intn(max + 1); k > 0; k-- {
		b.WriteString(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

func TestStrMatchersAgainstReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "A", "b", "k", "K", "s", "S", "\u212A", "\u017F", ".", "-", "_", " ", "é", "É", "1", "日", "\u0301", "ß"}
	for iter := 0; iter < 30000; iter++ {
		maxLen := 12
		if iter%3 == 0 {
			maxLen = 90 // long texts take the vectorized search paths
		}
		h := strRandText(r, alphabet, maxLen)
		n := strRandText(r, alphabet, 3)
		if r.Intn(4) == 0 && len(h) > 0 {
			// A needle taken from the haystack makes matches likely.
			hr := []rune(h)
			i := r.Intn(len(hr))
			j := i + r.Intn(len(hr)-i) + 1
			n = string(hr[i:j])
			if r.Intn(2) == 0 {
				n = strings.ToUpper(n)
			}
		}
		for _, cs := range []bool{false, true} {
			nd := strMakeNeedle(n, cs)
			checks := []struct {
				name       string
				got        bool
				start, end bool
			}{
				{"has", nd.has(h), true, true},
				{"hasprefix", nd.hasPrefix(h), true, false},
				{"hassuffix", nd.hasSuffix(h), false, true},
				{"contains", nd.contains(h), false, false},
			}
			for _, c := range checks {
				if want := strRefFind(h, n, c.start, c.end, cs); c.got != want {
					t.Fatalf("%s(cs=%v)(%q, %q) = %v, want %v", c.name, cs, h, n, c.got, want)
				}
			}
			hr, nr := []rune(h), []rune(n)
			wantStart := len(nr) <= len(hr)
			wantEnd := wantStart
			for j := range nr {
				if wantStart && !strRefEq(hr[j], nr[j], cs) {
					wantStart = false
				}
				if wantEnd && !strRefEq(hr[len(hr)-len(nr)+j], nr[j], cs) {
					wantEnd = false
				}
			}
			if got := nd.startsWith(h); got != wantStart {
				t.Fatalf("startswith(cs=%v)(%q, %q) = %v", cs, h, n, got)
			}
			if got := nd.endsWith(h); got != wantEnd {
				t.Fatalf("endswith(cs=%v)(%q, %q) = %v", cs, h, n, got)
			}
		}
	}
}

func TestStrHasAnySetAgainstScan(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alphabet := []string{"ab", "AB", "c", "k", "\u212A", ".", " ", "-", "é", "É", "x1", "日"}
	for iter := 0; iter < 5000; iter++ {
		var elems []any
		for k := r.Intn(8); k >= 0; k-- {
			elems = append(elems, strRandText(r, alphabet, 3))
		}
		m, _ := strBuildAny(elems)
		h := strRandText(r, alphabet, 10)
		wantAny, wantAll := false, true
		for _, e := range elems {
			found := strRefFind(h, e.(string), true, true, false)
			wantAny = wantAny || found
			wantAll = wantAll && found
		}
		var scratch []byte
		var seen []bool
		if got := m.any(h, &scratch); got != wantAny {
			t.Fatalf("has_any(%q, %q) = %v, want %v (set=%v)", h, elems, got, wantAny, m.terms != nil)
		}
		if got := m.all(h, &scratch, &seen); got != wantAll {
			t.Fatalf("has_all(%q, %q) = %v, want %v (set=%v)", h, elems, got, wantAll, m.terms != nil)
		}
	}
}

// ---- benchmarks -------------------------------------------------------------------

func strBenchColumn(n int) *vec.Vec {
	domains := []string{
		"codeload.github.com", "raw.githubusercontent.com", "dev.azure.com", "www.mediafire.com",
		"contoso-my.sharepoint.com", "drive.google.com", "outlook.office.net", "myoffice.net",
		"mystorage.blob.core.windows.net", "bitbucket.org", "a-very-long-subdomain.example-cdn.net",
	}
	v := vec.New(types.String, n)
	for i := 0; i < n; i++ {
		v.Append(domains[i%len(domains)])
	}
	return v
}

func strBench(b *testing.B, name string, args []builtins.Arg, right ...*vec.Vec) {
	f, _ := builtins.Lookup(name)
	rt, err := f.Result(args)
	if err != nil {
		b.Fatal(err)
	}
	k, err := NewScalar(name, args, rt)
	if err != nil {
		b.Fatal(err)
	}
	const n = 1024
	col := strBenchColumn(n)
	in := append([]*vec.Vec{col}, right...)
	b.ReportAllocs()
	b.SetBytes(int64(n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := k(&Ctx{}, in, n); err != nil {
			b.Fatal(err)
		}
	}
}

func strBenchConst(t types.Type, v any) (builtins.Arg, *vec.Vec) {
	return builtins.Arg{Type: t, Const: true, Value: v}, vec.Constant(t, v)
}

func BenchmarkHas(b *testing.B) {
	a, v := strBenchConst(types.String, "github")
	strBench(b, "has", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkContains(b *testing.B) {
	a, v := strBenchConst(types.String, "github")
	strBench(b, "contains", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkEqualTilde(b *testing.B) {
	a, v := strBenchConst(types.String, "DEV.AZURE.COM")
	strBench(b, "=~", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkHasAny(b *testing.B) {
	a, v := strBenchConst(types.Dynamic, strJSON(`["office.net","visualstudio","github","gitlab","azure","dynamics","teams","sharepoint"]`))
	strBench(b, "has_any", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkHasAnyFew(b *testing.B) {
	a, v := strBenchConst(types.Dynamic, strJSON(`["github","gitlab"]`))
	strBench(b, "has_any", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkHasAnyLate(b *testing.B) {
	// The list is a sub-query result: constant at run time only.
	_, v := strBenchConst(types.Dynamic, strJSON(`["office.net","visualstudio","github","gitlab","azure","dynamics","teams","sharepoint"]`))
	strBench(b, "has_any", []builtins.Arg{{Type: types.String}, {Type: types.Dynamic}}, v)
}

func BenchmarkInTilde(b *testing.B) {
	a, v := strBenchConst(types.Dynamic, strJSON(`["dev.azure.com","drive.google.com","x","y","z","w","v","u","t"]`))
	strBench(b, "in~", []builtins.Arg{{Type: types.String}, a}, v)
}

func BenchmarkIn(b *testing.B) {
	a, v := strBenchConst(types.Dynamic, strJSON(`["dev.azure.com","drive.google.com","x"]`))
	strBench(b, "in", []builtins.Arg{{Type: types.String}, a}, v)
}

// TestStrConcurrentKernels runs one kernel on several goroutines, as
// parallel workers do; run with -race.
func TestStrConcurrentKernels(t *testing.T) {
	for _, name := range []string{"has_any", "in", "in~", "has", "matches regex"} {
		f, _ := builtins.Lookup(name)
		infos := []builtins.Arg{{Type: types.String}, {Type: types.Dynamic}}
		if name == "has" || name == "matches regex" {
			infos[1].Type = types.String
		}
		rt, _ := f.Result(infos)
		k, err := NewScalar(name, infos, rt)
		if err != nil {
			t.Fatal(err)
		}
		col := strBenchColumn(64)
		done := make(chan error, 8)
		for g := 0; g < 8; g++ {
			go func(g int) {
				var right *vec.Vec
				if infos[1].Type == types.String {
					right = vec.Constant(types.String, []string{"github", "azure", "com"}[g%3])
				} else {
					right = vec.Constant(types.Dynamic, strJSON(`["dev.azure.com","github","x","y","z"]`))
				}
				for it := 0; it < 50; it++ {
					if _, err := k(&Ctx{}, []*vec.Vec{col, right}, 64); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}(g)
		}
		for g := 0; g < 8; g++ {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
}
