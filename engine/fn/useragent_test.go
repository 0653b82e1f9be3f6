package fn

import (
	"testing"

	"hunt/kql/types"
)

func TestParseUserAgentDocs(t *testing.T) {
	// parse-user-agent-function examples.
	strCheck(t, strJSON(`{"Browser":{"Family":"AdobeAIR","MajorVersion":"2","MinorVersion":"5","Patch":"1"}}`),
		"parse_user_agent", strS("Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1"), strS("browser"))
	strCheck(t, strJSON(`{
		"Browser":{"Family":"Nokia OSS Browser","MajorVersion":"3","MinorVersion":"1","Patch":""},
		"OperatingSystem":{"Family":"Symbian OS","MajorVersion":"9","MinorVersion":"2","Patch":"","PatchMinor":""},
		"Device":{"Family":"Nokia N81","Brand":"Nokia","Model":"N81-3"}}`),
		"parse_user_agent", strS("Mozilla/5.0 (SymbianOS/9.2; U; Series60/3.1 NokiaN81-3/10.0.032 Profile/MIDP-2.0 Configuration/CLDC-1.1 ) AppleWebKit/413 (KHTML, like Gecko) Safari/4"),
		strDyn(`["browser","os","device"]`))
}

func TestParseUserAgent(t *testing.T) {
	cases := []struct {
		ua                   string
		browser, bmaj, bmin  string
		os, omaj, omin       string
		device, brand, model string
	}{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
			"Edge", "120", "0", "Windows", "10", "", "Other", "", ""},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.199 Safari/537.36",
			"Chrome", "119", "0", "Windows", "10", "", "Other", "", ""},
		{"Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
			"IE", "11", "0", "Windows", "7", "", "Other", "", ""},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
			"Safari", "17", "1", "Mac OS X", "10", "15", "Mac", "Apple", "Mac"},
		{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
			"Firefox", "121", "0", "Ubuntu", "", "", "Other", "", ""},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
			"Mobile Safari", "17", "1", "iOS", "17", "1", "iPhone", "Apple", "iPhone"},
		{"Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36",
			"Chrome Mobile", "120", "0", "Android", "13", "", "Samsung SM-S911B", "Samsung", "SM-S911B"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
			"Samsung Internet", "23", "0", "Android", "14", "", "Pixel 7", "Google", "Pixel 7"},
		{"curl/8.4.0", "curl", "8", "4", "Other", "", "", "Other", "", ""},
		{"Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.0",
			"PowerShell", "7", "4", "Windows", "10", "", "Other", "", ""},
		{"python-requests/2.31.0", "Python Requests", "2", "31", "Other", "", "", "Other", "", ""},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			"Googlebot", "2", "1", "Other", "", "", "Spider", "Spider", "Desktop"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
			"Chrome", "120", "0", "Chrome OS", "14541", "0", "Other", "", ""},
		{"", "Other", "", "", "Other", "", "", "Other", "", ""},
	}
	for _, c := range cases {
		got := uaParse(c.ua, 7)
		gb, _ := got.Get("Browser")
		go1, _ := got.Get("OperatingSystem")
		gd, _ := got.Get("Device")
		field := func(x any, k string) string { v, _ := x.(*types.Bag).Get(k); return v.(string) }
		if field(gb, "Family") != c.browser || field(gb, "MajorVersion") != c.bmaj || field(gb, "MinorVersion") != c.bmin {
			t.Errorf("%q: browser %s", c.ua, types.AppendJSON(nil, gb))
		}
		if field(go1, "Family") != c.os || field(go1, "MajorVersion") != c.omaj || field(go1, "MinorVersion") != c.omin {
			t.Errorf("%q: os %s", c.ua, types.AppendJSON(nil, go1))
		}
		if field(gd, "Family") != c.device || field(gd, "Brand") != c.brand || field(gd, "Model") != c.model {
			t.Errorf("%q: device %s", c.ua, types.AppendJSON(nil, gd))
		}
	}
	// look_for in any case, a single target, and bad values.
	strCheck(t, strJSON(`{"OperatingSystem":{"Family":"Android","MajorVersion":"10","MinorVersion":"","Patch":"","PatchMinor":""}}`),
		"parse_user_agent", strS("Mozilla/5.0 (Linux; Android 10; K) Chrome/120.0.0.0 Mobile Safari/537.36"), strS("OS"))
	strErr(t, "look_for", "parse_user_agent", strS("x"), strS("engine"))
	strCheck(t, nil, "parse_user_agent", strNull(types.Dynamic), strS("browser"))
}
