//go:build goexperiment.simd && amd64

package filter

import "simd/archsimd"

var useAVX2 = archsimd.X86.AVX2()

type f64x4 = archsimd.Float64x4

// ema4 is ema lane by lane: products rounded, summed left to right.
func ema4(a1, b1, a2, b2, a3, b3, a4, b4 f64x4) f64x4 {
	return a1.Mul(b1).Add(a2.Mul(b2)).Add(a3.Mul(b3)).Add(a4.Mul(b4))
}

func ld4(x []float64, t int) f64x4 { return archsimd.LoadFloat64x4Slice(x[t*4 : t*4+4]) }

// coefs4 are g's coefficients broadcast: n0–n3, m1–m4, d1–d4, bn1–bn4,
// bm1–bm4.
func (g *recursiveGaussian) coefs4() (k [20]f64x4) {
	for i, c := range [20]float64{g.n0, g.n1, g.n2, g.n3, g.m1, g.m2, g.m3, g.m4, g.d1, g.d2, g.d3, g.d4,
		g.bn1, g.bn2, g.bn3, g.bn4, g.bm1, g.bm2, g.bm3, g.bm4} {
		k[i] = archsimd.BroadcastFloat64x4(c)
	}
	return k
}

// lds is the four lanes of sample t of lines stored with stride s
// (x[t·s : t·s+4]).
func lds(x []float64, t, s int) f64x4 { return archsimd.LoadFloat64x4Slice(x[t*s : t*s+4]) }

// round32 is each lane rounded to float32 (as ITK's float images store
// them), back in float64.
func round32(x f64x4) f64x4 { return x.ConvertToFloat32().ConvertToFloat64() }

// passFast is pass on AVX2 (false elsewhere, or where the lane axis has
// fewer than four lines): three groups of four lines at a time (groups3),
// so that three recursions are in flight. Along y and z the four lanes of
// a group are four adjacent voxels along x, read from src and written to
// dst in place (no gathering); along x they are four rows, gathered into
// interleaved lines and scattered back. Every output equals
// passLines4's to the bit (TestPassFast).
func (g *recursiveGaussian) passFast(dst, src []float64, sn [3]int, ax, lo, hi int) bool {
	if !useAVX2 {
		return false
	}
	ss, ds, l, o := passAxes(sn, ax, lo, hi)
	ln := sn[ax]
	if sn[l] < 4 || ln < 4 {
		return false
	}
	k := g.coefs4()
	sa, sb, sc := make([]float64, 4*ln), make([]float64, 4*ln), make([]float64, 4*ln)
	if ax != 0 {
		for b := 0; b < sn[o]; b++ {
			for a := 0; a < sn[0]; a += 12 {
				// The last groups start at sn[0] − 4 (a group may be done
				// twice, to the same values).
				a0, a1, a2 := min(a, sn[0]-4), min(a+4, sn[0]-4), min(a+8, sn[0]-4)
				groups3(&k, src[a0+b*ss[o]:], src[a1+b*ss[o]:], src[a2+b*ss[o]:], ss[ax], dst[a0+b*ds[o]:], dst[a1+b*ds[o]:], dst[a2+b*ds[o]:], ds[ax], sa, sb, sc, ln, lo, hi)
			}
		}
		archsimd.ClearAVXUpperBits()
		return true
	}
	// Along x: four rows (along y) per group, interleaved.
	ia, ib, ic := make([]float64, 4*ln), make([]float64, 4*ln), make([]float64, 4*ln)
	oa, ob, oc := make([]float64, 4*ln), make([]float64, 4*ln), make([]float64, 4*ln)
	// Gathering and scattering transpose 4×4 blocks in registers (the
	// last block of a line overlaps the one before where ln is not a
	// multiple of four): no scalar (SSE) code among the AVX code.
	gather := func(in []float64, base int) {
		r0, r1, r2, r3 := src[base:][:ln], src[base+ss[1]:][:ln], src[base+2*ss[1]:][:ln], src[base+3*ss[1]:][:ln]
		for t := 0; t < ln; t += 4 {
			t = min(t, ln-4)
			c0, c1, c2, c3 := transpose4(archsimd.LoadFloat64x4Slice(r0[t:]), archsimd.LoadFloat64x4Slice(r1[t:]),
				archsimd.LoadFloat64x4Slice(r2[t:]), archsimd.LoadFloat64x4Slice(r3[t:]))
			c0.StoreSlice(in[t*4:])
			c1.StoreSlice(in[t*4+4:])
			c2.StoreSlice(in[t*4+8:])
			c3.StoreSlice(in[t*4+12:])
		}
	}
	w := hi - lo
	scatter := func(out []float64, base int) {
		r0, r1, r2, r3 := dst[base:][:w], dst[base+ds[1]:][:w], dst[base+2*ds[1]:][:w], dst[base+3*ds[1]:][:w]
		if w < 4 {
			archsimd.ClearAVXUpperBits()
			for t := range w {
				x := (*[4]float64)(out[t*4:])
				r0[t], r1[t], r2[t], r3[t] = x[0], x[1], x[2], x[3]
			}
			return
		}
		for t := 0; t < w; t += 4 {
			t = min(t, w-4)
			c0, c1, c2, c3 := transpose4(ld4(out, t), ld4(out, t+1), ld4(out, t+2), ld4(out, t+3))
			c0.StoreSlice(r0[t:])
			c1.StoreSlice(r1[t:])
			c2.StoreSlice(r2[t:])
			c3.StoreSlice(r3[t:])
		}
	}
	for b := 0; b < sn[2]; b++ {
		for a := 0; a < sn[1]; a += 12 {
			a0, a1, a2 := min(a, sn[1]-4), min(a+4, sn[1]-4), min(a+8, sn[1]-4)
			gather(ia, a0*ss[1]+b*ss[2])
			gather(ib, a1*ss[1]+b*ss[2])
			gather(ic, a2*ss[1]+b*ss[2])
			groups3(&k, ia, ib, ic, 4, oa, ob, oc, 4, sa, sb, sc, ln, lo, hi)
			scatter(oa, a0*ds[1]+b*ds[2])
			scatter(ob, a1*ds[1]+b*ds[2])
			scatter(oc, a2*ds[1]+b*ds[2])
		}
	}
	archsimd.ClearAVXUpperBits()
	return true
}

