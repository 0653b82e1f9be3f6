// Package hunttest runs hunt's script tests: plain-text files under
// testdata/queries that hold tables, queries and their expected results,
// in the manner of DuckDB's sqllogictest and Prometheus's promqltest.
//
// A file is a sequence of records separated by blank lines:
//
//	# comment
//	table Events (Timestamp:datetime, Msg:string)
//	2024-01-01T00:00:00Z	Hello World
//	2024-01-01T00:01:00Z	helloworld
//
//	query rowsort at 2024-01-02T00:00:00Z
//	Events | where Timestamp > ago(1d) and Msg has "hello" | project Msg
//	----
//	Msg:string
//	Hello World
//
//	error unknown column 'Mesage'.*did you mean 'Msg'
//	Events | where Mesage has "x"
//
// Table cells and result cells are tab-separated. A cell reads "<null>"
// for null; strings are written raw (an empty cell is the empty string),
// dynamic values as compact JSON, datetimes in ISO 8601 with seven
// fraction digits. `query rowsort` compares rows as a sorted multiset;
// plain `query` compares them in order. `at TIME` pins now().
//
// Every query runs at batch sizes 1, 7 and 1024, and all runs must agree,
// so bugs at batch boundaries surface.
package hunttest
