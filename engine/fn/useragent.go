package fn

// parse_user_agent(ua, look_for).
//
// Kusto matches user agents against a large list of patterns it does not
// publish. hunt has its own, smaller rule set, written for the agents
// security logs are full of: desktop and mobile browsers (Edge, Chrome,
// Firefox, Safari, Opera, Internet Explorer, Samsung Internet, ...),
// Office and command-line clients (curl, PowerShell, python-requests, Go,
// Java, okhttp, ...), crawlers, and the operating systems and devices
// they name. The result has the documented shape:
//
//	{"Browser": {"Family", "MajorVersion", "MinorVersion", "Patch"},
//	 "OperatingSystem": {"Family", "MajorVersion", "MinorVersion", "Patch", "PatchMinor"},
//	 "Device": {"Family", "Brand", "Model"}}
//
// with only the parts look_for asks for ("browser", "os", "device", as a
// string or an array of them, in any case), in that order. Fields a rule
// does not find are ""; an agent no rule knows has Family "Other". The
// families follow the names the reference's examples use ("Nokia OSS
// Browser", "Symbian OS", "AdobeAIR", "Mobile Safari", "Mac OS X",
// "Windows" with the marketing version: NT 10.0 is 10, NT 6.1 is 7).
// Agents with rare engines can be named differently from Kusto's.

import (
	"regexp"
	"strings"

	"hunt/engine/vec"
	"hunt/kql/builtins"
	"hunt/kql/types"
)

// uaRule matches one family: re's first three groups are the version
// parts unless family is "$1", in which case group 1 is the family and
// the version follows.
type uaRule struct {
	re     *regexp.Regexp
	family string
}

func uaRules(pairs ...string) []uaRule {
	out := make([]uaRule, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, uaRule{regexp.MustCompile(pairs[i]), pairs[i+1]})
	}
	return out
}

const uaVer = `(\d+)(?:\.(\d+))?(?:\.(\d+))?`

var uaBrowsers = uaRules(
	// Tools and libraries first: they rarely pretend to be a browser.
	`\bcurl/`+uaVer, "curl",
	`\bWget/`+uaVer, "Wget",
	`python-requests/`+uaVer, "Python Requests",
	`Python-urllib/`+uaVer, "Python-urllib",
	`aiohttp/`+uaVer, "aiohttp",
	`Go-http-client/`+uaVer, "Go-http-client",
	`okhttp/`+uaVer, "okhttp",
	`Apache-HttpClient/`+uaVer, "Apache-HttpClient",
	`\bJava/`+uaVer, "Java",
	`(?:Windows)?PowerShell/`+uaVer, "PowerShell",
	`\bnode-fetch/`+uaVer, "node-fetch",
	`axios/`+uaVer, "axios",
	`AdobeAIR/`+uaVer, "AdobeAIR",
	`Microsoft Office(?: [A-Za-z]+)*/`+uaVer, "Microsoft Office",
	`\bOutlook-iOS/`+uaVer, "Outlook-iOS",
	`\bOutlook-Android/`+uaVer, "Outlook-Android",
	`Teams/`+uaVer, "Microsoft Teams",
	// Crawlers.
	`Googlebot/`+uaVer, "Googlebot",
	`bingbot/`+uaVer, "bingbot",
	`\b([A-Za-z]*(?:[Bb]ot|[Ss]pider|[Cc]rawler))/`+uaVer, "$1",
	// Browsers, the more specific first (Edge and Opera also say Chrome,
	// Chrome also says Safari).
	`\bEdgA/`+uaVer, "Edge Mobile",
	`\bEdgiOS/`+uaVer, "Edge Mobile",
	`\bEdge?/`+uaVer, "Edge",
	`\bOPR/`+uaVer, "Opera",
	`\bOpera/.*Version/`+uaVer, "Opera",
	`\bOpera[/ ]`+uaVer, "Opera",
	`SamsungBrowser/`+uaVer, "Samsung Internet",
	`YaBrowser/`+uaVer, "Yandex Browser",
	`Vivaldi/`+uaVer, "Vivaldi",
	`UCBrowser/`+uaVer, "UC Browser",
	`\bFxiOS/`+uaVer, "Firefox iOS",
	`\bCriOS/`+uaVer, "Chrome Mobile iOS",
	`Mobile.*\bFirefox/`+uaVer, "Firefox Mobile",
	`\bFirefox/`+uaVer, "Firefox",
	`; wv\).*\bChrome/`+uaVer, "Chrome Mobile WebView",
	`\bChrome/`+uaVer+`.* Mobile`, "Chrome Mobile",
	`\bHeadlessChrome/`+uaVer, "HeadlessChrome",
	`\bChromium/`+uaVer, "Chromium",
	`\bChrome/`+uaVer, "Chrome",
	`\bMSIE `+uaVer, "IE",
	`Trident/.*\brv:`+uaVer, "IE",
	`Series60/`+uaVer, "Nokia OSS Browser",
	`Android.*Version/`+uaVer+`.*Safari`, "Android",
	`Version/`+uaVer+`.*Mobile.*Safari`, "Mobile Safari",
	`Version/`+uaVer+`.*Safari/`, "Safari",
	`(?:iPhone|iPad|iPod).*AppleWebKit`, "Mobile Safari UI/WKWebView",
)

