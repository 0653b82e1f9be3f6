package fn

import (
	"math"
	"testing"

	"hunt/engine/vec"
	"hunt/kql/types"
)

func TestDynMemberIndex(t *testing.T) {
	o := coreAJ(`{"a":123,"b":"hello","c":[1,2,3],"d":{},"Count":5}`)
	coreRunCases(t, []coreTCase{
		coreC("__member", int64(123), o, coreAS("a")),
		coreC("__member", "hello", o, coreAS("b")),
		coreC("__member", nil, o, coreAS("A")), // case-sensitive
		coreC("__member", nil, o, coreAS("missing")),
		coreC("__member", nil, coreAD(nil), coreAS("a")),
		coreC("__member", nil, coreAJ(`[1]`), coreAS("a")),
		coreC("__member", nil, coreAD("{\"a\":1}"), coreAS("a")),
		coreC("__member", nil, coreAN(types.Unknown), coreAS("a")),
		coreC("__index", "hello", o, coreAS("b")),
		coreC("__index", int64(2), coreAJ(`[1,2,3]`), coreAL(1)),
		coreC("__index", int64(3), coreAJ(`[1,2,3]`), coreAL(-1)),
		coreC("__index", int64(1), coreAJ(`[1,2,3]`), coreAI(-3)),
		coreC("__index", nil, coreAJ(`[1,2,3]`), coreAL(3)),
		coreC("__index", nil, coreAJ(`[1,2,3]`), coreAL(-4)),
		coreC("__index", int64(2), coreAJ(`[1,2,3]`), coreAB(true)),
		coreC("__index", nil, coreAJ(`[1,2,3]`), coreAN(types.Long)),
		coreC("__index", nil, coreAJ(`{"a":1}`), coreAL(0)),
		coreC("__index", int64(3), coreAJ(`[1,2,3]`), coreAD(int64(2))),
		coreC("__index", int64(1), coreAJ(`{"a":1}`), coreAD("a")),
	})
	// Nested access as the analyzer lowers RawEventData.Count == 5.
	out, _, err := coreEval("__member", []coreV{o, coreAS("Count")}, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	eq := coreCompare(coreEQ, out, vec.Constant(types.Long, int64(5)), 4)
	for i := 0; i < 4; i++ {
		if eq.Get(i) != true {
			t.Errorf("RawEventData.Count == 5 row %d = %v", i, eq.Get(i))
		}
	}
	coreExpectTypeError(t, "__member", coreAS("x"), coreAS("a"))
	coreExpectTypeError(t, "__index", coreAJ(`[1]`), coreADT("2020-01-01"))
}

func TestDynArrays(t *testing.T) {
	arr := coreAJ(`["this", "is", "an", "example", "an", "example"]`)
	n5 := coreAJ(`[1,2,3,4,5]`)
	coreRunCases(t, []coreTCase{
		coreC("pack_array", coreJSON(`[1,2,4]`), coreAL(1), coreAL(2), coreAL(4)),
		coreC("pack_array", []any{int64(1), "2", coreTS("2s")}, coreAL(1), coreAS("2"), coreATS("2s")),
		coreC("pack_array", []any{nil, coreJSON(`{"a":1}`)}, coreAN(types.Long), coreAJ(`{"a":1}`)),
		coreC("array_length", int64(4), coreAJ(`[1, 2, 3, "four"]`)),
		coreC("array_length", nil, coreAJ(`{"a":1}`)),
		coreC("arraylength", int64(0), coreAJ(`[]`)),
		coreC("array_concat", coreJSON(`[1,2,4,1,2]`), coreAJ(`[1,2,4]`), coreAJ(`[1,2]`)),
		coreC("array_concat", nil, coreAJ(`[1]`), coreAD(nil)),
		coreC("array_slice", coreJSON(`[2,3]`), coreAJ(`[1,2,3]`), coreAL(1), coreAL(2)),
		coreC("array_slice", coreJSON(`[3,4,5]`), n5, coreAL(2), coreAL(-1)),
		coreC("array_slice", coreJSON(`[3,4]`), n5, coreAL(-3), coreAL(-2)),
		coreC("array_slice", coreJSON(`[1,2,3,4,5]`), n5, coreAL(-10), coreAL(10)),
		coreC("array_slice", coreJSON(`[]`), n5, coreAL(3), coreAL(1)),
		coreC("array_index_of", int64(2), arr, coreAS("an")),
		coreC("array_index_of", int64(3), arr, coreAS("example"), coreAL(1), coreAL(3)),
		coreC("array_index_of", int64(-1), arr, coreAS("example"), coreAL(1), coreAL(2)),
		coreC("array_index_of", int64(-1), arr, coreAS("is"), coreAL(2), coreAL(4)),
		coreC("array_index_of", int64(3), arr, coreAS("example"), coreAL(2), coreAL(-1)),
		coreC("array_index_of", int64(4), arr, coreAS("an"), coreAL(1), coreAL(-1), coreAL(2)),
		coreC("array_index_of", int64(-1), arr, coreAS("an"), coreAL(1), coreAL(-1), coreAL(3)),
		coreC("array_index_of", int64(4), arr, coreAS("an"), coreAL(-3)),
		coreC("array_index_of", int64(-1), arr, coreAS("is"), coreAL(-4)),
		coreC("array_index_of", nil, arr, coreAS("is"), coreAL(0), coreAL(-2)),
		coreC("array_index_of", int64(1), coreAJ(`[1, 2.0]`), coreAL(2)),
		coreC("array_reverse", coreJSON(`["example","an","is","this"]`), coreAJ(`["this", "is", "an", "example"]`)),
		coreC("array_sum", 10.0, coreAJ(`[1,2,3,4]`)),
		coreC("array_sum", nil, coreAJ(`[1,"a"]`)),
		// array-iff-function examples
		coreC("array_iff", coreJSON(`[1,5,3]`), coreAJ(`[true,false,true]`), coreAJ(`[1,2,3]`), coreAJ(`[4,5,6]`)),
		coreC("array_iff", coreJSON(`["yes","no","yes"]`), coreAJ(`[1,0,50]`), coreAS("yes"), coreAS("no")),
		coreC("array_iff", coreJSON(`[null,null,null]`), coreAJ(`["some string value", "2022-01-01", null]`), coreAL(1), coreAL(0)),
		coreC("array_iif", coreJSON(`[1,2,null]`), coreAJ(`[true,true,true]`), coreAJ(`[1,2]`), coreAJ(`[3,4]`)),
		coreC("array_split", coreJSON(`[[1,2],[3,4,5]]`), n5, coreAL(2)),
		coreC("array_split", coreJSON(`[[1],[2,3],[4,5]]`), n5, coreAJ(`[1,3]`)),
		coreC("array_split", coreJSON(`[[1,2,3,4],[5]]`), n5, coreAL(-1)),
		coreC("array_shift_left", coreJSON(`[3,4,5,null,null]`), n5, coreAL(2)),
		coreC("array_shift_left", coreJSON(`[3,4,5,-1,-1]`), n5, coreAL(2), coreAL(-1)),
		coreC("array_shift_left", coreJSON(`[-1,-1,1,2,3]`), n5, coreAL(-2), coreAL(-1)),
		coreC("array_shift_right", coreJSON(`[-1,-1,1,2,3]`), n5, coreAL(2), coreAL(-1)),
		coreC("array_rotate_left", coreJSON(`[3,4,5,1,2]`), n5, coreAL(2)),
		coreC("array_rotate_left", coreJSON(`[4,5,1,2,3]`), n5, coreAL(-2)),
		coreC("array_rotate_right", coreJSON(`[4,5,1,2,3]`), n5, coreAL(2)),
		coreC("array_rotate_right", coreJSON(`[3,4,5,1,2]`), n5, coreAL(-2)),
		coreC("array_rotate_right", coreJSON(`[]`), coreAJ(`[]`), coreAL(2)),
		// array-sort examples
		coreC("array_sort_asc", coreJSON(`[[1,2,3,4,5],["a","e","b","c","d"]]`), coreAJ(`[1,3,4,5,2]`), coreAJ(`["a","b","c","d","e"]`)),
		coreC("array_sort_desc", coreJSON(`[[5,4,3,2,1],["d","c","b","e","a"]]`), coreAJ(`[1,3,4,5,2]`), coreAJ(`["a","b","c","d","e"]`)),
		coreC("array_sort_asc", coreJSON(`["Jane","John","Kao","Paul"]`), coreAJ(`["John","Paul","Jane","Kao"]`)),
		coreC("array_sort_desc", coreJSON(`["Paul","Kayo","John","Jane"]`), coreAJ(`["John","Paul","Jane","Kayo"]`)),
		coreC("array_sort_asc", coreJSON(`["blue","green","yellow",null,null]`), coreAJ(`[null,"blue","yellow","green",null]`)),
		coreC("array_sort_asc", coreJSON(`[null,null,"blue","green","yellow"]`), coreAJ(`[null,"blue","yellow","green",null]`), coreAB(false)),
		coreC("array_sort_desc", coreJSON(`["yellow","green","blue",null,null]`), coreAJ(`[null,"blue","yellow","green",null]`)),
		coreC("array_sort_asc", coreJSON(`[1,2.5,3,"a","b"]`), coreAJ(`["b",3,"a",2.5,1]`)),
		coreC("array_sort_asc", coreJSON(`[[1,2],null]`), coreAJ(`[2,1]`), coreAJ(`[1]`)),
		coreC("zip", coreJSON(`[[1,2],[3,4],[5,6]]`), coreAJ(`[1,3,5]`), coreAJ(`[2,4,6]`)),
		coreC("zip", coreJSON(`[["A",{}], [1,"B"], [1.5, null]]`), coreAJ(`["A", 1, 1.5]`), coreAJ(`[{}, "B"]`)),
		coreC("zip", nil, coreAJ(`[1]`), coreAD(int64(1))),
	})
	coreExpectTypeError(t, "array_length", coreAS("[1]"))
	coreExpectTypeError(t, "array_slice", coreAJ(`[1]`), coreAS("1"), coreAL(2))
}

func TestDynRangeRepeat(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("range", coreJSON(`[1,4,7]`), coreAL(1), coreAL(8), coreAL(3)),
		coreC("range", coreJSON(`[1,2,3]`), coreAL(1), coreAL(3)),
		coreC("range", coreJSON(`[3,2,1]`), coreAL(3), coreAL(1), coreAL(-1)),
		coreC("range", coreJSON(`[]`), coreAL(3), coreAL(1)),
		coreC("range", coreJSON(`[0.5,1.0,1.5,2.0]`), coreAR(0.5), coreAL(2), coreAR(0.5)),
		coreC("range", []any{coreTS("1h"), coreTS("2h"), coreTS("3h")}, coreATS("1h"), coreATS("3h")),
		coreC("range", []any{coreDT("2007-01-01"), coreDT("2007-01-02"), coreDT("2007-01-03")}, coreADT("2007-01-01"), coreADT("2007-01-03"), coreATS("1d")),
		coreC("range", nil, coreAN(types.Long), coreAL(3)),
		coreC("repeat", coreJSON(`[1,1,1]`), coreAL(1), coreAL(3)),
		coreC("repeat", coreJSON(`[]`), coreAS("a"), coreAL(0)),
		coreC("repeat", nil, coreAS("a"), coreAL(-1)),
	})
	out, _, _ := coreEval("range", []coreV{coreAL(1), coreAL(1000000000)}, 0, 1)
	if a := out.Get(0).([]any); len(a) != 1048576 {
		t.Errorf("range(1, 1e9) has %d elements, want 1048576", len(a))
	}
	coreExpectTypeError(t, "range", coreAS("a"), coreAS("b"))
}

