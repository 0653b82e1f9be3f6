package fn

// Regular expressions: matches regex, extract, extract_all, replace_regex
// (and the legacy replace), trim, trim_start, trim_end, indexof_regex,
// countof(..., "regex"), regex_quote.
//
// KQL's regex page documents the syntax of the Rust regex crate; Go's
// regexp implements RE2, which agrees on nearly everything (leftmost-first
// matching, the same flags i, m, s, U, (?P<name>) and (?<name>) groups).
// strRegexTranslate rewrites the differences that matter:
//   - \d, \w and \s are Unicode classes in KQL (\p{Nd}; Alphabetic, marks,
//     digits, connector punctuation; White_Space) but ASCII in Go; they are
//     spelled out as Unicode classes. Inside a bracket class \W and \S
//     stay ASCII (Go cannot negate a union there) - a known approximation.
//   - \uXXXX, \u{X}, \UXXXXXXXX and \U{X} become \x{X}.
//   - \<, \>, \b{start}, \b{end}, \b{start-half}, \b{end-half} become \b.
//   - The flags u (Unicode, always on) and R (CRLF mode) are dropped.
// Not supported: Unicode word boundaries (Go's \b is ASCII), nested
// classes and class set operations (&&, --, ~~), and the x (verbose)
// flag, which Go rejects with an error.

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

const (
	strReWord  = `\p{L}\p{Nl}\p{M}\p{Nd}\p{Pc}`
	strReSpace = `\t\n\x0B\f\r\x{85}\p{Z}`
)