var uaOSes = uaRules(
	`Windows Phone(?: OS)? `+uaVer, "Windows Phone",
	`(?:iPhone|iPad|iPod|CPU)(?: iPhone)? OS (\d+)(?:_(\d+))?(?:_(\d+))?`, "iOS",
	`CrOS \S+ `+uaVer, "Chrome OS",
	`Mac OS X (\d+)(?:[_.](\d+))?(?:[_.](\d+))?`, "Mac OS X",
	`Android[ /]?`+uaVer, "Android",
	`SymbianOS/`+uaVer, "Symbian OS",
	`Ubuntu(?:/`+uaVer+`)?`, "Ubuntu",
	`Fedora`, "Fedora",
	`Linux`, "Linux",
	`Mac_PowerPC|Macintosh`, "Mac OS",
)

// uaWindows maps "Windows NT x.y" to the marketing version.
var (
	uaWindowsNT = regexp.MustCompile(`Windows NT (\d+\.\d+)`)
	uaWindowsVs = map[string][2]string{
		"10.0": {"10", ""}, "6.3": {"8", "1"}, "6.2": {"8", ""}, "6.1": {"7", ""},
		"6.0": {"Vista", ""}, "5.2": {"XP", ""}, "5.1": {"XP", ""}, "5.0": {"2000", ""},
	}
	uaWindowsAny = regexp.MustCompile(`Windows|Win64|Win32`)

	uaNokia   = regexp.MustCompile(`Nokia([A-Za-z0-9]+)(-[0-9]+)?`)
	uaSamsung = regexp.MustCompile(`\b(SM-[A-Z0-9]+|GT-[A-Z0-9]+|SAMSUNG[- ][A-Z0-9-]+)`)
	uaPixel   = regexp.MustCompile(`\b(Pixel(?: [0-9A-Za-z]+)*?)(?: Build|[;)])`)
	uaAndroid = regexp.MustCompile(`Android[^;)]*;(?: [a-z]{2}[-_][A-Za-z]{2};)? ([^;)]+?)(?: Build/[^;)]*)?\)`)
	uaBot     = regexp.MustCompile(`(?i)bot\b|spider|crawler`)
)

// uaPart is one parsed component.
type uaPart struct{ family, v1, v2, v3, v4 string }

func uaMatch(rules []uaRule, ua string) uaPart {
	for _, r := range rules {
		m := r.re.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		p := uaPart{family: r.family}
		vs := m[1:]
		if r.family == "$1" {
			p.family = m[1]
			vs = m[2:]
		}
		for k, v := range vs {
			switch k {
			case 0:
				p.v1 = v
			case 1:
				p.v2 = v
			case 2:
				p.v3 = v
			}
		}
		return p
	}
	return uaPart{family: "Other"}
}

func uaOS(ua string) uaPart {
	// Windows Phone and Xbox say "Windows" too; phones match first.
	if strings.Contains(ua, "Windows Phone") {
		return uaMatch(uaOSes, ua)
	}
	if m := uaWindowsNT.FindStringSubmatch(ua); m != nil {
		v, ok := uaWindowsVs[m[1]]
		if !ok {
			maj, min, _ := strings.Cut(m[1], ".")
			v = [2]string{maj, min}
		}
		return uaPart{family: "Windows", v1: v[0], v2: v[1]}
	}
	p := uaMatch(uaOSes, ua)
	if p.family == "Other" && uaWindowsAny.MatchString(ua) {
		return uaPart{family: "Windows"}
	}
	return p
}

