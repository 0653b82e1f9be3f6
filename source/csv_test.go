package source

import (
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	s := schemaOf("A:string B:long C:dynamic")
	cases := []struct {
		name, data string
		want       []string
		errs       []string
	}{
		{"plain", "A,B,C\nx,1,[1]\n", []string{`A="x" B=1 C=dyn:[1]`}, nil},
		{"crlf and bom", "\xef\xbb\xbfA,B,C\r\nx,1,\r\ny,2,{}\r\n", []string{`A="x" B=1 C=null`, `A="y" B=2 C=dyn:{}`}, nil},
		{"no final newline", "A,B\nx,1", []string{`A="x" B=1 C=null`}, nil},
		{"quoted comma and quotes", "A,B\n\"a,b \"\"q\"\"\",7\n", []string{`A="a,b \"q\"" B=7 C=null`}, nil},
		{"newline in quotes", "A,B\n\"line1\nline2\r\nline3\",1\nz,2\n", []string{`A="line1\nline2\r\nline3" B=1 C=null`, `A="z" B=2 C=null`}, nil},
		{"empty cells", "A,B,C\n,,\n\"\",\"\",\"\"\n", []string{`A="" B=null C=null`, `A="" B=null C=null`}, nil},
		{"dynamic json text", "A,C\nr,\"{\"\"TargetDomain\"\":\"\"x.com\"\",\"\"n\"\":[1,2]}\"\n", []string{`A="r" B=null C=dyn:{"TargetDomain":"x.com","n":[1,2]}`}, nil},
		{"dynamic scalars", "C\n42\nhello\ntrue\n", []string{`A="" B=null C=42`, `A="" B=null C="hello"`, `A="" B=null C=true`}, nil},
		{"bare quote in unquoted cell", "A,B\n12\" monitor,3\n", []string{`A="12\" monitor" B=3 C=null`}, nil},
		{"header spaces and order", " B , A \n5,x\n", []string{`A="x" B=5 C=null`}, nil},
		{"duplicate header keeps first", "A,A\nfirst,second\n", []string{`A="first" B=null C=null`}, nil},
		{"blank lines", "A,B\n\nx,1\n\r\n\ny,2\n", []string{`A="x" B=1 C=null`, `A="y" B=2 C=null`}, nil},
		{"unknown columns ignored", "Z,A\nq,x\n", []string{`A="x" B=null C=null`}, nil},
		{"bad long", "A,B\nx,abc\n", []string{`A="x" B=null C=null`}, nil},
		{"wrong cell count", "A,B\nx,1\nonly\ny,2,extra\nz,3\n", []string{`A="x" B=1 C=null`, `A="z" B=3 C=null`},
			[]string{"mem:3: expected 2 cells as in the header, found 1", "mem:4: expected 2 cells as in the header, found 3"}},
		{"text after closing quote", "A,B\n\"x\"y,1\nz,2\n", []string{`A="z" B=2 C=null`}, []string{"mem:2: unexpected text after a closing quote"}},
		{"line numbers after multi-line cell", "A,B\n\"a\nb\nc\",1\nbad\nz,2\n", []string{`A="a\nb\nc" B=1 C=null`, `A="z" B=2 C=null`},
			[]string{"mem:5: expected 2 cells as in the header, found 1"}},
		{"unclosed quote", "A,B\nx,1\n\"never closed,2\nmore\n", []string{`A="x" B=1 C=null`}, []string{"mem:3: quoted cell is not closed before the end of the file"}},
		{"header only", "A,B,C\n", nil, nil},
		{"empty file", "", nil, nil},
	}
	for _, c := range cases {
		rows, diag := readBytes(t, s, CSV, []byte(c.data))
		diffRows(t, c.name, rows, c.want)
		diffRows(t, c.name+" errors", errorsText(diag), c.errs)
	}
}

func TestCSVTypes(t *testing.T) {
	s := schemaOf("T:datetime G:guid R:real B:bool S:timespan I:int")
	rows, _ := readBytes(t, s, CSV, []byte("T,G,R,B,S,I\n"+
		"2026-01-02T03:04:05.5Z,5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10,1.25,TRUE,01:00:00,7\n"+
		"x,y,NaN,0,z,4000000000\n"))
	diffRows(t, "types", rows, []string{
		`T=2026-01-02T03:04:05.5000000Z G=guid:5f0c2a4e-8b1d-4e63-9a57-2d8c1f3e7a10 R=r:1.25 B=true S=ts:01:00:00 I=7`,
		`T=null G=null R=r:NaN B=false S=null I=null`,
	})
}

func TestCSVLongLine(t *testing.T) {
	defer func(n int) { MaxLineBytes = n }(MaxLineBytes)
	MaxLineBytes = 64
	data := "A,B\nx,1\n" + strings.Repeat("y", 200) + ",2\nz,3\n\"" + strings.Repeat("q", 100) + "\",4\nw,5\n"
	rows, diag := readBytes(t, schemaOf("A:string B:long"), CSV, []byte(data))
	diffRows(t, "rows", rows, []string{`A="x" B=1`, `A="z" B=3`, `A="w" B=5`})
	diffRows(t, "errors", errorsText(diag), []string{"mem:3: line longer than 64 bytes; skipped", "mem:5: line longer than 64 bytes; skipped"})
}
