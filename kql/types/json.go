package types

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxJSONDepth bounds the nesting of JSON values so that hostile input
// cannot exhaust the stack.
const MaxJSONDepth = 512

// ErrJSONDepth is returned when a JSON value nests deeper than MaxJSONDepth.
var ErrJSONDepth = errors.New("JSON nested too deeply")

// JSONError describes malformed JSON text.
type JSONError struct {
	Offset int
	Msg    string
}

func (e *JSONError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// ParseJSON parses one JSON value into a dynamic value. Integers that fit
// in 64 bits become int64, other numbers float64. Trailing text other than
// white space is an error.
func ParseJSON(data []byte) (any, error) {
	p := jsonParser{data: data}
	p.skipWS()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos != len(p.data) {
		return nil, p.errf("unexpected text after value")
	}
	return v, nil
}

// ParseJSONPrefix parses one JSON value at the start of data and returns
// it with the number of bytes consumed.
func ParseJSONPrefix(data []byte) (any, int, error) {
	p := jsonParser{data: data}
	p.skipWS()
	v, err := p.value(0)
	return v, p.pos, err
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) errf(msg string) error { return &JSONError{Offset: p.pos, Msg: msg} }

func (p *jsonParser) skipWS() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > MaxJSONDepth {
		return nil, ErrJSONDepth
	}
	if p.pos >= len(p.data) {
		return nil, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == 't':
		return p.lit("true", true)
	case c == 'f':
		return p.lit("false", false)
	case c == 'n':
		return p.lit("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 'N':
		return p.lit("NaN", math.NaN())
	case c == 'I':
		return p.lit("Infinity", math.Inf(1))
	}
	return nil, p.errf("unexpected character " + strconv.QuoteRune(rune(p.data[p.pos])))
}

func (p *jsonParser) lit(word string, v any) (any, error) {
	if len(p.data)-p.pos >= len(word) && string(p.data[p.pos:p.pos+len(word)]) == word {
		p.pos += len(word)
		return v, nil
	}
	return nil, p.errf("invalid literal")
}

func (p *jsonParser) object(depth int) (any, error) {
	p.pos++ // {
	bag := &Bag{}
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return bag, nil
	}
	for {
		p.skipWS()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errf("expected string key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipWS()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errf("expected ':'")
		}
		p.pos++
		p.skipWS()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		bag.Set(k.(string), v)
		p.skipWS()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return bag, nil
		default:
			return nil, p.errf("expected ',' or '}'")
		}
	}
}

func (p *jsonParser) array(depth int) (any, error) {
	p.pos++ // [
	arr := []any{}
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return arr, nil
	}
	for {
		p.skipWS()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skipWS()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return arr, nil
		default:
			return nil, p.errf("expected ',' or ']'")
		}
	}
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
		if p.pos < len(p.data) && p.data[p.pos] == 'I' {
			if _, err := p.lit("Infinity", nil); err != nil {
				return nil, err
			}
			return math.Inf(-1), nil
		}
	}
	isFloat := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		if c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			isFloat = true
			p.pos++
			continue
		}
		break
	}
	text := string(p.data[start:p.pos])
	if !isFloat {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			return v, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
		p.pos = start
		return nil, p.errf("invalid number")
	}
	return f, nil
}

// str parses a JSON string at p.pos. Strings without escapes are copied
// once; escapes are decoded into a scratch buffer.
func (p *jsonParser) str() (any, error) {
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' {
			return p.strEscaped(start)
		}
		p.pos++
	}
	return nil, p.errf("unterminated string")
}

func (p *jsonParser) strEscaped(start int) (any, error) {
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return nil, p.errf("unterminated escape")
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return nil, p.errf("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						save := p.pos
						p.pos += 2
						r2, ok := p.hex4()
						if ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								buf = utf8.AppendRune(buf, dec)
								continue
							}
						}
						p.pos = save
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return nil, p.errf("invalid escape")
			}
		default:
			buf = append(buf, c)
			p.pos++
		}
	}
	return nil, p.errf("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		v, ok := unhex(p.data[p.pos+i])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	p.pos += 4
	return r, true
}
