package radiomics

import (
	"strings"
	"testing"
)

// BenchmarkImageTypesCord extracts every pyradiomics image type (the
// "all" params of testdata/filters/make_golden.py: Original, LoG 1/2/3 mm,
// coif1 wavelet, Square, SquareRoot, Logarithm, Exponential, Gradient,
// LBP2D, LBP3D; 1953 features) on the spine cord ROI (case A). Compare with
// testdata/filters/time_pyradiomics.py on the same machine.
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
	b.ResetTimer()
	for range b.N {
		if _, err := ExtractImageTypes(img, mask, s); err != nil {
			b.Fatal(err)
		}
	}
}
