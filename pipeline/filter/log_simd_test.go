//go:build goexperiment.simd && amd64

package filter

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPassFast: pass (passFast: the AVX2 recursion, three groups of four
// lines at a time, lanes read and written in place along y and z) equals
// passLines4 (the scalar lines4One, which TestITKBitExact checks against
// ITK without GOEXPERIMENT=simd) to the bit, for every
// axis, both orders, output ranges at either end and in the middle, and
// lane counts that are and are not multiples of four or twelve.
func TestPassFast(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sn := range [][3]int{{4, 4, 4}, {13, 6, 9}, {9, 17, 5}, {20, 8, 11}} {
		src := make([]float64, sn[0]*sn[1]*sn[2])
		for i := range src {
			src[i] = math.Round(r.NormFloat64()*300) + r.Float64()
		}
		for ax := 0; ax < 3; ax++ {
			ln := sn[ax]
			for _, order := range []int{0, 2} {
				g := newRecursiveGaussian(order, 0.7+2*r.Float64(), 0.8+r.Float64(), true)
				for _, rg := range [][2]int{{0, ln}, {0, 1}, {ln - 1, ln}, {1, ln - 2}, {2, 3}} {
					lo, hi := rg[0], rg[1]
					dn := sn
					dn[ax] = hi - lo
					a, b := make([]float64, dn[0]*dn[1]*dn[2]), make([]float64, dn[0]*dn[1]*dn[2])
					g.passLines4(a, src, sn, ax, lo, hi)
					if !g.passFast(b, src, sn, ax, lo, hi) {
						if useAVX2 {
							t.Fatalf("dims %v axis %d: passFast declined", sn, ax)
						}
						g.passLines4(b, src, sn, ax, lo, hi) // no AVX2: nothing to compare
					}
					for i := range a {
						if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
							t.Fatalf("dims %v axis %d order %d [%d,%d) output %d: passFast %v, passLines4 %v", sn, ax, order, lo, hi, i, b[i], a[i])
						}
					}
				}
			}
		}
	}
}
