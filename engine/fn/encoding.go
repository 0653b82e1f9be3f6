package fn

// URL, base64, compression and hash functions.
//
// Decisions where the reference is silent:
//   - url_encode escapes every byte of the UTF-8 text except ASCII letters,
//     digits and - _ . ! * ( ) as %xx with lower-case hex (the page's
//     example), a space as '+'; url_encode_component is the same with a
//     space as %20. url_decode turns '+' into a space and decodes %xx and
//     %uXXXX; malformed escapes are kept as they are.
//   - base64 decoding is strict standard base64 with padding (whitespace
//     is ignored); invalid input, or decoded bytes that are not UTF-8 for
//     base64_decode_tostring, give "" (the page's null) or null.
//   - The hash functions hash the tostring() text of the value as UTF-8
//     (checked against the pages' md5/sha1/sha256 examples for a string
//     and a datetime). hash()/hash_xxhash64() use XXH64 with seed 0 over
//     the UTF-8 of a string and the little-endian 8 bytes of a datetime's
//     .NET ticks (both checked against the pages' examples); other types
//     are hashed as their little-endian binary value (int: 4 bytes, long,
//     real, timespan ticks: 8, bool: 1, guid: its 16 bytes in .NET order),
//     which is unverified.
//   - parse_url follows the behaviour reported by real Kusto output
//     (microsoft/Kusto-Query-Language#112): a URL that does not start
//     with "scheme://" gives empty parts; user and password are recognised only in the
//     "user:password@" form; the port is what follows the last ':' of the
//     authority; Path keeps its leading '/'; query values are not decoded;
//     "Query Parameters" is a bag with sorted keys (pairs without '=' are
//     dropped, a repeated key keeps its last value).

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// ---- URLs ----------------------------------------------------------------------

func strURLSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '!' || c == '*' || c == '(' || c == ')'
}

func strURLEncode(s string, component bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strURLSafe(c):
			b.WriteByte(c)
		case c == ' ' && !component:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(strHexLower[c>>4])
			b.WriteByte(strHexLower[c&15])
		}
	}
	return b.String()
}

const strHexLower = "0123456789abcdef"

func strUnhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func strURLDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U'):
			var r rune
			ok := true
			for _, h := range []byte(s[i+2 : i+6]) {
				v, good := strUnhex(h)
				ok = ok && good
				r = r<<4 | rune(v)
			}
			if !ok {
				b = append(b, c)
				continue
			}
			b = utf8.AppendRune(b, r)
			i += 5
		case c == '%' && i+2 < len(s):
			hi, ok1 := strUnhex(s[i+1])
			lo, ok2 := strUnhex(s[i+2])
			if !ok1 || !ok2 {
				b = append(b, c)
				continue
			}
			b = append(b, hi<<4|lo)
			i += 2
		default:
			b = append(b, c)
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// strQueryBag parses "k1=v1&k2=v2" into a bag with sorted keys.
func strQueryBag(q string) *types.Bag {
	vals := map[string]string{}
	for _, pair := range strings.Split(q, "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" {
			continue
		}
		vals[k] = v
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	bag := types.NewBag(len(keys))
	for _, k := range keys {
		bag.Set(k, vals[k])
	}
	return bag
}

// strURLScheme reports whether s is a URL scheme: a letter followed by
// letters, digits, '+', '-' or '.'.
func strURLScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

func strParseURL(u string) *types.Bag {
	var scheme, host, port, path, user, pass, query, frag string
	if k := strings.Index(u, "://"); k > 0 && strURLScheme(u[:k]) {
		scheme = u[:k]
		rest := u[k+3:]
		if j := strings.IndexByte(rest, '#'); j >= 0 {
			frag = rest[j+1:]
			rest = rest[:j]
		}
		if j := strings.IndexByte(rest, '?'); j >= 0 {
			query = rest[j+1:]
			rest = rest[:j]
		}
		auth := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			auth, path = rest[:j], rest[j:]
		}
		if j := strings.LastIndexByte(auth, '@'); j >= 0 {
			if ui := auth[:j]; strings.IndexByte(ui, ':') >= 0 {
				user, pass, _ = strings.Cut(ui, ":")
				auth = auth[j+1:]
			}
		}
		host = auth
		if j := strings.LastIndexByte(auth, ':'); j >= 0 {
			host, port = auth[:j], auth[j+1:]
		}
	}
	bag := types.NewBag(8)
	bag.Set("Scheme", scheme)
	bag.Set("Host", host)
	bag.Set("Port", port)
	bag.Set("Path", path)
	bag.Set("Username", user)
	bag.Set("Password", pass)
	bag.Set("Query Parameters", strQueryBag(query))
	bag.Set("Fragment", frag)
	return bag
}

