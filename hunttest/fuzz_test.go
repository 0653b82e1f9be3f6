package hunttest

import (
	"errors"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/syntax"
	"hunt/output"
	"hunt/query"
)

// FuzzQuery feeds arbitrary query text through parse, analysis and
// execution over the tables of the script tests. Any outcome but a crash
// or an internal error (a recovered panic, possibly wrapped) is fine,
// and a query with a where must give the rows it gives with the
// filter-sinking rewrite blocked.
func FuzzQuery(f *testing.F) {
	files, _ := filepath.Glob("../testdata/queries/*.test")
	tables := &Script{}
	for _, file := range files {
		s, err := Parse(file)
		if err != nil {
			f.Fatal(err)
		}
		if tables.Tables == nil {
			tables = s
		} else {
			for n, b := range s.Tables {
				tables.Tables[n] = b
				tables.Schemas[n] = s.Schemas[n]
			}
		}
		for _, r := range s.Records {
			f.Add(r.Query)
		}
	}
	for _, q := range fuzzSeeds {
		f.Add(q)
	}
	for _, q := range graphSeeds {
		f.Add(q)
	}
	for _, q := range geoSeeds {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 || strings.Contains(text, "range") {
			return // keep each run small; range can be asked for huge outputs
		}
		opt := query.Options{Tables: tables.Tables, TableSchemas: tables.Schemas, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), MaxMemory: 64 << 20}
		p, err := query.Prepare(syntax.NewSource("fuzz", text), opt)
		var ie *exec.InternalError
		if err != nil {
			if errors.As(err, &ie) {
				t.Fatalf("internal error preparing %q: %v\n%s", text, err, ie.Stack)
			}
			return
		}
		if p.Plan == nil {
			return
		}
		b, err := p.Collect()
		if err != nil {
			if errors.As(err, &ie) {
				t.Fatalf("internal error running %q: %v\n%s", text, err, ie.Stack)
			}
			return
		}
		// The filter-sinking rewrite (kql/plan/sink.go) must not change
		// the rows: a take of every row in front of each where stops it.
		if !strings.Contains(text, "| where ") || volatile.MatchString(text) {
			return
		}
		barrier := takeBarrier(text)
		if barrier == text {
			return // the "| where " is inside a literal
		}
		bp, err := query.Prepare(syntax.NewSource("fuzz", barrier), opt)
		if err != nil || bp.Plan == nil {
			return
		}
		bb, err := bp.Collect()
		if err != nil {
			return
		}
		if got, want := sortedRows(b), sortedRows(bb); got != want {
			t.Fatalf("%q: the rows differ from those of %q:\n%s\nvs\n%s", text, barrier, got, want)
		}
	})
}

// takeBarrier puts a take of every row in front of each where operator of
// text: the "| where " tokens, not those inside literals or comments.
func takeBarrier(text string) string {
	var sc syntax.Scanner
	sc.Init(syntax.NewSource("fuzz", text), func(syntax.Pos, syntax.Pos, string) {})
	var b strings.Builder
	last := 0
	for prevPipe := false; ; {
		pos, tok, lit := sc.Scan()
		if tok == syntax.EOF {
			break
		}
		if prevPipe && tok == syntax.IDENT && lit == "where" {
			b.WriteString(text[last:pos.Offset()])
			b.WriteString("take 9223372036854775807 | ")
			last = pos.Offset()
		}
		prevPipe = tok == syntax.PIPE
	}
	b.WriteString(text[last:])
	return b.String()
}

// volatile matches queries whose rows may differ from run to run, or
// depend on the order in which rows reach an aggregate.
var volatile = regexp.MustCompile(`rand|guid|sample|now|ago|take|limit|top|any|make_|arg_|percentile|tdigest|hll|dcount`)

