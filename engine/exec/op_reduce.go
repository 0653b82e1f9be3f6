package exec

// The reduce operator groups similar strings into patterns.
//
// Kusto does not publish its algorithm (the docs say it is "largely based"
// on Vaarandi's SLCT), so hunt uses its own deterministic one, chosen to
// agree with every example of the reduce documentation:
//
//  1. Terms. Each value is cut into terms at the delimiter characters (by
//     default every ASCII character that is not a letter or a digit; with
//     characters="..." exactly those characters). A term is: the
//     whitespace delimiters before it, then any other delimiters, then a
//     run of non-delimiters; so "One -on- One" is [One][ -on][-][ One] and,
//     with characters="Z", "fooZ1" is [foo][Z1]. Terms are compared without
//     their leading whitespace. A value with no terms (empty, or only
//     whitespace) goes to "others".
//  2. Clustering. Values are first grouped by their number of terms. Then,
//     for each group and each position from left to right: if the terms
//     at that position take d distinct values with d > 1 and
//     d > threshold * N (N = all input rows), the position becomes a
//     wildcard and the group stays whole; otherwise the group splits by
//     the term at that position. A smaller threshold therefore merges more
//     (fewer, more general groups) and a larger one keeps more groups
//     apart, as the documentation describes. This is a decision tree over
//     term positions, so every row is looked at once per term.
//  3. Patterns. A group's pattern is its first value with each wildcard
//     term written as its leading whitespace followed by '*' (the
//     delimiters inside the term are absorbed, so "fooZ1" gives "foo*");
//     adjacent '*'s collapse into one. Groups whose terms are all
//     wildcards, and values with no terms, form the single "others" group,
//     whose Representative is empty. Groups that render to the same
//     pattern are merged.
//  4. Output. One row per pattern (Pattern, Count, Representative = the
//     first value of the group), in order of each group's first row, then
//     "others" if it has rows. With kind=source, every input row in input
//     order with its pattern (or "others") appended.
//
// reduce is blocking: it holds every value and its terms (and with
// kind=source every input row) and checks the total against --max-memory.

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
)

const reduceOthers = "others"

type reduceOp struct {
	ctx *Context
	in  Operator
	n   *plan.Reduce
	by  evaluator
	out resultBatches
}

func newReduce(ctx *Context, n *plan.Reduce) (Operator, error) {
	by, err := compile(ctx, n.By)
	if err != nil {
		return nil, err
	}
	in, err := Build(ctx, n.Input)
	if err != nil {
		return nil, err
	}
	return &reduceOp{ctx: ctx, in: in, n: n, by: by}, nil
}

// reduceDelims says which characters cut terms and which of them are
// whitespace.
type reduceDelims struct {
	ascii [128]bool
	other map[rune]bool
}

func newReduceDelims(n *plan.Reduce) *reduceDelims {
	d := &reduceDelims{}
	if n.DefaultChars {
		for c := 0; c < 128; c++ {
			d.ascii[c] = !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
		}
		return d
	}
	for _, r := range n.Chars {
		if r < 128 {
			d.ascii[r] = true
			continue
		}
		if d.other == nil {
			d.other = map[rune]bool{}
		}
		d.other[r] = true
	}
	return d
}

func (d *reduceDelims) is(r rune) bool {
	if r >= 0 && r < 128 {
		return d.ascii[r]
	}
	return d.other[r]
}

// reduceSpace reports whether delimiter r is whitespace.
func reduceSpace(r rune) bool { return r == ' ' || unicode.IsSpace(r) }

// decode returns the character at s[i] and its width; invalid UTF-8 is
// one byte wide and never a delimiter unless U+FFFD is one.
func decodeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// terms appends the terms of s to dst (see step 1 above).
func (d *reduceDelims) terms(dst []string, s string) []string {
	i := 0
	for i < len(s) {
		start := i
		for i < len(s) {
			r, w := decodeAt(s, i)
			if !d.is(r) || !reduceSpace(r) {
				break
			}
			i += w
		}
		if i == len(s) {
			break // trailing whitespace belongs to no term
		}
		for i < len(s) {
			r, w := decodeAt(s, i)
			if !d.is(r) || reduceSpace(r) {
				break
			}
			i += w
		}
		for i < len(s) {
			r, w := decodeAt(s, i)
			if d.is(r) {
				break
			}
			i += w
		}
		dst = append(dst, s[start:i])
	}
	return dst
}

