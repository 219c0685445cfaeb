package filter

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestSplineAt4: splineAt4 (four samples at once, AVX2 where the CPU has
// it) equals the one-sample sum at — scipy's tap order — to the bit, inside
// the image and at its mirrored borders.
func TestSplineAt4(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := volume.New(volume.NewGrid([3]int{13, 11, 9}, [3]float64{1, 1, 1}))
	for i := range v.Data {
		v.Data[i] = math.Round(r.NormFloat64() * 500)
	}
	n := v.Dims
	c, _ := splineCoefficients(v, [3][2]int{{0, n[0]}, {0, n[1]}, {0, n[2]}})
	dims := [3]int{n[2], n[1], n[0]}
	strides := [3]int{n[0] * n[1], n[0], 1}
	for it := 0; it < 2000; it++ {
		var taps [4]splineTaps
		for q := range taps {
			for a := 0; a < 3; a++ {
				lo := 1.0
				if it%3 == 0 { // reach the borders (mirrored taps)
					lo = 0
				}
				x := lo + r.Float64()*(float64(dims[a]-1)-2*lo)
				at := prepareAxis(x, dims[a], 0, strides[a])
				taps[q].set(a, &at)
			}
		}
		got := splineAt4(c, &taps)
		for q := range taps {
			if want := taps[q].at(c); math.Float64bits(got[q]) != math.Float64bits(want) {
				t.Fatalf("sample %d of try %d: four at once %v, one %v", q, it, got[q], want)
			}
		}
	}
}
