package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"hunt/engine/vec"
	"hunt/kql/plan"
	"hunt/kql/types"
	"hunt/output"
	"hunt/query"
	"hunt/rules"
)

// Alert is one result row of a rule, explained.
type Alert struct {
	ID       string
	Rule     *rules.Rule
	Severity string
	// Result is the whole result and Row this alert's row in it.
	Result *vec.Batch
	Schema vec.Schema
	Row    int
	// Window is the time range the rule looked at; Start is zero when
	// the rule states no period and no lookback could be found.
	WindowStart, WindowEnd int64
	Entities               []Entity
	// Group lists the summarize keys (result columns); empty for row
	// results.
	Group []int
	// Details lists custom details: names and result columns.
	Details []Detail
	// Conds is the threshold the row crossed; Condition its text in the
	// rule ("uploadedFiles > filesThreshold").
	Conds     []Cond
	Condition string
	Evidence  *Evidence
	// EventSchema and EventTime describe Evidence.Events; EventCols are
	// the columns --explain shows.
	EventSchema vec.Schema
	EventTime   int
	EventCols   []int
	// NoEvidence says why Evidence is nil.
	NoEvidence string
}

// Entity is a Sentinel entity: a type and identifiers read from result
// columns.
type Entity struct {
	Type        string
	Identifiers []Detail
}

// Detail names one result column.
type Detail struct {
	Name string
	Col  int
}

// Options configures Build.
type Options struct {
	// Now is the end of the rule's time window.
	Now time.Time
	// Evidence bounds the events kept per alert; 0 means DefaultEvidence.
	Evidence int
}

// Build runs nothing but the evidence query: it turns the rows of result
// (the output of p, whose unpruned plan is root) into alerts.
func Build(r *rules.Rule, p *query.Prepared, root plan.Node, result *vec.Batch, opt Options) ([]*Alert, error) {
	limit := opt.Evidence
	if limit <= 0 {
		limit = DefaultEvidence
	}
	schema := p.Schema()
	sh := Analyze(root)
	ev, err := Gather(p, root, sh, result, limit)
	if err != nil {
		return nil, err
	}
	end := types.FromTime(opt.Now)
	start := int64(0)
	if d, ok := ParsePeriod(r.QueryPeriod); ok {
		start = end - d
	} else if sh.TimeLow != 0 {
		start = sh.TimeLow
	}
	cond := conditionText(r)
	severity := r.Severity
	if severity == "" {
		severity = "Informational"
	}
	showCols := eventColumns(sh, ev.Schema, ev.TimeCol)
	var out []*Alert
	for i := 0; i < result.N; i++ {
		a := &Alert{Rule: r, Severity: severity, Result: result, Schema: schema, Row: i,
			WindowStart: start, WindowEnd: end, Group: sh.KeyCols, Conds: sh.Conds, Condition: cond,
			Evidence: ev.ByRow[i], EventSchema: ev.Schema, EventTime: ev.TimeCol, EventCols: showCols, NoEvidence: ev.Why}
		a.Entities = entities(r, schema, sh)
		a.Details = details(r, schema, sh, a.Entities)
		a.ID = a.id()
		out = append(out, a)
	}
	return out, nil
}

// id hashes the rule id, the entity key and the time window into a
// UUID-shaped id (version 8, RFC 9562's custom version): the same alert
// of the same run window always gets the same id.
func (a *Alert) id() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d", strings.ToLower(a.Rule.ID), a.EntityKey(), a.WindowStart, a.WindowEnd)
	sum := h.Sum(nil)[:16]
	sum[6] = sum[6]&0x0f | 0x80
	sum[8] = sum[8]&0x3f | 0x80
	x := hex.EncodeToString(sum)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// EntityKey identifies what the alert is about: the entities' identifier
// values, else the group key, else the whole row.
func (a *Alert) EntityKey() string {
	var cols []int
	for _, e := range a.Entities {
		for _, id := range e.Identifiers {
			cols = append(cols, id.Col)
		}
	}
	if len(cols) == 0 {
		cols = a.Group
	}
	if len(cols) == 0 {
		cols = identity(len(a.Schema))
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = a.Schema[c].Name + "=" + output.Text(a.Result.Cols[c], a.Row)
	}
	return strings.Join(parts, "\x1f")
}

// Value returns the text of result column c of the alert's row.
func (a *Alert) Value(c int) string { return output.Text(a.Result.Cols[c], a.Row) }