// lead returns the length of the leading whitespace of term t.
func (d *reduceDelims) lead(t string) int {
	i := 0
	for i < len(t) {
		r, w := decodeAt(t, i)
		if !d.is(r) || !reduceSpace(r) {
			break
		}
		i += w
	}
	return i
}

func (o *reduceOp) Next() (*vec.Batch, error) {
	return o.out.serve(o.compute)
}

// reduceInput is what reduce holds of its input: each row's value and
// terms (terms[off[i]:off[i+1]] are row i's), and with kind=source the
// rows themselves.
type reduceInput struct {
	vals  []string
	terms []string
	off   []int32
	rows  *vec.Builder
	mem   int64
}

func (o *reduceOp) compute() error {
	d := newReduceDelims(o.n)
	in := &reduceInput{off: []int32{0}}
	if o.n.Source {
		in.rows = vec.NewBuilder(o.n.Input.Schema(), 0)
	}
	err := drain(o.in, func(b *vec.Batch) error {
		v, err := o.by.eval(b)
		if err != nil {
			return err
		}
		v = v.Expand(b.N)
		for i := 0; i < b.N; i++ {
			s := v.Strs[i]
			before := len(in.terms)
			in.terms = d.terms(in.terms, s)
			if len(in.terms) > 1<<31-1 || len(in.vals) >= 1<<31-1 {
				return fmt.Errorf("reduce: too many rows or terms: %w", ErrMemoryLimit)
			}
			in.off = append(in.off, int32(len(in.terms)))
			in.vals = append(in.vals, s)
			// The value, its offset and terms, plus about 64 bytes for
			// the row's share of the clustering state.
			in.mem += int64(len(s)) + 16 + 4 + 64 + int64(len(in.terms)-before)*16
		}
		if in.rows != nil {
			appendBatch(in.rows.Cols, b)
			in.mem += int64(b.N) * int64(len(b.Cols)) * 24
		}
		if o.ctx.MaxMemory > 0 && in.mem > o.ctx.MaxMemory {
			return fmt.Errorf("reduce holds %d rows, about %d MiB: %w (raise --max-memory)", len(in.vals), in.mem>>20, ErrMemoryLimit)
		}
		return nil
	})
	if err != nil {
		return err
	}
	patterns, rowPat := reduceCluster(d, in, o.n.Threshold)
	if o.n.Source {
		pv := vec.New(types.String, len(rowPat))
		for _, p := range rowPat {
			if p < 0 {
				pv.Strs = append(pv.Strs, reduceOthers)
			} else {
				pv.Strs = append(pv.Strs, patterns[p].pattern)
			}
		}
		if len(rowPat) > 0 {
			o.out.b = &vec.Batch{Cols: append(in.rows.Cols, pv), N: len(rowPat)}
		}
		return nil
	}
	out := vec.NewBuilder(o.n.Schema(), len(patterns)+1)
	var others int64
	for _, p := range rowPat {
		if p < 0 {
			others++
		}
	}
	for _, p := range patterns {
		out.Cols[0].Strs = append(out.Cols[0].Strs, p.pattern)
		out.Cols[1].Ints = append(out.Cols[1].Ints, p.count)
		out.Cols[2].Strs = append(out.Cols[2].Strs, in.vals[p.first])
	}
	if others > 0 {
		out.Cols[0].Strs = append(out.Cols[0].Strs, reduceOthers)
		out.Cols[1].Ints = append(out.Cols[1].Ints, others)
		out.Cols[2].Strs = append(out.Cols[2].Strs, "")
	}
	if out.Len() > 0 {
		o.out.b = &vec.Batch{Cols: out.Cols, N: out.Len()}
	}
	return nil
}

// reducePattern is one output group.
type reducePattern struct {
	pattern string
	count   int64
	first   int32 // the group's first row, its Representative
}

// reduceGroup is a set of rows (in input order) of the same term count
// whose positions before pos are decided; wild marks the wildcards.
type reduceGroup struct {
	rows []int32
	pos  int
	wild []bool
}

