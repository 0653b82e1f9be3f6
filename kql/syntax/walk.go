package syntax

// Visitor's Visit method is called for each node met by Walk. If the result
// w is not nil, Walk visits each child of node with w and then calls
// w.Visit(nil).
type Visitor interface {
	Visit(node Node) (w Visitor)
}

// Walk traverses the tree rooted at node in depth-first order: it calls
// v.Visit(node), then walks the children in source order with the returned
// visitor, then calls Visit(nil). Nil children are skipped.
func Walk(v Visitor, node Node) {
	if node == nil || isNilNode(node) {
		return
	}
	if v = v.Visit(node); v == nil {
		return
	}
	walkChildren(v, node)
	v.Visit(nil)
}

type inspector func(Node) bool

func (f inspector) Visit(node Node) Visitor {
	if f(node) {
		return f
	}
	return nil
}

// Inspect traverses the tree rooted at node in depth-first order, calling
// f(node) for each node; when f returns false the node's children are
// skipped. After the children, f is called with nil.
func Inspect(node Node, f func(Node) bool) {
	Walk(inspector(f), node)
}

func walkExprs(v Visitor, list []Expr) {
	for _, x := range list {
		Walk(v, x)
	}
}

func walkNamed(v Visitor, list []*NamedExpr) {
	for _, x := range list {
		Walk(v, x)
	}
}

func walkIdent(v Visitor, id *Ident) {
	if id != nil {
		Walk(v, id)
	}
}

func walkChildren(v Visitor, node Node) {
	switch n := node.(type) {
	case *Query:
		for _, s := range n.Stmts {
			Walk(v, s)
		}
	case *LetStmt:
		walkIdent(v, n.Name)
		Walk(v, n.Value)
	case *ExprStmt:
		Walk(v, n.X)
	case *SetStmt:
		Walk(v, n.Value)
	case *DeclareStmt:
		for _, p := range n.Params {
			Walk(v, p)
		}

	case *Ident, *Literal, *StarExpr, *BadExpr, *BadOperator, *CountOp, *GetSchemaOp:
		// leaves
	case *DynamicLit:
		Walk(v, n.Value)
	case *ArrayLit:
		walkExprs(v, n.Elems)
	case *BagLit:
		walkExprs(v, n.Values)
	case *ParenExpr:
		Walk(v, n.X)
	case *UnaryExpr:
		Walk(v, n.X)
	case *BinaryExpr:
		Walk(v, n.X)
		Walk(v, n.Y)
	case *ListExpr:
		Walk(v, n.X)
		walkExprs(v, n.List)
	case *BetweenExpr:
		Walk(v, n.X)
		Walk(v, n.Lo)
		Walk(v, n.Hi)
	case *CallExpr:
		Walk(v, n.Recv)
		walkIdent(v, n.Fun)
		walkExprs(v, n.Args)
	case *MemberExpr:
		Walk(v, n.X)
		walkIdent(v, n.Name)
	case *IndexExpr:
		Walk(v, n.X)
		Walk(v, n.Index)
	case *NamedExpr:
		for _, id := range n.Names {
			walkIdent(v, id)
		}
		Walk(v, n.X)
	case *FuncLit:
		for _, p := range n.Params {
			Walk(v, p)
		}
		for _, s := range n.Body {
			Walk(v, s)
		}
	case *Param:
		walkIdent(v, n.Name)
		Walk(v, n.Default)
	case *ColumnDecl:
		walkIdent(v, n.Name)
	case *PipeExpr:
		Walk(v, n.Source)
		for _, op := range n.Ops {
			Walk(v, op)
		}
	case *ExprList:
		walkExprs(v, n.Elems)

	case *PrintOp:
		walkExprs(v, n.Cols)
	case *DatatableExpr:
		walkNamed(v, n.Params)
		for _, c := range n.Columns {
			Walk(v, c)
		}
		walkExprs(v, n.Values)
	case *RangeExpr:
		walkIdent(v, n.Name)
		Walk(v, n.From)
		Walk(v, n.To)
		Walk(v, n.Step)
	case *ExternalDataExpr:
		walkNamed(v, n.Params)
		for _, c := range n.Columns {
			Walk(v, c)
		}
		walkExprs(v, n.URLs)
		walkNamed(v, n.Props)

	case *SortKey:
		Walk(v, n.X)
	case *MvExpandItem:
		Walk(v, n.X)
	case *MakeSeriesAgg:
		Walk(v, n.X)
		Walk(v, n.Default)
	case *TopNestedLevel:
		Walk(v, n.Count)
		Walk(v, n.Of)
		Walk(v, n.Others)
		if n.By != nil {
			Walk(v, n.By)
		}
	case *ScanStep:
		walkIdent(v, n.Name)
		Walk(v, n.Cond)
		walkNamed(v, n.Assigns)

	case *WhereOp:
		Walk(v, n.Pred)
	case *ProjectOp:
		walkExprs(v, n.Cols)
	case *ExtendOp:
		walkExprs(v, n.Cols)
	case *ProjectAwayOp:
		walkExprs(v, n.Cols)
	case *ProjectKeepOp:
		walkExprs(v, n.Cols)
	case *ProjectByNamesOp:
		walkExprs(v, n.Cols)
	case *ProjectRenameOp:
		walkNamed(v, n.Renames)
	case *ProjectReorderOp:
		for _, k := range n.Cols {
			Walk(v, k)
		}
	case *SummarizeOp:
		walkNamed(v, n.Params)
		walkExprs(v, n.Aggs)
		walkExprs(v, n.By)
	case *SortOp:
		walkNamed(v, n.Params)
		for _, k := range n.Keys {
			Walk(v, k)
		}
	case *TakeOp:
		Walk(v, n.Count)
	case *TopOp:
		Walk(v, n.Count)
		if n.By != nil {
			Walk(v, n.By)
		}
	case *DistinctOp:
		walkNamed(v, n.Params)
		walkExprs(v, n.Cols)
	case *JoinOp:
		walkNamed(v, n.Params)
		Walk(v, n.Right)
		walkExprs(v, n.On)
		Walk(v, n.Where)
	case *LookupOp:
		walkNamed(v, n.Params)
		Walk(v, n.Right)
		walkExprs(v, n.On)
	case *UnionOp:
		walkNamed(v, n.Params)
		walkExprs(v, n.Tables)
	case *MvExpandOp:
		walkNamed(v, n.Params)
		for _, it := range n.Items {
			Walk(v, it)
		}
		Walk(v, n.Limit)
	case *MvApplyOp:
		walkNamed(v, n.Params)
		for _, it := range n.Items {
			Walk(v, it)
		}
		Walk(v, n.Limit)
		Walk(v, n.OnBody)
	case *ParseOp:
		Walk(v, n.X)
		walkExprs(v, n.Pattern)
	case *ParseKvOp:
		Walk(v, n.X)
		for _, c := range n.Columns {
			Walk(v, c)
		}
		walkNamed(v, n.Params)
	case *EvaluateOp:
		walkNamed(v, n.Params)
		if n.Call != nil {
			Walk(v, n.Call)
		}
	case *MakeSeriesOp:
		walkNamed(v, n.Params)
		for _, a := range n.Aggs {
			Walk(v, a)
		}
		Walk(v, n.On)
		Walk(v, n.From)
		Walk(v, n.To)
		Walk(v, n.Step)
		walkExprs(v, n.By)
	case *RenderOp:
		walkNamed(v, n.With)
	case *AsOp:
		walkNamed(v, n.Params)
		walkIdent(v, n.Alias)
	case *InvokeOp:
		if n.Call != nil {
			Walk(v, n.Call)
		}
	case *SerializeOp:
		walkExprs(v, n.Cols)
	case *SampleOp:
		Walk(v, n.Count)
	case *SampleDistinctOp:
		Walk(v, n.Count)
		Walk(v, n.Col)
	case *TopNestedOp:
		for _, l := range n.Levels {
			Walk(v, l)
		}
	case *TopHittersOp:
		Walk(v, n.Count)
		Walk(v, n.Of)
		Walk(v, n.By)
	case *PartitionOp:
		walkNamed(v, n.Params)
		Walk(v, n.By)
		Walk(v, n.Body)
	case *ScanOp:
		walkNamed(v, n.Params)
		for _, p := range n.Declare {
			Walk(v, p)
		}
		for _, s := range n.Steps {
			Walk(v, s)
		}
	case *FacetOp:
		walkExprs(v, n.By)
		Walk(v, n.With)
	case *ForkOp:
		walkExprs(v, n.Branches)
	case *ConsumeOp:
		walkNamed(v, n.Params)
	case *ReduceOp:
		walkNamed(v, n.Params)
		Walk(v, n.By)
		walkNamed(v, n.With)
	case *SearchOp:
		walkNamed(v, n.Params)
		walkExprs(v, n.Tables)
		Walk(v, n.Pred)
	case *MakeGraphOp, *GraphMatchOp, *GraphToTableOp, *GraphMarkComponentsOp,
		*GraphNodesRef, *GraphPattern, *GraphNode, *GraphEdge, *GraphToTableItem:
		walkGraph(v, n)
	case *FindOp:
		walkNamed(v, n.Params)
		walkExprs(v, n.Tables)
		Walk(v, n.Pred)
		walkExprs(v, n.Cols)
	}
}

