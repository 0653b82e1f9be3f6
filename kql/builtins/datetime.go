package builtins

// Date and time functions, bin/bin_at, format_datetime/format_timespan.

import (
	"fmt"
	"strings"

	"hunt/kql/types"
)

// dtDiffParts are the period names datetime_add and datetime_diff
// accept (case-insensitively).
var dtDiffParts = map[string]bool{
	"year": true, "quarter": true, "month": true, "week": true, "day": true, "hour": true,
	"minute": true, "second": true, "millisecond": true, "microsecond": true, "nanosecond": true,
}

// dtPartNames are the part names datetime_part accepts (case-insensitively).
var dtPartNames = map[string]bool{
	"year": true, "quarter": true, "month": true, "week_of_year": true, "weekofyear": true, "week": true,
	"day": true, "dayofyear": true, "hour": true, "minute": true, "second": true,
	"millisecond": true, "microsecond": true, "nanosecond": true,
}

func init() {
	DT, TS := types.DateTime, types.Timespan
	num := AnyNumeric
	reg := func(name string, min, max int, doc string, result func([]Arg) (types.Type, error), aliases ...string) {
		Register(&Func{Name: name, Aliases: aliases, Kind: Scalar, MinArgs: min, MaxArgs: max, Doc: doc, Result: result})
	}
	want := func(name string, res types.Type, allowed ...[]types.Type) func([]Arg) (types.Type, error) {
		return Want(res, allowed...)(name)
	}
	part := func(name string, parts map[string]bool, res types.Type, rest ...[]types.Type) func([]Arg) (types.Type, error) {
		inner := want(name, res, append([][]types.Type{Strs}, rest...)...)
		return func(a []Arg) (types.Type, error) {
			if a[0].Const {
				s, _ := a[0].Value.(string)
				if !parts[strings.ToLower(s)] {
					return types.Unknown, fmt.Errorf("%s(): unknown period %q", name, s)
				}
			}
			return inner(a)
		}
	}

	Register(&Func{Name: "now", Kind: Scalar, MinArgs: 0, MaxArgs: 1, Volatile: true, Doc: "now-function",
		Result: want("now", DT, Spans)})
	Register(&Func{Name: "ago", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Volatile: true, Doc: "ago-function",
		Result: want("ago", DT, Spans)})

	reg("datetime_add", 3, 3, "datetime-add-function", part("datetime_add", dtDiffParts, DT, Integers, Times))
	reg("datetime_diff", 3, 3, "datetime-diff-function", part("datetime_diff", dtDiffParts, types.Long, Times, Times))
	reg("datetime_part", 2, 2, "datetime-part-function", part("datetime_part", dtPartNames, types.Int, Times), "datepart")
	reg("getyear", 1, 1, "getyear-function", want("getyear", types.Int, Times))
	reg("getmonth", 1, 1, "monthofyear-function", want("getmonth", types.Int, Times), "monthofyear")
	reg("dayofweek", 1, 1, "day-of-week-function", want("dayofweek", TS, Times))
	reg("dayofmonth", 1, 1, "day-of-month-function", want("dayofmonth", types.Int, Times))
	reg("dayofyear", 1, 1, "day-of-year-function", want("dayofyear", types.Int, Times))
	reg("hourofday", 1, 1, "hour-of-day-function", want("hourofday", types.Int, Times))
	// weekofyear is the deprecated, not ISO 8601 compliant variant; it is
	// treated as week_of_year here (they differ only around year ends).
	reg("week_of_year", 1, 1, "week-of-year-function", want("week_of_year", types.Int, Times), "weekofyear")
	for _, n := range []string{"startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth", "endofyear"} {
		reg(n, 1, 2, n+"-function", want(n, DT, Times, Integers))
	}
	binRule := func(name string) func([]Arg) (types.Type, error) {
		return func(a []Arg) (types.Type, error) {
			v, s := a[0].Type, a[1].Type
			U := types.Unknown
			switch {
			case v == U && s == U:
				return U, nil
			case (v.IsNumeric() || v == U) && (s.IsNumeric() || s == U):
				if v == U {
					v = s
				}
				if s == U {
					s = v
				}
				return coreWidest(v, s), nil
			case v == TS && (s == TS || s == U):
				return TS, nil
			case v == DT && (s == TS || s == U):
				return DT, nil
			case v == U && s == TS:
				return U, nil
			}
			return U, fmt.Errorf("%s(): cannot bin a %s value by a %s value", name, v, s)
		}
	}
	reg("bin", 2, 2, "bin-function", binRule("bin"), "floor")
	binAtRule := func(a []Arg) (types.Type, error) {
		v, s, f := a[0].Type, a[1].Type, a[2].Type
		U := types.Unknown
		n := func(t types.Type) bool { return t.IsNumeric() || t == U }
		switch {
		case n(v) && n(s) && n(f):
			t := U
			for _, x := range []types.Type{v, s, f} {
				if x != U {
					if t == U {
						t = x
					} else {
						t = types.Promote(t, x)
					}
				}
			}
			if t == U {
				return U, nil
			}
			return coreWidest(t, t), nil
		case v == TS && (s == TS || n(s)) && (f == TS || f == U):
			return TS, nil
		case v == DT && (s == TS || s == U) && (f == DT || f == U):
			return DT, nil
		}
		return U, fmt.Errorf("bin_at(): cannot bin a %s value by a %s value at a %s fixed point", v, s, f)
	}
	reg("bin_at", 3, 3, "bin-at-function", binAtRule)
	// bin_auto(value) takes its size and fixed point from the query's
	// `set query_bin_auto_size` and `set query_bin_auto_at`; the analyzer
	// passes them as the second and third arguments.
	reg("bin_auto", 1, 3, "bin-auto-function", func(a []Arg) (types.Type, error) {
		switch len(a) {
		case 1:
			switch t := a[0].Type; {
			case t == types.Int:
				return types.Long, nil
			case t.IsNumeric(), t == DT, t == TS, t == types.Unknown:
				return t, nil
			}
			return types.Unknown, TypeError("bin_auto", 0, "a number, datetime or timespan", a[0].Type)
		case 2:
			return binRule("bin_auto")(a)
		}
		return binAtRule(a)
	})
	reg("format_datetime", 2, 2, "format-datetime-function", want("format_datetime", types.String, Times, Strs))
	reg("format_timespan", 2, 2, "format-timespan-function", want("format_timespan", types.String, Spans, Strs))
	reg("make_datetime", 3, 6, "make-datetime-function", want("make_datetime", DT, num, num, num, num, num, num))
	reg("make_timespan", 2, 4, "make-timespan-function", want("make_timespan", TS, num, num, num, num))
	for _, u := range []string{"seconds", "milliseconds", "microseconds", "nanoseconds"} {
		n := "unixtime_" + u + "_todatetime"
		reg(n, 1, 1, "unixtime-"+u+"-todatetime-function", want(n, DT, num))
	}
	reg("datetime_utc_to_local", 2, 2, "datetime-utc-to-local-function", want("datetime_utc_to_local", DT, Times, Strs))
	reg("datetime_local_to_utc", 2, 2, "datetime-local-to-utc-function", want("datetime_local_to_utc", DT, Times, Strs))
	reg("datetime_list_timezones", 0, 0, "datetime-list-timezones", Fixed(types.Dynamic))
}