// reduceCluster runs steps 2 and 3: it returns the patterns in order of
// their first row and each row's pattern index (-1 for others).
func reduceCluster(d *reduceDelims, in *reduceInput, threshold float64) ([]reducePattern, []int32) {
	n := len(in.vals)
	rowPat := make([]int32, n)
	limit := threshold * float64(n)
	termsOf := func(r int32) []string { return in.terms[in.off[r]:in.off[r+1]] }

	// Group by term count, in first-seen order.
	var stack []*reduceGroup
	byLen := map[int]*reduceGroup{}
	for r := range n {
		k := int(in.off[r+1] - in.off[r])
		if k == 0 {
			rowPat[r] = -1
			continue
		}
		g := byLen[k]
		if g == nil {
			g = &reduceGroup{wild: make([]bool, k)}
			byLen[k] = g
			stack = append(stack, g)
		}
		g.rows = append(g.rows, int32(r))
	}

	var leaves []*reduceGroup
	idx := map[string]int32{}
	sub := []int32{}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if g.pos == len(g.wild) {
			leaves = append(leaves, g)
			continue
		}
		// Count the distinct terms at g.pos, giving up as soon as there
		// are enough of them to make the position a wildcard.
		clear(idx)
		sub = sub[:0]
		wild := false
		for _, r := range g.rows {
			t := termsOf(r)[g.pos]
			key := t[d.lead(t):]
			k, ok := idx[key]
			if !ok {
				k = int32(len(idx))
				idx[key] = k
				if k+1 > 1 && float64(k+1) > limit {
					wild = true
					break
				}
			}
			sub = append(sub, k)
		}
		if wild {
			g.wild[g.pos] = true
			g.pos++
			stack = append(stack, g)
			continue
		}
		if len(idx) == 1 {
			g.pos++
			stack = append(stack, g)
			continue
		}
		parts := make([]*reduceGroup, len(idx))
		for i, r := range g.rows {
			p := parts[sub[i]]
			if p == nil {
				p = &reduceGroup{pos: g.pos + 1, wild: append([]bool(nil), g.wild...)}
				parts[sub[i]] = p
			}
			p.rows = append(p.rows, r)
		}
		// Pushed in reverse so that the first part is handled first;
		// the output order comes from the first rows in any case.
		for i := len(parts) - 1; i >= 0; i-- {
			stack = append(stack, parts[i])
		}
	}

	// Render the leaves; merge those with the same pattern.
	var pats []reducePattern
	byPat := map[string]int32{}
	var sb strings.Builder
	for _, g := range leaves {
		allWild := true
		for _, w := range g.wild {
			allWild = allWild && w
		}
		if allWild {
			for _, r := range g.rows {
				rowPat[r] = -1
			}
			continue
		}
		sb.Reset()
		star := false // the text so far ends in a wildcard
		for i, t := range termsOf(g.rows[0]) {
			if !g.wild[i] {
				sb.WriteString(t)
				star = false
				continue
			}
			ws := t[:d.lead(t)]
			if star && ws == "" {
				continue
			}
			sb.WriteString(ws)
			sb.WriteByte('*')
			star = true
		}
		p := sb.String()
		k, ok := byPat[p]
		if !ok {
			k = int32(len(pats))
			byPat[p] = k
			pats = append(pats, reducePattern{pattern: p, first: g.rows[0]})
		}
		pats[k].count += int64(len(g.rows))
		pats[k].first = min(pats[k].first, g.rows[0])
		for _, r := range g.rows {
			rowPat[r] = k
		}
	}

	// Order the patterns by first row and renumber the rows' indexes.
	order := make([]int32, len(pats))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool { return pats[order[a]].first < pats[order[b]].first })
	renum := make([]int32, len(pats))
	sorted := make([]reducePattern, len(pats))
	for newI, old := range order {
		renum[old] = int32(newI)
		sorted[newI] = pats[old]
	}
	for r, p := range rowPat {
		if p >= 0 {
			rowPat[r] = renum[p]
		}
	}
	return sorted, rowPat
}

func (o *reduceOp) Close() error { return o.in.Close() }
