//go:build !unix

package source

import (
	"errors"
	"os"
)

const canMap = false

var pageSize = 4096

func mapFile(*os.File, int64, int64) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapFile([]byte) {}

func adviseWillNeed([]byte) {}