// ---- base64 ---------------------------------------------------------------------

func strB64Decode(s string) ([]byte, bool) {
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}

// strGuidBytes returns a guid's bytes in .NET Guid.ToByteArray order (the
// first three fields little-endian), which base64_encode_fromguid uses.
func strGuidBytes(g types.GuidVal) []byte {
	b := g
	b[0], b[1], b[2], b[3] = g[3], g[2], g[1], g[0]
	b[4], b[5] = g[5], g[4]
	b[6], b[7] = g[7], g[6]
	return b[:]
}

func strGuidFromBytes(b []byte) types.GuidVal {
	var g types.GuidVal
	copy(g[:], b)
	g[0], g[1], g[2], g[3] = b[3], b[2], b[1], b[0]
	g[4], g[5] = b[5], b[4]
	g[6], g[7] = b[7], b[6]
	return g
}

func strDecompress(s string, gz bool) string {
	raw, ok := strB64Decode(s)
	if !ok {
		return ""
	}
	var r io.Reader
	var err error
	if gz {
		r, err = gzip.NewReader(bytes.NewReader(raw))
	} else {
		r, err = zlib.NewReader(bytes.NewReader(raw))
	}
	if err != nil {
		return ""
	}
	out, err := io.ReadAll(io.LimitReader(r, 1<<28))
	if err != nil || !utf8.Valid(out) {
		return ""
	}
	return string(out)
}

// ---- hashes ---------------------------------------------------------------------

const (
	strXXP1 uint64 = 11400714785074694791
	strXXP2 uint64 = 14029467366897019727
	strXXP3 uint64 = 1609587929392839161
	strXXP4 uint64 = 9650029242287828579
	strXXP5 uint64 = 2870177450012600261
)

func strXXRound(acc, in uint64) uint64 {
	acc += in * strXXP2
	acc = bits.RotateLeft64(acc, 31)
	return acc * strXXP1
}

func strXXMerge(acc, v uint64) uint64 {
	acc ^= strXXRound(0, v)
	return acc*strXXP1 + strXXP4
}

