package fn

import (
	"testing"

	"hunt/kql/types"
)

func TestStrIPv4(t *testing.T) {
	strCheck(t, 3232235777, "parse_ipv4", strS("192.168.1.1"))
	strCheck(t, 3232235776, "parse_ipv4", strS("192.168.1.1/24"))
	strCheck(t, 4294967294, "parse_ipv4", strS("255.255.255.255/31"))
	for _, bad := range []string{"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "a.b.c.d", " 1.2.3.4", "1..2.3", "1.2.3.0004"} {
		strCheck(t, nil, "parse_ipv4", strS(bad))
	}
	strCheck(t, 2130706432, "parse_ipv4_mask", strS("127.0.0.1"), strL(24))
	strCheck(t, nil, "parse_ipv4_mask", strS("127.0.0.1"), strL(33))
	for ip, want := range map[string]any{"10.1.2.3": true, "192.168.1.1/24": true, "127.0.0.1": false, "202.1.2.3": false,
		"172.16.0.1": true, "172.31.255.255": true, "172.32.0.0": false, "x": nil} {
		strCheck(t, want, "ipv4_is_private", strS(ip))
	}
	strCheck(t, true, "ipv4_is_in_range", strS("192.168.1.1"), strS("192.168.1.1"))
	strCheck(t, true, "ipv4_is_in_range", strS("192.168.1.1"), strS("192.168.1.255/24"))
	strCheck(t, false, "ipv4_is_in_range", strS("192.168.2.1"), strS("192.168.1.255/24"))
	strCheck(t, nil, "ipv4_is_in_range", strS("192.168.2.1"), strS("bad"))
	strCheck(t, true, "ipv4_is_in_any_range", strS("192.168.1.6"), strS("192.168.1.1/24"), strS("10.0.0.1/8"), strS("127.1.0.1/16"))
	strCheck(t, true, "ipv4_is_in_any_range", strS("127.0.0.1"), strDyn(`["127.0.0.1", "192.168.1.1"]`))
	nets := strDyn(`["192.168.1.1/16","127.0.0.1/8","10.0.0.1/8"]`)
	for ip, want := range map[string]any{"10.1.2.3": true, "192.168.1.5": true, "123.1.11.21": false, "1.1.1.1": false, "bad": nil} {
		strCheck(t, want, "ipv4_is_in_any_range", strS(ip), nets)
	}
	cmp := []struct {
		a, b   string
		prefix int64
	}{
		{"192.168.1.0", "192.168.1.0", -1}, {"192.168.1.1/24", "192.168.1.255", -1},
		{"192.168.1.1", "192.168.1.255/24", -1}, {"192.168.1.1/30", "192.168.1.255/24", -1},
		{"192.168.1.1", "192.168.1.0", 31}, {"192.168.1.1/24", "192.168.1.255", 31}, {"192.168.1.1", "192.168.1.255", 24},
	}
	for _, c := range cmp {
		args := []strV{strS(c.a), strS(c.b)}
		if c.prefix >= 0 {
			args = append(args, strL(c.prefix))
		}
		strCheck(t, 0, "ipv4_compare", args...)
		strCheck(t, true, "ipv4_is_match", args...)
	}
	strCheck(t, -1, "ipv4_compare", strS("10.0.0.1"), strS("10.0.0.2"))
	strCheck(t, 1, "ipv4_compare", strS("10.0.0.3"), strS("10.0.0.2"))
	strCheck(t, false, "ipv4_is_match", strS("10.0.0.3"), strS("10.0.0.2"))
	strCheck(t, nil, "ipv4_compare", strS("10.0.0.3"), strS("x"))
	strCheck(t, nil, "ipv4_compare", strS("10.0.0.3"), strS("10.0.0.3"), strL(40))
	for ip, want := range map[string]any{"10.1.2.3": int64(32), "192.168.1.1/24": int64(24), "127.0.0.1/16": int64(16), "x/8": nil} {
		strCheck(t, want, "ipv4_netmask_suffix", strS(ip))
	}
	fmts := []struct {
		ip         string
		mask       int64
		plain, cid string
	}{
		{"192.168.1.1", 24, "192.168.1.0", "192.168.1.0/24"},
		{"192.168.1.1", 32, "192.168.1.1", "192.168.1.1/32"},
		{"192.168.1.1/24", 32, "192.168.1.0", "192.168.1.0/24"},
		{"192.168.1.1/24", -1, "", ""},
	}
	for _, c := range fmts {
		strCheck(t, c.plain, "format_ipv4", strS(c.ip), strL(c.mask))
		strCheck(t, c.cid, "format_ipv4_mask", strS(c.ip), strL(c.mask))
	}
	strCheck(t, "192.168.1.1", "format_ipv4", strL(3232235777))
	strCheck(t, "192.168.1.0/24", "format_ipv4_mask", strL(3232235777), strL(24))
	strCheck(t, "", "format_ipv4", strL(-1))
}

