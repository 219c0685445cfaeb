package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// runFeatures extracts pyradiomics' features of one image and ROI, with a
// pyradiomics params file's settings and pyradiomics' defaults otherwise.
func runFeatures(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("features", "-image IMG -mask MASK [-label N] [-params params.yaml] [-o out.csv] [-wide]",
		"scirad features -image testdata/pyradiomics/brain1_image.nrrd -mask testdata/pyradiomics/brain1_label.nrrd -o brain1.csv", stderr)
	image := fs.String("image", "", "image `file` (.nii, .nii.gz, .nrrd, .nhdr)")
	mask := fs.String("mask", "", "label map `file` on the image grid (.seg.nrrd accepted)")
	label := fs.Int("label", 0, "ROI `label`; 0 keeps the params file's label (default 1)")
	params := fs.String("params", "", "pyradiomics params YAML `file` (setting:, imageType:, featureClass:)")
	out := fs.String("o", "", "output CSV `file`; standard output if empty")
	wide := fs.Bool("wide", false, "one header row and one value row instead of feature,value rows")
	if err := parse(fs, args, "image", "mask"); err != nil {
		return err
	}
	var s radiomics.Settings
	if *params != "" {
		var err error
		if s, err = radiomics.ReadParamsFile(*params); err != nil {
			return err
		}
	}
	if *label < 0 {
		return fmt.Errorf("-label %d must be positive", *label)
	}
	if *label > 0 {
		s.Label = *label
	}
	if *out != "" {
		for _, in := range []string{*image, *mask, *params} {
			if in != "" && sameFile(in, *out) {
				return fmt.Errorf("refusing to write over input %s: choose another -o", in)
			}
		}
	}
	img, err := volio.ReadImage(*image)
	if err != nil {
		return err
	}
	lab, err := volio.ReadLabelMap(*mask)
	if err != nil {
		return err
	}
	vals, err := radiomics.Extract(img, lab, s)
	if err != nil {
		return fmt.Errorf("%s, %s: %w", *image, *mask, err)
	}
	write := func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if *wide {
			head := make([]string, len(vals))
			row := make([]string, len(vals))
			for i, v := range vals {
				head[i] = "original_" + v.Key()
				row[i] = table.FormatFloat(v.Value)
			}
			cw.Write(head)
			cw.Write(row)
		} else {
			cw.Write([]string{"feature", "value"})
			for _, v := range vals {
				cw.Write([]string{"original_" + v.Key(), table.FormatFloat(v.Value)})
			}
		}
		cw.Flush()
		return cw.Error()
	}
	if *out == "" {
		return write(stdout)
	}
	return table.WriteFileAtomic(*out, write)
}

// sameFile reports whether two paths name the same file (by absolute path).
func sameFile(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}
