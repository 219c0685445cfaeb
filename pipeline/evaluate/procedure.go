package evaluate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/internal/pool"
)

// Procedure is a whole modelling process: every step that learns from data
// (a reliability filter, harmonisation, z-scoring, univariate tests,
// redundancy and mRMR filters, a cross-validated LASSO, hyperparameter
// searches, the classifiers and the choice of the reported one). The
// resampling functions of this file call Fit once per fold, permutation or
// bootstrap replicate, so that nothing fitted on data ever sees the rows it
// is scored on.
//
// Rows are indices into a population the Procedure knows (for scirad run,
// patients in cohort order); a bootstrap sample repeats some.
type Procedure interface {
	// Fit runs the whole process on rows with labels y (y[k] is the label
	// of rows[k]). The labels of any other row must not be read. seed
	// drives every random choice of the fit.
	Fit(ctx context.Context, rows, y []int, seed uint64) (Fitted, error)
}

// Fitted is one fit of a Procedure: a set of candidate models (the six
// classifiers of the paper) and the one the process reports.
type Fitted interface {
	// Scores returns P(class 1) for rows from every candidate:
	// Scores(rows)[m][k] is candidate m's score of rows[k]. A nil
	// Scores(rows)[m] means candidate m could not be fitted (a gradient
	// boosting that found no split, say).
	Scores(rows []int) ([][]float64, error)
	// Chosen is the index of the candidate the process reports, chosen
	// inside the fit, or −1 when no candidate could be fitted.
	Chosen() int
	// Empty reports that the process kept no feature: every candidate
	// then predicts the training prevalence (an AUC of ½).
	Empty() bool
}

// ResampleOptions sets the resampling of a Procedure. Zero Folds,
// Repeats, Permutations and Bootstraps mean 5, 5, 100 and 200.
type ResampleOptions struct {
	// Candidates is the number of candidate models of every fit.
	Candidates int
	// Folds is k of the (repeated) stratified k-fold cross-validation,
	// also of the permutation test's statistic.
	Folds, Repeats, Permutations, Bootstraps int
	// Seed drives the folds, the permutations, the bootstrap samples and
	// (through Procedure.Fit) every fit.
	Seed uint64
	// Workers bounds the fits run at once; zero means one. The results do
	// not depend on it.
	Workers int
	// Step, when set, is called after every fit (a progress bar); it
	// must be safe for concurrent use.
	Step func()
	// Full, for BootstrapProcedure, is the process already fitted on all
	// of pop (the fit whose apparent AUC is corrected, the one a run
	// reports); nil: BootstrapProcedure fits it with seed Seed.
	Full Fitted
}

func (o ResampleOptions) defaults() ResampleOptions {
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Repeats == 0 {
		o.Repeats = 5
	}
	if o.Permutations == 0 {
		o.Permutations = 100
	}
	if o.Bootstraps == 0 {
		o.Bootstraps = 200
	}
	if o.Candidates == 0 {
		o.Candidates = 1
	}
	return o
}

// CVFits is the number of fits CrossValidate makes.
func (o ResampleOptions) CVFits() int { o = o.defaults(); return o.Folds * o.Repeats }

// PermutationFits is the number of fits PermuteProcedure makes.
func (o ResampleOptions) PermutationFits() int {
	o = o.defaults()
	return o.Folds * (1 + o.Permutations)
}

// BootstrapFits is the number of fits BootstrapProcedure makes.
func (o ResampleOptions) BootstrapFits() int { o = o.defaults(); return 1 + o.Bootstraps }

// CandidateCV is one candidate's cross-validated AUC over the folds where
// it could be fitted.
type CandidateCV struct {
	CVResult
	// Fitted is the number of folds where the candidate could be fitted,
	// of Folds. With Fitted = 0 the CVResult is empty: the candidate
	// "could not fit", which is not an AUC of ½.
	Fitted, Folds int
}

// ProcedureCV is the repeated cross-validation of a whole Procedure.
type ProcedureCV struct {
	// Candidates[m] is candidate m refitted (with the whole process) in
	// every fold: its own CV AUC, no choice involved.
	Candidates []CandidateCV
	// Chosen is the AUC, fold by fold, of the candidate that the process
	// chose inside that fold (nested: the choice never saw the fold), an
	// AUC of ½ where no candidate could be fitted. It estimates how the
	// whole process, choice included, does on new patients.
	Chosen CandidateCV
	// ChosenCount[m] counts the folds that chose candidate m.
	ChosenCount []int
	// Empty counts the folds where the process kept no feature.
	Empty int
}

