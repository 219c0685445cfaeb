//go:build !(goexperiment.simd && amd64)

package filter

// lines4 is lines4Scalar where there is no AVX2 code path.
func (g *recursiveGaussian) lines4(out, in, s1, s2 []float64, ln, lo, hi int) {
	g.lines4Scalar(out, in, s1, s2, ln, lo, hi)
}
