package types

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Datetime and timespan values are int64 counts of 100-nanosecond ticks,
// as in Kusto. A datetime counts from the Unix epoch, so the zero value is
// 1970-01-01; KQL's whole range (years 1 to 9999) fits.
const (
	TicksPerMicrosecond int64 = 10
	TicksPerMillisecond int64 = 10_000
	TicksPerSecond      int64 = 10_000_000
	TicksPerMinute            = 60 * TicksPerSecond
	TicksPerHour              = 60 * TicksPerMinute
	TicksPerDay               = 24 * TicksPerHour
)

// MinDatetime and MaxDatetime bound KQL's datetime range.
var (
	MinDatetime = FromTime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	MaxDatetime = FromTime(time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC))
)

// FromTime converts a Go time to datetime ticks.
func FromTime(t time.Time) int64 {
	return t.Unix()*TicksPerSecond + int64(t.Nanosecond())/100
}

// ToTime converts datetime ticks to a UTC Go time.
func ToTime(ticks int64) time.Time {
	sec := ticks / TicksPerSecond
	rem := ticks % TicksPerSecond
	if rem < 0 {
		sec--
		rem += TicksPerSecond
	}
	return time.Unix(sec, rem*100).UTC()
}

// FormatDatetime renders ticks the way Kusto serializes datetimes:
// ISO 8601 UTC with exactly seven fraction digits.
func FormatDatetime(ticks int64) string {
	var buf [32]byte
	return string(AppendDatetime(buf[:0], ticks))
}

// AppendDatetime appends FormatDatetime(ticks) to b.
func AppendDatetime(b []byte, ticks int64) []byte {
	t := ToTime(ticks)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	frac := ticks % TicksPerSecond
	if frac < 0 {
		frac += TicksPerSecond
	}
	b = appendInt(b, y, 4)
	b = append(b, '-')
	b = appendInt(b, int(mo), 2)
	b = append(b, '-')
	b = appendInt(b, d, 2)
	b = append(b, 'T')
	b = appendInt(b, h, 2)
	b = append(b, ':')
	b = appendInt(b, mi, 2)
	b = append(b, ':')
	b = appendInt(b, s, 2)
	b = append(b, '.')
	b = appendInt(b, int(frac), 7)
	return append(b, 'Z')
}

func appendInt(b []byte, v, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

// ParseDatetime parses the datetime text forms Kusto accepts: ISO 8601
// ("2024-01-31", "2024-01-31 10:00", "2024-01-31T10:00:00.1234567Z",
// with an optional numeric offset), and RFC 822/850/1123 forms. The result
// is UTC ticks.
func ParseDatetime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if t, ok := parseISO(s); ok {
		return t, true
	}
	for _, layout := range rfcLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return FromTime(t), true
		}
	}
	return parseLenient(s)
}

var rfcLayouts = []string{
	time.RFC1123, time.RFC1123Z, time.RFC822, time.RFC822Z, time.RFC850,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 06 15:04:05 MST", "2 Jan 2006 15:04:05 MST",
	"1/2/2006 3:04:05 PM", "1/2/2006 15:04:05", "1/2/2006", "20060102", "20060102 15:04:05", "20060102150405",
}

