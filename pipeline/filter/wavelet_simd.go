//go:build goexperiment.simd && amd64

package filter

import "simd/archsimd"

// swtLine is swtLineSIMD where the CPU has AVX2, else swtLineScalar.
func swtLine(lo, hi, ext []float64, o0 int, fb [2][]float64) {
	if useAVX2 {
		swtLineSIMD(lo, hi, ext, o0, fb)
		return
	}
	swtLineScalar(lo, hi, ext, o0, fb)
}

// swtLineSIMD is swtLineScalar four outputs per AVX2 register: lane q of
// the window for tap j is ext[o+q + F/2 + F − j], and every lane's sum runs
// the scalar products and additions in the scalar order, never fused
// (TestSwtLine compares them to the bit). The last outputs, fewer than
// four, are computed by overlapping the four before.
func swtLineSIMD(lo, hi, ext []float64, o0 int, fb [2][]float64) {
	n := len(lo)
	if n < 4 {
		swtLineScalar(lo, hi, ext, o0, fb)
		return
	}
	F := len(fb[0])
	for i := 0; i < n; i += 4 {
		i = min(i, n-4)
		base := o0 + i + F/2 + F
		var sl, sh f64x4
		for j := 0; j < F; j++ {
			w := archsimd.LoadFloat64x4Slice(ext[base-j : base-j+4])
			sl = sl.Add(archsimd.BroadcastFloat64x4(fb[0][j]).Mul(w))
			sh = sh.Add(archsimd.BroadcastFloat64x4(fb[1][j]).Mul(w))
		}
		sl.StoreSlice(lo[i:])
		sh.StoreSlice(hi[i:])
	}
	archsimd.ClearAVXUpperBits()
}
