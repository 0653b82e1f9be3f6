package sema

import (
	"fmt"
	"strconv"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/syntax"
	"hunt/kql/types"
)

// tabular analyzes a tabular expression. It returns nil after reporting an
// error.
func (a *analyzer) tabular(e syntax.Expr) plan.Node {
	switch x := e.(type) {
	case *syntax.PipeExpr:
		var n plan.Node
		if x.Source == nil {
			a.errorf(x.Pos(), "a pipeline needs a table to start from")
			return nil
		}
		n = a.source(x.Source)
		if n == nil {
			return nil
		}
		for _, op := range x.Ops {
			n = a.operator(n, op)
			if n == nil {
				return nil
			}
		}
		return n
	default:
		return a.source(e)
	}
}

// source analyzes the first element of a pipeline.
func (a *analyzer) source(e syntax.Expr) plan.Node {
	switch x := e.(type) {
	case *syntax.Ident:
		return a.tableRef(x)
	case *syntax.ParenExpr:
		return a.tabular(x.X)
	case *syntax.PipeExpr:
		return a.tabular(x)
	case *syntax.CallExpr:
		return a.tabularCall(x, nil)
	case *syntax.PrintOp:
		return a.print(x)
	case *syntax.DatatableExpr:
		return a.datatable(x)
	case *syntax.RangeExpr:
		return a.rangeExpr(x)
	case *syntax.UnionOp:
		return a.union(nil, x)
	case *syntax.ExternalDataExpr:
		return a.externalData(x)
	case *syntax.SearchOp:
		return a.searchOp(nil, x)
	case *syntax.FindOp:
		return a.findOp(x)
	case *syntax.EvaluateOp:
		return a.evaluate(nil, x)
	case *syntax.MemberExpr:
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: cross-cluster and cross-database references")
		return nil
	case *syntax.BadExpr:
		return nil
	}
	a.errorf(e.Pos(), "expected a tabular expression")
	return nil
}

func (a *analyzer) tableRef(x *syntax.Ident) plan.Node {
	if b := a.scope.lookup(x.Name); b != nil {
		switch b.kind {
		case bindTabular:
			return a.resolveTabularLet(x, b)
		case bindFunc:
			if len(b.fn.Params) == 0 || allDefaults(b.fn) {
				return a.inlineTabularFunc(x, b, nil, nil)
			}
			a.errorf(x.Pos(), "'%s' is a function; call it with arguments", x.Name)
			return nil
		case bindScalar:
			a.errorf(x.Pos(), "'%s' is a scalar value, not a table", x.Name)
			return nil
		}
	}
	if a.opt.Env != nil {
		if s, ok := a.opt.Env.Table(x.Name); ok {
			return &plan.Scan{Table: x.Name, Columns: append(vec.Schema(nil), s...)}
		}
	}
	var cands []string
	if a.opt.Env != nil {
		cands = a.opt.Env.TableNames()
	}
	for _, n := range a.scope.allNames() {
		if b := a.scope.lookup(n); b != nil && b.kind == bindTabular {
			cands = append(cands, n)
		}
	}
	a.errorSpan(x.Pos(), x.End(), false, "unknown table '%s'%s", x.Name, suggest(x.Name, cands))
	return nil
}

func allDefaults(fn *syntax.FuncLit) bool {
	for _, p := range fn.Params {
		if p.Default == nil {
			return false
		}
	}
	return true
}

// resolveTabularLet analyzes a tabular let on first use, in the scope it
// was defined in.
func (a *analyzer) resolveTabularLet(x *syntax.Ident, b *binding) plan.Node {
	if b.node != nil {
		return b.node
	}
	if b.lazy == nil {
		return nil
	}
	body := b.lazy
	b.lazy = nil // guards against self-reference
	saved := a.scope
	a.scope = b.lazyScope
	b.node = a.tabular(body)
	a.scope = saved
	return b.node
}

