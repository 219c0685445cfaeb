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
