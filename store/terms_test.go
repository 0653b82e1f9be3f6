package store

import (
	"math/rand/v2"
	"strings"
	"testing"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"

	_ "hunt/engine/fn" // the kernels
)

// termAlphabet mixes term characters, separators and the runes whose
// case folding is unusual: Kelvin sign, long s, final sigma, U+0345
// (a mark that folds with iota), dotted and dotless i.
var termAlphabet = []string{"a", "b", "K", "k", "\u212a", "s", "S", "\u017f", "σ", "ς", "Σ", "ι", "\u0345", "\u1fbe", "İ", "ı", "i",
	"1", "٣", ".", "-", " ", "_", "\u00e9", "e\u0301", "日", "ß", "ẞ"}

func randText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(termAlphabet[rng.IntN(len(termAlphabet))])
	}
	return b.String()
}

// TestTermsAgreeWithHas checks the index's premise against the has
// kernels themselves: whenever `h has n` (or has_cs, ==, =~) is true and
// the filter may use the index, every term of n is a term of h.
func TestTermsAgreeWithHas(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	hay := make([]string, 400)
	for i := range hay {
		hay[i] = randText(rng, rng.IntN(9))
	}
	hv := &vec.Vec{Type: types.String, Strs: hay}
	termsOfHay := make([]map[string]bool, len(hay))
	for i, h := range hay {
		termsOfHay[i] = map[string]bool{}
		eachTerm(h, nil, func(t []byte) { termsOfHay[i][string(t)] = true })
	}
	checked := 0
	for k := 0; k < 600; k++ {
		needle := randText(rng, 1+rng.IntN(4))
		if k%3 == 0 {
			needle = hay[rng.IntN(len(hay))]
		}
		for _, op := range []string{"has", "has_cs", "==", "=~"} {
			f, ok := builtins.Lookup(op)
			if !ok {
				t.Fatalf("no builtin %s", op)
			}
			pred := &plan.Call{Name: op, Func: f, T: types.Bool, Args: []plan.Expr{
				&plan.ColRef{Index: 0, Name: "h", T: types.String}, &plan.Const{T: types.String, Value: needle}}}
			fi := analyzeFilter(plan.ScanFilter{Column: "h", Op: plan.OpPred, Pred: pred}, types.String)
			if fi.anyOf == nil {
				continue
			}
			e, err := exec.NewValuePredicate(pred, types.String)
			if err != nil {
				t.Fatal(err)
			}
			pass, err := e.Eval(hv, len(hay), nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pass {
				if !p {
					continue
				}
				checked++
				for _, term := range fi.anyOf[0] {
					if !termsOfHay[i][term] {
						t.Fatalf("%q %s %q is true, but the haystack lacks the term %q (its terms: %v)", hay[i], op, needle, term, termsOfHay[i])
					}
				}
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d matches checked", checked)
	}
}

func TestTermIndexRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, n := range []int{1, 5, 64, 1000, 5000} {
		ib := newIndexBuilder()
		want := map[string]map[int]bool{}
		for i := 0; i < n; i++ {
			s := randText(rng, rng.IntN(12))
			ib.add(i, s)
			eachTerm(s, nil, func(t []byte) {
				if want[string(t)] == nil {
					want[string(t)] = map[int]bool{}
				}
				want[string(t)][i] = true
			})
		}
		ti, err := openIndex(ib.encode(n), n)
		if err != nil {
			t.Fatal(err)
		}
		for term, rows := range want {
			got, err := ti.rows([]byte(term))
			if err != nil {
				t.Fatal(err)
			}
			if got.count() != len(rows) {
				t.Fatalf("n=%d term %q: %d rows, want %d", n, term, got.count(), len(rows))
			}
			for r := range rows {
				if !got.get(r) {
					t.Fatalf("term %q lacks row %d", term, r)
				}
			}
		}
		if got, _ := ti.rows([]byte("zzz-not-a-term")); got != nil {
			t.Fatal("a missing term has rows")
		}
	}
}
