//go:build !js

package dicom

import (
	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// readInput reads a whole input file through outpath: regular files only,
// at most MaxFileBytes, remembered as an input so that no output of this
// process lands on it.
func readInput(path string) ([]byte, error) { return outpath.ReadFile(path, MaxFileBytes) }

// budgetCheck refuses an allocation over scirad's memory budget.
func budgetCheck(what string, bytes float64) error { return membudget.Check(what, bytes) }

// budgetLimit is scirad's memory budget in bytes.
func budgetLimit() int64 { return membudget.Limit() }
