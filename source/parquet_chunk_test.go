package source

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/format"
)

type pqChunkRow struct {
	Opt *string `parquet:"Opt,optional,plain"`
	Req string  `parquet:"Req,plain"`
}

// TestParquetChunk reads plain string columns, with and without nulls,
// through pqChunk (data pages v1 and v2, snappy and uncompressed,
// several pages per row group), skipping rows as a failed filter does,
// and checks each value against parquet-go's own reading of the chunk.
func TestParquetChunk(t *testing.T) {
	old := pqChunkMin
	pqChunkMin = 0
	defer func() { pqChunkMin = old }()

	var rows []pqChunkRow
	for i := range 2500 {
		r := pqChunkRow{Req: fmt.Sprintf(`{"i":%d,"pad":"%*s"}`, i, i%37, "")}
		if i%5 != 2 && i%7 != 0 {
			s := fmt.Sprint("v", i*i)
			r.Opt = &s
		}
		rows = append(rows, r)
	}
	for _, tc := range []struct {
		name    string
		version int
		codec   compress.Codec
	}{
		{"v1-snappy", 1, &parquet.Snappy},
		{"v2-snappy", 2, &parquet.Snappy},
		{"v1-plain", 1, &parquet.Uncompressed},
		{"v2-plain", 2, &parquet.Uncompressed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.parquet")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w := parquet.NewGenericWriter[pqChunkRow](f, parquet.MaxRowsPerRowGroup(1000), parquet.PageBufferSize(2048),
				parquet.DataPageVersion(tc.version), parquet.Compression(tc.codec))
			if _, err := w.Write(rows); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			checkPqChunk(t, path)
		})
	}
}

func checkPqChunk(t *testing.T, path string) {
	file, pf, err := openParquetFile(path, ioCtx{})
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, col := range pf.Root().Columns() {
		k := &pqChunk{}
		for gi, g := range pf.RowGroups() {
			var want []parquet.Value
			pages := g.ColumnChunks()[col.Index()].Pages()
			npages := 0
			for {
				p, err := pages.ReadPage()
				if err != nil {
					break
				}
				npages++
				vals := make([]parquet.Value, p.NumValues())
				n, _ := p.Values().ReadValues(vals)
				for _, v := range vals[:n] {
					want = append(want, v.Clone())
				}
			}
			pages.Close()
			if npages < 2 {
				t.Fatalf("%s group %d: %d pages, the test wants several", col.Name(), gi, npages)
			}
			md := &pf.Metadata().RowGroups[gi].Columns[col.Index()].MetaData
			maxDef := byte(col.MaxDefinitionLevel())
			if !pqChunkFits(md, maxDef) {
				t.Fatalf("%s group %d: chunk not read by pqChunk: %+v", col.Name(), gi, *md)
			}
			if err := k.load(pqReaderAt{f: file}, pf.Size(), md, maxDef, g.NumRows()); err != nil {
				t.Fatal(err)
			}
			c := &pqColumn{name: col.Name(), maxDef: maxDef, chunk: k, own: true}
			for i, wv := range want {
				if i%3 == 1 || (i/100)%4 == 2 {
					if err := c.skip(); err != nil {
						t.Fatal(err)
					}
					continue
				}
				v, err := c.next()
				if err != nil {
					t.Fatalf("%s group %d row %d: %v", col.Name(), gi, i, err)
				}
				if v.IsNull() != wv.IsNull() || (!v.IsNull() && string(v.ByteArray()) != string(wv.ByteArray())) {
					t.Fatalf("%s group %d row %d: got %v, want %v", col.Name(), gi, i, v, wv)
				}
			}
		}
		k.release()
	}
}

// TestParquetChunkOutsideFile: a footer that places a chunk past the end
// of the file gets an error, not a map of missing pages (which would
// fault when read).
func TestParquetChunkOutsideFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, make([]byte, 10000), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, md := range []format.ColumnMetaData{
		{TotalCompressedSize: 4096, DataPageOffset: 8192},
		{TotalCompressedSize: 1 << 40, DataPageOffset: 4},
		{TotalCompressedSize: -1, DataPageOffset: 4},
		{TotalCompressedSize: 100, DataPageOffset: -4096},
	} {
		var k pqChunk
		if err := k.load(pqReaderAt{f: f}, 10000, &md, 0, 1); err == nil {
			t.Errorf("chunk %d+%d of a 10000-byte file: no error", md.DataPageOffset, md.TotalCompressedSize)
		}
		k.release()
	}
	var k pqChunk
	md := format.ColumnMetaData{TotalCompressedSize: 5000, DataPageOffset: 5000}
	if err := k.load(pqReaderAt{f: f}, 10000, &md, 0, 1); err != nil || len(k.comp) != 5000 {
		t.Errorf("the file's last 5000 bytes: %d bytes, %v", len(k.comp), err)
	}
	k.release()
}