// parseISO is a hand-written ISO 8601 parser: it is on the hot path of
// every reader that meets a timestamp string, and time.Parse allocates and
// does not accept seven fraction digits with a space separator.
func parseISO(s string) (int64, bool) {
	n := len(s)
	if n < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, false
	}
	var h, mi, sec, frac int
	i := 10
	if i < n && (s[i] == 'T' || s[i] == ' ' || s[i] == 't') {
		i++
		if i+5 > n || s[i+2] != ':' {
			return 0, false
		}
		var okh, okm bool
		h, okh = digits(s[i : i+2])
		mi, okm = digits(s[i+3 : i+5])
		if !okh || !okm || h > 23 || mi > 59 {
			return 0, false
		}
		i += 5
		if i < n && s[i] == ':' {
			if i+3 > n {
				return 0, false
			}
			var oks bool
			sec, oks = digits(s[i+1 : i+3])
			if !oks || sec > 59 {
				return 0, false
			}
			i += 3
			if i < n && s[i] == '.' {
				i++
				start := i
				for i < n && s[i] >= '0' && s[i] <= '9' {
					if i-start < 7 {
						frac = frac*10 + int(s[i]-'0')
					}
					i++
				}
				if i == start {
					return 0, false
				}
				for k := i - start; k < 7; k++ {
					frac *= 10
				}
			}
		}
	}
	offset := 0
	if i < n {
		switch s[i] {
		case 'Z', 'z':
			i++
		case '+', '-':
			sign := 1
			if s[i] == '-' {
				sign = -1
			}
			rest := s[i+1:]
			rest = strings.Replace(rest, ":", "", 1)
			if len(rest) != 4 && len(rest) != 2 {
				return 0, false
			}
			oh, ok := digits(rest[:2])
			om := 0
			if len(rest) == 4 {
				om, ok = digits(rest[2:4])
			}
			if !ok {
				return 0, false
			}
			offset = sign * (oh*60 + om)
			i = n
		default:
			if strings.TrimSpace(s[i:]) == "UTC" || strings.TrimSpace(s[i:]) == "GMT" {
				i = n
			}
		}
	}
	if i != n {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	secs := days*86400 + int64(h*3600+mi*60+sec) - int64(offset*60)
	return secs*TicksPerSecond + int64(frac), true
}

func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, len(s) > 0
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns days since 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// FormatTimespan renders ticks as Kusto does: [-][d.]hh:mm:ss[.fffffff].
func FormatTimespan(ticks int64) string {
	var buf [32]byte
	return string(AppendTimespan(buf[:0], ticks))
}

// AppendTimespan appends FormatTimespan(ticks) to b.
func AppendTimespan(b []byte, ticks int64) []byte {
	u := uint64(ticks)
	if ticks < 0 {
		b = append(b, '-')
		u = uint64(-ticks)
	}
	t := uint64(TicksPerSecond)
	days := u / (uint64(TicksPerDay))
	rem := u % uint64(TicksPerDay)
	if days > 0 {
		b = strconv.AppendUint(b, days, 10)
		b = append(b, '.')
	}
	h := rem / (3600 * t)
	rem %= 3600 * t
	mi := rem / (60 * t)
	rem %= 60 * t
	s := rem / t
	frac := rem % t
	b = appendInt(b, int(h), 2)
	b = append(b, ':')
	b = appendInt(b, int(mi), 2)
	b = append(b, ':')
	b = appendInt(b, int(s), 2)
	if frac != 0 {
		b = append(b, '.')
		b = appendInt(b, int(frac), 7)
	}
	return b
}

// ParseTimespan parses a timespan in any form KQL accepts: the clock form
// "[-][d.]hh:mm[:ss[.fffffff]]", a number with a unit ("1.5d", "30m",
// "100ms", "15 seconds"), or a bare number, which counts days (so that
// timespan(2) is two days, as the KQL reference documents).
func ParseTimespan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	neg := false
	body := s
	if body[0] == '-' || body[0] == '+' {
		neg = body[0] == '-'
		body = strings.TrimSpace(body[1:])
	}
	i := 0
	for i < len(body) && (body[i] >= '0' && body[i] <= '9' || body[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, false
	}
	num, err := strconv.ParseFloat(body[:i], 64)
	if err != nil {
		return 0, false
	}
	unit := strings.ToLower(strings.TrimSpace(body[i:]))
	var mult int64
	if unit == "" {
		mult = TicksPerDay
	} else {
		var ok bool
		mult, ok = timespanUnits[unit]
		if !ok {
			return 0, false
		}
	}
	v := num * float64(mult)
	if math.IsInf(v, 0) || math.Abs(v) > 9.2e18 {
		return 0, false
	}
	ticks := int64(math.Round(v))
	if neg {
		ticks = -ticks
	}
	return ticks, true
}

