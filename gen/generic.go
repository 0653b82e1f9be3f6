package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"hunt/engine/vec"
	"hunt/kql/types"
)

// columnKind is what a generic column holds, decided once per column from
// its type and name.
type columnKind uint8

const (
	kindEventTime columnKind = iota
	kindOtherTime
	kindBool
	kindPort
	kindInt
	kindReal
	kindTimespan
	kindGuid
	kindDynamic
	kindSHA256
	kindSHA1
	kindMD5
	kindIP
	kindUPN
	kindAccountName
	kindDisplayName
	kindID
	kindDevice
	kindFileName
	kindCommandLine
	kindURL
	kindActionType
	kindText
)

func kindOf(c vec.Column) columnKind {
	n := strings.ToLower(c.Name)
	switch c.Type {
	case types.DateTime:
		if n == "timestamp" || n == "timegenerated" {
			return kindEventTime
		}
		return kindOtherTime
	case types.Bool:
		return kindBool
	case types.Int, types.Long:
		if strings.Contains(n, "port") {
			return kindPort
		}
		return kindInt
	case types.Real, types.Decimal:
		return kindReal
	case types.Timespan:
		return kindTimespan
	case types.Guid:
		return kindGuid
	case types.Dynamic:
		return kindDynamic
	}
	switch {
	case strings.Contains(n, "sha256"):
		return kindSHA256
	case strings.Contains(n, "sha1"):
		return kindSHA1
	case strings.Contains(n, "md5"):
		return kindMD5
	case strings.Contains(n, "ipaddress") || n == "ip" || strings.HasSuffix(n, "ip"):
		return kindIP
	case strings.Contains(n, "upn") || strings.Contains(n, "userprincipalname"):
		return kindUPN
	case strings.Contains(n, "accountname"):
		return kindAccountName
	case strings.Contains(n, "displayname"):
		return kindDisplayName
	case strings.Contains(n, "objectid") || strings.HasSuffix(n, "id"):
		return kindID
	case strings.Contains(n, "devicename") || strings.Contains(n, "computer"):
		return kindDevice
	case strings.Contains(n, "filename"):
		return kindFileName
	case strings.Contains(n, "commandline"):
		return kindCommandLine
	case strings.Contains(n, "url") || strings.Contains(n, "domain"):
		return kindURL
	case n == "actiontype":
		return kindActionType
	}
	return kindText
}

var (
	genericFiles    = []string{"powershell.exe", "cmd.exe", "svchost.exe", "chrome.exe", "git.exe", "rsync", "aws.exe"}
	genericCommands = []string{"git push origin main", "powershell -enc SQBFAFgA", "aws s3 sync ./repo s3://backups", "rsync -a repo/ host:/srv", "cmd /c whoami"}
	genericURLs     = []string{"github.com", "contoso.sharepoint.com", "login.microsoftonline.com", "example.org"}
	genericActions  = []string{"ProcessCreated", "ConnectionSuccess", "FileCreated", "LogonSuccess"}
	genericPorts    = []int64{443, 80, 22, 3389, 445, 53}
)

// genericRows fills any catalog table with values that fit each column's
// type and, where the name tells, its meaning (names, IPs, hashes). The
// row map is reused: encoders consume a row before the next is made.
func genericRows(rng *rand.Rand, opt Options, s vec.Schema, emit func(Row) error) error {
	people := makePeople(rng, max(10, min(2000, opt.Events/50)))
	kinds := make([]columnKind, len(s))
	texts := make([][]string, len(s))
	for i, c := range s {
		kinds[i] = kindOf(c)
		if kinds[i] == kindText {
			// Precomputed "Column-N" values spare a format per cell.
			texts[i] = make([]string, 100)
			for k := range texts[i] {
				texts[i][k] = c.Name + "-" + strconv.Itoa(k)
			}
		}
	}
	start := opt.Now.Add(-opt.Span)
	step := opt.Span / time.Duration(opt.Events+1)
	r := make(Row, len(s))
	for i := 0; i < opt.Events; i++ {
		ts := start.Add(time.Duration(i+1) * step)
		p := &people[rng.IntN(len(people))]
		for c, col := range s {
			r[col.Name] = genericValue(rng, kinds[c], texts[c], ts, p)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func genericValue(rng *rand.Rand, k columnKind, texts []string, ts time.Time, p *person) any {
	switch k {
	case kindEventTime:
		return ts
	case kindOtherTime:
		return ts.Add(-time.Duration(rng.IntN(3600)) * time.Second)
	case kindBool:
		return rng.IntN(4) == 0
	case kindPort:
		return genericPorts[rng.IntN(len(genericPorts))]
	case kindInt:
		return int64(rng.IntN(10000))
	case kindReal:
		return float64(rng.IntN(100000)) / 100
	case kindTimespan:
		return types.FormatTimespan(int64(rng.IntN(3600)) * types.TicksPerSecond)
	case kindGuid, kindID:
		return guid(rng)
	case kindDynamic:
		b := types.NewBag(2)
		b.Set("Value", int64(rng.IntN(100)))
		b.Set("Source", "generated")
		return b
	case kindSHA256:
		return fastHex(rng, 64)
	case kindSHA1:
		return fastHex(rng, 40)
	case kindMD5:
		return fastHex(rng, 32)
	case kindIP:
		return p.ip
	case kindUPN:
		return p.upn
	case kindAccountName:
		return p.accountName()
	case kindDisplayName:
		return p.name
	case kindDevice:
		return p.device
	case kindFileName:
		return genericFiles[rng.IntN(len(genericFiles))]
	case kindCommandLine:
		return genericCommands[rng.IntN(len(genericCommands))]
	case kindURL:
		return genericURLs[rng.IntN(len(genericURLs))]
	case kindActionType:
		return genericActions[rng.IntN(len(genericActions))]
	}
	return texts[rng.IntN(len(texts))]
}

// fastHex returns n random hex digits, 16 per random draw.
func fastHex(rng *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	var x uint64
	for i := range b {
		if i%16 == 0 {
			x = rng.Uint64()
		}
		b[i] = hex[x&15]
		x >>= 4
	}
	return string(b)
}
