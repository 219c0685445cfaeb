package main

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// runPredict scores one patient with a trained bundle (scirad run's
// models/bundle_rad.json): the native side of the browser demo.
//
// Output, CSV `name,value`: probability (of a good prognosis), prediction
// (good or poor at the bundle's threshold), threshold, rad_score, model,
// center, then for each selected feature raw:NAME (as extracted),
// harmonized:NAME (after ComBat) and z:NAME (the classifier's input).
// Numbers are written in Go's shortest round-trip form. The time taken goes
// to standard error.
func runPredict(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", "-bundle bundle_rad.json -image IMG -mask MASK -center C [-o out.csv]",
		"scirad predict -bundle results/models/bundle_rad.json -image toy/images/SCI001.nii.gz -mask toy/masks/SCI001.nii.gz -center A", stderr)
	bundlePath := fs.String("bundle", "", "trained bundle `file` (scirad run writes models/bundle_rad.json)")
	image := fs.String("image", "", "image `file` (.nii, .nii.gz, .nrrd, .nhdr)")
	mask := fs.String("mask", "", "label map `file` on the image grid: 1 = injured cord, 2 = rest of the cord (.seg.nrrd accepted)")
	center := fs.String("center", "", "the patient's `centre`, one of the training centres (ComBat adjusts by centre)")
	out := fs.String("o", "", "output CSV `file`; standard output if empty")
	if err := parse(fs, args, "bundle", "image", "mask", "center"); err != nil {
		return err
	}
	if *out != "" {
		for _, in := range []string{*bundlePath, *image, *mask} {
			if sameFile(*out, in) {
				return fmt.Errorf("refusing to write over input %s: choose another -o", in)
			}
		}
	}
	f, err := outpath.Open(*bundlePath)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := bundle.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *bundlePath, err)
	}
	img, err := volio.ReadImage(*image)
	if err != nil {
		return err
	}
	lab, err := volio.ReadLabelMap(*mask)
	if err != nil {
		return err
	}
	p, err := b.Predict(img, lab, *center)
	if err != nil {
		return fmt.Errorf("%s, %s: %w", *image, *mask, err)
	}
	fmt.Fprintf(stderr, "scirad predict: preprocessing %.3f s, features %.3f s, ComBat and model %.3f s\n", p.PreprocessSeconds, p.FeatureSeconds, p.ModelSeconds)
	write := func(w io.Writer) error {
		prediction := "poor"
		if p.Good {
			prediction = "good"
		}
		cw := csv.NewWriter(w)
		cw.Write([]string{"name", "value"})
		cw.Write([]string{"probability", table.FormatFloat(p.Probability)})
		cw.Write([]string{"prediction", prediction})
		cw.Write([]string{"threshold", table.FormatFloat(b.Threshold)})
		cw.Write([]string{"rad_score", table.FormatFloat(p.RadScore)})
		cw.Write([]string{"model", b.ModelName})
		cw.Write([]string{"center", *center})
		for _, ft := range p.Features {
			cw.Write([]string{"raw:" + ft.Name, table.FormatFloat(ft.Raw)})
			cw.Write([]string{"harmonized:" + ft.Name, table.FormatFloat(ft.Harmonized)})
			cw.Write([]string{"z:" + ft.Name, table.FormatFloat(ft.Z)})
		}
		cw.Flush()
		return cw.Error()
	}
	if *out == "" {
		return write(stdout)
	}
	return table.WriteFileAtomic(*out, write)
}
