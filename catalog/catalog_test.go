package catalog

import (
	"testing"

	"hunt/kql/types"
)

func TestCloudAppEvents(t *testing.T) {
	s, ok := Lookup("CloudAppEvents")
	if !ok {
		t.Fatal("CloudAppEvents missing")
	}
	want := map[string]types.Type{
		"Timestamp": types.DateTime, "TimeGenerated": types.DateTime, "ApplicationId": types.Int,
		"RawEventData": types.Dynamic, "AccountObjectId": types.String, "ISP": types.String, "Isp": types.String,
		"IsAdminOperation": types.Bool,
	}
	for name, typ := range want {
		i := s.Index(name)
		if i < 0 {
			t.Errorf("column %s missing", name)
			continue
		}
		if s[i].Type != typ {
			t.Errorf("%s: type %s, want %s", name, s[i].Type, typ)
		}
	}
	if n, ok := Canonical("cloudappevents"); !ok || n != "CloudAppEvents" {
		t.Errorf("Canonical(cloudappevents) = %q, %v", n, ok)
	}
	if len(Tables()) < 90 {
		t.Errorf("only %d tables", len(Tables()))
	}
}
