package filter

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSwtLine: the four-lane wavelet line (swtLine) equals swtLineScalar
// to the bit for wavelets of 2 to 20 taps, every output count from 1 and
// offsets into the extended line.
func TestSwtLine(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, name := range []string{"haar", "db2", "coif1", "sym4", "coif2", "db10"} {
		fb := pywtFilters[name]
		F := len(fb[0])
		for n := 1; n <= 13; n++ {
			for o0 := 0; o0 < 3; o0++ {
				ext := make([]float64, o0+n+2*F+1)
				for i := range ext {
					ext[i] = r.NormFloat64() * 100
				}
				a, b := make([]float64, n), make([]float64, n)
				c, d := make([]float64, n), make([]float64, n)
				swtLineScalar(a, b, ext, o0, fb)
				swtLine(c, d, ext, o0, fb)
				for i := range n {
					if math.Float64bits(a[i]) != math.Float64bits(c[i]) || math.Float64bits(b[i]) != math.Float64bits(d[i]) {
						t.Fatalf("%s n %d o0 %d output %d: low %v/%v, high %v/%v (four-lane/scalar)", name, n, o0, i, c[i], a[i], d[i], b[i])
					}
				}
			}
		}
	}
}
