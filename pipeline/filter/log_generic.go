//go:build !(goexperiment.simd && amd64)

package filter

// passFast is false: pass goes through lines4.
func (g *recursiveGaussian) passFast(dst, src []float64, sn [3]int, ax, lo, hi int) bool {
	return false
}
