package store

import (
	"encoding/binary"
	"errors"
	"math"

	"hunt/kql/types"
)

// Dynamic values are stored in a tagged binary form rather than as JSON
// text: JSON cannot tell a real 1.0 from a long 1, nor a datetime from a
// string, and parsing it back is slower. Every Go type a dynamic value
// can hold has its own tag, so values come back exactly.
const (
	dynNull byte = iota
	dynFalse
	dynTrue
	dynLong   // zig-zag varint
	dynReal   // 8 bytes, IEEE 754 bits, little-endian
	dynString // uvarint length, bytes
	dynDT     // zig-zag varint ticks
	dynTS     // zig-zag varint ticks
	dynGuid   // 16 bytes
	dynArray  // uvarint count, values
	dynBag    // uvarint count, (uvarint length, key bytes, value)...
)

var errDyn = errors.New("damaged dynamic value")

// appendDyn appends the encoding of dynamic value v. Values of Go types
// a dynamic value cannot hold encode as null, as AppendJSON prints them.
func appendDyn(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, dynNull)
	case bool:
		if x {
			return append(b, dynTrue)
		}
		return append(b, dynFalse)
	case int64:
		return binary.AppendVarint(append(b, dynLong), x)
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, dynReal), math.Float64bits(x))
	case string:
		b = binary.AppendUvarint(append(b, dynString), uint64(len(x)))
		return append(b, x...)
	case types.DT:
		return binary.AppendVarint(append(b, dynDT), int64(x))
	case types.TS:
		return binary.AppendVarint(append(b, dynTS), int64(x))
	case types.GuidVal:
		return append(append(b, dynGuid), x[:]...)
	case []any:
		b = binary.AppendUvarint(append(b, dynArray), uint64(len(x)))
		for _, e := range x {
			b = appendDyn(b, e)
		}
		return b
	case *types.Bag:
		if x == nil {
			return append(b, dynNull)
		}
		b = binary.AppendUvarint(append(b, dynBag), uint64(len(x.Keys)))
		for i, k := range x.Keys {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			b = appendDyn(b, x.Vals[i])
		}
		return b
	}
	return append(b, dynNull)
}

// dynDecoder decodes values of one page; it shares key strings between
// the bags it builds, since log records repeat them.
type dynDecoder struct {
	keys map[string]string
}

// decode decodes one whole value: all of b.
func (d *dynDecoder) decode(b []byte) (any, error) {
	v, n, err := d.value(b, 0)
	if err != nil {
		return nil, err
	}
	if n != len(b) {
		return nil, errDyn
	}
	return v, nil
}

// bagsAbove is the size from which bags are built with Set, so that
// kql/types gives them a lookup index.
const bagsAbove = 64

func (d *dynDecoder) value(b []byte, depth int) (any, int, error) {
	if len(b) == 0 || depth > types.MaxJSONDepth {
		return nil, 0, errDyn
	}
	switch b[0] {
	case dynNull:
		return nil, 1, nil
	case dynFalse:
		return false, 1, nil
	case dynTrue:
		return true, 1, nil
	case dynLong, dynDT, dynTS:
		x, n := binary.Varint(b[1:])
		if n <= 0 {
			return nil, 0, errDyn
		}
		switch b[0] {
		case dynDT:
			return types.DT(x), 1 + n, nil
		case dynTS:
			return types.TS(x), 1 + n, nil
		}
		return x, 1 + n, nil
	case dynReal:
		if len(b) < 9 {
			return nil, 0, errDyn
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[1:])), 9, nil
	case dynString:
		s, n, err := dynStr(b[1:])
		if err != nil {
			return nil, 0, err
		}
		return string(s), 1 + n, nil
	case dynGuid:
		if len(b) < 17 {
			return nil, 0, errDyn
		}
		var g types.GuidVal
		copy(g[:], b[1:17])
		return g, 17, nil
	case dynArray:
		cnt, n := binary.Uvarint(b[1:])
		if n <= 0 || cnt > uint64(len(b)) {
			return nil, 0, errDyn
		}
		pos := 1 + n
		out := make([]any, cnt)
		for i := range out {
			v, m, err := d.value(b[pos:], depth+1)
			if err != nil {
				return nil, 0, err
			}
			out[i] = v
			pos += m
		}
		return out, pos, nil
	case dynBag:
		cnt, n := binary.Uvarint(b[1:])
		if n <= 0 || cnt > uint64(len(b)) {
			return nil, 0, errDyn
		}
		pos := 1 + n
		var bag *types.Bag
		if cnt > bagsAbove {
			bag = types.NewBag(int(cnt))
		} else {
			bag = &types.Bag{Keys: make([]string, 0, cnt), Vals: make([]any, 0, cnt)}
		}
		for i := uint64(0); i < cnt; i++ {
			k, m, err := dynStr(b[pos:])
			if err != nil {
				return nil, 0, err
			}
			pos += m
			v, m, err := d.value(b[pos:], depth+1)
			if err != nil {
				return nil, 0, err
			}
			pos += m
			key := d.key(k)
			if cnt > bagsAbove {
				bag.Set(key, v)
			} else {
				bag.Keys = append(bag.Keys, key)
				bag.Vals = append(bag.Vals, v)
			}
		}
		return bag, pos, nil
	}
	return nil, 0, errDyn
}

