package fn

// IPv4 and IPv6 functions and the IPv4 text-match functions.
//
// Decisions where the reference is silent:
//   - An IPv4 address is four dot-separated decimal octets (0-255, one to
//     three digits each), optionally followed by "/prefix" with prefix
//     0-32. Leading and trailing spaces are not allowed. Any other text is
//     a conversion failure (null, or "" for string results).
//   - An IPv6 address is any RFC 4291 text form, optionally with
//     "/prefix" (0-128). An IPv4 address, and an IPv6 text ending in a
//     dotted IPv4 part ("::1.2.3.4", as the parse_ipv6_mask example shows),
//     is the IPv4-mapped address ::ffff:a.b.c.d, and a prefix written after
//     a dotted IPv4 part counts IPv4 bits (96 is added).
//   - The optional prefix argument of ipv6_compare/ipv6_is_match counts
//     IPv4 bits when both addresses are written as IPv4 and it is at most
//     32 (the pages' comments describe "31 bit IP4-prefix"), else IPv6
//     bits. Prefix arguments out of range give null.
//   - ipv4_is_in_any_range / ipv6_is_in_any_range: null when the address
//     is invalid; ranges that fail to parse are skipped.
//   - has_ipv4 and friends find IPv4 addresses in text greedily from the
//     left: a candidate starts where the previous character is not
//     alphanumeric and ends before a character that is not alphanumeric;
//     a candidate with an octet over 255 or of more than three digits is
//     not an address.

