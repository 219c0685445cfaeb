package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/scirad/scirad/pipeline/featuremap"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// runMaps writes voxel-based feature maps (pyradiomics' voxel-based
// extraction): one NIfTI per feature on the image grid, named by
// pyradiomics (original_glcm_Contrast.nii.gz).
func runMaps(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("maps", "-image IMG -mask MASK -out DIR [-params p.yaml] [-features glcm,firstorder_Mean,...] [-label N] [-kernel-radius R] [-workers N] [-float64]",
		"scirad maps -image testdata/spine/sct_testing_data/t2/t2_fake_lesion.nii.gz -mask testdata/spine/sct_testing_data/t2/t2_fake_lesion_lesion_seg.nii.gz -features glcm_Contrast,firstorder_Mean -out maps/", stderr)
	image := fs.String("image", "", "image `file` (.nii, .nii.gz, .nrrd, .nhdr)")
	mask := fs.String("mask", "", "label map `file` on the image grid (.seg.nrrd accepted)")
	out := fs.String("out", "", "output `folder`: one <name>.nii.gz per map")
	params := fs.String("params", "", "pyradiomics params YAML `file` (setting:, featureClass:, voxelSetting: kernelRadius, maskedKernel, initValue, voxelBatch)")
	features := fs.String("features", "", "comma-separated `list` of classes (glcm) and features (firstorder_Mean, glcm_Contrast); default: the params file's, else all 93")
	label := fs.Int("label", 0, "ROI `label`; 0 keeps the params file's label (default 1)")
	radius := fs.Int("kernel-radius", 0, "kernelRadius `r` (kernel of (2r+1)³ voxels); 0 keeps the params file's (default 1)")
	workers := fs.Int("workers", 0, "goroutines (0: all cores)")
	f64 := fs.Bool("float64", false, "write float64 maps (default float32)")
	if err := parse(fs, args, "image", "mask", "out"); err != nil {
		return err
	}
	var s featuremap.Settings
	if *params != "" {
		var err error
		if s, err = featuremap.ReadParamsFile(*params); err != nil {
			return err
		}
	}
	switch {
	case *label < 0:
		return fmt.Errorf("-label %d must be positive", *label)
	case *radius < 0 || *radius > featuremap.MaxKernelRadius:
		return fmt.Errorf("-kernel-radius %d must be 1..%d", *radius, featuremap.MaxKernelRadius)
	case *workers < 0:
		return fmt.Errorf("-workers %d must be positive", *workers)
	}
	if *label > 0 {
		s.Label = *label
	}
	if *radius > 0 {
		s.KernelRadius = *radius
	}
	s.Workers = *workers
	if err := featuremap.SelectFeatures(&s, *features); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	// The outputs are known before any work (but for Wavelet and LBP3D,
	// whose images the filter names; their writes are checked as they come):
	// check them all against the inputs.
	var names []string
	for _, n := range featuremap.Names(s) {
		names = append(names, filepath.Join(*out, n+".nii.gz"))
	}
	if err := outpath.CheckAll(names, []string{*image, *mask, *params}); err != nil {
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
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	dt := nifti.Float32
	if *f64 {
		dt = nifti.Float64
	}
	start := time.Now()
	n := 0
	err = featuremap.Each(img, lab, s, func(m featuremap.Map) error {
		if dt == nifti.Float32 {
			for _, x := range m.Volume.Data {
				if math.Abs(x) > math.MaxFloat32 && !math.IsInf(x, 0) {
					return fmt.Errorf("%s: value %g does not fit float32: use -float64", m.Name(), x)
				}
			}
		}
		n++
		return nifti.WriteFile(filepath.Join(*out, m.Name()+".nii.gz"), m.Volume, &nifti.Options{Datatype: dt})
	})
	if err != nil {
		return fmt.Errorf("%s, %s: %w", *image, *mask, err)
	}
	fmt.Fprintf(stderr, "maps: %d maps in %s (%.1f s)\n", n, *out, time.Since(start).Seconds())
	return nil
}
