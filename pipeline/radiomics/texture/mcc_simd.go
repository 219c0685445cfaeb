//go:build goexperiment.simd && amd64

package texture

import "simd/archsimd"

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
