package radiomics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDigitizerMatchesDigitize: the guessing digitizer Bin uses gives
// numpy.digitize's bin (digitize, a binary search) for values at, next to
// and between the edges of both binnings, widths from 1e-3 to 1e3.
func TestDigitizerMatchesDigitize(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		x := make([]float64, 50)
		scale := math.Pow(10, float64(r.IntN(7)-3))
		for i := range x {
			x[i] = (r.Float64()*2000 - 500) * scale
		}
		width, count := 25*scale, 0
		if trial%2 == 1 {
			width, count = 0, 1+r.IntN(64)
		}
		edges, err := BinEdges(x, width, count)
		if err != nil {
			t.Fatal(err)
		}
		dg := newDigitizer(edges)
		probe := append([]float64{}, x...)
		for _, e := range edges {
			probe = append(probe, e, math.Nextafter(e, math.Inf(-1)), math.Nextafter(e, math.Inf(1)))
		}
		probe = append(probe, edges[0]-1e9, edges[len(edges)-1]+1e9)
		for _, v := range probe {
			if got, want := dg.bin(v), digitize(v, edges); got != want {
				t.Fatalf("trial %d: bin(%v) = %d, digitize %d (edges %v)", trial, v, got, want, edges)
			}
		}
	}
}

// TestSortFloats: the radix sort first order uses gives slices.Sort's
// order on large inputs of mixed signs and magnitudes, whole numbers and
// repeated values.
func TestSortFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{10, 5000, 70000} {
		for kind := range 3 {
			x := make([]float64, n)
			for i := range x {
				switch kind {
				case 0:
					x[i] = (r.Float64() - 0.3) * math.Pow(10, float64(r.IntN(20)-10))
				case 1:
					x[i] = float64(r.IntN(4096))
				default:
					x[i] = float64(r.IntN(5)) - 2.5
				}
			}
			want := slices.Clone(x)
			slices.Sort(want)
			sortFloats(x)
			if !slices.Equal(x, want) {
				t.Fatalf("n %d kind %d: radix order differs from slices.Sort", n, kind)
			}
		}
	}
}
