package source

import "testing"

func BenchmarkSkipRecord(b *testing.B) {
	rec := []byte(benchRecord(7))
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if skipNested(rec, 0) != len(rec) {
			b.Fatal("bad")
		}
	}
}
func BenchmarkLineSplit(b *testing.B) {
	data := benchExport(200)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		n := 0
		for i := 0; i < len(data); {
			j := indexNL(data[i:])
			if j < 0 { break }
			i += j + 1
			n++
		}
	}
}
func indexNL(b []byte) int {
	for i, c := range b { if c == '\n' { return i } }
	return -1
}
