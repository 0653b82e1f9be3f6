package gen

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"hunt/kql/types"
)

// The people of the synthetic tenant.
var firstNames = []string{"Ava", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kavya", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rafael", "Sara", "Tomas", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe"}
var lastNames = []string{"Adams", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kim", "Lopez", "Moreau", "Nowak", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Ulloa", "Varga", "Weber"}

var repoNames = []string{"payments-service", "auth-gateway", "mobile-app", "data-pipeline", "infra-terraform", "web-frontend", "billing-api", "ml-models", "search-indexer", "notification-hub", "ledger-core", "partner-portal", "risk-engine", "crm-sync", "edge-proxy", "design-system", "docs-site", "build-tools", "k8s-manifests", "analytics-jobs"}

var codeOrigins = []string{"codeload.github.com", "github.com", "gitlab.com", "bitbucket.org", "contoso.visualstudio.com", "osdn.net"}
var outsideTargets = []string{"www.mediafire.com", "drive.google.com", "wetransfer.com", "mega.nz", "www.dropbox.com", "pastebin.com"}
var ownTargets = []string{"contoso-my.sharepoint.com", "contoso.sharepoint.com", "teams.microsoft.com", "outlook.office.net"}

type person struct {
	id, name, upn, ip, device string
}

func makePeople(rng *rand.Rand, n int) []person {
	out := make([]person, n)
	for i := range out {
		f := firstNames[rng.IntN(len(firstNames))]
		l := lastNames[rng.IntN(len(lastNames))]
		out[i] = person{
			id:     guid(rng),
			name:   f + " " + l,
			upn:    strings.ToLower(f+"."+l) + fmt.Sprintf("%d@contoso.com", i),
			ip:     fmt.Sprintf("10.%d.%d.%d", rng.IntN(250), rng.IntN(250), 1+rng.IntN(250)),
			device: fmt.Sprintf("LT-%s-%04d.corp.contoso.com", strings.ToUpper(f[:3]), rng.IntN(10000)),
		}
	}
	return out
}

func guid(rng *rand.Rand) string {
	var g types.GuidVal
	for i := range g {
		g[i] = byte(rng.UintN(256))
	}
	g[6] = g[6]&0x0f | 0x40
	g[8] = g[8]&0x3f | 0x80
	return types.FormatGuid(g)
}

func hexString(rng *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hex[rng.IntN(16)]
	}
	return string(b)
}

// exfilPlan is one account that uploads code archives outside.
type exfilPlan struct {
	p       person
	repos   int // distinct archive names
	dupes   int // repeated names (re-uploads)
	origins []string
	targets []string
}

