package fn

import (
	"math"
	"testing"

	"hunt/kql/types"
)

func TestConvToString(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("tostring", "123", coreAL(123)),
		coreC("tostring", "", coreAN(types.Long)), // tostring(null) is ""
		coreC("tostring", "", coreAN(types.Unknown)),
		coreC("tostring", "", coreAD(nil)),
		coreC("tostring", "true", coreAB(true)),
		coreC("tostring", "1.5", coreAR(1.5)),
		coreC("tostring", "NaN", coreAR(math.NaN())),
		coreC("tostring", "2015-12-31T23:59:59.9000000Z", coreADT("2015-12-31 23:59:59.9")),
		coreC("tostring", "1.00:00:00", coreATS("1d")),
		coreC("tostring", "00:00:00.5000000", coreATS("0.5s")),
		coreC("tostring", "01234567-89ab-cdef-0123-456789abcdef", coreV{types.Guid, types.GuidVal{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}),
		coreC("tostring", "abc", coreAD("abc")), // dynamic strings are raw
		coreC("tostring", `{"a":[1,"x"]}`, coreAJ(`{"a":[1,"x"]}`)),
		coreC("tostring", "5", coreAD(int64(5))),
	})
}

func TestConvNumbers(t *testing.T) {
	coreRunCases(t, []coreTCase{
		// toint-function examples
		coreC("==", true, coreV{types.Int, nil}, coreAL(123)).withArg0("toint", coreAS("123")),
		coreC("toint", int64(2), coreAR(2.3)),
		coreC("toint", int64(-2), coreAR(-2.7)),
		coreC("toint", nil, coreAS("abc")),
		coreC("toint", int64(12), coreAS("12.9")),
		coreC("toint", nil, coreAL(1<<40)),
		coreC("toint", nil, coreAR(math.NaN())),
		coreC("tolong", int64(123), coreAS(" 123 ")),
		coreC("tolong", int64(1<<40), coreAL(1<<40)),
		coreC("tolong", int64(1), coreAB(true)),
		coreC("tolong", int64(36000000000), coreATS("1h")),
		coreC("tolong", int64(621355968000000000), coreADT("1970-01-01")),
		coreC("tolong", int64(7), coreAD(int64(7))),
		coreC("tolong", int64(7), coreAD(7.9)),
		coreC("tolong", int64(7), coreAD("7")),
		coreC("tolong", nil, coreAJ(`[1]`)),
		coreC("tolong", nil, coreAD(nil)),
		coreC("todouble", 123.4, coreAS("123.4")),
		coreC("toreal", 123.4, coreAS("123.4")),
		coreC("todouble", math.Inf(-1), coreAS("-Infinity")),
		coreC("todouble", nil, coreAS("1.2.3")),
		coreC("todouble", 5.0, coreAL(5)),
		coreC("todouble", 2.5, coreAD(2.5)),
		coreC("todecimal", 123.45678, coreAS("123.45678")),
		// todecimal-function-1
		coreC("==", true, coreV{types.Decimal, 123.45678}, coreV{types.Decimal, 123.45678}),
		coreC("tobool", true, coreAS("true")),
		coreC("tobool", false, coreAS("FALSE")),
		coreC("toboolean", true, coreAL(1)),
		coreC("tobool", true, coreAL(123)),
		coreC("tobool", false, coreAL(0)),
		coreC("tobool", nil, coreAS("yes")),
		coreC("tobool", true, coreAD(true)),
		coreC("tobool", true, coreAD("1")),
	})
	// The documented toint("123") == 123 as a nested call.
	out, _, err := coreEval("toint", []coreV{coreAS("123")}, 0, 1)
	if err != nil || out.Get(0) != int64(123) || out.Type != types.Int {
		t.Errorf("toint(\"123\") = %v (%v, %v), want int 123", out.Get(0), out.Type, err)
	}
}

// withArg0 replaces the first argument of a comparison case by the result
// of a conversion (the doc examples compare a conversion with a literal).
func (tc coreTCase) withArg0(fn string, arg coreV) coreTCase {
	out, rt, err := coreEval(fn, []coreV{arg}, 0, 1)
	if err != nil {
		panic(err)
	}
	tc.args = append([]coreV{{rt, out.Get(0)}}, tc.args[1:]...)
	return tc
}

