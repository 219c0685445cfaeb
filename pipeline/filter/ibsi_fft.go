package filter

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// fftAxes transforms data (shape n, x fastest) along every axis whose
// length is above 1 and that axes selects; inverse divides by the length.
func fftAxes(data []complex128, n [3]int, axes [3]bool, inverse bool) {
	for a := 0; a < 3; a++ {
		if !axes[a] || n[a] < 2 {
			continue
		}
		g := grid3{n: n}
		st := g.stride(a)
		t := newDFT(n[a])
		line := make([]complex128, n[a])
		res := make([]complex128, n[a])
		scale := complex(1/float64(n[a]), 0)
		forLines(g, a, func(base int) {
			for i := range line {
				line[i] = data[base+i*st]
			}
			if inverse {
				t.sequence(res, line)
				for i, v := range res {
					data[base+i*st] = v * scale
				}
			} else {
				t.coefficients(res, line)
				for i, v := range res {
					data[base+i*st] = v
				}
			}
		})
	}
}

// centredCoord is the frequency coordinate of FFT index k on an axis of
// N samples after numpy's fftshift, scaled to [-1, 1] about the grid
// centre (N-1)/2 (the Simoncelli grid of the IBSI-compliant
// implementations).
func centredCoord(k, n int) float64 {
	if n < 2 {
		return 0
	}
	m := (k + n/2) % n
	c := float64(n-1) / 2
	return (float64(m) - c) / c
}

// simoncelli is IBSI's non-separable Simoncelli wavelet at f.Level: in
// the Fourier domain cos(π/2 log2(2ν/νmax)) for νmax/4 ≤ ν ≤ νmax,
// νmax = 2^(1-Level), on the image's own (periodic) grid; 2D filters each
// axial slice.
func (f IBSI) simoncelli(g grid3, src []float64) []float64 {
	d := f.dims()
	maxf := math.Pow(2, 1-float64(f.Level))
	shape := g.n
	if d == 2 {
		shape[2] = 1
	}
	h := make([]float64, shape[0]*shape[1]*shape[2])
	for k := 0; k < shape[2]; k++ {
		for j := 0; j < shape[1]; j++ {
			for i := 0; i < shape[0]; i++ {
				c := [3]float64{centredCoord(i, shape[0]), centredCoord(j, shape[1]), centredCoord(k, shape[2])}
				r := math.Sqrt(c[0]*c[0] + c[1]*c[1] + c[2]*c[2])
				v := 0.0
				if r >= maxf/4 && r <= maxf {
					v = math.Cos(math.Pi / 2 * math.Log2(2*r/maxf))
				}
				h[i+shape[0]*(j+shape[1]*k)] = v
			}
		}
	}
	return g.fourierFilter(src, h, 1, d)
}

// rieszTransfer is the Riesz transform's transfer function of the given
// order at frequency c (|c| = r), (-i)^L sqrt(L!/Π l!) Π c_a^l_a / r^L,
// without its constant phase (-i)^L.
func rieszTransfer(order []int, c [3]float64, r float64) float64 {
	if r == 0 {
		return 0
	}
	L := 0
	num := 1.0
	fact := 1.0
	for a, l := range order {
		L += l
		num *= math.Pow(c[a], float64(l))
		for q := 2; q <= l; q++ {
			fact *= float64(q)
		}
	}
	lf := 1.0
	for q := 2; q <= L; q++ {
		lf *= float64(q)
	}
	return math.Sqrt(lf/fact) * num / math.Pow(r, float64(L))
}

// riesz applies the Riesz transform of f.RieszOrder to src on the image's
// periodic grid (true FFT frequencies; zero at DC).
func (f IBSI) riesz(g grid3, src []float64) []float64 {
	d := f.dims()
	shape := g.n
	if d == 2 {
		shape[2] = 1
	}
	freq := func(k, n int) float64 {
		if k > (n-1)/2 {
			k -= n
		}
		return float64(k) / float64(n)
	}
	h := make([]float64, shape[0]*shape[1]*shape[2])
	for k := 0; k < shape[2]; k++ {
		for j := 0; j < shape[1]; j++ {
			for i := 0; i < shape[0]; i++ {
				c := [3]float64{freq(i, shape[0]), freq(j, shape[1]), freq(k, shape[2])}
				r := math.Sqrt(c[0]*c[0] + c[1]*c[1] + c[2]*c[2])
				h[i+shape[0]*(j+shape[1]*k)] = rieszTransfer(f.RieszOrder, c, r)
			}
		}
	}
	L := 0
	for _, o := range f.RieszOrder {
		L += o
	}
	phase := [4]complex128{1, -1i, -1, 1i}[L%4] // (-i)^L
	return g.fourierFilter(src, h, phase, d)
}

