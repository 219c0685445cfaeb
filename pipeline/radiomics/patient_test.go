package radiomics

import (
	"testing"

	"github.com/scirad/scirad/pipeline/internal/toyvol"
	"github.com/scirad/scirad/pipeline/preprocess"
)

func TestExtractImagesParallel(t *testing.T) {
	img, mask := toyvol.Patient(3, [3]float64{0.8, 0.8, 2})
	cs := PaperCohortSettings()
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ExtractImages(pre, cs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ExtractImagesParallel(pre, cs, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("column %d: serial %v, parallel %v", i, a[i], b[i])
		}
	}
}

// TestExtractImagesNormalize: normalize in the settings z-scores each image
// before extraction, as Extract does for one image.
func TestExtractImagesNormalize(t *testing.T) {
	img, mask := toyvol.Patient(5, [3]float64{0.8, 0.8, 2})
	cs := PaperCohortSettings()
	cs.Features.Normalize = true
	cs.Features.NormalizeScale = 100
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ExtractImages(pre, cs)
	if err != nil {
		t.Fatal(err)
	}
	s := cs.Features
	s.Label = 1
	direct, err := Extract(pre.Images[2], pre.Mask, s)
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range direct {
		if got := all[2*107+j]; got != v.Value {
			t.Fatalf("%s: %v, Extract %v", v.Key(), got, v.Value)
		}
	}
}
