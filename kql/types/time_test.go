package types

import "testing"

func TestDatetimeRoundTrip(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2026-11-25T10:00:00Z", "2026-11-25T10:00:00.0000000Z"},
		{"2026-11-25", "2026-11-25T00:00:00.0000000Z"},
		{"2015-12-31 23:59:59.9", "2015-12-31T23:59:59.9000000Z"},
		{"2026-07-18T16:57:49.239Z", "2026-07-18T16:57:49.2390000Z"},
		{"2026-07-18T16:57:49.123456789Z", "2026-07-18T16:57:49.1234567Z"},
		{"2026-07-18T18:57:49+02:00", "2026-07-18T16:57:49.0000000Z"},
		{"0001-01-01", "0001-01-01T00:00:00.0000000Z"},
		{"9999-12-31 23:59:59.9999999", "9999-12-31T23:59:59.9999999Z"},
		{"1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5000000Z"},
		{"Sat, 08 Nov 2014 15:05:02 GMT", "2014-11-08T15:05:02.0000000Z"},
	}
	for _, c := range cases {
		ticks, ok := ParseDatetime(c.in)
		if !ok {
			t.Errorf("ParseDatetime(%q) failed", c.in)
			continue
		}
		if got := FormatDatetime(ticks); got != c.want {
			t.Errorf("ParseDatetime(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "yesterday", "2026-01-01T25:00"} {
		if _, ok := ParseDatetime(bad); ok {
			t.Errorf("ParseDatetime(%q) succeeded", bad)
		}
	}
}

func TestTimespan(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1d", "1.00:00:00"},
		{"1.5d", "1.12:00:00"},
		{"30m", "00:30:00"},
		{"100ms", "00:00:00.1000000"},
		{"15 seconds", "00:00:15"},
		{"2", "2.00:00:00"},
		{"0.12:34:56.7", "12:34:56.7000000"},
		{"1.02:03:04.5", "1.02:03:04.5000000"},
		{"-1h", "-01:00:00"},
		{"10tick", "00:00:00.0000010"},
		{"1microsecond", "00:00:00.0000010"},
		{"00:01", "00:01:00"},
	}
	for _, c := range cases {
		ticks, ok := ParseTimespan(c.in)
		if !ok {
			t.Errorf("ParseTimespan(%q) failed", c.in)
			continue
		}
		if got := FormatTimespan(ticks); got != c.want {
			t.Errorf("ParseTimespan(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"", "1w", "abc", "1:99"} {
		if _, ok := ParseTimespan(bad); ok {
			t.Errorf("ParseTimespan(%q) succeeded", bad)
		}
	}
}