import (
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// strParseIPv4Addr parses exactly "a.b.c.d".
func strParseIPv4Addr(s string) (uint32, bool) {
	var v uint32
	octet := 0
	i := 0
	for octet < 4 {
		if octet > 0 {
			if i >= len(s) || s[i] != '.' {
				return 0, false
			}
			i++
		}
		j := i
		n := 0
		for j < len(s) && j-i < 4 && s[j] >= '0' && s[j] <= '9' {
			n = n*10 + int(s[j]-'0')
			j++
		}
		if j == i || j-i > 3 || n > 255 {
			return 0, false
		}
		v = v<<8 | uint32(n)
		i = j
		octet++
	}
	if i != len(s) {
		return 0, false
	}
	return v, true
}

// strParseIPv4 parses "a.b.c.d[/prefix]" and returns the address with the
// prefix applied and the prefix (32 when absent).
func strParseIPv4(s string) (addr uint32, prefix int, ok bool) {
	prefix = 32
	if k := strings.IndexByte(s, '/'); k >= 0 {
		p, err := strconv.Atoi(s[k+1:])
		if err != nil || p < 0 || p > 32 || strings.HasPrefix(s[k+1:], "+") {
			return 0, 0, false
		}
		prefix = p
		s = s[:k]
	}
	addr, ok = strParseIPv4Addr(s)
	return addr & strMask4(prefix), prefix, ok
}

func strMask4(p int) uint32 {
	if p <= 0 {
		return 0
	}
	if p >= 32 {
		return 0xFFFFFFFF
	}
	return ^uint32(0) << (32 - p)
}

func strFormatIPv4(a uint32) string {
	var b []byte
	for k := 3; k >= 0; k-- {
		b = strconv.AppendUint(b, uint64(a>>(8*k)&0xFF), 10)
		if k > 0 {
			b = append(b, '.')
		}
	}
	return string(b)
}

// strIP6 is a 128-bit address, high word first.
type strIP6 [2]uint64

func (a strIP6) mask(p int) strIP6 {
	switch {
	case p <= 0:
		return strIP6{}
	case p < 64:
		return strIP6{a[0] & (^uint64(0) << (64 - p)), 0}
	case p < 128:
		return strIP6{a[0], a[1] & (^uint64(0) << (128 - p))}
	}
	return a
}

func (a strIP6) cmp(b strIP6) int {
	switch {
	case a[0] < b[0]:
		return -1
	case a[0] > b[0]:
		return 1
	case a[1] < b[1]:
		return -1
	case a[1] > b[1]:
		return 1
	}
	return 0
}

// strParseIPv6 parses an IPv6 or IPv4 address with an optional prefix.
// v4 reports that the text was a plain IPv4 address. The prefix is not
// applied.
func strParseIPv6(s string) (a strIP6, prefix int, v4 bool, ok bool) {
	pfx := -1
	body := s
	if k := strings.IndexByte(s, '/'); k >= 0 {
		p, err := strconv.Atoi(s[k+1:])
		if err != nil || p < 0 || strings.HasPrefix(s[k+1:], "+") {
			return a, 0, false, false
		}
		pfx = p
		body = s[:k]
	}
	if strings.IndexByte(body, ':') < 0 {
		v, good := strParseIPv4Addr(body)
		if !good || pfx > 32 {
			return a, 0, false, false
		}
		if pfx < 0 {
			pfx = 32
		}
		return strIP6{0, 0xFFFF<<32 | uint64(v)}, pfx + 96, true, true
	}
	var words [8]uint16
	n := 0 // words filled before "::"
	gap := -1
	rest := body
	dotted := false
	if strings.HasPrefix(rest, "::") {
		gap = 0
		rest = rest[2:]
	} else if strings.HasPrefix(rest, ":") {
		return a, 0, false, false
	}
	for rest != "" {
		if n >= 8 {
			return a, 0, false, false
		}
		k := strings.IndexByte(rest, ':')
		part := rest
		if k >= 0 {
			part = rest[:k]
		}
		if strings.IndexByte(part, '.') >= 0 {
			if k >= 0 || n > 6 {
				return a, 0, false, false
			}
			v, good := strParseIPv4Addr(part)
			if !good {
				return a, 0, false, false
			}
			words[n] = uint16(v >> 16)
			words[n+1] = uint16(v)
			n += 2
			dotted = true
			rest = ""
			break
		}
		if part == "" || len(part) > 4 {
			return a, 0, false, false
		}
		w, err := strconv.ParseUint(part, 16, 16)
		if err != nil {
			return a, 0, false, false
		}
		words[n] = uint16(w)
		n++
		if k < 0 {
			rest = ""
			break
		}
		rest = rest[k+1:]
		if strings.HasPrefix(rest, ":") {
			if gap >= 0 {
				return a, 0, false, false
			}
			gap = n
			rest = rest[1:]
		} else if rest == "" {
			return a, 0, false, false
		}
	}
	if gap >= 0 {
		if n >= 8 {
			return a, 0, false, false
		}
		moved := n - gap
		copy(words[8-moved:], words[gap:n])
		for k := gap; k < 8-moved; k++ {
			words[k] = 0
		}
	} else if n != 8 {
		return a, 0, false, false
	}
	for k := 0; k < 4; k++ {
		a[0] = a[0]<<16 | uint64(words[k])
		a[1] = a[1]<<16 | uint64(words[k+4])
	}
	if dotted && a[0] == 0 && a[1]>>32 == 0 {
		// ::a.b.c.d is taken as the IPv4-mapped ::ffff:a.b.c.d.
		a[1] |= 0xFFFF << 32
	}
	switch {
	case pfx < 0:
		pfx = 128
	case dotted && pfx <= 32:
		pfx += 96
	case pfx > 128:
		return a, 0, false, false
	}
	return a, pfx, false, true
}

func strFormatIPv6(a strIP6) string {
	b := make([]byte, 0, 39)
	for k := 0; k < 8; k++ {
		w := a[k/4] >> (48 - 16*uint(k%4)) & 0xFFFF
		if k > 0 {
			b = append(b, ':')
		}
		for sh := 12; sh >= 0; sh -= 4 {
			b = append(b, strHexLower[w>>uint(sh)&15])
		}
	}
	return string(b)
}

// ---- IPv4 text search ----------------------------------------------------------

// strFindIPv4s calls f for each IPv4 address found in text until f
// returns true, and reports whether it did.
func strFindIPv4s(s string, f func(addr uint32) bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < '0' || c > '9' || strAlnumBefore(s, i) {
			i++
			continue
		}
		// Candidate: digits and dots from i.
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		// Take the first four dot-separated parts.
		end := i
		dots := 0
		for end < j {
			if s[end] == '.' {
				if dots == 3 {
					break
				}
				dots++
			}
			end++
		}
		if dots == 3 && !strAlnumAt(s, end) {
			if v, ok := strParseIPv4Addr(s[i:end]); ok && f(v) {
				return true
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return false
}

// strIPv4Prefix parses a has_ipv4_prefix needle: a full address, or one
// to three octets each followed by a dot. It returns the octets and their
// number.
func strIPv4Prefix(p string) (uint32, int, bool) {
	if v, ok := strParseIPv4Addr(p); ok {
		return v, 4, true
	}
	if !strings.HasSuffix(p, ".") {
		return 0, 0, false
	}
	parts := strings.Split(p[:len(p)-1], ".")
	if len(parts) < 1 || len(parts) > 3 {
		return 0, 0, false
	}
	var v uint32
	for _, q := range parts {
		if q == "" || len(q) > 3 {
			return 0, 0, false
		}
		n, err := strconv.Atoi(q)
		if err != nil || n > 255 || strings.HasPrefix(q, "+") {
			return 0, 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v << (8 * (4 - len(parts))), len(parts), true
}

// strIPList collects the string needles of the list arguments of row i.
func strIPList(a []*vec.Vec, i int) []string {
	var out []string
	for _, x := range strListElems(nil, a, i) {
		if x != nil {
			out = append(out, strDynText(x))
		}
	}
	return out
}

func strHasIPv4Factory(prefix bool) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		return strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
			type want struct {
				v    uint32
				mask uint32
			}
			var ws []want
			for _, n := range strIPList(a[1:], i) {
				if prefix {
					if v, k, ok := strIPv4Prefix(n); ok {
						ws = append(ws, want{v, strMask4(8 * k)})
					}
				} else if v, ok := strParseIPv4Addr(n); ok {
					ws = append(ws, want{v, 0xFFFFFFFF})
				}
			}
			found := false
			if len(ws) > 0 {
				found = strFindIPv4s(strText(a[0], i), func(addr uint32) bool {
					for _, w := range ws {
						if addr&w.mask == w.v {
							return true
						}
					}
					return false
				})
			}
			out.Bools = append(out.Bools, found)
			return nil
		}), nil
	}
}

// strPrefixArg reads an optional prefix argument k: ok=false for null or
// out of 0..max.
func strPrefixArg(a []*vec.Vec, k, i, max int) (int, bool, bool) {
	if len(a) <= k {
		return 0, false, true
	}
	p, ok := strInt(a[k], i)
	if !ok || p < 0 || p > int64(max) {
		return 0, true, false
	}
	return int(p), true, true
}

func strAppendBool(out *vec.Vec, v, ok bool) {
	if !ok {
		out.AppendNull()
		return
	}
	out.Bools = append(out.Bools, v)
}

// strCmp4 compares two IPv4 texts under their prefixes and the optional
// third argument.
func strCmp4(a []*vec.Vec, i int) (int, bool) {
	x, px, ok1 := strParseIPv4(strText(a[0], i))
	y, py, ok2 := strParseIPv4(strText(a[1], i))
	p, has, ok3 := strPrefixArg(a, 2, i, 32)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	m := min(px, py)
	if has {
		m = min(m, p)
	}
	x &= strMask4(m)
	y &= strMask4(m)
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

func strCmp6(a []*vec.Vec, i int) (int, bool) {
	x, px, v4x, ok1 := strParseIPv6(strText(a[0], i))
	y, py, v4y, ok2 := strParseIPv6(strText(a[1], i))
	if !ok1 || !ok2 {
		return 0, false
	}
	m := min(px, py)
	if len(a) > 2 {
		p, ok := strInt(a[2], i)
		if !ok || p < 0 || p > 128 {
			return 0, false
		}
		if v4x && v4y && p <= 32 {
			p += 96
		}
		m = min(m, int(p))
	}
	return x.mask(m).cmp(y.mask(m)), true
}

// strInRange6 reports whether ip is inside rng (both IPv6 or IPv4 texts).
func strInRange6(ip strIP6, pip int, rng string) (bool, bool) {
	r, pr, _, ok := strParseIPv6(rng)
	if !ok {
		return false, false
	}
	m := min(pip, pr)
	return ip.mask(m) == r.mask(m), true
}

func strInRange4(ip uint32, rng string) (bool, bool) {
	r, pr, ok := strParseIPv4(rng)
	if !ok {
		return false, false
	}
	return ip&strMask4(pr) == r, true
}

// strFormatIPv4Arg reads format_ipv4's first argument: IPv4 text or a
// number (big-endian value in 0..2^32-1).
func strFormatIPv4Arg(v *vec.Vec, i int) (uint32, int, bool) {
	if v.Type != types.String && v.Type != types.Dynamic && v.Type != types.Unknown {
		n, ok := strInt(v, i)
		if !ok || n < 0 || n > 0xFFFFFFFF {
			return 0, 0, false
		}
		return uint32(n), 32, true
	}
	if v.Type == types.Dynamic {
		if n, ok := strDynInt(v.Get(i)); ok {
			if n < 0 || n > 0xFFFFFFFF {
				return 0, 0, false
			}
			return uint32(n), 32, true
		}
	}
	return strParseIPv4(strText(v, i))
}

func init() {
	RegisterScalar("parse_ipv4", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, _, ok := strParseIPv4(strText(a[0], i))
		strAppendLong(out, int64(v), ok)
		return nil
	})))
	RegisterScalar("parse_ipv4_mask", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, p, ok := strParseIPv4(strText(a[0], i))
		q, _, ok2 := strPrefixArg(a, 1, i, 32)
		strAppendLong(out, int64(v&strMask4(min(p, q))), ok && ok2)
		return nil
	})))
	RegisterScalar("ipv4_netmask_suffix", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		_, p, ok := strParseIPv4(strText(a[0], i))
		strAppendLong(out, int64(p), ok)
		return nil
	})))
	RegisterScalar("ipv4_is_private", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, _, ok := strParseIPv4(strText(a[0], i))
		priv := v>>24 == 10 || v>>20 == 172<<4|1 || v>>16 == 192<<8|168
		strAppendBool(out, priv, ok)
		return nil
	})))
	RegisterScalar("ipv4_is_in_range", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, _, ok := strParseIPv4(strText(a[0], i))
		in, ok2 := strInRange4(v, strText(a[1], i))
		strAppendBool(out, in, ok && ok2)
		return nil
	})))
	RegisterScalar("ipv4_is_in_any_range", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		v, _, ok := strParseIPv4(strText(a[0], i))
		if !ok {
			out.AppendNull()
			return nil
		}
		found := false
		for _, r := range strIPList(a[1:], i) {
			if in, _ := strInRange4(v, r); in {
				found = true
				break
			}
		}
		out.Bools = append(out.Bools, found)
		return nil
	})))
	RegisterScalar("ipv4_compare", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		c, ok := strCmp4(a, i)
		strAppendLong(out, int64(c), ok)
		return nil
	})))
	RegisterScalar("ipv4_is_match", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		c, ok := strCmp4(a, i)
		strAppendBool(out, c == 0, ok)
		return nil
	})))
	formatIPv4 := func(withMask bool) Scalar {
		return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
			v, p, ok := strFormatIPv4Arg(a[0], i)
			q, has, ok2 := strPrefixArg(a, 1, i, 32)
			if !ok || !ok2 {
				out.Strs = append(out.Strs, "")
				return nil
			}
			if has {
				p = min(p, q)
			}
			s := strFormatIPv4(v & strMask4(p))
			if withMask {
				s += "/" + strconv.Itoa(p)
			}
			out.Strs = append(out.Strs, s)
			return nil
		})
	}
	RegisterScalar("format_ipv4", strFixed(formatIPv4(false)))
	RegisterScalar("format_ipv4_mask", strFixed(formatIPv4(true)))

	RegisterScalar("parse_ipv6", strFixed(strMapS(func(s string) string {
		a, p, _, ok := strParseIPv6(s)
		if !ok {
			return ""
		}
		return strFormatIPv6(a.mask(p))
	})))
	RegisterScalar("parse_ipv6_mask", strFixed(strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
		ip, p, _, ok := strParseIPv6(strText(a[0], i))
		q, _, ok2 := strPrefixArg(a, 1, i, 128)
		if !ok || !ok2 {
			out.Strs = append(out.Strs, "")
			return nil
		}
		out.Strs = append(out.Strs, strFormatIPv6(ip.mask(min(p, q))))
		return nil
	})))
	RegisterScalar("ipv6_compare", strFixed(strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
		c, ok := strCmp6(a, i)
		strAppendLong(out, int64(c), ok)
		return nil
	})))
	RegisterScalar("ipv6_is_match", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		c, ok := strCmp6(a, i)
		strAppendBool(out, c == 0, ok)
		return nil
	})))
	RegisterScalar("ipv6_is_in_range", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		ip, p, _, ok := strParseIPv6(strText(a[0], i))
		in, ok2 := strInRange6(ip, p, strText(a[1], i))
		strAppendBool(out, in, ok && ok2)
		return nil
	})))
	RegisterScalar("ipv6_is_in_any_range", strFixed(strEach(types.Bool, func(a []*vec.Vec, i int, out *vec.Vec) error {
		ip, p, _, ok := strParseIPv6(strText(a[0], i))
		if !ok {
			out.AppendNull()
			return nil
		}
		found := false
		for _, r := range strIPList(a[1:], i) {
			if in, _ := strInRange6(ip, p, r); in {
				found = true
				break
			}
		}
		out.Bools = append(out.Bools, found)
		return nil
	})))
	RegisterScalar("has_ipv4", strHasIPv4Factory(false))
	RegisterScalar("has_ipv4_prefix", strHasIPv4Factory(true))
	RegisterScalar("has_any_ipv4", strHasIPv4Factory(false))
	RegisterScalar("has_any_ipv4_prefix", strHasIPv4Factory(true))
}
