//go:build goexperiment.simd && amd64

package texture

import (
	"math"
	"simd/archsimd"
)

// useAVX2 selects tridiag4SIMD where the CPU has AVX2.
var useAVX2 = archsimd.X86.AVX2()

type f64x4 = archsimd.Float64x4

// tridiag4SIMD is tridiagLane for the four lanes at once, one AVX2
// register per matrix element: each multiply, add, subtract, divide and
// square root is the scalar one lane by lane (never fused), in
// tridiagLane's order, so every lane is rounded as tridiagLane rounds it.
func tridiag4SIMD(a [][4]float64, m int, d, e2, u [][4]float64) {
	bc := archsimd.BroadcastFloat64x4
	zero, one := bc(0), bc(1)
	absBits := archsimd.BroadcastUint64x4(1<<63 - 1)
	signBit := archsimd.BroadcastUint64x4(1 << 63)
	for i := m - 1; i > 0; i-- {
		l := i - 1
		ai := a[i*m : i*m+i]
		if l == 0 {
			x := load4(&ai[0])
			x.Mul(x).Store(&e2[0])
			continue
		}
		scale := zero
		for k := range ai {
			scale = scale.Add(load4(&ai[k]).AsUint64x4().And(absBits).AsFloat64x4())
		}
		scale = scale.Merge(one, scale.NotEqual(zero))
		h := zero
		for k := range ai {
			v := load4(&ai[k]).Div(scale)
			v.Store(&ai[k])
			h = h.Add(v.Mul(v))
		}
		f := load4(&ai[l])
		g := h.Sqrt()
		g = g.AsUint64x4().Xor(signBit).AsFloat64x4().Merge(g, f.GreaterEqual(zero))
		scale.Mul(g).Mul(scale).Mul(g).Store(&e2[l])
		h = h.Sub(f.Mul(g))
		f.Sub(g).Store(&ai[l])
		h = h.Merge(one, h.NotEqual(zero))
		ui := u[:i]
		clear(ui)
		for j := range ai {
			row := a[j*m : j*m+j+1]
			x := load4(&ai[j])
			d0, d1 := zero, zero
			aj, uj := ai[:j], ui[:j]
			k := 0
			for ; k+1 < j; k += 2 {
				v0, v1 := load4(&row[k]), load4(&row[k+1])
				d0 = d0.Add(v0.Mul(load4(&aj[k])))
				d1 = d1.Add(v1.Mul(load4(&aj[k+1])))
				load4(&uj[k]).Add(v0.Mul(x)).Store(&uj[k])
				load4(&uj[k+1]).Add(v1.Mul(x)).Store(&uj[k+1])
			}
			if k < j {
				v0 := load4(&row[k])
				d0 = d0.Add(v0.Mul(load4(&aj[k])))
				load4(&uj[k]).Add(v0.Mul(x)).Store(&uj[k])
			}
			load4(&ui[j]).Add(d0.Add(d1).Add(load4(&row[j]).Mul(x))).Store(&ui[j])
		}
		f = zero
		for j := range ui {
			uj := load4(&ui[j]).Div(h)
			uj.Store(&ui[j])
			f = f.Add(uj.Mul(load4(&ai[j])))
		}
		hh := f.Div(h.Add(h))
		for j := range ui {
			load4(&ui[j]).Sub(hh.Mul(load4(&ai[j]))).Store(&ui[j])
		}
		for j := range ui {
			row := a[j*m : j*m+j+1]
			fj, gj := load4(&ai[j]), load4(&ui[j])
			uk, ak := ui[:len(row)], ai[:len(row)]
			for k := range row {
				load4(&row[k]).Sub(fj.Mul(load4(&uk[k])).Add(gj.Mul(load4(&ak[k])))).Store(&row[k])
			}
		}
	}
	for i := range m {
		d[i] = a[i*m+i]
	}
	// Clear the registers' upper halves for the scalar code that follows.
	archsimd.ClearAVXUpperBits()
}

func load4(x *[4]float64) f64x4 { return archsimd.LoadFloat64x4(x) }

