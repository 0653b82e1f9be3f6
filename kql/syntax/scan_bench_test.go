package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flagshipQuery is the query of the flagship rule (codeRepoExfil.yaml).
const flagshipQuery = `let filesThreshold = 10;
let lookback = 1d;
let sourceDomainList = pack_array("github", "visualstudio", "gitlab", "bitbucket", "osdn"); //code repo url's
let excludeTargetDomainList = pack_array("office.net","visualstudio","github","gitlab","azure","dynamics","teams","sharepoint"); //exclude list for the target domain
CloudAppEvents
| where Timestamp > ago(lookback)
| where ApplicationId == 11161
| where  ActionType =~ "FileUploadedToCloud"
| project Timestamp, AccountObjectId, AccountDisplayName, extension = RawEventData.FileExtension, origin = RawEventData.OriginatingDomain, target = RawEventData.TargetDomain, file = RawEventData.ObjectId
| extend file = tostring(parse_path(tostring(file)).Filename)
| where extension =~ "zip" //filterting for zipped repos
| where origin has_any (sourceDomainList)
| where not(target has_any(excludeTargetDomainList))
| summarize uploadedFiles = dcount(file), files = make_set(file, 128) by AccountObjectId, AccountDisplayName
| where uploadedFiles > filesThreshold
`

// benchTexts are the inputs of the scanner and parser benchmarks: the
// flagship query, and the shared corpus (every .kql file, concatenated
// as separate queries) when it is present.
type benchText struct {
	name  string
	texts []string
}

func benchTexts() []benchText {
	out := []benchText{{"flagship", []string{flagshipQuery}}}
	var corpus []string
	filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".kql") {
			if data, err := os.ReadFile(path); err == nil {
				corpus = append(corpus, string(data))
			}
		}
		return nil
	})
	if len(corpus) > 0 {
		out = append(out, benchText{"corpus", corpus})
	}
	return out
}

func textBytes(texts []string) int64 {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return int64(n)
}

// BenchmarkScan tokenizes the texts.
func BenchmarkScan(b *testing.B) {
	for _, bt := range benchTexts() {
		name, texts := bt.name, bt.texts
		srcs := make([]*Source, len(texts))
		for i, t := range texts {
			srcs[i] = NewSource(name, t)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(textBytes(texts))
			b.ReportAllocs()
			var s Scanner
			tokens := 0
			for b.Loop() {
				for _, src := range srcs {
					s.Init(src, nil)
					for {
						_, tok, _ := s.Scan()
						if tok == EOF {
							break
						}
						tokens++
					}
				}
			}
			if tokens == 0 {
				b.Fatal("no tokens")
			}
			b.ReportMetric(float64(tokens)/float64(b.N), "tokens/op")
		})
	}
}

// BenchmarkParse parses the texts into syntax trees.
func BenchmarkParse(b *testing.B) {
	for _, bt := range benchTexts() {
		name, texts := bt.name, bt.texts
		srcs := make([]*Source, len(texts))
		for i, t := range texts {
			srcs[i] = NewSource(name, t)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(textBytes(texts))
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range srcs {
					Parse(src)
				}
			}
		})
	}
}