// tabularCall analyzes a call in tabular position: a user function,
// materialize(), _GetWatchlist(), table().
func (a *analyzer) tabularCall(x *syntax.CallExpr, input plan.Node) plan.Node {
	name := x.Fun.Name
	if x.Recv != nil {
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: cross-cluster and cross-database references")
		return nil
	}
	if b := a.scope.lookup(name); b != nil && b.kind == bindFunc {
		return a.inlineTabularFunc(x, b, x.Args, input)
	}
	if why, ok := cloudOnly[name]; ok {
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: %s", why)
		return nil
	}
	if input != nil {
		a.errorf(x.Pos(), "invoke needs a user function; '%s' is not one", name)
		return nil
	}
	switch name {
	case "materialize":
		if len(x.Args) != 1 {
			a.errorf(x.Pos(), "materialize() takes one tabular expression")
			return nil
		}
		n := a.tabular(unparen(x.Args[0]))
		if n == nil {
			return nil
		}
		a.sharedID++
		return &plan.Shared{ID: a.sharedID, Input: n}
	case "table":
		if len(x.Args) >= 1 {
			if name, ok := a.constString(x.Args[0]); ok {
				return a.tableRef(&syntax.Ident{NamePos: x.Args[0].Pos(), Name: name, EndPos: x.Args[0].End()})
			}
		}
		a.errorf(x.Pos(), "table() takes a table name as a constant string")
		return nil
	case "_GetWatchlist":
		if len(x.Args) != 1 {
			a.errorf(x.Pos(), "_GetWatchlist() takes one alias")
			return nil
		}
		lit, ok := x.Args[0].(*syntax.Literal)
		if !ok || lit.Kind != syntax.LitString {
			a.errorf(x.Args[0].Pos(), "_GetWatchlist(): the alias must be a string literal")
			return nil
		}
		if a.opt.Watchlist == nil {
			a.errorf(x.Pos(), "unknown watchlist '%s': no watchlists are bound (use --watchlist %s=FILE.csv)", lit.Value, lit.Value)
			return nil
		}
		n, err := a.opt.Watchlist(lit.Value)
		if err != nil {
			a.errorf(x.Pos(), "%v", err)
			return nil
		}
		return n
	}
	if why, ok := cloudOnly[name]; ok {
		a.errorSpan(x.Pos(), x.End(), true, "not available offline: %s", why)
		return nil
	}
	if name == "externaldata" {
		a.errorSpan(x.Pos(), x.End(), true, "externaldata")
		return nil
	}
	a.errorSpan(x.Fun.Pos(), x.Fun.End(), false, "unknown tabular function '%s'", name)
	return nil
}

func (a *analyzer) print(x *syntax.PrintOp) plan.Node {
	in := &plan.Values{Rows: [][]any{{}}}
	r := &row{}
	var exprs []plan.Expr
	var names []string
	hidden := &hiddenCols{}
	taken := func(name string) bool {
		for _, n := range names {
			if n == name {
				return true
			}
		}
		return false
	}
	for i, c := range x.Cols {
		var given []*syntax.Ident
		cx := c
		if ne, ok := c.(*syntax.NamedExpr); ok {
			given, cx = ne.Names, ne.X
		}
		if call, o := a.multiCall(cx); call != nil {
			ns, es := a.expandMulti(call, o, given, r, hidden, taken)
			names = append(names, ns...)
			exprs = append(exprs, es...)
			continue
		}
		var e plan.Expr
		name := ""
		if ne, ok := c.(*syntax.NamedExpr); ok {
			e = a.scalar(ne.X, r)
			name = ne.Names[0].Name
		} else {
			e = a.scalar(c, r)
			name = "print_" + strconv.Itoa(i)
		}
		exprs = append(exprs, e)
		names = append(names, name)
	}
	return &plan.Project{Input: hidden.wrap(in), Exprs: exprs, Names: dedupeNames(names)}
}

