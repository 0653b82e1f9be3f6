package main

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to path until the returned function is
// called; hunt's own speed work uses it (hidden flag --cpuprofile).
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
