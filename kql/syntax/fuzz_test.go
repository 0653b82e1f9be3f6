package syntax

import (
	"strings"
	"testing"
)

func fuzzSeeds(f *testing.F) {
	for _, s := range valid {
		f.Add(s)
	}
	for _, s := range lenient {
		f.Add(s)
	}
	for _, s := range invalid {
		f.Add(s)
	}
	for _, e := range allTokens() {
		f.Add(e.lit)
	}
	for _, s := range graphFuzzSeeds {
		f.Add(s)
	}
}

// graphFuzzSeeds cover the graph syntax: make-graph with its nodes tables,
// with_node_id and partitioned-by, the graph-match patterns with their
// variable length edges and cycles option, graph-shortest-paths,
// graph-to-table and graph-mark-components, well and badly formed.
var graphFuzzSeeds = []string{
	`E | make-graph src --> dst`,
	`E | make-graph src --> dst with N on id`,
	`E | make-graph src --> dst with N on id, M on key`,
	`E | make-graph src --> dst with (N | where x > 1) on id`,
	`E | make-graph src --> dst with_node_id=name`,
	`E | make-graph src --> dst with_node_id=`,
	`E | make-graph src --> dst with N`,
	`E | make-graph src --> dst with N on`,
	`E | make-graph src -->`,
	`E | make-graph --> dst`,
	`E | make-graph src <-- dst`,
	`E | make-graph src -- dst`,
	`E | make-graph src ---> dst`,
	`E | make-graph`,
	`E | make-graph src --> dst partitioned-by p (graph-to-table nodes)`,
	`E | make-graph src --> dst partitioned-by p (graph-match (x)-->(y) project x.a)`,
	`E | make-graph src --> dst partitioned-by p`,
	`E | make-graph src --> dst partitioned-by (graph-to-table nodes)`,
	`E | make-graph src --> dst partitioned-by p (`,
	`E | make-graph src --> dst partitioned-by p ()`,
	`E | make-graph src --> dst partitioned-by p (graph-to-table nodes) | count`,
	`G | graph-match (x)-[e]->(y) project x.id, y.id, e.kind`,
	`G | graph-match (x)-->(y) where x.a == 1 project x.a`,
	`G | graph-match (x)<--(y) project 1`,
	`G | graph-match (x)--(y) project 1`,
	`G | graph-match (x)<-->(y) project 1`,
	`G | graph-match (x)<-[e]->(y) project 1`,
	`G | graph-match (x)-[e*1..3]->(y) project map(e, w)`,
	`G | graph-match (x)-[e*0..0]->(y) project 1`,
	`G | graph-match (x)-[e*3]->(y) project 1`,
	`G | graph-match (x)-[e*..3]->(y) project 1`,
	`G | graph-match (x)-[e*3..]->(y) project 1`,
	`G | graph-match (x)-[e*..]->(y) project 1`,
	`G | graph-match (x)-[e*]->(y) project 1`,
	`G | graph-match (x)-[*1..2]->(y) project 1`,
	`G | graph-match (x)-[e*-1..2]->(y) project 1`,
	`G | graph-match (x)-[e*1.5..2]->(y) project 1`,
	`G | graph-match (x)-[e*99999999999999999999..1]->(y) project 1`,
	`G | graph-match (x)-[e*9223372036854775807..9223372036854775807]->(y) project 1`,
	`G | graph-match (x)-[e*1..2*3]->(y) project 1`,
	`G | graph-match cycles=none (x)-->(y) project 1`,
	`G | graph-match cycles=all (x)-->(y) project 1`,
	`G | graph-match cycles=unique_edges (x)-->(y) project 1`,
	`G | graph-match cycles= (x)-->(y) project 1`,
	`G | graph-match cycles=all cycles=none (x)-->(y) project 1`,
	`G | graph-match (x)-->(y), (y)-->(z) project 1`,
	`G | graph-match (x)-->(y), project 1`,
	`G | graph-match (x) project x`,
	`G | graph-match () project 1`,
	`G | graph-match ()-->() project 1`,
	`G | graph-match (x)-[]->(y) project 1`,
	`G | graph-match (x)-[e] project 1`,
	`G | graph-match (x)-[e]-> project 1`,
	`G | graph-match (x project 1`,
	`G | graph-match (x)-->(y)`,
	`G | graph-match (x)-->(y) where`,
	`G | graph-match (x)-->(y) project`,
	`G | graph-match project 1`,
	`G | graph-match`,
	`G | graph-match (x)-[e*1..3]->(y) where all(e, w > 1) and any(inner_nodes(e), node_degree_in() > 0) project node_id(x), m = map(inner_nodes(e), node_id())`,
	`G | graph-shortest-paths (x)-[e*1..3]->(y) project x.id, map(e, w)`,
	`G | graph-shortest-paths output=all (x)-[e*1..3]->(y) project 1`,
	`G | graph-shortest-paths output= (x)-[e*1..3]->(y) project 1`,
	`G | graph-shortest-paths`,
	`G | graph-to-table nodes`,
	`G | graph-to-table edges`,
	`G | graph-to-table nodes with_node_id=h`,
	`G | graph-to-table edges with_source_id=s with_target_id=t`,
	`G | graph-to-table edges as e, nodes as n`,
	`G | graph-to-table nodes as`,
	`G | graph-to-table`,
	`G | graph-to-table bogus`,
	`G | graph-mark-components`,
	`G | graph-mark-components kind=strong with_component_id=c`,
	`G | graph-mark-components kind=`,
	`G | graph-mark-components with_component_id=`,
}

