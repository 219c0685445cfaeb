//go:build goexperiment.simd && amd64

package filter

import (
	"math"
	"simd/archsimd"
)

// maxAbsFast is maxAbsScalar four values per AVX2 register (|x| by
// clearing the sign bit, a running maximum per lane, NaNs noted apart);
// false without AVX2.
func maxAbsFast(d []float64) (float64, bool) {
	if !useAVX2 {
		return 0, false
	}
	abs := archsimd.BroadcastUint64x4(1<<63 - 1)
	var m f64x4
	var nan archsimd.Mask64x4
	i := 0
	for ; i+4 <= len(d); i += 4 {
		a := archsimd.LoadFloat64x4Slice(d[i:]).AsUint64x4().And(abs).AsFloat64x4()
		nan = nan.Or(a.IsNaN())
		m = m.Max(a)
	}
	var l [4]float64
	m.Store(&l)
	isNaN := nan.ToBits() != 0
	archsimd.ClearAVXUpperBits()
	if isNaN {
		return math.NaN(), true
	}
	r := max(l[0], l[1], l[2], l[3])
	for ; i < len(d); i++ {
		a := math.Abs(d[i])
		if a != a {
			return math.NaN(), true
		}
		r = max(r, a)
	}
	return r, true
}

// integralFast is integralScalar four values per AVX2 register: every
// x equal to its truncation (NaN is not; ±Inf is); false ok without AVX2.
func integralFast(d []float64) (whole, ok bool) {
	if !useAVX2 {
		return false, false
	}
	var bad archsimd.Mask64x4
	i := 0
	for ; i+4 <= len(d); i += 4 {
		x := archsimd.LoadFloat64x4Slice(d[i:])
		bad = bad.Or(x.NotEqual(x.Trunc()))
	}
	whole = bad.ToBits() == 0
	archsimd.ClearAVXUpperBits()
	if whole && i < len(d) {
		whole = integralScalar(d[i:])
	}
	return whole, true
}
