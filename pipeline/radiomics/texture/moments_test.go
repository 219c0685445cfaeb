package texture

import (
	"math"
	"math/rand/v2"
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
