package fn

import (
	"testing"

	"hunt/kql/types"
)

func TestDtArithmeticFunctions(t *testing.T) {
	d17 := coreADT("2017-01-01")
	coreRunCases(t, []coreTCase{
		coreC("now", coreTestNow),
		coreC("now", coreTestNow+types.DT(coreTS("-2d")), coreATS("-2d")),
		coreC("ago", coreTestNow-types.DT(coreTS("1h")), coreATS("1h")),
		// datetime-add-function examples
		coreC("datetime_add", coreDT("2018-01-01"), coreAS("year"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-04-01"), coreAS("quarter"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-02-01"), coreAS("month"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-08"), coreAS("week"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-02"), coreAS("day"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-01 01:00"), coreAS("hour"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-01 00:01"), coreAS("minute"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-01 00:00:01"), coreAS("second"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2012-01-01"), coreAS("year"), coreAL(-5), d17),
		coreC("datetime_add", coreDT("2020-01-01"), coreAS("quarter"), coreAL(12), d17),
		coreC("datetime_add", coreDT("2015-10-01"), coreAS("month"), coreAL(-15), d17),
		coreC("datetime_add", coreDT("2018-12-02"), coreAS("Week"), coreAI(100), d17),
		coreC("datetime_add", coreDT("2017-02-28"), coreAS("month"), coreAL(1), coreADT("2017-01-31")),
		coreC("datetime_add", coreDT("2021-02-28"), coreAS("year"), coreAL(1), coreADT("2020-02-29")),
		coreC("datetime_add", coreDT("2017-01-01 00:00:00.001"), coreAS("millisecond"), coreAL(1), d17),
		coreC("datetime_add", coreDT("2017-01-01 00:00:00.0000001"), coreAS("nanosecond"), coreAL(100), d17),
		coreC("datetime_add", nil, coreAS("year"), coreAL(9000), d17),
		coreC("datetime_add", nil, coreAS("day"), coreAN(types.Long), d17),
		// datetime-diff-function example
		coreC("datetime_diff", int64(17), coreAS("year"), coreADT("2017-01-01"), coreADT("2000-12-31")),
		coreC("datetime_diff", int64(2), coreAS("quarter"), coreADT("2017-07-01"), coreADT("2017-03-30")),
		coreC("datetime_diff", int64(13), coreAS("month"), coreADT("2017-01-01"), coreADT("2015-12-30")),
		coreC("datetime_diff", int64(5), coreAS("week"), coreADT("2017-10-29 00:00"), coreADT("2017-09-30 23:59")),
		coreC("datetime_diff", int64(29), coreAS("day"), coreADT("2017-10-29 00:00"), coreADT("2017-09-30 23:59")),
		coreC("datetime_diff", int64(2), coreAS("hour"), coreADT("2017-10-31 01:00"), coreADT("2017-10-30 23:59")),
		coreC("datetime_diff", int64(5), coreAS("minute"), coreADT("2017-10-30 23:05:01"), coreADT("2017-10-30 23:00:59")),
		coreC("datetime_diff", int64(10), coreAS("second"), coreADT("2017-10-30 23:00:10.100"), coreADT("2017-10-30 23:00:00.900")),
		coreC("datetime_diff", int64(100), coreAS("millisecond"), coreADT("2017-10-30 23:00:00.200100"), coreADT("2017-10-30 23:00:00.100900")),
		coreC("datetime_diff", int64(100), coreAS("microsecond"), coreADT("2017-10-30 23:00:00.1009001"), coreADT("2017-10-30 23:00:00.1008009")),
		coreC("datetime_diff", int64(-700), coreAS("nanosecond"), coreADT("2017-10-30 23:00:00.0000000"), coreADT("2017-10-30 23:00:00.0000007")),
		coreC("datetime_diff", int64(-1), coreAS("day"), coreADT("1969-12-31 23:00"), coreADT("1970-01-01 01:00")),
	})
	coreExpectTypeError(t, "datetime_add", coreAS("fortnight"), coreAL(1), d17)
	coreExpectTypeError(t, "datetime_diff", coreAS("year"), d17, coreAL(1))
}

