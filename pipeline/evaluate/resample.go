package evaluate

import (
	"context"
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/classify"
)

// Factory returns the estimator to fit in one resample, seeded with seed;
// wrap models in classify.Standardized so that z-scoring is learnt inside
// each resample.
type Factory func(seed uint64) classify.Estimator

// CVResult is the outcome of repeated stratified cross-validation.
type CVResult struct {
	// FoldAUC holds every fold's test AUC, repeat by repeat.
	FoldAUC []float64
	// RepeatAUC[r] is the mean fold AUC of repeat r.
	RepeatAUC []float64
	// Mean and SD (n − 1) are over all fold AUCs; Min and Max bound them.
	Mean, SD, Min, Max float64
}

// fixedFeatures is the Procedure of a classifier alone on features chosen
// beforehand: only the estimator is refitted in a resample. It is what
// RepeatedCV, PermutationTest and OptimismCorrectedAUC resample; a
// pipeline that learns its features from the data needs a Procedure of
// its own (see CrossValidate), or the resampling is optimistic.
type fixedFeatures struct {
	f Factory
	X [][]float64
}

type fixedFit struct {
	m classify.Model
	X [][]float64
}

func (p fixedFeatures) Fit(_ context.Context, rows, y []int, seed uint64) (Fitted, error) {
	X := make([][]float64, len(rows))
	for k, i := range rows {
		X[k] = p.X[i]
	}
	m, err := p.f(seed).Fit(X, y)
	if err != nil {
		return nil, err
	}
	return fixedFit{m, p.X}, nil
}

func (f fixedFit) Scores(rows []int) ([][]float64, error) {
	X := make([][]float64, len(rows))
	for k, i := range rows {
		X[k] = f.X[i]
	}
	s, err := f.m.PredictProba(X)
	return [][]float64{s}, err
}

func (fixedFit) Chosen() int { return 0 }
func (fixedFit) Empty() bool { return false }
func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// RepeatedCV runs repeats × folds stratified cross-validation (repeat r
// uses fold seed seed + r, and each fit the factory seed seed + 1000·r +
// fold) and scores each held-out fold by AUC. Zero folds or repeats mean 5.
// Only the classifier is refitted: X must not have been selected with
// these labels (CrossValidate resamples a whole Procedure).
func RepeatedCV(f Factory, X [][]float64, y []int, folds, repeats int, seed uint64) (CVResult, error) {
	if len(X) != len(y) {
		return CVResult{}, fmt.Errorf("evaluate: %d rows but %d labels", len(X), len(y))
	}
	res, err := CrossValidate(context.Background(), fixedFeatures{f, X}, identity(len(y)), y,
		ResampleOptions{Folds: folds, Repeats: repeats, Seed: seed})
	if err != nil {
		return CVResult{}, fmt.Errorf("evaluate: repeated CV: %v", err)
	}
	return res.Candidates[0].CVResult, nil
}

// PermResult is the outcome of a label-permutation test.
type PermResult struct {
	// Observed is the mean k-fold CV AUC with the true labels.
	Observed float64
	// Null holds the same statistic for each permutation of the labels.
	Null []float64
	// P = (1 + #{Null ≥ Observed}) / (1 + len(Null)), Ojala and Garriga's
	// test 1.
	P float64
}

// PermutationTest asks whether the model's CV AUC beats chance: it
// recomputes the mean k-fold CV AUC (folds as RepeatedCV's first repeat)
// after each of perms seeded shuffles of the labels. Zero folds means 5,
// zero perms 100. Only the classifier is refitted (see PermuteProcedure).
func PermutationTest(f Factory, X [][]float64, y []int, folds, perms int, seed uint64) (PermResult, error) {
	if len(X) != len(y) {
		return PermResult{}, fmt.Errorf("evaluate: %d rows but %d labels", len(X), len(y))
	}
	return PermuteProcedure(context.Background(), fixedFeatures{f, X}, identity(len(y)), y,
		ResampleOptions{Folds: folds, Permutations: perms, Seed: seed})
}

// OptimismResult is Harrell's bootstrap validation of the AUC.
type OptimismResult struct {
	// Apparent is the AUC of the model fitted and scored on all rows.
	Apparent float64
	// Optimism is the mean over bootstrap samples of AUC(boot model on its
	// sample) − AUC(boot model on the original rows).
	Optimism float64
	// Corrected = Apparent − Optimism.
	Corrected float64
	// B is the number of bootstrap samples used.
	B int
}

// OptimismCorrectedAUC is Harrell's optimism-corrected AUC from B
// bootstrap samples (zero means 200), each drawn with replacement (seeded)
// and redrawn when a class has fewer than two distinct rows. The estimate
// is known to under-correct for models that memorise their training rows
// (random forests, small n with many features): each bootstrap model has
// seen about 63 % of the original rows it is scored on. Read it beside
// RepeatedCV. Only the classifier is refitted (see BootstrapProcedure).
func OptimismCorrectedAUC(f Factory, X [][]float64, y []int, B int, seed uint64) (OptimismResult, error) {
	if len(X) != len(y) {
		return OptimismResult{}, fmt.Errorf("evaluate: %d rows but %d labels", len(X), len(y))
	}
	res, err := BootstrapProcedure(context.Background(), fixedFeatures{f, X}, identity(len(y)), y,
		ResampleOptions{Bootstraps: B, Seed: seed})
	if err != nil {
		return OptimismResult{}, err
	}
	return res.Harrell, nil
}

func mean(v []float64) float64 {
	var s float64
	for _, a := range v {
		s += a
	}
	return s / float64(len(v))
}

// sd is the sample standard deviation (n − 1), 0 for fewer than two values.
func sd(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	m := mean(v)
	var s float64
	for _, a := range v {
		s += (a - m) * (a - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

// ForestImportance returns the impurity importance of a fitted random
// forest (also behind a classify.Pipeline), one value per feature summing
// to 1, for the paper's feature-importance figure.
func ForestImportance(m classify.Model) ([]float64, error) {
	if p, ok := m.(*classify.Pipeline); ok {
		m = p.Model
	}
	f, ok := m.(*classify.ForestModel)
	if !ok {
		return nil, fmt.Errorf("evaluate: impurity importance needs a random forest, have %q", m.Kind())
	}
	return append([]float64(nil), f.Importance...), nil
}
