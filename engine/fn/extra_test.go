package fn

import (
	"testing"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

func TestDynamicToJSON(t *testing.T) {
	// dynamic-to-json-function: key order does not matter.
	a := `{"Y10":{},"X8":{"c3":1,"d8":5,"a4":6},"D1":114,"A1":12,"B1":2,"C1":3,"A14":[15,13,18]}`
	b := `{"X8":{"a4":6,"c3":1,"d8":5},"A14":[15,13,18],"C1":3,"B1":2,"Y10":{},"A1":12,"D1":114}`
	want := `{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}`
	strCheck(t, want, "dynamic_to_json", strDyn(a))
	strCheck(t, want, "dynamic_to_json", strDyn(b))
	strCheck(t, `"s"`, "dynamic_to_json", strDyn(`"s"`))
	strCheck(t, "42", "dynamic_to_json", strL(42))
	strCheck(t, "abc", "dynamic_to_json", strS("abc"))
	strCheck(t, "", "dynamic_to_json", strNull(types.Dynamic))
}

func TestEstimateDataSize(t *testing.T) {
	// estimate-data-size-function: a long and a 10-character string are
	// 18 bytes.
	strCheck(t, int64(18), "estimate_data_size", strL(1), strS("1234567890"))
	strCheck(t, int64(0), "estimate_data_size", strNull(types.Long))
	strCheck(t, int64(11), "estimate_data_size", strDyn(`{"a":"bcd"}`))
	strCheck(t, int64(21), "estimate_data_size", strI(1), strA(types.Guid, types.GuidVal{}), strA(types.Bool, true))
}

func TestBinAuto(t *testing.T) {
	dt := func(s string) strV { ticks, _ := types.ParseDatetime(s); return strA(types.DateTime, types.DT(ticks)) }
	dtv := func(s string) types.DT { ticks, _ := types.ParseDatetime(s); return types.DT(ticks) }
	hour := strA(types.Timespan, types.TS(types.TicksPerHour))
	// bin-auto-function: size 1h, fixed point 00:05.
	strCheck(t, dtv("2017-01-01 00:05"), "bin_auto", dt("2017-01-01 00:05"), hour, dt("2017-01-01 00:05"))
	strCheck(t, dtv("2017-01-01 00:05"), "bin_auto", dt("2017-01-01 01:04"), hour, dt("2017-01-01 00:05"))
	strCheck(t, dtv("2017-01-01 01:05"), "bin_auto", dt("2017-01-01 01:05"), hour, dt("2017-01-01 00:05"))
	strCheck(t, int64(15), "bin_auto", strL(17), strL(5), strL(0))
	strCheck(t, int64(13), "bin_auto", strL(17), strL(5), strL(3))
	strCheck(t, 15.0, "bin_auto", strR(17), strL(5))
	// Without the query's size there is nothing to bin by.
	_, _, err := strEval("bin_auto", strModeConst, strL(17))
	if _, ok := err.(*UnsupportedError); !ok {
		t.Errorf("bin_auto(x) alone: %v, want an UnsupportedError", err)
	}
}

func TestDatetimeListTimezones(t *testing.T) {
	got, _, err := strEval("datetime_list_timezones", strModeConst)
	if err != nil {
		t.Fatal(err)
	}
	zones := got[0].([]any)
	seen := map[string]bool{}
	for _, z := range zones {
		seen[z.(string)] = true
	}
	for _, z := range []string{"Europe/Brussels", "America/New_York", "UTC", "Asia/Jerusalem"} {
		if !seen[z] {
			t.Errorf("%s is not listed", z)
		}
	}
	// Every listed zone works with datetime_utc_to_local.
	for _, z := range zones {
		if dtZone(z.(string)) == nil {
			t.Errorf("%s is listed but does not load", z)
		}
	}
}

func TestHllMergeScalar(t *testing.T) {
	// hll-merge-function: hll(1..10) and hll(11..20) merged count 20.
	A := aggTArg
	x, y := make([]any, 10), make([]any, 10)
	for i := range x {
		x[i], y[i] = i+1, i+11
	}
	hx := strJSON(aggTRun(t, "hll", []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, x...)}, nil, 1)[0][0].(string))
	hy := strJSON(aggTRun(t, "hll", []builtins.Arg{A(types.Long)}, []*vec.Vec{aggTCol(types.Long, y...)}, nil, 1)[0][0].(string))
	merged, _, err := strEval("__hll_merge", strModeConst, strD(hx), strD(hy))
	if err != nil {
		t.Fatal(err)
	}
	strCheck(t, int64(20), "dcount_hll", strD(merged[0]))
	strCheck(t, int64(10), "dcount_hll", strD(hx))
	strErr(t, "not an hll", "__hll_merge", strD(hx), strDyn("[1]"))
	// The aggregate names its scalar twin.
	if f, _ := builtins.Lookup("hll_merge"); f.ScalarTwin != "__hll_merge" {
		t.Errorf("hll_merge's scalar twin is %q", f.ScalarTwin)
	}
	if f, _ := builtins.Lookup("tdigest_merge"); f.ScalarTwin != "merge_tdigest" {
		t.Errorf("tdigest_merge's scalar twin is %q", f.ScalarTwin)
	}
}

func TestAssert(t *testing.T) {
	// assert-function.
	strCheck(t, true, "assert", strA(types.Bool, true), strS("Length must be greater than zero"))
	strErr(t, "assert() has failed with message: 'Length must be greater than zero'", "assert", strA(types.Bool, false), strS("Length must be greater than zero"))
	strErr(t, "argument 1 must be bool", "assert", strL(1), strS("m"))
}
