// Package suggest finds the closest name to a misspelled one, for "did
// you mean" hints in errors about columns, tables, functions, commands
// and flags.
package suggest

import "strings"

// Closest returns the candidate nearest to name by edit distance, ignoring
// case, or "" when none is near enough to be a likely typo (a third of
// the name's length, at most 3 edits). Ties go to the alphabetically first.
func Closest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	lname := strings.ToLower(name)
	for _, c := range candidates {
		if c == "" {
			continue
		}
		d := Distance(lname, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := min(len(name)/3+1, 3)
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