func (a *analyzer) datatable(x *syntax.DatatableExpr) plan.Node {
	var schema vec.Schema
	for _, c := range x.Columns {
		t, ok := types.Parse(c.Type)
		if !ok {
			a.errorf(c.Pos(), "unknown type '%s' for column %s", c.Type, c.Name.Name)
			return nil
		}
		schema = append(schema, vec.Column{Name: c.Name.Name, Type: t})
	}
	if len(schema) == 0 {
		a.errorf(x.Pos(), "datatable needs at least one column")
		return nil
	}
	if len(x.Values)%len(schema) != 0 {
		a.errorf(x.Lbrack, "datatable has %d values, not a multiple of its %d columns", len(x.Values), len(schema))
		return nil
	}
	var rows [][]any
	for i := 0; i < len(x.Values); i += len(schema) {
		rowv := make([]any, len(schema))
		for j := range schema {
			ve := x.Values[i+j]
			e := a.scalar(ve, nil)
			c, ok := e.(*plan.Const)
			if !ok {
				if !isBad(e) {
					a.errorf(ve.Pos(), "datatable values must be constants")
				}
				return nil
			}
			v, ok := convertConst(c, schema[j].Type)
			if !ok {
				a.errorf(ve.Pos(), "datatable value of type %s does not fit column %s of type %s", c.T, schema[j].Name, schema[j].Type)
				return nil
			}
			rowv[j] = v
		}
		rows = append(rows, rowv)
	}
	return &plan.Values{Cols: schema, Rows: rows}
}

// convertConst converts a literal to a column type where KQL allows it
// implicitly (numbers between numeric types, anything into dynamic).
func convertConst(c *plan.Const, t types.Type) (any, bool) {
	if c.Value == nil {
		if t == types.String {
			return "", true
		}
		return nil, true
	}
	if c.T == t {
		return c.Value, true
	}
	switch t {
	case types.Int, types.Long:
		switch v := c.Value.(type) {
		case int64:
			return v, true
		}
	case types.Real, types.Decimal:
		switch v := c.Value.(type) {
		case int64:
			return float64(v), true
		case float64:
			return v, true
		}
	case types.Dynamic:
		return toDynamic(c), true
	}
	return nil, false
}

func (a *analyzer) rangeExpr(x *syntax.RangeExpr) plan.Node {
	from := a.scalar(x.From, nil)
	to := a.scalar(x.To, nil)
	step := a.scalar(x.Step, nil)
	if isBad(from) || isBad(to) || isBad(step) {
		return nil
	}
	t := from.Type()
	switch t {
	case types.Int, types.Long:
		t = types.Long
		if to.Type() == types.Real || step.Type() == types.Real {
			t = types.Real
		}
	case types.Real, types.DateTime, types.Timespan:
	default:
		a.errorf(x.From.Pos(), "range: cannot range over %s values", t)
		return nil
	}
	return &plan.Range{Col: vec.Column{Name: x.Name.Name, Type: t}, From: from, To: to, Step: step}
}

