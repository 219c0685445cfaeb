package texture

import (
	"math"
	"sync/atomic"
)

// mccDirections is glcmMCC for every direction's symmetric matrix of ps
// (nl × nl each; the default GLCM), four directions at a time: the
// tridiagonal reductions of a group run side by side, one direction per
// lane (tridiag4: four AVX2 lanes where the CPU has them, else the same
// operations lane by lane), so that the O(m³) reduction takes about a
// quarter of the time. Each lane holds its direction's matrix on its own
// occupied levels, first, padded with zero rows and columns up to the
// group's largest: the reduction runs from the last row up, so it passes
// the zero rows (dividing by 1 instead of by their zero scale, which
// leaves the matrix as it is) and then reduces the direction's own
// matrix with glcmMCC's operations. The eigenvalues are then found on the
// direction's own tridiagonal matrix, as glcmMCC finds them, so the values
// do not depend on the CPU, on the workers or on a direction's group.
func mccDirections(ps [][]float64, nl, workers int, bufs *mccBufs) []float64 {
	out := make([]float64, len(ps))
	if nl < 2 {
		for a := range out {
			out[a] = 1
		}
		return out
	}
	ngroups := (len(ps) + 3) / 4
	var next atomic.Int64
	nw := max(1, min(workers, ngroups))
	for len(bufs.w) < nw {
		bufs.w = append(bufs.w, new(mccWork))
	}
	parallel(nw, func(w int) {
		wk := bufs.w[w]
		wk.pend.reset()
		for {
			grp := int(next.Add(1) - 1)
			if grp >= ngroups {
				return
			}
			wk.group(ps, 4*grp, nl, nil, out)
		}
	})
	bufs.finish(nw, out)
	return out
}

// mccPending are the directions whose smallest eigenvalue is still to be
// found (group's second search), gathered from all groups so that the
// searches fill the four lanes: each lane's search is its own, so the
// values are those of a search in the direction's group.
type mccPending struct {
	a, n []int
	hi   []float64
	d, e []float64 // each direction's diagonal and squared off-diagonal, n each (e's last unused)
}

func (p *mccPending) reset() {
	p.a, p.n, p.hi, p.d, p.e = p.a[:0], p.n[:0], p.hi[:0], p.d[:0], p.e[:0]
}

func (p *mccPending) add(a int, hi float64, d, e []float64) {
	p.a, p.n, p.hi = append(p.a, a), append(p.n, len(d)), append(p.hi, hi)
	p.d, p.e = append(p.d, d...), append(p.e, e...)
	p.e = append(p.e, 0)
}

// finish runs the pending searches of the first nw workers, four at a
// time, and writes their MCC to out.
func (bufs *mccBufs) finish(nw int, out []float64) {
	var n, k [4]int
	var run [4]bool
	var a [4]int
	var hi [4]float64
	d, e2 := bufs.d[:0], bufs.e2[:0]
	lanes := 0
	flush := func() {
		lo := eigen4(d, e2, n, k, run)
		for l := range lanes {
			out[a[l]] = math.Sqrt(max(hi[l]*hi[l], lo[l]*lo[l]))
		}
		lanes, run = 0, [4]bool{}
	}
	for _, wk := range bufs.w[:nw] {
		p := &wk.pend
		off := 0
		for j, nj := range p.n {
			for len(d) < nj {
				d, e2 = append(d, [4]float64{}), append(e2, [4]float64{})
			}
			for i := range nj {
				d[i][lanes], e2[i][lanes] = p.d[off+i], p.e[off+i]
			}
			off += nj
			n[lanes], k[lanes], run[lanes], a[lanes], hi[lanes] = nj, 0, true, p.a[j], p.hi[j]
			lanes++
			if lanes == 4 {
				flush()
			}
		}
	}
	if lanes > 0 {
		flush()
	}
	bufs.d, bufs.e2 = d, e2
}

