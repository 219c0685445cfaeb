package featuremap

import (
	"slices"
	"strings"
	"testing"
)

// With image types in the params file, every derived image gets its maps,
// named as pyradiomics names them and as Names lists them beforehand; the
// Original image's map is still pyradiomics' (golden lesion values).
func TestImageTypes(t *testing.T) {
	s, err := ParseParams(strings.NewReader("imageType:\n  LoG:\n    sigma: [1.0]\n  Square: {}\n  Original: {}\nfeatureClass:\n  glcm: [Contrast]\n"))
	if err != nil {
		t.Fatal(err)
	}
	img, mask := spineROI(t, "lesion")
	var got []string
	var orig []float64
	err = Each(img, mask, s, func(m Map) error {
		got = append(got, m.Name())
		if m.Image == "original" {
			for _, ijk := range readGolden(t)[0].IJK {
				orig = append(orig, m.Volume.At(ijk[0], ijk[1], ijk[2]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"log-sigma-1-0-mm-3D_glcm_Contrast", "square_glcm_Contrast", "original_glcm_Contrast"}
	if !slices.Equal(got, want) || !slices.Equal(Names(s), want) {
		t.Fatalf("maps %v, Names %v; want %v", got, Names(s), want)
	}
	for n, w := range readGolden(t)[0].Features["glcm_Contrast"] {
		if relDiff(orig[n], *w) > 1e-6 {
			t.Fatalf("original map at voxel %d: %g, pyradiomics %g", n, orig[n], *w)
		}
	}
}
