package featuremap

import (
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/radiomics/texture"
)

// mcc is the GLCM maximal correlation coefficient of one kernel's matrix,
// averaged over its directions (numpy.nanmean): √λ₂, λ₂ the second largest
// eigenvalue of Q(i,j) = Σ_k p(i,k) p(j,k) / (px(i) py(k)). Q = A Aᵀ D with
// A(i,k) = p(i,k)/√(px(i) py(k)) is similar to the symmetric A Aᵀ (for a
// symmetric p, λ(Q) = μ² with μ the eigenvalues of A itself): all
// eigenvalues by Householder reduction to tridiagonal form and the
// implicit QL iteration (symEigenvalues), allocation-free for the few grey
// levels of a kernel.
// roiLevels is the ROI's number of levels: a one-level kernel has MCC 0
// (the zero rows of the ROI's other levels), 1 in a flat ROI.
func (k *kernel) mcc(m *texture.Matrix, roiLevels int) float64 {
	n := len(m.Levels)
	sum, cnt := 0.0, 0
	for _, p := range m.P {
		if math.IsNaN(p[0]) {
			continue
		}
		v := 0.0
		switch {
		case n < 2 && roiLevels < 2:
			v = 1
		case n >= 2:
			v = k.mccOne(p, n)
		}
		if !math.IsNaN(v) {
			sum += v
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

func (k *kernel) mccOne(p []float64, n int) float64 {
	px, py := k.grow(&k.px, n), k.grow(&k.py, n)
	clear(px)
	clear(py)
	symmetric := true
	for i := range n {
		for j, v := range p[i*n : (i+1)*n] {
			px[i] += v
			py[j] += v
			symmetric = symmetric && v == p[j*n+i]
		}
	}
	if symmetric {
		// Levels linked by a pair form blocks of M, each with the
		// eigenvalue 1 (its own stationary vector): two blocks give λ₂ = 1.
		// Otherwise only the levels with a pair carry non-zero eigenvalues.
		parent := k.grow(&k.parent, n)
		for i := range parent {
			parent[i] = float64(i)
		}
		find := func(i int) int {
			for int(parent[i]) != i {
				parent[i] = parent[int(parent[i])]
				i = int(parent[i])
			}
			return i
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				if p[i*n+j] != 0 {
					if a, b := find(i), find(j); a != b {
						parent[a] = float64(b)
					}
				}
			}
		}
		root := -1
		for i := range n {
			if px[i] == 0 {
				continue
			}
			if r := find(i); root == -1 {
				root = r
			} else if r != root {
				return 1
			}
		}
		// compact to the m levels with a pair
		keep := k.growInt(&k.keep, 0)
		for i := range n {
			if px[i] != 0 {
				keep = append(keep, i)
			}
		}
		k.keep = keep
		m := len(keep)
		if m < 2 {
			return 0
		}
		s := k.grow(&k.s, m*m)
		for a, i := range keep {
			for b := a; b < m; b++ {
				j := keep[b]
				v := p[i*n+j] / math.Sqrt(px[i]*px[j])
				s[a*m+b], s[b*m+a] = v, v
			}
		}
		d, e := k.grow(&k.d, m), k.grow(&k.e, m)
		if !symEigenvalues(s, m, d, e) {
			return math.NaN()
		}
		slices.Sort(d)
		return math.Sqrt(max(d[m-2]*d[m-2], d[0]*d[0]))
	}
	s := k.grow(&k.s, n*n)
	if symmetric {
		// Q = D⁻¹P D⁻¹P has the eigenvalues μ² of M = D^-½ P D^-½.
		for i := range n {
			for j := i; j < n; j++ {
				v := 0.0
				if d := px[i] * px[j]; d > 0 {
					v = p[i*n+j] / math.Sqrt(d)
				}
				s[i*n+j], s[j*n+i] = v, v
			}
		}
	} else {
		a := k.grow(&k.a, n*n)
		for i := range n {
			for j := range n {
				a[i*n+j] = 0
				if d := px[i] * py[j]; d > 0 {
					a[i*n+j] = p[i*n+j] / math.Sqrt(d)
				}
			}
		}
		for i := range n {
			for j := i; j < n; j++ {
				v := 0.0
				for c := range n {
					v += a[i*n+c] * a[j*n+c]
				}
				s[i*n+j], s[j*n+i] = v, v
			}
		}
	}
	d, e := k.grow(&k.d, n), k.grow(&k.e, n)
	if !symEigenvalues(s, n, d, e) {
		return math.NaN()
	}
	slices.Sort(d)
	if symmetric {
		return math.Sqrt(max(d[n-2]*d[n-2], d[0]*d[0]))
	}
	return math.Sqrt(d[n-2]) // NaN when rounding makes it negative, as pyradiomics
}

func (k *kernel) growInt(b *[]int, n int) []int {
	if cap(*b) < n {
		*b = make([]int, n)
	}
	*b = (*b)[:n]
	return *b
}

func (k *kernel) grow(b *[]float64, n int) []float64 {
	if cap(*b) < n {
		*b = make([]float64, n)
	}
	*b = (*b)[:n]
	return *b
}

// symEigenvalues puts the eigenvalues of the symmetric n×n matrix a
// (row-major, destroyed) in d, using e (len n) as scratch: Householder
// reduction to tridiagonal form and the implicit QL iteration with Wilkinson
// shifts (tred2 and tqli without eigenvectors; Press et al., Numerical
// Recipes §11.2–11.3; Wilkinson & Reinsch 1971). It reports false if the
// iteration does not converge.
func symEigenvalues(a []float64, n int, d, e []float64) bool {
	for i := n - 1; i > 0; i-- {
		l := i - 1
		h := 0.0
		if l > 0 {
			scale := 0.0
			for k := 0; k <= l; k++ {
				scale += math.Abs(a[i*n+k])
			}
			if scale == 0 {
				e[i] = a[i*n+l]
			} else {
				for k := 0; k <= l; k++ {
					a[i*n+k] /= scale
					h += a[i*n+k] * a[i*n+k]
				}
				f := a[i*n+l]
				g := math.Sqrt(h)
				if f >= 0 {
					g = -g
				}
				e[i] = scale * g
				h -= f * g
				a[i*n+l] = f - g
				f = 0
				for j := 0; j <= l; j++ {
					g = 0
					for k := 0; k <= j; k++ {
						g += a[j*n+k] * a[i*n+k]
					}
					for k := j + 1; k <= l; k++ {
						g += a[k*n+j] * a[i*n+k]
					}
					e[j] = g / h
					f += e[j] * a[i*n+j]
				}
				hh := f / (h + h)
				for j := 0; j <= l; j++ {
					f = a[i*n+j]
					g = e[j] - hh*f
					e[j] = g
					for k := 0; k <= j; k++ {
						a[j*n+k] -= f*e[k] + g*a[i*n+k]
					}
				}
			}
		} else {
			e[i] = a[i*n+l]
		}
	}
	for i := range n {
		d[i] = a[i*n+i]
	}
	for i := 1; i < n; i++ {
		e[i-1] = e[i]
	}
	e[n-1] = 0
	for l := 0; l < n; l++ {
		for iter := 0; ; iter++ {
			m := l
			for ; m < n-1; m++ {
				dd := math.Abs(d[m]) + math.Abs(d[m+1])
				if math.Abs(e[m])+dd == dd {
					break
				}
			}
			if m == l {
				break
			}
			if iter == 60 {
				return false
			}
			g := (d[l+1] - d[l]) / (2 * e[l])
			r := math.Sqrt(g*g + 1)
			g = d[m] - d[l] + e[l]/(g+math.Copysign(r, g))
			s, c, p := 1.0, 1.0, 0.0
			i := m - 1
			early := false
			for ; i >= l; i-- {
				f := s * e[i]
				b := c * e[i]
				r = math.Sqrt(f*f + g*g) // entries are O(1): no overflow
				e[i+1] = r
				if r == 0 {
					d[i+1] -= p
					e[m] = 0
					early = true
					break
				}
				s = f / r
				c = g / r
				g = d[i+1] - p
				r = (d[i]-g)*s + 2*c*b
				p = s * r
				d[i+1] = g + p
				g = c*r - b
			}
			if early {
				continue
			}
			d[l] -= p
			e[l] = g
			e[m] = 0
		}
	}
	return true
}
