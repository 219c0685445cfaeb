package radiomics

import (
	"fmt"
	"strings"
	"testing"
)

// imageTypesCordParams are make_golden.py's "all" params.
const imageTypesCordParams = `setting:
  binWidth: 25
imageType:
  Original: {}
  LoG: {sigma: [1.0, 2, 3.0]}
  Wavelet: {}
  Square: {}
  SquareRoot: {}
  Logarithm: {}
  Exponential: {}
  Gradient: {}
  LBP2D: {}
  LBP3D: {}
`

// BenchmarkImageTypesCord extracts every pyradiomics image type (the
// "all" params of testdata/filters/make_golden.py: Original, LoG 1/2/3 mm,
// coif1 wavelet, Square, SquareRoot, Logarithm, Exponential, Gradient,
// LBP2D, LBP3D; 1953 features) on the spine cord ROI (case A). Compare with
// testdata/filters/time_pyradiomics.py on the same machine (make
// bench-imagetypes runs both, one core each, and prints the ratio). It
// reports the process's CPU time per call (cpu-ns/op) beside the wall time.
func BenchmarkImageTypesCord(b *testing.B) {
	s, err := ParseParams(strings.NewReader(imageTypesCordParams))
	if err != nil {
		b.Fatal(err)
	}
	img := readTestNIfTI(b, "../../testdata/spine/sct_testing_data/t2/t2.nii.gz")
	mask := readTestNIfTI(b, "../../testdata/spine/sct_testing_data/t2/t2_seg-manual.nii.gz")
	cpuLoop(b, func() error {
		_, err := ExtractImageTypes(img, mask, s)
		return err
	})
}

// BenchmarkImageTypesCordParts times BenchmarkImageTypesCord's parts: the
// preparation (ROI, mask, scale), then per task (one per LoG sigma) its
// filter (filter/…) and the features of its images (features/…).
func BenchmarkImageTypesCordParts(b *testing.B) {
	s, err := ParseParams(strings.NewReader(imageTypesCordParams))
	if err != nil {
		b.Fatal(err)
	}
	img := readTestNIfTI(b, "../../testdata/spine/sct_testing_data/t2/t2.nii.gz")
	mask := readTestNIfTI(b, "../../testdata/spine/sct_testing_data/t2/t2_seg-manual.nii.gz")
	b.Run("prepare", func(b *testing.B) {
		cpuLoop(b, func() error { _, err := prepareImageTypes(img, mask, s); return err })
	})
	in, err := prepareImageTypes(img, mask, s)
	if err != nil {
		b.Fatal(err)
	}
	for ti, t := range in.types {
		name := t.Name
		if t.Name == "LoG" {
			name = fmt.Sprintf("LoG%g", t.Settings().Filter.Sigma[0])
		}
		b.Run("filter/"+name, func(b *testing.B) {
			cpuLoop(b, func() error { _, err := in.filter(ti); return err })
		})
		images, err := in.filter(ti)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("features/"+name, func(b *testing.B) {
			cpuLoop(b, func() error { _, err := in.features(ti, images); return err })
		})
	}
}
