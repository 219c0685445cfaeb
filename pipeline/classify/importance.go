package classify

import "fmt"

// PermutationImportance is the permutation importance of each feature of a
// fitted model on (X, y), scikit-learn's permutation_importance with AUC
// scoring: the drop in AUC when column j is shuffled (seeded), averaged
// over repeats, with its standard deviation (n − 1; 0 for one repeat).
// Zero repeats means 5.
func PermutationImportance(m Model, X [][]float64, y []int, repeats int, seed uint64) (mean, sd []float64, err error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, nil, err
	}
	if p != m.NumFeatures() {
		return nil, nil, fmt.Errorf("classify: permutation importance: %d features, model has %d", p, m.NumFeatures())
	}
	if repeats == 0 {
		repeats = 5
	}
	base, err := m.PredictProba(X)
	if err != nil {
		return nil, nil, err
	}
	ref := AUC(base, y)
	r := newRand(seed)
	Xp := cloneX(X)
	mean = make([]float64, p)
	sd = make([]float64, p)
	drops := make([]float64, repeats)
	for j := 0; j < p; j++ {
		for k := 0; k < repeats; k++ {
			perm := r.Perm(len(X))
			for i := range Xp {
				Xp[i][j] = X[perm[i]][j]
			}
			q, err := m.PredictProba(Xp)
			if err != nil {
				return nil, nil, err
			}
			drops[k] = ref - AUC(q, y)
		}
		for i := range Xp {
			Xp[i][j] = X[i][j]
		}
		mean[j], sd[j], _ = meanSD(drops)
	}
	return mean, sd, nil
}
