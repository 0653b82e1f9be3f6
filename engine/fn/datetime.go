package fn

// Date and time kernels.
//
// Decisions where the reference is silent:
//   - bin(datetime, span) aligns bins to 0001-01-01 (Kusto datetimes are
//     .NET ticks since then): the aggregation tutorial's
//     bin(StartTime, 7d) yields Mondays (2007-01-01, 2007-01-08), which an
//     alignment to the Unix epoch (a Thursday) would not.
//   - datetime_add by months, quarters or years keeps the day of month when
//     it exists and otherwise clamps to the month's last day (as .NET's
//     AddMonths does: Jan 31 + 1 month = Feb 28/29).
//   - datetime_diff counts period boundaries crossed (documented example:
//     year(2017-01-01, 2000-12-31) = 17); weeks start on Sunday.
//   - weekofyear (deprecated) is computed like week_of_year (ISO 8601).
//   - format_datetime/format_timespan copy characters that are not
//     format specifiers as they are; F specifiers that print nothing also
//     drop a '.' right before them (as .NET does). A negative timespan is
//     formatted as '-' followed by its absolute value.
//   - make_datetime with a field out of range, and any result outside the
//     years 1-9999, is null. make_timespan does not range-check fields.
//   - unixtime_*_todatetime of a real rounds to the nearest tick.
//   - datetime_local_to_utc of a local time that falls in a DST gap uses
//     the offset in force after the gap (the documented Europe/Brussels
//     example maps 02:00 to 00:00 UTC); an ambiguous local time (DST end)
//     maps to the later instant. An unknown time zone gives null.

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones for datetime_utc_to_local and friends

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

const (
	dtDay  = types.TicksPerDay
	dtWeek = 7 * types.TicksPerDay
)

type dtPart uint8

const (
	dtpBad dtPart = iota
	dtpYear
	dtpQuarter
	dtpMonth
	dtpWeek
	dtpDay
	dtpHour
	dtpMinute
	dtpSecond
	dtpMilli
	dtpMicro
	dtpNano
	dtpDayOfYear
	dtpWeekOfYear
)

var dtPartByName = map[string]dtPart{
	"year": dtpYear, "quarter": dtpQuarter, "month": dtpMonth, "week": dtpWeek, "day": dtpDay,
	"hour": dtpHour, "minute": dtpMinute, "second": dtpSecond, "millisecond": dtpMilli,
	"microsecond": dtpMicro, "nanosecond": dtpNano, "dayofyear": dtpDayOfYear,
	"week_of_year": dtpWeekOfYear, "weekofyear": dtpWeekOfYear,
}

func dtParsePart(s string) dtPart {
	if p, ok := dtPartByName[s]; ok {
		return p
	}
	return dtPartByName[strings.ToLower(strings.TrimSpace(s))]
}