// group is mccDirections for the directions a0 … a0+3 of ps (those there
// are), written to out[a0:]. px, when not nil, holds each direction's row
// sums in its lane (glcmCoefs4's, summed as set sums them); otherwise the
// rows are summed here. A direction whose smallest eigenvalue is needed
// too is left to wk.pend (mccBufs.finish).
func (wk *mccWork) group(ps [][]float64, a0, nl int, px [][4]float64, out []float64) {
	wk.grow(nl)
	s, d, e2, u, ld, le := wk.s[:nl*nl], wk.d[:nl], wk.e2[:nl], wk.u[:nl], wk.ld[:nl], wk.le[:nl]
	occ, r := &wk.occ, &wk.r
	// Each lane's occupied levels: px > 0, px summed in row order as
	// glcmCoef.set sums it.
	m := 0
	for lane := range 4 {
		occ[lane], r[lane] = occ[lane][:0], r[lane][:0]
		a := a0 + lane
		if a >= len(ps) || math.IsNaN(ps[a][0]) {
			continue
		}
		p := ps[a]
		for i := range nl {
			var pi float64
			if px != nil {
				pi = px[i][lane]
			} else {
				for _, v := range p[i*nl : (i+1)*nl] {
					pi += v // p ≥ +0: adding a zero changes nothing
				}
			}
			if pi > 0 {
				occ[lane] = append(occ[lane], i)
				r[lane] = append(r[lane], 1/math.Sqrt(pi))
			}
		}
		m = max(m, len(occ[lane]))
	}
	// Q = D⁻¹ P D⁻¹ P with D = diag(px) has the eigenvalues μ² of the
	// symmetric M = D^-½ P D^-½. Lower triangle.
	clear(s[:m*m])
	for lane := range 4 {
		a := a0 + lane
		if a >= len(ps) || len(occ[lane]) < 2 {
			continue
		}
		p, rl := ps[a], r[lane]
		for x, i := range occ[lane] {
			row := p[i*nl:]
			ri := rl[x]
			for y, k := range occ[lane][:x+1] {
				s[x*m+y][lane] = row[k] * ri * rl[y]
			}
		}
	}
	if m >= 2 {
		if lanes := min(4, len(ps)-a0); lanes > 1 {
			tridiag4(s, m, d, e2, u, lanes)
		} else {
			wk.tridiagOne(s, m, d, e2)
		}
	}
	// λ₂ = max(μ₂², μ_min²): μ₂ first, then μ_min where some μ lies
	// below −μ₂ (glcmMCC).
	var n, k [4]int
	var run [4]bool
	for lane := range 4 {
		a := a0 + lane
		if a >= len(ps) {
			break
		}
		ml := len(occ[lane])
		switch {
		case math.IsNaN(ps[a][0]):
			out[a] = math.NaN()
		case ml < 2:
			out[a] = 0 // eigenvalues 1 (or the one row's) and zeros
		default:
			n[lane], k[lane], run[lane] = ml, ml-2, true
		}
	}
	hi := eigen4(d, e2, n, k, run)
	for lane, ok := range run {
		if !ok {
			continue
		}
		for i := range n[lane] {
			ld[i] = d[i][lane]
		}
		for i := range n[lane] - 1 {
			le[i] = e2[i][lane]
		}
		h := hi[lane]
		if h >= 0 && sturmCount(ld[:n[lane]], le[:n[lane]-1], -h) == 0 {
			out[a0+lane] = math.Sqrt(h * h)
			continue
		}
		wk.pend.add(a0+lane, h, ld[:n[lane]], le[:n[lane]-1])
	}
}

// mccBufs are mccDirections' work spaces, one per worker, kept between
// calls by glcmValues.
type mccBufs struct {
	w     []*mccWork
	d, e2 [][4]float64 // finish's lanes
}

type mccWork struct {
	s, d, e2, u [][4]float64
	ld, le      []float64
	one         []float64 // tridiagOne's matrix and vectors
	pend        mccPending
	occ         [4][]int
	r           [4][]float64 // 1/√px of each occupied level
}

// tridiagOne is tridiag4 for lane 0 alone (the last group of 13
// directions): glcmMCC's tridiagonalize on a plain copy of the lane,
// cheaper than the interleaved lane or the four-lane code for one
// matrix, and rounded alike (TestMCCDirections).
func (wk *mccWork) tridiagOne(a [][4]float64, m int, d, e2 [][4]float64) {
	if cap(wk.one) < m*m+3*m {
		wk.one = make([]float64, m*m+3*m)
	}
	s := wk.one[:m*m]
	ld, le, lu := wk.one[m*m:m*m+m], wk.one[m*m+m:m*m+2*m], wk.one[m*m+2*m:m*m+3*m]
	for x := range m {
		for y := range x + 1 {
			s[x*m+y] = a[x*m+y][0]
		}
	}
	tridiagonalize(s, m, ld, le, lu)
	for i := range m {
		d[i][0], e2[i][0] = ld[i], le[i]
	}
}

// grow sizes the work space for nl levels.
func (wk *mccWork) grow(nl int) {
	if cap(wk.s) < nl*nl {
		wk.s = make([][4]float64, nl*nl)
	}
	if cap(wk.d) < nl {
		wk.d, wk.e2, wk.u = make([][4]float64, nl), make([][4]float64, nl), make([][4]float64, nl)
		wk.ld, wk.le = make([]float64, nl), make([]float64, nl)
	}
}