// FuzzScan checks that scanning never panics or stalls, that every token's
// literal is its source text, that tokens do not overlap, that errors lie
// inside the input and that EOF sits at len(input).
func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		var s Scanner
		s.Init(NewSource("fuzz", src), func(pos, end Pos, msg string) {
			if pos.Offset() < 0 || end < pos || end.Offset() > len(src) {
				t.Fatalf("error %q span [%d,%d) outside input of length %d", msg, pos.Offset(), end.Offset(), len(src))
			}
		})
		prevEnd := 0
		for n := 0; ; n++ {
			pos, tok, lit := s.Scan()
			off := pos.Offset()
			if off < prevEnd || off+len(lit) > len(src) || src[off:off+len(lit)] != lit {
				t.Fatalf("token %s %q at %d: not the source text or overlaps the previous token (ends %d)", tok, lit, off, prevEnd)
			}
			if tok == EOF {
				if off != len(src) {
					t.Fatalf("EOF at %d, want %d", off, len(src))
				}
				return
			}
			if lit == "" {
				t.Fatalf("empty literal for %s at %d", tok, off)
			}
			prevEnd = off + len(lit)
			if n > len(src) {
				t.Fatal("scanner does not advance")
			}
		}
	})
}

// FuzzParse checks that parsing never panics, that errors are bounded and
// lie inside the input, and that inputs that parse cleanly print to text
// that parses to the same text again, with node ranges inside the input.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		source := NewSource("fuzz", src)
		q, errs := Parse(source)
		if q == nil {
			t.Fatal("nil query")
		}
		checkErrorsInside(t, source, errs)
		for _, e := range errs {
			Render(source, e) // must not panic
		}
		if len(errs) > 0 {
			Format(q) // partial trees must print
			return
		}
		Inspect(q, func(n Node) bool {
			if n == nil {
				return false
			}
			if q, ok := n.(*Query); ok && len(q.Stmts) == 0 {
				return false // an empty query has no position
			}
			if pos, end := n.Pos(), n.End(); pos.Offset() < 0 || end < pos || end.Offset() > len(src) {
				t.Fatalf("%T %q has range [%d,%d) outside input", n, Format(n), pos.Offset(), end.Offset())
			}
			return true
		})
		out := Format(q)
		q2, errs2 := Parse(NewSource("printed", out))
		if len(errs2) > 0 {
			t.Fatalf("printed query does not parse: %v\ninput:   %q\nprinted: %q", errs2[0], src, out)
		}
		if out2 := Format(q2); out2 != out {
			t.Fatalf("round trip differs:\ninput:  %q\nfirst:  %q\nsecond: %q", src, out, out2)
		}
		if strings.Contains(out, "<bad") {
			t.Fatalf("clean parse prints a bad node: %q", out)
		}
	})
}
