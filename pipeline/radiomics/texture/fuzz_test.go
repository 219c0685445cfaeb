package texture

import (
	"errors"
	"math"
	"testing"
)

// FuzzAll feeds small random ROIs (up to 6×6×6, levels 0..5) to every
// family: no panic, only the documented errors, and GLCM matrices that sum
// to 1 per direction.
func FuzzAll(f *testing.F) {
	f.Add([]byte{2, 2, 2, 1, 2, 3, 4, 5, 0, 1, 2})
	f.Add([]byte{3, 1, 1, 1, 0, 2})
	f.Add([]byte{1, 1, 1, 3})
	f.Add([]byte{4, 3, 1, 1, 2, 2, 4, 4, 4, 1, 1, 2, 1, 4, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		im := &Image{Dims: [3]int{int(data[0])%6 + 1, int(data[1])%6 + 1, int(data[2])%6 + 1}}
		n := im.Dims[0] * im.Dims[1] * im.Dims[2]
		im.Levels = make([]int32, n)
		for k := range n {
			if 3+k < len(data) {
				im.Levels[k] = int32(data[3+k] % 6)
			}
		}
		for _, o := range []Options{{}, {Force2D: true}, {Weighting: "no_weighting"}, {Distances: []int{1, 2}, GLDMAlpha: 1},
			{Weighting: "euclidean", Spacing: [3]float64{0.5, 1, 3}}, {Weighting: "infinity", Spacing: [3]float64{1, 1, 1}, Distances: []int{2}},
			{Force2D: true, Force2DDimension: 0, Distances: []int{3}, Weighting: "manhattan", Spacing: [3]float64{2, 1, 1}}} {
			vs, err := All(im, o)
			if err != nil {
				if !errors.Is(err, ErrEmptyROI) && !errors.Is(err, ErrNoDirections) {
					t.Fatalf("%v: %v", o, err)
				}
				continue
			}
			if len(vs) != 75 {
				t.Fatalf("%d values", len(vs))
			}
			m, err := GLCMMatrix(im, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.P {
				s := 0.0
				for _, v := range p {
					s += v
				}
				if !math.IsNaN(s) && math.Abs(s-1) > 1e-12 {
					t.Fatalf("GLCM sums to %v", s)
				}
			}
		}
	})
}