// operator applies one tabular operator to n.
func (a *analyzer) operator(n plan.Node, op syntax.Operator) plan.Node {
	if plan.IsGraph(n) && !syntax.IsGraphOperator(op) {
		if _, isBad := op.(*syntax.BadOperator); !isBad {
			a.errorSpan(op.Pos(), op.End(), false, "%s cannot follow make-graph: a graph can only be followed by a graph operator (graph-match, graph-shortest-paths, graph-to-table, graph-mark-components)", op.Name())
		}
		return nil
	}
	switch x := op.(type) {
	case *syntax.WhereOp:
		r := rowOf(n.Schema())
		predX := x.Pred
		if ne, ok := predX.(*syntax.NamedExpr); ok && len(ne.Names) == 1 {
			// `where IsBillable = true`: Kusto's parser reads a single '='
			// in a predicate as equality.
			predX = &syntax.BinaryExpr{X: ne.Names[0], OpPos: ne.Assign, Op: "==", Y: ne.X}
		}
		pred := a.scalar(predX, r)
		if isBad(pred) {
			return n
		}
		switch pred.Type() {
		case types.Bool, types.Unknown:
		case types.Dynamic:
			pred = a.call(x.Pred, "tobool", []plan.Expr{pred})
		default:
			a.errorSpan(x.Pred.Pos(), x.Pred.End(), false, "where needs a bool predicate, got %s", pred.Type())
			return n
		}
		return &plan.Filter{Input: n, Pred: pred}
	case *syntax.ProjectOp:
		return a.project(n, x.Cols, false)
	case *syntax.ExtendOp:
		return a.project(n, x.Cols, true)
	case *syntax.ProjectAwayOp:
		return a.projectAway(n, x.Cols, false)
	case *syntax.ProjectKeepOp:
		return a.projectAway(n, x.Cols, true)
	case *syntax.ProjectByNamesOp:
		return a.projectByNames(n, x)
	case *syntax.ProjectRenameOp:
		return a.projectRename(n, x)
	case *syntax.ProjectReorderOp:
		return a.projectReorder(n, x)
	case *syntax.SummarizeOp:
		return a.summarize(n, x.Aggs, x.By)
	case *syntax.DistinctOp:
		if len(x.Cols) == 1 {
			if _, ok := x.Cols[0].(*syntax.StarExpr); ok {
				var by []syntax.Expr
				for _, c := range n.Schema() {
					by = append(by, &syntax.Ident{Name: c.Name, NamePos: x.OpPos, EndPos: x.OpPos})
				}
				return a.summarize(n, nil, by)
			}
		}
		return a.summarize(n, nil, x.Cols)
	case *syntax.CountOp:
		return a.countOp(n, x)
	case *syntax.SortOp:
		keys := a.sortKeys(n, x.Keys)
		if keys == nil {
			return n
		}
		return &plan.Sort{Input: n, Keys: keys}
	case *syntax.TakeOp:
		k, ok := a.constCount(x.Count)
		if !ok {
			return n
		}
		return &plan.Limit{Input: n, N: k}
	case *syntax.TopOp:
		k, ok := a.constCount(x.Count)
		if !ok {
			return n
		}
		keys := a.sortKeys(n, []*syntax.SortKey{x.By})
		if keys == nil {
			return n
		}
		return &plan.Top{Input: n, N: k, Keys: keys}
	case *syntax.JoinOp:
		return a.join(n, x)
	case *syntax.LookupOp:
		return a.lookup(n, x)
	case *syntax.UnionOp:
		return a.union(n, x)
	case *syntax.MvExpandOp:
		return a.mvExpand(n, x)
	case *syntax.RenderOp:
		return n // render only draws a chart; the data is the result
	case *syntax.SerializeOp:
		if len(x.Cols) > 0 {
			return a.project(n, x.Cols, true)
		}
		return n
	case *syntax.AsOp:
		a.scope.names[x.Alias.Name] = &binding{kind: bindTabular, node: n}
		return n
	case *syntax.InvokeOp:
		return a.tabularCall(x.Call, n)
	case *syntax.GetSchemaOp:
		var rows [][]any
		for i, c := range n.Schema() {
			rows = append(rows, []any{c.Name, int64(i), netTypeName(c.Type), c.Type.String()})
		}
		return &plan.Values{Cols: vec.Schema{{Name: "ColumnName", Type: types.String}, {Name: "ColumnOrdinal", Type: types.Long}, {Name: "DataType", Type: types.String}, {Name: "ColumnType", Type: types.String}}, Rows: rows}
	case *syntax.ParseOp:
		return a.parseOp(n, x)
	case *syntax.BadOperator:
		return nil
	}
	if out, ok := a.moreOperators(n, op); ok {
		return out
	}
	a.unsupported(op, "the "+op.Name()+" operator")
	return nil
}

