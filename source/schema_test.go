package source

import (
	"path/filepath"
	"strings"
	"testing"

	"hunt/catalog"
	"hunt/engine/vec"
	"hunt/kql/types"
)

func schemaString(s vec.Schema) []string {
	var out []string
	for _, c := range s {
		out = append(out, c.Name+":"+c.Type.String())
	}
	return out
}

func TestResolveType(t *testing.T) {
	cases := []struct {
		flags uint16
		want  types.Type
	}{
		{fStr, types.String},
		{fDate, types.DateTime},
		{fDate | fEmpty | fNull, types.DateTime},
		{fDate | fStr, types.String},
		{fEmpty, types.String},
		{fInt, types.Long},
		{fInt | fNull, types.Long},
		{fInt | fReal, types.Real},
		{fReal, types.Real},
		{fBool, types.Bool},
		{fNested, types.Dynamic},
		{fBool | fInt, types.Dynamic},
		{fNested | fInt, types.Dynamic},
		{fStr | fInt, types.String},
		{fDate | fNested, types.String},
		{fNull, types.String},
		{0, types.String},
		{fText | fBool | fInt, types.String},
		{fText | fInt | fReal, types.Real},
		{fText, types.String},
	}
	for _, c := range cases {
		if got := resolveType(c.flags); got != c.want {
			t.Errorf("resolveType(%b) = %v, want %v", c.flags, got, c.want)
		}
	}
}

func TestInferSchema(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string // relative path -> content; read in path order
		table string
		want  string
	}{
		{
			name: "json kinds",
			files: map[string]string{"MyTable_CL.jsonl": strings.Join([]string{
				`{"S":"a","D":"2026-01-01T00:00:00Z","DD":"2026-01-01","L":1,"R":1,"B":true,"O":{"a":1},"A":[1],"M":true,"SM":"x","N":null,"E":"","X":{}}`,
				`{"S":"b","D":"2026-01-02 10:00:00.5","DD":"2026-01-02","L":-2,"R":2.5,"B":false,"O":null,"A":[],"M":3,"SM":4,"N":null,"E":"2026-01-01T10:00:00Z","X":[],"Late":"z"}`,
				`not json, ignored`,
				`{"L":null,"D":null}`,
			}, "\n")},
			table: "MyTable_CL",
			want:  "S:string D:datetime DD:string L:long R:real B:bool O:dynamic A:dynamic M:dynamic SM:string N:string E:datetime X:dynamic Late:string",
		},
		{
			name: "first-seen order across files",
			files: map[string]string{
				"Custom/part-1.jsonl": `{"B":1,"A":"x"}`,
				"Custom/part-2.jsonl": `{"C":1.5,"A":"y","B":2.5}`,
			},
			table: "part-1", // (non-catalog folder: files are named by their own names)
			want:  "B:long A:string",
		},
		{
			name: "csv kinds",
			files: map[string]string{"Csv_CL.csv": "I,R,B,D,J,S,Mix,Empty\n" +
				"1,1.5,true,2026-01-01T00:00:00Z,\"{\"\"a\"\":1}\",x,1,\n" +
				"-2,2,FALSE,2026-01-02T00:00:00Z,[1],y,true,\n" +
				"3,NaNx,true,,[],z,1,\n"},
			table: "Csv_CL",
			want:  "I:long R:string B:bool D:datetime J:dynamic S:string Mix:string Empty:string",
		},
		{
			name: "catalog columns first, extras after",
			files: map[string]string{"CloudAppEvents.jsonl": `{"ActionType":"A","ApplicationId":"not a number","NewThing":5,"ISP":"x"}` + "\n" +
				`{"Timestamp":"2026-01-01T00:00:00Z","Other":{"a":1}}`},
			table: "CloudAppEvents",
			want:  "+NewThing:long Other:dynamic",
		},
		{
			name: "envelope properties only, own category only",
			files: map[string]string{"x.json": envLine("AdvancedHunting-CloudAppEvents", `{"ActionType":"A","Extra1":"2026-01-01T00:00:00Z"}`) + "\n" +
				envLine("AdvancedHunting-DeviceEvents", `{"Extra2":1}`) + "\n"},
			table: "CloudAppEvents",
			want:  "+Extra1:datetime",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, data := range c.files {
				writeFile(t, filepath.Join(dir, p), []byte(data))
			}
			set, err := Discover(Options{Paths: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			tb, ok := set.Table(c.table)
			if !ok {
				t.Fatalf("no table %s in %v", c.table, set.Names())
			}
			s, err := tb.Schema()
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if strings.HasPrefix(want, "+") {
				base, _ := catalog.Lookup(c.table)
				want = strings.Join(schemaString(base), " ") + " " + want[1:]
			}
			diffRows(t, "schema", schemaString(s), strings.Fields(want))
		})
	}
}

// TestSchemaRead reads back values through an inferred schema: N and Obj
// mix strings with other kinds, so they are strings.
func TestSchemaRead(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Inv_CL.jsonl"), []byte(
		`{"When":"2026-01-01T00:00:00Z","N":1,"R":1,"Obj":{"k":"v"}}`+"\n"+
			`{"When":"2026-01-02T00:00:00Z","N":"7","R":2.5,"Obj":"{\"k\":\"w\"}"}`+"\n"))
	set, err := Discover(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := set.Table("Inv_CL")
	s, _ := tb.Schema()
	r, err := tb.Open(ScanSpec{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, "rows", drain(t, r, s), []string{
		`When=2026-01-01T00:00:00.0000000Z N="1" R=r:1 Obj="{\"k\":\"v\"}"`,
		`When=2026-01-02T00:00:00.0000000Z N="7" R=r:2.5 Obj="{\"k\":\"w\"}"`,
	})
}
