package main

import (
	"fmt"
	"regexp"
	"strings"

	"hunt/catalog"
	"hunt/kql/types"
)

// benchCase is one query measured on both engines. The KQL and the SQL
// must return the same rows; the bench compares them on every run.
type benchCase struct {
	name  string
	title string
	table string
	// rule is a Sentinel rule file run with `hunt run`; otherwise kql is
	// run with `hunt query`.
	rule string
	kql  string
	// cols are the result columns compared, sets those among them whose
	// value is a set (make_set), compared without order.
	cols []string
	sets []string
	// read is what the SQL reads of the table: top-level columns and
	// fields of dynamic columns (exposed to the SQL as Raw_<field>).
	read []string
	raw  []rawField
	// sql is the query over src, a relation with the columns of read.
	sql func(src string) string
}

// The flagship rule's lists, as the rule spells them.
var (
	sourceDomains  = []string{"github", "visualstudio", "gitlab", "bitbucket", "osdn"}
	excludeTargets = []string{"office.net", "visualstudio", "github", "gitlab", "azure", "dynamics", "teams", "sharepoint"}
)

func benchCases(rulePath string) []*benchCase {
	lookback := genNow.Add(-genSpan).Format("2006-01-02 15:04:05+00")
	return []*benchCase{
		{
			name:  "flagship",
			title: "Code Repo Exfiltration rule, verbatim (CloudAppEvents)",
			table: "CloudAppEvents",
			rule:  rulePath,
			cols:  []string{"AccountObjectId", "AccountDisplayName", "uploadedFiles", "files"},
			sets:  []string{"files"},
			read:  []string{"Timestamp", "ApplicationId", "ActionType", "AccountObjectId", "AccountDisplayName", "RawEventData"},
			raw: []rawField{{"RawEventData", "FileExtension"}, {"RawEventData", "OriginatingDomain"},
				{"RawEventData", "TargetDomain"}, {"RawEventData", "ObjectId"}},
			// The rule's dynamic fields are null when absent: =~ and has_any
			// on null are false, so not(target has_any ...) is true for a
			// missing TargetDomain, and tostring(null) is "" before
			// parse_path takes the file name after the last / or \.
			sql: func(src string) string {
				return fmt.Sprintf(`SELECT AccountObjectId, AccountDisplayName,
       count(DISTINCT file) AS uploadedFiles, list(DISTINCT file)[1:128] AS files
FROM (
  SELECT AccountObjectId, AccountDisplayName,
         regexp_extract(coalesce(Raw_ObjectId, ''), '[^/\\]*$') AS file
  FROM %s
  WHERE "Timestamp" > TIMESTAMPTZ '%s'
    AND ApplicationId = 11161
    AND lower(ActionType) = 'fileuploadedtocloud'
    AND lower(Raw_FileExtension) = 'zip'
    AND coalesce(regexp_matches(Raw_OriginatingDomain, %s), false)
    AND NOT coalesce(regexp_matches(Raw_TargetDomain, %s), false)
)
GROUP BY AccountObjectId, AccountDisplayName
HAVING count(DISTINCT file) > 10`, src, lookback, sqlString(hasAnyRegex(sourceDomains...)), sqlString(hasAnyRegex(excludeTargets...)))
			},
		},
		{
			name:  "join",
			title: "uploads joined to per-account activity (CloudAppEvents)",
			table: "CloudAppEvents",
			kql: `CloudAppEvents
| where ActionType == "FileUploadedToCloud"
| project AccountObjectId, ObjectName
| join kind=inner (
    CloudAppEvents
    | summarize Events = count(), Actions = dcount(ActionType) by AccountObjectId
  ) on AccountObjectId
| summarize Uploads = count(), Files = dcount(ObjectName) by AccountObjectId, Events, Actions`,
			cols: []string{"AccountObjectId", "Events", "Actions", "Uploads", "Files"},
			read: []string{"AccountObjectId", "ActionType", "ObjectName"},
			sql: func(src string) string {
				return fmt.Sprintf(`WITH u AS (SELECT AccountObjectId, ObjectName FROM %[1]s WHERE ActionType = 'FileUploadedToCloud'),
a AS (SELECT AccountObjectId, count(*) AS Events, count(DISTINCT ActionType) AS Actions FROM %[1]s GROUP BY AccountObjectId)
SELECT u.AccountObjectId, a.Events, a.Actions, count(*) AS Uploads, count(DISTINCT u.ObjectName) AS Files
FROM u JOIN a ON u.AccountObjectId = a.AccountObjectId
GROUP BY u.AccountObjectId, a.Events, a.Actions`, src)
			},
		},
		{
			name:  "summarize",
			title: "wide summarize: count/dcount by four keys (CloudAppEvents)",
			table: "CloudAppEvents",
			kql: `CloudAppEvents
| summarize Events = count(), Objects = dcount(ObjectName), IPs = dcount(IPAddress),
    Hours = dcount(bin(Timestamp, 1h)), Admin = countif(IsAdminOperation)
    by AccountObjectId, Application, ActionType, ObjectType`,
			cols: []string{"AccountObjectId", "Application", "ActionType", "ObjectType", "Events", "Objects", "IPs", "Hours", "Admin"},
			read: []string{"AccountObjectId", "Application", "ActionType", "ObjectType", "ObjectName", "IPAddress", "Timestamp", "IsAdminOperation"},
			sql: func(src string) string {
				return fmt.Sprintf(`SELECT AccountObjectId, Application, ActionType, ObjectType,
       count(*) AS Events, count(DISTINCT ObjectName) AS Objects, count(DISTINCT IPAddress) AS IPs,
       count(DISTINCT date_trunc('hour', "Timestamp")) AS Hours, count(*) FILTER (WHERE IsAdminOperation) AS Admin
FROM %s
GROUP BY AccountObjectId, Application, ActionType, ObjectType`, src)
			},
		},
		{
			name:  "has",
			title: "has-heavy filter (DeviceProcessEvents)",
			table: "DeviceProcessEvents",
			kql: `DeviceProcessEvents
| where ProcessCommandLine has_any ("whoami", "enc", "sync", "push")
    or InitiatingProcessCommandLine has_any ("powershell", "whoami")
| where FileName has_any ("powershell", "cmd", "git", "aws", "rsync")
| where not(FolderPath has "temp")
| summarize Events = count() by FileName, ProcessCommandLine, InitiatingProcessFileName`,
			cols: []string{"FileName", "ProcessCommandLine", "InitiatingProcessFileName", "Events"},
			read: []string{"FileName", "ProcessCommandLine", "InitiatingProcessCommandLine", "InitiatingProcessFileName", "FolderPath"},
			sql: func(src string) string {
				return fmt.Sprintf(`SELECT FileName, ProcessCommandLine, InitiatingProcessFileName, count(*) AS Events
FROM %s
WHERE (regexp_matches(ProcessCommandLine, %s) OR regexp_matches(InitiatingProcessCommandLine, %s))
  AND regexp_matches(FileName, %s)
  AND NOT regexp_matches(FolderPath, %s)
GROUP BY FileName, ProcessCommandLine, InitiatingProcessFileName`, src,
					sqlString(hasAnyRegex("whoami", "enc", "sync", "push")), sqlString(hasAnyRegex("powershell", "whoami")),
					sqlString(hasAnyRegex("powershell", "cmd", "git", "aws", "rsync")), sqlString(hasAnyRegex("temp")))
			},
		},
	}
}