// tridiag4 reduces four symmetric m×m matrices, interleaved lane by lane
// in a (element (i,j) of lane L at a[i m + j][L], lower triangle;
// overwritten), to tridiagonal form: d[i][L] the diagonal, e2[i][L] (i <
// m−1) the squared off-diagonal; u (m elements) is work space.
// Only the first lanes lanes are reduced when there is one (the last
// group of 13 directions): the scalar steps then cost less.
func tridiag4(a [][4]float64, m int, d, e2, u [][4]float64, lanes int) {
	if useAVX2 && lanes > 1 {
		tridiag4SIMD(a, m, d, e2, u)
		return
	}
	for lane := range lanes {
		tridiagLane(a, m, d, e2, u, lane)
	}
}

// tridiagLane is tridiagonalize for lane L of tridiag4's interleaved
// matrices, written as tridiag4SIMD computes each lane: a row whose scale
// is 0 is divided by 1 (leaving the matrix as it is) instead of skipped,
// and every product and sum is rounded in the same order.
func tridiagLane(a [][4]float64, m int, d, e2, u [][4]float64, lane int) {
	at := func(i, j int) *float64 { return &a[i*m+j][lane] }
	for i := m - 1; i > 0; i-- {
		l := i - 1
		if l == 0 {
			e2[0][lane] = *at(1, 0) * *at(1, 0)
			continue
		}
		scale := 0.0
		for k := range i {
			scale += math.Abs(*at(i, k))
		}
		if scale == 0 {
			scale = 1
		}
		h := 0.0
		for k := range i {
			v := *at(i, k) / scale
			*at(i, k) = v
			h += v * v
		}
		f := *at(i, l)
		g := math.Sqrt(h)
		if f >= 0 {
			g = -g
		}
		e2[l][lane] = scale * g * scale * g
		h -= f * g
		*at(i, l) = f - g
		if h == 0 {
			h = 1
		}
		for j := range i {
			u[j][lane] = 0
		}
		for j := range i {
			x := *at(i, j)
			d0, d1 := 0.0, 0.0
			k := 0
			for ; k+1 < j; k += 2 {
				v0, v1 := *at(j, k), *at(j, k+1)
				d0 += v0 * *at(i, k)
				d1 += v1 * *at(i, k+1)
				u[k][lane] += v0 * x
				u[k+1][lane] += v1 * x
			}
			if k < j {
				v0 := *at(j, k)
				d0 += v0 * *at(i, k)
				u[k][lane] += v0 * x
			}
			u[j][lane] += d0 + d1 + *at(j, j)*x
		}
		f = 0
		for j := range i {
			u[j][lane] /= h
			f += u[j][lane] * *at(i, j)
		}
		hh := f / (h + h)
		for j := range i {
			u[j][lane] -= hh * *at(i, j)
		}
		for j := range i {
			fj, gj := *at(i, j), u[j][lane]
			for k := range j + 1 {
				*at(j, k) -= fj*u[k][lane] + gj**at(i, k)
			}
		}
	}
	for i := range m {
		d[i][lane] = *at(i, i)
	}
}

// eigen4 is tridiagEigen(lane's d, lane's e2, k[L]) for each lane L of
// tridiag4's output where run[L], on its first n[L] elements.
func eigen4(d, e2 [][4]float64, n [4]int, k [4]int, run [4]bool) [4]float64 {
	nrun := 0
	for _, ok := range run {
		nrun += b2i(ok)
	}
	if nrun == 0 {
		return [4]float64{}
	}
	if useAVX2 && nrun > 1 { // one lane: the scalar steps cost less
		return eigen4SIMD(d, e2, n, k, run)
	}
	return eigen4Lanes(d, e2, n, k, run)
}

// eigen4Lanes is eigen4 one lane at a time.
func eigen4Lanes(d, e2 [][4]float64, n [4]int, k [4]int, run [4]bool) [4]float64 {
	var out [4]float64
	for lane, ok := range run {
		if !ok {
			continue
		}
		ld, le := make([]float64, n[lane]), make([]float64, n[lane]-1)
		for i := range ld {
			ld[i] = d[i][lane]
		}
		for i := range le {
			le[i] = e2[i][lane]
		}
		out[lane] = tridiagEigen(ld, le, k[lane])
	}
	return out
}

// gershgorinLane is gershgorin for lane L of tridiag4's output, on its
// first n elements.
func gershgorinLane(d, e2 [][4]float64, n, lane int) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range n {
		r := 0.0
		if i > 0 {
			r += math.Sqrt(e2[i-1][lane])
		}
		if i < n-1 {
			r += math.Sqrt(e2[i][lane])
		}
		lo, hi = min(lo, d[i][lane]-r), max(hi, d[i][lane]+r)
	}
	return lo, hi
}
