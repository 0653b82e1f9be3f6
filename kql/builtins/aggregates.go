package builtins

// The aggregate functions of summarize, as the analyzer sees them. Their
// kernels live in engine/fn/agg*.go under the same primary names.
//
// Multi-column aggregates (arg_max, arg_min, take_any of several
// arguments or of *, percentiles with several percents, percentilew(s))
// have a Result rule that returns the type of their FIRST output column
// only; the analyzer derives the names and types of the other columns
// itself (arg_max/arg_min/take_any: one column per returned argument, of
// that argument's type, * standing for every input column; percentiles:
// one column per percent, all of the first column's type).
//
// The deprecated spellings whose default maxSize differs from the modern
// one (makeset, makelist, make_dictionary: 128) are registered as
// functions of their own rather than as aliases, because a kernel factory
// cannot see the name it was called by.

import (
	"fmt"

	"hunt/kql/types"
)

// aggOrderable lists the types min/max/arg_max compare.
var aggOrderable = []types.Type{types.Bool, types.Int, types.Long, types.Real, types.Decimal, types.String, types.DateTime, types.Timespan}

const aggOrderableWant = "a number, string, bool, datetime or timespan"

// aggSummable lists the types sum/avg/stdev accept.
var aggSummable = []types.Type{types.Int, types.Long, types.Real, types.Decimal, types.Timespan}

func aggIn(t types.Type, set []types.Type) bool {
	if t == types.Unknown {
		return true
	}
	for _, s := range set {
		if s == t {
			return true
		}
	}
	return false
}

// aggCheck checks argument i of fn against set; want describes set.
func aggCheck(fn string, args []Arg, i int, set []types.Type, want string) error {
	if i >= len(args) || args[i].Star {
		return nil
	}
	if !aggIn(args[i].Type, set) {
		return TypeError(fn, i, want, args[i].Type)
	}
	return nil
}

// aggCheckBool checks that argument i is a predicate.
func aggCheckBool(fn string, args []Arg, i int) error {
	if i < len(args) && args[i].Type != types.Bool && args[i].Type != types.Unknown {
		return TypeError(fn, i, "bool", args[i].Type)
	}
	return nil
}

// aggCheckConstInt checks that argument i, when present, is a constant
// integer (maxSize, accuracy).
func aggCheckConstInt(fn string, args []Arg, i int) error {
	if i >= len(args) {
		return nil
	}
	a := args[i]
	if a.Type != types.Int && a.Type != types.Long && a.Type != types.Unknown {
		return TypeError(fn, i, "int", a.Type)
	}
	if !a.Const {
		return fmt.Errorf("%s(): argument %d must be a constant", fn, i+1)
	}
	return nil
}

// aggCheckNotStar rejects `*` where a scalar is needed.
func aggCheckNotStar(fn string, args []Arg) error {
	for i, a := range args {
		if a.Star {
			return fmt.Errorf("%s(): argument %d cannot be *", fn, i+1)
		}
	}
	return nil
}

// aggSumType is the result type of sum/sumif: int widens to long.
func aggSumType(t types.Type) types.Type {
	switch t {
	case types.Int, types.Unknown:
		return types.Long
	}
	return t
}

// aggAvgType is the result type of avg/avgif: integers and reals give
// real; decimal, timespan and datetime keep their type.
func aggAvgType(t types.Type) types.Type {
	switch t {
	case types.Decimal, types.Timespan, types.DateTime:
		return t
	}
	return types.Real
}

// AggPercentileType is the column type of percentile results: int widens
// to long and decimal to real, as Kusto does.
func AggPercentileType(t types.Type) types.Type {
	switch t {
	case types.Int:
		return types.Long
	case types.Decimal:
		return types.Real
	}
	return t
}

var aggPercentileInput = []types.Type{types.Int, types.Long, types.Real, types.Decimal, types.DateTime, types.Timespan}

