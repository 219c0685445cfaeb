package selection

import (
	"fmt"
	"math"
)

// ZScore standardises features with a training set's means and standard
// deviations:
//
//	z_ij = (x_ij − μ_j) / σ_j,   σ_j = √( (1/n) Σ_i (x_ij − μ_j)² )
//
// σ is the population (ddof = 0) standard deviation, as scikit-learn's
// StandardScaler uses.
type ZScore struct {
	Mean []float64
	SD   []float64
}

// FitZScore estimates the means and standard deviations of X's columns.
// A constant column (σ = 0) is an error naming it (names may be nil).
func FitZScore(X [][]float64, names []string) (*ZScore, error) {
	if len(X) < 2 {
		return nil, fmt.Errorf("selection: z-score needs at least 2 rows, got %d", len(X))
	}
	p := len(X[0])
	z := &ZScore{Mean: make([]float64, p), SD: make([]float64, p)}
	for j := 0; j < p; j++ {
		col := column(X, j)
		if err := checkFinite(col, names, j); err != nil {
			return nil, err
		}
		m, sd := meanSD(col)
		if sd == 0 {
			return nil, fmt.Errorf("selection: %s is constant (%g in all %d rows): cannot z-score it", featName(names, j), col[0], len(col))
		}
		z.Mean[j], z.SD[j] = m, sd
	}
	return z, nil
}

// Apply returns standardised copies of X's rows.
func (z *ZScore) Apply(X [][]float64) [][]float64 {
	out := make([][]float64, len(X))
	for i, row := range X {
		if len(row) != len(z.Mean) {
			panic(fmt.Sprintf("selection: ZScore.Apply: row %d has %d columns, want %d", i, len(row), len(z.Mean)))
		}
		r := make([]float64, len(row))
		for j, v := range row {
			r[j] = (v - z.Mean[j]) / z.SD[j]
		}
		out[i] = r
	}
	return out
}

// meanSD returns the mean and population standard deviation.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

func column(X [][]float64, j int) []float64 {
	c := make([]float64, len(X))
	for i, r := range X {
		c[i] = r[j]
	}
	return c
}

func featName(names []string, j int) string {
	if j < len(names) && names[j] != "" {
		return fmt.Sprintf("feature %q", names[j])
	}
	return fmt.Sprintf("feature column %d", j+1)
}

func checkFinite(col []float64, names []string, j int) error {
	for i, v := range col {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("selection: %s, row %d: value %v is not finite", featName(names, j), i+1, v)
		}
	}
	return nil
}