func TestConvTimeGuidDynamic(t *testing.T) {
	g := types.GuidVal{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	coreRunCases(t, []coreTCase{
		coreC("todatetime", coreDT("2015-12-31 23:59:59.9"), coreAS("2015-12-31 23:59:59.9")),
		coreC("todatetime", nil, coreAS("not a date")),
		coreC("todatetime", coreDT("2015-01-01"), coreAD("2015-01-01")),
		coreC("todatetime", coreDT("2015-01-01"), coreAD(coreDT("2015-01-01"))),
		coreC("todatetime", coreDT("1970-01-01"), coreAL(621355968000000000)),
		coreC("todatetime", nil, coreATS("1d")),
		// totimespan-function example
		coreC("totimespan", coreTS("00:03:00"), coreAS("0.00:03:00")),
		coreC("totimespan", coreTS("4d"), coreATS("4d")),
		coreC("totimespan", coreTS("00:00:20"), coreATS("20s")),
		coreC("totime", coreTS("1h"), coreAS("1h")),
		coreC("totimespan", coreTS("1h"), coreAD("01:00:00")),
		coreC("totimespan", nil, coreAS("abc")),
		// toguid-function-1
		coreC("toguid", g, coreAS("0123456789abcdef0123456789abcdef")),
		coreC("toguid", g, coreAS("0123456789ab-cdef-0123-456789abcdef")),
		coreC("toguid", g, coreAS("01234567-89ab-cdef-0123-456789abcdef")),
		coreC("toguid", nil, coreAS("a string that isn't a guid")),
		coreC("toguid", g, coreAD("01234567-89ab-cdef-0123-456789abcdef")),
		// parse_json
		coreC("parse_json", coreJSON(`{"duration":{"value":118.0,"min":100.0}}`), coreAS(`{"duration":{"value":118.0,"min":100.0}}`)),
		coreC("parse_json", "not json", coreAS("not json")),
		coreC("parse_json", nil, coreAS("")),
		coreC("parse_json", int64(21), coreAS("21")),
		coreC("parse_json", "21", coreAS(`"21"`)),
		coreC("parse_json", coreJSON(`[43, 21, 65]`), coreAS(`[43, 21, 65]`)),
		coreC("parse_json", "{\"c\":456}", coreAD("{\"c\":456}")), // dynamic passes as is
		coreC("todynamic", coreJSON(`{"a":1}`), coreAS(`{"a":1}`)),
		coreC("parsejson", coreJSON(`[]`), coreAS(`[]`)),
		coreC("parse_json", int64(5), coreAL(5)),
	})
}

func TestConvCastHelpers(t *testing.T) {
	if _, ok := convParseGuid("0123456789abcdef0123456789abcde"); ok {
		t.Error("31 hex digits parsed as a guid")
	}
	if g, ok := convParseGuid("{0123456789abcdef0123456789abcdef} trailing"); !ok || g[0] != 0x01 {
		t.Error("braced guid with trailing text did not parse")
	}
	if _, ok := convParseLong("0x10"); ok {
		t.Error("hex accepted by tolong")
	}
	if _, ok := convF2L(1e19); ok {
		t.Error("1e19 converted to long")
	}
}

func TestConvGettypeNewGuid(t *testing.T) {
	coreRunCases(t, []coreTCase{
		// gettype-function examples
		coreC("gettype", "string", coreAS("a")),
		coreC("gettype", "long", coreAL(111)),
		coreC("gettype", "bool", coreAB(true)),
		coreC("gettype", "datetime", coreADT("2020-01-01")),
		coreC("gettype", "timespan", coreATS("1s")),
		coreC("gettype", "int", coreAJ(`1`)),
		coreC("gettype", "string", coreAJ(`"abc"`)),
		coreC("gettype", "dictionary", coreAJ(`{"abc":1}`)),
		coreC("gettype", "array", coreAJ(`[1,2,3]`)),
		coreC("gettype", "real", coreAR(123.45)),
		coreC("gettype", "guid", coreV{types.Guid, types.GuidVal{1}}),
		coreC("gettype", "null", coreAD(nil)),
		coreC("gettype", "long", coreAD(int64(1)<<40)),
	})
	out, _, err := coreEval("new_guid", nil, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[types.GuidVal]bool{}
	for i := 0; i < 50; i++ {
		g := out.Get(i).(types.GuidVal)
		if g[6]>>4 != 4 {
			t.Errorf("new_guid() %s is not version 4", types.FormatGuid(g))
		}
		seen[g] = true
	}
	if len(seen) != 50 {
		t.Errorf("new_guid() repeated values")
	}
}