func netTypeName(t types.Type) string {
	switch t {
	case types.Bool:
		return "System.SByte"
	case types.Int:
		return "System.Int32"
	case types.Long:
		return "System.Int64"
	case types.Real:
		return "System.Double"
	case types.Decimal:
		return "System.Data.SqlTypes.SqlDecimal"
	case types.String:
		return "System.String"
	case types.DateTime:
		return "System.DateTime"
	case types.Timespan:
		return "System.TimeSpan"
	case types.Guid:
		return "System.Guid"
	}
	return "System.Object"
}

// constCount evaluates the row count of take/top.
func (a *analyzer) constCount(e syntax.Expr) (int64, bool) {
	v := a.scalar(e, nil)
	c, ok := v.(*plan.Const)
	if !ok {
		if !isBad(v) {
			a.errorf(e.Pos(), "the row count must be a constant")
		}
		return 0, false
	}
	switch n := c.Value.(type) {
	case int64:
		if n < 0 {
			n = 0
		}
		return n, true
	case float64:
		return int64(n), true
	}
	a.errorf(e.Pos(), "the row count must be a number, got %s", c.T)
	return 0, false
}

// project handles project (extend=false) and extend (extend=true).
func (a *analyzer) project(n plan.Node, cols []syntax.Expr, extend bool) plan.Node {
	in := n.Schema()
	r := rowOf(in)
	r.packN, r.packInput = len(in), true
	var outNames []string
	var outExprs []plan.Expr
	if extend {
		outNames = append(outNames, r.names...)
		outExprs = append(outExprs, r.exprs...)
	}
	autoN := 0
	put := func(name string, e plan.Expr) {
		for i, n := range outNames {
			if n == name {
				// extend replaces a column; in project a repeated name
				// (project a, a = 1) keeps the last definition.
				outExprs[i] = e
				r.set(name, e)
				return
			}
		}
		outNames = append(outNames, name)
		outExprs = append(outExprs, e)
		r.set(name, e)
	}
	hidden := &hiddenCols{base: len(in)}
	taken := func(name string) bool {
		for _, n := range outNames {
			if n == name {
				return true
			}
		}
		return false
	}
	for _, c := range cols {
		var given []*syntax.Ident
		x := c
		if ne, ok := c.(*syntax.NamedExpr); ok {
			given, x = ne.Names, ne.X
		}
		if call, o := a.multiCall(x); call != nil {
			names, exprs := a.expandMulti(call, o, given, r, hidden, taken)
			for i := range names {
				put(names[i], exprs[i])
			}
			continue
		}
		if ne, ok := c.(*syntax.NamedExpr); ok {
			e := a.scalar(ne.X, r)
			if len(ne.Names) != 1 {
				a.errorSpan(ne.Pos(), ne.End(), false, "a tuple (a, b) = ... takes a function with several outputs, such as series_stats()")
				continue
			}
			put(ne.Names[0].Name, e)
			continue
		}
		if _, ok := c.(*syntax.StarExpr); ok && !extend {
			for i, name := range rowOf(in).names {
				put(name, rowOf(in).exprs[i])
			}
			continue
		}
		if id, ok := c.(*syntax.Ident); ok && !extend && strings.Contains(id.Name, "*") {
			for i, name := range in.Names() {
				if wildcardMatch(id.Name, name) {
					put(name, &plan.ColRef{Index: i, Name: name, T: in[i].Type})
				}
			}
			continue
		}
		e := a.scalar(c, r)
		name := exprName(c)
		if name != "" && !extend && taken(name) {
			// project x, abs(x): Kusto names the second column x1.
			for k := 1; ; k++ {
				if n := name + strconv.Itoa(k); !taken(n) {
					name = n
					break
				}
			}
		}
		if name == "" {
			for {
				autoN++
				name = "Column" + strconv.Itoa(autoN)
				if r.find(name) < 0 {
					break
				}
			}
		}
		put(name, e)
	}
	return &plan.Project{Input: hidden.wrap(n), Exprs: outExprs, Names: outNames}
}