// eigen4SIMD is tridiagEigen for the lanes of d and e2 (tridiag4's
// layout) where run is true, lane L on its first n[L] ≥ 2 elements, k[L]
// its eigenvalue's index: the three Sturm counts of every lane in three
// AVX2 registers, each lane's multisection the scalar one (its Gershgorin
// interval, its three points, its stopping test and choice of quarter,
// rounded the same way), and a lane that has stopped kept as it is until
// the others stop.
func eigen4SIMD(d, e2 [][4]float64, n [4]int, k [4]int, run [4]bool) [4]float64 {
	var lo4, hi4, n4, k4 [4]float64
	var stop [4]float64
	m := 0
	for lane := range 4 {
		if !run[lane] {
			stop[lane] = 1
			continue
		}
		lo4[lane], hi4[lane] = gershgorinLane(d, e2, n[lane], lane)
		n4[lane], k4[lane] = float64(n[lane]), float64(k[lane])
		m = max(m, n[lane])
	}
	bc := archsimd.BroadcastFloat64x4
	zero, one := bc(0), bc(1)
	quarter, three, half := bc(0.25), bc(3), bc(0.5)
	tol := bc(2 * eps)
	pivmin := bc(1e-290)
	negPivmin := bc(-1e-290)
	absBits := archsimd.BroadcastUint64x4(1<<63 - 1)
	lo, hi := archsimd.LoadFloat64x4(&lo4), archsimd.LoadFloat64x4(&hi4)
	nn, kk := archsimd.LoadFloat64x4(&n4), archsimd.LoadFloat64x4(&k4)
	done := archsimd.LoadFloat64x4(&stop).Equal(one)
	zeroI := archsimd.BroadcastInt64x4(0)
	for range 120 {
		w := hi.Sub(lo)
		x1 := lo.Add(w.Mul(quarter))
		x2 := lo.Add(w.Mul(half))
		x3 := lo.Add(w.Mul(three).Mul(quarter))
		inside := lo.Less(x1).And(x1.Less(x2)).And(x2.Less(x3)).And(x3.Less(hi))
		wide := w.Greater(tol.Mul(lo.AsUint64x4().And(absBits).AsFloat64x4().Max(hi.AsUint64x4().And(absBits).AsFloat64x4())))
		done = done.Or(inside.And(wide).ToInt64x4().Equal(zeroI))
		if done.ToBits() == 0xf {
			break
		}
		c1, c2, c3 := zero, zero, zero
		d0 := archsimd.LoadFloat64x4(&d[0])
		q1, q2, q3 := d0.Sub(x1), d0.Sub(x2), d0.Sub(x3)
		// iv is i in every lane, counted in the vector registers: a
		// scalar conversion here would be a legacy SSE instruction among
		// the AVX ones, which is very slow.
		iv := zero
		for i := 0; ; i++ {
			q1 = negPivmin.Merge(q1, q1.AsUint64x4().And(absBits).AsFloat64x4().Less(pivmin))
			q2 = negPivmin.Merge(q2, q2.AsUint64x4().And(absBits).AsFloat64x4().Less(pivmin))
			q3 = negPivmin.Merge(q3, q3.AsUint64x4().And(absBits).AsFloat64x4().Less(pivmin))
			in := iv.Less(nn)
			iv = iv.Add(one)
			c1 = c1.Add(one.Masked(q1.Less(zero).And(in)))
			c2 = c2.Add(one.Masked(q2.Less(zero).And(in)))
			c3 = c3.Add(one.Masked(q3.Less(zero).And(in)))
			if i == m-1 {
				break
			}
			di, ei := archsimd.LoadFloat64x4(&d[i+1]), archsimd.LoadFloat64x4(&e2[i])
			q1 = di.Sub(x1).Sub(ei.Div(q1))
			q2 = di.Sub(x2).Sub(ei.Div(q2))
			q3 = di.Sub(x3).Sub(ei.Div(q3))
		}
		m1, m2, m3 := c1.Greater(kk), c2.Greater(kk), c3.Greater(kk)
		// switch { case c1 > k: hi = x1; case c2 > k: lo, hi = x1, x2;
		// case c3 > k: lo, hi = x2, x3; default: lo = x3 }
		newHi := x1.Merge(x2.Merge(x3.Merge(hi, m3), m2), m1)
		newLo := lo.Merge(x1.Merge(x2.Merge(x3, m3), m2), m1)
		hi = hi.Merge(newHi, done)
		lo = lo.Merge(newLo, done)
	}
	var out [4]float64
	lo.Add(hi.Sub(lo).Mul(half)).Store(&out)
	archsimd.ClearAVXUpperBits()
	return out
}

