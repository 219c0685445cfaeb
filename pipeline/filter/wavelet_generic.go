//go:build !(goexperiment.simd && amd64)

package filter

// swtLine is swtLineScalar where there is no AVX2 code path.
func swtLine(lo, hi, ext []float64, o0 int, fb [2][]float64) { swtLineScalar(lo, hi, ext, o0, fb) }