// fourierFilter multiplies the spectrum of src (3D, or each axial slice
// in 2D) by h (the transfer function on the FFT grid) and returns the real
// part of the inverse. The transfer function is phase·h.
func (g grid3) fourierFilter(src []float64, h []float64, phase complex128, d int) []float64 {
	out := make([]float64, len(src))
	axes := [3]bool{true, true, d == 3}
	if d == 3 {
		x := make([]complex128, len(src))
		for i, v := range src {
			x[i] = complex(v, 0)
		}
		fftAxes(x, g.n, axes, false)
		for i := range x {
			x[i] *= complex(h[i], 0) * phase
		}
		fftAxes(x, g.n, axes, true)
		for i, v := range x {
			out[i] = real(v)
		}
		return out
	}
	plane := g.n[0] * g.n[1]
	sn := [3]int{g.n[0], g.n[1], 1}
	x := make([]complex128, plane)
	for z := 0; z < g.n[2]; z++ {
		for i := 0; i < plane; i++ {
			x[i] = complex(src[z*plane+i], 0)
		}
		fftAxes(x, sn, axes, false)
		for i := range x {
			x[i] *= complex(h[i], 0) * phase
		}
		fftAxes(x, sn, axes, true)
		for i, v := range x {
			out[z*plane+i] = real(v)
		}
	}
	return out
}

// gabor is IBSI's 2D Gabor filter applied to every slice of a plane: the
// kernel exp(-(x'² + γ² y'²)/(2σ²)) exp(i 2π x'/λ) with (x', y') the
// in-plane voxel coordinates rotated by θ, of the plane's largest side
// (odd), convolved with the slice extended by the boundary mode; the
// response is the modulus. Orientations (ThetaStep) and, when
// RotationInvariant in 3D, the three orthogonal planes are pooled.
func (f IBSI) gabor(g grid3, src []float64, full [3]int) []float64 {
	thetas := map[float64]float64{} // θ mod 180° → weight
	var order []float64
	nt := 1
	if f.ThetaStep > 0 {
		nt = int(math.Round(360 / f.ThetaStep))
	}
	for k := 0; k < nt; k++ {
		t := math.Mod(f.Theta+float64(k)*f.ThetaStep, 180)
		if t < 0 {
			t += 180
		}
		t = math.Round(t*1e9) / 1e9
		if _, ok := thetas[t]; !ok {
			order = append(order, t)
		}
		thetas[t]++
	}
	planes := f.gaborPlanes()
	how := f.pooling()
	acc := make([]float64, len(src))
	switch how {
	case "max":
		for i := range acc {
			acc[i] = math.Inf(-1)
		}
	case "min":
		for i := range acc {
			acc[i] = math.Inf(1)
		}
	}
	total := 0.0
	for _, pl := range planes {
		s, ra, ca := pl[0], pl[1], pl[2]
		nr, nc := g.n[ra], g.n[ca]
		hk := f.gaborHalf(g, full, pl)
		K := 2*hk + 1
		sp := max(g.sp[ra], g.sp[ca])
		sig, lam := f.Sigma/sp, f.Lambda/sp
		// The slice padded by hk each side, in an FFT grid at least that
		// large (zeros beyond: the outputs read stay free of wrap-around).
		pr, pc := nr+2*hk, nc+2*hk
		fr, fc := fftSize(pr), fftSize(pc)
		pn := [3]int{fc, fr, 1}
		kern := make([][]complex128, len(order))
		for ti, th := range order {
			kf := make([]complex128, fr*fc)
			ct, st := math.Cos(th*math.Pi/180), math.Sin(th*math.Pi/180)
			for a := 0; a < K; a++ {
				yk := float64(a - hk)
				for b := 0; b < K; b++ {
					xk := float64(b - hk)
					xr := st*yk + ct*xk
					yr := -ct*yk + st*xk
					env := math.Exp(-(xr*xr + f.Gamma*f.Gamma*yr*yr) / (2 * sig * sig))
					ph := 2 * math.Pi * xr / lam
					kf[a*fc+b] = complex(env*math.Cos(ph), env*math.Sin(ph))
				}
			}
			fftAxes(kf, pn, [3]bool{true, true, false}, false)
			kern[ti] = kf
		}
		rIdx := make([]int, pr)
		for u := range rIdx {
			rIdx[u] = f.Boundary.extend(u-hk, nr)
		}
		cIdx := make([]int, pc)
		for v := range cIdx {
			cIdx[v] = f.Boundary.extend(v-hk, nc)
		}
		rs, cs, ss := g.stride(ra), g.stride(ca), g.stride(s)
		x := make([]complex128, fr*fc)
		y := make([]complex128, fr*fc)
		from, to := 0, g.n[s]
		if g.need != nil {
			from, to = g.need[s][0], g.need[s][1]
		}
		for sl := from; sl < to; sl++ {
			clear(x)
			for u, ri := range rIdx {
				for v, ci := range cIdx {
					if ri >= 0 && ci >= 0 {
						x[u*fc+v] = complex(src[sl*ss+ri*rs+ci*cs], 0)
					}
				}
			}
			fftAxes(x, pn, [3]bool{true, true, false}, false)
			for ti, th := range order {
				w := thetas[th]
				kf := kern[ti]
				for i := range y {
					y[i] = x[i] * kf[i]
				}
				fftAxes(y, pn, [3]bool{true, true, false}, true)
				for r := 0; r < nr; r++ {
					for c := 0; c < nc; c++ {
						m := cmplx.Abs(y[(r+2*hk)*fc+c+2*hk])
						o := sl*ss + r*rs + c*cs
						switch how {
						case "max":
							acc[o] = math.Max(acc[o], m)
						case "min":
							acc[o] = math.Min(acc[o], m)
						default:
							acc[o] += w * m
						}
					}
				}
			}
		}
		for _, th := range order {
			total += thetas[th]
		}
	}
	if how == "mean" {
		for i := range acc {
			acc[i] /= total
		}
	}
	return acc
}

