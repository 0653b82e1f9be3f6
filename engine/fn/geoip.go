package fn

// geo_info_from_ip_address() over a MaxMind DB file.
//
// Kusto answers from the GeoLite2-City database it ships. hunt ships no
// database (its licence and size keep it out of a single binary); the
// user gives one, such as GeoLite2-City.mmdb or a DB-IP City Lite file in
// the same format, and the run passes it in Ctx.GeoIP. Without one the
// function fails with a "not available offline" error that says so.
//
// The reader follows the MaxMind DB file format specification (version
// 2): a binary search tree over the address bits with 24-, 28- or 32-bit
// records, a data section of typed values, and a metadata map at the end
// of the file. The result holds the documented fields: country, state
// (the first subdivision), city, latitude and longitude, names in English;
// a field the database lacks is left out. An address the database does
// not cover gives an empty bag, text that is not an address gives null.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"os"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// GeoDB is an opened MaxMind DB file.
type GeoDB struct {
	buf        []byte
	nodeCount  uint32
	recordSize int
	ipVersion  int
	dataStart  int
	ipv4Start  uint32 // the node of ::/96, where IPv4 addresses start
}

var geoMetaMarker = []byte("\xab\xcd\xefMaxMind.com")

// OpenGeoDB reads a MaxMind DB file into memory.
func OpenGeoDB(path string) (*GeoDB, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	db, err := NewGeoDB(buf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// NewGeoDB parses the bytes of a MaxMind DB file.
func NewGeoDB(buf []byte) (*GeoDB, error) {
	at := bytes.LastIndex(buf, geoMetaMarker)
	if at < 0 {
		return nil, fmt.Errorf("not a MaxMind DB file (no metadata marker)")
	}
	metaStart := at + len(geoMetaMarker)
	d := geoDecoder{buf: buf[metaStart:]}
	m, _, err := d.decode(0, 0)
	if err != nil {
		return nil, fmt.Errorf("bad metadata: %w", err)
	}
	meta, ok := m.(*types.Bag)
	if !ok {
		return nil, fmt.Errorf("bad metadata: not a map")
	}
	num := func(k string) (int64, bool) {
		v, ok := meta.Get(k)
		if !ok {
			return 0, false
		}
		n, ok := v.(int64)
		return n, ok
	}
	nodes, ok1 := num("node_count")
	rec, ok2 := num("record_size")
	ipv, ok3 := num("ip_version")
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("bad metadata: node_count, record_size or ip_version missing")
	}
	if rec != 24 && rec != 28 && rec != 32 {
		return nil, fmt.Errorf("unsupported record size %d", rec)
	}
	treeSize := int(rec) * 2 / 8 * int(nodes)
	if treeSize+16 > at || nodes <= 0 || nodes > math.MaxUint32 {
		return nil, fmt.Errorf("bad metadata: the search tree does not fit the file")
	}
	db := &GeoDB{buf: buf[:at], nodeCount: uint32(nodes), recordSize: int(rec), ipVersion: int(ipv), dataStart: treeSize + 16}
	if ipv == 6 {
		node := uint32(0)
		for i := 0; i < 96 && node < db.nodeCount; i++ {
			node = db.record(node, 0)
		}
		db.ipv4Start = node
	}
	return db, nil
}

// record reads the left (bit 0) or right (bit 1) record of node n.
func (db *GeoDB) record(n uint32, bit int) uint32 {
	switch db.recordSize {
	case 24:
		b := db.buf[int(n)*6+bit*3:]
		return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
	case 28:
		b := db.buf[int(n)*7:]
		if bit == 0 {
			return uint32(b[3]&0xf0)<<20 | uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
		}
		return uint32(b[3]&0x0f)<<24 | uint32(b[4])<<16 | uint32(b[5])<<8 | uint32(b[6])
	}
	return binary.BigEndian.Uint32(db.buf[int(n)*8+bit*4:])
}

// lookup returns the data record of addr; ok is false when the database
// does not cover it.
func (db *GeoDB) lookup(addr netip.Addr) (any, bool, error) {
	var bits []byte
	node := uint32(0)
	if addr.Is4() || addr.Is4In6() {
		a := addr.Unmap().As4()
		bits = a[:]
		if db.ipVersion == 6 {
			node = db.ipv4Start
		}
	} else {
		if db.ipVersion == 4 {
			return nil, false, nil
		}
		a := addr.As16()
		bits = a[:]
	}
	for i := 0; i < len(bits)*8 && node < db.nodeCount; i++ {
		node = db.record(node, int(bits[i/8]>>(7-i%8)&1))
	}
	if node <= db.nodeCount {
		return nil, false, nil
	}
	off := int(node-db.nodeCount) - 16
	d := geoDecoder{buf: db.buf[db.dataStart:]}
	v, _, err := d.decode(off, 0)
	return v, err == nil, err
}

// Lookup returns what geo_info_from_ip_address() returns for text: nil
// for text that is not an IP address, an empty bag for an address the
// database does not cover.
func (db *GeoDB) Lookup(text string) (any, error) {
	addr, err := netip.ParseAddr(text)
	if err != nil {
		return nil, nil
	}
	rec, ok, err := db.lookup(addr)
	if err != nil {
		return nil, fmt.Errorf("geolocation database: %w", err)
	}
	out := types.NewBag(5)
	if !ok {
		return out, nil
	}
	if s, ok := geoName(rec, "country"); ok {
		out.Set("country", s)
	} else if s, ok := geoName(rec, "registered_country"); ok {
		out.Set("country", s)
	}
	if subs, ok := geoPath(rec, "subdivisions").([]any); ok && len(subs) > 0 {
		if s, ok := geoName(subs[0], ""); ok {
			out.Set("state", s)
		}
	}
	if s, ok := geoName(rec, "city"); ok {
		out.Set("city", s)
	}
	for _, k := range []string{"latitude", "longitude"} {
		if f, ok := geoPath(rec, "location", k).(float64); ok {
			out.Set(k, f)
		}
	}
	return out, nil
}

// geoPath walks maps by key.
func geoPath(v any, keys ...string) any {
	for _, k := range keys {
		b, ok := v.(*types.Bag)
		if !ok {
			return nil
		}
		v, _ = b.Get(k)
	}
	return v
}

// geoName reads the English name of v[key] (of v itself when key is "").
func geoName(v any, key string) (string, bool) {
	if key != "" {
		v = geoPath(v, key)
	}
	s, ok := geoPath(v, "names", "en").(string)
	return s, ok && s != ""
}

// geoDecoder decodes the data section's values.
type geoDecoder struct{ buf []byte }

// decode reads the value at off and returns it with the offset after it.
// Maps become bags, arrays []any, integers int64 (uint64 and uint128
// values past int64 become float64), doubles and floats float64.
func (d *geoDecoder) decode(off, depth int) (any, int, error) {
	if depth > 32 {
		return nil, 0, fmt.Errorf("data nested too deeply")
	}
	b := d.buf
	if off < 0 || off >= len(b) {
		return nil, 0, fmt.Errorf("data offset %d out of range", off)
	}
	ctrl := b[off]
	off++
	typ := int(ctrl >> 5)
	if typ == 1 { // pointer
		ss := int(ctrl>>3) & 3
		vvv := int(ctrl & 7)
		need := ss + 1
		if off+need > len(b) {
			return nil, 0, fmt.Errorf("truncated pointer")
		}
		var p int
		switch ss {
		case 0:
			p = vvv<<8 | int(b[off])
		case 1:
			p = (vvv<<16 | int(b[off])<<8 | int(b[off+1])) + 2048
		case 2:
			p = (vvv<<24 | int(b[off])<<16 | int(b[off+1])<<8 | int(b[off+2])) + 526336
		default:
			p = int(binary.BigEndian.Uint32(b[off:]))
		}
		v, _, err := d.decode(p, depth+1)
		return v, off + need, err
	}
	if typ == 0 { // extended type
		if off >= len(b) {
			return nil, 0, fmt.Errorf("truncated type")
		}
		typ = 7 + int(b[off])
		off++
	}
	size := int(ctrl & 0x1f)
	if size >= 29 {
		n := size - 28
		if off+n > len(b) {
			return nil, 0, fmt.Errorf("truncated size")
		}
		ext := 0
		for _, c := range b[off : off+n] {
			ext = ext<<8 | int(c)
		}
		off += n
		size = []int{29, 285, 65821}[n-1] + ext
	}
	switch typ {
	case 7: // map
		m := types.NewBag(size)
		for i := 0; i < size; i++ {
			k, next, err := d.decode(off, depth+1)
			if err != nil {
				return nil, 0, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, 0, fmt.Errorf("map key is not a string")
			}
			v, next2, err := d.decode(next, depth+1)
			if err != nil {
				return nil, 0, err
			}
			m.Set(key, v)
			off = next2
		}
		return m, off, nil
	case 11: // array
		arr := make([]any, 0, min(size, 1024))
		for i := 0; i < size; i++ {
			v, next, err := d.decode(off, depth+1)
			if err != nil {
				return nil, 0, err
			}
			arr = append(arr, v)
			off = next
		}
		return arr, off, nil
	case 14: // boolean: the value is the size
		return size != 0, off, nil
	}
	if off+size > len(b) {
		return nil, 0, fmt.Errorf("truncated value")
	}
	raw := b[off : off+size]
	off += size
	switch typ {
	case 2: // UTF-8 string
		return string(raw), off, nil
	case 3: // double
		if size != 8 {
			return nil, 0, fmt.Errorf("double of %d bytes", size)
		}
		return math.Float64frombits(binary.BigEndian.Uint64(raw)), off, nil
	case 15: // float
		if size != 4 {
			return nil, 0, fmt.Errorf("float of %d bytes", size)
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(raw))), off, nil
	case 4: // bytes
		return string(raw), off, nil
	case 5, 6, 9, 10: // unsigned integers
		var u uint64
		var f float64
		big := false
		for _, c := range raw {
			if u>>56 != 0 {
				big = true
			}
			u = u<<8 | uint64(c)
			f = f*256 + float64(c)
		}
		if big || u > math.MaxInt64 {
			return f, off, nil
		}
		return int64(u), off, nil
	case 8: // int32
		var u uint32
		for _, c := range raw {
			u = u<<8 | uint32(c)
		}
		return int64(int32(u)), off, nil
	case 12, 13: // data cache container, end marker: not values
		return nil, off, nil
	}
	return nil, 0, fmt.Errorf("unknown data type %d", typ)
}

func init() {
	RegisterScalar("geo_info_from_ip_address", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			if ctx == nil || ctx.GeoIP == nil {
				return nil, fmt.Errorf("not available offline: geo_info_from_ip_address() needs a geolocation database (give a MaxMind DB file such as GeoLite2-City.mmdb)")
			}
			m, c := coreRows(n, a...)
			out := vec.New(types.Dynamic, m)
			for i := 0; i < m; i++ {
				if a[0].Type != types.String && a[0].IsNull(i) {
					out.AppendNull()
					continue
				}
				v, err := ctx.GeoIP.Lookup(strText(a[0], i))
				if err != nil {
					return nil, err
				}
				out.Append(v)
			}
			out.Const = c
			return out, nil
		}, nil
	})
}
