package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"Timestamp", "TimeGenerated", "AccountObjectId", "run", "query"}
	cases := map[string]string{
		"Timestmp": "Timestamp", "timestamp": "Timestamp", "AccountObjctId": "AccountObjectId",
		"rnu": "run", "qurey": "query", "xyz": "", "": "",
	}
	for in, want := range cases {
		if got := Closest(in, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance = %d", d)
	}
}
