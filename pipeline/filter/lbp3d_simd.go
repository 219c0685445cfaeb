//go:build goexperiment.simd && amd64

package filter

import (
	"math"
	"math/cmplx"
	"simd/archsimd"

	"github.com/scirad/scirad/pipeline/volume"
)

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

// fast computes LBP3D's ROI voxels four adjacent voxels along x at a time
// (chunk) on AVX2, in the lanes of a register; false (nothing done)
// without AVX2 or where obox is narrower than four voxels. Each lane runs
// voxel's operations in voxel's order, never fused, so its outputs are
// voxel's to the bit (TestLBP3DFast).
func (r *lbp3dRun) fast(mask *volume.Volume, label int) bool {
	bs := r.obox.Size()
	if !useAVX2 || bs[0] < 4 {
		return false
	}
	nv := len(r.tab)
	f := &lbp3dFast{r: r, wx: make([][4][]float64, nv), plain: make([][]bool, nv),
		raw: make([]float64, 4*nv), cre: make([]float64, 4*len(r.c)), cim: make([]float64, 4*len(r.c))}
	for v := range r.tab {
		t := r.tab[v][2]
		f.plain[v] = make([]bool, bs[0])
		for a2 := range 4 {
			f.wx[v][a2] = make([]float64, bs[0])
		}
		for x := range bs[0] {
			for a2 := range 4 {
				f.wx[v][a2][x] = t[x].w[a2]
			}
			id := t[x].idx
			f.plain[v][x] = t[x].ok && id[1] == id[0]+1 && id[2] == id[0]+2 && id[3] == id[0]+3
		}
	}
	for k := r.obox.Min[2]; k < r.obox.Max[2]; k++ {
		for j := r.obox.Min[1]; j < r.obox.Max[1]; j++ {
			row := r.img.Index(r.obox.Min[0], j, k)
			orow := ((k-r.obox.Min[2])*bs[1] + (j - r.obox.Min[1])) * bs[0]
			for x := 0; ; {
				for x < bs[0] && !inLabel(mask.Data[row+x], label) {
					x++
				}
				if x == bs[0] {
					break
				}
				// Four voxels from x, or the row's last four.
				x0 := min(x, bs[0]-4)
				var active [4]bool
				for q := range 4 {
					active[q] = x0+q >= x && inLabel(mask.Data[row+x0+q], label)
				}
				f.chunk(x0, j, k, row+x0, orow+x0, active)
				x = x0 + 4
			}
		}
	}
	archsimd.ClearAVXUpperBits()
	return true
}

// lbp3dFast is fast's state: wx[v][a2][x], the weight of tap a2 along x
// of vertex v's sample at obox column x (four columns load as one
// register); plain[v][x], whether that sample is inside the image with
// its four taps along x adjacent (not mirrored); and a chunk's scratch:
// raw samples (raw[4v+q]: vertex v, lane q) and the harmonic sums c.
type lbp3dFast struct {
	r        *lbp3dRun
	wx       [][4][]float64
	plain    [][]bool
	raw      []float64
	cre, cim []float64
	// re, im and out: a level's sums and outputs, lane by lane (fields,
	// not locals: the compiler zeroes a local array with SSE stores).
	re, im, out [4]float64
}

// vertexFast reports whether vertex v's samples of the four voxels from
// column x0 of row (jj, kk) (obox coordinates) are all inside the image,
// their taps along x adjacent and one column apart lane to lane.
func (f *lbp3dFast) vertexFast(v, x0, jj, kk int) bool {
	t := &f.r.tab[v]
	p := f.plain[v][x0 : x0+4]
	t2 := t[2][x0 : x0+4]
	b := t2[0].idx[0]
	return t[0][kk].ok && t[1][jj].ok && p[0] && p[1] && p[2] && p[3] &&
		t2[1].idx[0] == b+1 && t2[2].idx[0] == b+2 && t2[3].idx[0] == b+3
}

