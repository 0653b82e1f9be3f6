package fn

// geo_from_wkt(): Well-Known Text to GeoJSON.
//
// Decisions where the reference is silent (also in docs/semantics.md):
// keywords are case-insensitive; 2D coordinates only (Z, M and ZM forms
// give null); MULTIPOINT takes both "(1 1, 2 2)" and "((1 1), (2 2))";
// EMPTY geometries, coordinates outside [-180, 180] x [-90, 90] and any
// syntax error give null. Rings are not checked beyond WKT's syntax.

import (
	"strconv"
	"strings"

	"hunt/kql/types"
)

type wktParser struct {
	s   string
	pos int
}

func (p *wktParser) ws() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *wktParser) eat(c byte) bool {
	p.ws()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *wktParser) word() string {
	p.ws()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		p.pos++
	}
	return strings.ToUpper(p.s[start:p.pos])
}

func (p *wktParser) number() (float64, bool) {
	p.ws()
	start := p.pos
	for p.pos < len(p.s) && strings.IndexByte("+-.0123456789eE", p.s[p.pos]) >= 0 {
		p.pos++
	}
	f, err := strconv.ParseFloat(p.s[start:p.pos], 64)
	return f, err == nil
}

// coord parses "lng lat".
func (p *wktParser) coord() ([]any, bool) {
	x, ok1 := p.number()
	y, ok2 := p.number()
	if !ok1 || !ok2 || !geoLngLat(x, y) {
		return nil, false
	}
	return []any{x, y}, true
}

// list parses "(" item ("," item)* ")".
func (p *wktParser) list(item func() (any, bool)) ([]any, bool) {
	if !p.eat('(') {
		return nil, false
	}
	var out []any
	for {
		v, ok := item()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if p.eat(')') {
			return out, true
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

func (p *wktParser) coordAny() (any, bool) { return p.coord() }

func (p *wktParser) coords(min int) func() (any, bool) {
	return func() (any, bool) {
		cs, ok := p.list(p.coordAny)
		return cs, ok && len(cs) >= min
	}
}

func (p *wktParser) ring() (any, bool) {
	cs, ok := p.list(p.coordAny)
	if !ok || len(cs) < 4 {
		return nil, false
	}
	f, l := cs[0].([]any), cs[len(cs)-1].([]any)
	return cs, f[0] == l[0] && f[1] == l[1]
}

func (p *wktParser) polygon() (any, bool) { return p.list(p.ring) }

func (p *wktParser) multiPoint() (any, bool) {
	return p.list(func() (any, bool) {
		p.ws()
		if p.pos < len(p.s) && p.s[p.pos] == '(' {
			cs, ok := p.list(p.coordAny)
			if !ok || len(cs) != 1 {
				return nil, false
			}
			return cs[0], true
		}
		return p.coord()
	})
}

func (p *wktParser) geometry(depth int) (any, bool) {
	if depth > 32 {
		return nil, false
	}
	kw := p.word()
	b := types.NewBag(2)
	var c any
	var ok bool
	switch kw {
	case "POINT":
		var cs []any
		cs, ok = p.list(p.coordAny)
		if ok && len(cs) == 1 {
			c = cs[0]
		} else {
			ok = false
		}
		b.Set("type", "Point")
	case "LINESTRING":
		c, ok = p.coords(2)()
		b.Set("type", "LineString")
	case "POLYGON":
		c, ok = p.polygon()
		b.Set("type", "Polygon")
	case "MULTIPOINT":
		c, ok = p.multiPoint()
		b.Set("type", "MultiPoint")
	case "MULTILINESTRING":
		c, ok = p.list(p.coords(2))
		b.Set("type", "MultiLineString")
	case "MULTIPOLYGON":
		c, ok = p.list(p.polygon)
		b.Set("type", "MultiPolygon")
	case "GEOMETRYCOLLECTION":
		var gs []any
		gs, ok = p.list(func() (any, bool) { return p.geometry(depth + 1) })
		b.Set("type", "GeometryCollection")
		b.Set("geometries", gs)
		return b, ok
	default:
		return nil, false
	}
	b.Set("coordinates", c)
	return b, ok
}

func init() {
	geoRegister("geo_from_wkt", types.Dynamic, func(_ []geoShapeCache, v []any) any {
		s, _ := v[0].(string)
		p := &wktParser{s: s}
		g, ok := p.geometry(0)
		p.ws()
		if !ok || p.pos != len(p.s) {
			return nil
		}
		return g
	})
}
