//go:build js

package dicom

import (
	"fmt"
	"os"
)

// jsBudget bounds any one allocation in the browser (a tab has far less
// memory than a native process; membudget reads rlimits js lacks).
const jsBudget = 1 << 30

func readInput(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a DICOM file may hold", path, st.Size(), MaxFileBytes)
	}
	return os.ReadFile(path)
}

func budgetCheck(what string, bytes float64) error {
	if bytes > jsBudget {
		return fmt.Errorf("%s: needs %.0f MiB, over the browser's %d MiB", what, bytes/(1<<20), jsBudget>>20)
	}
	return nil
}

func budgetLimit() int64 { return jsBudget }