// timespanUnits lists the unit suffixes of timespan literals. The KQL
// reference documents d, h, m, s, ms, microsecond and tick; the longer
// spellings are accepted by Kusto's lexer and appear in real queries.
var timespanUnits = map[string]int64{
	"d": TicksPerDay, "day": TicksPerDay, "days": TicksPerDay,
	"h": TicksPerHour, "hr": TicksPerHour, "hrs": TicksPerHour, "hour": TicksPerHour, "hours": TicksPerHour,
	"m": TicksPerMinute, "min": TicksPerMinute, "minute": TicksPerMinute, "minutes": TicksPerMinute,
	"s": TicksPerSecond, "sec": TicksPerSecond, "second": TicksPerSecond, "seconds": TicksPerSecond,
	"ms": TicksPerMillisecond, "milli": TicksPerMillisecond, "millis": TicksPerMillisecond,
	"millisecond": TicksPerMillisecond, "milliseconds": TicksPerMillisecond,
	"microsecond": TicksPerMicrosecond, "microseconds": TicksPerMicrosecond,
	"tick": 1, "ticks": 1,
}

// IsTimespanUnit reports whether u is a timespan literal suffix.
func IsTimespanUnit(u string) bool {
	_, ok := timespanUnits[strings.ToLower(u)]
	return ok
}

func parseClock(s string) (int64, bool) {
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	var days int64
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	hpart := parts[0]
	if dot := strings.IndexByte(hpart, '.'); dot >= 0 {
		d, ok := digits(hpart[:dot])
		if !ok {
			return 0, false
		}
		days = int64(d)
		hpart = hpart[dot+1:]
	}
	h, ok := digits(hpart)
	if !ok {
		return 0, false
	}
	m, ok := digits(parts[1])
	if !ok || m > 59 {
		return 0, false
	}
	var sec, frac int64
	if len(parts) == 3 {
		sp := parts[2]
		fp := ""
		if dot := strings.IndexByte(sp, '.'); dot >= 0 {
			sp, fp = sp[:dot], sp[dot+1:]
		}
		sv, ok := digits(sp)
		if !ok || sv > 59 {
			return 0, false
		}
		sec = int64(sv)
		if fp != "" {
			if len(fp) > 7 {
				fp = fp[:7]
			}
			f, ok := digits(fp)
			if !ok {
				return 0, false
			}
			frac = int64(f)
			for k := len(fp); k < 7; k++ {
				frac *= 10
			}
		}
	}
	t := days*TicksPerDay + int64(h)*TicksPerHour + int64(m)*TicksPerMinute + sec*TicksPerSecond + frac
	if neg {
		t = -t
	}
	return t, true
}

