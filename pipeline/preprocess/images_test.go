package preprocess

import (
	"slices"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// Run's images are the original and the four filters with the settings'
// widths (each filter checked against scipy in TestFiltersMatchScipy), in
// ImageNames order; RunOriginal's original is Run's, and PaperFilter gives
// Run's filtered images.
func TestRunImagesAreTheFilters(t *testing.T) {
	g := volume.NewGrid([3]int{30, 24, 8}, [3]float64{0.7, 0.7, 3})
	img, mask := volume.New(g), volume.New(g)
	for idx := range img.Data {
		i, j, k := img.Coords(idx)
		img.Data[idx] = float64((i*7+j*13+k*29)%17) + 0.1*float64(i*j)
		if i >= 8 && i < 22 && j >= 6 && j < 18 && k >= 2 && k < 6 {
			mask.Data[idx] = 1
		}
	}
	s := Paper()
	s.MeanSize, s.BoxSize, s.GaussianSigma = 5, 7, 1.5
	r, err := Run(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	orig := r.Images[0]
	want := []*volume.Volume{orig, BoxFilter(orig, 5), BoxFilter(orig, 7), GaussianFilter(orig, 1.5), MedianFilter3(orig)}
	if !slices.Equal(r.Names, ImageNames) || !slices.Equal(PaperFilters(), ImageNames[1:]) {
		t.Fatalf("names %v, paper filters %v", r.Names, PaperFilters())
	}
	for i, w := range want {
		if !slices.Equal(r.Images[i].Data, w.Data) {
			t.Errorf("image %s is not its filter of the original", r.Names[i])
		}
		if i == 0 {
			continue
		}
		p, err := PaperFilter(r.Names[i], orig, s)
		if err != nil || !slices.Equal(p.Data, w.Data) {
			t.Errorf("PaperFilter(%s) is not Run's image (%v)", r.Names[i], err)
		}
	}
	o, err := RunOriginal(img, mask, s, 1)
	if err != nil || !slices.Equal(o.Names, []string{"original"}) || !slices.Equal(o.Images[0].Data, orig.Data) || !slices.Equal(o.Mask.Data, r.Mask.Data) {
		t.Errorf("RunOriginal: %v, %v", o, err)
	}
	if _, err := PaperFilter("square", orig, s); err == nil {
		t.Error("PaperFilter(square): no error")
	}
}