// entities reads entityMappings; without them, the group keys (or the
// result columns) whose names tell an entity (AccountObjectId, DeviceName,
// RemoteIP, ...).
func entities(r *rules.Rule, s vec.Schema, sh *Shape) []Entity {
	var out []Entity
	if len(r.EntityMappings) > 0 {
		for _, m := range r.EntityMappings {
			e := Entity{Type: m.EntityType}
			for _, f := range m.FieldMappings {
				if c := s.Index(f.ColumnName); c >= 0 {
					e.Identifiers = append(e.Identifiers, Detail{Name: f.Identifier, Col: c})
				}
			}
			if len(e.Identifiers) > 0 {
				out = append(out, e)
			}
		}
		return out
	}
	cols := sh.KeyCols
	if sh.Agg == nil {
		cols = identity(len(s))
	}
	byType := map[string]int{}
	for _, c := range cols {
		g, ok := knownColumns[s[c].Name]
		if !ok {
			continue
		}
		i, seen := byType[g.typ]
		if !seen {
			i = len(out)
			byType[g.typ] = i
			out = append(out, Entity{Type: g.typ})
		}
		out[i].Identifiers = append(out[i].Identifiers, Detail{Name: g.id, Col: c})
	}
	return out
}

type entityField struct{ typ, id string }

// knownColumns maps Defender XDR and Sentinel column names to the entity
// identifier they hold.
var knownColumns = map[string]entityField{
	"AccountObjectId":                  {"Account", "AadUserId"},
	"AccountDisplayName":               {"Account", "DisplayName"},
	"AccountName":                      {"Account", "Name"},
	"AccountDomain":                    {"Account", "NTDomain"},
	"AccountSid":                       {"Account", "Sid"},
	"AccountUpn":                       {"Account", "FullName"},
	"UserPrincipalName":                {"Account", "FullName"},
	"InitiatingProcessAccountName":     {"Account", "Name"},
	"InitiatingProcessAccountDomain":   {"Account", "NTDomain"},
	"InitiatingProcessAccountUpn":      {"Account", "FullName"},
	"InitiatingProcessAccountObjectId": {"Account", "AadUserId"},
	"DeviceName":                       {"Host", "FullName"},
	"DeviceId":                         {"Host", "MdatpDeviceId"},
	"Computer":                         {"Host", "FullName"},
	"RemoteIP":                         {"IP", "Address"},
	"IPAddress":                        {"IP", "Address"},
	"RemoteUrl":                        {"URL", "Url"},
	"FileName":                         {"File", "Name"},
	"SHA256":                           {"FileHash", "Value"},
}

// details reads customDetails; without them, every result column that is
// neither a group key nor an entity identifier.
func details(r *rules.Rule, s vec.Schema, sh *Shape, ents []Entity) []Detail {
	var out []Detail
	if len(r.CustomDetails) > 0 {
		for _, k := range sortedKeys(r.CustomDetails) {
			if c := s.Index(r.CustomDetails[k]); c >= 0 {
				out = append(out, Detail{Name: k, Col: c})
			}
		}
		return out
	}
	used := map[int]bool{}
	for _, c := range sh.KeyCols {
		used[c] = true
	}
	for _, e := range ents {
		for _, id := range e.Identifiers {
			used[id.Col] = true
		}
	}
	if sh.Agg == nil && sh.NoEvidence == "" {
		// A row result's columns are the event; the evidence shows it.
		return nil
	}
	for c, col := range s {
		if !used[c] {
			out = append(out, Detail{Name: col.Name, Col: c})
		}
	}
	return out
}

// ParsePeriod reads a Sentinel period: 1d, 5h, 30m, 14d, or ISO 8601
// (PT1H, P1D). It returns ticks.
func ParsePeriod(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.HasPrefix(strings.ToUpper(s), "P") {
		u := strings.ToUpper(s[1:])
		var total int64
		inTime := false
		num := ""
		for _, ch := range u {
			switch {
			case ch == 'T':
				inTime = true
			case ch >= '0' && ch <= '9':
				num += string(ch)
			default:
				var n int64
				if _, err := fmt.Sscanf(num, "%d", &n); err != nil {
					return 0, false
				}
				num = ""
				switch {
				case ch == 'D' && !inTime:
					total += n * types.TicksPerDay
				case ch == 'W' && !inTime:
					total += 7 * n * types.TicksPerDay
				case ch == 'H' && inTime:
					total += n * types.TicksPerHour
				case ch == 'M' && inTime:
					total += n * types.TicksPerMinute
				case ch == 'S' && inTime:
					total += n * types.TicksPerSecond
				default:
					return 0, false
				}
			}
		}
		return total, total > 0 && num == ""
	}
	if t, ok := types.ParseTimespan(s); ok && t > 0 {
		return t, true
	}
	return 0, false
}