// fftSize is the smallest n' ≥ n whose prime factors are 2, 3 and 5.
func fftSize(n int) int {
	for m := n; ; m++ {
		r := m
		for _, p := range []int{2, 3, 5} {
			for r%p == 0 {
				r /= p
			}
		}
		if r == 1 {
			return m
		}
	}
}

// gaborPlanes are the planes Gabor filters: stack axis, row axis, column
// axis (the axial plane; all three orthogonal planes when rotation
// invariant in 3D).
func (f IBSI) gaborPlanes() [][3]int {
	planes := [][3]int{{2, 1, 0}}
	if f.RotationInvariant && !f.TwoD {
		planes = append(planes, [3]int{1, 2, 0}, [3]int{0, 2, 1})
	}
	return planes
}

// gaborHalf is the half-width of the Gabor kernel in a plane: the IBSI
// implementations' kernel spans the plane's largest side of the whole
// image (full), cut here where the Gaussian envelope falls below e^-28
// (7.5 σ along x', 7.5 σ/γ along y'), which changes no response by more
// than 1e-12 of its scale.
func (f IBSI) gaborHalf(g grid3, full [3]int, pl [3]int) int {
	h := max(full[pl[1]], full[pl[2]]) / 2
	sig := f.Sigma / max(g.sp[pl[1]], g.sp[pl[2]])
	cut := int(math.Ceil(7.5 * sig * max(1, 1/f.Gamma)))
	return min(h, cut)
}

// dft is a complex DFT of one length: gonum's FFT, or, for a length with a
// large prime factor (where gonum's generic pass costs O(n·p)), Bluestein's
// chirp-z algorithm on a 2,3,5-smooth FFT of length ≥ 2n-1.
type dft struct {
	n    int
	fft  *fourier.CmplxFFT // length n, or m for Bluestein
	w    []complex128      // chirp exp(-iπk²/n)
	bF   []complex128      // FFT of the conjugate chirp, length m
	a, b []complex128
}

func newDFT(n int) *dft {
	r, p := n, 2
	big := 1
	for r > 1 {
		for r%p == 0 {
			r /= p
			big = p
		}
		p++
	}
	d := &dft{n: n}
	if big <= 13 || n < 32 {
		d.fft = fourier.NewCmplxFFT(n)
		return d
	}
	m := fftSize(2*n - 1)
	d.fft = fourier.NewCmplxFFT(m)
	d.w = make([]complex128, n)
	for k := range d.w {
		// k² mod 2n keeps the angle exact for large k.
		q := (k * k) % (2 * n)
		d.w[k] = cmplx.Exp(complex(0, -math.Pi*float64(q)/float64(n)))
	}
	b := make([]complex128, m)
	for k := 0; k < n; k++ {
		b[k] = cmplx.Conj(d.w[k])
		if k > 0 {
			b[m-k] = b[k]
		}
	}
	d.bF = d.fft.Coefficients(nil, b)
	d.a, d.b = make([]complex128, m), make([]complex128, m)
	return d
}

// coefficients is the forward DFT (unnormalised) of src into dst.
func (d *dft) coefficients(dst, src []complex128) {
	if d.w == nil {
		d.fft.Coefficients(dst, src)
		return
	}
	clear(d.a)
	for k, x := range src {
		d.a[k] = x * d.w[k]
	}
	d.fft.Coefficients(d.b, d.a)
	for i := range d.b {
		d.b[i] *= d.bF[i]
	}
	d.fft.Sequence(d.a, d.b)
	inv := complex(1/float64(len(d.a)), 0)
	for k := range dst {
		dst[k] = d.w[k] * d.a[k] * inv
	}
}

// sequence is the inverse DFT (unnormalised) of src into dst.
func (d *dft) sequence(dst, src []complex128) {
	if d.w == nil {
		d.fft.Sequence(dst, src)
		return
	}
	tmp := make([]complex128, len(src))
	for i, x := range src {
		tmp[i] = cmplx.Conj(x)
	}
	d.coefficients(dst, tmp)
	for i, x := range dst {
		dst[i] = cmplx.Conj(x)
	}
}
