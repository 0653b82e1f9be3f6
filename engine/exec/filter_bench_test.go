package exec

import (
	"fmt"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/plan"
	"hunt/kql/types"
)

// benchBatchSource serves the same in-memory batches on every run of a
// benchmark; operators must not change their input, and the benchmarks
// check that by counting the same rows each time.
type benchBatchSource struct {
	batches []*vec.Batch
	next    int
}

func (s *benchBatchSource) Next() (*vec.Batch, error) {
	if s.next >= len(s.batches) {
		return nil, nil
	}
	s.next++
	return s.batches[s.next-1], nil
}

func (s *benchBatchSource) Close() error { return nil }

// benchEvents builds rows shaped like CloudAppEvents' hot columns: an
// action type (1 in 12 is an upload), an application id (4 in 5 are
// 11161) and a target domain; it returns the bytes of each string
// column.
func benchEvents(rows int) (vec.Schema, []*vec.Batch, [3]int64) {
	schema := vec.Schema{{Name: "ActionType", Type: types.String}, {Name: "ApplicationId", Type: types.Int}, {Name: "TargetDomain", Type: types.String}}
	actions := []string{"FileAccessed", "FileDownloaded", "FileModified", "MailItemsAccessed", "FilePreviewed", "Send",
		"MessageSent", "FileUploaded", "UserLoggedIn", "FileSyncDownloadedFull", "FileDeleted", "FileUploadedToCloud"}
	domains := []string{"www.mediafire.com", "drive.google.com", "contoso-my.sharepoint.com", "teams.microsoft.com",
		"outlook.office.net", "wetransfer.com", "mega.nz", "pastebin.com", "photos.example.net"}
	var batches []*vec.Batch
	var strBytes [3]int64
	b := vec.NewBuilder(schema, vec.BatchSize)
	for i := 0; i < rows; i++ {
		a := actions[(i*7)%len(actions)]
		d := domains[(i*5)%len(domains)]
		if i%3 == 0 {
			d = fmt.Sprintf("host%d.%s", i%1000, d)
		}
		b.Cols[0].Append(a)
		if i%5 == 0 {
			b.Cols[1].Append(int64(20893))
		} else {
			b.Cols[1].Append(int64(11161))
		}
		b.Cols[2].Append(d)
		strBytes[0] += int64(len(a))
		strBytes[2] += int64(len(d))
		if b.Len() == vec.BatchSize {
			batches = append(batches, b.Flush())
		}
	}
	if b.Len() > 0 {
		batches = append(batches, b.Flush())
	}
	return schema, batches, strBytes
}

func benchFunc(b *testing.B, name string, args ...plan.Expr) *plan.Call {
	f, ok := builtins.Lookup(name)
	if !ok {
		b.Fatalf("no builtin %s", name)
	}
	typ, err := f.Result(plan.ArgInfo(args))
	if err != nil {
		b.Fatal(err)
	}
	return &plan.Call{Name: name, Func: f, Args: args, T: typ}
}

// benchRun runs root over batches once per iteration on one worker and
// checks that every run returns the same number of rows.
func benchRun(b *testing.B, root plan.Node, batches []*vec.Batch, rows int) {
	b.Helper()
	want := -1
	b.ReportAllocs()
	for b.Loop() {
		ctx := &Context{Workers: 1, OpenTable: func(*plan.Scan) (Source, error) { return &benchBatchSource{batches: batches}, nil }}
		n := 0
		if err := Run(ctx, root, func(out *vec.Batch) error { n += out.N; return nil }); err != nil {
			b.Fatal(err)
		}
		if want >= 0 && n != want {
			b.Fatalf("run returned %d rows, the first %d: the input was changed", n, want)
		}
		want = n
	}
	if want <= 0 {
		b.Fatalf("no rows out: the benchmark measures nothing")
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(want), "rows-out")
}

// BenchmarkFilter runs one Filter over 64k rows with each of the
// flagship rule's predicate shapes: =~ on a string, == on an int, and
// has_any of a constant list.
func BenchmarkFilter(b *testing.B) {
	const rows = 64 << 10
	schema, batches, strBytes := benchEvents(rows)
	scan := &plan.Scan{Table: "CloudAppEvents", Columns: schema}
	action := &plan.ColRef{Index: 0, Name: "ActionType", T: types.String}
	app := &plan.ColRef{Index: 1, Name: "ApplicationId", T: types.Int}
	target := &plan.ColRef{Index: 2, Name: "TargetDomain", T: types.String}
	list, err := types.ParseJSON([]byte(`["office.net","visualstudio","github","gitlab","azure","dynamics","teams","sharepoint"]`))
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name  string
		pred  plan.Expr
		bytes int64
	}{
		{"=~string", benchFunc(b, "=~", action, &plan.Const{T: types.String, Value: "fileuploadedtocloud"}), strBytes[0]},
		{"==int", benchFunc(b, "==", app, &plan.Const{T: types.Long, Value: int64(11161)}), 0},
		{"has_any", benchFunc(b, "has_any", target, &plan.Const{T: types.Dynamic, Value: list}), strBytes[2]},
		{"==int_and_=~string", benchFunc(b, "and",
			benchFunc(b, "==", app, &plan.Const{T: types.Long, Value: int64(11161)}),
			benchFunc(b, "=~", action, &plan.Const{T: types.String, Value: "fileuploadedtocloud"})), strBytes[0]},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// MB/s is of the string column tested; rows/s is for all.
			b.SetBytes(c.bytes)
			benchRun(b, &plan.Filter{Input: scan, Pred: c.pred}, batches, rows)
		})
	}
}
