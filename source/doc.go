// Package source finds a security team's exported log files, tells which
// table each holds, infers or looks up the table's schema, and decodes the
// files into column batches (vec.Batch) for the executor.
//
// # Input formats
//
// Defender XDR streaming export ("DefenderExport"): JSON lines, one record
// envelope per line, as the Streaming API writes to a Storage account
// (container insights-logs-advancedhunting-<table>, blobs
// tenantId=<guid>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json, CRLF line ends):
//
//	{"time":"…","tenantId":"…","category":"AdvancedHunting-CloudAppEvents","properties":{…columns…}}
//
// The columns are the keys of "properties"; the envelope's own keys (time,
// tenantId, operationName, …) are not columns. Nested values such as
// RawEventData are JSON objects, not strings. "properties" given as a
// string holding an object is read from that string.
//
// Event Hub bodies ("EventHub"): {"records":[envelope, envelope, …]}, one
// or more per file, pretty-printed over many lines or one huge line. A
// file may also hold a bare JSON array of records or pretty-printed record
// objects one after another ("JSONDocument" when the records are flat).
// Such files are read one top-level JSON value at a time; a single value
// larger than MaxDocumentBytes is reported and skipped, so memory stays
// bounded.
//
// Flat JSON lines ("JSONLines"): one object per line whose keys are the
// columns (Log Analytics exports, `hunt` test data, jq output).
//
// CSV ("CSV"): RFC 4180 with a header row naming the columns; a UTF-8 BOM
// is stripped; quoted cells may hold doubled quotes and line breaks; CRLF
// or LF line ends. Dynamic columns hold JSON text. An empty cell is "" in
// a string column and null in any other.
//
// Any of these may be compressed with gzip (.gz) or zstd (.zst); the magic
// bytes decide, so a mislabeled file still reads.
//
// Parquet (".parquet", or the PAR1 magic): columns are matched by name;
// only the requested columns are read. Values convert as JSON values do;
// integer timestamps (milli-, micro-, nanoseconds), INT96 timestamps and
// dates become datetimes, UUIDs guids, and strings holding a JSON object
// or array in a dynamic column are parsed (exports keep RawEventData as
// JSON text). Group and repeated columns become dynamic values. A table
// not in the catalog takes its columns from the files' schemas.
//
// # Which table a file holds
//
// In this order: an explicit --table NAME=PATH binding; the envelope
// "category" found in the first records of the file ("AdvancedHunting-X"
// means table X); the file name before its first dot when it names a
// catalog table, matched case-insensitively ("cloudappevents.csv.gz" is
// CloudAppEvents), or starts with one followed by a separator
// ("CloudAppEvents_2026-11-25.jsonl"; the longest such name wins); the
// nearest enclosing folder named "insights-logs-advancedhunting-<table>"
// (or "am-<table>" naming a catalog table, the Log Analytics data export
// containers); the nearest enclosing folder, up to and including the
// --data folder itself, that names a catalog table
// ("data/CloudAppEvents/part-0001.jsonl"); finally the file name before
// its first dot as written, for tables the catalog does not know.
// Folder names must name a catalog table because a folder called "Event"
// or "Update" above the data is too likely to be a coincidence. The
// catalog's spelling is used for catalog tables, also for --table names.
//
// Discovery reads the first records of every file (64 KiB, or 1 MiB for
// Event Hub documents, decompressed) to tell the format and categories,
// on all cores.
//
// An Event Hub file may mix categories. It is bound to every table whose
// category appears in its first records, and each table's reader skips
// records of the other categories. A record whose category was not seen in
// that sample belongs to no table; the first one per category and file is
// reported through Diagnostics so the loss is visible.
//
// Set.Table matches a table name exactly, and falls back to a
// case-insensitive match when exactly one table matches, because folder
// names and categories are often lower-cased while KQL names are not.
//
// When walking folders, hidden files and folders (and Spark-style "_"
// ones), and files that are clearly not data (README, LICENSE, .md, .txt,
// .yaml, source code, images, …) are ignored; files without a data
// extension are kept only when their content starts like JSON; linked
// files are read but linked folders are not followed. A file named
// explicitly is always read: as JSON when it looks like JSON, else as
// CSV.
//
// # Schema
//
// A catalog table has the catalog's columns, followed by any other column
// seen in a sample of its files (the first SampleRecords records or
// SampleBytes bytes of each), in first-seen order, with inferred types.
// Other tables get only inferred columns. JSON values infer as: string →
// string, or datetime when every non-empty sampled value is an ISO 8601
// datetime with a time part; integral numbers → long; other numbers → real
// (long mixed with real → real); true/false → bool; objects and arrays →
// dynamic; strings mixed with anything → string; other mixes → dynamic;
// only nulls → string. CSV cells infer the same way from their text.
//
// # Values
//
// Each value is converted to its column's type; one that cannot be becomes
// null (a string column gets ""), which is not an error. When a key
// repeats in a record, its last value wins, as in kql/types.ParseJSON. Strings: numbers
// and bools keep their JSON text, objects and arrays become compact JSON.
// Integers accept integral numbers (1.0 too) and strings holding them;
// int columns also require the 32-bit range. Reals accept numbers and
// numeric strings including "NaN" and "Infinity". Bools accept true/false
// in any case and 1/0. Datetimes, timespans and guids are parsed from
// strings with the kql/types parsers. Dynamic columns take the JSON value
// as is (objects keep their key order, integers become int64, other
// numbers float64), except that a string holding a JSON object or array is
// parsed: exports and CSV files often stringify RawEventData, and Kusto
// parses strings ingested into dynamic columns.
//
// # Timestamp and TimeGenerated, ISP and Isp
//
// Defender exports usually carry only Timestamp and Log Analytics exports
// only TimeGenerated, while Sentinel tables have both; CloudAppEvents also
// spells its ISP column both ways. So that a rule written for either
// product runs on either export, a record that lacks one column of such a
// pair (absent, null, or not convertible to the column's type) takes the
// other's value. A value present under its own name always wins. This
// applies whenever one of the pair is read, whether or not the schema has
// both.
//
// # Bad input
//
// A line that is not valid JSON or not an object, a CSV row with the wrong
// number of cells, or a line longer than MaxLineBytes is reported through
// Diagnostics with its file, 1-based line and reason, counted and skipped;
// reading goes on. Values of columns that were not requested are only
// skipped, not validated, so damage there does not cost the row. Truncated
// or corrupt compressed data is reported once; rows read before it are
// kept. Empty and blank lines are ignored. In CSV, a quote inside an
// unquoted cell is taken literally (12" monitor), text after a closing
// quote makes the row bad, a quoted cell left open at the end of the file
// is reported, and of two header cells with the same name the first wins.
// A file that cannot be opened or read is not bad input but a failure:
// Open or Next returns the error.
//
// # Speed
//
// The JSON reader does not build record trees. It walks each line's
// top-level object (or an envelope's "properties") byte by byte, looks
// each key up in a small map of requested columns, skips unrequested
// values by scanning for their end, and decodes requested ones straight
// into typed vectors. Only requested dynamic columns are parsed into
// trees, and when the query reads a dynamic column only through some
// keys (ScanSpec.Paths: RawEventData.FileExtension, …) only those
// members are built; the others are skipped unbuilt and unchecked.
// Low-cardinality string columns are interned per file so that repeated
// values such as ActionType do not allocate per row.
//
// Filters the query applies right after the scan (ScanSpec.Filters:
// ActionType =~ "…", ApplicationId == 11161, Timestamp > ago(1d)) are
// tested on each record's raw bytes before it is decoded, and a record
// is dropped when it certainly fails (see pushdown.go for how "certainly"
// is made sure of: every occurrence of the column's keys is found with a
// memchr-like scan and converted as the decoder would). The query filters
// again, so a record kept in doubt costs only time. A record dropped this
// way is not decoded, so damage elsewhere in it goes unreported; records
// that do not look whole (truncated lines) are never dropped, so the
// common damage is still reported. Parquet readers test the filters on
// the filter columns' values before converting the other columns, and
// skip row groups whose statistics exclude a time or number filter. They
// also test ScanSpec.PathFilters (a key of a dynamic column held as JSON
// text) on the text before parsing it, by the same every-occurrence rule,
// judging each string value with the filter's own function. The JSON
// reader tests them on the whole record, except records holding an
// escaped quote, where the column may be a JSON string whose keys the
// search cannot see.
//
// # Parallel reading
//
// A Reader splits (Split, for the executor's workers) into parts that
// read contiguous pieces of the table: whole files balanced by size, and
// large uncompressed JSON-lines files cut at byte offsets. A part reads
// the lines that start in its piece; the line that straddles its end is
// its own. A reader that is not split decodes JSON files on all cores
// itself: one goroutine reads and decompresses and cuts the data into
// chunks of whole records, workers decode chunks, and batches come out
// in file order. That is how a single gzip file, which cannot be cut,
// uses more than one core. Compressed files read on one goroutine are
// decompressed a few buffers ahead on another. Plain line files are read
// through a memory map that slides along the file (mmap.go), which saves
// copying every byte; a file cut short while it is mapped is a read
// error, not a crash.
//
// Either way the rows come out in the order one goroutine would produce
// them, and so do the problems reported: parts and chunks report into
// private buffers that are merged in data order, and a part cut from the
// middle of a file shifts its line numbers by the lines of the parts
// before it, which they count as they read.
package source
