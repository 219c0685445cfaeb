package radiomics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortFloatsLowBytes: keys that differ only in the lowest bytes of the
// mantissa (a few ulps apart) or only in the sign are sorted too: the
// radix sort skips only the bytes that are the same in every key; and
// whole numbers of a small range, which it counts.
func TestSortFloatsLowBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, base := range []float64{1, -1, 1e-300, 0} {
		x := make([]float64, 6000)
		for i := range x {
			x[i] = math.Float64frombits(math.Float64bits(base) + uint64(r.IntN(300)))
			if base == 0 && r.IntN(2) == 0 {
				x[i] = -x[i]
			}
		}
		want := slices.Clone(x)
		slices.Sort(want)
		sortFloats(x)
		if !slices.Equal(x, want) {
			t.Errorf("base %v: radix order differs from slices.Sort", base)
		}
	}
	// whole numbers in [0, 800) and [-400, 400): few varying bits, counted
	for _, shift := range []int{0, -400} {
		x := make([]float64, 100000)
		for i := range x {
			x[i] = float64(r.IntN(800) + shift)
		}
		want := slices.Clone(x)
		slices.Sort(want)
		sortFloats(x)
		if !slices.Equal(x, want) {
			t.Errorf("whole numbers from %d: order differs from slices.Sort", shift)
		}
	}
}
