package texture

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomGLCMs returns n symmetric normalised nl × nl matrices; in every
// other one a few levels have no pair (zero row and column), as in a
// direction along which those levels have no neighbour.
func randomGLCMs(r *rand.Rand, n, nl int) [][]float64 {
	ps := make([][]float64, n)
	for a := range ps {
		p := make([]float64, nl*nl)
		total := 0.0
		for i := range nl {
			for j := i; j < nl; j++ {
				if r.IntN(3) == 0 {
					continue
				}
				v := float64(r.IntN(40))
				p[i*nl+j], p[j*nl+i] = v, v
				total += 2 * v
			}
		}
		if a%2 == 1 {
			for range 3 {
				i := r.IntN(nl)
				for j := range nl {
					total -= p[i*nl+j] + p[j*nl+i]
					if j == i {
						total += p[i*nl+i]
					}
					p[i*nl+j], p[j*nl+i] = 0, 0
				}
			}
		}
		for k := range p {
			p[k] /= total
		}
		ps[a] = p
	}
	return ps
}

// TestMCCDirections: the four-lane MCC equals glcmMCC (one direction at a
// time) to the bit, for any number of directions and workers, on matrices
// with missing levels (so the lanes of a group have different sizes).
func TestMCCDirections(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ n, nl int }{{1, 2}, {4, 3}, {13, 7}, {5, 31}, {9, 54}} {
		ps := randomGLCMs(r, c.n, c.nl)
		lv := make([]float64, c.nl)
		for i := range lv {
			lv[i] = float64(i + 1)
		}
		coef := newGLCMCoef(lv, c.nl)
		for _, w := range []int{1, 3} {
			got := mccDirections(ps, c.nl, w, new(mccBufs))
			for a, p := range ps {
				coef.set(p)
				want := glcmMCC(coef)
				if math.Float64bits(got[a]) != math.Float64bits(want) {
					t.Errorf("%d×%d, direction %d, %d workers: MCC %v, one at a time %v", c.nl, c.nl, a, w, got[a], want)
				}
			}
		}
	}
}

// TestTridiag4Lanes: the AVX2 reduction (where the CPU has it) rounds each
// lane exactly as tridiagLane does, zero rows (scale 0) included.
func TestTridiag4Lanes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, m := range []int{2, 3, 5, 17, 40} {
		a := make([][4]float64, m*m)
		for i := range m {
			zero := i == m/2 // a level missing from every lane
			for j := range i + 1 {
				for lane := range 4 {
					if !zero && !(lane == 2 && i%3 == 0) {
						a[i*m+j][lane] = r.Float64() - 0.3
					}
				}
			}
		}
		b := append([][4]float64(nil), a...)
		d1, e1, u1 := make([][4]float64, m), make([][4]float64, m), make([][4]float64, m)
		d2, e2, u2 := make([][4]float64, m), make([][4]float64, m), make([][4]float64, m)
		tridiag4(a, m, d1, e1, u1, 4)
		for lane := range 4 {
			tridiagLane(b, m, d2, e2, u2, lane)
		}
		for k := range d1 {
			for lane := range 4 {
				if math.Float64bits(d1[k][lane]) != math.Float64bits(d2[k][lane]) || k < m-1 && math.Float64bits(e1[k][lane]) != math.Float64bits(e2[k][lane]) {
					t.Fatalf("m %d, element %d lane %d: SIMD d %v e² %v, lane by lane d %v e² %v", m, k, lane, d1[k][lane], e1[k][lane], d2[k][lane], e2[k][lane])
				}
			}
		}
	}
}
