package types

import "testing"

// TestParseDatetimeLenient covers the looser forms Kusto's datetime
// literals and todatetime() accept; the cases come from the KQL
// reference's examples (dayofweek, todatetime, endofweek,
// sliding_window_counts, array_iff).
func TestParseDatetimeLenient(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1970-5-12", "1970-05-12T00:00:00.0000000Z"},
		{"12-02-2022", "2022-12-02T00:00:00.0000000Z"},
		{"01-01-2022", "2022-01-01T00:00:00.0000000Z"},
		{"2017 - 08 - 01", "2017-08-01T00:00:00.0000000Z"},
		{"2025, 6, 14", "2025-06-14T00:00:00.0000000Z"},
		{"1/2/06", "2006-01-02T00:00:00.0000000Z"},
		{"1/2/75", "1975-01-02T00:00:00.0000000Z"},
		{"12.31.2015", "2015-12-31T00:00:00.0000000Z"},
		{"2015.12.31", "2015-12-31T00:00:00.0000000Z"},
		{"2017-8-1 9:05", "2017-08-01T09:05:00.0000000Z"},
		{"2017-8-1T9:05:07.5Z", "2017-08-01T09:05:07.5000000Z"},
		{"12/31/2015 11:59:59 PM", "2015-12-31T23:59:59.0000000Z"},
		{"12/31/2015 12:00:00 AM", "2015-12-31T00:00:00.0000000Z"},
		{"Jan 5 2020", "2020-01-05T00:00:00.0000000Z"},
		{"5 January 2020 10:00 +02:00", "2020-01-05T08:00:00.0000000Z"},
		{"Sunday, June 15, 2025", "2025-06-15T00:00:00.0000000Z"},
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
	for _, bad := range []string{"2024", "5/12", "13/01/2020", "2020-01-01 13:00 PM", "Jan Feb 2020", "1.2.3.4", "1.2.3", "10.0.1", "10:00", "2020-1-1 1:2:3:4", "31-12-2020"} {
		if _, ok := ParseDatetime(bad); ok {
			t.Errorf("ParseDatetime(%q) succeeded", bad)
		}
	}
}