// uaDevice returns family, brand and model.
func uaDevice(ua string) (string, string, string) {
	switch {
	case strings.Contains(ua, "iPad"):
		return "iPad", "Apple", "iPad"
	case strings.Contains(ua, "iPod"):
		return "iPod", "Apple", "iPod"
	case strings.Contains(ua, "iPhone"):
		return "iPhone", "Apple", "iPhone"
	}
	if m := uaNokia.FindStringSubmatch(ua); m != nil {
		return "Nokia " + m[1], "Nokia", m[1] + m[2]
	}
	if m := uaSamsung.FindStringSubmatch(ua); m != nil {
		model := strings.TrimPrefix(strings.TrimPrefix(m[1], "SAMSUNG-"), "SAMSUNG ")
		return "Samsung " + model, "Samsung", model
	}
	if m := uaPixel.FindStringSubmatch(ua); m != nil {
		return m[1], "Google", m[1]
	}
	if uaBot.MatchString(ua) {
		return "Spider", "Spider", "Desktop"
	}
	if strings.Contains(ua, "Android") {
		if m := uaAndroid.FindStringSubmatch(ua); m != nil && m[1] != "K" && m[1] != "Linux" {
			model := strings.TrimSpace(m[1])
			return model, "Generic_Android", model
		}
		return "Generic Smartphone", "Generic", "Smartphone"
	}
	if strings.Contains(ua, "Macintosh") {
		return "Mac", "Apple", "Mac"
	}
	return "Other", "", ""
}

// uaTargets reads look_for: bit 1 browser, 2 os, 4 device.
func uaTargets(x any) (int, bool) {
	var names []string
	switch v := x.(type) {
	case string:
		names = []string{v}
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return 0, false
			}
			names = append(names, s)
		}
	default:
		return 0, false
	}
	mask := 0
	for _, n := range names {
		switch strings.ToLower(strings.TrimSpace(n)) {
		case "browser":
			mask |= 1
		case "os":
			mask |= 2
		case "device":
			mask |= 4
		default:
			return 0, false
		}
	}
	return mask, mask != 0
}

// uaParse builds the result bag for ua.
func uaParse(ua string, mask int) *types.Bag {
	out := types.NewBag(3)
	if mask&1 != 0 {
		p := uaMatch(uaBrowsers, ua)
		b := types.NewBag(4)
		b.Set("Family", p.family)
		b.Set("MajorVersion", p.v1)
		b.Set("MinorVersion", p.v2)
		b.Set("Patch", p.v3)
		out.Set("Browser", b)
	}
	if mask&2 != 0 {
		p := uaOS(ua)
		b := types.NewBag(5)
		b.Set("Family", p.family)
		b.Set("MajorVersion", p.v1)
		b.Set("MinorVersion", p.v2)
		b.Set("Patch", p.v3)
		b.Set("PatchMinor", p.v4)
		out.Set("OperatingSystem", b)
	}
	if mask&4 != 0 {
		f, br, m := uaDevice(ua)
		b := types.NewBag(3)
		b.Set("Family", f)
		b.Set("Brand", br)
		b.Set("Model", m)
		out.Set("Device", b)
	}
	return out
}

func init() {
	RegisterScalar("parse_user_agent", func(args []builtins.Arg, _ types.Type) (Scalar, error) {
		if args[1].Const {
			if _, ok := uaTargets(args[1].Value); !ok {
				return nil, Errorf(`parse_user_agent(): look_for must be "browser", "os", "device" or an array of them`)
			}
		}
		return strEach(types.Dynamic, func(a []*vec.Vec, i int, out *vec.Vec) error {
			mask, ok := uaTargets(a[1].Get(i))
			if !ok || (a[0].Type != types.String && a[0].IsNull(i)) {
				out.AppendNull()
				return nil
			}
			out.Dyns = append(out.Dyns, uaParse(strText(a[0], i), mask))
			return nil
		}), nil
	})
}
