//go:build goexperiment.simd && amd64

package filter

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLines4SIMD: lines4 (the AVX2 recursion where the CPU has AVX2)
// equals the scalar one to the bit, for
// both orders, several sigmas and spacings, line lengths from 4 and every
// output range (TestITKBitExact checks the scalar arithmetic against ITK).
func TestLines4SIMD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, ln := range []int{4, 5, 7, 16, 61} {
		in := make([]float64, 3*4*ln) // three groups
		for i := range in {
			in[i] = math.Round(r.NormFloat64()*300) + r.Float64()
		}
		for _, order := range []int{0, 2} {
			for _, sg := range []float64{0.5, 1, 3} {
				g := newRecursiveGaussian(order, sg, 0.8+r.Float64(), true)
				for lo := 0; lo < ln; lo += 3 {
					for hi := lo + 1; hi <= ln; hi += 2 {
						a, b := make([]float64, len(in)), make([]float64, len(in))
						s1, s2 := make([]float64, 4*ln), make([]float64, 4*ln)
						g.lines4Scalar(a, in, s1, s2, ln, lo, hi)
						g.lines4(b, in, s1, s2, ln, lo, hi)
						for i := range a {
							if i%(4*ln) < lo*4 || i%(4*ln) >= hi*4 {
								continue
							}
							if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
								t.Fatalf("ln %d order %d sigma %g [%d,%d) sample %d: AVX2 %v, scalar %v", ln, order, sg, lo, hi, i, b[i], a[i])
							}
						}
					}
				}
			}
		}
	}
}
