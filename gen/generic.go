package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// genericRows fills any catalog table with values that fit each column's
// type and, where the name tells, its meaning (names, IPs, hashes).
func genericRows(rng *rand.Rand, opt Options, s vec.Schema, emit func(Row) error) error {
	people := makePeople(rng, max(10, min(2000, opt.Events/50)))
	start := opt.Now.Add(-opt.Span)
	step := opt.Span / time.Duration(opt.Events+1)
	for i := 0; i < opt.Events; i++ {
		ts := start.Add(time.Duration(i+1) * step)
		p := people[rng.IntN(len(people))]
		r := Row{}
		for _, c := range s {
			r[c.Name] = genericValue(rng, c, ts, p)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func genericValue(rng *rand.Rand, c vec.Column, ts time.Time, p person) any {
	n := strings.ToLower(c.Name)
	switch c.Type {
	case types.DateTime:
		if n == "timestamp" || n == "timegenerated" {
			return ts
		}
		return ts.Add(-time.Duration(rng.IntN(3600)) * time.Second)
	case types.Bool:
		return rng.IntN(4) == 0
	case types.Int, types.Long:
		if strings.Contains(n, "port") {
			return int64([]int{443, 80, 22, 3389, 445, 53}[rng.IntN(6)])
		}
		return int64(rng.IntN(10000))
	case types.Real:
		return float64(rng.IntN(100000)) / 100
	case types.Timespan:
		return types.FormatTimespan(int64(rng.IntN(3600)) * types.TicksPerSecond)
	case types.Guid:
		return guid(rng)
	case types.Dynamic:
		b := types.NewBag(2)
		b.Set("Value", int64(rng.IntN(100)))
		b.Set("Source", "generated")
		return b
	}
	switch {
	case strings.Contains(n, "sha256"):
		return hexString(rng, 64)
	case strings.Contains(n, "sha1"):
		return hexString(rng, 40)
	case strings.Contains(n, "md5"):
		return hexString(rng, 32)
	case strings.Contains(n, "ipaddress") || n == "ip" || strings.HasSuffix(n, "ip"):
		return p.ip
	case strings.Contains(n, "upn") || strings.Contains(n, "userprincipalname"):
		return p.upn
	case strings.Contains(n, "accountname"):
		return strings.SplitN(p.upn, "@", 2)[0]
	case strings.Contains(n, "displayname"):
		return p.name
	case strings.Contains(n, "objectid") || strings.HasSuffix(n, "id"):
		return guid(rng)
	case strings.Contains(n, "devicename") || strings.Contains(n, "computer"):
		return p.device
	case strings.Contains(n, "filename"):
		return []string{"powershell.exe", "cmd.exe", "svchost.exe", "chrome.exe", "git.exe", "rsync", "aws.exe"}[rng.IntN(7)]
	case strings.Contains(n, "commandline"):
		return []string{"git push origin main", "powershell -enc SQBFAFgA", "aws s3 sync ./repo s3://backups", "rsync -a repo/ host:/srv", "cmd /c whoami"}[rng.IntN(5)]
	case strings.Contains(n, "url") || strings.Contains(n, "domain"):
		return []string{"github.com", "contoso.sharepoint.com", "login.microsoftonline.com", "example.org"}[rng.IntN(4)]
	case n == "actiontype":
		return []string{"ProcessCreated", "ConnectionSuccess", "FileCreated", "LogonSuccess"}[rng.IntN(4)]
	}
	return fmt.Sprintf("%s-%d", c.Name, rng.IntN(100))
}