// cloudAppEvents generates opt.Events rows: about 2% of them are the
// uploads of a few exfiltrating accounts (14 and 11 distinct archives,
// which alert, and 10, which sits on the threshold and does not); the rest
// is ordinary activity, including zip uploads to the tenant's own
// SharePoint and non-zip uploads that the rule must ignore. With
// opt.Scenarios the mix adds the five benign activities and more
// exfiltration (see scenarioUploads).
func cloudAppEvents(rng *rand.Rand, opt Options, emit func(Row) error) error {
	people := makePeople(rng, max(20, min(5000, opt.Events/40)))
	plans := []exfilPlan{
		{p: people[0], repos: 14, dupes: 2, origins: codeOrigins[:2], targets: outsideTargets[:2]},
		{p: people[1], repos: 11, dupes: 0, origins: codeOrigins[2:4], targets: outsideTargets[2:3]},
		{p: people[2], repos: 10, dupes: 3, origins: codeOrigins[4:6], targets: outsideTargets[3:5]},
	}
	// Sprinkle the planned uploads over the time range in event order.
	type planned struct {
		at  int
		row Row
	}
	var special []planned
	if opt.Events >= 200 {
		for _, pl := range plans {
			for i := 0; i < pl.repos+pl.dupes; i++ {
				repo := repoNames[i%pl.repos%len(repoNames)]
				if i >= len(repoNames) {
					repo += fmt.Sprintf("-%d", i)
				}
				if i >= pl.repos {
					repo = repoNames[(i-pl.repos)%len(repoNames)]
				}
				at := rng.IntN(opt.Events)
				special = append(special, planned{at, uploadRow(rng, pl.p, repo+"-main.zip", "zip",
					pl.origins[i%len(pl.origins)], pl.targets[i%len(pl.targets)])})
			}
		}
	}
	if opt.Scenarios && opt.Events >= 200 {
		for _, su := range scenarioUploads() {
			at := rng.IntN(opt.Events)
			r := uploadRow(rng, su.p, su.file, su.ext, su.origin, su.target)
			if su.app != "" {
				r["RawEventData"].(*types.Bag).Set("Application", su.app)
			}
			special = append(special, planned{at, r})
		}
	}
	sort.Slice(special, func(i, j int) bool { return special[i].at < special[j].at })
	start := opt.Now.Add(-opt.Span)
	step := opt.Span / time.Duration(opt.Events+1)
	k := 0
	for i := 0; i < opt.Events; i++ {
		var r Row
		if k < len(special) && special[k].at <= i {
			r = special[k].row
			k++
		} else {
			r = backgroundRow(rng, people[rng.IntN(len(people))])
		}
		ts := start.Add(time.Duration(i+1) * step).Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		r["Timestamp"] = ts
		r["TimeGenerated"] = ts
		if raw, ok := r["RawEventData"].(*types.Bag); ok {
			raw.Set("CreationTime", ts.UTC().Format("2006-01-02T15:04:05"))
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	// Planned uploads that queued up behind each other past the last
	// event still belong to the mix (the default mix never has any).
	for ; opt.Scenarios && k < len(special); k++ {
		r := special[k].row
		ts := opt.Now.Add(-time.Second)
		r["Timestamp"] = ts
		r["TimeGenerated"] = ts
		r["RawEventData"].(*types.Bag).Set("CreationTime", ts.UTC().Format("2006-01-02T15:04:05"))
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func baseRow(rng *rand.Rand, p person, app int, appName, action string) Row {
	return Row{
		"ActionType": action, "Application": appName, "ApplicationId": app, "AppInstanceId": 0,
		"AccountObjectId": p.id, "AccountId": p.id, "AccountDisplayName": p.name, "AccountType": "Regular",
		"IsAdminOperation": false, "DeviceType": "Desktop", "OSPlatform": "Windows 11",
		"IPAddress": p.ip, "IsAnonymousProxy": false, "CountryCode": "NL", "City": "Amsterdam", "ISP": "Contoso Networks",
		"UserAgent":    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
		"ActivityType": "Basic", "ReportId": guid(rng), "IsExternalUser": false, "IsImpersonated": false,
		"IPCategory": "Corporate", "AuditSource": "Defender for Cloud Apps app connector",
		"IPTags": []any{}, "UserAgentTags": []any{},
		"ActivityObjects": []any{},
	}
}

// uploadRow is an Endpoint DLP FileUploadedToCloud event seen through
// Defender for Cloud Apps.
func uploadRow(rng *rand.Rand, p person, file, ext, origin, target string) Row {
	r := baseRow(rng, p, 11161, "Microsoft 365", "FileUploadedToCloud")
	raw := types.NewBag(24)
	raw.Set("Id", guid(rng))
	raw.Set("Operation", "FileUploadedToCloud")
	raw.Set("OrganizationId", "00000000-0000-0000-0000-0000000000aa")
	raw.Set("RecordType", int64(63))
	raw.Set("UserKey", p.id)
	raw.Set("UserType", int64(0))
	raw.Set("Version", int64(1))
	raw.Set("Workload", "Endpoint")
	raw.Set("UserId", p.upn)
	raw.Set("ClientIP", p.ip)
	raw.Set("ObjectId", `C:\Users\`+strings.SplitN(p.upn, "@", 2)[0]+`\Downloads\`+file)
	raw.Set("FileExtension", ext)
	raw.Set("FileType", ext)
	raw.Set("FileSize", int64(100_000+rng.IntN(50_000_000)))
	raw.Set("DeviceName", p.device)
	raw.Set("MDATPDeviceId", hexString(rng, 40))
	raw.Set("Platform", int64(1))
	raw.Set("Application", "Microsoft Edge")
	raw.Set("Hidden", false)
	if origin != "" {
		raw.Set("OriginatingDomain", origin)
	}
	if target != "" {
		raw.Set("TargetDomain", target)
	}
	raw.Set("EnforcementMode", int64(1))
	raw.Set("RMSEncrypted", false)
	raw.Set("Sha256", hexString(rng, 64))
	pm := types.NewBag(4)
	pm.Set("PolicyId", "c4a7e2b1-0d9f-4e8a-b6c5-1f2e3d4c5b6a")
	pm.Set("PolicyName", "Source code egress - audit")
	pm.Set("RuleId", "e1d2c3b4-a5f6-4789-8abc-def012345678")
	pm.Set("RuleName", "Archives to unsanctioned domains")
	raw.Set("PolicyMatchInfo", pm)
	r["RawEventData"] = raw
	r["ObjectName"] = file
	r["ObjectType"] = "File"
	return r
}

var backgroundActions = []string{"FileAccessed", "FileDownloaded", "FileModified", "MailItemsAccessed", "FilePreviewed", "Send", "MessageSent", "FileUploaded", "UserLoggedIn", "FileSyncDownloadedFull"}

// backgroundRow is ordinary activity. One in twelve is a DLP upload that
// the rule must not count: a non-zip file, a zip to the tenant's own
// SharePoint, or a zip that did not come from a code host.
func backgroundRow(rng *rand.Rand, p person) Row {
	if rng.IntN(12) == 0 {
		switch rng.IntN(3) {
		case 0:
			return uploadRow(rng, p, fmt.Sprintf("report-%d.pdf", rng.IntN(500)), "pdf", "contoso.sharepoint.com", outsideTargets[rng.IntN(len(outsideTargets))])
		case 1:
			return uploadRow(rng, p, repoNames[rng.IntN(len(repoNames))]+"-main.zip", "zip", codeOrigins[rng.IntN(len(codeOrigins))], ownTargets[rng.IntN(len(ownTargets))])
		default:
			return uploadRow(rng, p, fmt.Sprintf("photos-%d.zip", rng.IntN(300)), "zip", "photos.example.net", outsideTargets[rng.IntN(len(outsideTargets))])
		}
	}
	action := backgroundActions[rng.IntN(len(backgroundActions))]
	app, appName := 11161, "Microsoft 365"
	if rng.IntN(5) == 0 {
		app, appName = 20893, "Microsoft SharePoint Online"
	}
	r := baseRow(rng, p, app, appName, action)
	raw := types.NewBag(12)
	raw.Set("Id", guid(rng))
	raw.Set("Operation", action)
	raw.Set("OrganizationId", "00000000-0000-0000-0000-0000000000aa")
	raw.Set("RecordType", int64(6))
	raw.Set("UserId", p.upn)
	raw.Set("ClientIP", p.ip)
	raw.Set("Workload", "SharePoint")
	raw.Set("ObjectId", fmt.Sprintf("https://contoso.sharepoint.com/sites/team%d/Shared Documents/doc-%d.docx", rng.IntN(40), rng.IntN(2000)))
	raw.Set("SourceFileExtension", "docx")
	raw.Set("SiteUrl", fmt.Sprintf("https://contoso.sharepoint.com/sites/team%d/", rng.IntN(40)))
	r["RawEventData"] = raw
	r["ObjectName"] = fmt.Sprintf("doc-%d.docx", rng.IntN(2000))
	r["ObjectType"] = "File"
	return r
}
