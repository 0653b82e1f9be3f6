package fn

import (
	"encoding/binary"
	"math"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- a MaxMind DB writer for the tests, from the format specification ----

type mmdbEnc struct{ b []byte }

func (e *mmdbEnc) ctrl(typ, size int) {
	var ext []byte
	switch {
	case size < 29:
	case size < 285:
		ext = []byte{byte(size - 29)}
		size = 29
	default:
		ext = []byte{byte((size - 285) >> 8), byte(size - 285)}
		size = 30
	}
	if typ <= 7 {
		e.b = append(e.b, byte(typ<<5|size))
	} else {
		e.b = append(e.b, byte(size), byte(typ-7))
	}
	e.b = append(e.b, ext...)
}

// value encodes strings, float64 (double), uint32 (unsigned), int (int32),
// bool, []any, map[string]any and mmdbPtr.
func (e *mmdbEnc) value(v any) {
	switch x := v.(type) {
	case string:
		e.ctrl(2, len(x))
		e.b = append(e.b, x...)
	case float64:
		e.ctrl(3, 8)
		e.b = binary.BigEndian.AppendUint64(e.b, math.Float64bits(x))
	case uint32:
		n := 4
		for n > 0 && x>>(8*(n-1)) == 0 {
			n--
		}
		e.ctrl(6, n)
		for k := n - 1; k >= 0; k-- {
			e.b = append(e.b, byte(x>>(8*k)))
		}
	case int:
		e.ctrl(8, 4)
		e.b = binary.BigEndian.AppendUint32(e.b, uint32(int32(x)))
	case bool:
		n := 0
		if x {
			n = 1
		}
		e.ctrl(14, n)
	case []any:
		e.ctrl(11, len(x))
		for _, y := range x {
			e.value(y)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.ctrl(7, len(x))
		for _, k := range keys {
			e.value(k)
			e.value(x[k])
		}
	case mmdbPtr:
		e.b = append(e.b, byte(1<<5|(int(x)>>8)&7), byte(x))
	}
}

// mmdbPtr is a pointer (below 2048) into the data section.
type mmdbPtr int

type mmdbNet struct {
	prefix string
	rec    any
}

// mmdbBuild writes an IPv6 database (IPv4 under ::/96) with the given
// networks and record size.
func mmdbBuild(t *testing.T, recordSize int, shared any, nets []mmdbNet) []byte {
	t.Helper()
	var data mmdbEnc
	if shared != nil {
		data.value(shared) // at offset 0, for pointers
	}
	type node struct{ kid [2]int } // -1 empty, >= 0 node, < -1 data at -(v+2)
	nodes := []node{{[2]int{-1, -1}}}
	for _, nw := range nets {
		p := netip.MustParsePrefix(nw.prefix)
		addr := p.Addr().As16()
		bits := p.Bits()
		if p.Addr().Is4() {
			bits += 96
			addr = netip.AddrFrom16(netip.AddrFrom4(p.Addr().As4()).As16()).As16()
			for i := 10; i < 12; i++ {
				addr[i] = 0 // ::a.b.c.d, not ::ffff:a.b.c.d
			}
		}
		off := len(data.b)
		data.value(nw.rec)
		n := 0
		for i := 0; i < bits; i++ {
			bit := int(addr[i/8]>>(7-i%8)) & 1
			if i == bits-1 {
				nodes[n].kid[bit] = -(off + 2)
				break
			}
			if nodes[n].kid[bit] < 0 {
				nodes = append(nodes, node{[2]int{-1, -1}})
				nodes[n].kid[bit] = len(nodes) - 1
			}
			n = nodes[n].kid[bit]
		}
	}
	count := len(nodes)
	val := func(k int) uint32 {
		switch {
		case k == -1:
			return uint32(count)
		case k >= 0:
			return uint32(k)
		}
		return uint32(count + 16 + (-k - 2))
	}
	var tree []byte
	for _, nd := range nodes {
		l, r := val(nd.kid[0]), val(nd.kid[1])
		switch recordSize {
		case 24:
			tree = append(tree, byte(l>>16), byte(l>>8), byte(l), byte(r>>16), byte(r>>8), byte(r))
		case 28:
			tree = append(tree, byte(l>>16), byte(l>>8), byte(l), byte(l>>24<<4)|byte(r>>24&0x0f), byte(r>>16), byte(r>>8), byte(r))
		case 32:
			tree = binary.BigEndian.AppendUint32(tree, l)
			tree = binary.BigEndian.AppendUint32(tree, r)
		}
	}
	var meta mmdbEnc
	meta.value(map[string]any{
		"node_count": uint32(count), "record_size": uint32(recordSize), "ip_version": uint32(6),
		"database_type": "Test-City", "binary_format_major_version": uint32(2),
	})
	out := append(tree, make([]byte, 16)...)
	out = append(out, data.b...)
	out = append(out, geoMetaMarker...)
	return append(out, meta.b...)
}

func mmdbCity(country, state, city string, lat, lon float64) map[string]any {
	names := func(s string) map[string]any { return map[string]any{"names": map[string]any{"en": s, "de": s + "!"}} }
	sub := names(state)
	sub["iso_code"] = "NSW"
	return map[string]any{
		"country":      names(country),
		"subdivisions": []any{sub},
		"city":         names(city),
		"location":     map[string]any{"latitude": lat, "longitude": lon, "accuracy_radius": uint32(100), "metro_code": 0},
		"is_anycast":   true,
		"long_text":    strings.Repeat("x", 300),
	}
}

func TestGeoInfoFromIPAddress(t *testing.T) {
	nets := []mmdbNet{
		// The page's examples.
		{"20.53.203.0/24", mmdbCity("Australia", "New South Wales", "Sydney", -33.8715, 151.2006)},
		{"2a03:2880:f12c::/48", mmdbCity("United States", "Florida", "Boca Raton", 26.3594, -80.0771)},
		// A network with only a registered country, named through a pointer.
		{"198.51.100.0/24", map[string]any{"registered_country": mmdbPtr(0)}},
	}
	shared := map[string]any{"names": map[string]any{"en": "Netherlands"}}
	for _, rs := range []int{24, 28, 32} {
		db, err := NewGeoDB(mmdbBuild(t, rs, shared, nets))
		if err != nil {
			t.Fatalf("record size %d: %v", rs, err)
		}
		ctx := &Ctx{GeoIP: db}
		check := func(ip string, want string) {
			t.Helper()
			k, err := NewScalar("geo_info_from_ip_address", []builtins.Arg{{Type: types.String}}, types.Dynamic)
			if err != nil {
				t.Fatal(err)
			}
			out, err := k(ctx, []*vec.Vec{vec.Constant(types.String, ip)}, 1)
			if err != nil {
				t.Fatalf("record size %d, %s: %v", rs, ip, err)
			}
			got := "null"
			if v := out.Get(0); v != nil {
				got = string(types.AppendJSON(nil, v))
			}
			if got != want {
				t.Errorf("record size %d: geo_info_from_ip_address(%q) = %s, want %s", rs, ip, got, want)
			}
		}
		check("20.53.203.50", `{"country":"Australia","state":"New South Wales","city":"Sydney","latitude":-33.8715,"longitude":151.2006}`)
		check("2a03:2880:f12c:83:face:b00c::25de", `{"country":"United States","state":"Florida","city":"Boca Raton","latitude":26.3594,"longitude":-80.0771}`)
		check("::ffff:20.53.203.1", `{"country":"Australia","state":"New South Wales","city":"Sydney","latitude":-33.8715,"longitude":151.2006}`)
		check("198.51.100.7", `{"country":"Netherlands"}`)
		check("20.53.204.1", `{}`)
		check("10.0.0.1", `{}`)
		check("not an ip", `null`)
	}
	// Without a database the function says what it needs.
	k, _ := NewScalar("geo_info_from_ip_address", []builtins.Arg{{Type: types.String}}, types.Dynamic)
	if _, err := k(&Ctx{}, []*vec.Vec{vec.Constant(types.String, "1.1.1.1")}, 1); err == nil || !strings.Contains(err.Error(), "not available offline") {
		t.Errorf("without a database: %v", err)
	}
	// Files that are not databases are refused.
	for _, bad := range [][]byte{nil, []byte("hello"), append([]byte("x"), geoMetaMarker...)} {
		if _, err := NewGeoDB(bad); err == nil {
			t.Errorf("NewGeoDB(%q) succeeded", bad)
		}
	}
}

// The decoder reads every type of the format and never panics on
// truncated data.
func TestGeoDecoder(t *testing.T) {
	var e mmdbEnc
	e.value([]any{"a", 1.5, uint32(70000), -5, true, false, map[string]any{"k": strings.Repeat("é", 200)}})
	d := geoDecoder{buf: e.b}
	v, end, err := d.decode(0, 0)
	if err != nil || end != len(e.b) {
		t.Fatalf("decode: %v, end %d of %d", err, end, len(e.b))
	}
	want := `["a",1.5,70000,-5,true,false,{"k":"` + strings.Repeat("é", 200) + `"}]`
	if got := string(types.AppendJSON(nil, v)); got != want {
		t.Errorf("decoded %s", got)
	}
	for n := 0; n < len(e.b); n++ {
		d := geoDecoder{buf: e.b[:n]}
		if _, _, err := d.decode(0, 0); err == nil {
			t.Errorf("decoding %d of %d bytes succeeded", n, len(e.b))
		}
	}
}