func TestDynSets(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("set_has_element", true, coreAJ(`["this", "is", "an", "example"]`), coreAS("example")),
		coreC("set_has_element", false, coreAJ(`["this"]`), coreAS("that")),
		coreC("set_has_element", true, coreAJ(`[1, 2]`), coreAL(2)),
		coreC("set_has_element", false, coreAJ(`["1"]`), coreAL(1)),
		coreC("set_union", coreJSON(`[1,2,4,8]`), coreAJ(`[1,2,1,4]`), coreAJ(`[1,2]`), coreAJ(`[8]`)),
		coreC("set_union", coreJSON(`["A4","A2","A7"]`), coreAJ(`["A4","A2","A7","A2"]`), coreAJ(`["A4","A2","A7","A2"]`)),
		coreC("set_intersect", coreJSON(`[1]`), coreAJ(`[1,2,1,4]`), coreAJ(`[1,2]`), coreAJ(`[8,1]`)),
		coreC("set_intersect", coreJSON(`[]`), coreAJ(`[1,2,3]`), coreAJ(`[4,5]`)),
		coreC("set_difference", coreJSON(`[4]`), coreAJ(`[1,2,1,4]`), coreAJ(`[1,2]`), coreAJ(`[1,2,8]`)),
		coreC("set_difference", coreJSON(`[]`), coreAJ(`[1,2,3]`), coreAJ(`[1,2,3]`)),
		coreC("set_union", nil, coreAJ(`[1]`), coreAD("x")),
		coreC("set_equals", true, coreAJ(`[1,2,2]`), coreAJ(`[2,1]`)),
		coreC("set_equals", false, coreAJ(`[1,2]`), coreAJ(`[1]`)),
		coreC("jaccard_index", 0.75, coreAJ(`[1,2,3]`), coreAJ(`[1,2,3,4]`)),
		coreC("jaccard_index", math.NaN(), coreAJ(`[]`), coreAJ(`[]`)),
	})
}

