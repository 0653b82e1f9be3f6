package source

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"hunt/catalog"
	"hunt/engine/exec"
	"hunt/kql/types"
)

var benchActions = []string{"FileUploadedToCloud", "FileDownloaded", "FileAccessed", "MailItemsAccessed", "Update user.", "FileModified"}

// benchRecord is a Storage-account CloudAppEvents envelope of about 3 KB,
// shaped like the streamed record in semantics.md (A.3, B.4).
func benchRecord(i int) string {
	action := benchActions[i%len(benchActions)]
	user := fmt.Sprintf("user%03d@contoso.com", i%250)
	raw := fmt.Sprintf(`{"CreationTime":"2025-05-14T09:%02d:%02d","Id":"5f0c2a4e-8b1d-4e63-9a57-%012x","Operation":%q,`+
		`"OrganizationId":"0a1b2c3d-1111-2222-3333-444455556666","RecordType":63,"UserKey":"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",`+
		`"UserType":0,"Version":1,"Workload":"Endpoint","UserId":%q,"ClientIP":"10.20.%d.%d","Scope":0,`+
		`"ObjectId":"C:\\Users\\u%d\\Downloads\\payments-service-main-%d.zip","FileExtension":"zip","FileType":"zip","FileSize":%d,`+
		`"DeviceName":"LT-%04d.corp.contoso.com","MDATPDeviceId":"3c9f1a7be02d44f5a1c06e8b9d2f7a31c4e5b6d7","Platform":1,`+
		`"Application":"Microsoft Edge","Hidden":false,"SourceLocationType":1,"DestinationLocationType":4,`+
		`"OriginatingDomain":"codeload.github.com","TargetDomain":"www.mediafire.com","EnforcementMode":1,"RMSEncrypted":false,`+
		`"Sha1":"1d2c3b4a5f6e7d8c9b0a1d2c3b4a5f6e7d8c9b0a","Sha256":"8e1f0a3b6c2d4e5f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",`+
		`"PolicyMatchInfo":{"PolicyId":"c4a7e2b1-0d9f-4e8a-b6c5-1f2e3d4c5b6a","PolicyName":"Source code egress - audit",`+
		`"RuleId":"e1d2c3b4-a5f6-4789-8abc-def012345678","RuleName":"Archives to unsanctioned domains"},`+
		`"SensitiveInfoTypeData":[{"SensitiveInfoTypeId":"50842eb7-edc8-4019-85dd-5a5c1f2bb085","SensitiveInfoTypeName":"Credit Card Number","Count":%d,"Confidence":85}],`+
		`"SensitivityLabelEventData":{"SensitivityLabelId":"defa4170-0d19-0005-0004-bc88714345d2"},`+
		`"DlpAuditEventMetadata":{"DlpPolicyMatchId":"%08x-1234-4321-abcd-0123456789ab","EvaluationSource":"Endpoint"}}`,
		i%60, i%60, i, action, user, i%256, (i*7)%256, i, i, 1000+i*37, i%5000, i%9, i)
	props := fmt.Sprintf(`{"Timestamp":"2025-05-14T09:%02d:%02d.%03dZ","ActionType":%q,"Application":"Microsoft 365","ApplicationId":11161,`+
		`"AppInstanceId":0,"AccountObjectId":"%08x-0d9f-4e8a-b6c5-1f2e3d4c5b6a","AccountId":"%08x-0d9f-4e8a-b6c5-1f2e3d4c5b6a",`+
		`"AccountDisplayName":"User %d","IsAdminOperation":false,"DeviceType":"Desktop","OSPlatform":"Windows10",`+
		`"IPAddress":"203.0.%d.%d","IsAnonymousProxy":false,"CountryCode":"US","City":"Redmond","ISP":"Contoso Telecom",`+
		`"UserAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",`+
		`"ActivityType":"Basic","ActivityObjects":[{"Type":"File","Role":"Target object","Name":"payments-service-main.zip","Id":"C:\\Users\\u\\Downloads\\payments-service-main.zip"}],`+
		`"ObjectName":"payments-service-main.zip","ObjectType":"File","ObjectId":"C:\\Users\\u\\Downloads\\payments-service-main.zip",`+
		`"ReportId":"%08x-aaaa-bbbb-cccc-%012x","AccountType":"Regular","IsExternalUser":false,"IsImpersonated":false,`+
		`"IPTags":null,"IPCategory":null,"UserAgentTags":[],"RawEventData":%s,"AdditionalFields":{},`+
		`"LastSeenForUser":{"ISP":0,"Country":0,"DeviceType":-1},"UncommonForUser":[],"AuditSource":"Defender for Cloud Apps access control",`+
		`"SessionData":{},"OAuthAppId":null}`,
		i%60, i%60, i%1000, action, i%250, i%250, i%250, i%256, (i*13)%256, i, i, raw)
	return `{"time":"2025-05-14T09:22:01.1234567Z","tenantId":"0a1b2c3d-1111-2222-3333-444455556666","operationName":"Publish",` +
		`"category":"AdvancedHunting-CloudAppEvents","_TimeReceivedBySvc":"2025-05-14T09:21:59.000Z","properties":` + props + `,"Tenant":"DefaultTenant"}`
}

