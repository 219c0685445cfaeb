package selection

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/scirad/scirad/pipeline/table"
)

// Pipeline is the paper's selection chain with its settings. The zero
// value is the paper's configuration with scirad's documented defaults.
type Pipeline struct {
	Alpha float64 // Mann–Whitney p-value threshold (keep p < Alpha); 0 means 0.05
	Rho   float64 // Spearman |ρ| threshold; 0 means 0.9
	// MinKeep, when positive, keeps the MinKeep features of smallest
	// Mann–Whitney p (ties: earlier column) whenever fewer pass p < Alpha,
	// and sets Result.Relaxed; 0 makes that case an error (the paper's
	// rule, strictly).
	MinKeep int
	// MRMR chooses the mRMR criterion and K; K = 0 means 20, K < 0 keeps
	// every feature (mRMR then only reorders).
	MRMR MRMR
	// Lasso configures the cross-validated LASSO; its Seed is replaced by
	// the seed given to Fit unless Folds is set.
	Lasso LassoCV
}

// ErrNoFeature matches (errors.Is) Fit's error when no feature passes the
// Mann–Whitney step: a finding about the data (no univariate signal), not
// a fault, which a resampled pipeline reports as a model with no feature.
var ErrNoFeature = errors.New("selection: no feature passes the Mann–Whitney step")

type noFeature string

func (e noFeature) Error() string        { return string(e) }
func (e noFeature) Is(target error) bool { return target == ErrNoFeature }

// StepCount is the number of features left after a step.
type StepCount struct {
	Step  string `json:"step"`
	Count int    `json:"count"`
}

// Weight is a selected feature and its LASSO coefficient (on the z-scored
// feature).
type Weight struct {
	Name string  `json:"name"`
	Coef float64 `json:"coef"`
}

// PValue is a feature's Mann–Whitney p-value.
type PValue struct {
	Name string  `json:"name"`
	P    float64 `json:"p"`
}

// Result is a fitted selection: what survived each step, the fitted
// z-score and LASSO, and the data of the LASSO figures.
type Result struct {
	Steps     []StepCount // input, non-constant, Mann–Whitney, Spearman, mRMR, LASSO
	Relaxed   bool        // fewer than Pipeline.MinKeep features had p < Alpha
	Constant  []string    // dropped as constant in the training split
	ZScore    *ZScore     // fitted on ZNames
	ZNames    []string    // the non-constant input features
	PValues   []PValue    // per ZNames entry
	Redundant []string    // dropped by the Spearman step, in order
	MRMR      []string    // chosen by mRMR, in order
	MRMRScore []float64   // their criterion values
	Lasso     *LassoFit   // fitted on the z-scored MRMR columns
	Selected  []string    // nonzero LASSO coefficients, in MRMR order
	Weights   []Weight    // Selected with coefficients, by decreasing |coef|
	Intercept float64     // LASSO intercept
	IDs       []string    // training patients
	Score     []float64   // their rad-scores
}

// Fit runs every step on the training table (all its feature columns; use
// Signature.Table to restrict them) with labels y (0/1, one per row).
// seed drives the CV folds. The steps, each recording what survived it in
// Result.Steps: dropConstant, standardise (z-score), mannWhitney,
// redundancy (Spearman), mrmr, lasso, and the training rad-scores.
func (p Pipeline) Fit(train *table.Table, y []int, seed uint64) (*Result, error) {
	if len(y) != train.Rows() {
		panic(fmt.Sprintf("selection: %d rows but %d labels", train.Rows(), len(y)))
	}
	if err := checkClasses(y); err != nil {
		return nil, err
	}
	if train.Rows() < 4 {
		return nil, fmt.Errorf("selection: %d training patients: too few", train.Rows())
	}
	res := &Result{IDs: slices.Clone(train.IDs)}
	res.Steps = append(res.Steps, StepCount{"input", len(train.Names)})
	if len(train.Names) == 0 {
		return nil, fmt.Errorf("selection: the table has no feature columns")
	}
	names, Z, err := res.dropConstant(train)
	if err != nil {
		return nil, err
	}
	if names, Z, err = res.mannWhitney(p, names, Z, y); err != nil {
		if res.PValues == nil {
			return nil, err
		}
		return res, err // no feature passed: the p values say why
	}
	if names, Z, err = res.redundancy(p, names, Z); err != nil {
		return nil, err
	}
	names, Z = res.mrmr(p, names, Z, y)
	if err := res.lasso(p, names, Z, y, seed); err != nil {
		return nil, err
	}
	if res.Score, err = res.RadScore(train); err != nil {
		return nil, err
	}
	return res, nil
}

