//go:build goexperiment.simd && amd64

package texture

import (
	"math/bits"
	"simd/archsimd"
)

// compressLanes[m] lists the lanes set in the 8-bit mask m first, as
// VPERMD indices: the equal pairs' positions packed to the front.
var compressLanes = func() (t [256][8]uint32) {
	for m := range 256 {
		k := 0
		for l := range 8 {
			if m>>l&1 != 0 {
				t[m][k] = uint32(l)
				k++
			}
		}
	}
	return t
}()

// pairSpansSIMD is pairSpans eight voxels at a time (AVX2): the eight
// table indices i·w + j + w + 1 in one multiply and two adds, the equal
// pairs of ROI voxels as a mask whose voxels are packed to the front of
// eight positions (compressLanes) and stored at eqv[n:] (so eqv needs room
// for 8 more than the pairs); a span's last vector loads what is left of
// it. The counts and the list are pairSpansScalar's.
//
//go:noinline
func pairSpansSIMD(tab []uint32, w int, lvl []int32, spans [][2]int32, off int32, eqv []int32) int {
	n := 0
	wv := archsimd.BroadcastInt32x8(int32(w))
	w1 := archsimd.BroadcastInt32x8(int32(w + 1))
	outside := archsimd.BroadcastInt32x8(-1)
	lane := archsimd.LoadInt32x8(&[8]int32{0, 1, 2, 3, 4, 5, 6, 7})
	var keys [8]int32
	for _, r := range spans {
		row := lvl[r[0]:r[1]]
		ahead := lvl[r[0]+off : r[1]+off]
		ahead = ahead[:len(row)]
		v := r[0]
		for x := 0; x < len(row); x += 8 {
			// The last vector of a span loads what is left, zeros after
			// (masked out below).
			rem := min(len(row)-x, 8)
			i := archsimd.LoadInt32x8SlicePart(row[x:])
			j := archsimd.LoadInt32x8SlicePart(ahead[x:])
			if tab != nil {
				i.Mul(wv).Add(j).Add(w1).Store(&keys)
				for _, k := range keys[:rem] {
					tab[k]++
				}
			}
			m := i.Equal(j).And(i.Greater(outside)).ToBits() & uint8(1<<rem-1)
			pos := archsimd.BroadcastInt32x8(v + int32(x)).Add(lane)
			pos.Permute(archsimd.LoadUint32x8(&compressLanes[m])).StoreSlice(eqv[n:])
			n += bits.OnesCount8(m)
		}
	}
	return n
}
