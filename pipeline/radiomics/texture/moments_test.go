package texture

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestGLCMMomentsOwnLoops: the one-pass sums of glcmMoments are, to the
// bit, the sums each feature's own loop over the non-zero entries gives
// (Autocorrelation, Contrast, JointEnergy, MaximumProbability, the three
// Cluster features, Correlation), on random matrices with zeros, and they
// are recomputed after each set.
func TestGLCMMomentsOwnLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, nl := range []int{2, 7, 31} {
		lv := make([]float64, nl)
		for i := range lv {
			lv[i] = float64(2*i + 1)
		}
		c := newGLCMCoef(lv, int(lv[nl-1]))
		for _, p := range randomGLCMs(r, 4, nl) {
			c.set(p)
			var auto, contrast, energy, maxP, c2, c3, c4, sx, sy, cov float64
			for k, v := range c.nzV {
				li, lj := lv[c.nzI[k]], lv[c.nzJ[k]]
				auto += v * li * lj
				d := li - lj
				contrast += v * d * d
				energy += v * v
				maxP = max(maxP, v)
				e := li + lj - c.ux - c.uy
				c2 += v * (e * e)
				c3 += v * (e * e * e)
				c4 += v * (e * e * (e * e))
				di, dj := li-c.ux, lj-c.uy
				sx += v * di * di
				sy += v * dj * dj
				cov += v * di * dj
			}
			corr := 1.0
			if den := math.Sqrt(sx) * math.Sqrt(sy); den != 0 {
				corr = cov / (den + eps)
			}
			for _, x := range []struct {
				name      string
				got, want float64
			}{
				{"Autocorrelation", glcmAutocorrelation(c), auto},
				{"Contrast", glcmContrast(c), contrast},
				{"JointEnergy", glcmJointEnergy(c), energy},
				{"MaximumProbability", glcmMaximumProbability(c), maxP},
				{"ClusterTendency", glcmClusterTendency(c), c2},
				{"ClusterShade", glcmClusterShade(c), c3},
				{"ClusterProminence", glcmClusterProminence(c), c4},
				{"Correlation", glcmCorrelation(c), corr},
			} {
				if math.Float64bits(x.got) != math.Float64bits(x.want) {
					t.Errorf("%d levels: %s %v, own loop %v", nl, x.name, x.got, x.want)
				}
			}
		}
	}
}

// TestGLCMBuffersReused: glcmValues' pooled buffers (glcmBufPool) carry
// nothing from one image to the next, even with the same number of levels
// and the same largest level but other level values.
func TestGLCMBuffersReused(t *testing.T) {
	img := func(levels []int32) *Image {
		r := rand.New(rand.NewPCG(11, 12))
		im := &Image{Dims: [3]int{6, 5, 4}, Levels: make([]int32, 120)}
		for k := range im.Levels {
			im.Levels[k] = levels[r.IntN(len(levels))]
		}
		return im
	}
	a, b := img([]int32{1, 5, 9}), img([]int32{1, 2, 9})
	glcmBufPool = sync.Pool{New: func() any { return new(glcmBufs) }}
	want, err := GLCM(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	glcmBufPool = sync.Pool{New: func() any { return new(glcmBufs) }}
	for range 2 {
		if _, err := GLCM(a, Options{}); err != nil {
			t.Fatal(err)
		}
		got, err := GLCM(b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for k := range want {
			if math.Float64bits(got[k].Value) != math.Float64bits(want[k].Value) {
				t.Errorf("%s after another image: %v, alone %v", want[k].Key(), got[k].Value, want[k].Value)
			}
		}
	}
}

// TestGLCMKnownSymmetric: set's shortcut for a matrix known to be
// symmetric (py from px, one entropy and one marginal log sum) gives every
// coefficient of the general path to the bit.
func TestGLCMKnownSymmetric(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	same := func(a, b []float64) bool {
		if len(a) != len(b) {
			return false
		}
		for k := range a {
			if math.Float64bits(a[k]) != math.Float64bits(b[k]) {
				return false
			}
		}
		return true
	}
	for _, nl := range []int{2, 9, 40} {
		lv := make([]float64, nl)
		for i := range lv {
			lv[i] = float64(i + 2)
		}
		for _, p := range randomGLCMs(r, 3, nl) {
			gen, known := newGLCMCoef(lv, nl+1), newGLCMCoef(lv, nl+1)
			known.knownSymmetric = true
			gen.set(p)
			known.set(p)
			scalars := func(c *glcmCoef) []float64 {
				return []float64{c.ux, c.uy, c.hx, c.hy, c.hxy, c.hxy1, c.hxy2}
			}
			if !same(gen.px, known.px) || !same(gen.py, known.py) || !same(gen.sum, known.sum) || !same(gen.diff, known.diff) ||
				!same(gen.nzV, known.nzV) || !same(scalars(gen), scalars(known)) || gen.symmetric != known.symmetric {
				t.Errorf("%d levels: known-symmetric coefficients differ from the general path", nl)
			}
		}
	}
}
