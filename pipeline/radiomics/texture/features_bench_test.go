package texture

import (
	"path/filepath"
	"testing"
)

// BenchmarkFeaturesFromCounts times the GLCM and GLRLM features alone:
// glcmValues and glrlmValues from the fused pass's counts, computed once
// before timing (the matrices' post-processing, the per-direction
// features, MCC and the averages), on the spine cases of the radiomics
// benchmarks (default settings, one goroutine):
//
//	go test -run XXX -bench FeaturesFromCounts -cpu 1 ./pipeline/radiomics/texture
func BenchmarkFeaturesFromCounts(b *testing.B) {
	cases := []struct {
		name string
		im   *Image
	}{
		{"lesion", spineROI(b, "lesion")},
		{"cord", spineROI(b, "cord")},
		{"cord_minus_lesion", spineROI(b, "cordMinusLesion")},
		{"dilated_cord", dilatedCordROI(b)},
	}
	for _, c := range cases {
		o := Options{Workers: 1}
		pr, err := prepare(c.im, &o)
		if err != nil {
			b.Fatal(err)
		}
		pr.fams = famAll
		if _, err := pr.scanned(famAll); err != nil {
			b.Fatal(err)
		}
		for _, f := range []struct {
			name string
			fn   func(*prepared, *Options) error
		}{
			{"glcm", func(pr *prepared, o *Options) error { _, err := glcmValues(pr, o); return err }},
			{"glrlm", func(pr *prepared, o *Options) error { _, err := glrlmValues(pr, o); return err }},
		} {
			b.Run(c.name+"/"+f.name, func(b *testing.B) {
				loop(b, func() {
					if err := f.fn(pr, &o); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// dilatedCordROI is the radiomics benchmarks' dilated_cord case: the t2
// cord (label 1) grown by four voxels along every axis (a 9×9×9 box),
// 17407 voxels, bin width 25.
func dilatedCordROI(b testing.TB) *Image {
	b.Helper()
	dir := filepath.Join(testdata, "spine", "sct_testing_data", "t2")
	image := readNIfTI(b, filepath.Join(dir, "t2.nii.gz"))
	mask := readNIfTI(b, filepath.Join(dir, "t2_seg-manual.nii.gz"))
	d := mask.dims
	in := make([]bool, len(mask.data))
	const r = 4
	for k, x := range mask.data {
		if x != 1 {
			continue
		}
		x0, y0, z0 := k%d[0], k/d[0]%d[1], k/(d[0]*d[1])
		for z := max(0, z0-r); z <= min(d[2]-1, z0+r); z++ {
			for y := max(0, y0-r); y <= min(d[1]-1, y0+r); y++ {
				for x := max(0, x0-r); x <= min(d[0]-1, x0+r); x++ {
					in[x+d[0]*(y+d[1]*z)] = true
				}
			}
		}
	}
	im := discretise(image, func(k int) bool { return in[k] }, binning{width: 25})
	n := 0
	for _, l := range im.Levels {
		n += b2i(l > 0)
	}
	if n != 17407 {
		b.Fatalf("dilated cord: %d voxels, want 17407", n)
	}
	return im
}
