package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/filter/gallery"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

func runPreprocess(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("preprocess", "-image IMG -mask MASK -out DIR [flags]",
		"scirad preprocess -image out/toy/images/P001.nii.gz -mask out/toy/masks/P001.nii.gz -out prep/P001", stderr)
	image := fs.String("image", "", "image `file` (.nii, .nii.gz, .nrrd, .nhdr)")
	mask := fs.String("mask", "", "label map `file` on the image grid (1 = lesion, 2 = cord; .seg.nrrd accepted)")
	out := fs.String("out", "", "output `directory` (created; existing files with the same names are replaced)")
	spacing := fs.Float64("spacing", 1, "isotropic target spacing in mm; 0 keeps the input grid")
	bspline := fs.Bool("bspline", false, "interpolate the image with cubic B-splines instead of linearly")
	clip := fs.Float64("clip", 0, "clip to the [p, 100-p] percentiles before min-max normalisation")
	margin := fs.Float64("margin", 5, "mm kept around the ROI bounding box")
	full := fs.Bool("full", false, "keep the whole field of view instead of cropping to the ROI")
	filtersV := filtersFlag(fs)
	if err := parse(fs, args, "image", "mask", "out"); err != nil {
		return err
	}
	filters, err := parseFilters(fs, *filtersV)
	if err != nil {
		return err
	}
	var outs []string
	for _, n := range append(gallery.ImageNames(filters), "mask") {
		outs = append(outs, filepath.Join(*out, n+".nii.gz"))
	}
	if err := outpath.CheckAll(outs, []string{*image, *mask}); err != nil {
		return err
	}
	img, err := volio.ReadImage(*image)
	if err != nil {
		return err
	}
	lab, err := volio.ReadLabelMap(*mask)
	if err != nil {
		return err
	}
	s := preprocess.Paper()
	s.Spacing = [3]float64{*spacing, *spacing, *spacing}
	if *spacing == 0 {
		s.Spacing = [3]float64{}
	}
	if *bspline {
		s.Interpolator = preprocess.BSpline
	}
	s.ClipPercentile, s.Margin, s.FullField = *clip, *margin, *full
	r, err := gallery.Preprocess(img, lab, s, filters)
	if err != nil {
		return fmt.Errorf("%s, %s: %w", *image, *mask, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for i, name := range r.Names {
		path := filepath.Join(*out, name+".nii.gz")
		if err := nifti.WriteFile(path, r.Images[i], &nifti.Options{Datatype: nifti.Float32}); err != nil {
			return err
		}
	}
	if err := nifti.WriteFile(filepath.Join(*out, "mask.nii.gz"), r.Mask, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		return err
	}
	g := r.Mask.Grid
	fmt.Fprintf(stdout, "wrote %s/{%s}.nii.gz and mask.nii.gz: %dx%dx%d voxels at %gx%gx%g mm\n",
		*out, joinNames(r.Names), g.Dims[0], g.Dims[1], g.Dims[2], g.Spacing[0], g.Spacing[1], g.Spacing[2])
	return nil
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ","
		}
		s += n
	}
	return s
}
