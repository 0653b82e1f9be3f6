package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Ordinary endpoint activity. Git here reads from remotes and the AWS CLI
// lists buckets, so the command-line exfiltration hunt must not match it.
var backgroundProcesses = []struct {
	file, folder, cmd, parent string
}{
	{"chrome.exe", `C:\Program Files\Google\Chrome\Application`, `"chrome.exe" --type=renderer --lang=en-US`, "explorer.exe"},
	{"msedge.exe", `C:\Program Files (x86)\Microsoft\Edge\Application`, `"msedge.exe" --profile-directory=Default`, "explorer.exe"},
	{"ms-teams.exe", `C:\Program Files\WindowsApps\MSTeams`, `"ms-teams.exe"`, "explorer.exe"},
	{"OUTLOOK.EXE", `C:\Program Files\Microsoft Office\root\Office16`, `"OUTLOOK.EXE"`, "explorer.exe"},
	{"svchost.exe", `C:\Windows\System32`, `svchost.exe -k netsvcs -p -s Schedule`, "services.exe"},
	{"powershell.exe", `C:\Windows\System32\WindowsPowerShell\v1.0`, `powershell.exe -NoProfile -Command Get-Date`, "explorer.exe"},
	{"Code.exe", `C:\Users\%s\AppData\Local\Programs\Microsoft VS Code`, `"Code.exe" .`, "explorer.exe"},
	{"git.exe", `C:\Program Files\Git\cmd`, `git fetch --prune origin`, "Code.exe"},
	{"git.exe", `C:\Program Files\Git\cmd`, `git pull --rebase origin main`, "Code.exe"},
	{"git.exe", `C:\Program Files\Git\cmd`, `git status --porcelain`, "Code.exe"},
	{"git.exe", `C:\Program Files\Git\cmd`, `git clone https://github.com/contoso/%s.git`, "powershell.exe"},
	{"aws.exe", `C:\Program Files\Amazon\AWSCLIV2`, `aws s3 ls s3://contoso-artifacts/`, "powershell.exe"},
	{"ssh.exe", `C:\Windows\System32\OpenSSH`, `ssh build-agent-07.corp.contoso.com`, "powershell.exe"},
	{"python.exe", `C:\Python312`, `python.exe -m pytest tests`, "powershell.exe"},
}

var backgroundConnections = []struct {
	file, url, ip string
	port          int64
}{
	{"chrome.exe", "www.google.com", "142.250.74.68", 443},
	{"msedge.exe", "login.microsoftonline.com", "20.190.151.68", 443},
	{"ms-teams.exe", "teams.microsoft.com", "52.113.194.132", 443},
	{"OUTLOOK.EXE", "outlook.office365.com", "52.97.146.162", 443},
	{"git.exe", "github.com", "140.82.112.3", 443},
	{"svchost.exe", "settings-win.data.microsoft.com", "20.42.73.29", 443},
	{"Code.exe", "marketplace.visualstudio.com", "13.107.42.18", 443},
	{"aws.exe", "s3.amazonaws.com", "52.216.8.45", 443},
}

