// Package query ties hunt's stages together for one KQL text: parse,
// analyze against the catalog and the data, prune columns, and run on
// the embedded executor. The command line, rule runner and tests all go
// through it.
package query

import (
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"hunt/catalog"
	"hunt/engine/exec"
	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/sema"
	"hunt/kql/syntax"
	"hunt/kql/types"
	"hunt/source"
	"hunt/store"

	"hunt/engine/fn"
)

// Options configures a query run.
type Options struct {
	// Data is the set of input files; nil means no data (print, datatable).
	Data *source.Set
	// Store is a columnar store (hunt import) whose tables are read
	// instead of files; nil for none.
	Store *store.Store
	// Diag receives bad input lines; nil to discard.
	Diag *source.Diagnostics
	// Now pins now() and ago(); the zero time means the wall clock.
	Now time.Time
	// Sets overrides top-level lets (--set NAME=VALUE): KQL expressions.
	Sets map[string]string
	// Watchlists binds _GetWatchlist aliases.
	Watchlists map[string]*Watchlist
	// Tables adds in-memory tables (used by rule tests and watchlists).
	Tables map[string]*vec.Batch
	// TableSchemas gives the schemas of Tables.
	TableSchemas map[string]vec.Schema
	// MaxMemory bounds blocking operators; 0 means no limit.
	MaxMemory int64
	// Stats, when not nil, collects per-operator statistics.
	Stats *exec.Stats
	// CheckOnly analyzes without needing a runnable result (hunt check).
	CheckOnly bool
	// GeoIP answers geo_info_from_ip_address() (--geoip FILE.mmdb).
	GeoIP *fn.GeoDB
	// ExternalData binds externaldata URLs to local files (--externaldata
	// URL=FILE).
	ExternalData map[string]string
	// Rewrite, when not nil, rewrites the analyzed plan before its columns
	// are pruned: tuning exclusions use it (see Tuner in tuning.go), and
	// so do callers that build further plans from the query's own.
	Rewrite func(root plan.Node, so sema.Options) (plan.Node, error)
}

// Prepared is an analyzed query ready to run.
type Prepared struct {
	Source *syntax.Source
	Plan   plan.Node
	// Lets holds the values of top-level scalar lets after --set.
	Lets map[string]plan.Expr
	ctx  *exec.Context
	opt  Options
}

// Error wraps the positioned errors of a query with its source, so that
// callers can render them with carets.
type Error struct {
	Source *syntax.Source
	List   syntax.ErrorList
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, err := range e.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(Render(e.Source, err))
	}
	return b.String()
}

// Render renders one positioned error with its source line and a caret.
// For a query embedded in a rule file the line is shown with the file's
// indentation, so that the caret sits under the column the message names.
func Render(src *syntax.Source, err *syntax.Error) string {
	out := syntax.Render(src, err)
	if src == nil || src.BaseCol == 0 {
		return out
	}
	lines := strings.Split(out, "\n")
	pad := strings.Repeat(" ", src.BaseCol)
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

// env resolves table names for the analyzer: tables present in the data
// (with the columns found there), in-memory tables, then the catalog.
type env struct {
	opt Options
}

func (e env) Table(name string) (vec.Schema, bool) {
	if s, ok := e.opt.TableSchemas[name]; ok {
		return s, true
	}
	if e.opt.Store != nil {
		if s, ok := e.opt.Store.Schema(name); ok {
			return s, true
		}
	}
	if e.opt.Data != nil {
		if t, ok := e.opt.Data.Table(name); ok {
			if s, err := t.Schema(); err == nil {
				return s, true
			}
		}
	}
	return catalog.Lookup(name)
}

// TableNames lists the tables of the database the query runs against:
// those of the data, store and in-memory tables when there are any (so
// that union * reads what is there, once each), else the catalog's.
func (e env) TableNames() []string {
	var names []string
	seen := map[string]bool{}
	add := func(ns []string) {
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	if e.opt.Data != nil {
		add(e.opt.Data.Names())
	}
	if e.opt.Store != nil {
		add(e.opt.Store.Names())
	}
	add(slices.Sorted(maps.Keys(e.opt.TableSchemas)))
	if len(names) == 0 {
		add(catalog.Tables())
	}
	slices.Sort(names)
	return names
}

// Prepare parses and analyzes text. A panic while analyzing (a bug) is
// returned as an *exec.InternalError rather than crashing the caller.
func Prepare(src *syntax.Source, opt Options) (p *Prepared, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &exec.InternalError{Value: r, Stack: string(debug.Stack())}
		}
	}()
	return prepare(src, opt)
}