// parseLenient accepts the looser date forms Kusto takes in datetime
// literals and todatetime() (it parses with .NET's invariant culture):
// unpadded fields ("1970-5-12"), month-first dates ("12-02-2022",
// "1/2/06"), spaces or commas between the fields ("2017 - 08 - 01",
// "2025, 6, 14"), month names ("Jan 5 2020", "5 January 2020"), a
// time of day with seconds, fraction and AM/PM, then Z, UTC, GMT or a
// numeric offset. Years of two digits are 1950-2049, as in .NET.
func parseLenient(s string) (int64, bool) {
	var nums []string // the date's numeric fields, in order
	month := 0        // from a month name
	h, mi, sec, frac := 0, 0, 0, 0
	hasTime, pm, am := false, false, false
	// Dots between the date's fields ("1.2.2003") need a four-digit
	// year, so that version numbers ("1.2.3") are not taken for dates.
	dotted := false
	offset := 0
	i, n := 0, len(s)
	for i < n {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < n && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < n && s[j] == ':' && !hasTime {
				// A time of day: h:mm[:ss[.fffffff]].
				hasTime = true
				h, _ = digits(s[i:j])
				k := j + 1
				e := k
				for e < n && s[e] >= '0' && s[e] <= '9' {
					e++
				}
				var ok bool
				if mi, ok = digits(s[k:e]); !ok || e-k > 2 || j-i > 2 {
					return 0, false
				}
				if e < n && s[e] == ':' {
					k = e + 1
					e = k
					for e < n && s[e] >= '0' && s[e] <= '9' {
						e++
					}
					if sec, ok = digits(s[k:e]); !ok || e-k > 2 {
						return 0, false
					}
					if e < n && s[e] == '.' {
						k = e + 1
						e = k
						for e < n && s[e] >= '0' && s[e] <= '9' {
							if e-k < 7 {
								frac = frac*10 + int(s[e]-'0')
							}
							e++
						}
						for d := e - k; d < 7; d++ {
							frac *= 10
						}
					}
				}
				i = e
				continue
			}
			if hasTime || len(nums) == 3 {
				return 0, false
			}
			nums = append(nums, s[i:j])
			i = j
		case c == '+' || (c == '-' && hasTime):
			// A numeric offset after the time of day.
			rest := strings.Replace(strings.TrimSpace(s[i+1:]), ":", "", 1)
			if !hasTime || (len(rest) != 4 && len(rest) != 2) {
				return 0, false
			}
			oh, ok := digits(rest[:2])
			om := 0
			if len(rest) == 4 {
				om, ok = digits(rest[2:])
			}
			if !ok {
				return 0, false
			}
			offset = oh*60 + om
			if c == '-' {
				offset = -offset
			}
			i = n
		case c == ' ' || c == ',' || c == '-' || c == '/' || c == '.' || c == '\t':
			if c == '.' {
				dotted = true
			}
			i++
		case c == 'T' && !hasTime && len(nums) == 3 && i+1 < n && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		default:
			j := i
			for j < n && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			if j == i {
				return 0, false
			}
			w := strings.ToLower(s[i:j])
			switch {
			case w == "am" && hasTime:
				am = true
			case w == "pm" && hasTime:
				pm = true
			case w == "z" || w == "utc" || w == "gmt":
			case weekdayName(w):
			default:
				m := monthName(w)
				if m == 0 || month != 0 || hasTime {
					return 0, false
				}
				month = m
			}
			i = j
		}
	}
	var y, mo, d int
	switch {
	case month != 0 && len(nums) == 2:
		// "Jan 5 2020", "5 Jan 2020", "2020 Jan 5": the four-digit field
		// is the year.
		mo = month
		a, _ := digits(nums[0])
		b, _ := digits(nums[1])
		if len(nums[0]) == 4 {
			y, d = a, b
		} else {
			d, y = a, b
			if len(nums[1]) <= 2 {
				y = twoDigitYear(y)
			}
		}
	case month == 0 && len(nums) == 3:
		a, _ := digits(nums[0])
		b, _ := digits(nums[1])
		c, _ := digits(nums[2])
		if len(nums[0]) == 4 {
			y, mo, d = a, b, c
		} else {
			mo, d, y = a, b, c
			if len(nums[2]) <= 2 {
				y = twoDigitYear(y)
			} else if len(nums[2]) != 4 {
				return 0, false
			}
		}
		if len(nums[1]) > 2 || (len(nums[0]) != 4 && len(nums[0]) > 2) {
			return 0, false
		}
	default:
		return 0, false
	}
	if dotted && !slices.ContainsFunc(nums, func(f string) bool { return len(f) == 4 }) {
		return 0, false
	}
	if am || pm {
		if h < 1 || h > 12 {
			return 0, false
		}
		if h == 12 {
			h = 0
		}
		if pm {
			h += 12
		}
	}
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	secs := days*86400 + int64(h*3600+mi*60+sec) - int64(offset*60)
	return secs*TicksPerSecond + int64(frac), true
}

func twoDigitYear(y int) int {
	if y < 50 {
		return 2000 + y
	}
	return 1900 + y
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// monthName returns 1-12 for a month's name or its three-letter (or
// "sept") abbreviation, else 0.
func monthName(w string) int {
	for k, m := range monthNames {
		if w == m || (len(w) >= 3 && strings.HasPrefix(m, w) && (len(w) == 3 || w == "sept")) {
			return k + 1
		}
	}
	return 0
}

func weekdayName(w string) bool {
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if w == d || w == d[:3] {
			return true
		}
	}
	return false
}