func TestDtParts(t *testing.T) {
	dt := coreADT("2017-10-30 01:02:03.7654321")
	part := func(p string, want int64) coreTCase { return coreC("datetime_part", want, coreAS(p), dt) }
	coreRunCases(t, []coreTCase{
		part("year", 2017), part("quarter", 4), part("month", 10), part("week_of_year", 44),
		part("day", 30), part("dayOfYear", 303), part("hour", 1), part("minute", 2), part("second", 3),
		part("millisecond", 765), part("microsecond", 765432), part("nanosecond", 765432100),
		coreC("datepart", int64(2017), coreAS("Year"), dt),
		coreC("datetime_part", nil, coreAS("year"), coreAN(types.DateTime)),
		// day-of-week examples
		coreC("dayofweek", coreTS("0d"), coreADT("1947-11-30 10:00:05")),
		coreC("dayofweek", coreTS("1d"), coreADT("1970-05-11")),
		coreC("dayofweek", coreTS("2d"), coreADT("1970-05-12")),
		coreC("dayofweek", coreTS("6d"), coreADT("1969-12-27")),
		coreC("dayofmonth", int64(14), coreADT("2015-12-14")),
		coreC("dayofyear", int64(348), coreADT("2015-12-14")),
		coreC("hourofday", int64(18), coreADT("2015-12-14 18:54")),
		coreC("monthofyear", int64(12), coreADT("2015-12-14")),
		coreC("getmonth", int64(12), coreADT("2015-12-14")),
		coreC("getyear", int64(2015), coreADT("2015-10-12")),
		coreC("week_of_year", int64(53), coreADT("2020-12-31")),
		coreC("week_of_year", int64(25), coreADT("2020-06-15")),
		coreC("week_of_year", int64(1), coreADT("1970-01-01")),
		coreC("week_of_year", int64(52), coreADT("2000-01-01")),
		coreC("weekofyear", int64(52), coreADT("2000-01-01")),
		coreC("getyear", nil, coreAN(types.DateTime)),
	})
	// dayofweek as an integer: toint(dow/1d).
	out, _, _ := coreEval("/", []coreV{{types.Timespan, coreTS("2d")}, coreATS("1d")}, 0, 1)
	if out.Get(0) != 2.0 {
		t.Errorf("2d/1d = %v", out.Get(0))
	}
}

func TestDtStartEnd(t *testing.T) {
	d := coreADT("2017-01-01 10:10:17")
	var cases []coreTCase
	for off, w := range map[int64][8]string{
		-1: {"2016-12-31", "2016-12-25", "2016-12-01", "2016-01-01", "2016-12-31 23:59:59.9999999", "2016-12-31 23:59:59.9999999", "2016-12-31 23:59:59.9999999", "2016-12-31 23:59:59.9999999"},
		0:  {"2017-01-01", "2017-01-01", "2017-01-01", "2017-01-01", "2017-01-01 23:59:59.9999999", "2017-01-07 23:59:59.9999999", "2017-01-31 23:59:59.9999999", "2017-12-31 23:59:59.9999999"},
		1:  {"2017-01-02", "2017-01-08", "2017-02-01", "2018-01-01", "2017-01-02 23:59:59.9999999", "2017-01-14 23:59:59.9999999", "2017-02-28 23:59:59.9999999", "2018-12-31 23:59:59.9999999"},
	} {
		for k, fn := range []string{"startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth", "endofyear"} {
			cases = append(cases, coreC(fn, coreDT(w[k]), d, coreAL(off)))
			if off == 0 {
				cases = append(cases, coreC(fn, coreDT(w[k]), d))
			}
		}
	}
	cases = append(cases,
		// startofweek-function: weeks start on Sunday
		coreC("startofweek", coreDT("2025-06-08"), coreADT("2025-06-14")),
		coreC("startofweek", coreDT("2025-06-15"), coreADT("2025-06-15")),
		coreC("startofday", coreDT("1969-12-31"), coreADT("1969-12-31 23:00")),
		coreC("startofday", nil, coreAN(types.DateTime)),
		coreC("startofday", nil, d, coreAN(types.Long)),
		coreC("startofmonth", coreDT("2016-12-01"), d, coreAI(-1)),
	)
	coreRunCases(t, cases)
}

