//go:build !(goexperiment.simd && amd64)

package filter

// splineAt4 is splineAt4Scalar where there is no AVX2 code path.
func splineAt4(c []float64, s *[4]splineTaps) [4]float64 {
	return splineAt4Scalar(c, s, contig4(s))
}
