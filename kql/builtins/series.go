package builtins

// Series functions: element-wise math and comparisons over dynamic arrays
// (the series make-series builds), gap filling, statistics and filters.

import "hunt/kql/types"

func init() {
	reg := func(name string, min, max int, res types.Type) {
		Register(&Func{Name: name, Kind: Scalar, MinArgs: min, MaxArgs: max, Doc: nameDoc(name), Result: Fixed(res)})
	}
	for _, n := range []string{"series_abs", "series_acos", "series_asin", "series_atan", "series_ceiling",
		"series_cos", "series_exp", "series_floor", "series_log", "series_sign", "series_sin", "series_sqrt", "series_tan"} {
		reg(n, 1, 1, types.Dynamic)
	}
	for _, n := range []string{"series_add", "series_subtract", "series_multiply", "series_divide", "series_pow",
		"series_greater", "series_greater_equals", "series_less", "series_less_equals", "series_equals", "series_not_equals"} {
		reg(n, 2, 2, types.Dynamic)
	}
	reg("series_fill_const", 1, 3, types.Dynamic)
	reg("series_fill_forward", 1, 2, types.Dynamic)
	reg("series_fill_backward", 1, 2, types.Dynamic)
	reg("series_fill_linear", 1, 4, types.Dynamic)
	reg("series_stats_dynamic", 1, 2, types.Dynamic)
	reg("series_iir", 3, 3, types.Dynamic)
	reg("series_fir", 2, 4, types.Dynamic)
	reg("series_cosine_similarity", 2, 4, types.Real)
	reg("series_pearson_correlation", 2, 2, types.Real)
	reg("series_dot_product", 2, 2, types.Real)
	reg("series_sum", 1, 1, types.Real)
	// Functions with several outputs return a bag of them; the analyzer
	// spreads it over columns (kql/sema/multiout.go).
	reg("series_stats", 1, 2, types.Dynamic)
	reg("series_fit_line", 1, 1, types.Dynamic)
	reg("series_fit_line_dynamic", 1, 1, types.Dynamic)
	reg("series_fit_2lines", 1, 1, types.Dynamic)
	reg("series_fit_2lines_dynamic", 1, 1, types.Dynamic)
	reg("series_decompose", 1, 5, types.Dynamic)
	reg("series_decompose_anomalies", 1, 7, types.Dynamic)
	reg("series_decompose_forecast", 2, 5, types.Dynamic)
	reg("series_periods_detect", 4, 4, types.Dynamic)
	reg("series_periods_validate", 2, 17, types.Dynamic)
	reg("series_outliers", 1, 5, types.Dynamic)
	reg("series_seasonal", 1, 2, types.Dynamic)
}