// dropConstant drops the columns constant on the training rows (a
// non-finite value is an error) and z-scores the rest with the training
// mean and SD, which Result keeps for the rad-score.
func (res *Result) dropConstant(train *table.Table) (names []string, Z [][]float64, err error) {
	var cols []int
	for j, name := range train.Names {
		c := train.Column(j)
		if err := checkFinite(c, train.Names, j); err != nil {
			return nil, nil, err
		}
		if slices.Min(c) == slices.Max(c) {
			res.Constant = append(res.Constant, name)
			continue
		}
		cols = append(cols, j)
	}
	res.Steps = append(res.Steps, StepCount{"non-constant", len(cols)})
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("selection: every feature is constant in the training split")
	}
	names = pick(train.Names, cols)
	X := subCols(train.X, cols)
	z, err := FitZScore(X, names)
	if err != nil {
		return nil, nil, err
	}
	res.ZScore, res.ZNames = z, names
	return names, z.Apply(X), nil
}

// mannWhitney keeps the columns whose two-sided Mann–Whitney p is below
// Alpha (0 means 0.05); with fewer than MinKeep survivors, the MinKeep
// smallest p values are kept instead and Result.Relaxed says so.
func (res *Result) mannWhitney(p Pipeline, names []string, Z [][]float64, y []int) ([]string, [][]float64, error) {
	alpha := p.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	pv, keep, err := MannWhitneyFilter(Z, y, alpha, names)
	if err != nil {
		return nil, nil, err
	}
	for j, n := range names {
		res.PValues = append(res.PValues, PValue{n, pv[j]})
	}
	if len(keep) < p.MinKeep {
		order := make([]int, len(pv))
		for j := range order {
			order[j] = j
		}
		sort.SliceStable(order, func(a, b int) bool { return pv[order[a]] < pv[order[b]] })
		keep = slices.Clone(order[:min(p.MinKeep, len(order))])
		slices.Sort(keep)
		res.Relaxed = true
	}
	res.Steps = append(res.Steps, StepCount{"mann-whitney", len(keep)})
	if len(keep) == 0 {
		best := 0
		for j := range pv {
			if pv[j] < pv[best] {
				best = j
			}
		}
		return nil, nil, noFeature(fmt.Sprintf("selection: no feature has Mann–Whitney p < %g (smallest: %s, p = %.3g)", alpha, names[best], pv[best]))
	}
	return pick(names, keep), subCols(Z, keep), nil
}

// redundancy keeps one of every pair with Spearman |ρ| > Rho (0 means 0.9),
// greedily.
func (res *Result) redundancy(p Pipeline, names []string, Z [][]float64) ([]string, [][]float64, error) {
	rho := p.Rho
	if rho == 0 {
		rho = 0.9
	}
	keep, dropped, err := RedundancyFilter(Z, rho, names)
	if err != nil {
		return nil, nil, err
	}
	res.Redundant = pick(names, dropped)
	res.Steps = append(res.Steps, StepCount{"spearman", len(keep)})
	return pick(names, keep), subCols(Z, keep), nil
}