// strRegexTranslate rewrites a KQL regular expression into Go syntax.
func strRegexTranslate(p string) string {
	var b strings.Builder
	b.Grow(len(p) + 16)
	inClass := false
	classStart := 0 // index of the first item of the current class
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			e := p[i+1]
			i++
			switch e {
			case 'd':
				b.WriteString(`\p{Nd}`)
			case 'D':
				b.WriteString(`\P{Nd}`)
			case 'w':
				if inClass {
					b.WriteString(strReWord)
				} else {
					b.WriteString("[" + strReWord + "]")
				}
			case 'W':
				if inClass {
					b.WriteString(`\W`)
				} else {
					b.WriteString("[^" + strReWord + "]")
				}
			case 's':
				if inClass {
					b.WriteString(strReSpace)
				} else {
					b.WriteString("[" + strReSpace + "]")
				}
			case 'S':
				if inClass {
					b.WriteString(`\S`)
				} else {
					b.WriteString("[^" + strReSpace + "]")
				}
			case '<', '>':
				b.WriteString(`\b`)
			case 'b':
				if !inClass && i+1 < len(p) && p[i+1] == '{' {
					if j := strings.IndexByte(p[i+1:], '}'); j > 0 {
						switch p[i+2 : i+1+j] {
						case "start", "end", "start-half", "end-half":
							i += j + 1
						}
					}
				}
				b.WriteString(`\b`)
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if i+1 < len(p) && p[i+1] == '{' {
					if j := strings.IndexByte(p[i+1:], '}'); j > 0 {
						b.WriteString(`\x` + p[i+1:i+2+j])
						i += j + 1
						continue
					}
				}
				if i+n < len(p) && strRegexHex(p[i+1:i+1+n]) {
					b.WriteString(`\x{` + p[i+1:i+1+n] + `}`)
					i += n
					continue
				}
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case inClass:
			switch {
			case c == '[' && i+1 < len(p) && p[i+1] == ':':
				// A POSIX class such as [:alpha:] is copied whole.
				if j := strings.Index(p[i:], ":]"); j > 0 {
					b.WriteString(p[i : i+j+2])
					i += j + 1
					continue
				}
				b.WriteByte(c)
			case c == ']' && i > classStart:
				inClass = false
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			classStart = i + 1
			if classStart < len(p) && p[classStart] == '^' {
				b.WriteByte('^')
				i++
				classStart++
			}
		case c == '(' && i+1 < len(p) && p[i+1] == '?':
			// A flag group (?flags) or (?flags:...): drop u and R.
			j := i + 2
			for j < len(p) && strings.IndexByte("imsuURx-", p[j]) >= 0 {
				j++
			}
			if j < len(p) && (p[j] == ')' || p[j] == ':') && j > i+2 {
				flags := strings.NewReplacer("u", "", "R", "").Replace(p[i+2 : j])
				flags = strings.TrimSuffix(flags, "-")
				if flags == "" && p[j] == ')' {
					i = j
					continue
				}
				if flags == "" {
					b.WriteString("(?:")
				} else {
					b.WriteString("(?" + flags + string(p[j]))
				}
				i = j
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func strRegexHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// strRegexCache holds compiled expressions by pattern; it is cleared when
// it grows past strRegexCacheMax.
var strRegexCache = struct {
	sync.RWMutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

const strRegexCacheMax = 4096

// strRegex compiles a KQL regular expression (cached).
func strRegex(pattern string) (*regexp.Regexp, error) {
	return strRegexWrapped(pattern, "", "")
}

// strRegexWrapped compiles prefix + (translated pattern) + suffix.
func strRegexWrapped(pattern, prefix, suffix string) (*regexp.Regexp, error) {
	key := prefix + "\x00" + suffix + "\x00" + pattern
	strRegexCache.RLock()
	re := strRegexCache.m[key]
	strRegexCache.RUnlock()
	if re != nil {
		return re, nil
	}
	re, err := regexp.Compile(prefix + strRegexTranslate(pattern) + suffix)
	if err != nil {
		return nil, Errorf("invalid regular expression %q: %v", pattern, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	strRegexCache.Lock()
	if len(strRegexCache.m) >= strRegexCacheMax {
		clear(strRegexCache.m)
	}
	strRegexCache.m[key] = re
	strRegexCache.Unlock()
	return re, nil
}

// strRegexArg returns the regex of argument k at row i: compiled once by
// the factory when constant (fixed), else looked up in the cache.
func strRegexArg(fixed *regexp.Regexp, a []*vec.Vec, k, i int) (*regexp.Regexp, error) {
	if fixed != nil {
		return fixed, nil
	}
	return strRegex(strText(a[k], i))
}

// strConstRegex compiles a constant regex argument at factory time.
func strConstRegex(args []builtins.Arg, k int, prefix, suffix string) (*regexp.Regexp, error) {
	if s, ok := strConstText(args[k]); ok {
		return strRegexWrapped(s, prefix, suffix)
	}
	return nil, nil
}

// strRewrite converts a KQL rewrite pattern (\0..\9 name capture groups,
// \\ is a backslash) into a regexp.Expand template.
func strRewrite(rw string) string {
	var b strings.Builder
	for i := 0; i < len(rw); i++ {
		c := rw[i]
		switch {
		case c == '$':
			b.WriteString("$$")
		case c == '\\' && i+1 < len(rw) && rw[i+1] >= '0' && rw[i+1] <= '9':
			b.WriteString("${" + string(rw[i+1]) + "}")
			i++
		case c == '\\' && i+1 < len(rw) && rw[i+1] == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// strReplaceRegex replaces every non-overlapping match of re in s.
func strReplaceRegex(re *regexp.Regexp, s, template string) string {
	return re.ReplaceAllString(s, template)
}

// strConvertText converts extracted text to type t for extract(...,
// typeof(t)); ok is false when the conversion fails.
func strConvertText(s string, t types.Type) (any, bool) {
	ts := strings.TrimSpace(s)
	switch t {
	case types.String:
		return s, true
	case types.Int:
		n, err := strconv.ParseInt(ts, 10, 32)
		return n, err == nil
	case types.Long:
		n, err := strconv.ParseInt(ts, 10, 64)
		return n, err == nil
	case types.Real, types.Decimal:
		f, err := strconv.ParseFloat(ts, 64)
		return f, err == nil
	case types.Bool:
		switch strings.ToLower(ts) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
		return nil, false
	case types.DateTime:
		v, ok := types.ParseDatetime(ts)
		return types.DT(v), ok
	case types.Timespan:
		v, ok := types.ParseTimespan(ts)
		return types.TS(v), ok
	case types.Guid:
		g, ok := types.ParseGuid(ts)
		return g, ok
	case types.Dynamic:
		v, err := types.ParseJSON([]byte(s))
		if err != nil {
			return s, true
		}
		return v, true
	}
	return nil, false
}

// strExtractGroups resolves extract_all's captureGroups (indexes from 1,
// or names) against re.
func strExtractGroups(re *regexp.Regexp, groups []any) ([]int, error) {
	var out []int
	for _, g := range groups {
		switch v := g.(type) {
		case string:
			k := re.SubexpIndex(v)
			if k < 0 {
				return nil, Errorf("extract_all(): no capture group named %q", v)
			}
			out = append(out, k)
		default:
			k, ok := strDynInt(v)
			if !ok || k < 1 || k > int64(re.NumSubexp()) {
				return nil, Errorf("extract_all(): capture group %s is out of range 1..%d", strDynText(v), re.NumSubexp())
			}
			out = append(out, int(k))
		}
	}
	return out, nil
}

// strExtractAll implements extract_all(): null when nothing matches, a
// flat array when one group is selected, else an array per match. A group
// that did not take part in a match gives "". A regex without groups
// yields the whole matches.
func strExtractAll(re *regexp.Regexp, groups []int, s string) any {
	if groups == nil {
		if re.NumSubexp() == 0 {
			groups = []int{0}
		} else {
			for k := 1; k <= re.NumSubexp(); k++ {
				groups = append(groups, k)
			}
		}
	}
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return nil
	}
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		if len(groups) == 1 {
			out = append(out, strGroup(s, m, groups[0]))
			continue
		}
		row := make([]any, len(groups))
		for j, g := range groups {
			row[j] = strGroup(s, m, g)
		}
		out = append(out, row)
	}
	return out
}

func strGroup(s string, m []int, g int) string {
	if 2*g+1 >= len(m) || m[2*g] < 0 {
		return ""
	}
	return s[m[2*g]:m[2*g+1]]
}

// strIndexOfRegex implements indexof_regex(): like indexof() but a
// negative start gives null (as the page's example shows) and later
// occurrences are searched after the end of the previous match (matches
// do not overlap).
func strIndexOfRegex(re *regexp.Regexp, s string, start, length, occ int64) (int64, bool) {
	if start < 0 || length < -1 || occ < 0 {
		return 0, false
	}
	if occ == 0 {
		return -1, true
	}
	offs := strRuneOffsets(s)
	n := int64(strCharLen(s, offs))
	pos := start
	for k := int64(1); ; k++ {
		if pos > n {
			return -1, true
		}
		limit := n
		if length >= 0 && pos+length < n {
			limit = pos + length
		}
		base := strByteAt(offs, int(pos))
		loc := re.FindStringIndex(s[base:strByteAt(offs, int(limit))])
		if loc == nil {
			return -1, true
		}
		at := int64(strCharAt(offs, base+loc[0]))
		if k == occ {
			return at, true
		}
		end := int64(strCharAt(offs, base+loc[1]))
		if end == at {
			end++
		}
		pos = end
	}
}

// strRegexQuote escapes every character that is special in KQL regular
// expressions.
func strRegexQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`\.+*?()|[]{}^$#&-~`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// strTrimFactory builds trim (both ends), trim_start and trim_end: every
// leading and/or trailing match of the regex is removed.
func strTrimFactory(lead, trail bool) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		var fixedL, fixedT *regexp.Regexp
		var err error
		if lead {
			if fixedL, err = strConstRegex(args, 0, `^(?:`, `)+`); err != nil {
				return nil, err
			}
		}
		if trail {
			if fixedT, err = strConstRegex(args, 0, `(?:`, `)+$`); err != nil {
				return nil, err
			}
		}
		constRe := args[0].Const
		return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
			s := strText(a[1], i)
			reL, reT := fixedL, fixedT
			if !constRe || (reL == nil && reT == nil) {
				pat := strText(a[0], i)
				var err error
				if lead {
					if reL, err = strRegexWrapped(pat, `^(?:`, `)+`); err != nil {
						return err
					}
				}
				if trail {
					if reT, err = strRegexWrapped(pat, `(?:`, `)+$`); err != nil {
						return err
					}
				}
			}
			if reL != nil {
				if loc := reL.FindStringIndex(s); loc != nil {
					s = s[loc[1]:]
				}
			}
			if reT != nil {
				if loc := reT.FindStringIndex(s); loc != nil {
					s = s[:loc[0]]
				}
			}
			out.Strs = append(out.Strs, s)
			return nil
		}), nil
	}
}

// strReplaceFactory builds replace_regex(source, regex, rewrite) (src=0,
// re=1, rw=2) and the legacy replace(regex, rewrite, source) (1, 0, 2...).
func strReplaceFactory(src, reIdx, rwIdx int) ScalarFactory {
	return func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		fixed, err := strConstRegex(args, reIdx, "", "")
		if err != nil {
			return nil, err
		}
		var fixedRW string
		rwConst := false
		if s, ok := strConstText(args[rwIdx]); ok {
			fixedRW, rwConst = strRewrite(s), true
		}
		return strEach(types.String, func(a []*vec.Vec, i int, out *vec.Vec) error {
			re, err := strRegexArg(fixed, a, reIdx, i)
			if err != nil {
				return err
			}
			rw := fixedRW
			if !rwConst {
				rw = strRewrite(strText(a[rwIdx], i))
			}
			out.Strs = append(out.Strs, strReplaceRegex(re, strText(a[src], i), rw))
			return nil
		}), nil
	}
}

func init() {
	RegisterScalar("extract", func(args []builtins.Arg, result types.Type) (Scalar, error) {
		fixed, err := strConstRegex(args, 0, "", "")
		if err != nil {
			return nil, err
		}
		return strEach(result, func(a []*vec.Vec, i int, out *vec.Vec) error {
			re, err := strRegexArg(fixed, a, 0, i)
			if err != nil {
				return err
			}
			g, ok := strInt(a[1], i)
			if !ok || g < 0 || g > int64(re.NumSubexp()) {
				out.AppendNull()
				return nil
			}
			s := strText(a[2], i)
			m := re.FindStringSubmatchIndex(s)
			if m == nil || m[2*g] < 0 {
				out.AppendNull()
				return nil
			}
			v, ok := strConvertText(s[m[2*g]:m[2*g+1]], result)
			if !ok {
				out.AppendNull()
				return nil
			}
			out.Append(v)
			return nil
		}), nil
	})
	RegisterScalar("extract_all", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		fixed, err := strConstRegex(args, 0, "", "")
		if err != nil {
			return nil, err
		}
		if fixed != nil && fixed.NumSubexp() > 16 {
			return nil, Errorf("extract_all(): the regular expression has %d capture groups; at most 16 are allowed", fixed.NumSubexp())
		}
		src := len(args) - 1
		var fixedGroups []int
		if fixed != nil && len(args) == 3 && args[1].Const {
			g, _ := args[1].Value.([]any)
			if fixedGroups, err = strExtractGroups(fixed, g); err != nil {
				return nil, err
			}
		}
		return strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
			re, err := strRegexArg(fixed, a, 0, i)
			if err != nil {
				return err
			}
			groups := fixedGroups
			if len(a) == 3 && groups == nil {
				g, _ := a[1].Get(i).([]any)
				if groups, err = strExtractGroups(re, g); err != nil {
					return err
				}
				if len(groups) == 0 {
					groups = nil
				}
			}
			out.Append(strExtractAll(re, groups, strText(a[src], i)))
			return nil
		}), nil
	})
	RegisterScalar("replace_regex", strReplaceFactory(0, 1, 2))
	RegisterScalar("replace", strReplaceFactory(2, 0, 1))
	RegisterScalar("trim", strTrimFactory(true, true))
	RegisterScalar("trim_start", strTrimFactory(true, false))
	RegisterScalar("trim_end", strTrimFactory(false, true))
	RegisterScalar("regex_quote", strFixed(strMapS(strRegexQuote)))
	RegisterScalar("indexof_regex", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		fixed, err := strConstRegex(args, 1, "", "")
		if err != nil {
			return nil, err
		}
		return strEach(types.Long, func(a []*vec.Vec, i int, out *vec.Vec) error {
			start, length, occ := int64(0), int64(-1), int64(1)
			ok := true
			for k, p := range []*int64{&start, &length, &occ} {
				if len(a) > k+2 {
					var ok2 bool
					*p, ok2 = strInt(a[k+2], i)
					ok = ok && ok2
				}
			}
			if !ok {
				out.AppendNull()
				return nil
			}
			re, err := strRegexArg(fixed, a, 1, i)
			if err != nil {
				return err
			}
			v, ok := strIndexOfRegex(re, strText(a[0], i), start, length, occ)
			strAppendLong(out, v, ok)
			return nil
		}), nil
	})
}