// exprName derives the column name KQL gives an unnamed expression, or ""
// when it gets a generated ColumnN name. The rules follow Kusto's
// analyzer: a column keeps its name, member access joins the path with
// '_', conversions and rounding keep their argument's name.
func exprName(e syntax.Expr) string {
	switch x := e.(type) {
	case *syntax.Ident:
		return x.Name
	case *syntax.ParenExpr:
		return exprName(x.X)
	case *syntax.MemberExpr:
		base := exprName(x.X)
		if base == "" {
			return ""
		}
		return base + "_" + x.Name.Name
	case *syntax.IndexExpr:
		base := exprName(x.X)
		if base == "" {
			return ""
		}
		// d.a[0].b is d_a_0_b; an index that is not a literal leaves
		// the name's part empty (d_), as Kusto's analyzer does.
		if lit, ok := x.Index.(*syntax.Literal); ok && (lit.Kind == syntax.LitString || lit.Kind == syntax.LitLong || lit.Kind == syntax.LitInt) {
			return base + "_" + lit.Value
		}
		return base + "_"
	case *syntax.NamedExpr:
		// toint(X = a): Kusto names the column after the inner name.
		if len(x.Names) > 0 {
			return x.Names[0].Name
		}
	case *syntax.CallExpr:
		if len(x.Args) == 0 {
			return ""
		}
		if namedByFirstArg[x.Fun.Name] {
			return exprName(x.Args[0])
		}
		switch x.Fun.Name {
		case "strlen", "dcount_hll", "percentile_tdigest":
			if base := exprName(x.Args[0]); base != "" {
				return x.Fun.Name + "_" + base
			}
		case "hll_merge":
			return "hll_merged_result"
		case "tdigest_merge", "merge_tdigest":
			return "tdigests_merge_result"
		case "array_sort_asc", "array_sort_desc":
			if base := exprName(x.Args[0]); base != "" {
				return base + "_sorted"
			}
		}
	}
	return ""
}

// namedByFirstArg lists the functions whose result column Kusto names
// after their first argument (conversions and rounding).
var namedByFirstArg = map[string]bool{
	"tostring": true, "toint": true, "tolong": true, "todouble": true, "toreal": true, "tobool": true,
	"toboolean": true, "todatetime": true, "totimespan": true, "totime": true, "toguid": true,
	"todynamic": true, "todecimal": true, "parse_json": true, "parsejson": true, "abs": true, "bin": true,
	"floor": true, "ceiling": true, "round": true, "sqrt": true, "split": true, "startofday": true,
	"format_datetime": true, "bin_at": true, "bin_auto": true,
}

func wildcardMatch(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		k := strings.Index(name, parts[i])
		if k < 0 {
			return false
		}
		name = name[k+len(parts[i]):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

func (a *analyzer) projectAway(n plan.Node, cols []syntax.Expr, keep bool) plan.Node {
	in := n.Schema()
	selected := make([]bool, len(in))
	for _, c := range cols {
		id, ok := c.(*syntax.Ident)
		if !ok {
			a.errorf(c.Pos(), "expected a column name")
			continue
		}
		found := false
		for i, col := range in {
			if wildcardMatch(id.Name, col.Name) {
				selected[i] = true
				found = true
			}
		}
		if !found && !strings.Contains(id.Name, "*") {
			a.errorSpan(id.Pos(), id.End(), false, "unknown column '%s'%s", id.Name, suggest(id.Name, in.Names()))
		}
	}
	p := &plan.Project{Input: n}
	for i, col := range in {
		if selected[i] == keep {
			p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: col.Name, T: col.Type})
			p.Names = append(p.Names, col.Name)
		}
	}
	return p
}