// sortedRows renders b's rows, sorted (row order may depend on hashing).
func sortedRows(b *vec.Batch) string {
	rows := make([]string, b.N)
	for i := range rows {
		cells := make([]string, len(b.Cols))
		for c, v := range b.Cols {
			if v.IsNull(i) {
				cells[c] = "<null>"
			} else {
				cells[c] = output.Text(v, i)
			}
		}
		rows[i] = strings.Join(cells, "\t")
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// fuzzSeeds cover the newer corners of the language that the script tests
// reach only with well-formed queries: reduce and its options, `where *`,
// the period functions, constant strings through lets and parameters, the
// filter-sinking rewrite around row functions and sub-queries, and the
// naming of computed columns. Many are malformed on purpose.
var fuzzSeeds = []string{
	// reduce
	`Logs | reduce by Msg`,
	`Logs | reduce kind=source by Msg`,
	`Logs | reduce kind=source by Msg with threshold=0.5, characters=" ."`,
	`Logs | reduce by Msg with threshold=1e308`,
	`Logs | reduce by Msg with threshold=-0.0`,
	`Logs | reduce by Msg with threshold=0, characters=""`,
	`Logs | reduce by Msg with threshold=1, characters="\u00e9\u4e16\U0001F600"`,
	`Logs | reduce by Msg with threshold=real(nan)`,
	`Logs | reduce by Msg with threshold=real(+inf)`,
	`Logs | reduce by Msg with threshold=9223372036854775807`,
	`Logs | reduce by Msg with threshold=0.1, threshold=0.2`,
	`Logs | reduce by Msg with characters=1`,
	`Logs | reduce by Msg with characters=dynamic("x")`,
	`Logs | reduce by Msg with bogus=1`,
	`Logs | reduce by Msg with threshold=Id`,
	`Logs | reduce kind=bag by Msg`,
	`Logs | reduce hint.x=1 by Msg`,
	`Logs | reduce by`,
	`Logs | reduce by Msg with`,
	`Logs | reduce by Code`,
	`Logs | reduce by pack("a", Msg)`,
	`Logs | reduce by strcat(Msg, "\u00e9\u00e9 \u00e9")`,
	`Logs | where Id < 0 | reduce by Msg`,
	`Logs | extend Pattern = 1 | reduce kind=source by Msg`,
	`Logs | project Pattern = Msg, Pattern1 = Id | reduce kind=source by Pattern`,
	`datatable(s:string)["", "", ""] | reduce by s`,
	`datatable(s:string)[] | reduce by s with threshold=0`,
	`datatable(s:string)["\u00e9-\u00e9-\u00e9", "\u00e9-x-\u00e9", "\u4e16 \u4e16"] | reduce by s with threshold=0`,
	`datatable(s:dynamic)[dynamic(null), dynamic([1,2]), dynamic({"a":1})] | reduce by s`,
	`datatable(s:string)["a b c", "a b d"] | reduce by s with characters=" " | reduce by Pattern`,
	`Logs | reduce by Msg | where Count > 1 | project Pattern`,
	// where * op value
	`T | where * has "eng"`,
	`T | where * !contains "a"`,
	`T | where * == "alice"`,
	`T | where * != ""`,
	`T | where * has_cs "A"`,
	`T | where * startswith ""`,
	`T | where * matches regex "^a"`,
	`T | where * in ("alice", "bob")`,
	`T | where * has 1`,
	`T | where * has Name`,
	`T | where * has dynamic(null)`,
	`T | where * contains "\u00e9"`,
	`T | where * has ""`,
	`T | where * !has "eng" and * !has "ops"`,
	`T | project Salary | where * has "x"`,
	`T | where * has`,
	`T | where * `,
	`T | where * + 1`,
	`print x = 1 | where * has "1"`,
	`T | extend u = toupper(Name) | project-away Name | where * has "ALICE"`,
	`T | where not(* has "x")`,
	`T | where * has toscalar(T | take 1 | project Name)`,
	// series_periods_detect / series_periods_validate
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3,1,2,3]), 0, 10, 2)`,
	`print r = series_periods_detect(dynamic([]), 0, 10, 2)`,
	`print r = series_periods_detect(dynamic(null), 0, 10, 2)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), 0, 10, 0)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), 0, 10, -5)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), 0, 10, 1000000000000)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), real(-inf), real(+inf), 3)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), real(nan), real(nan), real(nan))`,
	`print r = series_periods_detect(dynamic([null, "x", 1, 2, 3, null, 1, 2, 3]), 1, 1e300, 2)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]), 10, 1, 2)`,
	`print r = series_periods_detect(dynamic([1,2,3,1,2,3,1,2,3]))`,
	`print r = series_periods_detect("abc", 0, 10, 2)`,
	`print r = series_periods_validate(dynamic([1,2,3,1,2,3,1,2,3,1,2,3]), 3, 4.5)`,
	`print r = series_periods_validate(dynamic([1,2,3,1,2,3,1,2,3,1,2,3]), real(nan), real(+inf), -1, 1e300)`,
	`print r = series_periods_validate(dynamic([]), 3)`,
	`print r = series_periods_validate(dynamic([1,2,3]))`,
	`print r = series_periods_validate(dynamic([1,2,3,1,2,3]), "3")`,
	`print r = series_periods_validate(dynamic([1,1,1,1,1,1,1,1,1,1]), 4)`,
	`T | summarize s = make_list(Salary) | extend p = series_periods_detect(s, 0, 4, 1), v = series_periods_validate(s, 2)`,
	`print s = dynamic([1,2,3,1,2,3,1,2,3]) | extend p = series_periods_detect(s, 0, 4, 1) | mv-expand p.periods`,
	// table() / column_ifexists() through lets and parameters
	`let t = "Logs"; table(t) | count`,
	`let t = "Lo"; table(strcat(t, "gs")) | count`,
	`let t = ""; table(t)`,
	`let t = 1; table(t)`,
	`let t = dynamic(null); table(t)`,
	`let t = "nope"; table(t)`,
	`let t = "T"; let T = datatable(a:string)["x"]; table(t) | where a == "x"`,
	`let f = (t:string) { table(t) | take 1 }; f("Logs")`,
	`let f = (t:string) { table(t) | take 1 }; f(Logs)`,
	`let f = (t:string) { table(t) }; f("")`,
	`let f = (t:string = "Logs") { table(t) | count }; f()`,
	`let f = (c:string) { T | project x = column_ifexists(c, "none") }; f("Name")`,
	`let f = (c:string) { T | project x = column_ifexists(c, 0) }; f("Salary")`,
	`let f = (c:string) { T | project x = column_ifexists(c, "none") }; f("\u00e9")`,
	`let c = "Dept"; T | where column_ifexists(c, "") == "eng"`,
	`let c = "Dept"; T | extend d = column_ifexists(c, "") | where d == "eng"`,
	`T | project column_ifexists(Name, "x")`,
	`T | project column_ifexists("Name")`,
	`T | project column_ifexists()`,
	`let f = (t:string) { let g = (u:string) { table(u) }; g(t) }; f("Logs") | count`,
	`let t = toscalar(print "Logs"); table(t)`,
	// filter sinking: filters above projections
	`T | extend s2 = Salary * 2 | where Dept == "eng" | where s2 > 100`,
	`T | project N = Name, D = Dept | where D == "ops" | where N != "dave"`,
	`T | project N = Name, N2 = Name | where N2 == "alice" and N == "alice"`,
	`T | project-rename N = Name | where N startswith "a"`,
	`T | extend Name = strcat(Name, "!") | where Name == "alice"`,
	`T | extend Name = strcat(Name, "!") | where Name == "alice!"`,
	`T | project Dept, Name = Dept, Dept2 = Name | where Name == "eng" and Dept2 == "alice"`,
	`T | extend m = toscalar(T | summarize max(Salary)) | where Salary == m`,
	`T | where Salary == toscalar(T | summarize max(Salary)) | project Name`,
	`T | project Name, Salary | where Salary < toscalar(T | summarize avg(Salary))`,
	`T | project Name, Tags | mv-expand Tags | where Name == "alice"`,
	`T | mv-expand Tags | project Name, t = tostring(Tags) | where t == "a"`,
	`T | mv-expand with_itemindex = i Tags | project Name, i | where i == 1`,
	`T | extend a = 1 | extend b = a + 1 | project Name, b | where Name == "bob" | where b == 2`,
	`T | project Name | where Name in ((T | where Dept == "eng" | project Name))`,
	`T | project x = Salary | where isnull(x)`,
	`T | project x = Salary | where x == int(null)`,
	`T | project Start | where Start > datetime(2024-02-15)`,
	`T | project Tags | where Tags has "a"`,
	`T | project t = Tags | where t[0] == "a"`,
	`T | project t = Tags | where t.k == 1`,
	`T | extend r = rand() | where Name == "alice" | project Name`,
	`T | project a = Name | project b = a | project c = b | where c == "carol"`,
	`T | project a = Name, b = Dept | project b, a | where a == "erin" | where b == ""`,
	`T | summarize c = count() by Dept | project Dept, c | where c > 1`,
	`T | join kind=inner (T | project Name, X = Salary) on Name | project Name, X | where X > 80`,
	`union (T | project Name), (Logs | project Name = Msg) | where Name has "alice"`,
	`T | project N = Name | where N == "alice" | where N == "bob"`,
	`T | project N = Name | where false`,
	`T | project N = Name | where true | where N != ""`,
	// sinking around serialize / row functions
	`T | serialize | extend r = row_number() | where Dept == "ops"`,
	`T | serialize | extend r = row_number() | project Name, r | where Name == "carol"`,
	`T | serialize r = row_number() | where Name == "carol"`,
	`T | serialize | extend p = prev(Name) | where Dept == "eng"`,
	`T | serialize | extend n = next(Salary, 2, -1) | project Name, n | where Name != "alice"`,
	`T | serialize | project Name, Dept | where prev(Dept) == Dept`,
	`T | serialize | project Name, Dept | where row_number() > 2`,
	`T | serialize | extend c = row_cumsum(Salary) | where Salary > 80 | where c > 100`,
	`T | sort by Name asc | extend r = row_number() | project Name, r | where r > 1`,
	`T | sort by Name desc | project Name | extend r = row_number() | where Name has "a"`,
	`T | order by Salary asc nulls first | extend p = prev(Salary) | project Name, p | where isnull(p)`,
	`T | serialize | extend r = row_rank_dense(Dept) | project Dept, r | where Dept == "ops"`,
	`T | serialize | extend s = row_window_session(Start, 30d, 10d) | where Name == "bob"`,
	`T | serialize | extend r = row_number() | extend r2 = r * 2 | project Name, r2 | where Name == "dave"`,
	`T | serialize | where Salary > 80 | extend r = row_number() | where r == 1`,
	`T | serialize | extend r = row_number(), p = prev(Name) | where Name == "bob" | where p == "alice"`,
	`T | extend x = 1 | serialize | extend r = row_number() | project Name, x, r | where x == 1 | where r > 3`,
	`T | serialize | extend r = row_number() | where r > toscalar(T | count) - 2`,
	`T | serialize | extend p = prev(Tags) | mv-expand p | where Name == "bob"`,
	`T | project Name | serialize | extend r = row_number(1, Name == "carol") | where Name == "dave"`,
	`T | serialize | extend r = row_number() | where Name == "x" | extend q = row_number()`,
	// column naming (summarize / tabular)
	`T | summarize count(), count() by Dept`,
	`T | summarize max(Salary), max(Salary), max(Salary) by Dept`,
	`T | summarize toint(count()), tostring(count()), toint(count()) + 1`,
	`T | summarize sum(Salary) * 2, sum(Salary) * 2`,
	`T | summarize avg(Salary + 1), avg(Salary + 1)`,
	`T | summarize any(Name, Dept, Salary), any(*)`,
	`T | summarize arg_max(Salary, *), arg_min(Salary, Name)`,
	`T | summarize count() by bin(Start, 30d), bin(Start, 30d)`,
	`T | summarize count() by tolower(Dept), tolower(Dept)`,
	`T | summarize dcount(Name) by strcat(Dept, "x")`,
	`T | extend tostring(Salary), tostring(Salary), strlen(Name)`,
	`T | project tostring(Salary), tostring(Salary), Salary, Salary1 = 1`,
	`T | project toint(X = Salary), strlen(Y = Name), tostring(Z = Salary + 1)`,
	`T | project Tags.k, Tags["k"], Tags.k`,
	`T | project Tags.k.j.i, Tags[0][1]`,
	`T | extend \u00e9 = 1, ["a b"] = 2, ['x-y'] = 3 | project-away Tags`,
	`T | summarize ["count()"] = count(), count()`,
	`T | summarize make_list(Name), make_list(Name), make_set(Name, 2)`,
	`print 1, 1, 1 + 1, 1 + 1`,
	`print x = 1, x = 2`,
	`T | project Name, Name`,
	`T | extend Name = 1, Name = 2`,
	`datatable(print_0:long)[1] | extend 2, 3`,
	`T | summarize by Dept, Dept`,
	`T | summarize count_ = 1, count()`,
	// deeply nested and odd expressions
	`print x = ((((((((((((((((((((1))))))))))))))))))))`,
	`print x = strlen(strcat(strcat(strcat(strcat(strcat(strcat(strcat("a"))))))))`,
	`T | where ((((Name == "a" or (Dept == "b" and (Salary > 1 or (Salary < 2 and not(isnull(Start)))))))))`,
	`T | extend a = iff(Salary > 1, iff(Salary > 2, iff(Salary > 3, 1, 2), 3), 4) | where a == 1`,
	`print x = -(-(-(-(-(-(-(-(-(-1)))))))))`,
	`print x = dynamic([[[[[[[[[[[]]]]]]]]]]])`,
	`print x = 9223372036854775807 + 1, y = -9223372036854775808 - 1, z = 1 / 0, w = 1.0 / 0`,
	`print x = "\u0000\uFFFD\U0010FFFF"`,
	`print x = tostring(dynamic({"\u00e9":["\u4e16"]}))`,
	``,
	` `,
	`|`,
	`T |`,
	`T | where`,
	`T | extend`,
	`T | project`,
	`T | summarize`,
	`let`,
	`let x = ; x`,
	`;;;`,
	`T | where Name == "`,
	"T | where Name == `x`",
	`T | where Name == @"\"`,
}