// strXXH64 is XXH64 (seed 0), written from the published specification.
func strXXH64(b []byte) uint64 {
	n := len(b)
	var h uint64
	i := 0
	if n >= 32 {
		p1 := strXXP1 // variables: the seed arithmetic wraps around
		v1 := p1 + strXXP2
		v2 := strXXP2
		v3 := uint64(0)
		v4 := v3 - p1
		for ; i+32 <= n; i += 32 {
			v1 = strXXRound(v1, binary.LittleEndian.Uint64(b[i:]))
			v2 = strXXRound(v2, binary.LittleEndian.Uint64(b[i+8:]))
			v3 = strXXRound(v3, binary.LittleEndian.Uint64(b[i+16:]))
			v4 = strXXRound(v4, binary.LittleEndian.Uint64(b[i+24:]))
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = strXXMerge(h, v1)
		h = strXXMerge(h, v2)
		h = strXXMerge(h, v3)
		h = strXXMerge(h, v4)
	} else {
		h = strXXP5
	}
	h += uint64(n)
	for ; i+8 <= n; i += 8 {
		h ^= strXXRound(0, binary.LittleEndian.Uint64(b[i:]))
		h = bits.RotateLeft64(h, 27)*strXXP1 + strXXP4
	}
	if i+4 <= n {
		h ^= uint64(binary.LittleEndian.Uint32(b[i:])) * strXXP1
		h = bits.RotateLeft64(h, 23)*strXXP2 + strXXP3
		i += 4
	}
	for ; i < n; i++ {
		h ^= uint64(b[i]) * strXXP5
		h = bits.RotateLeft64(h, 11) * strXXP1
	}
	h ^= h >> 33
	h *= strXXP2
	h ^= h >> 29
	h *= strXXP3
	h ^= h >> 32
	return h
}

// strNetEpochTicks is 0001-01-01 in datetime ticks (which count from the
// Unix epoch); .NET ticks count from 0001-01-01.
const strNetEpochTicks int64 = -621355968000000000

// strHashBytes appends the bytes hash() hashes for row i of v.
func strHashBytes(b []byte, v *vec.Vec, i int) []byte {
	r := v.Row(i)
	switch v.Type {
	case types.String:
		return append(b, v.Strs[r]...)
	case types.DateTime:
		return binary.LittleEndian.AppendUint64(b, uint64(v.Ints[r]-strNetEpochTicks))
	case types.Int:
		return binary.LittleEndian.AppendUint32(b, uint32(v.Ints[r]))
	case types.Long, types.Timespan:
		return binary.LittleEndian.AppendUint64(b, uint64(v.Ints[r]))
	case types.Real, types.Decimal:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Reals[r]))
	case types.Bool:
		return append(b, byte(strB2i(v.Bools[r])))
	case types.Guid:
		return append(b, strGuidBytes(v.Guids[r])...)
	}
	return strAppendText(b, v, i)
}

func strHashFactory(args []builtins.Arg, _ types.Type) (Scalar, error) {
	return strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		if a[0].Type != types.String && a[0].IsNull(i) {
			out.AppendNull()
			return nil
		}
		h := strXXH64(strHashBytes(nil, a[0], i))
		if len(a) > 1 {
			mod, ok := strInt(a[1], i)
			if !ok || mod <= 0 {
				out.AppendNull()
				return nil
			}
			out.Ints = append(out.Ints, int64(h%uint64(mod)))
			return nil
		}
		out.Ints = append(out.Ints, int64(h))
		return nil
	}), nil
}

func strDigest(sum func([]byte) []byte) Scalar {
	return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		if a[0].Type != types.String && a[0].IsNull(i) {
			out.Strs = append(out.Strs, "")
			return nil
		}
		out.Strs = append(out.Strs, hex.EncodeToString(sum(strAppendText(nil, a[0], i))))
		return nil
	})
}

