package filter

import (
	"math"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestCropBitExact: with Options.Crop every pyradiomics image type returns,
// to the bit, the whole image's filter output cropped to the region (the
// ROI box with margins that reach, and do not reach, the image border), on
// an integer image (LBP3D rounds its samples) and a non-integer one, with
// LBP3D's ROI inside the region.
func TestCropBitExact(t *testing.T) {
	for _, integer := range []bool{true, false} {
		img := ramp([3]int{31, 29, 27})
		img.Spacing = [3]float64{0.9, 1.1, 1.3}
		for i := range img.Data {
			x := math.Sin(float64(i)*0.37)*100 + math.Cos(float64(i)*0.011)*40
			if integer {
				x = math.Round(x)
			}
			img.Data[i] = x
		}
		for _, box := range []volume.Box{
			{Min: [3]int{11, 9, 8}, Max: [3]int{19, 16, 15}}, // inside: wavelet and LBP3D need no wrap
			{Min: [3]int{0, 3, 20}, Max: [3]int{6, 29, 27}},  // at the border
		} {
			mask := volume.New(img.Grid)
			for k := box.Min[2]; k < box.Max[2]; k++ {
				for j := box.Min[1]; j < box.Max[1]; j++ {
					for i := box.Min[0]; i < box.Max[0]; i++ {
						if (i+2*j+k)%3 != 0 || (i == box.Min[0] && j == box.Min[1] && k == box.Min[2]) || (i == box.Max[0]-1 && j == box.Max[1]-1 && k == box.Max[2]-1) {
							mask.Set(i, j, k, 1)
						}
					}
				}
			}
			p := Params{Sigma: []float64{0.7, 2.5}}
			for _, typ := range Types {
				whole, err := Apply(typ, img, mask, p, Options{Label: 1})
				if err != nil {
					t.Fatal(err)
				}
				part, err := Apply(typ, img, mask, p, Options{Label: 1, Region: &box, Crop: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(part) != len(whole) {
					t.Fatalf("%s: %d images cropped, %d whole", typ, len(part), len(whole))
				}
				for b := range whole {
					want := whole[b].Volume.Crop(box)
					got := part[b].Volume
					if part[b].Name != whole[b].Name || got.Grid != want.Grid {
						t.Fatalf("%s: image %s on %+v, want %s on %+v", typ, part[b].Name, got.Grid, whole[b].Name, want.Grid)
					}
					for i := range want.Data {
						if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) && !(math.IsNaN(got.Data[i]) && math.IsNaN(want.Data[i])) {
							x, y, z := want.Coords(i)
							t.Fatalf("integer %v, box %v, %s voxel (%d,%d,%d): cropped %v, whole %v", integer, box, part[b].Name, x, y, z, got.Data[i], want.Data[i])
						}
					}
				}
			}
		}
	}
}

// TestMaxAbs: the four-lane maxAbs equals math.Max over |x|, wherever the
// largest value is (every position of short and odd lengths), and is NaN
// when there is a NaN.
func TestMaxAbs(t *testing.T) {
	for n := 1; n <= 11; n++ {
		for at := 0; at < n; at++ {
			for _, sign := range []float64{1, -1} {
				v := ramp([3]int{n, 1, 1})
				for i := range v.Data {
					v.Data[i] = float64(i%3) - 1
				}
				v.Data[at] = sign * 7.5
				want := 0.0
				for _, x := range v.Data {
					want = math.Max(want, math.Abs(x))
				}
				if got := maxAbs(v); got != want {
					t.Fatalf("n %d, largest at %d: maxAbs %v, want %v", n, at, got, want)
				}
				v.Data[(at+1)%n] = math.NaN()
				if got := maxAbs(v); !math.IsNaN(got) {
					t.Fatalf("n %d, NaN at %d: maxAbs %v, want NaN", n, (at+1)%n, got)
				}
			}
		}
	}
}
