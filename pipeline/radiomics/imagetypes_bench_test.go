package radiomics

import (
	"strings"
	"testing"
)

// BenchmarkImageTypesCord extracts every pyradiomics image type (the
// "all" params of testdata/filters/make_golden.py: Original, LoG 1/2/3 mm,
// coif1 wavelet, Square, SquareRoot, Logarithm, Exponential, Gradient,
// LBP2D, LBP3D; 1953 features) on the spine cord ROI (case A). Compare with
// testdata/filters/time_pyradiomics.py on the same machine (make
// bench-imagetypes runs both, one core each, and prints the ratio). It
// reports the process's CPU time per call (cpu-ns/op) beside the wall time.
func BenchmarkImageTypesCord(b *testing.B) {
	const params = `setting:
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
	s, err := ParseParams(strings.NewReader(params))
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
