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
		barrier := strings.ReplaceAll(text, "| where ", "| take 9223372036854775807 | where ")
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
