//go:build goexperiment.simd && amd64

package filter

import "simd/archsimd"

var useAVX2 = archsimd.X86.AVX2()

type f64x4 = archsimd.Float64x4

// lines4 is lines4SIMD where the CPU has AVX2, else lines4Scalar.
func (g *recursiveGaussian) lines4(out, in, s1, s2 []float64, ln, lo, hi int) {
	if useAVX2 {
		g.lines4SIMD(out, in, s1, s2, ln, lo, hi)
		return
	}
	g.lines4Scalar(out, in, s1, s2, ln, lo, hi)
}

// ema4 is ema lane by lane: products rounded, summed left to right.
func ema4(a1, b1, a2, b2, a3, b3, a4, b4 f64x4) f64x4 {
	return a1.Mul(b1).Add(a2.Mul(b2)).Add(a3.Mul(b3)).Add(a4.Mul(b4))
}

func ld4(x []float64, t int) f64x4 { return archsimd.LoadFloat64x4Slice(x[t*4 : t*4+4]) }

// lines4SIMD is lines4Scalar with the four lanes in one AVX2 register: a
// multiply then an add or subtract, never fused, in lines4Scalar's order,
// so every lane is rounded as the scalar code rounds it. The recursions
// keep their last four states and inputs in registers.
func (g *recursiveGaussian) lines4SIMD(outs, ins, s1, s2 []float64, ln, lo, hi int) {
	bc := archsimd.BroadcastFloat64x4
	n0, n1, n2, n3 := bc(g.n0), bc(g.n1), bc(g.n2), bc(g.n3)
	m1, m2, m3, m4 := bc(g.m1), bc(g.m2), bc(g.m3), bc(g.m4)
	d1, d2, d3, d4 := bc(g.d1), bc(g.d2), bc(g.d3), bc(g.d4)
	bn1, bn2, bn3, bn4 := bc(g.bn1), bc(g.bn2), bc(g.bn3), bc(g.bn4)
	bm1, bm2, bm3, bm4 := bc(g.bm1), bc(g.bm2), bc(g.bm3), bc(g.bm4)
	for o := 0; o < len(ins); o += 4 * ln {
		out, in := outs[o:o+4*ln], ins[o:o+4*ln]
		g.lines4Group(out, in, s1, s2, lo, hi, [20]f64x4{n0, n1, n2, n3, m1, m2, m3, m4, d1, d2, d3, d4, bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4})
	}
	// The compiler does not clear the registers' upper halves: without
	// VZEROUPPER the scalar (SSE) code after this runs with false
	// dependencies on them, much slower.
	archsimd.ClearAVXUpperBits()
}

// lines4Group is one group of lines4SIMD, with its broadcast coefficients.
func (g *recursiveGaussian) lines4Group(out, in, s1, s2 []float64, lo, hi int, k [20]f64x4) {
	ln := len(in) / 4
	{
		n0, n1, n2, n3 := k[0], k[1], k[2], k[3]
		d1, d2, d3, d4 := k[8], k[9], k[10], k[11]
		bn1, bn2, bn3, bn4 := k[12], k[13], k[14], k[15]
		v1 := ld4(in, 0)
		x0 := ema4(v1, n0, v1, n1, v1, n2, v1, n3)
		x1 := ema4(ld4(in, 1), n0, v1, n1, v1, n2, v1, n3)
		x2 := ema4(ld4(in, 2), n0, ld4(in, 1), n1, v1, n2, v1, n3)
		x3 := ema4(ld4(in, 3), n0, ld4(in, 2), n1, ld4(in, 1), n2, v1, n3)
		x0 = x0.Sub(ema4(v1, bn1, v1, bn2, v1, bn3, v1, bn4))
		x1 = x1.Sub(ema4(x0, d1, v1, bn2, v1, bn3, v1, bn4))
		x2 = x2.Sub(ema4(x1, d1, x0, d2, v1, bn3, v1, bn4))
		x3 = x3.Sub(ema4(x2, d1, x1, d2, x0, d3, v1, bn4))
		x0.StoreSlice(s1[0:4])
		x1.StoreSlice(s1[4:8])
		x2.StoreSlice(s1[8:12])
		x3.StoreSlice(s1[12:16])
		i1, i2, i3 := ld4(in, 3), ld4(in, 2), ld4(in, 1)
		for i := 4; i < hi; i++ {
			i0 := ld4(in, i)
			x := i0.Mul(n0).Add(i1.Mul(n1)).Add(i2.Mul(n2)).Add(i3.Mul(n3))
			x = x.Sub(x3.Mul(d1).Add(x2.Mul(d2)).Add(x1.Mul(d3)).Add(x0.Mul(d4)))
			x.StoreSlice(s1[i*4 : i*4+4])
			x0, x1, x2, x3 = x1, x2, x3, x
			i1, i2, i3 = i0, i1, i2
		}
	}
	{
		m1, m2, m3, m4 := k[4], k[5], k[6], k[7]
		d1, d2, d3, d4 := k[8], k[9], k[10], k[11]
		bm1, bm2, bm3, bm4 := k[16], k[17], k[18], k[19]
		e := ln - 1
		v2 := ld4(in, e)
		y0 := ema4(v2, m1, v2, m2, v2, m3, v2, m4)
		y1 := ema4(ld4(in, e), m1, v2, m2, v2, m3, v2, m4)
		y2 := ema4(ld4(in, e-1), m1, ld4(in, e), m2, v2, m3, v2, m4)
		y3 := ema4(ld4(in, e-2), m1, ld4(in, e-1), m2, ld4(in, e), m3, v2, m4)
		y0 = y0.Sub(ema4(v2, bm1, v2, bm2, v2, bm3, v2, bm4))
		y1 = y1.Sub(ema4(y0, d1, v2, bm2, v2, bm3, v2, bm4))
		y2 = y2.Sub(ema4(y1, d1, y0, d2, v2, bm3, v2, bm4))
		y3 = y3.Sub(ema4(y2, d1, y1, d2, y0, d3, v2, bm4))
		y0.StoreSlice(s2[e*4 : e*4+4])
		y1.StoreSlice(s2[(e-1)*4 : (e-1)*4+4])
		y2.StoreSlice(s2[(e-2)*4 : (e-2)*4+4])
		y3.StoreSlice(s2[(e-3)*4 : (e-3)*4+4])
		// in[i+1], in[i+2], in[i+3] for i = ln−4.
		j1, j2, j3 := ld4(in, ln-3), ld4(in, ln-2), ld4(in, ln-1)
		for i := ln - 4; i > lo; i-- {
			j0 := ld4(in, i)
			y := j0.Mul(m1).Add(j1.Mul(m2)).Add(j2.Mul(m3)).Add(j3.Mul(m4))
			y = y.Sub(y3.Mul(d1).Add(y2.Mul(d2)).Add(y1.Mul(d3)).Add(y0.Mul(d4)))
			y.StoreSlice(s2[(i-1)*4 : (i-1)*4+4])
			y0, y1, y2, y3 = y1, y2, y3, y
			j1, j2, j3 = j0, j1, j2
		}
	}
	for t := lo; t < hi; t++ {
		ld4(s1, t).Add(ld4(s2, t)).StoreSlice(out[t*4 : t*4+4])
	}
}