func (d *dynDecoder) key(k []byte) string {
	if d.keys == nil {
		d.keys = map[string]string{}
	}
	if s, ok := d.keys[string(k)]; ok {
		return s
	}
	if len(d.keys) > 4096 {
		return string(k)
	}
	s := string(k)
	d.keys[s] = s
	return s
}

// dynStr reads a uvarint-prefixed byte string.
func dynStr(b []byte) ([]byte, int, error) {
	l, n := binary.Uvarint(b)
	if n <= 0 || l > uint64(len(b)-n) {
		return nil, 0, errDyn
	}
	return b[n : n+int(l)], n + int(l), nil
}

// dynSkip returns the length of the encoded value at the start of b.
func dynSkip(b []byte, depth int) (int, error) {
	if len(b) == 0 || depth > types.MaxJSONDepth {
		return 0, errDyn
	}
	switch b[0] {
	case dynNull, dynFalse, dynTrue:
		return 1, nil
	case dynLong, dynDT, dynTS:
		_, n := binary.Varint(b[1:])
		if n <= 0 {
			return 0, errDyn
		}
		return 1 + n, nil
	case dynReal:
		if len(b) < 9 {
			return 0, errDyn
		}
		return 9, nil
	case dynString:
		_, n, err := dynStr(b[1:])
		return 1 + n, err
	case dynGuid:
		if len(b) < 17 {
			return 0, errDyn
		}
		return 17, nil
	case dynArray, dynBag:
		cnt, n := binary.Uvarint(b[1:])
		if n <= 0 || cnt > uint64(len(b)) {
			return 0, errDyn
		}
		pos := 1 + n
		for i := uint64(0); i < cnt; i++ {
			if b[0] == dynBag {
				_, m, err := dynStr(b[pos:])
				if err != nil {
					return 0, err
				}
				pos += m
			}
			m, err := dynSkip(b[pos:], depth+1)
			if err != nil {
				return 0, err
			}
			pos += m
		}
		return pos, nil
	}
	return 0, errDyn
}

// bagMembers calls f for each top-level key of an encoded bag with the
// encoding of its value; it returns false when b is not a bag.
func bagMembers(b []byte, f func(key, val []byte)) (bool, error) {
	if len(b) == 0 || b[0] != dynBag {
		return false, nil
	}
	cnt, n := binary.Uvarint(b[1:])
	if n <= 0 || cnt > uint64(len(b)) {
		return false, errDyn
	}
	pos := 1 + n
	for i := uint64(0); i < cnt; i++ {
		k, m, err := dynStr(b[pos:])
		if err != nil {
			return false, err
		}
		pos += m
		m, err = dynSkip(b[pos:], 1)
		if err != nil {
			return false, err
		}
		f(k, b[pos:pos+m])
		pos += m
	}
	return true, nil
}