func init() {
	RegisterScalar("url_encode", strFixed(strMapS(func(s string) string { return strURLEncode(s, false) })))
	RegisterScalar("url_encode_component", strFixed(strMapS(func(s string) string { return strURLEncode(s, true) })))
	RegisterScalar("url_decode", strFixed(strMapS(strURLDecode)))
	RegisterScalar("parse_url", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		out.Dyns = append(out.Dyns, strParseURL(strText(a[0], i)))
		return nil
	})))
	RegisterScalar("parse_urlquery", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		q := strings.TrimPrefix(strText(a[0], i), "?")
		bag := types.NewBag(1)
		bag.Set("Query Parameters", strQueryBag(q))
		out.Dyns = append(out.Dyns, bag)
		return nil
	})))

	RegisterScalar("base64_encode_tostring", strFixed(strMapS(func(s string) string {
		return base64.StdEncoding.EncodeToString([]byte(s))
	})))
	RegisterScalar("base64_decode_tostring", strFixed(strMapS(func(s string) string {
		b, ok := strB64Decode(s)
		if !ok || !utf8.Valid(b) {
			return ""
		}
		return string(b)
	})))
	RegisterScalar("base64_decode_toarray", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		b, ok := strB64Decode(strText(a[0], i))
		if !ok {
			out.AppendNull()
			return nil
		}
		arr := make([]any, len(b))
		for k, c := range b {
			arr[k] = int64(c)
		}
		out.Dyns = append(out.Dyns, arr)
		return nil
	})))
	// base64_encode_fromarray: every element must be an integer in
	// 0..255, else the result is "" (the page's null).
	RegisterScalar("base64_encode_fromarray", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		arr, ok := a[0].Get(i).([]any)
		if !ok {
			out.Strs = append(out.Strs, "")
			return nil
		}
		b := make([]byte, len(arr))
		for k, x := range arr {
			n, ok := strDynInt(x)
			if !ok || n < 0 || n > 255 {
				out.Strs = append(out.Strs, "")
				return nil
			}
			b[k] = byte(n)
		}
		out.Strs = append(out.Strs, base64.StdEncoding.EncodeToString(b))
		return nil
	})))
	RegisterScalar("base64_encode_fromguid", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		var g types.GuidVal
		ok := false
		switch x := a[0].Get(i).(type) {
		case types.GuidVal:
			g, ok = x, true
		case string:
			g, ok = types.ParseGuid(x)
		}
		if !ok {
			out.Strs = append(out.Strs, "")
			return nil
		}
		out.Strs = append(out.Strs, base64.StdEncoding.EncodeToString(strGuidBytes(g)))
		return nil
	})))
	RegisterScalar("base64_decode_toguid", strFixed(strEach(types.Guid, func(a []*vec.Vec, i int, out *vec.Vec) error {
		b, ok := strB64Decode(strText(a[0], i))
		if !ok || len(b) != 16 {
			out.AppendNull()
			return nil
		}
		out.Guids = append(out.Guids, strGuidFromBytes(b))
		return nil
	})))
	RegisterScalar("zlib_decompress_from_base64_string", strFixed(strMapS(func(s string) string { return strDecompress(s, false) })))
	RegisterScalar("gzip_decompress_from_base64_string", strFixed(strMapS(func(s string) string { return strDecompress(s, true) })))

	RegisterScalar("hash_md5", strFixed(strDigest(func(b []byte) []byte { s := md5.Sum(b); return s[:] })))
	RegisterScalar("hash_sha1", strFixed(strDigest(func(b []byte) []byte { s := sha1.Sum(b); return s[:] })))
	RegisterScalar("hash_sha256", strFixed(strDigest(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] })))
	RegisterScalar("hash", strHashFactory)
	RegisterScalar("hash_xxhash64", strHashFactory)
}

// ---- punycode (RFC 3492) ------------------------------------------------------

const (
	strPunyBase  = 36
	strPunyTMin  = 1
	strPunyTMax  = 26
	strPunySkew  = 38
	strPunyDamp  = 700
	strPunyBias  = 72
	strPunyStart = 128
)

