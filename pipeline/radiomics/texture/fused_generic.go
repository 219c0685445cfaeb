//go:build !(goexperiment.simd && amd64)

package texture

// pairSpansSIMD is not reached here (useAVX2 is false); it is
// pairSpansScalar.
func pairSpansSIMD(tab []uint32, w int, lvl []int32, spans [][2]int32, off int32, eqv []int32) int {
	return pairSpansScalar(tab, w, lvl, spans, off, eqv)
}
