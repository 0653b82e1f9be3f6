package fn

import (
	"math"
	"testing"
)

// The 60-point series of the series_periods_detect and
// series_periods_validate reference pages (12-hour bins, weekly period).
var docPeriodSeries = []float64{80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func TestPeriodsValidateDocExample(t *testing.T) {
	// series_periods_validate(y, 14.0, 10.0) gives [0.84, 0.0].
	if got := round2(validatePeriod(docPeriodSeries, 14)); got != 0.84 {
		t.Errorf("validate 14 = %v, want 0.84", got)
	}
	if got := validatePeriod(docPeriodSeries, 10); got != 0 {
		t.Errorf("validate 10 = %v, want 0", got)
	}
	// Outside [4, half the series] the score is 0.
	for _, p := range []float64{2, 3, 31, 60, math.NaN()} {
		if got := validatePeriod(docPeriodSeries, p); got != 0 {
			t.Errorf("validate %v = %v, want 0", p, got)
		}
	}
}

func TestPeriodsDetectDocExample(t *testing.T) {
	ps := detectPeriods(docPeriodSeries, 0, 50, 2)
	if len(ps) != 1 || ps[0].p != 14 || round2(ps[0].score) != 0.84 {
		t.Fatalf("detect = %+v, want only 14 scoring 0.84", ps)
	}
}

func TestPeriodsDetectSeasonalDocExamples(t *testing.T) {
	// series_seasonal() detects with threshold 0.7.
	for _, c := range []struct {
		x    []float64
		want int
	}{
		{[]float64{2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1}, 6},
		{[]float64{8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10}, 5},
		{[]float64{1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6}, 0},
	} {
		if got := bestPeriod(c.x, 0.7); got != c.want {
			t.Errorf("bestPeriod(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

func TestPeriodScoreEdges(t *testing.T) {
	flat := []float64{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}
	if got := periodScore(flat, 4); got != 0 {
		t.Errorf("flat series scores %v, want 0", got)
	}
	// A perfect repetition scores 1, missing points left out.
	x := []float64{1, 5, 2, 8, 1, 5, 2, 8, 1, math.NaN(), 2, 8}
	if got := periodScore(x, 4); got != 1 {
		t.Errorf("repeating series scores %v, want 1", got)
	}
	// Of a period and its multiples the base is kept.
	var y []float64
	for range 6 {
		y = append(y, 1, 5, 2, 8, 3)
	}
	ps := detectPeriods(y, 0, 30, 3)
	if len(ps) != 1 || ps[0].p != 5 || ps[0].score != 1 {
		t.Errorf("detect = %+v, want only 5", ps)
	}
}

// series_periods_detect(x, 0, 10, 1e12) (a FuzzQuery seed) and
// series_seasonal(x, 1e12) allocated by the argument, not the series.
func TestSeriesHugeArguments(t *testing.T) {
	x := []float64{1, 2, 3}
	if got := seasonal(x, math.MaxInt32, len(x)); len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Errorf("seasonal with a huge period = %v, want the series", got)
	}
	for _, c := range []struct {
		v    float64
		want int
	}{{math.NaN(), -1}, {math.Inf(-1), -1}, {-5, -1}, {2.7, 2}, {1e300, math.MaxInt32}, {math.Inf(1), math.MaxInt32}} {
		if got := clampInt(c.v, -1, math.MaxInt32); got != c.want {
			t.Errorf("clampInt(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}