// mrmr keeps MRMR.K columns (0 means 20) by minimum redundancy, maximum
// relevance.
func (res *Result) mrmr(p Pipeline, names []string, Z [][]float64, y []int) ([]string, [][]float64) {
	m := p.MRMR
	if m.K == 0 {
		m.K = 20
	}
	m.K = max(m.K, 0)
	idx, score := m.Select(Z, y)
	res.MRMR, res.MRMRScore = pick(names, idx), score
	res.Steps = append(res.Steps, StepCount{"mrmr", len(idx)})
	return pick(names, idx), subCols(Z, idx)
}

// lasso fits the cross-validated LASSO (folds seeded by seed unless fixed)
// and keeps the columns with non-zero coefficients, by decreasing |β|.
func (res *Result) lasso(p Pipeline, names []string, Z [][]float64, y []int, seed uint64) error {
	yf := make([]float64, len(y))
	for i, v := range y {
		yf[i] = float64(v)
	}
	cv := p.Lasso
	if cv.Folds == nil {
		cv.Seed = seed
	}
	fit, err := cv.Fit(Z, yf, names)
	if err != nil {
		return err
	}
	res.Lasso, res.Intercept = fit, fit.Intercept
	for j, c := range fit.Coef {
		if c != 0 {
			res.Selected = append(res.Selected, names[j])
			res.Weights = append(res.Weights, Weight{names[j], c})
		}
	}
	sort.SliceStable(res.Weights, func(a, b int) bool { return math.Abs(res.Weights[a].Coef) > math.Abs(res.Weights[b].Coef) })
	res.Steps = append(res.Steps, StepCount{"lasso", len(res.Selected)})
	return nil
}

// LassoNames are the columns the LASSO was fitted on (the mRMR choice), in
// the order of Lasso.Path.Beta's entries.
func (r *Result) LassoNames() []string { return r.MRMR }

// RadScore is the rad-score of every row of t,
//
//	rad-score = β₀ + Σ_j β_j z_j,   z_j = (x_j − μ_j)/σ_j
//
// with the LASSO intercept and coefficients and the training split's
// z-score parameters. t must hold the selected columns.
func (r *Result) RadScore(t *table.Table) ([]float64, error) {
	type term struct {
		col        int
		coef, m, s float64
	}
	var terms []term
	for _, w := range r.Weights {
		c := t.Col(w.Name)
		if c < 0 {
			return nil, fmt.Errorf("selection: rad-score: the table lacks selected feature %q", w.Name)
		}
		zj := slices.Index(r.ZNames, w.Name)
		terms = append(terms, term{c, w.Coef, r.ZScore.Mean[zj], r.ZScore.SD[zj]})
	}
	out := make([]float64, t.Rows())
	for i, row := range t.X {
		v := r.Intercept
		for _, tm := range terms {
			x := row[tm.col]
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("selection: rad-score: row %s, feature %q: %v is not finite", t.IDs[i], t.Names[tm.col], x)
			}
			v += tm.coef * (x - tm.m) / tm.s
		}
		out[i] = v
	}
	return out, nil
}

// Transform returns t's selected columns z-scored with the training
// parameters, ready for a classifier (metadata kept).
func (r *Result) Transform(t *table.Table) (*table.Table, error) {
	out, err := t.SelectColumns(r.Selected)
	if err != nil {
		return nil, err
	}
	for j, n := range r.Selected {
		zj := slices.Index(r.ZNames, n)
		m, s := r.ZScore.Mean[zj], r.ZScore.SD[zj]
		for i := range out.X {
			out.X[i][j] = (out.X[i][j] - m) / s
		}
	}
	return out, nil
}

func pick(names []string, idx []int) []string {
	out := make([]string, len(idx))
	for k, j := range idx {
		out[k] = names[j]
	}
	return out
}

func subCols(X [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(X))
	for i, row := range X {
		r := make([]float64, len(idx))
		for k, j := range idx {
			r[k] = row[j]
		}
		out[i] = r
	}
	return out
}
