//go:build goexperiment.simd && amd64

package filter

import "simd/archsimd"

// splineAt4 is splineAt4SIMD where the CPU has AVX2 and the four samples'
// taps along axis 2 are adjacent, else splineAt4Scalar.
func splineAt4(c []float64, s *[4]splineTaps) [4]float64 {
	contig := contig4(s)
	if useAVX2 && contig {
		return splineAt4SIMD(c, s)
	}
	return splineAt4Scalar(c, s, contig)
}

// transpose4 is the 4×4 transpose of rows r0…r3 (VSHUFPD, VPERM2F128).
func transpose4(r0, r1, r2, r3 f64x4) (c0, c1, c2, c3 f64x4) {
	t0 := r0.SelectFromPairGrouped(0, 2, r1) // r0[0] r1[0] r0[2] r1[2]
	t1 := r0.SelectFromPairGrouped(1, 3, r1) // r0[1] r1[1] r0[3] r1[3]
	t2 := r2.SelectFromPairGrouped(0, 2, r3)
	t3 := r2.SelectFromPairGrouped(1, 3, r3)
	return t0.Select128FromPair(0, 2, t2), t1.Select128FromPair(0, 2, t3),
		t0.Select128FromPair(1, 3, t2), t1.Select128FromPair(1, 3, t3)
}

// splineAt4SIMD is splineAt4Scalar (contig) with the four samples in the
// four lanes of a register: each row of four adjacent taps is loaded and
// transposed, and every lane runs the scalar operations in the scalar
// order (coefficient × weight 0 × weight 1 × weight 2, then added to the
// sample's sum), never fused, so each sum is rounded as the scalar one.
func splineAt4SIMD(c []float64, s *[4]splineTaps) (t [4]float64) {
	ldw := func(a int) (w0, w1, w2, w3 f64x4) {
		return transpose4(archsimd.LoadFloat64x4((*[4]float64)(&s[0].w[a])), archsimd.LoadFloat64x4((*[4]float64)(&s[1].w[a])),
			archsimd.LoadFloat64x4((*[4]float64)(&s[2].w[a])), archsimd.LoadFloat64x4((*[4]float64)(&s[3].w[a])))
	}
	// wA[l]: lane q holds sample q's weight l along axis A.
	var w0, w1 [4]f64x4
	w0[0], w0[1], w0[2], w0[3] = ldw(0)
	w1[0], w1[1], w1[2], w1[3] = ldw(1)
	w20, w21, w22, w23 := ldw(2)
	var acc f64x4
	for a0 := 0; a0 < 4; a0++ {
		for a1 := 0; a1 < 4; a1++ {
			r0 := archsimd.LoadFloat64x4((*[4]float64)(c[s[0].idx[0][a0]+s[0].idx[1][a1]+s[0].idx[2][0]:]))
			r1 := archsimd.LoadFloat64x4((*[4]float64)(c[s[1].idx[0][a0]+s[1].idx[1][a1]+s[1].idx[2][0]:]))
			r2 := archsimd.LoadFloat64x4((*[4]float64)(c[s[2].idx[0][a0]+s[2].idx[1][a1]+s[2].idx[2][0]:]))
			r3 := archsimd.LoadFloat64x4((*[4]float64)(c[s[3].idx[0][a0]+s[3].idx[1][a1]+s[3].idx[2][0]:]))
			c0, c1, c2, c3 := transpose4(r0, r1, r2, r3) // cN: tap a2 = N of each sample
			wa, wb := w0[a0], w1[a1]
			acc = acc.Add(c0.Mul(wa).Mul(wb).Mul(w20))
			acc = acc.Add(c1.Mul(wa).Mul(wb).Mul(w21))
			acc = acc.Add(c2.Mul(wa).Mul(wb).Mul(w22))
			acc = acc.Add(c3.Mul(wa).Mul(wb).Mul(w23))
		}
	}
	acc.Store(&t)
	archsimd.ClearAVXUpperBits()
	return t
}