// walkGraph walks the children of the graph operators and their parts.
func walkGraph(v Visitor, node Node) {
	switch n := node.(type) {
	case *MakeGraphOp:
		walkIdent(v, n.Src)
		walkIdent(v, n.Dst)
		for _, r := range n.Nodes {
			Walk(v, r)
		}
		walkNamed(v, n.Params)
		walkIdent(v, n.PartitionBy)
		for _, o := range n.Body {
			Walk(v, o)
		}
	case *GraphNodesRef:
		Walk(v, n.Table)
		walkIdent(v, n.Key)
	case *GraphMatchOp:
		walkNamed(v, n.Params)
		for _, p := range n.Patterns {
			Walk(v, p)
		}
		Walk(v, n.Where)
		walkExprs(v, n.Project)
	case *GraphPattern:
		for i, nd := range n.Nodes {
			if i > 0 && i-1 < len(n.Edges) {
				Walk(v, n.Edges[i-1])
			}
			Walk(v, nd)
		}
	case *GraphNode:
		walkIdent(v, n.Name)
	case *GraphEdge:
		walkIdent(v, n.Name)
		Walk(v, n.Min)
		Walk(v, n.Max)
	case *GraphToTableOp:
		for _, it := range n.Items {
			Walk(v, it)
		}
	case *GraphToTableItem:
		walkNamed(v, n.Params)
		walkIdent(v, n.Alias)
	case *GraphMarkComponentsOp:
		walkNamed(v, n.Params)
	}
}