func benchExport(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(benchRecord(i))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

func benchRead(b *testing.B, cols []string) {
	benchReadSpec(b, ScanSpec{Columns: cols})
}

// benchReadSpec decodes an in-memory export on one goroutine, as each
// worker of a split scan does.
func benchReadSpec(b *testing.B, spec ScanSpec) {
	data := benchExport(2000)
	full, _ := catalog.Lookup("CloudAppEvents")
	cfg, err := newReadConfig("CloudAppEvents", full, spec)
	if err != nil {
		b.Fatal(err)
	}
	f := &File{Path: "mem", Format: DefenderExport, table: "CloudAppEvents", Category: "AdvancedHunting-CloudAppEvents",
		categories: []string{"AdvancedHunting-CloudAppEvents"}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	cpu0 := cpuTime()
	for b.Loop() {
		diag := &Diagnostics{}
		fr := newFileReader(f, fileRange{file: f, end: -1}, bytes.NewReader(data), nopCloser{}, diag)
		rb := cfg.newRowBuilder()
		for {
			done, err := fr.fill(rb, &localCounts{})
			if err != nil {
				b.Fatal(err)
			}
			if rb.full() || (done && rb.n > 0) {
				rows += rb.n
				rb.flush()
			}
			if done {
				break
			}
		}
		fr.close()
		if diag.Skipped() != 0 {
			b.Fatal(diag.Errors())
		}
	}
	reportCPU(b, int64(len(data)), cpu0)
	b.ReportMetric(float64(len(data))/2000, "B/record")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

// reportCPU reports throughput per CPU second: other processes share the
// machine, and CPU time is steadier than the wall clock behind MB/s.
func reportCPU(b *testing.B, bytesPerOp int64, cpu0 time.Duration) {
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

// cpuTime is the CPU time of the process so far (all threads, so the
// garbage collector's work counts).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReadDefenderExport reads a CloudAppEvents export projecting
// the 8 columns of a typical hunting query, RawEventData among them.
func BenchmarkReadDefenderExport(b *testing.B) {
	benchRead(b, []string{"Timestamp", "ActionType", "Application", "ApplicationId", "AccountObjectId", "AccountDisplayName", "IPAddress", "RawEventData"})
}

// BenchmarkReadDefenderExportScalars projects 8 scalar columns, which
// measures the scanner without the dynamic tree builder.
func BenchmarkReadDefenderExportScalars(b *testing.B) {
	benchRead(b, []string{"Timestamp", "ActionType", "Application", "ApplicationId", "AccountObjectId", "AccountDisplayName", "IPAddress", "ReportId"})
}

// BenchmarkSkipRecord measures skipping a whole record unread, the cost
// of every unrequested nested value.
func BenchmarkSkipRecord(b *testing.B) {
	rec := []byte(benchRecord(7))
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if skipNested(rec, 0) != len(rec) {
			b.Fatal("skipNested did not find the end of the record")
		}
	}
}

// flagshipSpec is what the flagship rule (codeRepoExfil.yaml) asks of
// the scan of CloudAppEvents.
func flagshipSpec(paths, filters bool) ScanSpec {
	spec := ScanSpec{Columns: []string{"RawEventData", "AccountDisplayName", "AccountObjectId", "ApplicationId", "ActionType", "Timestamp"}}
	if paths {
		spec.Paths = map[string][]string{"RawEventData": {"FileExtension", "OriginatingDomain", "TargetDomain", "ObjectId"}}
	}
	if filters {
		since, _ := types.ParseDatetime("2025-05-14T00:00:00Z")
		spec.Filters = []Filter{
			{Column: "Timestamp", Op: ">", Value: types.DT(since)},
			{Column: "ApplicationId", Op: "==", Value: int64(11161)},
			{Column: "ActionType", Op: "=~", Value: "FileUploadedToCloud"},
		}
	}
	return spec
}

// BenchmarkReadDefenderExportFlagship reads the flagship rule's columns:
// whole (as before pushdown), with RawEventData cut to the four keys the
// rule reads, and with its filters tested on the raw records as well.
func BenchmarkReadDefenderExportFlagship(b *testing.B) {
	b.Run("whole", func(b *testing.B) { benchReadSpec(b, flagshipSpec(false, false)) })
	b.Run("paths", func(b *testing.B) { benchReadSpec(b, flagshipSpec(true, false)) })
	b.Run("paths+filters", func(b *testing.B) { benchReadSpec(b, flagshipSpec(true, true)) })
}

// benchTable reads a table through Table.Open as a query does: with
// workers > 1 a single reader decodes on that many goroutines; split
// reads the parts of Split(workers) at once instead.
func benchTable(b *testing.B, f *File, spec ScanSpec, rawBytes int64, workers int, split bool) {
	schema, _ := catalog.Lookup("CloudAppEvents")
	if f.Format == Parquet {
		ps, err := parquetSchema(f.Path)
		if err != nil {
			b.Fatal(err)
		}
		schema = ps
	}
	t := &Table{Name: "CloudAppEvents", Files: []*File{f}}
	t.schemaOnce.Do(func() { t.schema = schema })
	b.SetBytes(rawBytes)
	b.ReportAllocs()
	cpu0 := cpuTime()
	rows := int64(0)
	for b.Loop() {
		diag := &Diagnostics{}
		r, err := t.Open(spec, diag)
		if err != nil {
			b.Fatal(err)
		}
		tr := r.(*tableReader)
		tr.workers = workers
		sources := []exec.Source{r}
		if split {
			if sources, err = tr.Split(workers); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
		var wg sync.WaitGroup
		for _, s := range sources {
			wg.Go(func() {
				defer s.Close()
				for {
					batch, err := s.Next()
					if err != nil {
						panic(err)
					}
					if batch == nil {
						return
					}
				}
			})
		}
		wg.Wait()
		if diag.Skipped() != 0 {
			b.Fatal(diag.Errors())
		}
		rows += diag.Scan().Rows
	}
	reportCPU(b, rawBytes, cpu0)
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

func benchExportFile(b *testing.B, n int, gz bool) (*File, int64) {
	data := benchExport(n)
	f := &File{Path: filepath.Join(b.TempDir(), "export.json"), Format: DefenderExport, table: "CloudAppEvents",
		Category: "AdvancedHunting-CloudAppEvents", categories: []string{"AdvancedHunting-CloudAppEvents"}}
	out := data
	if gz {
		f.Compression = Gzip
		out = gzipBytes(b, data)
	}
	writeFile(b, f.Path, out)
	return f, int64(len(data))
}

// BenchmarkReadDefenderExportFiles reads an export file with the flagship
// rule's scan: plain and gzip-compressed, on one goroutine, on all cores
// in one reader (the pipeline), and split into parts (plain only).
func BenchmarkReadDefenderExportFiles(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	spec := flagshipSpec(true, true)
	plain, n := benchExportFile(b, 20000, false)
	gz, _ := benchExportFile(b, 20000, true)
	b.Run("plain/1", func(b *testing.B) { benchTable(b, plain, spec, n, 1, false) })
	b.Run("plain/pipeline", func(b *testing.B) { benchTable(b, plain, spec, n, procs, false) })
	b.Run("plain/split", func(b *testing.B) { benchTable(b, plain, spec, n, procs, true) })
	b.Run("gzip/1", func(b *testing.B) { benchTable(b, gz, spec, n, 1, false) })
	b.Run("gzip/pipeline", func(b *testing.B) { benchTable(b, gz, spec, n, procs, false) })
	b.Run("gzip/whole/1", func(b *testing.B) { benchTable(b, gz, flagshipSpec(false, false), n, 1, false) })
}

// BenchmarkReadParquet reads the flagship rule's columns from Parquet
// (RawEventData as JSON text), whole and with paths and filters.
func BenchmarkReadParquet(b *testing.B) {
	type row struct {
		Timestamp          time.Time `parquet:"Timestamp,timestamp(microsecond)"`
		ActionType         string    `parquet:"ActionType,dict"`
		ApplicationId      int32     `parquet:"ApplicationId"`
		AccountObjectId    string    `parquet:"AccountObjectId,dict"`
		AccountDisplayName string    `parquet:"AccountDisplayName,dict"`
		RawEventData       string    `parquet:"RawEventData"`
	}
	const n = 20000
	rows := make([]row, n)
	jsonBytes := int64(0)
	for i := range rows {
		rec := benchRecord(i)
		jsonBytes += int64(len(rec)) + 2
		raw := rec[strings.Index(rec, `"RawEventData":`)+len(`"RawEventData":`) : strings.Index(rec, `,"AdditionalFields"`)]
		rows[i] = row{
			Timestamp:          time.Date(2025, 5, 14, 9, i%60, i%60, 0, time.UTC),
			ActionType:         benchActions[i%len(benchActions)],
			ApplicationId:      11161,
			AccountObjectId:    fmt.Sprintf("%08x-0d9f-4e8a-b6c5-1f2e3d4c5b6a", i%250),
			AccountDisplayName: fmt.Sprintf("User %d", i%250),
			RawEventData:       raw,
		}
	}
	path := filepath.Join(b.TempDir(), "CloudAppEvents.parquet")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := parquet.NewGenericWriter[row](fh, parquet.MaxRowsPerRowGroup(4096))
	if _, err := w.Write(rows); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	fh.Close()
	f := &File{Path: path, Format: Parquet, table: "CloudAppEvents"}
	// MB/s counts the JSON export the same rows make, for comparison.
	b.Run("whole", func(b *testing.B) { benchTable(b, f, flagshipSpec(false, false), jsonBytes, 1, false) })
	b.Run("paths", func(b *testing.B) { benchTable(b, f, flagshipSpec(true, false), jsonBytes, 1, false) })
	b.Run("paths+filters", func(b *testing.B) { benchTable(b, f, flagshipSpec(true, true), jsonBytes, 1, false) })
}