// groups3 is lines4One on three groups of four lines, A, B and C, in
// lockstep (three independent recursions in flight), with strided input and
// output: sample t of A's lanes is ia[t·is : t·is+4], and output sample t
// (lo ≤ t < hi) goes to oa[(t−lo)·os : …+4] rounded to float32; B and C alike.
// sa, sb and sc (4·ln) hold the anti-causal pass, which runs first; the
// causal pass then adds it as it goes. Each lane's operations are
// lines4One's, multiply then add or subtract, never fused (causal +
// anti-causal added in either order is the same sum), so the outputs are
// passLines4's to the bit.
func groups3(k *[20]f64x4, ia, ib, ic []float64, is int, oa, ob, oc []float64, os int, sa, sb, sc []float64, ln, lo, hi int) {
	{
		m1, m2, m3, m4 := k[4], k[5], k[6], k[7]
		d1, d2, d3, d4 := k[8], k[9], k[10], k[11]
		bm1, bm2, bm3, bm4 := k[16], k[17], k[18], k[19]
		e := ln - 1
		init := func(in, s2 []float64) (y0, y1, y2, y3 f64x4) {
			v2 := lds(in, e, is)
			y0 = ema4(v2, m1, v2, m2, v2, m3, v2, m4)
			y1 = ema4(lds(in, e, is), m1, v2, m2, v2, m3, v2, m4)
			y2 = ema4(lds(in, e-1, is), m1, lds(in, e, is), m2, v2, m3, v2, m4)
			y3 = ema4(lds(in, e-2, is), m1, lds(in, e-1, is), m2, lds(in, e, is), m3, v2, m4)
			y0 = y0.Sub(ema4(v2, bm1, v2, bm2, v2, bm3, v2, bm4))
			y1 = y1.Sub(ema4(y0, d1, v2, bm2, v2, bm3, v2, bm4))
			y2 = y2.Sub(ema4(y1, d1, y0, d2, v2, bm3, v2, bm4))
			y3 = y3.Sub(ema4(y2, d1, y1, d2, y0, d3, v2, bm4))
			y0.StoreSlice(s2[e*4 : e*4+4])
			y1.StoreSlice(s2[(e-1)*4 : (e-1)*4+4])
			y2.StoreSlice(s2[(e-2)*4 : (e-2)*4+4])
			y3.StoreSlice(s2[(e-3)*4 : (e-3)*4+4])
			return
		}
		ya0, ya1, ya2, ya3 := init(ia, sa)
		yb0, yb1, yb2, yb3 := init(ib, sb)
		yc0, yc1, yc2, yc3 := init(ic, sc)
		ja1, ja2, ja3 := lds(ia, ln-3, is), lds(ia, ln-2, is), lds(ia, ln-1, is)
		jb1, jb2, jb3 := lds(ib, ln-3, is), lds(ib, ln-2, is), lds(ib, ln-1, is)
		jc1, jc2, jc3 := lds(ic, ln-3, is), lds(ic, ln-2, is), lds(ic, ln-1, is)
		for i := ln - 4; i > lo; i-- {
			ja0, jb0 := lds(ia, i, is), lds(ib, i, is)
			jc0 := lds(ic, i, is)
			ya := ja0.Mul(m1).Add(ja1.Mul(m2)).Add(ja2.Mul(m3)).Add(ja3.Mul(m4))
			yb := jb0.Mul(m1).Add(jb1.Mul(m2)).Add(jb2.Mul(m3)).Add(jb3.Mul(m4))
			yc := jc0.Mul(m1).Add(jc1.Mul(m2)).Add(jc2.Mul(m3)).Add(jc3.Mul(m4))
			ya = ya.Sub(ya3.Mul(d1).Add(ya2.Mul(d2)).Add(ya1.Mul(d3)).Add(ya0.Mul(d4)))
			yb = yb.Sub(yb3.Mul(d1).Add(yb2.Mul(d2)).Add(yb1.Mul(d3)).Add(yb0.Mul(d4)))
			yc = yc.Sub(yc3.Mul(d1).Add(yc2.Mul(d2)).Add(yc1.Mul(d3)).Add(yc0.Mul(d4)))
			ya.StoreSlice(sa[(i-1)*4 : (i-1)*4+4])
			yb.StoreSlice(sb[(i-1)*4 : (i-1)*4+4])
			yc.StoreSlice(sc[(i-1)*4 : (i-1)*4+4])
			ya0, ya1, ya2, ya3 = ya1, ya2, ya3, ya
			yb0, yb1, yb2, yb3 = yb1, yb2, yb3, yb
			yc0, yc1, yc2, yc3 = yc1, yc2, yc3, yc
			ja1, ja2, ja3 = ja0, ja1, ja2
			jb1, jb2, jb3 = jb0, jb1, jb2
			jc1, jc2, jc3 = jc0, jc1, jc2
		}
	}
	n0, n1, n2, n3 := k[0], k[1], k[2], k[3]
	d1, d2, d3, d4 := k[8], k[9], k[10], k[11]
	bn1, bn2, bn3, bn4 := k[12], k[13], k[14], k[15]
	init := func(in, s2, out []float64) (x0, x1, x2, x3 f64x4) {
		v1 := lds(in, 0, is)
		x0 = ema4(v1, n0, v1, n1, v1, n2, v1, n3)
		x1 = ema4(lds(in, 1, is), n0, v1, n1, v1, n2, v1, n3)
		x2 = ema4(lds(in, 2, is), n0, lds(in, 1, is), n1, v1, n2, v1, n3)
		x3 = ema4(lds(in, 3, is), n0, lds(in, 2, is), n1, lds(in, 1, is), n2, v1, n3)
		x0 = x0.Sub(ema4(v1, bn1, v1, bn2, v1, bn3, v1, bn4))
		x1 = x1.Sub(ema4(x0, d1, v1, bn2, v1, bn3, v1, bn4))
		x2 = x2.Sub(ema4(x1, d1, x0, d2, v1, bn3, v1, bn4))
		x3 = x3.Sub(ema4(x2, d1, x1, d2, x0, d3, v1, bn4))
		xs := [4]f64x4{x0, x1, x2, x3}
		for t := lo; t < min(hi, 4); t++ {
			round32(xs[t].Add(ld4(s2, t))).StoreSlice(out[(t-lo)*os : (t-lo)*os+4])
		}
		return
	}
	xa0, xa1, xa2, xa3 := init(ia, sa, oa)
	xb0, xb1, xb2, xb3 := init(ib, sb, ob)
	xc0, xc1, xc2, xc3 := init(ic, sc, oc)
	ia1, ia2, ia3 := lds(ia, 3, is), lds(ia, 2, is), lds(ia, 1, is)
	ib1, ib2, ib3 := lds(ib, 3, is), lds(ib, 2, is), lds(ib, 1, is)
	ic1, ic2, ic3 := lds(ic, 3, is), lds(ic, 2, is), lds(ic, 1, is)
	for i := 4; i < hi; i++ {
		ia0, ib0 := lds(ia, i, is), lds(ib, i, is)
		ic0 := lds(ic, i, is)
		xa := ia0.Mul(n0).Add(ia1.Mul(n1)).Add(ia2.Mul(n2)).Add(ia3.Mul(n3))
		xb := ib0.Mul(n0).Add(ib1.Mul(n1)).Add(ib2.Mul(n2)).Add(ib3.Mul(n3))
		xc := ic0.Mul(n0).Add(ic1.Mul(n1)).Add(ic2.Mul(n2)).Add(ic3.Mul(n3))
		xa = xa.Sub(xa3.Mul(d1).Add(xa2.Mul(d2)).Add(xa1.Mul(d3)).Add(xa0.Mul(d4)))
		xb = xb.Sub(xb3.Mul(d1).Add(xb2.Mul(d2)).Add(xb1.Mul(d3)).Add(xb0.Mul(d4)))
		xc = xc.Sub(xc3.Mul(d1).Add(xc2.Mul(d2)).Add(xc1.Mul(d3)).Add(xc0.Mul(d4)))
		if i >= lo {
			round32(xa.Add(ld4(sa, i))).StoreSlice(oa[(i-lo)*os : (i-lo)*os+4])
			round32(xb.Add(ld4(sb, i))).StoreSlice(ob[(i-lo)*os : (i-lo)*os+4])
			round32(xc.Add(ld4(sc, i))).StoreSlice(oc[(i-lo)*os : (i-lo)*os+4])
		}
		xa0, xa1, xa2, xa3 = xa1, xa2, xa3, xa
		xb0, xb1, xb2, xb3 = xb1, xb2, xb3, xb
		xc0, xc1, xc2, xc3 = xc1, xc2, xc3, xc
		ia1, ia2, ia3 = ia0, ia1, ia2
		ib1, ib2, ib3 = ib0, ib1, ib2
		ic1, ic2, ic3 = ic0, ic1, ic2
	}
}