func strPunyAdapt(delta, points int, first bool) int {
	if first {
		delta /= strPunyDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (strPunyBase-strPunyTMin)*strPunyTMax/2 {
		delta /= strPunyBase - strPunyTMin
		k += strPunyBase
	}
	return k + (strPunyBase-strPunyTMin+1)*delta/(delta+strPunySkew)
}

func strPunyT(k, bias int) int {
	switch {
	case k <= bias:
		return strPunyTMin
	case k >= bias+strPunyTMax:
		return strPunyTMax
	}
	return k - bias
}

func strPunyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// strPunyEncode encodes s (without the "xn--" prefix); ok is false on
// overflow or invalid UTF-8.
func strPunyEncode(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	in := []rune(s)
	var out []byte
	for _, r := range in {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := strPunyStart, 0, strPunyBias
	for h < len(in) {
		m := math.MaxInt32
		for _, r := range in {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		if (m - n) > (math.MaxInt32-delta)/(h+1) {
			return "", false
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range in {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := strPunyBase; ; k += strPunyBase {
					t := strPunyT(k, bias)
					if q < t {
						break
					}
					out = append(out, strPunyDigit(t+(q-t)%(strPunyBase-t)))
					q = (q - t) / (strPunyBase - t)
				}
				out = append(out, strPunyDigit(q))
				bias = strPunyAdapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out), true
}

// strPunyDecode decodes a punycode string (without "xn--").
func strPunyDecode(s string) (string, bool) {
	var out []rune
	pos := 0
	if k := strings.LastIndexByte(s, '-'); k > 0 {
		for i := 0; i < k; i++ {
			if s[i] >= 0x80 {
				return "", false
			}
			out = append(out, rune(s[i]))
		}
		pos = k + 1
	}
	n, i, bias := strPunyStart, 0, strPunyBias
	for pos < len(s) {
		oldi, w := i, 1
		for k := strPunyBase; ; k += strPunyBase {
			if pos >= len(s) {
				return "", false
			}
			c := s[pos]
			pos++
			var d int
			switch {
			case 'a' <= c && c <= 'z':
				d = int(c - 'a')
			case 'A' <= c && c <= 'Z':
				d = int(c - 'A')
			case '0' <= c && c <= '9':
				d = int(c-'0') + 26
			default:
				return "", false
			}
			if d > (math.MaxInt32-i)/w {
				return "", false
			}
			i += d * w
			t := strPunyT(k, bias)
			if d < t {
				break
			}
			w *= strPunyBase - t
		}
		bias = strPunyAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > unicode.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
			return "", false
		}
		out = slices.Insert(out, i, rune(n))
		i++
	}
	return string(out), true
}

// strPunyDomain applies f to every label of a domain name. Labels are
// separated by '.' or the IDNA dots U+3002, U+FF0E, U+FF61; the result
// uses '.'.
func strPunyDomain(s string, f func(label string) (string, bool)) string {
	labels := strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '\u3002' || r == '\uFF0E' || r == '\uFF61'
	})
	if strings.HasSuffix(s, ".") {
		labels = append(labels, "")
	}
	for k, l := range labels {
		v, ok := f(l)
		if !ok {
			return ""
		}
		labels[k] = v
	}
	return strings.Join(labels, ".")
}

// strRangeToCIDR splits the IPv4 range [lo, hi] into CIDR blocks.
func strRangeToCIDR(lo, hi uint32) []any {
	out := []any{}
	for cur := uint64(lo); cur <= uint64(hi); {
		size := 32
		for size > 0 {
			blk := uint64(1) << (32 - (size - 1))
			if cur%blk != 0 || cur+blk-1 > uint64(hi) {
				break
			}
			size--
		}
		out = append(out, strFormatIPv4(uint32(cur))+"/"+strconv.Itoa(size))
		cur += uint64(1) << (32 - size)
	}
	return out
}

func init() {
	RegisterScalar("punycode_from_string", strFixed(strMapS(func(s string) string {
		v, _ := strPunyEncode(s)
		return v
	})))
	RegisterScalar("punycode_to_string", strFixed(strMapS(func(s string) string {
		v, _ := strPunyDecode(s)
		return v
	})))
	// punycode_domain_to_string encodes the labels that are not ASCII
	// with the "xn--" prefix; punycode_domain_from_string decodes the
	// labels that carry it.
	RegisterScalar("punycode_domain_to_string", strFixed(strMapS(func(s string) string {
		return strPunyDomain(s, func(l string) (string, bool) {
			if strIsASCII(l) {
				return l, true
			}
			v, ok := strPunyEncode(l)
			return "xn--" + v, ok
		})
	})))
	RegisterScalar("punycode_domain_from_string", strFixed(strMapS(func(s string) string {
		return strPunyDomain(s, func(l string) (string, bool) {
			if len(l) < 4 || !strings.EqualFold(l[:4], "xn--") {
				return l, true
			}
			return strPunyDecode(l[4:])
		})
	})))
	// ipv4_range_to_cidr_list(start, end): null when an address is not a
	// plain IPv4 address or start > end.
	RegisterScalar("ipv4_range_to_cidr_list", strFixed(strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
		lo, ok1 := strParseIPv4Addr(strText(a[0], i))
		hi, ok2 := strParseIPv4Addr(strText(a[1], i))
		if !ok1 || !ok2 || lo > hi {
			out.AppendNull()
			return nil
		}
		out.Dyns = append(out.Dyns, strRangeToCIDR(lo, hi))
		return nil
	})))
}
