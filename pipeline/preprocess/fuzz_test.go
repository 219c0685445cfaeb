package preprocess

import (
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// FuzzRun feeds small volumes (up to 6×6×6 voxels, anisotropic spacing) and
// arbitrary settings — what a params file can set — to Run. Invariants: no
// panic; an error is one line; on success the five images and the mask
// share one grid, the mask keeps a non-zero voxel, and a normalised image
// lies in [0, 1].
func FuzzRun(f *testing.F) {
	f.Add([]byte{4, 5, 3, 10, 200, 7, 1, 0, 0, 2, 9}, 1.0, 0.0, 1.0, 1.0, 1.0, 5.0, uint8(5), true, false)
	f.Add([]byte{2, 2, 2, 0, 0, 0, 0, 1}, 0.5, 1.0, 0.5, 2.0, 3.0, 0.0, uint8(3), false, true)
	f.Add([]byte{6, 1, 1, 1, 2, 3, 4, 5, 6}, 2.0, 10.0, 0.0, 0.0, 0.0, -3.0, uint8(7), true, false)
	f.Fuzz(func(t *testing.T, data []byte, sigma, clip, s0, s1, s2, margin float64, box uint8, normalize, full bool) {
		if len(data) < 3 {
			return
		}
		g := volume.NewGrid([3]int{int(data[0])%6 + 1, int(data[1])%6 + 1, int(data[2])%6 + 1}, [3]float64{0.7, 1, 2.5})
		img, mask := volume.New(g), volume.New(g)
		for i := range img.Data {
			if 3+i < len(data) {
				img.Data[i] = float64(data[3+i])
				mask.Data[i] = float64(data[3+i] % 3)
			}
		}
		s := Settings{Normalize: normalize, ClipPercentile: clip, Spacing: [3]float64{s0, s1, s2}, Interpolator: Linear,
			BoxSize: int(box), GaussianSigma: sigma, Margin: margin, FullField: full}
		// Keep each run small: a large sigma or a fine spacing is valid but
		// slow, not a bug.
		if math.Abs(sigma) > 10 {
			return
		}
		for a, sp := range s.Spacing {
			if sp != 0 && math.Abs(float64(g.Dims[a])*g.Spacing[a]/sp) > 40 {
				return
			}
		}
		r, err := Run(img, mask, s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of several lines: %q", err)
			}
			return
		}
		if len(r.Images) != 5 || len(r.Names) != 5 {
			t.Fatalf("%d images", len(r.Images))
		}
		for i, v := range r.Images {
			if err := v.SameGrid(r.Mask.Grid, 0); err != nil {
				t.Fatalf("%s: %v", r.Names[i], err)
			}
			for _, x := range v.Data {
				if math.IsNaN(x) || math.IsInf(x, 0) || normalize && (x < -1e-12 || x > 1+1e-12) {
					t.Fatalf("%s holds %v (normalise %v)", r.Names[i], x, normalize)
				}
			}
		}
		if _, n := countNonZero(r.Mask); n == 0 {
			t.Fatal("empty mask returned without an error")
		}
	})
}