// log2x4 is log2 (math.Log(x)/ln 2) of each lane, for x > 0 finite and
// normal (the entropies' p + ε, px·py + ε and px > 0): the operations of
// math.Log's amd64 assembly (archLog: Frexp by bits, k decreased and f1
// doubled where f1 ≤ √2/2, then the same polynomial evaluated in the same
// order, never fused), so that each lane is rounded as log2 rounds it
// (TestLog2x4). The constants are loaded from logK: a broadcast of a
// constant, or a shift by a constant count, here would be a legacy SSE
// move among the AVX instructions.
func log2x4(x f64x4) f64x4 {
	k4 := func(c *[4]float64) f64x4 { return archsimd.LoadFloat64x4(c) }
	bits := x.AsUint64x4()
	// f1 = the mantissa with exponent -1; k = the biased exponent − 1022,
	// converted exactly through 2⁵² + e (no scalar conversion).
	f1 := bits.And(archsimd.LoadUint64x4(&logK.mant)).Or(archsimd.LoadUint64x4(&logK.half)).AsFloat64x4()
	two52 := k4(&logK.two52)
	e := bits.ShiftRight(archsimd.LoadUint64x4(&logK.s52)).Or(two52.AsUint64x4()).AsFloat64x4().Sub(two52)
	k := e.Sub(k4(&logK.bias))
	one := k4(&logK.one)
	small := f1.LessEqual(k4(&logK.hsqrt2)) // the assembly's !(√2/2 < f1)
	d := one.Masked(small)
	k = k.Sub(d)
	f1 = f1.Mul(d.Add(one))
	f := f1.Sub(one)
	s := f.Div(k4(&logK.two).Add(f))
	s2 := s.Mul(s)
	s4 := s2.Mul(s2)
	t1 := s2.Mul(k4(&logK.l7).Mul(s4).Add(k4(&logK.l5)).Mul(s4).Add(k4(&logK.l3)).Mul(s4).Add(k4(&logK.l1)))
	t2 := s4.Mul(k4(&logK.l6).Mul(s4).Add(k4(&logK.l4)).Mul(s4).Add(k4(&logK.l2)))
	r := t1.Add(t2)
	hfsq := k4(&logK.halfF).Mul(f).Mul(f)
	v := hfsq.Sub(s.Mul(r.Add(hfsq)).Add(k.Mul(k4(&logK.ln2Lo)))).Sub(f)
	return k.Mul(k4(&logK.ln2Hi)).Sub(v).Div(k4(&logK.ln2))
}

func splat(x float64) [4]float64 { return [4]float64{x, x, x, x} }

// logK are log2x4's constants, four lanes each (math.Log's).
var logK = struct {
	mant, half, s52                      [4]uint64
	two52, bias, one, two, hsqrt2, halfF [4]float64
	l1, l2, l3, l4, l5, l6, l7           [4]float64
	ln2Hi, ln2Lo, ln2, eps               [4]float64
}{
	mant:  [4]uint64{0x000FFFFFFFFFFFFF, 0x000FFFFFFFFFFFFF, 0x000FFFFFFFFFFFFF, 0x000FFFFFFFFFFFFF},
	half:  [4]uint64{0x3FE0000000000000, 0x3FE0000000000000, 0x3FE0000000000000, 0x3FE0000000000000},
	s52:   [4]uint64{52, 52, 52, 52}, // ShiftAllRight(52) would move its count with a legacy SSE MOVQ
	two52: splat(1 << 52), bias: splat(1022), one: splat(1), two: splat(2),
	hsqrt2: splat(7.07106781186547524401e-01), halfF: splat(0.5),
	l1: splat(6.666666666666735130e-01), l2: splat(3.999999999940941908e-01),
	l3: splat(2.857142874366239149e-01), l4: splat(2.222219843214978396e-01),
	l5: splat(1.818357216161805012e-01), l6: splat(1.531383769920937332e-01),
	l7:    splat(1.479819860511658591e-01),
	ln2Hi: splat(6.93147180369123816490e-01), ln2Lo: splat(1.90821492927058770002e-10),
	ln2: splat(math.Ln2), eps: splat(eps),
}

// log2Lanes is log2x4 on an array (for tests).
func log2Lanes(x [4]float64) [4]float64 {
	var out [4]float64
	log2x4(archsimd.LoadFloat64x4(&x)).Store(&out)
	archsimd.ClearAVXUpperBits()
	return out
}