// fold is one fit-and-score job: fit on rows fit (labels yfit), score
// rows held (labels yheld).
type fold struct {
	fit, held   []int
	yfit, yheld []int
	seed        uint64
}

// foldOutcome is what one fold gave: each candidate's AUC (NaN: not
// fitted) and the chosen candidate's.
type foldOutcome struct {
	auc       []float64
	chosen    int
	chosenAUC float64
	empty     bool
}

// runFold fits p on f.fit and scores f.held.
func runFold(ctx context.Context, p Procedure, f fold, candidates int) (foldOutcome, error) {
	fit, err := p.Fit(ctx, f.fit, f.yfit, f.seed)
	if err != nil {
		return foldOutcome{}, err
	}
	scores, err := fit.Scores(f.held)
	if err != nil {
		return foldOutcome{}, err
	}
	if len(scores) != candidates {
		return foldOutcome{}, fmt.Errorf("evaluate: the procedure returned %d score vectors, want %d", len(scores), candidates)
	}
	out := foldOutcome{auc: make([]float64, candidates), chosen: fit.Chosen(), chosenAUC: 0.5, empty: fit.Empty()}
	for m, s := range scores {
		out.auc[m] = math.NaN()
		if s == nil {
			continue
		}
		if out.auc[m], err = AUC(s, f.yheld); err != nil {
			return out, err
		}
	}
	if c := out.chosen; c >= 0 {
		if c >= candidates || math.IsNaN(out.auc[c]) {
			return out, fmt.Errorf("evaluate: the procedure chose candidate %d, which it did not fit", c)
		}
		out.chosenAUC = out.auc[c]
	}
	return out, nil
}

// kfold returns the k stratified folds of pop (labels y) drawn with
// foldSeed, each fitted with seed fitSeed + fold index.
func kfold(pop, y []int, k int, foldSeed, fitSeed uint64) ([]fold, error) {
	held, err := classify.StratifiedKFold(y, k, foldSeed)
	if err != nil {
		return nil, err
	}
	out := make([]fold, len(held))
	for i, h := range held {
		rest := classify.Complement(len(y), h)
		out[i] = fold{fit: pick(pop, rest), yfit: pick(y, rest), held: pick(pop, h), yheld: pick(y, h), seed: fitSeed + uint64(i)}
	}
	return out, nil
}