// deviceEvents writes DeviceProcessEvents or DeviceNetworkEvents rows:
// ordinary activity on the people's laptops, and the planned command-line
// transfers (see planTransfers), which both tables describe alike.
func deviceEvents(rng *rand.Rand, opt Options, table string, emit func(Row) error) error {
	people := makePeople(rng, max(10, min(2000, opt.Events/50)))
	var plan []transfer
	if opt.Events >= 200 {
		plan = planTransfers(opt)
	}
	start := opt.Now.Add(-opt.Span)
	step := opt.Span / time.Duration(opt.Events+1)
	network := table == "DeviceNetworkEvents"
	k := 0
	for i := 0; i < opt.Events; i++ {
		ts := start.Add(time.Duration(i+1) * step).Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		var r Row
		if k < len(plan) && !plan[k].at.After(ts) {
			t := plan[k]
			k++
			if network {
				r = transferConnection(rng, t)
			} else {
				r = transferProcess(rng, t)
			}
		} else {
			p := people[rng.IntN(len(people))]
			if network {
				r = backgroundConnection(rng, p, ts)
			} else {
				r = backgroundProcess(rng, p, ts)
			}
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func deviceBase(rng *rand.Rand, p person, device, action string, ts time.Time) Row {
	return Row{
		"Timestamp": ts, "TimeGenerated": ts, "DeviceId": deviceID(device), "DeviceName": device,
		"ActionType": action, "ReportId": int64(rng.IntN(1 << 30)), "MachineGroup": "Contoso endpoints",
		"TenantId": "00000000-0000-0000-0000-0000000000aa",
	}
}

func setAccount(r Row, prefix string, p person) {
	r[prefix+"AccountDomain"] = "contoso"
	r[prefix+"AccountName"] = p.accountName()
	r[prefix+"AccountUpn"] = p.upn
	r[prefix+"AccountObjectId"] = p.id
}

func backgroundProcess(rng *rand.Rand, p person, ts time.Time) Row {
	bp := backgroundProcesses[rng.IntN(len(backgroundProcesses))]
	r := deviceBase(rng, p, p.device, "ProcessCreated", ts)
	cmd := bp.cmd
	if strings.Contains(cmd, "%s") {
		cmd = fmt.Sprintf(cmd, repoNames[rng.IntN(len(repoNames))])
	}
	folder := bp.folder
	if strings.Contains(folder, "%s") {
		folder = fmt.Sprintf(folder, p.accountName())
	}
	setAccount(r, "", p)
	setAccount(r, "InitiatingProcess", p)
	r["FileName"] = bp.file
	r["FolderPath"] = folder + `\` + bp.file
	r["ProcessCommandLine"] = cmd
	r["ProcessId"] = int64(1000 + rng.IntN(60000))
	r["ProcessCreationTime"] = ts
	r["ProcessIntegrityLevel"] = "Medium"
	r["ProcessTokenElevation"] = "TokenElevationTypeLimited"
	r["SHA256"] = fastHex(rng, 64)
	r["InitiatingProcessFileName"] = bp.parent
	r["InitiatingProcessId"] = int64(500 + rng.IntN(30000))
	return r
}

func backgroundConnection(rng *rand.Rand, p person, ts time.Time) Row {
	c := backgroundConnections[rng.IntN(len(backgroundConnections))]
	r := deviceBase(rng, p, p.device, "ConnectionSuccess", ts)
	setAccount(r, "InitiatingProcess", p)
	r["InitiatingProcessFileName"] = c.file
	r["InitiatingProcessId"] = int64(1000 + rng.IntN(60000))
	r["RemoteUrl"] = c.url
	r["RemoteIP"] = c.ip
	r["RemotePort"] = c.port
	r["RemoteIPType"] = "Public"
	r["LocalIP"] = p.ip
	r["LocalPort"] = int64(49152 + rng.IntN(16000))
	r["LocalIPType"] = "Private"
	r["Protocol"] = "Tcp"
	return r
}

// transferProcess is the process creation of a planned transfer.
func transferProcess(rng *rand.Rand, t transfer) Row {
	r := deviceBase(rng, t.p, t.device, "ProcessCreated", t.at)
	setAccount(r, "", t.p)
	setAccount(r, "InitiatingProcess", t.p)
	file, folder, parent := t.tool, "/usr/bin/"+t.tool, "bash"
	if !t.linux {
		file, folder, parent = t.tool+".exe", `C:\Program Files\`+t.tool+`\`+t.tool+".exe", "powershell.exe"
	}
	r["FileName"] = file
	r["FolderPath"] = folder
	r["ProcessCommandLine"] = t.cmd
	r["ProcessId"] = t.pid
	r["ProcessCreationTime"] = t.at
	r["ProcessIntegrityLevel"] = "Medium"
	r["SHA256"] = fastHex(rng, 64)
	r["InitiatingProcessFileName"] = parent
	r["InitiatingProcessId"] = t.parentPID
	return r
}

// transferConnection is the first connection of a planned transfer's
// process, two seconds after it started.
func transferConnection(rng *rand.Rand, t transfer) Row {
	r := deviceBase(rng, t.p, t.device, "ConnectionSuccess", t.at.Add(2*time.Second))
	setAccount(r, "InitiatingProcess", t.p)
	file := t.tool
	if !t.linux {
		file += ".exe"
	}
	r["InitiatingProcessFileName"] = file
	r["InitiatingProcessCommandLine"] = t.cmd
	r["InitiatingProcessId"] = t.pid
	r["InitiatingProcessCreationTime"] = t.at
	if t.remoteURL != "" {
		r["RemoteUrl"] = t.remoteURL
	}
	r["RemoteIP"] = t.remoteIP
	r["RemotePort"] = t.remotePort
	r["RemoteIPType"] = "Public"
	r["LocalIP"] = t.p.ip
	r["LocalPort"] = int64(49152 + rng.IntN(16000))
	r["Protocol"] = "Tcp"
	return r
}
