package source

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"hunt/engine/exec"
	_ "hunt/engine/fn" // kernels register themselves
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/sema"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// kqlEnv resolves the tables of a test's data set.
type kqlEnv struct{ set *Set }

func (e kqlEnv) Table(name string) (vec.Schema, bool) {
	t, ok := e.set.Table(name)
	if !ok {
		return nil, false
	}
	s, err := t.Schema()
	return s, err == nil
}

func (e kqlEnv) TableNames() []string { return e.set.Names() }

// kqlRun runs query over set with the real analyzer and executor, as
// hunt does. With pushdown false the scans get no Filters or Paths, which
// gives the reference result; workers > 1 lets the executor split scans.
func kqlRun(t testing.TB, set *Set, query string, pushdown bool, workers int) ([]string, *Diagnostics) {
	t.Helper()
	rows, diag, err := kqlExec(t, set, query, pushdown, workers)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	return rows, diag
}

// errParse marks a query the analyzer rejects for the data's schema.
var errParse = errors.New("query does not fit the schema")

// kqlExec is kqlRun returning the query's errors (errParse for analysis)
// rather than failing the test, for inputs on which errors are expected.
func kqlExec(t testing.TB, set *Set, query string, pushdown bool, workers int) ([]string, *Diagnostics, error) {
	t.Helper()
	now := types.FromTime(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	ctx := &exec.Context{Workers: workers}
	ctx.Fn.Now = now
	src := syntax.NewSource("test", query)
	q, errs := syntax.Parse(src)
	if len(errs) > 0 {
		t.Fatalf("parse %q: %v", query, errs)
	}
	res, errs := sema.Analyze(q, src, sema.Options{Env: kqlEnv{set}, Fold: func(e plan.Expr) (any, error) { return exec.Fold(ctx, e) }})
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("%w: %v", errParse, errs)
	}
	root := plan.PushDown(plan.PruneColumns(res.Plan))
	diag := &Diagnostics{}
	ctx.OpenTable = func(scan *plan.Scan) (exec.Source, error) {
		tb, ok := set.Table(scan.Table)
		if !ok {
			return nil, fmt.Errorf("no table %s", scan.Table)
		}
		spec := ScanSpec{Columns: scan.Columns.Names()}
		if pushdown {
			spec.Paths = scan.Paths
			for _, f := range scan.Filters {
				if ref := plan.ValueRef(f.Pred); f.Path != "" || (f.Op == plan.OpPred && ref != nil && ref.T == types.String) {
					spec.PathFilters = append(spec.PathFilters, testPathFilter(t, f))
					continue
				}
				spec.Filters = append(spec.Filters, Filter{Column: f.Column, Op: f.Op, Value: f.Value, Values: f.Values})
			}
		}
		return tb.Open(spec, diag)
	}
	b, err := exec.Collect(ctx, root)
	if err != nil {
		return nil, diag, err
	}
	return renderRows(b, root.Schema()), diag, nil
}

// sameRows compares results as multisets when the query has no order.
func sameRows(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// testPathFilter makes a reader's PathFilter from a plan's path filter,
// judged by the executor's kernels as the query package does.
func testPathFilter(t testing.TB, f plan.ScanFilter) PathFilter {
	t.Helper()
	typ, missing := types.Dynamic, any(nil)
	if f.Path == "" {
		typ, missing = types.String, ""
	}
	probe, err := exec.NewValuePredicate(f.Pred, typ)
	if err != nil {
		t.Fatal(err)
	}
	absent, err := probe.EvalOne(missing)
	if err != nil {
		t.Fatal(err)
	}
	return PathFilter{Column: f.Column, Path: f.Path, AbsentPasses: absent, NewMatch: func() func(string) bool {
		vp, err := exec.NewValuePredicate(f.Pred, typ)
		if err != nil {
			t.Error(err)
			return nil
		}
		return func(s string) bool {
			pass, err := vp.EvalOne(s)
			return err != nil || pass
		}
	}}
}