// graphSeeds cover make-graph and the graph operators over the GE and GN
// tables of graph.test: valid and malformed patterns, huge and empty
// variable-length bounds, the cycles options, empty graphs, self-loops,
// partitioned-by and the graph functions in where and project.
var graphSeeds = []string{
	`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*1..64]->(y) project n = node_id(y), k = map(e, w)`,
	`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*64..64]-(y) project node_id(x)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*0..64]-(y)-[f*0..64]-(z) project node_id(x), map(inner_nodes(f), node_id())`,
	`GE | make-graph src --> dst | graph-shortest-paths output=all (x)-[e*0..64]-(y) project node_id(x), node_id(y), map(e, w)`,
	`GE | take 0 | make-graph src --> dst | graph-shortest-paths (x)-[e*0..64]->(y) project node_id(x)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*65..65]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..1000000000]->(y) project x.src`,
	`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*1..9223372036854775807]->(y) project y.dst`,
	`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*0..60]->(y) project k = map(e, w)`,
	`GE | make-graph src --> dst | graph-match cycles=none (x)-[e*0..60]->(y) project k = map(e, w)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*5..5]->(y)-[f*5..5]->(z) project 1`,
	`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*100..100]->(x) project x.src`,
	`GE | make-graph src --> dst | graph-match (x)-[e*-1..2]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*2]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*0..0]->(y) project x, y`,
	`GE | make-graph src --> dst | graph-match (x)-[e*..3]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*3..]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2*3..4]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1.5..2]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*18446744073709551616..2]->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[*1..3]-(y) project x.src`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..3]-(y) project map(e, kind)`,
	`GE | make-graph src --> dst | graph-match (x)<-[e*1..3]-(y) project map(e, kind), map(inner_nodes(e), node_id())`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(x) project e.w`,
	`GE | make-graph src --> dst | graph-match (x)-->(x)-->(x) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-->(y)<--(x) project 1`,
	`GE | make-graph src --> dst | graph-match (x) project x`,
	`GE | make-graph src --> dst | graph-match (x) where node_degree_in(x) == 0 project node_id(x)`,
	`GE | make-graph src --> dst | graph-match () project 1`,
	`GE | make-graph src --> dst | graph-match ()-->() project 1`,
	`GE | make-graph src --> dst | graph-match (x)-->(y)-->(z)-->(x) project x, y, z`,
	`GE | make-graph src --> dst | graph-match (x)-- project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e]-> project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e] project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y where 1) project 1`,
	`GE | make-graph src --> dst | graph-match (x-->(y) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) where e.w > 1 project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) where all(e, any(e, w > 1)) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) where all(inner_nodes(e), node_degree_out() > 0) project 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project map(e, map(e, w))`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project map(inner_nodes(inner_nodes(e)), 1)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project all(e), any(), map(e)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project node_id(e), node_degree_in(e)`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project node_degree_in(), node_id()`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..2]->(y) project all(e, node_id() == "a")`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project node_id(x, y), node_degree_out(1)`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) where node_id(x) == node_id(y) project x.src`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project x.src, x.src, x_src = 1`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project e`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project count()`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project toscalar(GE | count)`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) project x.src | where x_src == "a"`,
	`GE | make-graph src --> dst with GN on id | graph-match (x)-[e]->(y) project x.id, x.age | where x_age > 1`,
	`GE | make-graph src --> dst with GN on nope | graph-to-table nodes`,
	`GE | make-graph src --> dst with GN on age | graph-to-table nodes`,
	`GE | make-graph w --> dst | graph-to-table nodes`,
	`GE | make-graph w --> w | graph-match (x)-[e*1..3]->(y) project 1`,
	`GE | make-graph src --> src | graph-match (x)-[e*1..5]->(y) project map(e, w)`,
	`GE | make-graph src --> dst with GN on id, GN on id | graph-to-table nodes`,
	`GE | make-graph src --> dst with (GN | take 0) on id | graph-to-table nodes`,
	`GE | make-graph src --> dst with datatable(id:string)[] on id | graph-to-table nodes`,
	`GE | make-graph src --> dst with datatable(id:long)[1] on id | graph-to-table nodes`,
	`GE | make-graph src --> dst with datatable(id:dynamic)[dynamic(null)] on id | graph-to-table nodes`,
	`GE | take 0 | make-graph src --> dst | graph-match (x)-[e*0..3]->(y) project x.src`,
	`GE | take 0 | make-graph src --> dst | graph-shortest-paths (x)-[e*0..3]->(y) project x.src`,
	`GE | take 0 | make-graph src --> dst | graph-mark-components | graph-to-table nodes`,
	`GE | take 0 | make-graph src --> dst | graph-to-table edges, nodes`,
	`datatable(a:string, b:string)[] | make-graph a --> b | graph-match (x) project x`,
	`datatable(a:string, b:string)["x", "x"] | make-graph a --> b | graph-match cycles=all (x)-[e*1..50]->(y) project array_length(map(e, a))`,
	`datatable(a:string, b:string)["x", "x", "x", "x", "x", "x"] | make-graph a --> b | graph-match cycles=all (x)-[e*1..30]->(y) project 1 | count`,
	`datatable(a:string, b:string)["x", "y", "y", "x", "x", "y"] | make-graph a --> b | graph-match cycles=all (x)-[e*1..40]-(y) project 1 | count`,
	`datatable(a:string, b:string)[string(null), string(null), "", ""] | make-graph a --> b | graph-to-table nodes, edges`,
	`datatable(a:long, b:long)[1, 2, 2, 1] | make-graph a --> b | graph-mark-components kind=strong | graph-to-table nodes`,
	`datatable(a:dynamic, b:dynamic)[dynamic([1]), dynamic({"a":1})] | make-graph a --> b | graph-to-table nodes`,
	`datatable(a:real, b:real)[real(nan), real(nan)] | make-graph a --> b | graph-match (x)-->(y) project node_id(x)`,
	`GE | make-graph src --> dst | graph-shortest-paths (x)-[e*1..1000000000]->(y) project x.src, map(e, w)`,
	`GE | make-graph src --> dst | graph-shortest-paths output=all (x)-[e*1..5]->(y) project x.src, map(e, w)`,
	`GE | make-graph src --> dst | graph-shortest-paths output=any (x)-[e*0..5]-(y) project x.src, map(e, w)`,
	`GE | make-graph src --> dst | graph-shortest-paths output=bogus (x)-[e*1..5]->(y) project 1`,
	`GE | make-graph src --> dst | graph-shortest-paths (x)-[e*1..5]->(y)-[f]->(z) project 1`,
	`GE | make-graph src --> dst | graph-shortest-paths (x)-[e*1..5]->(x) project map(e, w)`,
	`GE | make-graph src --> dst | graph-shortest-paths (x)-[e*5..1]->(y) project 1`,
	`GE | make-graph src --> dst | graph-mark-components kind=weak | graph-match (x) project x.ComponentId`,
	`GE | make-graph src --> dst | graph-mark-components kind=bogus | graph-to-table nodes`,
	`GE | make-graph src --> dst | graph-mark-components with_component_id=src | graph-to-table nodes`,
	`GE | make-graph src --> dst | graph-mark-components | graph-mark-components | graph-to-table nodes`,
	`GE | make-graph src --> dst | graph-to-table nodes with_node_id=src`,
	`GE | make-graph src --> dst | graph-to-table edges with_source_id=src with_target_id=src`,
	`GE | make-graph src --> dst | graph-to-table edges as a, nodes as b; a`,
	`GE | make-graph src --> dst | graph-to-table bogus`,
	`GE | make-graph src --> dst | graph-to-table`,
	`GE | make-graph src --> dst | count`,
	`GE | make-graph src --> dst | make-graph src --> dst`,
	`GE | make-graph src <-- dst | graph-to-table edges`,
	`GE | make-graph src -- dst | graph-to-table edges`,
	`GE | make-graph --> dst`,
	`GE | make-graph src -->`,
	`GE | make-graph`,
	`GE | make-graph src --> dst with_node_id=`,
	`GE | make-graph src --> dst with_node_id=1 | graph-to-table nodes`,
	`GE | make-graph src --> dst partitioned-by kind (graph-match (x)-[e*1..3]->(y) project kind = e.kind)`,
	`GE | make-graph src --> dst partitioned-by kind (graph-to-table nodes)`,
	`GE | make-graph src --> dst partitioned-by kind (graph-mark-components | graph-to-table nodes)`,
	`GE | make-graph src --> dst partitioned-by w (graph-shortest-paths (x)-[e*1..3]->(y) project x.src)`,
	`GE | make-graph src --> dst partitioned-by nope (graph-to-table nodes)`,
	`GE | make-graph src --> dst partitioned-by kind ()`,
	`GE | make-graph src --> dst partitioned-by kind (count)`,
	`GE | make-graph src --> dst partitioned-by kind (where w > 1)`,
	`GE | make-graph src --> dst partitioned-by kind`,
	`GE | make-graph src --> dst partitioned-by kind (graph-match (x)-->(y) project x.src) | where x_src == "c"`,
	`GE | take 0 | make-graph src --> dst partitioned-by kind (graph-to-table nodes)`,
	`GE | make-graph src --> dst partitioned-by kind (make-graph src --> dst | graph-to-table nodes)`,
	`GE | make-graph src --> dst partitioned-by kind (graph-match (x)-->(y) project x.src) partitioned-by w (graph-to-table nodes)`,
	`let g = GE | make-graph src --> dst; g | graph-to-table nodes`,
	`let f = (t:(src:string, dst:string)) { t | make-graph src --> dst | graph-to-table nodes }; f(GE)`,
	`union (GE | make-graph src --> dst | graph-to-table nodes), (GE | make-graph src --> dst | graph-to-table edges)`,
	`GE | join (GE | make-graph src --> dst | graph-match (x)-->(y) project src = x.src) on src`,
	`print x = toscalar(GE | make-graph src --> dst | graph-match (x)-->(y) project node_id(x) | count)`,
	`GE | make-graph src --> dst | graph-match (x)-[e]->(y) where e.w > 1 and x.src != y.dst project x.src, e.w | where e_w > 2`,
	`GE | make-graph src --> dst | graph-match (x)-[e*1..3]->(y) where array_length(map(e, w)) > 1 project n = array_length(map(e, w)) | where n == 2`,
	`GE | make-graph src --> dst with GN on id | graph-match cycles=unique_edges (a)-[p*1..3]->(b)<-[q*1..3]-(c) where a.id == "a" project map(p, w), map(q, w)`,
	`GE | make-graph src --> dst | graph-match cycles=all cycles=none (x)-->(y) project 1`,
	`GE | make-graph src --> dst | graph-match cycles= (x)-->(y) project 1`,
	`GE | make-graph src --> dst | graph-match hint.x=1 (x)-->(y) project 1`,
}

