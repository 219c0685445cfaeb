package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// runFeatures extracts pyradiomics' features of one image and ROI, with a
// pyradiomics params file's settings and pyradiomics' defaults otherwise.
func runFeatures(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("features", "-image IMG -mask MASK [-label N|all] [-labels 1,2] [-params params.yaml] [-workers N] [-o out.csv] [-wide]",
		"scirad features -image testdata/pyradiomics/brain1_image.nrrd -mask testdata/pyradiomics/brain1_label.nrrd -o brain1.csv\n"+
			"  scirad features -image patient01/ -mask patient01/rtstruct.dcm -label all -o features.csv", stderr)
	image := fs.String("image", "", "image `file` (.nii, .nii.gz, .nrrd, .nhdr) or DICOM series folder")
	mask := fs.String("mask", "", "label map `file` on the image grid (.seg.nrrd, RTSTRUCT and DICOM-SEG accepted)")
	labelFlag := fs.String("label", "", "ROI `label`, or all: one row per label (every segment of a segmentation on its own); empty keeps the params file's label (default 1)")
	labelsFlag := fs.String("labels", "", "comma-separated `labels`, one row each (e.g. 1,2)")
	params := fs.String("params", "", "pyradiomics params YAML `file` (setting:, imageType:, featureClass:)")
	out := fs.String("o", "", "output CSV `file`; standard output if empty")
	wide := fs.Bool("wide", false, "one header row and one value row instead of feature,value rows")
	workers := fs.Int("workers", 0, "goroutines for one ROI (`N`): image types side by side, and one type's texture classes, directions and passes shared when N exceeds the types; the values do not depend on N (0: the image types on all cores)")
	if err := parse(fs, args, "image", "mask"); err != nil {
		return err
	}
	if *workers < 0 {
		return fmt.Errorf("-workers %d must be 0 (all cores) or more", *workers)
	}
	var s radiomics.Settings
	if *params != "" {
		var err error
		if s, err = radiomics.ReadParamsFile(*params); err != nil {
			return err
		}
	}
	multi, want, err := parseLabels(*labelFlag, *labelsFlag)
	if err != nil {
		return err
	}
	if !multi && len(want) == 1 {
		s.Label = want[0]
	}
	if *out != "" {
		for _, in := range []string{*image, *mask, *params} {
			if in != "" && sameFile(*out, in) {
				return fmt.Errorf("refusing to write over input %s: choose another -o", in)
			}
		}
	}
	img, err := volio.ReadImage(*image)
	if err != nil {
		return err
	}
	if multi {
		return featuresPerLabel(img, *image, *mask, want, s, *workers, *out, *wide, stdout)
	}
	lab, err := volio.ReadLabelMapOn(*mask, img.Grid)
	if err != nil {
		return err
	}
	vals, err := radiomics.ExtractImageTypesWorkers(img, lab, s, *workers)
	if err != nil {
		return fmt.Errorf("%s, %s: %w", *image, *mask, err)
	}
	write := func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if *wide {
			head := make([]string, len(vals))
			row := make([]string, len(vals))
			for i, v := range vals {
				head[i] = v.FullName()
				row[i] = table.FormatFloat(v.Value.Value)
			}
			cw.Write(head)
			cw.Write(row)
		} else {
			cw.Write([]string{"feature", "value"})
			for _, v := range vals {
				cw.Write([]string{v.FullName(), table.FormatFloat(v.Value.Value)})
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

// sameFile reports whether the output a names the same file as the input
// b, by identity once links are followed, or by resolved path when a does
// not exist yet (outpath.Check; an existing a that is not a regular file
// counts too). b may be a folder (a DICOM series).
func sameFile(a, b string) bool {
	return outpath.Check(a, b) != nil
}

// parseLabels reads -label and -labels: multi is true for -label all
// (want nil: every label) and for -labels; otherwise want holds the one
// -label given, or nothing.
func parseLabels(label, labels string) (multi bool, want []int, err error) {
	if label != "" && labels != "" {
		return false, nil, fmt.Errorf("-label %s and -labels %s: give one of them", label, labels)
	}
	if strings.EqualFold(label, "all") {
		return true, nil, nil
	}
	list := label
	if labels != "" {
		list, multi = labels, true
	}
	if list == "" {
		return false, nil, nil
	}
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return false, nil, fmt.Errorf("label %q: want a positive whole number (or -label all)", f)
		}
		if slices.Contains(want, n) {
			return false, nil, fmt.Errorf("label %d given twice", n)
		}
		want = append(want, n)
	}
	return multi, want, nil
}

// featuresPerLabel extracts every ROI of the mask (or those in want) on its
// own — a segment overlapping another keeps all its voxels — and writes one
// row per ROI: label,segment,feature,value (or, with wide, label,segment
// and one column per feature).
func featuresPerLabel(img *volume.Volume, image, mask string, want []int, s radiomics.Settings, workers int, out string, wide bool, stdout io.Writer) error {
	segs, err := volio.ReadSegments(mask, img.Grid)
	if err != nil {
		return err
	}
	type row struct {
		seg  volio.Segment
		vals []radiomics.NamedValue
	}
	var rows []row
	for _, l := range want {
		if !slices.ContainsFunc(segs, func(g volio.Segment) bool { return g.Label == l }) {
			var have []string
			for _, g := range segs {
				have = append(have, strconv.Itoa(g.Label))
			}
			return fmt.Errorf("%s: no ROI with label %d (labels: %s)", mask, l, strings.Join(have, ", "))
		}
	}
	s.Label = 1
	for _, g := range segs {
		if want != nil && !slices.Contains(want, g.Label) {
			continue
		}
		vals, err := radiomics.ExtractImageTypesWorkers(img, g.Mask, s, workers)
		if err != nil {
			return fmt.Errorf("%s, %s: label %d %q: %w", image, mask, g.Label, g.Name, err)
		}
		rows = append(rows, row{g, vals})
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no ROI", mask)
	}
	write := func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if wide {
			head := []string{"label", "segment"}
			for _, v := range rows[0].vals {
				head = append(head, v.FullName())
			}
			cw.Write(head)
			for _, r := range rows {
				rec := []string{strconv.Itoa(r.seg.Label), r.seg.Name}
				for _, v := range r.vals {
					rec = append(rec, table.FormatFloat(v.Value.Value))
				}
				cw.Write(rec)
			}
		} else {
			cw.Write([]string{"label", "segment", "feature", "value"})
			for _, r := range rows {
				for _, v := range r.vals {
					cw.Write([]string{strconv.Itoa(r.seg.Label), r.seg.Name, v.FullName(), table.FormatFloat(v.Value.Value)})
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}
	if out == "" {
		return write(stdout)
	}
	return table.WriteFileAtomic(out, write)
}