// hasAnyRegex is an RE2 pattern true where any needle occurs as KQL's
// has finds it (docs/semantics.md): case-insensitively, at term
// boundaries, a term being a maximal run of Unicode letters and digits;
// a needle with punctuation is matched literally between boundaries
// ("outlook.office.net" has "office.net", "myoffice.net" does not).
func hasAnyRegex(needles ...string) string {
	q := make([]string, len(needles))
	for i, n := range needles {
		q[i] = regexp.QuoteMeta(n)
	}
	return `(?i)(?:^|[^\p{L}\p{Nd}])(?:` + strings.Join(q, "|") + `)(?:$|[^\p{L}\p{Nd}])`
}

// relation is the SQL relation holding what c reads of its table in
// format: strings are coalesced to "" because KQL strings have no null,
// and dynamic fields become Raw_<field> text columns (null when absent).
//
// JSON is read with read_ndjson_objects and one json_extract_string of
// all the paths per record: of the formulations tried, the fastest by
// far (read_json with a STRUCT of the columns took three times the CPU
// over hourly files, and a json_extract_string per column parses each
// record once per column).
func (c *benchCase) relation(d *dataset, format string) string {
	schema, _ := catalog.Lookup(c.table)
	files := d.Files[format][c.table]
	var sel, paths []string
	for _, name := range c.read {
		col := schema[schema.Index(name)]
		if col.Type == types.Dynamic {
			continue
		}
		var expr string
		if format == "parquet" {
			expr = sqlIdent(name)
		} else {
			paths = append(paths, sqlString("$.properties."+name))
			expr = fmt.Sprintf("v[%d]", len(paths))
			if t := duckType(col.Type); t != "VARCHAR" {
				expr += "::" + t
			}
		}
		if col.Type == types.String {
			expr = "coalesce(" + expr + ", '')"
		}
		sel = append(sel, expr+" AS "+sqlIdent(name))
	}
	for _, r := range c.raw {
		var expr string
		if format == "parquet" {
			expr = fmt.Sprintf("json_extract_string(%s, %s)", sqlIdent(r.column), sqlString("$."+r.field))
		} else {
			paths = append(paths, sqlString("$.properties."+r.column+"."+r.field))
			expr = fmt.Sprintf("v[%d]", len(paths))
		}
		sel = append(sel, expr+" AS "+sqlIdent("Raw_"+r.field))
	}
	if format == "parquet" {
		return fmt.Sprintf("(SELECT %s FROM read_parquet(%s))", strings.Join(sel, ", "), sqlList(files))
	}
	comp := "uncompressed"
	if format == "gzip" {
		comp = "gzip"
	}
	return fmt.Sprintf("(SELECT %s FROM (SELECT json_extract_string(json, [%s]) AS v FROM read_ndjson_objects(%s, compression='%s')))",
		strings.Join(sel, ", "), strings.Join(paths, ", "), sqlList(files), comp)
}