func pick(v []int, idx []int) []int {
	out := make([]int, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

// CrossValidate runs repeats × folds stratified cross-validation of the
// whole Procedure over the population pop (labels y, y[k] of pop[k]):
// repeat r uses fold seed Seed + r, and its fold i the fit seed Seed +
// 1000·r + i (RepeatedCV's scheme).
func CrossValidate(ctx context.Context, p Procedure, pop, y []int, o ResampleOptions) (*ProcedureCV, error) {
	o = o.defaults()
	if len(pop) != len(y) {
		return nil, fmt.Errorf("evaluate: %d rows but %d labels", len(pop), len(y))
	}
	var folds []fold
	for r := 0; r < o.Repeats; r++ {
		f, err := kfold(pop, y, o.Folds, o.Seed+uint64(r), o.Seed+1000*uint64(r))
		if err != nil {
			return nil, fmt.Errorf("evaluate: cross-validation, repeat %d: %v", r+1, err)
		}
		folds = append(folds, f...)
	}
	outs := make([]foldOutcome, len(folds))
	err := pool.ForEach(ctx, o.Workers, len(folds), func(i int) error {
		var err error
		outs[i], err = runFold(ctx, p, folds[i], o.Candidates)
		if err != nil {
			return fmt.Errorf("evaluate: cross-validation, repeat %d fold %d: %w", i/o.Folds+1, i%o.Folds+1, err)
		}
		if o.Step != nil {
			o.Step()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &ProcedureCV{Candidates: make([]CandidateCV, o.Candidates), ChosenCount: make([]int, o.Candidates)}
	aucs := make([][]float64, o.Candidates)
	var chosen []float64
	for _, f := range outs {
		for m, a := range f.auc {
			if !math.IsNaN(a) {
				aucs[m] = append(aucs[m], a)
			}
		}
		if f.chosen >= 0 {
			res.ChosenCount[f.chosen]++
		}
		if f.empty {
			res.Empty++
		}
		chosen = append(chosen, f.chosenAUC)
	}
	for m := range aucs {
		res.Candidates[m] = summarise(aucs[m], o.Folds, len(folds))
	}
	res.Chosen = summarise(chosen, o.Folds, len(folds))
	return res, nil
}

// summarise turns fold AUCs (in fold order, repeats of k folds; missing
// folds dropped) into a CandidateCV.
func summarise(aucs []float64, k, folds int) CandidateCV {
	c := CandidateCV{Fitted: len(aucs), Folds: folds}
	if len(aucs) == 0 {
		return c
	}
	c.FoldAUC = aucs
	for r := 0; r*k < len(aucs); r++ {
		c.RepeatAUC = append(c.RepeatAUC, mean(aucs[r*k:min(len(aucs), (r+1)*k)]))
	}
	c.Mean, c.SD = mean(aucs), sd(aucs)
	c.Min, c.Max = slices.Min(aucs), slices.Max(aucs)
	return c
}

// PermuteProcedure is the label-permutation test of the whole Procedure,
// choice included (Ojala and Garriga's test 1). Its statistic is the mean
// AUC, over one stratified k-fold CV (fold seed Seed, fit seeds Seed + i),
// of the candidate chosen inside each fold; each of the Permutations
// shuffles of the labels (seeded, each shuffling the previous one) re-runs
// the same CV, every fit included, on the permuted labels. P = (1 + #{null
// ≥ observed}) / (1 + Permutations).
func PermuteProcedure(ctx context.Context, p Procedure, pop, y []int, o ResampleOptions) (PermResult, error) {
	o = o.defaults()
	if len(pop) != len(y) {
		return PermResult{}, fmt.Errorf("evaluate: %d rows but %d labels", len(pop), len(y))
	}
	labels := [][]int{slices.Clone(y)}
	r := rand.New(rand.NewPCG(o.Seed, 0x9e3779b9))
	yp := slices.Clone(y)
	for k := 0; k < o.Permutations; k++ {
		r.Shuffle(len(yp), func(a, b int) { yp[a], yp[b] = yp[b], yp[a] })
		labels = append(labels, slices.Clone(yp))
	}
	var folds []fold
	for k, yk := range labels {
		f, err := kfold(pop, yk, o.Folds, o.Seed, o.Seed)
		if err != nil {
			return PermResult{}, fmt.Errorf("evaluate: permutation test, permutation %d: %v", k, err)
		}
		folds = append(folds, f...)
	}
	stat := make([]float64, len(folds))
	err := pool.ForEach(ctx, o.Workers, len(folds), func(i int) error {
		out, err := runFold(ctx, p, folds[i], o.Candidates)
		if err != nil {
			if i < o.Folds {
				return fmt.Errorf("evaluate: permutation test, fold %d: %w", i+1, err)
			}
			return fmt.Errorf("evaluate: permutation test, permutation %d fold %d: %w", i/o.Folds, i%o.Folds+1, err)
		}
		stat[i] = out.chosenAUC
		if o.Step != nil {
			o.Step()
		}
		return nil
	})
	if err != nil {
		return PermResult{}, err
	}
	res := PermResult{Observed: mean(stat[:o.Folds])}
	var ge int
	for k := 1; k < len(labels); k++ {
		m := mean(stat[k*o.Folds : (k+1)*o.Folds])
		res.Null = append(res.Null, m)
		if m >= res.Observed {
			ge++
		}
	}
	res.P = float64(1+ge) / float64(1+o.Permutations)
	return res, nil
}

// ProcedureOptimism is the bootstrap validation of a whole Procedure.
type ProcedureOptimism struct {
	// Harrell is Harrell's estimate for the reported process: the apparent
	// AUC of the candidate chosen on all rows, less the mean over
	// replicates of AUC(chosen_b on sample b) − AUC(chosen_b on the
	// original rows), where chosen_b is the candidate the process chose
	// inside replicate b (½ − ½ where it could fit none). It stays
	// optimistic for models that memorise their training rows (a random
	// forest's apparent AUC is 1): each bootstrap model has seen about
	// 63 % of the original rows it is scored on, so on label-shuffled
	// data it still reports 0.7 to 0.85.
	Harrell OptimismResult
	// Plus632 is Efron and Tibshirani's .632+ estimate for the reported
	// process, written as an OptimismResult (Corrected is the estimate,
	// Optimism = Apparent − Corrected): out-of-bag AUCs only, weighted by
	// the relative overfitting rate, with the no-information AUC ½. It is
	// the corrected AUC scirad reports.
	Plus632 OptimismResult
	// OOB is the mean over replicates of the AUC of chosen_b on the
	// original rows it was not fitted on.
	OOB float64
	// Candidates[m] is candidate m's own Harrell estimate over the
	// replicates where it could be fitted (B counts them; B = 0: could
	// not fit).
	Candidates []OptimismResult
}

// BootstrapProcedure is the bootstrap validation of the whole Procedure:
// the process is fitted on all of pop (fit seed Seed, or Full), then on
// Bootstraps samples drawn with replacement (seeded, redrawn when a class
// has fewer than two distinct rows; fit seed Seed + b, b = 1…), each
// replicate repeating every step, the choice of the reported candidate
// included. From the same replicates it gives Harrell's optimism
// correction (Harrell, Lee and Mark 1996) and the .632+ estimate (Efron
// and Tibshirani 1997).
func BootstrapProcedure(ctx context.Context, p Procedure, pop, y []int, o ResampleOptions) (*ProcedureOptimism, error) {
	o = o.defaults()
	if len(pop) != len(y) {
		return nil, fmt.Errorf("evaluate: %d rows but %d labels", len(pop), len(y))
	}
	if _, _, err := checkScores(make([]float64, len(y)), y); err != nil {
		return nil, err
	}
	n := len(pop)
	r := rand.New(rand.NewPCG(o.Seed, 0xb007))
	samples := make([][]int, o.Bootstraps) // positions in pop
	for b := range samples {
		idx := make([]int, n)
		for {
			var seen [2]map[int]bool
			seen[0], seen[1] = map[int]bool{}, map[int]bool{}
			for i := range idx {
				idx[i] = r.IntN(n)
				seen[y[idx[i]]][idx[i]] = true
			}
			if len(seen[0]) >= 2 && len(seen[1]) >= 2 {
				break
			}
		}
		samples[b] = idx
	}
	type rep struct {
		boot, orig, oob []float64 // per candidate, NaN: not fitted
		chosen          int
	}
	reps := make([]rep, 1+o.Bootstraps)
	err := pool.ForEach(ctx, o.Workers, len(reps), func(b int) error {
		rows, yb, seed := pop, y, o.Seed
		if b > 0 {
			rows, yb, seed = pick(pop, samples[b-1]), pick(y, samples[b-1]), o.Seed+uint64(b)
		}
		fit := o.Full
		if b > 0 || fit == nil {
			var err error
			if fit, err = p.Fit(ctx, rows, yb, seed); err != nil {
				return fmt.Errorf("evaluate: optimism bootstrap, sample %d: %w", b, err)
			}
		}
		rp := rep{chosen: fit.Chosen()}
		orig, err := fit.Scores(pop)
		if err != nil {
			return err
		}
		rp.orig = aucs(orig, y)
		if b > 0 {
			boot, err := fit.Scores(rows)
			if err != nil {
				return err
			}
			rp.boot = aucs(boot, yb)
			in := map[int]bool{}
			for _, i := range samples[b-1] {
				in[i] = true
			}
			var out []int
			for i := range pop {
				if !in[i] {
					out = append(out, i)
				}
			}
			oobScores := make([][]float64, len(orig))
			for m, s := range orig {
				if s != nil {
					oobScores[m] = pick64(s, out)
				}
			}
			rp.oob = aucs(oobScores, pick(y, out))
		}
		reps[b] = rp
		if o.Step != nil {
			o.Step()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &ProcedureOptimism{Candidates: make([]OptimismResult, o.Candidates)}
	for m := range res.Candidates {
		c := &res.Candidates[m]
		if math.IsNaN(reps[0].orig[m]) {
			continue
		}
		c.Apparent = reps[0].orig[m]
		var sum float64
		for _, rp := range reps[1:] {
			if !math.IsNaN(rp.boot[m]) {
				sum += rp.boot[m] - rp.orig[m]
				c.B++
			}
		}
		if c.B > 0 {
			c.Optimism = sum / float64(c.B)
			c.Corrected = c.Apparent - c.Optimism
		}
	}
	res.Harrell = OptimismResult{Apparent: 0.5, B: o.Bootstraps}
	if c := reps[0].chosen; c >= 0 {
		res.Harrell.Apparent = reps[0].orig[c]
	}
	var sum, oob float64
	var nOOB int
	for _, rp := range reps[1:] {
		if c := rp.chosen; c >= 0 {
			sum += rp.boot[c] - rp.orig[c]
			if !math.IsNaN(rp.oob[c]) {
				oob += rp.oob[c]
				nOOB++
			}
		} else {
			oob += 0.5
			nOOB++
		}
	}
	res.Harrell.Optimism = sum / float64(o.Bootstraps)
	res.Harrell.Corrected = res.Harrell.Apparent - res.Harrell.Optimism
	res.OOB = math.NaN()
	if nOOB > 0 {
		res.OOB = oob / float64(nOOB)
	}
	est := plus632(res.Harrell.Apparent, res.OOB)
	res.Plus632 = OptimismResult{Apparent: res.Harrell.Apparent, Optimism: res.Harrell.Apparent - est, Corrected: est, B: nOOB}
	return res, nil
}

// plus632 is the .632+ estimate of the AUC from the apparent and the
// out-of-bag AUC, with the no-information AUC ½ (Efron and Tibshirani
// 1997, written for an AUC): the out-of-bag AUC is first floored at ½ and
// the apparent at it; R = (app − oob)/(app − ½) is the relative
// overfitting rate, w = .632/(1 − .368 R), and the estimate is
// (1 − w)·app + w·oob.
func plus632(app, oob float64) float64 {
	if math.IsNaN(oob) {
		return math.NaN()
	}
	oob = math.Max(oob, 0.5)
	app = math.Max(app, oob)
	R := 0.0
	if app > 0.5 && app > oob {
		R = (app - oob) / (app - 0.5)
	}
	w := 0.632 / (1 - 0.368*R)
	return (1-w)*app + w*oob
}

func pick64(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

// aucs returns the AUC of each score vector against y, NaN for a nil one
// or where y holds one class.
func aucs(scores [][]float64, y []int) []float64 {
	out := make([]float64, len(scores))
	for m, s := range scores {
		out[m] = math.NaN()
		if s == nil {
			continue
		}
		if a, err := AUC(s, y); err == nil {
			out[m] = a
		}
	}
	return out
}

// GroupValidation is one held-out group (a centre) of LeaveGroupOut.
type GroupValidation struct {
	Group string
	// N0, N1 count the group's patients of class 0 and 1.
	N0, N1 int
	// Note says why there is no AUC (too few patients of a class in the
	// group, or in the others to fit on); empty when there is one.
	Note string
	// Chosen is the candidate the process chose on the other groups (−1:
	// none could be fitted).
	Chosen int
	// AUC[m] is candidate m's AUC with its DeLong CI on the group; a
	// zero Level means candidate m could not be fitted.
	AUC []AUCResult
	// Empty reports that the process kept no feature on the other
	// groups.
	Empty bool
}

// LeaveGroupOut is external validation across groups (centres): for every
// group, in sorted order, the whole Procedure is fitted on the rows of the
// other groups (fit seed Seed) and scored on the group's rows. A group
// with fewer than minPerClass patients of a class gets a Note and no AUC,
// as do the others when they lack a class.
func LeaveGroupOut(ctx context.Context, p Procedure, pop, y []int, groups []string, minPerClass int, o ResampleOptions) ([]GroupValidation, error) {
	o = o.defaults()
	if len(pop) != len(y) || len(groups) != len(y) {
		return nil, fmt.Errorf("evaluate: %d rows, %d labels, %d groups", len(pop), len(y), len(groups))
	}
	names := slices.Clone(groups)
	sort.Strings(names)
	names = slices.Compact(names)
	out := make([]GroupValidation, len(names))
	err := pool.ForEach(ctx, o.Workers, len(names), func(g int) error {
		v := GroupValidation{Group: names[g], Chosen: -1}
		var in, rest []int
		for k, gr := range groups {
			if gr == names[g] {
				in = append(in, k)
				if y[k] == 1 {
					v.N1++
				} else {
					v.N0++
				}
			} else {
				rest = append(rest, k)
			}
		}
		defer func() {
			out[g] = v
			if o.Step != nil {
				o.Step()
			}
		}()
		var r0, r1 int
		for _, k := range rest {
			if y[k] == 1 {
				r1++
			} else {
				r0++
			}
		}
		switch {
		case v.N0 < minPerClass || v.N1 < minPerClass:
			v.Note = fmt.Sprintf("too few patients to validate on: %d of class 1 and %d of class 0 (need %d of each)", v.N1, v.N0, minPerClass)
			return nil
		case r0 < o.Folds || r1 < o.Folds:
			v.Note = fmt.Sprintf("too few patients in the other centres to fit on: %d of class 1 and %d of class 0", r1, r0)
			return nil
		}
		fit, err := p.Fit(ctx, pick(pop, rest), pick(y, rest), o.Seed)
		if err != nil {
			return fmt.Errorf("evaluate: leaving out %s: %w", names[g], err)
		}
		scores, err := fit.Scores(pick(pop, in))
		if err != nil {
			return fmt.Errorf("evaluate: leaving out %s: %w", names[g], err)
		}
		v.Chosen, v.Empty = fit.Chosen(), fit.Empty()
		yin := pick(y, in)
		v.AUC = make([]AUCResult, len(scores))
		for m, s := range scores {
			if s == nil {
				continue
			}
			if v.AUC[m], err = DeLong(s, yin, 0.95); err != nil {
				return fmt.Errorf("evaluate: leaving out %s: %w", names[g], err)
			}
		}
		return nil
	})
	return out, err
}