// chunk computes the outputs of the active lanes among the four voxels
// from obox column x0 of row (j, k); img index idx and output index oidx
// are lane 0's.
func (f *lbp3dFast) chunk(x0, j, k, idx, oidx int, active [4]bool) {
	r := f.r
	nv := len(r.tab)
	jj, kk := j-r.obox.Min[1], k-r.obox.Min[2]
	c := r.coef
	// Raw samples: two vertices at a time where both are fast, one lane at
	// a time (voxel's sample) where not.
	for v := 0; v < nv; v++ {
		if !f.vertexFast(v, x0, jj, kk) {
			archsimd.ClearAVXUpperBits()
			for q := range 4 {
				f.raw[4*v+q] = r.sample(v, r.obox.Min[0]+x0+q, j, k)
			}
			continue
		}
		ta := &r.tab[v]
		if v+1 < nv && f.vertexFast(v+1, x0, jj, kk) {
			tb := &r.tab[v+1]
			sa, sb := splineRows2(c, x0, &ta[0][kk], &ta[1][jj], ta[2][x0].idx[0], &f.wx[v], &tb[0][kk], &tb[1][jj], tb[2][x0].idx[0], &f.wx[v+1])
			sa.StoreSlice(f.raw[4*v:])
			sb.StoreSlice(f.raw[4*v+4:])
			v++
			continue
		}
		splineRows(c, x0, &ta[0][kk], &ta[1][jj], ta[2][x0].idx[0], &f.wx[v]).StoreSlice(f.raw[4*v:])
	}
	bc := archsimd.BroadcastFloat64x4
	var zero f64x4
	// Rounding, mean, second and fourth central moments, kurtosis.
	mean := zero
	half, nhalf := bc(0.5), bc(-0.5)
	for v := range nv {
		x := archsimd.LoadFloat64x4Slice(f.raw[4*v:])
		if r.isInt {
			x = x.Add(half.Merge(nhalf, x.Greater(zero))).Trunc()
		} else {
			x = round32(x)
		}
		x.StoreSlice(f.raw[4*v:])
		mean = mean.Add(x)
	}
	n := bc(float64(nv))
	mean = mean.Div(n)
	m2, m4 := zero, zero
	for v := range nv {
		d := archsimd.LoadFloat64x4Slice(f.raw[4*v:]).Sub(mean)
		dd := d.Mul(d)
		m2 = m2.Add(dd)
		m4 = m4.Add(dd.Mul(dd))
	}
	m2, m4 = m2.Div(n), m4.Div(n)
	res := bc(1e-15).Mul(mean)
	kurt := bc(math.NaN()).Merge(m4.Div(m2.Mul(m2)).Sub(bc(3)), m2.LessEqual(res.Mul(res)))
	// c[ci] = Σ_v Y[v][ci] over the vertices whose sample ≥ the voxel.
	centre := archsimd.LoadFloat64x4Slice(r.img.Data[idx : idx+4])
	out := &f.out
	if len(r.c) == 4 {
		f.levels2(centre, oidx, active)
	} else {
		nc := len(r.c)
		clear(f.cre)
		clear(f.cim)
		for v := range nv {
			in := archsimd.LoadFloat64x4Slice(f.raw[4*v:]).GreaterEqual(centre)
			for ci, y := range r.Y[v][:nc] {
				cr := archsimd.LoadFloat64x4Slice(f.cre[4*ci:])
				cm := archsimd.LoadFloat64x4Slice(f.cim[4*ci:])
				cr.Add(bc(real(y)).Masked(in)).StoreSlice(f.cre[4*ci:])
				cm.Add(bc(imag(y)).Masked(in)).StoreSlice(f.cim[4*ci:])
			}
		}
		for lev := 0; lev < r.levels; lev++ {
			accR, accI := zero, zero
			for v := range nv {
				fR, fI := zero, zero
				y := r.Y[v]
				for ci := lev * lev; ci < (lev+1)*(lev+1); ci++ {
					xr := archsimd.LoadFloat64x4Slice(f.cre[4*ci:])
					xi := archsimd.LoadFloat64x4Slice(f.cim[4*ci:])
					yr, yi := bc(real(y[ci])), bc(imag(y[ci]))
					// Go's complex product: (xr·yr − xi·yi) + (xr·yi + xi·yr)i.
					fR = fR.Add(xr.Mul(yr).Sub(xi.Mul(yi)))
					fI = fI.Add(xr.Mul(yi).Add(xi.Mul(yr)))
				}
				accR = accR.Add(fR.Mul(fR).Sub(fI.Mul(fI)))
				accI = accI.Add(fR.Mul(fI).Add(fI.Mul(fR)))
			}
			f.level(lev, oidx, accR, accI, active)
		}
	}
	kurt.Store(out)
	archsimd.ClearAVXUpperBits()
	f.store(r.levels, oidx, out, active)
}

// level writes output image lev: the real part of the square root of each
// lane's accR + accI·i.
func (f *lbp3dFast) level(lev, oidx int, accR, accI f64x4, active [4]bool) {
	accR.Store(&f.re)
	accI.Store(&f.im)
	// Scalar (SSE) code next: without VZEROUPPER each of its instructions
	// waits on the registers' upper halves.
	archsimd.ClearAVXUpperBits()
	for q := range 4 {
		f.out[q] = real(cmplx.Sqrt(complex(f.re[q], f.im[q])))
	}
	f.store(lev, oidx, &f.out, active)
}