func TestDynBags(t *testing.T) {
	nested := coreAJ(`{"key1": 123, "key2": {"prop1": "abc", "prop2": "xyz"}, "key3": [100, 200]}`)
	coreRunCases(t, []coreTCase{
		coreC("bag_pack", coreJSON(`{"Level":"Information","ProcessID":1234,"Data":{"url":"www.bing.com"}}`),
			coreAS("Level"), coreAS("Information"), coreAS("ProcessID"), coreAL(1234), coreAS("Data"), coreAJ(`{"url":"www.bing.com"}`)),
		coreC("pack", coreJSON(`{"Dest":100,"Text":"Hi"}`), coreAS("Dest"), coreAI(100), coreAS("Text"), coreAS("Hi")),
		coreC("pack_dictionary", coreJSON(`{"a":null}`), coreAS("a"), coreAN(types.Long)),
		coreC("bag_keys", coreJSON(`["a","c"]`), coreAJ(`{"a":"b","c":123}`)),
		coreC("bag_keys", coreJSON(`[]`), coreAJ(`{}`)),
		coreC("bag_keys", nil, coreAD("a")),
		coreC("bag_keys", nil, coreAJ(`[]`)),
		coreC("bag_keys", nil, coreAD(nil)),
		coreC("bag_merge", coreJSON(`{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}`), coreAJ(`{"A1":12,"B1":2,"C1":3}`), coreAJ(`{"A2":81,"B2":82,"A1":1}`)),
		coreC("bag_merge", coreJSON(`{"a":1}`), coreAD(nil), coreAJ(`{"a":1}`)),
		coreC("bag_remove_keys", coreJSON(`{"key1":123}`), coreAJ(`{"key1":123,"key2":"abc"}`), coreAJ(`["key2","key4"]`)),
		coreC("bag_remove_keys", coreJSON(`{"key1":123,"key2":{"prop2":"xyz"}}`), nested, coreAJ(`["$.key2.prop1","key3"]`)),
		coreC("bag_has_key", true, coreAJ(`{"key1":123,"key2":"abc"}`), coreAS("key2")),
		coreC("bag_has_key", false, coreAJ(`{"key1":123,"key3":"abc"}`), coreAS("key2")),
		coreC("bag_has_key", true, nested, coreAS("$.key2.prop1")),
		coreC("bag_has_key", false, nested, coreAS("$.key2.prop9")),
		coreC("bag_set_key", coreJSON(`{"key1":1,"key2":2,"key3":3}`), coreAJ(`{"key1":1,"key2":2}`), coreAS("key3"), coreAL(3)),
		coreC("bag_set_key", coreJSON(`{"key1":1,"key3":3}`), coreAJ(`{"key1":1,"key3":"abc"}`), coreAS("key3"), coreAL(3)),
		coreC("bag_set_key", coreJSON(`{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"}}`), coreAJ(`{"key1":123,"key2":{"prop1":123,"prop2":"xyz"}}`), coreAS("$.key2.prop1"), coreAS("abc")),
		coreC("bag_set_key", coreJSON(`{"key1":123,"key2":{"prop1":"abc"}}`), coreAJ(`{"key1":123}`), coreAS("$.key2.prop1"), coreAS("abc")),
		coreC("bag_set_key", nil, coreAJ(`[1]`), coreAS("a"), coreAL(1)),
		// bag-zip examples
		coreC("bag_zip", coreJSON(`{"a":1,"b":"2","c":3.4}`), coreAJ(`["a","b","c"]`), coreAJ(`[1,"2",3.4]`)),
		coreC("bag_zip", coreJSON(`{"a":1,"b":"2","c":null}`), coreAJ(`["a","b","c"]`), coreAJ(`[1,"2"]`)),
		coreC("bag_zip", coreJSON(`{"a":1,"b":"2"}`), coreAJ(`["a","b"]`), coreAJ(`[1,"2",2.5]`)),
		coreC("bag_zip", coreJSON(`{"a":1,"b":2.5}`), coreAJ(`["a",8,"b"]`), coreAJ(`[1,"2",2.5]`)),
		coreC("bag_zip", coreJSON(`{"a":null,"b":null}`), coreAJ(`["a",8,"b"]`), coreAD(int64(1))),
		coreC("bag_zip", nil, coreAD("a"), coreAJ(`[1,"2",2.5]`)),
		// treepath examples
		coreC("treepath", coreJSON(`["['a']","['c']"]`), coreAJ(`{"a":"b", "c":123}`)),
		coreC("treepath", coreJSON(`["['prop1']","['prop1'][0]","['prop2']"]`), coreAJ(`{"prop1":[1,2,3,4], "prop2":"value2"}`)),
		coreC("treepath", coreJSON(`["['listProperty']","['listProperty'][0]","['listProperty'][0]['x']"]`), coreAJ(`{"listProperty":[100,200,300,"abcde",{"x":"y"}]}`)),
		coreC("treepath", nil, coreAD("x")),
	})
	// Bags are shared: functions must not modify their input.
	in := coreJSON(`{"a":{"b":1}}`)
	coreEval("bag_set_key", []coreV{{types.Dynamic, in}, coreAS("$.a.b"), coreAL(2)}, 0, 1)
	coreEval("bag_remove_keys", []coreV{{types.Dynamic, in}, coreAJ(`["$.a.b"]`)}, 0, 1)
	if got := string(types.AppendJSON(nil, in)); got != `{"a":{"b":1}}` {
		t.Errorf("input bag modified: %s", got)
	}
	coreExpectTypeError(t, "bag_pack", coreAL(1), coreAL(2))
	coreExpectTypeError(t, "bag_pack", coreAS("a"))
}

