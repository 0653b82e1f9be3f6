package exec

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"hunt/engine/fn"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// parseKvOp extracts key/value pairs of a string into typed columns.
type parseKvOp struct {
	ctx   *Context
	in    Operator
	n     *plan.ParseKv
	x     evaluator
	re    *regexp.Regexp
	convs []fn.Scalar
	want  map[string]int
}

func newParseKv(ctx *Context, n *plan.ParseKv) (Operator, error) {
	x, err := compile(ctx, n.X)
	if err != nil {
		return nil, err
	}
	o := &parseKvOp{ctx: ctx, n: n, x: x, want: map[string]int{}}
	if n.Regex != "" {
		if o.re, err = regexp.Compile(n.Regex); err != nil {
			return nil, err
		}
	}
	for i, c := range n.Cols {
		conv, err := textConverter(c.Type)
		if err != nil {
			return nil, err
		}
		o.convs = append(o.convs, conv)
		if _, dup := o.want[c.Name]; !dup {
			o.want[c.Name] = i
		}
	}
	if o.in, err = Build(ctx, n.Input); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *parseKvOp) Next() (*vec.Batch, error) {
	for {
		b, err := o.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		xv, err := o.x.eval(b)
		if err != nil {
			return nil, err
		}
		xv = xv.Expand(b.N)
		texts := make([]*vec.Vec, len(o.n.Cols))
		found := make([][]bool, len(o.n.Cols))
		for k := range texts {
			texts[k] = vec.New(types.String, b.N)
			texts[k].Strs = texts[k].Strs[:b.N]
			found[k] = make([]bool, b.N)
		}
		for i := 0; i < b.N; i++ {
			o.pairs(xv.Strs[i], func(key, val string) {
				if k, ok := o.want[key]; ok && !found[k][i] {
					found[k][i] = true
					texts[k].Strs[i] = val
				}
			})
		}
		out := &vec.Batch{Cols: append([]*vec.Vec(nil), b.Cols...), N: b.N}
		for k, c := range o.n.Cols {
			col, err := convertText(o.ctx, o.convs[k], texts[k], b.N)
			if err != nil {
				return nil, err
			}
			col = nullWhere(col, found[k])
			if r := o.n.Replace[k]; r >= 0 {
				out.Cols[r] = col
			} else {
				out.Cols = append(out.Cols, col)
			}
			_ = c
		}
		return out, nil
	}
}

func (o *parseKvOp) Close() error { return o.in.Close() }

// pairs calls f for each key/value pair of s, in order.
func (o *parseKvOp) pairs(s string, f func(key, val string)) {
	switch {
	case o.re != nil:
		for _, m := range o.re.FindAllStringSubmatch(s, -1) {
			f(strings.TrimSpace(m[1]), strings.TrimSpace(m[2]))
		}
	case o.n.PairDelim != "":
		o.delimited(s, f)
	default:
		o.undelimited(s, f)
	}
}

// quoted reads a quoted run starting at s[i], an opening quote; it
// returns the unescaped text and the index after the closing quote.
func (o *parseKvOp) quoted(s string, i int) (string, int, bool) {
	q := strings.IndexByte(o.n.Quote, s[i])
	if q < 0 || q%2 != 0 {
		return "", i, false
	}
	closing := o.n.Quote[q+1]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		if strings.IndexByte(o.n.Escape, c) >= 0 && j+1 < len(s) {
			j++
			b.WriteByte(s[j])
			continue
		}
		if c == closing {
			return b.String(), j + 1, true
		}
		b.WriteByte(c)
	}
	return b.String(), len(s), true
}

func (o *parseKvOp) delimited(s string, f func(key, val string)) {
	pd, kd := o.n.PairDelim, o.n.KvDelim
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' && pd != " " {
			i++
		}
		// The key: quoted, or up to the key/value delimiter.
		var key string
		if i < len(s) && strings.IndexByte(o.n.Quote, s[i]) >= 0 {
			k, j, _ := o.quoted(s, i)
			key, i = k, j
			if !strings.HasPrefix(s[i:], kd) {
				j := strings.Index(s[i:], pd)
				if j < 0 {
					return
				}
				i += j + len(pd)
				continue
			}
		} else {
			j := strings.Index(s[i:], kd)
			if j < 0 {
				return
			}
			if p := strings.Index(s[i:], pd); p >= 0 && p < j {
				// A pair without a key/value delimiter.
				i += p + len(pd)
				continue
			}
			key = strings.TrimSpace(s[i : i+j])
			i += j
		}
		i += len(kd)
		for i < len(s) && s[i] == ' ' && pd != " " {
			i++
		}
		var val string
		if i < len(s) && strings.IndexByte(o.n.Quote, s[i]) >= 0 {
			v, j, _ := o.quoted(s, i)
			val, i = v, j
			if p := strings.Index(s[i:], pd); p >= 0 {
				i += p + len(pd)
			} else {
				i = len(s)
			}
		} else {
			end := o.valueEnd(s, i)
			val = strings.TrimSpace(s[i:end])
			i = end + len(pd)
		}
		f(key, val)
	}
}

// valueEnd finds where an unquoted value starting at i ends: at the next
// pair delimiter, or in greedy mode at the pair delimiter before the next
// wanted key (or the end of s).
func (o *parseKvOp) valueEnd(s string, i int) int {
	pd := o.n.PairDelim
	if !o.n.Greedy {
		if p := strings.Index(s[i:], pd); p >= 0 {
			return i + p
		}
		return len(s)
	}
	j := i
	for {
		p := strings.Index(s[j:], pd)
		if p < 0 {
			return len(s)
		}
		at := j + p
		rest := s[at+len(pd):]
		if k := strings.Index(rest, o.n.KvDelim); k >= 0 {
			if _, ok := o.want[strings.TrimSpace(rest[:k])]; ok {
				return at
			}
		}
		j = at + len(pd)
	}
}

// undelimited treats every character that is not a letter or digit as a
// delimiter: a wanted key is a word, and its value the word or quoted run
// that follows it.
func (o *parseKvOp) undelimited(s string, f func(key, val string)) {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
	var toks []string
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.IndexByte(o.n.Quote, s[i]) >= 0:
			v, j, _ := o.quoted(s, i)
			toks = append(toks, v)
			i = j
		case isWord(r):
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isWord(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			i += w
		}
	}
	for k := 0; k+1 < len(toks); k++ {
		if _, ok := o.want[toks[k]]; ok {
			f(toks[k], toks[k+1])
			k++
		}
	}
}
