//go:build !(goexperiment.simd && amd64)

package texture

// useAVX2 is false without GOEXPERIMENT=simd on amd64: tridiag4 reduces
// its four matrices one lane at a time.
const useAVX2 = false

// tridiag4SIMD is not reached here (useAVX2 is false); it is tridiag4's
// lane-by-lane path.
func tridiag4SIMD(a [][4]float64, m int, d, e2, u [][4]float64) {
	for lane := range 4 {
		tridiagLane(a, m, d, e2, u, lane)
	}
}

// eigen4SIMD is not reached here (useAVX2 is false); it is eigen4's lane
// by lane path.
func eigen4SIMD(d, e2 [][4]float64, n [4]int, k [4]int, run [4]bool) [4]float64 {
	return eigen4Lanes(d, e2, n, k, run)
}
