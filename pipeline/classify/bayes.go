package classify

import (
	"fmt"
	"math"
)

// GaussianNB is Gaussian naive Bayes, scikit-learn's GaussianNB.
//
// Each class c has a prior π_c (its share of the training rows), and each
// feature j a normal density with the class mean θ_cj and the class
// (population, ddof 0) variance σ²_cj plus ε, where
//
//	ε = VarSmoothing · max_j Var(X_j)
//
// over the whole training set. Then
//
//	log P(c | x) = log π_c − ½ Σ_j [log(2π σ²_cj) + (x_j − θ_cj)² / σ²_cj] − log Z
//
// with Z normalising over the two classes (log-sum-exp).
type GaussianNB struct {
	// VarSmoothing is the share of the largest feature variance added to
	// every variance for stability; zero means 1e-9.
	VarSmoothing float64
}

// Name returns "nb".
func (GaussianNB) Name() string { return "nb" }

// GaussianNBModel is a fitted GaussianNB.
type GaussianNBModel struct {
	Prior [2]float64   `json:"prior"` // class priors π_0, π_1
	Mean  [2][]float64 `json:"mean"`  // θ_cj
	Var   [2][]float64 `json:"var"`   // σ²_cj + ε
}

// Fit estimates the class priors, means and variances.
func (g GaussianNB) Fit(X [][]float64, y []int) (Model, error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, err
	}
	vs := g.VarSmoothing
	if vs == 0 {
		vs = 1e-9
	}
	if vs < 0 {
		return nil, fmt.Errorf("classify: nb: VarSmoothing %g is negative", vs)
	}
	var maxVar float64
	for j := 0; j < p; j++ {
		if v := variance(X, nil, j); v > maxVar {
			maxVar = v
		}
	}
	eps := vs * maxVar
	m := &GaussianNBModel{}
	n0, n1 := classCounts(y)
	m.Prior = [2]float64{float64(n0) / float64(len(y)), float64(n1) / float64(len(y))}
	for c := 0; c < 2; c++ {
		var rows []int
		for i, v := range y {
			if v == c {
				rows = append(rows, i)
			}
		}
		m.Mean[c] = make([]float64, p)
		m.Var[c] = make([]float64, p)
		for j := 0; j < p; j++ {
			m.Mean[c][j] = mean(X, rows, j)
			m.Var[c][j] = variance(X, rows, j) + eps
			if m.Var[c][j] <= 0 {
				return nil, fmt.Errorf("classify: nb: feature %d is constant in class %d and across the training set", j, c)
			}
		}
	}
	return m, nil
}

// mean is the mean of column j over rows (all rows when rows is nil).
func mean(X [][]float64, rows []int, j int) float64 {
	var s float64
	if rows == nil {
		for _, r := range X {
			s += r[j]
		}
		return s / float64(len(X))
	}
	for _, i := range rows {
		s += X[i][j]
	}
	return s / float64(len(rows))
}

// variance is the population variance of column j over rows (all rows
// when rows is nil), by the two-pass formula.
func variance(X [][]float64, rows []int, j int) float64 {
	mu := mean(X, rows, j)
	var s float64
	n := len(rows)
	if rows == nil {
		n = len(X)
		for _, r := range X {
			d := r[j] - mu
			s += d * d
		}
	} else {
		for _, i := range rows {
			d := X[i][j] - mu
			s += d * d
		}
	}
	return s / float64(n)
}

// Kind returns "nb".
func (m *GaussianNBModel) Kind() string { return "nb" }

// NumFeatures is the number of features.
func (m *GaussianNBModel) NumFeatures() int { return len(m.Mean[0]) }

func (m *GaussianNBModel) validate() error {
	p := len(m.Mean[0])
	if p == 0 || len(m.Mean[1]) != p || len(m.Var[0]) != p || len(m.Var[1]) != p {
		return fmt.Errorf("nb: inconsistent parameter lengths")
	}
	return nil
}

// PredictProba returns P(class 1 | x).
func (m *GaussianNBModel) PredictProba(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, m.NumFeatures()); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		var jll [2]float64
		for c := 0; c < 2; c++ {
			s := math.Log(m.Prior[c])
			for j, v := range x {
				d := v - m.Mean[c][j]
				s -= 0.5 * (math.Log(2*math.Pi*m.Var[c][j]) + d*d/m.Var[c][j])
			}
			jll[c] = s
		}
		// P(1) = 1 / (1 + exp(jll0 − jll1)).
		out[i] = sigmoid(jll[1] - jll[0])
	}
	return out, nil
}