func init() {
	RegisterScalar("now", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			if ctx == nil {
				return nil, Errorf("now() needs the query's clock")
			}
			if len(a) == 0 {
				return vec.Constant(types.DateTime, types.DT(ctx.Now)), nil
			}
			return dtMapInt(types.DateTime, n, a, func(i int, x []int64) (int64, bool) { return dtCheck(ctx.Now + x[0]) }), nil
		}, nil
	})
	RegisterScalar("ago", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(ctx *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			if ctx == nil {
				return nil, Errorf("ago() needs the query's clock")
			}
			return dtMapInt(types.DateTime, n, a, func(i int, x []int64) (int64, bool) { return dtCheck(ctx.Now - x[0]) }), nil
		}, nil
	})
	RegisterScalar("datetime_add", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			part := dtParts(a[0], n)
			return dtMapInt(types.DateTime, n, []*vec.Vec{a[1], a[2]}, func(i int, x []int64) (int64, bool) {
				return dtAdd(part(i), x[0], x[1])
			}), nil
		}, nil
	})
	RegisterScalar("datetime_diff", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			part := dtParts(a[0], n)
			return dtMapInt(types.Long, n, []*vec.Vec{a[1], a[2]}, func(i int, x []int64) (int64, bool) {
				return dtDiff(part(i), x[0], x[1])
			}), nil
		}, nil
	})
	RegisterScalar("datetime_part", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			part := dtParts(a[0], n)
			return dtMapInt(types.Int, n, a[1:], func(i int, x []int64) (int64, bool) { return dtGetPart(part(i), x[0]) }), nil
		}, nil
	})
	for name, p := range map[string]dtPart{"getyear": dtpYear, "getmonth": dtpMonth, "dayofmonth": dtpDay,
		"dayofyear": dtpDayOfYear, "hourofday": dtpHour, "week_of_year": dtpWeekOfYear} {
		p := p
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				return dtMapInt(types.Int, n, a, func(i int, x []int64) (int64, bool) { return dtGetPart(p, x[0]) }), nil
			}, nil
		})
	}
	RegisterScalar("dayofweek", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return dtMapInt(types.Timespan, n, a, func(i int, x []int64) (int64, bool) { return dtDOW(x[0]) * dtDay, true }), nil
		}, nil
	})
	for _, name := range []string{"startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth", "endofyear"} {
		unit, end := name[len(name)-3:], strings.HasPrefix(name, "end")
		if strings.HasSuffix(name, "month") {
			unit = "month"
		} else if strings.HasSuffix(name, "week") {
			unit = "week"
		} else if strings.HasSuffix(name, "year") {
			unit = "year"
		}
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
				args := []*vec.Vec{a[0]}
				if len(a) > 1 {
					args = append(args, convCast(a[1], types.Long, n))
				}
				return dtMapInt(types.DateTime, n, args, func(i int, x []int64) (int64, bool) {
					var off int64
					if len(x) > 1 {
						off = x[1]
					}
					if end {
						s, ok := dtStartOf(unit, x[0], off+1)
						if !ok {
							return 0, false
						}
						return dtCheck(s - 1)
					}
					return dtStartOf(unit, x[0], off)
				}), nil
			}, nil
		})
	}
	RegisterScalar("bin", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtBin(rt, a[0], a[1], nil, n), nil }, nil
	})
	RegisterScalar("bin_at", func(_ []builtins.Arg, rt types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtBin(rt, a[0], a[1], a[2], n), nil }, nil
	})
	// bin_auto(v) gets its size and fixed point as extra arguments from
	// the analyzer, which reads them from the query's set statements.
	RegisterScalar("bin_auto", func(args []builtins.Arg, rt types.Type) (Scalar, error) {
		if len(args) < 2 {
			return nil, &UnsupportedError{What: "bin_auto() without `set query_bin_auto_size`"}
		}
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			var fixed *vec.Vec
			if len(a) > 2 {
				fixed = a[2]
			}
			return dtBin(rt, a[0], a[1], fixed, n), nil
		}, nil
	})
	RegisterScalar("datetime_list_timezones", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, _ []*vec.Vec, _ int) (*vec.Vec, error) {
			arr := make([]any, len(dtZoneNames))
			for i, z := range dtZoneNames {
				arr[i] = z
			}
			return vec.Constant(types.Dynamic, arr), nil
		}, nil
	})
	RegisterScalar("format_datetime", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtFormatKernel(a, n, false), nil }, nil
	})
	RegisterScalar("format_timespan", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtFormatKernel(a, n, true), nil }, nil
	})
	RegisterScalar("make_datetime", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return dtMapReal(types.DateTime, n, a, dtMakeDatetime), nil
		}, nil
	})
	RegisterScalar("make_timespan", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) {
			return dtMapReal(types.Timespan, n, a, dtMakeTimespan), nil
		}, nil
	})
	for name, mul := range map[string]int64{"unixtime_seconds_todatetime": types.TicksPerSecond,
		"unixtime_milliseconds_todatetime": types.TicksPerMillisecond, "unixtime_microseconds_todatetime": types.TicksPerMicrosecond,
		"unixtime_nanoseconds_todatetime": 0} {
		mul := mul
		RegisterScalar(name, func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
			return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtFromUnix(a[0], mul, n), nil }, nil
		})
	}
	RegisterScalar("datetime_utc_to_local", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtZoneKernel(a, n, true), nil }, nil
	})
	RegisterScalar("datetime_local_to_utc", func(_ []builtins.Arg, _ types.Type) (Scalar, error) {
		return func(_ *Ctx, a []*vec.Vec, n int) (*vec.Vec, error) { return dtZoneKernel(a, n, false), nil }, nil
	})
}

