package main

import (
	"fmt"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// runOutsideInputs refuses an output folder of scirad run that holds one of
// the cohort's inputs (clinical.csv, manifest.csv, an image or a mask), once
// links are followed: run writes many files under it (tables/, figures/,
// models/, radiomics.csv and its resume file…), and none may be an input. A
// manifest that cannot be read is left for run to report.
func runOutsideInputs(out, cohortDir string) error {
	manifest := filepath.Join(cohortDir, "manifest.csv")
	ins := []string{filepath.Join(cohortDir, "clinical.csv"), manifest}
	if rows, err := cohort.ReadManifest(manifest); err == nil {
		for _, r := range rows {
			ins = append(ins, r.Image, r.Mask, r.Mask2)
		}
	}
	for _, in := range ins {
		if in != "" && outpath.Within(out, in) {
			return fmt.Errorf("output folder %s holds the input %s: choose a folder that holds no input", outpath.Quote(out), outpath.Quote(in))
		}
	}
	return nil
}