func (a *analyzer) projectRename(n plan.Node, x *syntax.ProjectRenameOp) plan.Node {
	in := n.Schema()
	names := in.Names()
	for _, rn := range x.Renames {
		old, ok := rn.X.(*syntax.Ident)
		if !ok || len(rn.Names) != 1 || !rn.Assign.IsValid() {
			a.errorf(rn.Pos(), "project-rename expects NewName = ExistingName")
			continue
		}
		i := in.Index(old.Name)
		if i < 0 {
			a.errorSpan(old.Pos(), old.End(), false, "unknown column '%s'%s", old.Name, suggest(old.Name, in.Names()))
			continue
		}
		names[i] = rn.Names[0].Name
	}
	p := &plan.Project{Input: n, Names: names}
	for i, col := range in {
		p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: col.Name, T: col.Type})
	}
	return p
}

func (a *analyzer) projectReorder(n plan.Node, x *syntax.ProjectReorderOp) plan.Node {
	in := n.Schema()
	used := make([]bool, len(in))
	var order []int
	for _, k := range x.Cols {
		id, ok := k.X.(*syntax.Ident)
		if !ok {
			a.errorf(k.Pos(), "expected a column name")
			continue
		}
		var matched []int
		for i, col := range in {
			if !used[i] && wildcardMatch(id.Name, col.Name) {
				matched = append(matched, i)
			}
		}
		if len(matched) == 0 && !strings.Contains(id.Name, "*") {
			a.errorSpan(id.Pos(), id.End(), false, "unknown column '%s'%s", id.Name, suggest(id.Name, in.Names()))
		}
		if k.DescSet {
			sortIdx(matched, in, k.Desc)
		}
		for _, i := range matched {
			used[i] = true
			order = append(order, i)
		}
	}
	for i := range in {
		if !used[i] {
			order = append(order, i)
		}
	}
	p := &plan.Project{Input: n}
	for _, i := range order {
		p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: in[i].Name, T: in[i].Type})
		p.Names = append(p.Names, in[i].Name)
	}
	return p
}

func sortIdx(idx []int, s vec.Schema, desc bool) {
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0; j-- {
			less := s[idx[j]].Name < s[idx[j-1]].Name
			if desc {
				less = s[idx[j]].Name > s[idx[j-1]].Name
			}
			if !less {
				break
			}
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

func (a *analyzer) sortKeys(n plan.Node, keys []*syntax.SortKey) []plan.SortKey {
	r := rowOf(n.Schema())
	var out []plan.SortKey
	for _, k := range keys {
		if k == nil {
			return nil
		}
		e := a.scalar(k.X, r)
		if isBad(e) {
			return nil
		}
		// Kusto puts nulls first in ascending and last in descending order
		// unless told otherwise.
		nullsFirst := !k.Desc
		switch k.Nulls {
		case "first":
			nullsFirst = true
		case "last":
			nullsFirst = false
		}
		out = append(out, plan.SortKey{Expr: e, Desc: k.Desc, NullsFirst: nullsFirst})
	}
	return out
}

func (a *analyzer) countOp(n plan.Node, x *syntax.CountOp) plan.Node {
	f := mustBuiltin("count")
	return &plan.Aggregate{Input: n, Aggs: []plan.AggCall{{Name: "count", Func: f, Out: vec.Schema{{Name: "Count", Type: types.Long}}}}}
}

// dedupeNames makes column names unique the way Kusto does: a repeated
// name gets the smallest numeric suffix not yet taken (a, a1, a2).
func dedupeNames(names []string) []string {
	taken := map[string]bool{}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = uniqueName(n, taken)
	}
	return out
}

func uniqueName(n string, taken map[string]bool) string {
	if !taken[n] {
		taken[n] = true
		return n
	}
	for k := 1; ; k++ {
		c := n + strconv.Itoa(k)
		if !taken[c] {
			taken[c] = true
			return c
		}
	}
}

var _ = fmt.Sprintf
