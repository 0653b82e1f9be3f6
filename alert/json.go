package alert

import (
	"path/filepath"
	"strconv"

	"hunt/engine/vec"
	"hunt/kql/types"
	"hunt/output"
)

// AppendJSON appends the alert as one JSON object (no newline). Values use
// hunt's JSON encoding (see package output): datetimes with seven fraction
// digits, dynamic values as nested JSON.
func (a *Alert) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = types.AppendJSONString(b, a.ID)
	b = append(b, `,"rule":{"id":`...)
	b = types.AppendJSONString(b, a.Rule.ID)
	b = append(b, `,"name":`...)
	b = types.AppendJSONString(b, a.Rule.Name)
	b = append(b, `,"file":`...)
	b = types.AppendJSONString(b, filepath.ToSlash(a.Rule.Path))
	b = append(b, `},"severity":`...)
	b = types.AppendJSONString(b, a.Severity)
	b = append(b, `,"tactics":`...)
	b = appendStrings(b, a.Rule.Tactics)
	b = append(b, `,"techniques":`...)
	b = appendStrings(b, a.Rule.RelevantTechniques)
	b = append(b, `,"window":{"start":`...)
	if a.WindowStart != 0 {
		b = appendTime(b, a.WindowStart)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"end":`...)
	b = appendTime(b, a.WindowEnd)
	b = append(b, `},"firstEventTime":`...)
	if e := a.Evidence; e != nil && e.HasTime {
		b = appendTime(b, e.First)
		b = append(b, `,"lastEventTime":`...)
		b = appendTime(b, e.Last)
	} else {
		b = append(b, `null,"lastEventTime":null`...)
	}
	b = append(b, `,"entities":[`...)
	for i, e := range a.Entities {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		b = types.AppendJSONString(b, e.Type)
		for _, id := range e.Identifiers {
			b = append(b, ',')
			b = types.AppendJSONString(b, id.Name)
			b = append(b, ':')
			b = output.AppendJSONValue(b, a.Result.Cols[id.Col], a.Row)
		}
		b = append(b, '}')
	}
	b = append(b, `],"group":`...)
	if len(a.Group) > 0 {
		b = a.appendColumns(b, a.Group)
	} else {
		// Row results have no group.
		b = append(b, "null"...)
	}
	b = append(b, `,"threshold":`...)
	b = a.appendThreshold(b)
	b = append(b, `,"customDetails":{`...)
	for i, d := range a.Details {
		if i > 0 {
			b = append(b, ',')
		}
		b = types.AppendJSONString(b, d.Name)
		b = append(b, ':')
		b = output.AppendJSONValue(b, a.Result.Cols[d.Col], a.Row)
	}
	b = append(b, `},"row":`...)
	b = a.appendColumns(b, identity(len(a.Schema)))
	b = append(b, `,"evidence":`...)
	b = a.appendEvidence(b)
	return append(b, '}')
}

func (a *Alert) appendColumns(b []byte, cols []int) []byte {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = types.AppendJSONString(b, a.Schema[c].Name)
		b = append(b, ':')
		b = output.AppendJSONValue(b, a.Result.Cols[c], a.Row)
	}
	return append(b, '}')
}

func (a *Alert) appendThreshold(b []byte) []byte {
	if len(a.Conds) == 0 {
		return append(b, "null"...)
	}
	b = append(b, `{"condition":`...)
	b = types.AppendJSONString(b, a.Condition)
	b = append(b, `,"checks":[`...)
	for i, c := range a.Conds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"column":`...)
		b = types.AppendJSONString(b, c.Name)
		b = append(b, `,"value":`...)
		if c.Col >= 0 {
			b = output.AppendJSONValue(b, a.Result.Cols[c.Col], a.Row)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"op":`...)
		b = types.AppendJSONString(b, c.Op)
		b = append(b, `,"threshold":`...)
		k := vec.Constant(c.Value.T, c.Value.Value)
		b = output.AppendJSONValue(b, k, 0)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func (a *Alert) appendEvidence(b []byte) []byte {
	e := a.Evidence
	if e == nil {
		b = append(b, `{"total":null,"omitted":null,"events":[],"unavailable":`...)
		b = types.AppendJSONString(b, a.NoEvidence)
		return append(b, '}')
	}
	b = append(b, `{"total":`...)
	b = strconv.AppendInt(b, int64(e.Total), 10)
	b = append(b, `,"omitted":`...)
	b = strconv.AppendInt(b, int64(e.Total-e.Events.N), 10)
	b = append(b, `,"events":[`...)
	for i := 0; i < e.Events.N; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for c, col := range a.EventSchema {
			if c > 0 {
				b = append(b, ',')
			}
			b = types.AppendJSONString(b, col.Name)
			b = append(b, ':')
			b = output.AppendJSONValue(b, e.Events.Cols[c], i)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendTime(b []byte, ticks int64) []byte {
	b = append(b, '"')
	b = types.AppendDatetime(b, ticks)
	return append(b, '"')
}

func appendStrings(b []byte, xs []string) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = types.AppendJSONString(b, x)
	}
	return append(b, ']')
}
