package fn

import (
	"strings"
	"testing"

	"hunt/kql/types"
)

func TestCompress(t *testing.T) {
	// gzip-base64-compress and zlib-base64-compress-function examples,
	// byte for byte.
	strCheck(t, "H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==", "gzip_compress_to_base64_string", strS("1234567890qwertyuiop"))
	strCheck(t, "eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==", "zlib_compress_to_base64_string", strS("1234567890qwertyuiop"))
	// Whatever is compressed decompresses to the same text, compressible
	// or not, empty or longer than one stored block.
	for _, s := range []string{"", "a", strings.Repeat("abc", 10000), strings.Repeat("é", 40000)} {
		for _, gz := range []bool{true, false} {
			c := strCompress(s, gz)
			if got := strDecompress(c, gz); got != s {
				t.Errorf("round trip (gzip %v) of %d bytes gave %d bytes", gz, len(s), len(got))
			}
		}
	}
	if c := strCompress(strings.Repeat("abc", 10000), true); len(c) > 1000 {
		t.Errorf("repetitive text did not compress: %d base64 bytes", len(c))
	}
}

func TestHashCombine(t *testing.T) {
	h := func(args ...strV) int64 {
		t.Helper()
		got, _, err := strEval("hash_many", strModeConst, args...)
		if err != nil {
			t.Fatal(err)
		}
		return got[0].(int64)
	}
	hv := func(s string) int64 {
		got, _, _ := strEval("hash", strModeConst, strS(s))
		return got[0].(int64)
	}
	// hash-many-function and hash-combine-function: hash_many(a, b) is
	// hash_combine(hash(a), hash(b)); the page's hash() values hold.
	if hv("Hello") != 753694413698530628 || hv("World") != 1846988464401551951 {
		t.Fatalf("hash() no longer matches the page's values")
	}
	want := h(strS("Hello"), strS("World"))
	strCheck(t, want, "hash_combine", strL(753694413698530628), strL(1846988464401551951))
	if want == h(strS("World"), strS("Hello")) {
		t.Errorf("hash_many ignores the order of its arguments")
	}
	if h(strS("Hello"), strL(1)) == h(strS("Hello"), strI(1)) {
		t.Errorf("hash_many does not tell int from long, as hash() does")
	}
	strCheck(t, hv("x"), "hash_many", strS("x"))
	strCheck(t, nil, "hash_combine", strL(1), strNull(types.Long))
	strCheck(t, want, "hash_many", strS("Hello"), strS("World"))
}
