package source

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

type pqDirectRow struct {
	Plain  *string `parquet:"Plain,optional"`
	Dict   *string `parquet:"Dict,optional,dict"`
	Long   *int64  `parquet:"Long,optional"`
	Int    int32   `parquet:"Int"`
	DictRq string  `parquet:"DictRq,dict"`
	Real   float64 `parquet:"Real"`
}

// TestParquetDirect reads every leaf column of a file with nulls,
// dictionaries and several pages per row group through pqColumn, with
// rows skipped as a failed filter skips them, and checks each value read
// against the one parquet-go's own ValueReader gives for that row.
func TestParquetDirect(t *testing.T) {
	var rows []pqDirectRow
	for i := range 3000 {
		r := pqDirectRow{Int: int32(i * 7), DictRq: fmt.Sprint("k", i%5), Real: float64(i) / 3}
		if i%4 != 0 {
			s := fmt.Sprintf(`{"n":%d}`, i)
			r.Plain = &s
		}
		if i%3 != 1 {
			s := fmt.Sprint("d", i%9)
			r.Dict = &s
		}
		if i%6 != 5 {
			x := int64(i) << 33
			r.Long = &x
		}
		rows = append(rows, r)
	}
	path := filepath.Join(t.TempDir(), "d.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[pqDirectRow](f, parquet.MaxRowsPerRowGroup(1200), parquet.PageBufferSize(512))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	file, pf, err := openParquetFile(path, ioCtx{})
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	direct := 0
	for _, col := range pf.Root().Columns() {
		for gi, g := range pf.RowGroups() {
			// The reference: every value of the chunk, in row order.
			var want []parquet.Value
			pages := g.ColumnChunks()[col.Index()].Pages()
			for {
				p, err := pages.ReadPage()
				if err != nil {
					break
				}
				vals := make([]parquet.Value, p.NumValues())
				n, _ := p.Values().ReadValues(vals)
				for _, v := range vals[:n] {
					want = append(want, v.Clone())
				}
			}
			pages.Close()
			if int64(len(want)) != g.NumRows() {
				t.Fatalf("%s group %d: reference has %d values, want %d", col.Name(), gi, len(want), g.NumRows())
			}

			c := &pqColumn{name: col.Name(), leaf: col.Index(), maxDef: byte(col.MaxDefinitionLevel()),
				buf: make([]parquet.Value, 16), pages: g.ColumnChunks()[col.Index()].Pages()}
			for i, wv := range want {
				if i%3 == 1 || (i/100)%4 == 2 {
					if err := c.skip(); err != nil {
						t.Fatal(err)
					}
					continue
				}
				v, err := c.next()
				if err != nil {
					t.Fatalf("%s row %d: %v", col.Name(), i, err)
				}
				if c.dp.on {
					direct++
				}
				if v.IsNull() != wv.IsNull() || (!v.IsNull() && (v.Kind() != wv.Kind() || !parquet.Equal(v, wv))) {
					t.Fatalf("%s group %d row %d: got %v, want %v", col.Name(), gi, i, v, wv)
				}
			}
			if c.page != nil {
				parquet.Release(c.page)
			}
			c.pages.Close()
		}
	}
	if direct == 0 {
		t.Error("no page was read directly")
	}
}
