package deep

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA is a principal component analysis fitted on a training matrix.
type PCA struct {
	// Mean is the training mean of each input column.
	Mean []float64
	// Components[c] is the c-th principal axis (unit length), ordered by
	// decreasing variance; its largest-magnitude loading is positive.
	Components [][]float64
	// Variance[c] is the variance along component c (divisor n − 1, as
	// scikit-learn's explained_variance_).
	Variance []float64
}

// FitPCA fits k principal components to the rows of x (n × d) by the thin
// singular value decomposition of the centred matrix Xc = U·S·Vᵀ:
//
//	components = first k rows of Vᵀ,   variance_c = S_c² / (n − 1)
//
// as scikit-learn's PCA(svd_solver="full"). When k exceeds the rank bound
// min(n − 1, d) the surplus components are zero vectors (zero scores), so a
// small training split still yields k columns; scikit-learn would refuse.
// Signs are fixed so that each component's largest-magnitude loading is
// positive, which makes the result independent of the SVD routine.
func FitPCA(x [][]float64, k int) (*PCA, error) {
	n := len(x)
	if n < 2 {
		return nil, errors.New("deep: PCA needs at least two training rows")
	}
	if k < 1 {
		return nil, fmt.Errorf("deep: PCA with %d components", k)
	}
	d := len(x[0])
	p := &PCA{Mean: make([]float64, d)}
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("deep: PCA row %d has %d values, row 0 has %d", i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("deep: PCA row %d column %d is %g", i, j, v)
			}
			p.Mean[j] += v
		}
	}
	for j := range p.Mean {
		p.Mean[j] /= float64(n)
	}
	xc := mat.NewDense(n, d, nil)
	for i, row := range x {
		for j, v := range row {
			xc.Set(i, j, v-p.Mean[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThinV) {
		return nil, errors.New("deep: PCA: SVD did not converge")
	}
	s := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	rank := min(n-1, d)
	for c := range k {
		comp := make([]float64, d)
		variance := 0.0
		if c < rank && c < len(s) && s[c] > 1e-12*s[0] {
			big := 0
			for j := range d {
				comp[j] = v.At(j, c)
				if math.Abs(comp[j]) > math.Abs(comp[big]) {
					big = j
				}
			}
			if comp[big] < 0 {
				for j := range comp {
					comp[j] = -comp[j]
				}
			}
			variance = s[c] * s[c] / float64(n-1)
		}
		p.Components = append(p.Components, comp)
		p.Variance = append(p.Variance, variance)
	}
	return p, nil
}

// Transform returns the scores of row: (row − Mean)·componentᵀ per component.
func (p *PCA) Transform(row []float64) []float64 {
	if len(row) != len(p.Mean) {
		panic(fmt.Sprintf("deep: PCA.Transform of %d values, fitted on %d", len(row), len(p.Mean)))
	}
	out := make([]float64, len(p.Components))
	for c, comp := range p.Components {
		var s float64
		for j, v := range row {
			s += (v - p.Mean[j]) * comp[j]
		}
		out[c] = s
	}
	return out
}
