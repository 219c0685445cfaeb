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

// log2Lanes is log2 of each lane (the SIMD build's log2x4 on an array).
func log2Lanes(x [4]float64) [4]float64 {
	for k, v := range x {
		x[k] = log2(v)
	}
	return x
}

// glcmCoefs4 is the SIMD build's four-lane glcmCoefs4 one lane at a time,
// with glcmCoef.set and glcmCoef.moments (on every entry: start and runs
// are not needed).
func glcmCoefs4(p4 [][4]float64, lt *glcmLevels, start, runs []int32, out *glcmLanes) {
	nl := len(lt.li)
	lv := make([]float64, nl)
	for i := range lv {
		lv[i] = lt.lv4[i][0]
	}
	c := newGLCMCoef(lv, len(out.diff))
	c.knownSymmetric = true
	p := make([]float64, nl*nl)
	for l := range 4 {
		for k := range p {
			p[k] = p4[k][l]
		}
		c.set(p)
		sx, lx, nx := 0.0, 0.0, 0
		for _, v := range c.px {
			if v > 0 {
				sx += v
				lx += v * log2(v)
				nx++
			}
		}
		for i, v := range c.px {
			out.px[i][l] = v
		}
		for k, v := range c.sum {
			out.sum[k][l] = v
		}
		for k, v := range c.diff {
			out.diff[k][l] = v
		}
		m := c.moments()
		out.ux[l], out.uy[l], out.hx[l], out.hxy[l], out.hxy1[l] = c.ux, c.uy, c.hx, c.hxy, c.hxy1
		out.sx[l], out.lx[l], out.nx[l] = sx, lx, float64(nx)
		out.auto[l], out.contrast[l], out.energy[l], out.maxP[l] = m.auto, m.contrast, m.energy, m.maxP
		out.c2[l], out.c3[l], out.c4[l], out.msx[l], out.msy[l], out.cov[l] = m.cluster2, m.cluster3, m.cluster4, m.sx, m.sy, m.cov
	}
}

// orRows sets or[j] to the or of column j over the rows of ck (rows of
// len(or) counts).
func orRows(ck, or []uint32) { orRowsFrom(ck, or, 0) }
