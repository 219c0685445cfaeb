package harmonize

import (
	"fmt"
	"slices"
)

// Subset returns the model restricted to the named feature columns, in the
// order given: applying it to a table gives exactly the columns that the
// full model gives for those features. ComBat adjusts each feature with its
// own parameters (α̂_g, β̂_g, σ̂²_g, γ*_ig, δ²*_ig); the empirical-Bayes
// priors that couple the features were spent when γ* and δ²* were fitted,
// so they are kept as they are, for the record. A trained predictor uses
// Subset to carry only the features its signature selected (package
// bundle). Unknown or repeated names are errors.
func (tm *TableModel) Subset(names []string) (*TableModel, error) {
	cols := make([]int, len(names))
	for k, n := range names {
		j := slices.Index(tm.Names, n)
		if j < 0 {
			return nil, fmt.Errorf("harmonize: subset: the model has no feature %q", n)
		}
		if slices.Contains(names[:k], n) {
			return nil, fmt.Errorf("harmonize: subset: feature %q given twice", n)
		}
		cols[k] = j
	}
	m := tm.Model
	perFeature := func(v []float64) []float64 {
		out := make([]float64, len(cols))
		for k, j := range cols {
			out[k] = v[j]
		}
		return out
	}
	perCentre := func(v [][]float64) [][]float64 {
		out := make([][]float64, len(v))
		for i := range v {
			out[i] = perFeature(v[i])
		}
		return out
	}
	sub := *m
	sub.Features = len(cols)
	sub.GrandMean = perFeature(m.GrandMean)
	sub.VarPooled = perFeature(m.VarPooled)
	sub.Beta = perCentre(m.Beta)
	sub.GammaHat = perCentre(m.GammaHat)
	sub.DeltaHat = perCentre(m.DeltaHat)
	sub.GammaStar = perCentre(m.GammaStar)
	sub.DeltaStar = perCentre(m.DeltaStar)
	sub.Unadjusted = nil
	for k, j := range cols {
		if slices.Contains(m.Unadjusted, j) {
			sub.Unadjusted = append(sub.Unadjusted, k)
		}
	}
	return &TableModel{
		Model:      &sub,
		Batch:      tm.Batch,
		Names:      slices.Clone(names),
		Covariates: slices.Clone(tm.Covariates),
		Encoded:    slices.Clone(tm.Encoded),
		levels:     slices.Clone(tm.levels),
	}, nil
}
