package source

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"

	"github.com/parquet-go/parquet-go/encoding/rle"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// pageWithHeader is a page header followed by body.
func pageWithHeader(t *testing.T, h format.PageHeader, body []byte) []byte {
	t.Helper()
	b, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, body...)
}

func dataPageV1(compressed, uncompressed, values int32) format.PageHeader {
	h := format.PageHeader{Type: format.DataPage, CompressedPageSize: compressed, UncompressedPageSize: uncompressed}
	h.DataPageHeader.Valid = true
	h.DataPageHeader.V = format.DataPageHeader{NumValues: values, Encoding: format.Plain}
	return h
}

// TestParquetPageHeaderBounds: page headers whose sizes or counts their
// bytes cannot hold are rejected before anything is allocated by them,
// by checkChunkPages (for parquet-go's pages) and by pqChunk.
func TestParquetPageHeaderBounds(t *testing.T) {
	body := []byte{4, 0, 0, 0, 'a', 'b', 'c', 'd'}
	snappyBody := []byte{8, 0x1c, 4, 0, 0, 0, 'a', 'b', 'c', 'd'} // length 8, literal of 8
	hugeSnappy := []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 0}         // claims 4 GB
	for _, c := range []struct {
		name  string
		codec format.CompressionCodec
		page  []byte
		rows  int64
		ok    bool
	}{
		{"plain", format.Uncompressed, pageWithHeader(t, dataPageV1(8, 8, 1), body), 1, true},
		{"snappy", format.Snappy, pageWithHeader(t, dataPageV1(10, 8, 1), snappyBody), 1, true},
		{"2 GB decoded", format.Snappy, pageWithHeader(t, dataPageV1(10, 1<<31-1, 1), snappyBody), 1, false},
		{"snappy block claims 4 GB", format.Snappy, pageWithHeader(t, dataPageV1(6, 8, 1), hugeSnappy), 1, false},
		{"page past the chunk", format.Uncompressed, pageWithHeader(t, dataPageV1(1<<30, 1<<30, 1), body), 1, false},
		{"negative size", format.Uncompressed, pageWithHeader(t, dataPageV1(-1, 8, 1), body), 1, false},
		{"more values than rows", format.Uncompressed, pageWithHeader(t, dataPageV1(8, 8, 1<<30), body), 1, false},
		{"negative values", format.Uncompressed, pageWithHeader(t, dataPageV1(8, 8, -5), body), 1, false},
	} {
		md := &format.ColumnMetaData{Type: format.ByteArray, Codec: c.codec, DataPageOffset: 0, TotalCompressedSize: int64(len(c.page))}
		err := checkChunkPages(bytes.NewReader(c.page), int64(len(c.page)), md, 0, c.rows, true)
		if (err == nil) != c.ok {
			t.Errorf("%s: checkChunkPages: %v", c.name, err)
		}
		k := &pqChunk{comp: c.page, codec: c.codec, rowsLeft: c.rows}
		var d pqDirect
		err = k.next(&d)
		if (err == nil) != c.ok {
			t.Errorf("%s: pqChunk: %v", c.name, err)
		}
		if c.ok && (d.rows != 1 || string(d.bytes[d.offs[0]:d.ends[0]]) != "abcd") {
			t.Errorf("%s: pqChunk read %d rows", c.name, d.rows)
		}
		if !c.ok && !errors.Is(err, errPqCorrupt) && !errors.Is(err, errPqChunk) {
			t.Logf("%s: %v", c.name, err)
		}
		k.release()
	}
}

// TestDecodeLevels: the bounded level decoder agrees with parquet-go's
// on valid input, and stops at the count asked for however long a run
// the input states.
func TestDecodeLevels(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, width := range []int{1, 2, 3, 8} {
		enc := rle.Encoding{BitWidth: width}
		for range 200 {
			levels := make([]byte, rng.Intn(300))
			run := byte(0)
			for i := range levels {
				if rng.Intn(8) == 0 {
					run = byte(rng.Intn(1 << width))
				}
				levels[i] = run
				if rng.Intn(3) == 0 {
					levels[i] = byte(rng.Intn(1 << width))
				}
			}
			src, err := enc.EncodeLevels(nil, levels)
			if err != nil {
				t.Fatal(err)
			}
			want, err := enc.DecodeLevels(nil, src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeLevels(nil, src, width, len(levels))
			if err != nil || !bytes.Equal(got, want[:len(levels)]) || !bytes.Equal(got, levels) {
				t.Fatalf("width %d: got %v %v, want %v", width, got, err, levels)
			}
		}
	}
	// A run of 2^31-1 ones in 6 bytes.
	got, err := decodeLevels(nil, []byte{0xfe, 0xff, 0xff, 0xff, 0x0f, 1}, 1, 10)
	if err != nil || len(got) != 10 || cap(got) > 1<<10 {
		t.Fatalf("long run: %d levels (cap %d), %v", len(got), cap(got), err)
	}
}