// levels2 is chunk's spherical-harmonic part for two levels (the default,
// four columns: degree 0, then degree 1 with m = −1, 0, 1), the sums kept
// in registers; the same operations as the general loop, in its order.
func (f *lbp3dFast) levels2(centre f64x4, oidx int, active [4]bool) {
	r := f.r
	bc := archsimd.BroadcastFloat64x4
	var c0r, c0i, c1r, c1i, c2r, c2i, c3r, c3i f64x4
	for v := range r.tab {
		in := archsimd.LoadFloat64x4Slice(f.raw[4*v:]).GreaterEqual(centre)
		y := r.Y[v][:4]
		c0r = c0r.Add(bc(real(y[0])).Masked(in))
		c0i = c0i.Add(bc(imag(y[0])).Masked(in))
		c1r = c1r.Add(bc(real(y[1])).Masked(in))
		c1i = c1i.Add(bc(imag(y[1])).Masked(in))
		c2r = c2r.Add(bc(real(y[2])).Masked(in))
		c2i = c2i.Add(bc(imag(y[2])).Masked(in))
		c3r = c3r.Add(bc(real(y[3])).Masked(in))
		c3i = c3i.Add(bc(imag(y[3])).Masked(in))
	}
	var zero, accR, accI f64x4
	for v := range r.tab {
		y := r.Y[v][:4]
		yr, yi := bc(real(y[0])), bc(imag(y[0]))
		fR := zero.Add(c0r.Mul(yr).Sub(c0i.Mul(yi)))
		fI := zero.Add(c0r.Mul(yi).Add(c0i.Mul(yr)))
		accR = accR.Add(fR.Mul(fR).Sub(fI.Mul(fI)))
		accI = accI.Add(fR.Mul(fI).Add(fI.Mul(fR)))
	}
	f.level(0, oidx, accR, accI, active)
	accR, accI = zero, zero
	for v := range r.tab {
		y := r.Y[v][:4]
		yr, yi := bc(real(y[1])), bc(imag(y[1]))
		fR := zero.Add(c1r.Mul(yr).Sub(c1i.Mul(yi)))
		fI := zero.Add(c1r.Mul(yi).Add(c1i.Mul(yr)))
		yr, yi = bc(real(y[2])), bc(imag(y[2]))
		fR = fR.Add(c2r.Mul(yr).Sub(c2i.Mul(yi)))
		fI = fI.Add(c2r.Mul(yi).Add(c2i.Mul(yr)))
		yr, yi = bc(real(y[3])), bc(imag(y[3]))
		fR = fR.Add(c3r.Mul(yr).Sub(c3i.Mul(yi)))
		fI = fI.Add(c3r.Mul(yi).Add(c3i.Mul(yr)))
		accR = accR.Add(fR.Mul(fR).Sub(fI.Mul(fI)))
		accI = accI.Add(fR.Mul(fI).Add(fI.Mul(fR)))
	}
	f.level(1, oidx, accR, accI, active)
}

// store writes the active lanes of out to output image l from oidx on.
func (f *lbp3dFast) store(l, oidx int, out *[4]float64, active [4]bool) {
	d := f.r.outs[l].Data[oidx : oidx+4]
	for q := range 4 {
		if active[q] {
			d[q] = out[q]
		}
	}
}

// splineRows is one vertex's samples of four voxels adjacent along x: at
// in every lane (coefficient × weight along k × weight along j × weight
// along x, added to the sum, taps in scipy's order). t0 and t1 are the
// taps along k and j (shared by the lanes), b lane 0's first tap along x,
// wx[a2][x0:x0+4] the lanes' weights a2 along x. (No array of vectors: the
// compiler zeroes one with SSE stores, slow among AVX instructions.)
func splineRows(c []float64, x0 int, t0, t1 *axisTaps, b int, wx *[4][]float64) f64x4 {
	bc := archsimd.BroadcastFloat64x4
	w0x, w1x, w2x, w3x := ldx(wx, 0, x0), ldx(wx, 1, x0), ldx(wx, 2, x0), ldx(wx, 3, x0)
	var acc f64x4
	for a0 := range 4 {
		w0 := bc(t0.w[a0])
		for a1 := range 4 {
			w1 := bc(t1.w[a1])
			row := c[t0.idx[a0]+t1.idx[a1]+b:]
			row = row[:7]
			acc = acc.Add(archsimd.LoadFloat64x4Slice(row[0:4]).Mul(w0).Mul(w1).Mul(w0x))
			acc = acc.Add(archsimd.LoadFloat64x4Slice(row[1:5]).Mul(w0).Mul(w1).Mul(w1x))
			acc = acc.Add(archsimd.LoadFloat64x4Slice(row[2:6]).Mul(w0).Mul(w1).Mul(w2x))
			acc = acc.Add(archsimd.LoadFloat64x4Slice(row[3:7]).Mul(w0).Mul(w1).Mul(w3x))
		}
	}
	return acc
}

