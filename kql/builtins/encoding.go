package builtins

import "hunt/kql/types"

func init() {
	// URLs.
	strFunc("url_encode", nil, "url-encode-function", types.String, 1, 1, strPStr)
	strFunc("url_encode_component", nil, "url-encode-component-function", types.String, 1, 1, strPStr)
	strFunc("url_decode", nil, "url-decode-function", types.String, 1, 1, strPStr)
	strFunc("parse_url", []string{"parseurl"}, "parse-url-function", types.Dynamic, 1, 1, strPStr)
	strFunc("parse_urlquery", []string{"parseurlquery"}, "parse-url-query-function", types.Dynamic, 1, 1, strPStr)

	// Base64.
	strFunc("base64_encode_tostring", []string{"base64_encodestring"}, "base64-encode-tostring-function", types.String, 1, 1, strPStr)
	strFunc("base64_decode_tostring", []string{"base64_decodestring"}, "base64-decode-tostring-function", types.String, 1, 1, strPStr)
	strFunc("base64_decode_toarray", nil, "base64-decode-toarray-function", types.Dynamic, 1, 1, strPStr)
	strFunc("base64_encode_fromarray", nil, "base64-encode-fromarray-function", types.String, 1, 1, strPDyn)
	strFunc("base64_encode_fromguid", nil, "base64-encode-fromguid-function", types.String, 1, 1, strPGuid)
	strFunc("base64_decode_toguid", nil, "base64-decode-toguid-function", types.Guid, 1, 1, strPStr)

	// Compression to and from base64 text.
	strFunc("zlib_compress_to_base64_string", nil, "zlib-base64-compress-function", types.String, 1, 1, strPStr)
	strFunc("gzip_compress_to_base64_string", nil, "gzip-base64-compress", types.String, 1, 1, strPStr)
	strFunc("zlib_decompress_from_base64_string", nil, "zlib-base64-decompress-function", types.String, 1, 1, strPStr)
	strFunc("gzip_decompress_from_base64_string", nil, "gzip-base64-decompress", types.String, 1, 1, strPStr)

	// Punycode.
	strFunc("punycode_from_string", nil, "punycode-from-string-function", types.String, 1, 1, strPStr)
	strFunc("punycode_to_string", nil, "punycode-to-string-function", types.String, 1, 1, strPStr)
	strFunc("punycode_domain_to_string", nil, "punycode-domain-to-string-function", types.String, 1, 1, strPStr)
	strFunc("punycode_domain_from_string", nil, "punycode-domain-from-string-function", types.String, 1, 1, strPStr)

	// Hashes.
	strFunc("hash_md5", nil, "hash-md5-function", types.String, 1, 1, strPNotDyn)
	strFunc("hash_sha1", nil, "hash-sha1-function", types.String, 1, 1, strPNotDyn)
	strFunc("hash_sha256", nil, "hash-sha256-function", types.String, 1, 1, strPNotDyn)
	strFunc("hash", nil, "hash-function", types.Long, 1, 2, strPNotDyn, strPInt)
	strFunc("hash_xxhash64", nil, "hash-xxhash64-function", types.Long, 1, 2, strPNotDyn, strPInt)
	strFunc("hash_many", nil, "hash-many-function", types.Long, 1, -1, strPAny)
	strFunc("hash_combine", nil, "hash-combine-function", types.Long, 2, -1, strPInt)
}
