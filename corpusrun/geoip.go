package corpusrun

// EmptyGeoDB returns a MaxMind DB file (format version 2) that covers no
// address: geo_info_from_ip_address() over it gives an empty bag for
// every address, as Kusto does for one its database lacks. The runner
// binds it as `--geoip FILE` would, so that queries enriching events with
// locations run offline; they find no locations.
func EmptyGeoDB() []byte {
	var b []byte
	// The search tree: one node whose two 24-bit records hold the node
	// count (1), which means "no data" for either bit.
	b = append(b, 0, 0, 1, 0, 0, 1)
	// The data section follows 16 zero bytes; it is empty.
	b = append(b, make([]byte, 16)...)
	b = append(b, "\xab\xcd\xefMaxMind.com"...)
	meta := []struct {
		key string
		val []byte
	}{
		{"node_count", mmdbUint32(1)},
		{"record_size", mmdbUint16(24)},
		{"ip_version", mmdbUint16(6)},
		{"database_type", mmdbString("hunt-empty")},
		{"binary_format_major_version", mmdbUint16(2)},
		{"binary_format_minor_version", mmdbUint16(0)},
	}
	b = append(b, 7<<5|byte(len(meta))) // a map of len(meta) pairs
	for _, kv := range meta {
		b = append(b, mmdbString(kv.key)...)
		b = append(b, kv.val...)
	}
	return b
}

// The encodings below serve short values only: sizes under 29 fit the
// control byte.
func mmdbString(s string) []byte { return append([]byte{2<<5 | byte(len(s))}, s...) }
func mmdbUint16(v uint16) []byte { return []byte{5<<5 | 2, byte(v >> 8), byte(v)} }
func mmdbUint32(v uint32) []byte {
	return []byte{6<<5 | 4, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}