// aggCheckPercents checks constant numeric percent arguments from i on.
// With allowArray, a single dynamic constant (an array) is accepted too.
func aggCheckPercents(fn string, args []Arg, i int, allowArray bool) error {
	if allowArray && len(args) == i+1 && args[i].Type == types.Dynamic {
		if !args[i].Const {
			return fmt.Errorf("%s(): argument %d must be a constant", fn, i+1)
		}
		return nil
	}
	for k := i; k < len(args); k++ {
		a := args[k]
		if !a.Type.IsNumeric() {
			return TypeError(fn, k, "a number", a.Type)
		}
		if !a.Const {
			return fmt.Errorf("%s(): argument %d must be a constant", fn, k+1)
		}
		var p float64
		switch v := a.Value.(type) {
		case int64:
			p = float64(v)
		case float64:
			p = v
		default:
			return fmt.Errorf("%s(): argument %d must not be null", fn, k+1)
		}
		if !(p >= 0 && p <= 100) {
			return fmt.Errorf("%s(): percentile %v is out of range [0, 100]", fn, p)
		}
	}
	return nil
}

func init() {
	for _, f := range aggFuncs() {
		Register(f)
	}
}

func aggFuncs() []*Func {
	long := types.Long
	tReal := types.Real
	dyn := types.Dynamic

	// countLike: a long result, a predicate at predAt (or -1), an
	// accuracy at accAt (or -1).
	countLike := func(name string, predAt, accAt int) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			if accAt >= 0 {
				if err := aggCheckConstInt(name, args, accAt); err != nil {
					return types.Unknown, err
				}
				if accAt < len(args) {
					if v, ok := args[accAt].Value.(int64); ok && (v < 0 || v > 4) {
						return types.Unknown, fmt.Errorf("%s(): accuracy must be between 0 and 4, got %d", name, v)
					}
				}
			}
			return long, nil
		}
	}
	// numeric: sum-like and statistics over one summable argument.
	numeric := func(name string, result func(types.Type) types.Type, predAt int) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if err := aggCheck(name, args, 0, aggSummable, "a number or timespan"); err != nil {
				return types.Unknown, err
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			return result(args[0].Type), nil
		}
	}
	fixedReal := func(types.Type) types.Type { return tReal }
	avgRule := func(name string, predAt int) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if err := aggCheck(name, args, 0, append([]types.Type{types.DateTime}, aggSummable...), "a number, datetime or timespan"); err != nil {
				return types.Unknown, err
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			return aggAvgType(args[0].Type), nil
		}
	}
	covRule := func(name string, predAt int) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			for i := 0; i < 2; i++ {
				if err := aggCheck(name, args, i, AnyNumeric, "a number"); err != nil {
					return types.Unknown, err
				}
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			return tReal, nil
		}
	}
	minMax := func(name string, predAt int) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if err := aggCheck(name, args, 0, aggOrderable, aggOrderableWant); err != nil {
				return types.Unknown, err
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			return args[0].Type, nil
		}
	}
	binary := func(name string) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if err := aggCheck(name, args, 0, Integers, "int or long"); err != nil {
				return types.Unknown, err
			}
			if args[0].Type == types.Unknown {
				return long, nil
			}
			return args[0].Type, nil
		}
	}
	// collect: make_set/make_list/make_bag families (dynamic result).
	collect := func(name string, predAt, sizeAt int, needDyn bool) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if needDyn && args[0].Type != types.Dynamic && args[0].Type != types.Unknown {
				return types.Unknown, TypeError(name, 0, "dynamic", args[0].Type)
			}
			if predAt >= 0 {
				if err := aggCheckBool(name, args, predAt); err != nil {
					return types.Unknown, err
				}
			}
			if sizeAt >= 0 {
				if err := aggCheckConstInt(name, args, sizeAt); err != nil {
					return types.Unknown, err
				}
			}
			return dyn, nil
		}
	}
	argMinMax := func(name string) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if args[0].Star {
				return types.Unknown, fmt.Errorf("%s(): argument 1 cannot be *", name)
			}
			if err := aggCheck(name, args, 0, aggOrderable, aggOrderableWant); err != nil {
				return types.Unknown, err
			}
			return args[0].Type, nil
		}
	}
	takeAny := func(args []Arg) (types.Type, error) {
		if args[0].Star {
			// The type comes from the input schema, which the analyzer
			// expands; the kernel sees the expanded columns.
			return types.Unknown, nil
		}
		return args[0].Type, nil
	}
	takeAnyIf := func(args []Arg) (types.Type, error) {
		if err := aggCheckNotStar("take_anyif", args); err != nil {
			return types.Unknown, err
		}
		if err := aggCheckBool("take_anyif", args, 1); err != nil {
			return types.Unknown, err
		}
		return args[0].Type, nil
	}
	percentile := func(name string, weighted, array bool) func([]Arg) (types.Type, error) {
		return func(args []Arg) (types.Type, error) {
			if err := aggCheckNotStar(name, args); err != nil {
				return types.Unknown, err
			}
			if err := aggCheck(name, args, 0, aggPercentileInput, "a number, datetime or timespan"); err != nil {
				return types.Unknown, err
			}
			at := 1
			if weighted {
				if err := aggCheck(name, args, 1, Integers, "int or long"); err != nil {
					return types.Unknown, err
				}
				at = 2
			}
			if err := aggCheckPercents(name, args, at, array); err != nil {
				return types.Unknown, err
			}
			if array {
				return dyn, nil
			}
			return AggPercentileType(args[0].Type), nil
		}
	}
	hllRule := func(name string, predAt, accAt int) func([]Arg) (types.Type, error) {
		count := countLike(name, predAt, accAt)
		return func(args []Arg) (types.Type, error) {
			if _, err := count(args); err != nil {
				return types.Unknown, err
			}
			if t := args[0].Type; t == types.Real || t == types.Bool {
				return types.Unknown, TypeError(name, 0, "a value that is not real or bool", t)
			}
			return dyn, nil
		}
	}
	notDyn := func(name string, predAt int) func([]Arg) (types.Type, error) {
		count := countLike(name, predAt, -1)
		return func(args []Arg) (types.Type, error) {
			if args[0].Type == types.Dynamic {
				return types.Unknown, TypeError(name, 0, "a non-dynamic value", args[0].Type)
			}
			return count(args)
		}
	}

	agg := func(name string, aliases []string, min, max int, doc string, result func([]Arg) (types.Type, error)) *Func {
		return &Func{Name: name, Aliases: aliases, Kind: Aggregate, MinArgs: min, MaxArgs: max, Result: result, Doc: doc}
	}
	return []*Func{
		// count() counts rows. count(expr) counts every row too (the
		// summarize page: "the standard count function includes null
		// values"), except that count(bool) is the legacy spelling of
		// countif (Kusto keeps that hidden signature).
		agg("count", nil, 0, 1, "count-aggregation-function", Fixed(long)),
		agg("countif", nil, 1, 1, "countif-aggregation-function", countLike("countif", 0, -1)),
		agg("dcount", nil, 1, 2, "dcount-aggregation-function", countLike("dcount", -1, 1)),
		agg("dcountif", nil, 2, 3, "dcountif-aggregation-function", countLike("dcountif", 1, 2)),
		agg("count_distinct", nil, 1, 1, "count-distinct-aggregation-function", notDyn("count_distinct", -1)),
		agg("count_distinctif", nil, 2, 2, "count-distinctif-aggregation-function", notDyn("count_distinctif", 1)),
		agg("hll", nil, 1, 2, "hll-aggregation-function", hllRule("hll", -1, 1)),
		agg("hll_if", nil, 2, 3, "hll-if-aggregation-function", hllRule("hll_if", 1, 2)),
		withTwin(agg("hll_merge", nil, 1, 1, "hll-merge-aggregation-function", Want(dyn, Dyn)("hll_merge")), "__hll_merge"),
		{Name: "__hll_merge", Kind: Scalar, MinArgs: 2, MaxArgs: 64, Result: allDynamic("hll_merge", dyn), Doc: "hll-merge-function"},
		{Name: "dcount_hll", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Result: Want(long, Dyn)("dcount_hll"), Doc: "dcount-hll-function"},

		agg("sum", nil, 1, 1, "sum-aggregation-function", numeric("sum", aggSumType, -1)),
		agg("sumif", nil, 2, 2, "sumif-aggregation-function", numeric("sumif", aggSumType, 1)),
		agg("avg", nil, 1, 1, "avg-aggregation-function", avgRule("avg", -1)),
		agg("avgif", nil, 2, 2, "avgif-aggregation-function", avgRule("avgif", 1)),
		agg("min", nil, 1, 1, "min-aggregation-function", minMax("min", -1)),
		agg("max", nil, 1, 1, "max-aggregation-function", minMax("max", -1)),
		agg("minif", nil, 2, 2, "minif-aggregation-function", minMax("minif", 1)),
		agg("maxif", nil, 2, 2, "maxif-aggregation-function", minMax("maxif", 1)),
		agg("binary_all_and", nil, 1, 1, "binary-all-and-aggregation-function", binary("binary_all_and")),
		agg("binary_all_or", nil, 1, 1, "binary-all-or-aggregation-function", binary("binary_all_or")),
		agg("binary_all_xor", nil, 1, 1, "binary-all-xor-aggregation-function", binary("binary_all_xor")),

		agg("stdev", nil, 1, 1, "stdev-aggregation-function", numeric("stdev", fixedReal, -1)),
		agg("stdevif", nil, 2, 2, "stdevif-aggregation-function", numeric("stdevif", fixedReal, 1)),
		agg("stdevp", nil, 1, 1, "stdevp-aggregation-function", numeric("stdevp", fixedReal, -1)),
		agg("variance", nil, 1, 1, "variance-aggregation-function", numeric("variance", fixedReal, -1)),
		agg("varianceif", nil, 2, 2, "varianceif-aggregation-function", numeric("varianceif", fixedReal, 1)),
		agg("variancep", nil, 1, 1, "variancep-aggregation-function", numeric("variancep", fixedReal, -1)),
		agg("variancepif", nil, 2, 2, "variancepif-aggregation-function", numeric("variancepif", fixedReal, 1)),
		agg("covariance", nil, 2, 2, "covariance-aggregation-function", covRule("covariance", -1)),
		agg("covarianceif", nil, 3, 3, "covarianceif-aggregation-function", covRule("covarianceif", 2)),
		agg("covariancep", nil, 2, 2, "covariancep-aggregation-function", covRule("covariancep", -1)),
		agg("covariancepif", nil, 3, 3, "covariancepif-aggregation-function", covRule("covariancepif", 2)),

		agg("make_set", nil, 1, 2, "make-set-aggregation-function", collect("make_set", -1, 1, false)),
		agg("makeset", nil, 1, 2, "make-set-aggregation-function", collect("makeset", -1, 1, false)),
		agg("make_set_if", nil, 2, 3, "make-set-if-aggregation-function", collect("make_set_if", 1, 2, false)),
		agg("make_list", nil, 1, 2, "make-list-aggregation-function", collect("make_list", -1, 1, false)),
		agg("makelist", nil, 1, 2, "make-list-aggregation-function", collect("makelist", -1, 1, false)),
		agg("make_list_if", nil, 2, 3, "make-list-if-aggregation-function", collect("make_list_if", 1, 2, false)),
		agg("make_list_with_nulls", nil, 1, 1, "make-list-with-nulls-aggregation-function", collect("make_list_with_nulls", -1, -1, false)),
		agg("make_bag", nil, 1, 2, "make-bag-aggregation-function", collect("make_bag", -1, 1, true)),
		agg("make_dictionary", nil, 1, 2, "make-bag-aggregation-function", collect("make_dictionary", -1, 1, true)),
		agg("make_bag_if", nil, 2, 3, "make-bag-if-aggregation-function", collect("make_bag_if", 1, 2, true)),

		agg("arg_max", []string{"argmax"}, 1, -1, "arg-max-aggregation-function", argMinMax("arg_max")),
		agg("arg_min", []string{"argmin"}, 1, -1, "arg-min-aggregation-function", argMinMax("arg_min")),
		agg("take_any", []string{"any"}, 1, -1, "take-any-aggregation-function", takeAny),
		agg("take_anyif", []string{"anyif"}, 2, 2, "take-anyif-aggregation-function", takeAnyIf),

		agg("percentile", nil, 2, 2, "percentiles-aggregation-function", percentile("percentile", false, false)),
		agg("percentiles", nil, 2, -1, "percentiles-aggregation-function", percentile("percentiles", false, false)),
		agg("percentiles_array", nil, 2, -1, "percentiles-aggregation-function", percentile("percentiles_array", false, true)),
		agg("percentilew", nil, 3, 3, "percentilesw-aggregation-function", percentile("percentilew", true, false)),
		agg("percentilesw", nil, 3, -1, "percentilesw-aggregation-function", percentile("percentilesw", true, false)),
		agg("percentilesw_array", nil, 3, -1, "percentilesw-aggregation-function", percentile("percentilesw_array", true, true)),

		// t-digests: tdigest() builds one per group, tdigest_merge()
		// merges them (merge_tdigest() is its scalar twin), and the
		// *_tdigest scalars read them.
		agg("tdigest", nil, 1, 2, "tdigest-aggregation-function", tdigestRule),
		withTwin(agg("tdigest_merge", nil, 1, 1, "tdigest-merge-aggregation-function", Want(dyn, Dyn)("tdigest_merge")), "merge_tdigest"),
		{Name: "merge_tdigest", Kind: Scalar, MinArgs: 1, MaxArgs: -1, Result: allDynamic("merge_tdigest", dyn), Doc: "merge-tdigest-function"},
		{Name: "percentile_tdigest", Kind: Scalar, MinArgs: 2, MaxArgs: 3, Result: pctTdigestRule, Doc: "percentile-tdigest-function"},
		{Name: "percentile_array_tdigest", Kind: Scalar, MinArgs: 2, MaxArgs: -1, Result: Want(dyn, Dyn)("percentile_array_tdigest"), Doc: "percentile-array-tdigest-function"},
		{Name: "percentrank_tdigest", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Result: Want(tReal, Dyn)("percentrank_tdigest"), Doc: "percentrank-tdigest-function"},
		{Name: "rank_tdigest", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Result: Want(long, Dyn)("rank_tdigest"), Doc: "rank-tdigest-function"},

		agg("buildschema", nil, 1, 1, "buildschema-aggregation-function", Want(dyn, Dyn)("buildschema")),
	}
}