// dtMapInt applies f to the int-physical values of args (each converted
// to long ticks where needed) row by row; a null argument gives null.
func dtMapInt(rt types.Type, n int, args []*vec.Vec, f func(i int, x []int64) (int64, bool)) *vec.Vec {
	m, c := coreRows(n, args...)
	out := &vec.Vec{Type: rt, Const: c, Ints: make([]int64, m)}
	for _, a := range args {
		if a.Type == types.Unknown {
			return convNulls(rt, m, c)
		}
	}
	conv := make([]*vec.Vec, len(args))
	for k, a := range args {
		if a.Type.Physical() != types.PhysInt {
			a = convCast(a, types.Long, n)
		}
		conv[k] = a
	}
	x := make([]int64, len(args))
	for i := 0; i < m; i++ {
		null := false
		for k, a := range conv {
			if a.IsNull(i) {
				null = true
				break
			}
			x[k] = a.Ints[a.Row(i)]
		}
		if null {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		v, ok := f(i, x)
		if !ok {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		out.Ints[i] = v
	}
	return out
}

// dtMapReal is dtMapInt over real arguments.
func dtMapReal(rt types.Type, n int, args []*vec.Vec, f func(x []float64) (int64, bool)) *vec.Vec {
	m, c := coreRows(n, args...)
	out := &vec.Vec{Type: rt, Const: c, Ints: make([]int64, m)}
	conv := make([]*vec.Vec, len(args))
	for k, a := range args {
		conv[k] = convCast(a, types.Real, n)
	}
	x := make([]float64, len(args))
	for i := 0; i < m; i++ {
		null := false
		for k, a := range conv {
			if a.IsNull(i) {
				null = true
				break
			}
			x[k] = a.Reals[a.Row(i)]
		}
		if null {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		v, ok := f(x)
		if !ok {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		out.Ints[i] = v
	}
	return out
}

// dtParts returns the period of row i of a (string) vector of period
// names; a constant name is parsed once.
func dtParts(v *vec.Vec, n int) func(i int) dtPart {
	if v.Type != types.String {
		return func(int) dtPart { return dtpBad }
	}
	if v.Const {
		p := dtParsePart(v.Strs[0])
		return func(int) dtPart { return p }
	}
	parts := make([]dtPart, len(v.Strs))
	for i, s := range v.Strs {
		parts[i] = dtParsePart(s)
	}
	return func(i int) dtPart { return parts[i] }
}

func dtFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dtCheck returns t and whether it lies in KQL's datetime range.
func dtCheck(t int64) (int64, bool) {
	return t, t >= types.MinDatetime && t <= types.MaxDatetime
}

func dtDate(y, m, d int) int64 {
	return types.FromTime(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
}

func dtDaysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dtDOW returns days since the preceding Sunday (0-6).
func dtDOW(t int64) int64 {
	days := dtFloorDiv(t, dtDay)
	r := (days + 4) % 7 // 1970-01-01 was a Thursday
	if r < 0 {
		r += 7
	}
	return r
}

func dtAddMonths(t, months int64) (int64, bool) {
	tm := types.ToTime(t)
	y, mo, d := tm.Date()
	tod := t - dtFloorDiv(t, dtDay)*dtDay
	total := int64(y)*12 + int64(mo-1) + months
	ny := dtFloorDiv(total, 12)
	nm := int(total-ny*12) + 1
	if ny < 1 || ny > 9999 {
		return 0, false
	}
	if dim := dtDaysIn(int(ny), nm); d > dim {
		d = dim
	}
	return dtCheck(dtDate(int(ny), nm, d) + tod)
}

func dtAdd(p dtPart, amount, t int64) (int64, bool) {
	var unit int64
	switch p {
	case dtpYear:
		return dtAddMonths(t, amount*12)
	case dtpQuarter:
		return dtAddMonths(t, amount*3)
	case dtpMonth:
		return dtAddMonths(t, amount)
	case dtpWeek:
		unit = dtWeek
	case dtpDay:
		unit = dtDay
	case dtpHour:
		unit = types.TicksPerHour
	case dtpMinute:
		unit = types.TicksPerMinute
	case dtpSecond:
		unit = types.TicksPerSecond
	case dtpMilli:
		unit = types.TicksPerMillisecond
	case dtpMicro:
		unit = types.TicksPerMicrosecond
	case dtpNano:
		return dtCheck(t + amount/100)
	default:
		return 0, false
	}
	if amount > math.MaxInt64/unit || amount < math.MinInt64/unit {
		return 0, false
	}
	return dtCheck(t + amount*unit)
}

func dtDiff(p dtPart, t1, t2 int64) (int64, bool) {
	floorUnits := func(u int64) (int64, bool) { return dtFloorDiv(t1, u) - dtFloorDiv(t2, u), true }
	switch p {
	case dtpYear, dtpQuarter, dtpMonth:
		y1, m1, _ := types.ToTime(t1).Date()
		y2, m2, _ := types.ToTime(t2).Date()
		switch p {
		case dtpYear:
			return int64(y1 - y2), true
		case dtpQuarter:
			return int64((y1*4 + (int(m1)-1)/3) - (y2*4 + (int(m2)-1)/3)), true
		}
		return int64((y1*12 + int(m1)) - (y2*12 + int(m2))), true
	case dtpWeek:
		w1 := dtFloorDiv(t1, dtDay) - dtDOW(t1)
		w2 := dtFloorDiv(t2, dtDay) - dtDOW(t2)
		return (w1 - w2) / 7, true
	case dtpDay:
		return floorUnits(dtDay)
	case dtpHour:
		return floorUnits(types.TicksPerHour)
	case dtpMinute:
		return floorUnits(types.TicksPerMinute)
	case dtpSecond:
		return floorUnits(types.TicksPerSecond)
	case dtpMilli:
		return floorUnits(types.TicksPerMillisecond)
	case dtpMicro:
		return floorUnits(types.TicksPerMicrosecond)
	case dtpNano:
		return (t1 - t2) * 100, true
	}
	return 0, false
}

func dtGetPart(p dtPart, t int64) (int64, bool) {
	tm := types.ToTime(t)
	frac := t - dtFloorDiv(t, types.TicksPerSecond)*types.TicksPerSecond
	switch p {
	case dtpYear:
		return int64(tm.Year()), true
	case dtpQuarter:
		return int64((tm.Month()-1)/3 + 1), true
	case dtpMonth:
		return int64(tm.Month()), true
	case dtpWeekOfYear, dtpWeek:
		_, w := tm.ISOWeek()
		return int64(w), true
	case dtpDay:
		return int64(tm.Day()), true
	case dtpDayOfYear:
		return int64(tm.YearDay()), true
	case dtpHour:
		return int64(tm.Hour()), true
	case dtpMinute:
		return int64(tm.Minute()), true
	case dtpSecond:
		return int64(tm.Second()), true
	case dtpMilli:
		return frac / types.TicksPerMillisecond, true
	case dtpMicro:
		return frac / types.TicksPerMicrosecond, true
	case dtpNano:
		return frac * 100, true
	}
	return 0, false
}

// dtStartOf returns the start of the unit ("day", "week", "month",
// "year") containing t, shifted by off units.
func dtStartOf(unit string, t, off int64) (int64, bool) {
	switch unit {
	case "day":
		return dtCheck((dtFloorDiv(t, dtDay) + off) * dtDay)
	case "week":
		return dtCheck((dtFloorDiv(t, dtDay) - dtDOW(t) + 7*off) * dtDay)
	case "month":
		y, m, _ := types.ToTime(t).Date()
		return dtAddMonths(dtDate(y, int(m), 1), off)
	case "year":
		y := int64(types.ToTime(t).Year()) + off
		if y < 1 || y > 9999 {
			return 0, false
		}
		return dtDate(int(y), 1, 1), true
	}
	return 0, false
}

// dtBin is bin(v, size) and, with fixed != nil, bin_at(v, size, fixed).
func dtBin(rt types.Type, v, size, fixed *vec.Vec, n int) *vec.Vec {
	args := []*vec.Vec{v, size}
	if fixed != nil {
		args = append(args, fixed)
	}
	m, c := coreRows(n, args...)
	for _, a := range args {
		if a.Type == types.Unknown {
			return convNulls(rt, m, c)
		}
	}
	if rt.Physical() == types.PhysReal {
		x := convCast(v, types.Real, n)
		s := convCast(size, types.Real, n)
		out := &vec.Vec{Type: rt, Const: c, Reals: make([]float64, m)}
		xs, ss := coreStride(x), coreStride(s)
		var f *vec.Vec
		fs := 0
		if fixed != nil {
			f = convCast(fixed, types.Real, n)
			fs = coreStride(f)
		}
		for i := range out.Reals {
			sz := s.Reals[i*ss]
			if !(sz > 0) {
				out.Nulls = out.Nulls.Set(i)
				continue
			}
			base := 0.0
			if f != nil {
				base = f.Reals[i*fs]
			}
			out.Reals[i] = math.Floor((x.Reals[i*xs]-base)/sz)*sz + base
		}
		if f != nil {
			coreOrNulls(out, m, x, s, f)
		} else {
			coreOrNulls(out, m, x, s)
		}
		return out
	}
	// Integer domain: longs, timespans and datetimes, all in ticks.
	x := v
	if x.Type.Physical() != types.PhysInt {
		x = convCast(x, types.Long, n)
	}
	s := size
	if s.Type.Physical() != types.PhysInt {
		s = convCast(s, types.Long, n)
	}
	out := &vec.Vec{Type: rt, Const: c, Ints: make([]int64, m)}
	xs, ss := coreStride(x), coreStride(s)
	var f *vec.Vec
	fs := 0
	var base int64
	if fixed != nil {
		f = fixed
		if f.Type.Physical() != types.PhysInt {
			f = convCast(f, types.Long, n)
		}
		fs = coreStride(f)
	} else if v.Type == types.DateTime {
		base = types.MinDatetime // bins align to 0001-01-01
	}
	for i := range out.Ints {
		sz := s.Ints[i*ss]
		if sz <= 0 {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		b := base
		if f != nil {
			b = f.Ints[i*fs]
		}
		out.Ints[i] = dtFloorDiv(x.Ints[i*xs]-b, sz)*sz + b
	}
	if f != nil {
		coreOrNulls(out, m, x, s, f)
	} else {
		coreOrNulls(out, m, x, s)
	}
	if rt == types.DateTime {
		coreCheckDTRange(out)
	}
	return out
}

func dtMakeDatetime(x []float64) (int64, bool) {
	y, mo, d := x[0], x[1], x[2]
	var h, mi, s float64
	if len(x) > 3 {
		h = x[3]
	}
	if len(x) > 4 {
		mi = x[4]
	}
	if len(x) > 5 {
		s = x[5]
	}
	if !(y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60) {
		return 0, false
	}
	yi, mi2, di := int(y), int(mo), int(d)
	if di > dtDaysIn(yi, mi2) {
		return 0, false
	}
	t := dtDate(yi, mi2, di) + int64(h)*types.TicksPerHour + int64(mi)*types.TicksPerMinute +
		int64(math.Round(s*float64(types.TicksPerSecond)))
	return dtCheck(t)
}

func dtMakeTimespan(x []float64) (int64, bool) {
	var d, h, mi, s float64
	switch len(x) {
	case 2:
		h, mi = x[0], x[1]
	case 3:
		h, mi, s = x[0], x[1], x[2]
	default:
		d, h, mi, s = x[0], x[1], x[2], x[3]
	}
	total := ((math.Trunc(d)*24+math.Trunc(h))*60+math.Trunc(mi))*60*float64(types.TicksPerSecond) +
		math.Round(s*float64(types.TicksPerSecond))
	return convF2L(total)
}

// dtFromUnix converts a count of units since the Unix epoch to a datetime;
// mul is ticks per unit, 0 for nanoseconds.
func dtFromUnix(v *vec.Vec, mul int64, n int) *vec.Vec {
	if v.Type.Physical() == types.PhysReal || v.Type == types.Dynamic || v.Type == types.String {
		return dtMapReal(types.DateTime, n, []*vec.Vec{v}, func(x []float64) (int64, bool) {
			var f float64
			if mul == 0 {
				f = x[0] / 100
			} else {
				f = x[0] * float64(mul)
			}
			t, ok := convF2L(math.Round(f))
			if !ok {
				return 0, false
			}
			return dtCheck(t)
		})
	}
	return dtMapInt(types.DateTime, n, []*vec.Vec{v}, func(i int, x []int64) (int64, bool) {
		if mul == 0 {
			return dtCheck(dtFloorDiv(x[0], 100))
		}
		if x[0] > math.MaxInt64/mul || x[0] < math.MinInt64/mul {
			return 0, false
		}
		return dtCheck(x[0] * mul)
	})
}

var dtZones sync.Map // name -> *time.Location (nil when unknown)

func dtZone(name string) *time.Location {
	if l, ok := dtZones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		l = nil
	}
	dtZones.Store(name, l)
	return l
}

// dtOffset returns the UTC offset (ticks) of loc at UTC instant t.
func dtOffset(loc *time.Location, t int64) int64 {
	_, off := types.ToTime(t).In(loc).Zone()
	return int64(off) * types.TicksPerSecond
}

func dtZoneKernel(a []*vec.Vec, n int, toLocal bool) *vec.Vec {
	dt, tz := a[0], convCast(a[1], types.String, n)
	m, c := coreRows(n, dt, tz)
	if dt.Type != types.DateTime {
		return convNulls(types.DateTime, m, c)
	}
	out := &vec.Vec{Type: types.DateTime, Const: c, Ints: make([]int64, m)}
	for i := 0; i < m; i++ {
		loc := dtZone(tz.Strs[tz.Row(i)])
		if dt.IsNull(i) || loc == nil {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		t := dt.Ints[dt.Row(i)]
		var r int64
		if toLocal {
			r = t + dtOffset(loc, t)
		} else {
			off := dtOffset(loc, t)
			u1 := t - off
			o1 := dtOffset(loc, u1)
			r = u1
			if o1 != off {
				if u2 := t - o1; dtOffset(loc, u2) == o1 {
					r = u2
				}
			}
		}
		v, ok := dtCheck(r)
		if !ok {
			out.Nulls = out.Nulls.Set(i)
			continue
		}
		out.Ints[i] = v
	}
	return out
}

// ---- format_datetime / format_timespan ----

type dtTok struct {
	ch  byte   // specifier letter, 0 for a literal
	n   int    // repeat count
	lit string // literal text
}

// dtCompileFormat splits a format into specifiers and literals. letters
// lists the specifier letters of the dialect.
func dtCompileFormat(f string, letters string) []dtTok {
	var toks []dtTok
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, dtTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(f); {
		ch := f[i]
		switch {
		case ch == '\\' && i+1 < len(f):
			lit.WriteByte(f[i+1])
			i += 2
		case ch == '\'' || ch == '"':
			j := strings.IndexByte(f[i+1:], ch)
			if j < 0 {
				lit.WriteString(f[i+1:])
				i = len(f)
			} else {
				lit.WriteString(f[i+1 : i+1+j])
				i += j + 2
			}
		case strings.IndexByte(letters, ch) >= 0:
			j := i
			for j < len(f) && f[j] == ch {
				j++
			}
			flush()
			toks = append(toks, dtTok{ch: ch, n: j - i})
			i = j
		default:
			lit.WriteByte(ch)
			i++
		}
	}
	flush()
	return toks
}

var (
	dtMonthNames = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dtDayNames   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func dtPad(b []byte, v int64, width int) []byte {
	s := strconv.FormatInt(v, 10)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// dtFrac appends the first n digits of a 7-digit fraction; trim drops
// trailing zeros (the F specifiers).
func dtFrac(b []byte, frac int64, n int, trim bool) []byte {
	if n > 7 {
		n = 7
	}
	var d [7]byte
	for k := 6; k >= 0; k-- {
		d[k] = byte('0' + frac%10)
		frac /= 10
	}
	s := d[:n]
	if trim {
		for len(s) > 0 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if len(s) == 0 && len(b) > 0 && b[len(b)-1] == '.' {
			return b[:len(b)-1]
		}
	}
	return append(b, s...)
}

func dtFormatDatetime(b []byte, toks []dtTok, t int64) []byte {
	tm := types.ToTime(t)
	frac := t - dtFloorDiv(t, types.TicksPerSecond)*types.TicksPerSecond
	for _, k := range toks {
		switch k.ch {
		case 0:
			b = append(b, k.lit...)
		case 'd':
			switch {
			case k.n <= 2:
				b = dtPad(b, int64(tm.Day()), k.n)
			case k.n == 3:
				b = append(b, dtDayNames[tm.Weekday()][:3]...)
			default:
				b = append(b, dtDayNames[tm.Weekday()]...)
			}
		case 'f', 'F':
			b = dtFrac(b, frac, k.n, k.ch == 'F')
		case 'h':
			h := tm.Hour() % 12
			if h == 0 {
				h = 12
			}
			b = dtPad(b, int64(h), min(k.n, 2))
		case 'H':
			b = dtPad(b, int64(tm.Hour()), min(k.n, 2))
		case 'm':
			b = dtPad(b, int64(tm.Minute()), min(k.n, 2))
		case 'M':
			switch {
			case k.n <= 2:
				b = dtPad(b, int64(tm.Month()), k.n)
			case k.n == 3:
				b = append(b, dtMonthNames[tm.Month()-1][:3]...)
			default:
				b = append(b, dtMonthNames[tm.Month()-1]...)
			}
		case 's':
			b = dtPad(b, int64(tm.Second()), min(k.n, 2))
		case 'y':
			y := int64(tm.Year())
			if k.n <= 2 {
				b = dtPad(b, y%100, k.n)
			} else {
				b = dtPad(b, y, k.n)
			}
		case 't':
			ampm := "AM"
			if tm.Hour() >= 12 {
				ampm = "PM"
			}
			if k.n == 1 {
				ampm = ampm[:1]
			}
			b = append(b, ampm...)
		}
	}
	return b
}

func dtFormatTimespan(b []byte, toks []dtTok, t int64) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	days := t / dtDay
	rem := t % dtDay
	h := rem / types.TicksPerHour
	mi := rem % types.TicksPerHour / types.TicksPerMinute
	s := rem % types.TicksPerMinute / types.TicksPerSecond
	frac := rem % types.TicksPerSecond
	for _, k := range toks {
		switch k.ch {
		case 0:
			b = append(b, k.lit...)
		case 'd':
			b = dtPad(b, days, k.n)
		case 'h', 'H':
			b = dtPad(b, h, min(k.n, 2))
		case 'm':
			b = dtPad(b, mi, min(k.n, 2))
		case 's':
			b = dtPad(b, s, min(k.n, 2))
		case 'f', 'F':
			b = dtFrac(b, frac, k.n, k.ch == 'F')
		}
	}
	return b
}

func dtFormatKernel(a []*vec.Vec, n int, span bool) *vec.Vec {
	v, f := a[0], convCast(a[1], types.String, n)
	m, c := coreRows(n, v, f)
	out := &vec.Vec{Type: types.String, Const: c, Strs: make([]string, m)}
	want := types.DateTime
	letters := "dfFhHmMsyt"
	if span {
		want, letters = types.Timespan, "dfFhHms"
	}
	if v.Type != want {
		return out // null input formats as ""
	}
	var toks []dtTok
	lastFmt := ""
	var buf []byte
	for i := 0; i < m; i++ {
		if v.IsNull(i) {
			continue
		}
		fs := f.Strs[f.Row(i)]
		if toks == nil || fs != lastFmt {
			toks, lastFmt = dtCompileFormat(fs, letters), fs
		}
		buf = buf[:0]
		if span {
			buf = dtFormatTimespan(buf, toks, v.Ints[v.Row(i)])
		} else {
			buf = dtFormatDatetime(buf, toks, v.Ints[v.Row(i)])
		}
		out.Strs[i] = string(buf)
	}
	return out
}
