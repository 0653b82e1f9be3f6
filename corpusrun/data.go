package corpusrun

import (
	"fmt"
	"time"

	"hunt/catalog"
	"hunt/gen"
)

// DefaultNow is the clock of the generated data and of the runs, so that
// ago() windows cover the generated events.
var DefaultNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// GenerateData writes rows events of every catalog table into dir as
// JSON lines, over the week before now: most hunting queries look back a
// day to a week.
func GenerateData(dir string, rows int, now time.Time) error {
	for i, t := range catalog.Tables() {
		_, err := gen.Generate(gen.Options{
			Table:  t,
			Events: rows,
			Seed:   uint64(i + 1),
			Now:    now,
			Span:   7 * 24 * time.Hour,
			Format: "jsonl",
			Out:    dir,
		})
		if err != nil {
			return fmt.Errorf("generating %s: %w", t, err)
		}
	}
	return nil
}
