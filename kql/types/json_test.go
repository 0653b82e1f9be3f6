package types

import (
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":1,"b":[true,false,null],"c":"x\"y"}`, `{"a":1,"b":[true,false,null],"c":"x\"y"}`},
		{` [ 1.5 , -2, 1e3, "\u00e9\ud83d\ude00" ] `, `[1.5,-2,1000,"é😀"]`},
		{`12345678901234567890`, `12345678901234567000`},
		{`"tab\tnew\nline"`, `"tab\tnew\nline"`},
		{`{}`, `{}`},
	}
	for _, c := range cases {
		v, err := ParseJSON([]byte(c.in))
		if err != nil {
			t.Errorf("ParseJSON(%q): %v", c.in, err)
			continue
		}
		if got := string(AppendJSON(nil, v)); got != c.want {
			t.Errorf("ParseJSON(%q) -> %s, want %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{``, `{`, `[1,]`, `{"a" 1}`, `"abc`, `tru`, `1 2`, strings.Repeat("[", 1000)} {
		if _, err := ParseJSON([]byte(bad)); err == nil {
			t.Errorf("ParseJSON(%q) succeeded", bad)
		}
	}
}

func TestDynString(t *testing.T) {
	b := NewBag(2)
	b.Set("k", "v")
	b.Set("n", int64(2))
	cases := []struct {
		v    any
		want string
	}{
		{nil, ""}, {"text", "text"}, {int64(5), "5"}, {1.5, "1.5"}, {true, "true"},
		{[]any{"a", int64(1)}, `["a",1]`}, {b, `{"k":"v","n":2}`},
		{DT(0), "1970-01-01T00:00:00.0000000Z"}, {TS(TicksPerDay), "1.00:00:00"},
	}
	for _, c := range cases {
		if got := DynString(c.v); got != c.want {
			t.Errorf("DynString(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestGuid(t *testing.T) {
	g, ok := ParseGuid("{5F0C2A4E-8B1D-4E63-9A57-2D8C1F3E7A10}")
	if !ok || FormatGuid(g) != "5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10" {
		t.Fatalf("ParseGuid: %v %s", ok, FormatGuid(g))
	}
	for _, bad := range []string{"", "5f0c2a4e8b1d-4e63-9a57-2d8c1f3e7a10", "zz0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10"} {
		if _, ok := ParseGuid(bad); ok {
			t.Errorf("ParseGuid(%q) succeeded", bad)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\ud83d"`, `-1.5e10`, `[[[]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseJSON(data)
		if err != nil {
			return
		}
		out := AppendJSON(nil, v)
		if _, err := ParseJSON(out); err != nil {
			t.Fatalf("re-parse of %q failed: %v", out, err)
		}
	})
}
