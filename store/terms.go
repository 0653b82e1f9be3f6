package store

import (
	"unicode"
	"unicode/utf8"
)

// Terms as the has family defines them (engine/fn/strings.go): maximal
// runs of Unicode letters and digits, compared under simple case
// folding. The index must fold exactly as the kernels do, or `has` could
// find a row the index says has no such term; the tests compare the two
// on random text.

func alnumRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// foldRune maps r to one representative of its simple folding orbit:
// ASCII letters to lower case, runes whose orbit holds an ASCII letter to
// that lower-case letter, others to the smallest rune of the orbit.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	if 'A' <= m && m <= 'Z' {
		m += 'a' - 'A'
	}
	return m
}

// appendFold appends the folded form of s.
func appendFold(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, foldRune(r))
		i += size
	}
	return b
}

// eachTerm calls f with the folded form of each term of s; the slice is
// reused between calls.
func eachTerm(s string, scratch []byte, f func(term []byte)) []byte {
	i := 0
	for i < len(s) {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !alnumRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			if !alnumRune(r) {
				break
			}
			i += size
		}
		scratch = appendFold(scratch[:0], s[start:i])
		f(scratch)
	}
	return scratch
}

// needleTerms returns the folded terms a row must hold for `has needle`
// (or has_cs, ==, =~ needle) to be true. A match of the needle lies on
// term boundaries wherever the needle has letters or digits at its ends,
// and its inner punctuation matches literally, so every term of the
// needle is a whole term of the row. The empty needle matches anything
// and needs no term.
func needleTerms(needle string) []string {
	var out []string
	eachTerm(needle, nil, func(t []byte) { out = append(out, string(t)) })
	return out
}

// foldConsistent reports whether every rune of s folds only with runes
// of its own kind (alphanumeric or not). Case-insensitive matching may
// pair a needle rune with any rune of its folding orbit, and a few orbits
// mix kinds (U+0345, a combining mark, folds with the letter iota): for
// such needles the terms of a match need not be the needle's terms.
func foldConsistent(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf && r != 'k' && r != 'K' && r != 's' && r != 'S' {
			continue
		}
		a := alnumRune(r)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if alnumRune(f) != a {
				return false
			}
		}
	}
	return true
}