func TestDtBin(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("bin", 4.0, coreAR(4.5), coreAL(1)),
		coreC("bin", coreTS("14d"), coreATS("16d"), coreATS("7d")),
		coreC("bin", coreDT("1970-05-11"), coreADT("1970-05-11 13:45:07"), coreATS("1d")),
		coreC("bin", int64(15), coreAL(17), coreAL(5)),
		coreC("bin", int64(-10), coreAL(-6), coreAL(5)),
		coreC("floor", int64(15), coreAL(17), coreAL(5)),
		coreC("bin", 2.0, coreAR(2.15), coreAL(1)),
		coreC("bin", nil, coreAL(17), coreAL(0)),
		coreC("bin", nil, coreAL(17), coreAL(-5)),
		coreC("bin", nil, coreAN(types.Long), coreAL(5)),
		// weekly bins fall on Mondays (aligned to 0001-01-01)
		coreC("bin", coreDT("2007-01-01"), coreADT("2007-01-07 13:00"), coreATS("7d")),
		coreC("bin", coreDT("2007-01-08"), coreADT("2007-01-08"), coreATS("7d")),
		coreC("bin", coreDT("1969-12-31 23:00"), coreADT("1969-12-31 23:59"), coreATS("1h")),
		// bin-at-function examples
		coreC("bin_at", 4.5, coreAR(6.5), coreAR(2.5), coreAL(7)),
		coreC("bin_at", coreTS("-12h"), coreATS("1h"), coreATS("1d"), coreATS("12h")),
		coreC("bin_at", coreDT("2017-05-14 12:00"), coreADT("2017-05-15 10:20:00.0"), coreATS("1d"), coreADT("1970-01-01 12:00:00.0")),
		coreC("bin_at", coreDT("2017-05-14"), coreADT("2017-05-17 10:20:00.0"), coreATS("7d"), coreADT("2017-06-04 00:00:00.0")),
		coreC("bin_at", coreDT("2018-02-23 15:14"), coreADT("2018-02-23T16:14"), coreATS("1d"), coreADT("2018-02-24 15:14:00.0000000")),
		coreC("bin_at", coreDT("2018-02-24 15:14"), coreADT("2018-02-24T15:24"), coreATS("1d"), coreADT("2018-02-24 15:14:00.0000000")),
		coreC("bin_at", int64(7), coreAL(8), coreAL(2), coreAL(1)),
	})
	coreExpectTypeError(t, "bin", coreADT("2020-01-01"), coreAL(1))
	coreExpectTypeError(t, "bin", coreAS("a"), coreAL(1))
	if _, rt, _ := coreEval("bin", []coreV{coreAI(5), coreAI(2)}, 0, 1); rt != types.Long {
		t.Errorf("bin(int, int) type %s, want long", rt)
	}
}

func TestDtFormat(t *testing.T) {
	dt := coreADT("2017-01-29 09:00:05")
	f := coreADT("2009-06-15 13:45:30.6175425")
	coreRunCases(t, []coreTCase{
		coreC("format_datetime", "17-01-29 [09:00:05]", dt, coreAS("yy-MM-dd [HH:mm:ss]")),
		coreC("format_datetime", "2017-1-29 [9:00:05]", dt, coreAS("yyyy-M-dd [H:mm:ss]")),
		coreC("format_datetime", "17-01-29 [09:00:05 AM]", dt, coreAS("yy-MM-dd [hh:mm:ss tt]")),
		coreC("format_datetime", "01 PM 1 13", f, coreAS("hh tt h H")),
		coreC("format_datetime", "6175425 617 6 61754", f, coreAS("fffffff fff f fffff")),
		coreC("format_datetime", "15/6/9", f, coreAS("d/M/y")),
		coreC("format_datetime", "0001", coreADT("0001-01-01"), coreAS("yyyy")),
		coreC("format_datetime", "2009-06-15 13:45:30", coreADT("2009-06-15 13:45:30"), coreAS("yyyy-MM-dd HH:mm:ss.FFF")),
		coreC("format_datetime", "30.05", coreADT("2009-06-15 13:45:30.05"), coreAS("ss.FF")),
		coreC("format_datetime", "", coreAN(types.DateTime), coreAS("yyyy")),
		// format-timespan example
		coreC("format_timespan", "29.09:00:05:12", coreATS("29.09:00:05.12345"), coreAS("dd.hh:mm:ss:FF")),
		coreC("format_timespan", "029.9:00:05 [1234500]", coreATS("29.09:00:05.12345"), coreAS("ddd.h:mm:ss [fffffff]")),
		coreC("format_timespan", "-01:30", coreATS("-1.5h"), coreAS("hh:mm")),
	})
}