func TestDynParsePath(t *testing.T) {
	pp := func(scheme, root, dirPath, dirName, file, ext, ads string) *types.Bag {
		b := types.NewBag(7)
		for i, k := range []string{"Scheme", "RootPath", "DirectoryPath", "DirectoryName", "Filename", "Extension", "AlternateDataStreamName"} {
			b.Set(k, []string{scheme, root, dirPath, dirName, file, ext, ads}[i])
		}
		return b
	}
	coreRunCases(t, []coreTCase{
		// parse-path-function-1
		coreC("parse_path", pp("", "C:", `C:\temp`, "temp", "file.txt", "txt", ""), coreAS(`C:\temp\file.txt`)),
		coreC("parse_path", pp("", "", "temp", "temp", "file.txt", "txt", ""), coreAS(`temp\file.txt`)),
		coreC("parse_path", pp("file", "C:", "C:/temp", "temp", "file.txt", "txt", "some.exe"), coreAS("file://C:/temp/file.txt:some.exe")),
		coreC("parse_path", pp("", "", `\\shared\users\temp`, "temp", "file.txt.gz", "gz", ""), coreAS(`\\shared\users\temp\file.txt.gz`)),
		coreC("parse_path", pp("", "", "/usr/lib/temp", "temp", "file.txt", "txt", ""), coreAS("/usr/lib/temp/file.txt")),
		// semantics.md D.6 and the rule's inputs
		coreC("parse_path", pp("", "", "", "", "", "", ""), coreAS("")),
		coreC("parse_path", pp("", "", "", "", "", "", ""), coreAD(nil)),
		coreC("parse_path", pp("", "C:", `C:\Users\dana.k\Downloads`, "Downloads", "payments-service-main.zip", "zip", ""),
			coreAD(`C:\Users\dana.k\Downloads\payments-service-main.zip`)),
		coreC("parse_path", pp("", "D:", `D:\work\exports`, "exports", "infra-pipelines.ZIP", "ZIP", ""), coreAS(`D:\work\exports\infra-pipelines.ZIP`)),
		coreC("parse_path", pp("https", "", "host/a", "a", "b.zip", "zip", ""), coreAS("https://host/a/b.zip")),
		coreC("parse_path", pp("", "C:", `\\?\C:\dir`, "dir", "f.txt", "txt", ""), coreAS(`\\?\C:\dir\f.txt`)),
		coreC("parse_path", pp("", "", "", "", "file1.exe", "exe", "file2.exe"), coreAS("file1.exe:file2.exe")),
		coreC("parse_path", pp("", "C:", `C:\`, "", "file.txt", "txt", ""), coreAS(`C:\file.txt`)),
		coreC("parse_path", pp("", "", "/", "", "file.txt", "txt", ""), coreAS("/file.txt")),
		coreC("parse_path", pp("", "C:", `C:\temp`, "temp", "", "", ""), coreAS(`C:\temp\`)),
		coreC("parse_path", pp("", "", "", "", "README", "", ""), coreAS("README")),
		coreC("parse_path", pp("file", "C:", "C:/x", "x", "y.txt", "txt", ""), coreAS("file:///C:/x/y.txt")),
	})
}

func TestDynXMLAndJSON(t *testing.T) {
	coreRunCases(t, []coreTCase{
		coreC("parse_xml", coreJSON(`{"e":null}`), coreAS(`<e/>`)),
		coreC("parse_xml", coreJSON(`{"e":"text"}`), coreAS(`<e>text</e>`)),
		coreC("parse_xml", coreJSON(`{"e":{"@name":"value"}}`), coreAS(`<e name="value" />`)),
		coreC("parse_xml", coreJSON(`{"e":{"@name":"value","#text":"text"}}`), coreAS(`<e name="value">text</e>`)),
		coreC("parse_xml", coreJSON(`{"e":{"a":"text","b":"text"}}`), coreAS(`<e> <a>text</a> <b>text</b> </e>`)),
		coreC("parse_xml", coreJSON(`{"e":{"a":["text","text"]}}`), coreAS(`<e> <a>text</a> <a>text</a> </e>`)),
		coreC("parse_xml", coreJSON(`{"e":{"#text":"text","a":"text"}}`), coreAS(`<e> text <a>text</a> </e>`)),
		coreC("parse_xml", coreJSON(`{"duration":{"value":"118.0","min":"100.0"}}`), coreAS("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<duration>\n <value>118.0</value>\n <min>100.0</min>\n</duration>")),
		coreC("parse_xml", nil, coreAS(`<e>`)),
		coreC("parse_xml", nil, coreAS(`not xml`)),
		coreC("extract_json", "John", coreAS("$.name"), coreAS(`{"name": "John", "age": 30, "city": "New York"}`)),
		coreC("extractjson", "auth", coreAS("$.Details.Tags[1]"), coreAS(`{"Details":{"Tags":["startup","auth"]}}`)),
		coreC("extract_json", "INFO", coreAS("$['Log Level']"), coreAS(`{"Log Level":"INFO"}`)),
		coreC("extract_json", `{"a":1}`, coreAS("$.x"), coreAS(`{"x":{"a":1}}`)),
		coreC("extract_json", "", coreAS("$.missing"), coreAS(`{"x":1}`)),
		coreC("extract_json", "", coreAS("$.x"), coreAS(`not json`)),
	})
	// The target type must be a constant.
	coreRunModes(t, []coreTCase{
		coreC("extract_json", int64(30), coreAS("$.age"), coreAS(`{"name": "John", "age": 30}`), coreAS("long")),
		coreC("extract_json", nil, coreAS("$.x"), coreAS(`{"x":"abc"}`), coreAS("typeof(long)")),
		coreC("extract_json", coreDT("2020-01-01"), coreAS("$.t"), coreAS(`{"t":"2020-01-01"}`), coreAS("datetime")),
	}, 0, 2)
	if _, _, err := coreEval("extract_json", []coreV{coreAS("$..x"), coreAS("{}")}, 0, 1); err == nil {
		t.Error("extract_json accepted an unsupported JSONPath")
	}
	coreExpectTypeError(t, "extract_json", coreAS("$.x"), coreAS("{}"), coreAS("nosuchtype"))
}

// BenchmarkDynMember measures RawEventData.X over a batch of bags.
func BenchmarkDynMember(b *testing.B) {
	x := &vec.Vec{Type: types.Dynamic, Dyns: make([]any, 1024)}
	for i := range x.Dyns {
		x.Dyns[i] = coreJSON(`{"Operation":"FileUploadedToCloud","ObjectId":"C:\\x\\y.zip","FileSize":18734512,"TargetDomain":"www.mediafire.com"}`)
	}
	k := vec.Constant(types.String, "TargetDomain")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dynMember(nil, []*vec.Vec{x, k}, 1024)
	}
}