func TestStrIPv6(t *testing.T) {
	for in, want := range map[string]string{
		"192.168.255.255":          "0000:0000:0000:0000:0000:ffff:c0a8:ffff",
		"192.168.255.255/24":       "0000:0000:0000:0000:0000:ffff:c0a8:ff00",
		"255.255.255.255":          "0000:0000:0000:0000:0000:ffff:ffff:ffff",
		"fe80::85d:e82c:9446:7994": "fe80:0000:0000:0000:085d:e82c:9446:7994",
		"::1":                      "0000:0000:0000:0000:0000:0000:0000:0001",
		"::":                       "0000:0000:0000:0000:0000:0000:0000:0000",
		"1::":                      "0001:0000:0000:0000:0000:0000:0000:0000",
		"1:2:3:4:5:6:7:8":          "0001:0002:0003:0004:0005:0006:0007:0008",
		"::ffff:1.2.3.4":           "0000:0000:0000:0000:0000:ffff:0102:0304",
		"1:2:3:4:5:6:7:8:9":        "",
		"1:::2":                    "",
		"1::2::3":                  "",
		"12345::":                  "",
		"x":                        "",
		"fe80::1/129":              "",
	} {
		strCheck(t, want, "parse_ipv6", strS(in))
	}
	masks := []struct {
		ip   string
		mask int64
		want string
	}{
		{"192.168.255.255", 120, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"},
		{"192.168.255.255/24", 124, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"},
		{"255.255.255.255", 128, "0000:0000:0000:0000:0000:ffff:ffff:ffff"},
		{"fe80::85d:e82c:9446:7994", 128, "fe80:0000:0000:0000:085d:e82c:9446:7994"},
		{"fe80::85d:e82c:9446:7994/120", 124, "fe80:0000:0000:0000:085d:e82c:9446:7900"},
		{"::192.168.255.255", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ffff"},
		{"::192.168.255.255/24", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"},
	}
	for _, c := range masks {
		strCheck(t, c.want, "parse_ipv6_mask", strS(c.ip), strL(c.mask))
	}
	pairs := [][2]string{
		{"192.168.1.1", "192.168.1.1"}, {"192.168.1.1/24", "192.168.1.255"}, {"192.168.1.1", "192.168.1.255/24"},
		{"192.168.1.1/30", "192.168.1.255/24"}, {"fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7994"},
		{"fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998"}, {"fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7998/120"},
		{"fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998/120"}, {"192.168.1.1", "::ffff:c0a8:0101"},
		{"192.168.1.1/24", "::ffff:c0a8:01ff"}, {"::ffff:c0a8:0101", "192.168.1.255/24"}, {"::192.168.1.1/30", "192.168.1.255/24"},
	}
	for _, p := range pairs {
		strCheck(t, 0, "ipv6_compare", strS(p[0]), strS(p[1]))
		strCheck(t, true, "ipv6_is_match", strS(p[0]), strS(p[1]))
	}
	withPrefix := []struct {
		a, b string
		p    int64
	}{
		{"192.168.1.1", "192.168.1.0", 31}, {"192.168.1.1/24", "192.168.1.255", 31}, {"192.168.1.1", "192.168.1.255", 24},
		{"fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127}, {"fe80::85d:e82c:9446:7994/127", "fe80::85d:e82c:9446:7998", 120},
		{"fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998", 127}, {"192.168.1.1/24", "::ffff:c0a8:01ff", 127},
		{"::ffff:c0a8:0101", "192.168.1.255", 120}, {"::192.168.1.1/30", "192.168.1.255/24", 127},
	}
	for _, c := range withPrefix {
		strCheck(t, 0, "ipv6_compare", strS(c.a), strS(c.b), strL(c.p))
		strCheck(t, true, "ipv6_is_match", strS(c.a), strS(c.b), strL(c.p))
	}
	// An IPv4 prefix argument counts IPv4 bits: /31 separates .1 from .2.
	strCheck(t, -1, "ipv6_compare", strS("192.168.1.1"), strS("192.168.1.2"), strL(31))
	strCheck(t, 1, "ipv6_compare", strS("fe80::2"), strS("fe80::1"))
	strCheck(t, nil, "ipv6_compare", strS("fe80::2"), strS("zz"))

	ip := "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd"
	strCheck(t, true, "ipv6_is_in_range", strS(ip), strS("a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112"))
	strCheck(t, true, "ipv6_is_in_range", strS(ip), strS(ip))
	strCheck(t, false, "ipv6_is_in_range", strS(ip), strS("0:0:0:0:0:ffff:c0a8:ac/60"))
	nets := strDyn(`["a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112","0:0:0:0:0:ffff:c0a8:ac/60"]`)
	for in, want := range map[string]any{
		"a5e:f127:8a9d:146d:e102:b5d3:c755:abcd": true, "a5e:f127:8a9d:146d:e102:b5d3:c755:abce": true,
		"a5e:f127:8a9d:146d:e102:b5d3:c756:abd1": false, "nope": nil,
	} {
		strCheck(t, want, "ipv6_is_in_any_range", strS(in), nets)
	}
}

func TestStrHasIPv4(t *testing.T) {
	log := strS("05:04:54 127.0.0.1 GET /favicon.ico 404")
	strCheck(t, true, "has_ipv4", log, strS("127.0.0.1"))
	strCheck(t, false, "has_ipv4", strS("05:04:54 127.0.0.256 GET /favicon.ico 404"), strS("127.0.0.256"))
	strCheck(t, false, "has_ipv4", strS("05:04:54127.0.0.1 GET /favicon.ico 404"), strS("127.0.0.1"))
	strCheck(t, true, "has_ipv4", strS("These requests came from: 192.168.1.1, 10.1.1.115 and 10.1.1.201"), strS("10.1.1.201"))
	strCheck(t, false, "has_ipv4", strS("from 10.1.1.115"), strS("10.1.1.11"))
	strCheck(t, false, "has_ipv4", strS("v10.1.1.1"), strS("10.1.1.1"))
	strCheck(t, false, "has_ipv4", strS("é10.1.1.1"), strS("10.1.1.1"))
	strCheck(t, true, "has_ipv4", strS("—10.1.1.1—"), strS("10.1.1.1"))
	strCheck(t, false, "has_ipv4", strNull(types.Dynamic), strS("10.1.1.1"))
	strCheck(t, true, "has_ipv4_prefix", log, strS("127.0."))
	strCheck(t, false, "has_ipv4_prefix", log, strS("127.0"))
	strCheck(t, false, "has_ipv4_prefix", strS("05:04:54 127.0.0.256 GET /favicon.ico 404"), strS("127.0."))
	strCheck(t, false, "has_ipv4_prefix", strS("05:04:54127.0.0.1 GET /favicon.ico 404"), strS("127.0."))
	strCheck(t, true, "has_ipv4_prefix", log, strS("127.0.0.1"))
	strCheck(t, true, "has_any_ipv4", log, strS("127.0.0.1"), strS("127.0.0.2"))
	strCheck(t, true, "has_any_ipv4", log, strDyn(`["127.0.0.1","127.0.0.2"]`))
	strCheck(t, false, "has_any_ipv4", strS("05:04:54 127.0.0.256 GET /favicon.ico 404"), strDyn(`["127.0.0.256","192.168.1.1"]`))
	strCheck(t, false, "has_any_ipv4", strS("05:04:54127.0.0.1 GET /favicon.ico 404"), strS("127.0.0.1"), strS("192.168.1.1"))
	strCheck(t, true, "has_any_ipv4_prefix", log, strS("127.0."), strS("192.168."))
	strCheck(t, true, "has_any_ipv4_prefix", log, strDyn(`["127.0.","192.168."]`))
	strCheck(t, false, "has_any_ipv4_prefix", log, strS("127.0"))
	strCheck(t, false, "has_any_ipv4_prefix", strS("05:04:54127.0.0.1 GET /favicon.ico 404"), strS("127.0."), strS("192."))
	strErr(t, "argument 2 must be string", "has_any_ipv4", log, strL(1))
}