func prepare(src *syntax.Source, opt Options) (*Prepared, error) {
	q, errs := syntax.Parse(src)
	if len(errs) > 0 {
		errs.Sort()
		return nil, &Error{Source: src, List: errs}
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	ctx := &exec.Context{Fn: fn.Ctx{Now: types.FromTime(now), GeoIP: opt.GeoIP}, MaxMemory: opt.MaxMemory, Stats: opt.Stats, ExternalData: opt.ExternalData, Workers: runtime.GOMAXPROCS(0)}
	// Tables are readable during analysis too: bag_unpack and pivot
	// without a declared schema take their columns from the data.
	ctx.OpenTable = (&Prepared{opt: opt}).openTable
	so := sema.Options{
		AllowNoResult: opt.CheckOnly,
		Env:           env{opt},
		Fold:          func(e plan.Expr) (any, error) { return exec.Fold(ctx, e) },
	}
	if len(opt.Sets) > 0 {
		so.Params = map[string]plan.Expr{}
		for name, text := range opt.Sets {
			e, err := parseSetValue(name, text, ctx)
			if err != nil {
				return nil, err
			}
			so.Params[name] = e
		}
	}
	if len(opt.Watchlists) > 0 {
		so.Watchlist = func(alias string) (plan.Node, error) { return watchlistNode(opt.Watchlists, alias) }
	}
	res, errs := sema.Analyze(q, src, so)
	if len(errs) > 0 {
		errs.Sort()
		return nil, &Error{Source: src, List: errs}
	}
	for name := range opt.Sets {
		if !res.ParamsUsed[name] {
			var lets []string
			for l := range res.Lets {
				lets = append(lets, l)
			}
			sort.Strings(lets)
			return nil, fmt.Errorf("--set %s: the query has no top-level let named %s (its lets: %s)", name, name, strings.Join(lets, ", "))
		}
	}
	if res.Plan == nil {
		return &Prepared{Source: src, Lets: res.Lets, ctx: ctx, opt: opt}, nil
	}
	root := res.Plan
	if opt.Rewrite != nil {
		var err error
		if root, err = opt.Rewrite(root, so); err != nil {
			return nil, err
		}
	}
	p := &Prepared{Source: src, Plan: plan.PushDown(plan.PruneColumns(root)), Lets: res.Lets, ctx: ctx, opt: opt}
	ctx.OpenTable = p.openTable
	return p, nil
}

// parseSetValue parses and folds the value of --set NAME=VALUE. A value
// that is not valid KQL is taken as a string, so --set user=alice works
// without quotes.
func parseSetValue(name, text string, ctx *exec.Context) (plan.Expr, error) {
	src := syntax.NewSource("--set "+name, text)
	e, errs := syntax.ParseExpr(src)
	if len(errs) == 0 {
		res, errs2 := sema.Analyze(&syntax.Query{Stmts: []syntax.Stmt{&syntax.LetStmt{Name: &syntax.Ident{Name: "__v"}, Value: e}, &syntax.ExprStmt{X: &syntax.PipeExpr{Source: &syntax.PrintOp{}}}}}, src, sema.Options{Fold: func(e plan.Expr) (any, error) { return exec.Fold(ctx, e) }})
		if len(errs2) == 0 {
			if v, ok := res.Lets["__v"].(*plan.Const); ok {
				return v, nil
			}
			return nil, fmt.Errorf("--set %s: the value must be a constant", name)
		}
	}
	return &plan.Const{T: types.String, Value: text}, nil
}

func (p *Prepared) openTable(scan *plan.Scan) (exec.Source, error) {
	name, cols := scan.Table, scan.Columns
	if b, ok := p.opt.Tables[name]; ok {
		return newBatchSource(b, p.opt.TableSchemas[name], cols)
	}
	if p.opt.Store != nil && p.opt.Store.Has(name) {
		return p.opt.Store.Open(scan)
	}
	if p.opt.Data != nil {
		if t, ok := p.opt.Data.Table(name); ok {
			names := make([]string, len(cols))
			for i, c := range cols {
				names[i] = c.Name
			}
			return t.Open(source.ScanSpec{Columns: names, Paths: scan.Paths, Filters: scanFilters(plan.ReaderFilters(scan.Filters)), PathFilters: pathFilters(scan.Filters)}, p.opt.Diag)
		}
	}
	var found []string
	if p.opt.Data != nil {
		found = p.opt.Data.Names()
	}
	if p.opt.Store != nil {
		found = append(found, p.opt.Store.Names()...)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("table %s: no data for it (give files with --data or --table %s=PATH)", name, name)
	}
	return nil, fmt.Errorf("table %s: not found in the data; tables found: %s", name, strings.Join(found, ", "))
}

// Schema returns the result columns.
func (p *Prepared) Schema() vec.Schema { return p.Plan.Schema() }

// Run executes the query and passes each result batch to emit.
func (p *Prepared) Run(emit func(*vec.Batch) error) error {
	return exec.Run(p.ctx, p.Plan, emit)
}

// Collect runs the query and returns all rows in one batch.
func (p *Prepared) Collect() (*vec.Batch, error) {
	return exec.Collect(p.ctx, p.Plan)
}
