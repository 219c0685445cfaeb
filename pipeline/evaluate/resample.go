package evaluate

import (
	"fmt"
	"math"
	"math/rand/v2"

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

// RepeatedCV runs repeats × folds stratified cross-validation (repeat r
// uses fold seed seed + r, and each fit the factory seed seed + 1000·r +
// fold) and scores each held-out fold by AUC. Zero folds or repeats mean 5.
func RepeatedCV(f Factory, X [][]float64, y []int, folds, repeats int, seed uint64) (CVResult, error) {
	if folds == 0 {
		folds = 5
	}
	if repeats == 0 {
		repeats = 5
	}
	var res CVResult
	for r := 0; r < repeats; r++ {
		aucs, err := cvAUCs(f, X, y, folds, seed+uint64(r), seed+1000*uint64(r))
		if err != nil {
			return res, fmt.Errorf("evaluate: repeated CV, repeat %d: %v", r+1, err)
		}
		res.FoldAUC = append(res.FoldAUC, aucs...)
		res.RepeatAUC = append(res.RepeatAUC, mean(aucs))
	}
	res.Mean = mean(res.FoldAUC)
	res.SD = sd(res.FoldAUC)
	res.Min, res.Max = math.Inf(1), math.Inf(-1)
	for _, a := range res.FoldAUC {
		res.Min = math.Min(res.Min, a)
		res.Max = math.Max(res.Max, a)
	}
	return res, nil
}

// cvAUCs returns the fold AUCs of one stratified k-fold CV.
func cvAUCs(f Factory, X [][]float64, y []int, k int, foldSeed, fitSeed uint64) ([]float64, error) {
	folds, err := classify.StratifiedKFold(y, k, foldSeed)
	if err != nil {
		return nil, err
	}
	aucs := make([]float64, len(folds))
	for i, held := range folds {
		Xt, yt := classify.Rows(X, y, classify.Complement(len(y), held))
		Xv, yv := classify.Rows(X, y, held)
		m, err := f(fitSeed+uint64(i)).Fit(Xt, yt)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %v", i+1, err)
		}
		p, err := m.PredictProba(Xv)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %v", i+1, err)
		}
		if aucs[i], err = AUC(p, yv); err != nil {
			return nil, fmt.Errorf("fold %d: %v", i+1, err)
		}
	}
	return aucs, nil
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
// zero perms 100.
func PermutationTest(f Factory, X [][]float64, y []int, folds, perms int, seed uint64) (PermResult, error) {
	if folds == 0 {
		folds = 5
	}
	if perms == 0 {
		perms = 100
	}
	obs, err := cvAUCs(f, X, y, folds, seed, seed)
	if err != nil {
		return PermResult{}, fmt.Errorf("evaluate: permutation test: %v", err)
	}
	res := PermResult{Observed: mean(obs)}
	r := rand.New(rand.NewPCG(seed, 0x9e3779b9))
	yp := append([]int(nil), y...)
	var ge int
	for k := 0; k < perms; k++ {
		r.Shuffle(len(yp), func(a, b int) { yp[a], yp[b] = yp[b], yp[a] })
		a, err := cvAUCs(f, X, yp, folds, seed, seed)
		if err != nil {
			return res, fmt.Errorf("evaluate: permutation test, permutation %d: %v", k+1, err)
		}
		m := mean(a)
		res.Null = append(res.Null, m)
		if m >= res.Observed {
			ge++
		}
	}
	res.P = float64(1+ge) / float64(1+perms)
	return res, nil
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
// and redrawn when it holds a single class. The estimate is known to
// under-correct for models that memorise their training rows (random
// forests, small n with many features): each bootstrap model has seen about
// 63 % of the original rows it is scored on. Read it beside RepeatedCV.
func OptimismCorrectedAUC(f Factory, X [][]float64, y []int, B int, seed uint64) (OptimismResult, error) {
	if B == 0 {
		B = 200
	}
	if _, _, err := checkScores(make([]float64, len(y)), y); err != nil {
		return OptimismResult{}, err
	}
	m, err := f(seed).Fit(X, y)
	if err != nil {
		return OptimismResult{}, fmt.Errorf("evaluate: optimism bootstrap: %v", err)
	}
	p, err := m.PredictProba(X)
	if err != nil {
		return OptimismResult{}, err
	}
	res := OptimismResult{B: B}
	if res.Apparent, err = AUC(p, y); err != nil {
		return res, err
	}
	r := rand.New(rand.NewPCG(seed, 0xb007))
	n := len(y)
	idx := make([]int, n)
	var sum float64
	for b := 0; b < B; b++ {
		for {
			var n1 int
			for i := range idx {
				idx[i] = r.IntN(n)
				n1 += y[idx[i]]
			}
			if n1 > 0 && n1 < n {
				break
			}
		}
		Xb, yb := classify.Rows(X, y, idx)
		mb, err := f(seed+1+uint64(b)).Fit(Xb, yb)
		if err != nil {
			return res, fmt.Errorf("evaluate: optimism bootstrap, sample %d: %v", b+1, err)
		}
		pb, _ := mb.PredictProba(Xb)
		po, _ := mb.PredictProba(X)
		ab, _ := AUC(pb, yb)
		ao, _ := AUC(po, y)
		sum += ab - ao
	}
	res.Optimism = sum / float64(B)
	res.Corrected = res.Apparent - res.Optimism
	return res, nil
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