// glcmCoefs4 finds the coefficients of four directions' symmetric GLCMs
// at once, direction L in lane L of p4 (element (i,j) at p4[i nl + j],
// zero lanes for missing directions), with the AVX2 operations lane by
// lane equal to glcmCoef.set's and glcmCoef.moments' scalar ones in their
// order: one pass for the marginals, p_{x+y}, p_{x-y} and the means, one
// for the moments and (upper triangle) the joint entropies, each over the
// runs of entries of start and runs (glcmLanes.runsOf; ascending). The
// zero entries that set skips add ±0 here, which leaves every sum as it
// is, so each lane is rounded as set rounds its direction
// (TestGLCMCoefs4).
func glcmCoefs4(p4 [][4]float64, lt *glcmLevels, start, runs []int32, out *glcmLanes) {
	nl := len(lt.li)
	var zero f64x4
	one, two, epsv := load4(&logK.one), load4(&logK.two), load4(&logK.eps)
	px, sum, diff := out.px[:nl], out.sum, out.diff
	clear(sum)
	clear(diff)
	ux, uy := zero, zero
	lv4, li := lt.lv4[:nl], lt.li[:nl]
	for i := range nl {
		row := p4[i*nl : (i+1)*nl]
		si := sum[li[i]-1:]
		lvi := load4(&lv4[i])
		s := zero
		for r := start[i]; r < start[i+1]; r++ {
			j0, j1 := int(runs[2*r]), int(runs[2*r+1])
			seg, lis, lvs := row[j0:j1], li[j0:j1], lv4[j0:j1]
			for x := range seg {
				v := load4(&seg[x])
				s = s.Add(v)
				lj := lis[x]
				load4(&si[lj-1]).Add(v).Store(&si[lj-1])
				dk := absInt(li[i] - lj)
				load4(&diff[dk]).Add(v).Store(&diff[dk])
				ux = ux.Add(v.Mul(lvi))
				uy = uy.Add(v.Mul(load4(&lvs[x])))
			}
		}
		s.Store(&px[i])
	}
	ux.Store(&out.ux)
	uy.Store(&out.uy)
	// hx = entropy(px); the split HXY2's Σ px, Σ px log2 px and count.
	hx, sx, lx, nx := zero, zero, zero, zero
	for i := range nl {
		v := load4(&px[i])
		hx = hx.Sub(v.Mul(log2x4(v.Add(epsv))))
		pos := v.Greater(zero)
		sx = sx.Add(v)
		lx = lx.Add(v.Mul(log2x4(v.Merge(one, pos))))
		nx = nx.Add(one.Masked(pos))
	}
	hx.Store(&out.hx)
	sx.Store(&out.sx)
	lx.Store(&out.lx)
	nx.Store(&out.nx)
	var auto, contrast, energy, maxP, c2, c3, c4, msx, msy, cov, hxy, hxy1 f64x4
	for i := range nl {
		row := p4[i*nl : (i+1)*nl]
		lvi := load4(&lv4[i])
		pxi := load4(&px[i])
		di := lvi.Sub(ux)
		for r := start[i]; r < start[i+1]; r++ {
			j0, j1 := int(runs[2*r]), int(runs[2*r+1])
			seg, lvs, pxs := row[j0:j1], lv4[j0:j1], px[j0:j1]
			for x := range seg {
				j := j0 + x
				v := load4(&seg[x])
				lvj := load4(&lvs[x])
				auto = auto.Add(v.Mul(lvi).Mul(lvj))
				d := lvi.Sub(lvj)
				contrast = contrast.Add(v.Mul(d).Mul(d))
				energy = energy.Add(v.Mul(v))
				maxP = maxP.Max(v)
				e := lvi.Add(lvj).Sub(ux).Sub(uy)
				t := e.Mul(e)
				c2 = c2.Add(v.Mul(t))
				c3 = c3.Add(v.Mul(t.Mul(e)))
				c4 = c4.Add(v.Mul(t.Mul(t)))
				dj := lvj.Sub(uy)
				msx = msx.Add(v.Mul(di).Mul(di))
				msy = msy.Add(v.Mul(dj).Mul(dj))
				cov = cov.Add(v.Mul(di).Mul(dj))
				if j < i {
					continue
				}
				// −= w p log2(p+ε), w p log2(px py+ε): w = 1 on the diagonal,
				// 2 above it (the terms (i,j) and (j,i), equal)
				w := v
				if j > i {
					w = two.Mul(v)
				}
				hxy = hxy.Sub(w.Mul(log2x4(v.Add(epsv))))
				hxy1 = hxy1.Sub(w.Mul(log2x4(pxi.Mul(load4(&pxs[x])).Add(epsv))))
			}
		}
	}
	auto.Store(&out.auto)
	contrast.Store(&out.contrast)
	energy.Store(&out.energy)
	maxP.Store(&out.maxP)
	c2.Store(&out.c2)
	c3.Store(&out.c3)
	c4.Store(&out.c4)
	msx.Store(&out.msx)
	msy.Store(&out.msy)
	cov.Store(&out.cov)
	hxy.Store(&out.hxy)
	hxy1.Store(&out.hxy1)
	archsimd.ClearAVXUpperBits()
}

// orRows sets or[j] to the or of column j over the rows of ck (rows of
// len(or) counts), eight columns at a time in AVX2 registers
// (glrlmFromCounts: the run lengths a direction has).
func orRows(ck, or []uint32) {
	nc, j := len(or), 0
	if useAVX2 {
		for ; j+8 <= nc; j += 8 {
			var acc archsimd.Uint32x8
			for r := j; r < len(ck); r += nc {
				acc = acc.Or(archsimd.LoadUint32x8Slice(ck[r : r+8]))
			}
			acc.StoreSlice(or[j : j+8])
		}
		archsimd.ClearAVXUpperBits()
	}
	orRowsFrom(ck, or, j)
}