func withTwin(f *Func, twin string) *Func {
	f.ScalarTwin = twin
	return f
}

// allDynamic checks that every argument is dynamic.
func allDynamic(name string, result types.Type) func([]Arg) (types.Type, error) {
	return func(args []Arg) (types.Type, error) {
		for i, a := range args {
			if a.Type != types.Dynamic && a.Type != types.Unknown {
				return types.Unknown, TypeError(name, i, "dynamic", a.Type)
			}
		}
		return result, nil
	}
}

func tdigestRule(args []Arg) (types.Type, error) {
	if err := aggCheckNotStar("tdigest", args); err != nil {
		return types.Unknown, err
	}
	if err := aggCheck("tdigest", args, 0, aggPercentileInput, "a number, datetime or timespan"); err != nil {
		return types.Unknown, err
	}
	if err := aggCheck("tdigest", args, 1, Integers, "int or long"); err != nil {
		return types.Unknown, err
	}
	return types.Dynamic, nil
}

// pctTdigestRule types percentile_tdigest(digest, p [, typeof(T)]): the
// result is T when given (the analyzer turns typeof(T) into T's name),
// else dynamic, as digests of several types may meet in one column.
func pctTdigestRule(args []Arg) (types.Type, error) {
	if t := args[0].Type; t != types.Dynamic && t != types.Unknown {
		return types.Unknown, TypeError("percentile_tdigest", 0, "dynamic", t)
	}
	if t := args[1].Type; !t.IsNumeric() && t != types.Unknown {
		return types.Unknown, TypeError("percentile_tdigest", 1, "a number", t)
	}
	if len(args) < 3 {
		return types.Dynamic, nil
	}
	name, ok := args[2].Value.(string)
	if !args[2].Const || !ok {
		return types.Unknown, fmt.Errorf("percentile_tdigest(): the third argument must be a type literal such as typeof(long)")
	}
	t, ok := types.Parse(name)
	if !ok {
		return types.Unknown, fmt.Errorf("percentile_tdigest(): unknown type %q", name)
	}
	return t, nil
}