func TestDtMake(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("make_datetime", coreDT("2017-10-01"), coreAL(2017), coreAL(10), coreAL(1)),
		coreC("make_datetime", coreDT("2017-10-01 12:10"), coreAL(2017), coreAL(10), coreAL(1), coreAL(12), coreAL(10)),
		coreC("make_datetime", coreDT("2017-10-01 12:11:00.1234567"), coreAL(2017), coreAL(10), coreAL(1), coreAL(12), coreAL(11), coreAR(0.1234567)),
		coreC("make_datetime", nil, coreAL(2017), coreAL(2), coreAL(30)),
		coreC("make_datetime", nil, coreAL(2017), coreAL(13), coreAL(1)),
		coreC("make_datetime", nil, coreAL(2017), coreAN(types.Long), coreAL(1)),
		coreC("make_timespan", coreTS("1.12:30:55.123"), coreAL(1), coreAL(12), coreAL(30), coreAR(55.123)),
		coreC("make_timespan", coreTS("12:30"), coreAL(12), coreAL(30)),
		coreC("make_timespan", coreTS("12:30:15"), coreAL(12), coreAL(30), coreAL(15)),
		coreC("unixtime_seconds_todatetime", coreDT("2019-01-01"), coreAL(1546300800)),
		coreC("unixtime_seconds_todatetime", coreDT("2019-01-01 00:00:00.5"), coreAR(1546300800.5)),
		coreC("unixtime_milliseconds_todatetime", coreDT("2019-01-01"), coreAL(1546300800000)),
		coreC("unixtime_microseconds_todatetime", coreDT("2019-01-01"), coreAL(1546300800000000)),
		coreC("unixtime_nanoseconds_todatetime", coreDT("2019-01-01"), coreAL(1546300800000000000)),
		coreC("unixtime_seconds_todatetime", coreDT("1969-12-31 23:59:59"), coreAL(-1)),
		coreC("unixtime_seconds_todatetime", nil, coreAL(1e15)),
	})
}

func TestDtZones(t *testing.T) {
	coreRunCases(t, []coreTCase{
		// datetime-local-to-utc-function examples
		coreC("datetime_local_to_utc", coreDT("2020-02-02 19:02:20"), coreADT("2020-02-02 20:02:20"), coreAS("Europe/Paris")),
		coreC("datetime_local_to_utc", coreDT("2020-02-03 02:02:20"), coreADT("2020-02-02 20:02:20"), coreAS("America/Chicago")),
		coreC("datetime_local_to_utc", coreDT("2020-02-03 04:02:20"), coreADT("2020-02-02 20:02:20"), coreAS("US/Pacific")),
		coreC("datetime_local_to_utc", coreDT("2022-03-27 00:00"), coreADT("2022-03-27 01:00"), coreAS("Europe/Brussels")),
		coreC("datetime_local_to_utc", coreDT("2022-03-27 00:00"), coreADT("2022-03-27 02:00"), coreAS("Europe/Brussels")),
		coreC("datetime_local_to_utc", coreDT("2022-03-27 01:00"), coreADT("2022-03-27 03:00"), coreAS("Europe/Brussels")),
		coreC("datetime_local_to_utc", coreDT("2022-03-27 02:00"), coreADT("2022-03-27 04:00"), coreAS("Europe/Brussels")),
		coreC("datetime_utc_to_local", coreDT("2022-03-27 01:00"), coreADT("2022-03-27 00:00"), coreAS("Europe/Brussels")),
		coreC("datetime_utc_to_local", coreDT("2022-03-27 03:00"), coreADT("2022-03-27 01:00"), coreAS("Europe/Brussels")),
		coreC("datetime_utc_to_local", coreDT("2022-07-11 15:18:48.4678620"), coreADT("2022-07-11 22:18:48.4678620"), coreAS("US/Pacific")),
		coreC("datetime_utc_to_local", coreDT("2022-07-12 08:18:48.4678620"), coreADT("2022-07-11 22:18:48.4678620"), coreAS("Australia/Canberra")),
		coreC("datetime_utc_to_local", nil, coreADT("2022-07-11"), coreAS("Not/AZone")),
	})
}