// geoSeeds cover the geospatial functions and the lookup plugins: valid
// GeoJSON, degenerate rings, the antimeridian and the poles, NaN and
// infinite coordinates, huge precision, level, tolerance and radius
// values, WKT text, and lookups against empty and mismatched tables.
var geoSeeds = []string{
	`print geo_distance_2points(real(nan), 0, 0, 0), geo_distance_2points(real(+inf), 0, 0, 0), geo_distance_2points(0, real(-inf), 0, 0)`,
	`print geo_point_in_circle(0, 0, 0, 0, 1e308), geo_point_in_circle(0, 0, 0, 0, real(+inf)), geo_point_in_circle(0, 0, 0, 0, real(nan))`,
	`print geo_point_in_circle(180, 90, -180, -90, 20015118)`,
	`print geo_azimuth(0, 90, 0, -90), geo_azimuth(real(nan), 0, 1, 1), geo_angle(0, 0, 0, 0, 0, 0)`,
	`print geo_point_to_geohash(1, 1, 9223372036854775807), geo_point_to_geohash(1, 1, -9223372036854775808), geo_point_to_geohash(1, 1, real(nan)), geo_point_to_geohash(1, 1, 1e300)`,
	`print geo_point_to_geohash(real(nan), real(nan)), geo_point_to_geohash(180, 90, 18), geo_point_to_geohash(-180, -90, 18)`,
	`print geo_point_to_s2cell(1, 1, 9223372036854775807), geo_point_to_s2cell(1, 1, -1), geo_point_to_s2cell(1, 1, real(nan)), geo_point_to_s2cell(180, 90, 30), geo_point_to_s2cell(-180, -90, 30)`,
	`print geo_geohash_to_polygon("zzzzzzzzzzzzzzzzzz"), geo_geohash_to_central_point("\u00e9"), geo_geohash_neighbors("0"), geo_geohash_neighbors("zzzzzzzzzzzzzzzzzz"), geo_geohash_neighbors("bpbpbpbp")`,
	`print geo_s2cell_to_polygon("0"), geo_s2cell_to_polygon("X"), geo_s2cell_to_polygon("ffffffffffffffff"), geo_s2cell_to_polygon("1000000000000001"), geo_s2cell_neighbors("1"), geo_s2cell_neighbors("b"), geo_s2cell_neighbors("bfffffffffffffff")`,
	`print geo_s2cell_to_central_point("0000000000000000"), geo_s2cell_to_central_point("00000000000000001"), geo_s2cell_neighbors("")`,
	`print geo_point_in_polygon(0, 90, dynamic({"type":"Polygon","coordinates":[[[0,89],[120,89],[-120,89],[0,89]]]})), geo_point_in_polygon(180, 0, dynamic({"type":"Polygon","coordinates":[[[179,-1],[-179,-1],[-179,1],[179,1],[179,-1]]]}))`,
	`print geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[]})), geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[]]})), geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[[0,0]]]})), geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}))`,
	`print geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[[0,0,0],[1,0,"x"],[1,1],[0,0]]]})), geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[[null,0],[1,0],[1,1],[null,0]]]})), geo_point_in_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[["0","0"],["1","0"],["1","1"],["0","0"]]]}))`,
	`print geo_point_in_polygon(0, 0, dynamic({"type":"MultiPolygon","coordinates":[]})), geo_point_in_polygon(0, 0, dynamic({"type":"MultiPolygon","coordinates":[[]]})), geo_point_in_polygon(0, 0, dynamic({"type":"MultiPolygon","coordinates":[[[]]]}))`,
	`print geo_point_in_polygon(0, 0, dynamic({"type":"GeometryCollection","geometries":[]})), geo_point_in_polygon(0, 0, dynamic({"type":"Point","coordinates":[0,0]})), geo_point_in_polygon(0, 0, dynamic([1,2])), geo_point_in_polygon(0, 0, dynamic("x"))`,
	`print a = geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]})), p = geo_polygon_perimeter(dynamic({"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]})), c = geo_polygon_centroid(dynamic({"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}))`,
	`print a = geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[0,0],[180,0],[0,1],[0,0]]]})), c = geo_polygon_centroid(dynamic({"type":"Polygon","coordinates":[[[0,0],[180,0],[0,1],[0,0]]]}))`,
	`print a = geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,0],[1,1],[0,0]],[[5,5],[6,5],[6,6],[5,5]]]}))`,
	`print geo_line_length(dynamic({"type":"LineString","coordinates":[[0,90],[0,-90]]})), geo_line_length(dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]})), geo_line_centroid(dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]})), geo_line_centroid(dynamic({"type":"MultiLineString","coordinates":[]}))`,
	`print geo_line_locate_point(dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]}), 0, 0), geo_line_locate_point(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), real(nan), 0)`,
	`print geo_distance_point_to_line(0, 0, dynamic({"type":"LineString","coordinates":[[0,0],[180,0]]})), geo_closest_point_on_line(0, 90, dynamic({"type":"LineString","coordinates":[[0,0],[90,0]]})), geo_closest_point_on_line(0, 0, dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]}))`,
	`print geo_closest_point_on_polygon(0, 0, dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,10]]]})), geo_distance_point_to_polygon(0, -90, dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,10]]]}))`,
	`print geo_intersects_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})), geo_intersects_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]}), dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]}))`,
	`print geo_intersects_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[180,0]]}), dynamic({"type":"LineString","coordinates":[[90,-90],[90,90]]})), geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[179,0],[-179,0]]}), dynamic({"type":"Polygon","coordinates":[[[179.5,-1],[-179.5,-1],[-179.5,1],[179.5,1],[179.5,-1]]]}))`,
	`print geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}))`,
	`print geo_intersection_2polygons(dynamic({"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]],[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}), dynamic({"type":"Polygon","coordinates":[[[0.5,0.5],[2.5,0.5],[2.5,2.5],[0.5,2.5],[0.5,0.5]]]}))`,
	`print geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[179,-1],[-179,-1],[-179,1],[179,1],[179,-1]]]}), dynamic({"type":"Polygon","coordinates":[[[179.5,-2],[-179.5,-2],[-179.5,2],[179.5,2],[179.5,-2]]]}))`,
	`print geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]}), dynamic({"type":"LineString","coordinates":[[0,0],[0,0]]})), geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[1,1],[0,0],[1,1]]}), dynamic({"type":"LineString","coordinates":[[1,1],[0,0],[1,1]]}))`,
	`print geo_intersection_line_with_polygon(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), dynamic({"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}))`,
	`print geo_union_polygons_array(dynamic([])), geo_union_polygons_array(dynamic(null)), geo_union_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]))`,
	`print geo_union_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[179,-1],[-179,-1],[-179,1],[179,1],[179,-1]]]},{"type":"Polygon","coordinates":[[[0,89],[120,89],[-120,89],[0,89]]]}]))`,
	`print geo_union_lines_array(dynamic([])), geo_union_lines_array(dynamic([{"type":"LineString","coordinates":[[0,0],[0,0]]}])), geo_union_lines_array(dynamic([{"type":"LineString","coordinates":[[0,0],[1,1],[0,0]]},{"type":"LineString","coordinates":[[1,1],[0,0],[1,1]]}]))`,
	`print geo_line_densify(dynamic({"type":"LineString","coordinates":[[0,0],[180,0]]}), 0.0000001), geo_line_densify(dynamic({"type":"LineString","coordinates":[[-180,-90],[180,90]]}), 1e-300)`,
	`print geo_line_densify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), real(nan)), geo_line_densify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), real(+inf)), geo_line_densify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), 0), geo_line_densify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), -1)`,
	`print geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[-180,-89],[180,-89],[180,89],[-180,89],[-180,-89]]]}), 0.01), geo_polygon_densify(dynamic({"type":"MultiPolygon","coordinates":[[[[0,0],[10,0],[10,10],[0,0]]],[[[0,0],[10,0],[10,10],[0,0]]]]}), 0.1, true)`,
	`print geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), real(nan)), geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), real(+inf)), geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[0,0],[0,0]]}), 0)`,
	`print geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}), 1), geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 1e300), geo_polygon_simplify(dynamic({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}), 0)`,
	`print geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[-180,-89],[180,-89],[180,89],[-180,89],[-180,-89]]]}), 30), geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[-180,-89],[180,-89],[180,89],[-180,89],[-180,-89]]]}), 12)`,
	`print geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 9223372036854775807), geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), real(nan)), geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), -1)`,
	`print geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 10, 1e308), geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 10, real(nan)), geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 10, -1)`,
	`print geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[-180,-90],[180,90]]}), 30), geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[0,0],[180,0]]}), 20), geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), 20, 1e308), geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), 20, real(+inf))`,
	`print geo_point_buffer(0, 0, 1e308), geo_point_buffer(0, 0, real(+inf)), geo_point_buffer(0, 0, real(nan)), geo_point_buffer(0, 90, 1000), geo_point_buffer(180, 0, 1000), geo_point_buffer(0, 0, 1000, 1e300), geo_point_buffer(0, 0, 1e7, 0.1)`,
	`print geo_point_buffer(0, 0, 1000, 0), geo_point_buffer(0, 0, 1000, real(nan)), geo_point_buffer(0, 0, 1000, -1), geo_point_buffer(0, 0, 1000, 1e-300)`,
	`print geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 1e308), geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), real(nan)), geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 1000, 1e-300)`,
	`print geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[179,-1],[-179,-1],[-179,1],[179,1],[179,-1]]]}), 100000), geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[0,89],[120,89],[-120,89],[0,89]]]}), 1000000)`,
	`print geo_from_wkt("POINT (nan nan)"), geo_from_wkt("POINT (inf 1)"), geo_from_wkt("POINT (1e400 1)"), geo_from_wkt("POINT EMPTY"), geo_from_wkt("POINT ()"), geo_from_wkt("POINT (1)"), geo_from_wkt("POINT (1 2 3 4 5)")`,
	`print geo_from_wkt("POLYGON (())"), geo_from_wkt("POLYGON ((0 0))"), geo_from_wkt("POLYGON ((0 0, 0 0, 0 0, 0 0))"), geo_from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))"), geo_from_wkt("MULTIPOLYGON ()")`,
	`print geo_from_wkt("GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 0, 1 1))"), geo_from_wkt("GEOMETRYCOLLECTION (GEOMETRYCOLLECTION (GEOMETRYCOLLECTION (POINT (1 1))))"), geo_from_wkt("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))"), geo_from_wkt("MULTIPOINT (1 1, 2 2)")`,
	`print geo_from_wkt("(((((((((((((((((((((((((((((((((("), geo_from_wkt("POINT (1 2"), geo_from_wkt("LINESTRING (1 1,, 2 2)"), geo_from_wkt("point(-180 -90)"), geo_from_wkt("\u00e9"), geo_from_wkt("POINT(0x10 1)")`,
	`print geo_point_in_polygon(1, 1, geo_from_wkt("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))")), geo_polygon_area(geo_from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"))`,
	`datatable(lng:real, lat:real)[real(nan), real(nan), real(+inf), 0, 0, 90, 180, 0] | extend h = geo_point_to_geohash(lng, lat), s = geo_point_to_s2cell(lng, lat, 30), c = geo_point_in_circle(lng, lat, 0, 0, 1000)`,
	`datatable(p:dynamic)[dynamic(null), dynamic({}), dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), dynamic([])] | extend a = geo_polygon_area(p), c = geo_polygon_to_s2cells(p, 5) | where isnotnull(a)`,
	`let polygons = datatable(name:string, polygon:dynamic)[]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon, return_unmatched = true)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic(null), "y", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), "z", dynamic("nope")]; datatable(lng:real, lat:real)[1, 1, real(nan), 0] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon, return_unmatched = true)`,
	`let polygons = datatable(name:string, polygon:string)["x", "POLYGON ((0 0, 2 0, 2 2, 0 0))"]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:string, lat:string)["1", "1"] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:real, lat:real)[] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon)`,
	`let polygons = datatable(lng:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:real, lat:real)[1, 0.5] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon, return_unmatched = true)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:real, lat:real)[1, 0.5] | evaluate geo_polygon_lookup(polygons, lng, lat, nope)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:real, lat:real)[1, 0.5] | evaluate geo_polygon_lookup(polygons, lng, lat)`,
	`let polygons = datatable(name:string, polygon:dynamic)["x", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})]; datatable(lng:real, lat:real)[1, 0.5] | evaluate geo_polygon_lookup(polygons, lng, lat, polygon, return_unmatched = "yes", bogus = 1)`,
	`datatable(lng:real, lat:real)[1, 0.5] | evaluate geo_polygon_lookup(datatable(p:dynamic)[dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]})], lng, lat, p) | where lng > 0`,
	`let roads = datatable(road:string, line:dynamic)[]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, 1000, return_unmatched = true)`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]})]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, 1e308)`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]})]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, real(nan))`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]})]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, -1)`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]})]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, lng)`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]}), "s", dynamic(null)]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, line, lng, lat, 1000, return_unmatched = true, return_lookup_key = true)`,
	`let roads = datatable(lng:real, line:dynamic)[1, dynamic({"type":"LineString","coordinates":[[179,0],[-179,0]]})]; datatable(lng:real, lat:real)[180, 0, -180, 0] | evaluate geo_line_lookup(roads, line, lng, lat, 1000)`,
	`let roads = datatable(road:string, line:dynamic)["r", dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]})]; datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(roads, nope, lng, lat, 1000)`,
	`datatable(lng:real, lat:real)[1, 1] | evaluate geo_line_lookup(lng, lat)`,
	`datatable(lng:real, lat:real)[1, 1] | evaluate geo_polygon_lookup()`,
}

// TestTakeBarrier checks that the barrier goes in front of where
// operators only: FuzzQuery once compared a query with a "| where " string
// literal against the same query with the literal rewritten.
func TestTakeBarrier(t *testing.T) {
	for in, want := range map[string]string{
		`T | where a == 1`:                      `T | take 9223372036854775807 | where a == 1`,
		`T|where a | project b | where c`:       `T|take 9223372036854775807 | where a | project b | take 9223372036854775807 | where c`,
		`T|project Name,Tags="| where "`:        `T|project Name,Tags="| where "`,
		`T | project x = '| where ' // | where`: `T | project x = '| where ' // | where`,
	} {
		if got := takeBarrier(in); got != want {
			t.Errorf("takeBarrier(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFuzzMemoryRegressions runs queries FuzzQuery found holding far more
// than its 64 MiB limit: each must fail with ErrMemoryLimit, quickly.
func TestFuzzMemoryRegressions(t *testing.T) {
	s, err := Parse("../testdata/queries/graph.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		// cycles=all copies paths up to 64 edges long into lists, which
		// the partial-match budget did not count.
		`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*1..64]->(y) project n = node_id(y), k = map(e, w)`,
		`GE | make-graph src --> dst | graph-match cycles=all (x)-[e*1..64]->(y) project n = node_id(y), k = e.w`,
	} {
		start := time.Now()
		opt := query.Options{Tables: s.Tables, TableSchemas: s.Schemas, MaxMemory: 64 << 20}
		p, err := query.Prepare(syntax.NewSource("t", text), opt)
		if err == nil {
			_, err = p.Collect()
		}
		if !errors.Is(err, exec.ErrMemoryLimit) {
			t.Errorf("%s: got %v, want the memory limit", text, err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %v", text, el)
		}
	}
}