// ldx is lanes x0…x0+3 of wx[a2].
func ldx(wx *[4][]float64, a2, x0 int) f64x4 { return archsimd.LoadFloat64x4Slice(wx[a2][x0 : x0+4]) }

// splineRows2 is splineRows for two vertices (A and B) in lockstep: two
// sums in flight.
func splineRows2(c []float64, x0 int, ta0, ta1 *axisTaps, ba int, wax *[4][]float64, tb0, tb1 *axisTaps, bb int, wbx *[4][]float64) (f64x4, f64x4) {
	bc := archsimd.BroadcastFloat64x4
	wa := [4]f64x4{ldx(wax, 0, x0), ldx(wax, 1, x0), ldx(wax, 2, x0), ldx(wax, 3, x0)}
	wb := [4]f64x4{ldx(wbx, 0, x0), ldx(wbx, 1, x0), ldx(wbx, 2, x0), ldx(wbx, 3, x0)}
	var sa, sb f64x4
	for a0 := range 4 {
		wa0, wb0 := bc(ta0.w[a0]), bc(tb0.w[a0])
		for a1 := range 4 {
			wa1, wb1 := bc(ta1.w[a1]), bc(tb1.w[a1])
			ra := c[ta0.idx[a0]+ta1.idx[a1]+ba:]
			rb := c[tb0.idx[a0]+tb1.idx[a1]+bb:]
			ra, rb = ra[:7], rb[:7]
			sa = sa.Add(archsimd.LoadFloat64x4Slice(ra[0:4]).Mul(wa0).Mul(wa1).Mul(wa[0]))
			sb = sb.Add(archsimd.LoadFloat64x4Slice(rb[0:4]).Mul(wb0).Mul(wb1).Mul(wb[0]))
			sa = sa.Add(archsimd.LoadFloat64x4Slice(ra[1:5]).Mul(wa0).Mul(wa1).Mul(wa[1]))
			sb = sb.Add(archsimd.LoadFloat64x4Slice(rb[1:5]).Mul(wb0).Mul(wb1).Mul(wb[1]))
			sa = sa.Add(archsimd.LoadFloat64x4Slice(ra[2:6]).Mul(wa0).Mul(wa1).Mul(wa[2]))
			sb = sb.Add(archsimd.LoadFloat64x4Slice(rb[2:6]).Mul(wb0).Mul(wb1).Mul(wb[2]))
			sa = sa.Add(archsimd.LoadFloat64x4Slice(ra[3:7]).Mul(wa0).Mul(wa1).Mul(wa[3]))
			sb = sb.Add(archsimd.LoadFloat64x4Slice(rb[3:7]).Mul(wb0).Mul(wb1).Mul(wb[3]))
		}
	}
	return sa, sb
}

// splineLines4 is splineLines4SIMD where the CPU has AVX2, else
// splineLines4Scalar.
func splineLines4(lines, zs []float64) {
	if useAVX2 {
		splineLines4SIMD(lines, zs)
		return
	}
	splineLines4Scalar(lines, zs)
}

// splineLines4SIMD is splineLines4Scalar with the four lines in the lanes
// of one register: each lane runs the scalar operations in their order,
// never fused (TestSplineCoefficients compares them with scipy's line
// filter to the bit).
func splineLines4SIMD(lines, zs []float64) {
	bc := archsimd.BroadcastFloat64x4
	z := math.Sqrt(3) - 2
	gain := (1 - z) * (1 - 1/z)
	ln := len(lines) / 4
	zn1 := zs[0]
	d0 := 1 - zn1*zn1
	d1 := z*z - 1
	vz, vzn1 := bc(z), bc(zn1)
	vg := bc(gain)
	for t := range ln {
		ld4(lines, t).Mul(vg).StoreSlice(lines[t*4:])
	}
	e := ln - 1
	l0 := ld4(lines, 0).Add(vzn1.Mul(ld4(lines, e)))
	for i := 1; i < ln-1; i++ {
		l0 = l0.Add(bc(zs[i]).Mul(ld4(lines, i).Add(vzn1.Mul(ld4(lines, ln-1-i)))))
	}
	x := l0.Div(bc(d0))
	x.StoreSlice(lines[0:])
	for t := 1; t < ln; t++ {
		x = ld4(lines, t).Add(vz.Mul(x))
		x.StoreSlice(lines[t*4:])
	}
	// x is sample e after the causal pass; sample e−1 is in lines.
	x = vz.Mul(ld4(lines, e-1)).Add(x).Mul(vz).Div(bc(d1))
	x.StoreSlice(lines[e*4:])
	for t := e - 1; t >= 0; t-- {
		x = vz.Mul(x.Sub(ld4(lines, t)))
		x.StoreSlice(lines[t*4:])
	}
	archsimd.ClearAVXUpperBits()
}
