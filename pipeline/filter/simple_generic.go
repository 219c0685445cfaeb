//go:build !(goexperiment.simd && amd64)

package filter

// maxAbsFast is not available: maxAbs runs maxAbsScalar.
func maxAbsFast(d []float64) (float64, bool) { return 0, false }

// integralFast is not available: integral runs integralScalar.
func integralFast(d []float64) (whole, ok bool) { return false, false }
