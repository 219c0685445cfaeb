package radiomics

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	// The layout of pyradiomics' examples/exampleSettings/Params.yaml.
	const params = `
imageType:
  Original: {}
featureClass:
  shape:
  firstorder: []
  glcm: [Contrast, Idmn]
setting:
  binWidth: 5
  label: 2
  voxelArrayShift: 1000
  interpolator: 'sitkBSpline'
  resampledPixelSpacing: [1, 1, 1.5]
  normalize: true
  normalizeScale: 100
  distances: [1, 2]
  symmetricalGLCM: false
  force2D: true
  force2Ddimension: 1
  gldm_a: 1
  geometryTolerance: 0.0001
  correctMask: true
  minimumROIDimensions: 3
  additionalInfo: true
  weightingNorm: euclidean
`
	s, err := ParseParams(strings.NewReader(params))
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		BinWidth: 5, Label: 2, VoxelArrayShift: 1000, Interpolator: "sitkBSpline",
		ResampledPixelSpacing: []float64{1, 1, 1.5}, Normalize: true, NormalizeScale: 100,
		Distances: []int{1, 2}, AsymmetricalGLCM: true, Force2D: true, Force2DDimension: 1,
		GLDMAlpha: 1, WeightingNorm: "euclidean", GeometryTolerance: 1e-4, CorrectMask: true, MinimumROIDimensions: 3,
		Classes:  []string{"shape", "firstorder", "glcm"},
		Features: map[string][]string{"glcm": {"Contrast", "Idmn"}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if got := s.EnabledClasses(); !reflect.DeepEqual(got, []string{"firstorder", "shape", "glcm"}) {
		t.Errorf("enabled classes %v", got)
	}
	if s.Force2DAxis() != 1 {
		t.Errorf("force2Ddimension 1 (y in z,y,x) is our axis 1, got %d", s.Force2DAxis())
	}
}

func TestParseParamsDefaults(t *testing.T) {
	for _, in := range []string{"", "---\n", "setting:\n", "setting: {}\nimageType: {Original: {}}\n"} {
		s, err := ParseParams(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if w, n := s.binning(); w != 25 || n != 0 || s.label() != 1 || s.minDims() != 2 || len(s.EnabledClasses()) != 7 {
			t.Errorf("%q: defaults not pyradiomics': %+v", in, s)
		}
		if s.Hash() != (Settings{}).Hash() {
			t.Errorf("%q: hash differs from the zero Settings", in)
		}
	}
}

func TestParseParamsErrors(t *testing.T) {
	for in, want := range map[string]string{
		"setting:\n  binWdith: 5\n":             "binWdith",
		"settings:\n  binWidth: 5\n":            `"settings"`,
		"setting:\n  binWidth: -1\n":            "binWidth",
		"setting:\n  binWidth: abc\n":           "binWidth",
		"setting:\n  label: 1.5\n":              "label",
		"setting:\n  resegmentRange: [1,2,3]\n": "resegmentRange",
		"setting:\n  resegmentMode: max\n":      "resegmentMode",
		"imageType:\n  Wavelett: {}\n":          "Wavelett",
		"imageType:\n  LoG: {sigma: [0]}\n":     "sigma",
		"imageType:\n  LoG: {sigma: 1}\n":       "sigma",
		"setting:\n  wavelet: db99\n":           "wavelet",
		"setting:\n  level: 1000\n":             "level",
		"setting:\n  lbp2DMethod: var\n":        "lbp2DMethod",
		"imageType:\n  Wavelet: {level: -1}\n":  "level",
		"imageType:\n  Original: {binWdith: 1}": "binWdith",
		"featureClass:\n  glcmm: []\n":          "glcmm",
		"featureClass:\n  glcm: Contrast\n":     "glcm",
		"setting:\n  force2Ddimension: 3\n":     "force2Ddimension",
		"setting: [1, 2]\n":                     "setting",
		"- a\n- b\n":                            "mapping",
		"setting:\n  weightingNorm: l2\n":       "weightingNorm",
		"voxelSetting:\n  kernelRadius: 2\n":    "voxel-based",
		"setting:\n  binWidth: [1\n":            "params",
	} {
		_, err := ParseParams(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one naming %s", in, err, want)
		}
	}
}

func TestSettingsHash(t *testing.T) {
	a := Settings{BinCount: 32}
	b := Settings{BinCount: 32, BinWidth: 10} // binCount wins: same features
	if a.Hash() != b.Hash() {
		t.Error("binCount with and without an unused binWidth hash differently")
	}
	if a.Hash() == (Settings{BinCount: 16}).Hash() {
		t.Error("different bin counts hash the same")
	}
}

func FuzzParseParams(f *testing.F) {
	f.Add("setting:\n  binWidth: 5\n  label: 2\n")
	f.Add("featureClass:\n  glcm: [Contrast]\nimageType: {Original: {}}\n")
	f.Add("setting: {distances: [1, 2], resampledPixelSpacing: [1, 1, 1]}\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseParams(strings.NewReader(in))
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseParams accepted settings that Validate rejects: %v", err)
		}
		_ = s.Hash()
	})
}
