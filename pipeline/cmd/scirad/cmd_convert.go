package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/dicom"
)

// runConvert writes an image (a DICOM series, or any image volio reads) and
// optionally its mask (RTSTRUCT, DICOM-SEG, .seg.nrrd or a label map) as
// NIfTI or NRRD on the image's grid.
func runConvert(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("convert", "-image DICOMDIR|IMG [-series UID|N|DESC] [-mask RTSTRUCT|SEG|.seg.nrrd] -o image.nii.gz [-mask-out labels.nii.gz] | -list DICOMDIR",
		"scirad convert -image patient01/ -mask patient01/rtstruct.dcm -o image.nii.gz -mask-out labels.nii.gz", stderr)
	image := fs.String("image", "", "image: a DICOM series `folder` (or a DICOM file, or .nii/.nii.gz/.nrrd/.nhdr)")
	series := fs.String("series", "", "the series to read when the folder holds several: SeriesInstanceUID, SeriesNumber or SeriesDescription")
	mask := fs.String("mask", "", "mask `file`: RTSTRUCT, DICOM-SEG, .seg.nrrd or a label map; written as labels 1 = injured cord, 2 = rest of the cord (segment names mapped as the README says)")
	out := fs.String("o", "", "output image `file` (.nii, .nii.gz, .nrrd, .nhdr)")
	maskOut := fs.String("mask-out", "", "output label map `file` (with -mask)")
	list := fs.String("list", "", "list the series in a DICOM `folder` and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *list != "" {
		ss, err := dicom.ListSeries(*list)
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			return fmt.Errorf("%s: no DICOM file", *list)
		}
		fmt.Fprintln(stdout, "series_uid,number,description,modality,files")
		for _, s := range ss {
			fmt.Fprintf(stdout, "%s,%d,%q,%s,%d\n", s.UID, s.Number, s.Description, s.Modality, len(s.Files))
		}
		return nil
	}
	switch {
	case *image == "" || *out == "":
		return errors.New("convert: -image and -o are required (or -list DIR)")
	case *mask != "" && *maskOut == "":
		return errors.New("convert: -mask needs -mask-out, the label map to write")
	case *mask == "" && *maskOut != "":
		return errors.New("convert: -mask-out needs -mask")
	}
	inputs := []string{*image, *mask}
	if st, err := os.Stat(*image); err == nil && st.IsDir() {
		files, err := filesUnder(*image)
		if err != nil {
			return err
		}
		inputs = append(inputs, files...)
	}
	if err := outpath.CheckAll([]string{*out, *maskOut}, inputs); err != nil {
		return err
	}
	src := *image
	if *series != "" {
		if st, err := os.Stat(*image); err != nil || !st.IsDir() {
			return fmt.Errorf("convert: -series needs -image to be a DICOM folder, not %s", *image)
		}
		src = *image + "#" + *series
	}
	img, err := volio.ReadImage(src)
	if err != nil {
		return err
	}
	var lab = img
	if *mask != "" {
		if lab, err = volio.ReadLabelMapOn(*mask, img.Grid); err != nil {
			return err
		}
	}
	if err := volio.WriteImage(*out, img); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %v\n", *out, img.Grid)
	if *mask != "" {
		if err := volio.WriteImage(*maskOut, lab); err != nil {
			return err
		}
		n := map[float64]int{}
		for _, x := range lab.Data {
			if x != 0 {
				n[x]++
			}
		}
		var parts []string
		for l := 1; l <= 2; l++ {
			parts = append(parts, fmt.Sprintf("label %d: %d voxels", l, n[float64(l)]))
		}
		fmt.Fprintf(stderr, "%s: %s\n", *maskOut, strings.Join(parts, ", "))
	}
	return nil
}

// filesUnder lists the regular files under dir (the inputs of a DICOM
// folder), so that no output lands on one of them.
func filesUnder(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
