package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/harmonize"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/table"
)

// The paper's whole modelling process for one signature, written once and
// used twice: the select and models stages run it on the training patients
// (Tables 2 and 3), and the robustness and external stages hand it to
// package evaluate, which re-runs it in every fold, permutation, bootstrap
// replicate and held-out centre. Its steps, each fitted on the rows it is
// given and applied unchanged to any other:
//
//  1. features (fitFeatures): the ICC(2,1) reliability filter on the
//     second rater's masks; for a profile with DeepInFolds, the ResNets and
//     their PCA retrained; ComBat by centre, one model per feature source;
//  2. selection (selectWith): z-score, Mann–Whitney, Spearman, mRMR,
//     LASSO-CV, the rad-score;
//  3. candidates (fitCandidates): the six classifiers on the selected
//     features, each behind its grid search in the paper profile;
//  4. choice (choose): the reported candidate is the one with the best
//     mean AUC in a stratified k-fold CV on the fit's own selected
//     features (a patient repeated by a bootstrap sample stays in one
//     fold), so a resample repeats the choice too.

// procedure is one signature's process as an evaluate.Procedure over
// cohort indices.
type procedure struct {
	r       *Result
	sig     selection.Signature
	rad     bool     // the signature uses radiomics
	archs   []string // the ResNets whose features it uses
	retrain bool     // retrain those networks inside every fit
	models  []string // candidate classifiers
}

// procedure returns sig's process under the run's profile.
func (r *Result) procedure(sig selection.Signature) *procedure {
	p := &procedure{r: r, sig: sig, retrain: r.Config.Profile.DeepInFolds, models: r.Config.Profile.models()}
	for _, pre := range sig.Prefixes {
		if arch, ok := strings.CutSuffix(pre, "_"); ok && strings.HasPrefix(arch, "resnet") {
			p.archs = append(p.archs, arch)
		} else {
			p.rad = true
		}
	}
	return p
}

// contaminated says why resampling sig would reuse features learnt from
// the labels of the rows it scores, "" when it would not.
func (p *procedure) contaminated() string {
	if len(p.archs) == 0 || p.retrain {
		return ""
	}
	return fmt.Sprintf("not resampled: the %s features come from networks and PCA trained once on every training patient's label; the %s profile does not retrain them inside resamples (DeepInFolds), so a resampled AUC or p would be computed on label-contaminated features",
		strings.Join(p.archs, ", "), p.r.Config.Profile.Name)
}

// Fit implements evaluate.Procedure.
func (p *procedure) Fit(ctx context.Context, rows, y []int, seed uint64) (evaluate.Fitted, error) {
	seeds := func(part string) uint64 { return StageSeed(seed, part) }
	fm, err := p.r.fitFeatures(ctx, rows, y, p.rad, p.archs, p.retrain, seeds)
	if err != nil {
		return nil, err
	}
	f, err := p.selectWith(fm, rows, y, seeds)
	if err != nil {
		return nil, err
	}
	if err := f.fitCandidates(seeds); err != nil {
		return nil, err
	}
	f.choose(seeds("choose"))
	return f, nil
}

// featureModel is step 1 fitted on some rows: the feature sources, each
// with its ComBat model.
type featureModel struct {
	sources []fittedSource
	icc     []icc.Feature // the reliability of each radiomics feature; nil without second-rater masks
	mode    string        // ComBat's mode, for the summary
}

type fittedSource struct {
	name   string
	raw    *table.Table // every patient, the columns kept, the centre as metadata
	combat *harmonize.TableModel
}

// distinct returns the distinct values of rows, sorted.
func distinct(rows []int) []int {
	u := slices.Clone(rows)
	slices.Sort(u)
	return slices.Compact(u)
}

// fitFeatures fits step 1 on rows (labels y, used only to retrain
// networks): the ICC filter on the distinct rows' two raters, the deep
// sources (retrained on the rows when retrain), and ComBat on every
// source. A centre with fewer than two distinct rows allows only ComBat's
// location adjustment.
func (r *Result) fitFeatures(ctx context.Context, rows, y []int, rad bool, archs []string, retrain bool, seeds func(string) uint64) (*featureModel, error) {
	uniq := distinct(rows)
	fm := &featureModel{}
	var raws []fittedSource
	if rad {
		raw := r.radRaw
		if r.rater2 != nil {
			fs, err := icc.Features(raw.Subset(uniq), r.rater2, icc.Options{Threshold: r.Config.Profile.ICCThreshold})
			if err != nil {
				return nil, err
			}
			fm.icc = fs
			if raw, err = icc.Filter(raw, fs); err != nil {
				return nil, err
			}
		}
		raws = append(raws, fittedSource{name: "radiomics", raw: raw})
	}
	for _, arch := range archs {
		d := r.Deep[arch]
		if d == nil {
			return nil, fmt.Errorf("run: no %s features", arch)
		}
		raw := d.Features
		if retrain {
			var err error
			if raw, err = r.retrainDeep(ctx, arch, rows, y, seeds("deep/"+arch)); err != nil {
				return nil, err
			}
		}
		raws = append(raws, fittedSource{name: arch, raw: raw})
	}
	opts, mode := harmonize.Options{}, "location and scale"
	perCentre := map[string]int{}
	for _, i := range uniq {
		perCentre[r.Cohort.Patients[i].Center]++
	}
	var few []string
	for c, n := range perCentre {
		if n < 2 {
			few = append(few, c)
		}
	}
	if len(few) > 0 {
		slices.Sort(few)
		opts.MeanOnly, mode = true, fmt.Sprintf("location only (centre %s has one patient to fit on)", strings.Join(few, ", "))
	}
	fm.mode = mode
	for _, s := range raws {
		m, err := harmonize.FitTable(s.raw.Subset(rows), "center", nil, opts)
		if err != nil {
			return nil, fmt.Errorf("run: ComBat on %s: %w", s.name, err)
		}
		s.combat = m
		fm.sources = append(fm.sources, s)
	}
	return fm, nil
}

// Test hooks (deepfolds_test.go): deepFeatures trains the networks and PCA
// of every retraining inside a resample; scored, when set, is told every
// fit's scored rows.
var (
	deepFeatures = deep.Features
	scored       func(f *fit, rows []int)
)

// retrainDeep trains arch's networks (one per image) and their PCA on rows (labels
// y) and returns every patient's features, as the deep stage does on the
// training split.
func (r *Result) retrainDeep(ctx context.Context, arch string, rows, y []int, seed uint64) (*table.Table, error) {
	if r.deepPatients == nil {
		return nil, fmt.Errorf("run: %s: the deep inputs were not kept for retraining", arch)
	}
	labels := make([]int, len(r.deepPatients))
	train := make([]bool, len(r.deepPatients))
	for k, i := range rows {
		labels[i], train[i] = y[k], true
	}
	cfg := r.deepConfig(arch)
	cfg.Train.Seed = seed
	cfg.KeepModels = []int{}
	res, err := deepFeatures(ctx, r.backend, r.deepPatients, labels, train, cfg, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("%s retrained inside a resample: %w", arch, err)
	}
	res.Table.SetMeta("center", r.Cohort.Centers())
	return res.Table, nil
}

// table returns the harmonised features of rows, every source's columns
// side by side.
func (fm *featureModel) table(rows []int) (*table.Table, error) {
	var out *table.Table
	for _, s := range fm.sources {
		h, err := s.apply(rows)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = h
			continue
		}
		for i := range out.X {
			out.X[i] = append(out.X[i], h.X[i]...)
		}
		out.Names = append(out.Names, h.Names...)
	}
	return out, nil
}

// apply harmonises rows of the source with its ComBat model. Rows of a
// centre the model never saw (a held-out centre, or a small one that a
// resample left out) are aligned to the fitted grand mean and pooled
// variance with their own location and scale, estimated from those rows'
// features alone (no label): ComBat without the empirical-Bayes shrinkage,
// for a new centre. A single such row is left as it is.
func (s fittedSource) apply(rows []int) (*table.Table, error) {
	sub := s.raw.Subset(rows)
	centres, err := sub.MetaColumn("center")
	if err != nil {
		return nil, err
	}
	m := s.combat
	var known []int
	unseen := map[string][]int{}
	for i, c := range centres {
		if _, ok := slices.BinarySearch(m.Batches, c); ok {
			known = append(known, i)
		} else {
			unseen[c] = append(unseen[c], i)
		}
	}
	if len(unseen) == 0 {
		return m.ApplyTable(sub)
	}
	out, err := sub.SelectColumns(m.Names)
	if err != nil {
		return nil, err
	}
	if len(known) > 0 {
		k, err := m.ApplyTable(sub.Subset(known))
		if err != nil {
			return nil, err
		}
		for a, i := range known {
			out.X[i] = k.X[a]
		}
	}
	skip := make([]bool, len(m.Names))
	for _, j := range m.Unadjusted {
		skip[j] = true
	}
	for _, idx := range unseen {
		if len(idx) < 2 {
			continue
		}
		for j := range m.Names {
			if skip[j] {
				continue
			}
			sd := math.Sqrt(m.VarPooled[j])
			z := make([]float64, len(idx))
			var mu float64
			for a, i := range idx {
				z[a] = (out.X[i][j] - m.GrandMean[j]) / sd
				mu += z[a]
			}
			mu /= float64(len(idx))
			var v float64
			for _, x := range z {
				v += (x - mu) * (x - mu)
			}
			v /= float64(len(idx) - 1)
			scale := 1.0
			if v > 0 {
				scale = math.Sqrt(v)
			}
			for a, i := range idx {
				out.X[i][j] = (z[a]-mu)/scale*sd + m.GrandMean[j]
			}
		}
	}
	return out, nil
}

// fit is one fit of the process: the evaluate.Fitted of procedure.
type fit struct {
	p       *procedure
	fm      *featureModel
	rows, y []int
	sel     *selection.Result // nil when nothing survived selection
	why     string            // why nothing survived
	X       [][]float64       // the fit rows' selected, z-scored features
	models  []classify.Model  // per candidate; nil: could not fit
	points  []classify.Estimator
	failed  []string // why a candidate could not fit
	inner   []float64
	chosen  int
	prev    float64 // the fit rows' prevalence of class 1
}

// selectWith runs step 2 on rows: the signature's harmonised columns,
// then the paper's selection. A selection that keeps no feature is a
// result (the fit then predicts the prevalence), not an error.
func (p *procedure) selectWith(fm *featureModel, rows, y []int, seeds func(string) uint64) (*fit, error) {
	f := &fit{p: p, fm: fm, rows: rows, y: y}
	for _, v := range y {
		f.prev += float64(v)
	}
	f.prev /= float64(len(y))
	t, err := fm.table(rows)
	if err != nil {
		return nil, err
	}
	if t, err = p.sig.Table(t); err != nil {
		return nil, err
	}
	sp := selection.Pipeline{}
	sp.MRMR.K = p.r.Config.Profile.MRMRTopK
	sp.Lasso.Thresh = p.r.Config.Profile.LassoThresh
	sel, err := sp.Fit(t, y, seeds("select"))
	switch {
	case errors.Is(err, selection.ErrNoFeature):
		f.why = err.Error()
		f.sel = sel
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w", p.sig.Name, err)
	}
	f.sel = sel
	if len(sel.Selected) == 0 {
		f.why = "the LASSO kept no feature"
		return f, nil
	}
	z, err := sel.Transform(t)
	if err != nil {
		return nil, err
	}
	f.X = z.X
	return f, nil
}

// empty reports that nothing survived selection.
func (f *fit) empty() bool { return f.why != "" }

// estimator is candidate name with scikit-learn's defaults, or its grid
// search in the paper profile.
func (r *Result) estimator(name string, seed uint64) (classify.Estimator, error) {
	if !r.Config.Profile.Grid {
		return classify.New(name, seed)
	}
	pts, err := classify.Grid(name, seed)
	if err != nil {
		return nil, err
	}
	return classify.GridSearchCV{Points: pts, Folds: 5, Seed: seed, Workers: 1}, nil
}

// fitCandidates runs step 3. A candidate whose fit fails, or whose
// predictions are the same for every fit row (a gradient boosting that
// found no split: min_data_in_leaf 20 needs 40 rows), could not fit.
func (f *fit) fitCandidates(seeds func(string) uint64) error {
	n := len(f.p.models)
	f.models, f.points, f.failed = make([]classify.Model, n), make([]classify.Estimator, n), make([]string, n)
	if f.empty() {
		return nil
	}
	for k, name := range f.p.models {
		est, err := f.p.r.estimator(name, seeds("model/"+name))
		if err != nil {
			return err
		}
		var m classify.Model
		point := est
		if gs, ok := est.(classify.GridSearchCV); ok {
			var res *classify.SearchResult
			if res, err = gs.Search(f.X, f.y); err == nil {
				m, point = res.Model, gs.Points[res.Best]
			}
		} else {
			m, err = est.Fit(f.X, f.y)
		}
		if err != nil {
			f.failed[k] = "could not fit: " + err.Error()
			continue
		}
		s, err := m.PredictProba(f.X)
		if err != nil {
			return err
		}
		if slices.Min(s) == slices.Max(s) {
			f.failed[k] = fmt.Sprintf("could not fit: the same prediction for all %d rows", len(s))
			continue
		}
		f.models[k], f.points[k] = m, point
	}
	return nil
}

// choose runs step 4: the candidate with the best mean inner-CV AUC
// (first of equals; folds over distinct patients, stratified, seeded; a
// fold whose fit fails or is constant counts ½). It falls back to the
// first fitted candidate when a class has fewer than two distinct
// patients, and to −1 when none could be fitted.
func (f *fit) choose(seed uint64) {
	f.chosen = -1
	if f.empty() {
		f.chosen = 0
		return
	}
	for k, m := range f.models {
		if m != nil {
			f.chosen = k
			break
		}
	}
	folds := groupedFolds(f.rows, f.y, f.p.r.Config.Profile.folds(), seed)
	if f.chosen < 0 || folds == nil {
		return
	}
	f.inner = make([]float64, len(f.models))
	best := math.Inf(-1)
	for k, pt := range f.points {
		if pt == nil {
			f.inner[k] = math.NaN()
			continue
		}
		var sum float64
		for _, held := range folds {
			Xt, yt := classify.Rows(f.X, f.y, classify.Complement(len(f.y), held))
			Xv, yv := classify.Rows(f.X, f.y, held)
			a := 0.5
			if m, err := pt.Fit(Xt, yt); err == nil {
				if s, err := m.PredictProba(Xv); err == nil {
					if v, err := evaluate.AUC(s, yv); err == nil {
						a = v
					}
				}
			}
			sum += a
		}
		f.inner[k] = sum / float64(len(folds))
		if f.inner[k] > best {
			best, f.chosen = f.inner[k], k
		}
	}
}

// groupedFolds returns up to k stratified folds of positions in rows,
// every copy of a patient in the same fold; nil when a class has fewer
// than two distinct patients.
func groupedFolds(rows, y []int, k int, seed uint64) [][]int {
	uniq := distinct(rows)
	label := map[int]int{}
	for a, i := range rows {
		label[i] = y[a]
	}
	uy := make([]int, len(uniq))
	var n1 int
	for a, i := range uniq {
		uy[a] = label[i]
		n1 += uy[a]
	}
	k = min(k, n1, len(uniq)-n1)
	if k < 2 {
		return nil
	}
	held, err := classify.StratifiedKFold(uy, k, seed)
	if err != nil {
		return nil
	}
	foldOf := map[int]int{}
	for f, h := range held {
		for _, a := range h {
			foldOf[uniq[a]] = f
		}
	}
	out := make([][]int, k)
	for pos, i := range rows {
		out[foldOf[i]] = append(out[foldOf[i]], pos)
	}
	return out
}

// Scores implements evaluate.Fitted.
func (f *fit) Scores(rows []int) ([][]float64, error) {
	if scored != nil {
		scored(f, rows)
	}
	out := make([][]float64, len(f.p.models))
	if f.empty() {
		for k := range out {
			out[k] = make([]float64, len(rows))
			for i := range out[k] {
				out[k][i] = f.prev
			}
		}
		return out, nil
	}
	X, err := f.features(rows)
	if err != nil {
		return nil, err
	}
	for k, m := range f.models {
		if m == nil {
			continue
		}
		if out[k], err = m.PredictProba(X); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sigTable returns rows' harmonised columns of the signature.
func (f *fit) sigTable(rows []int) (*table.Table, error) {
	t, err := f.fm.table(rows)
	if err != nil {
		return nil, err
	}
	return f.p.sig.Table(t)
}

// features returns rows' selected, z-scored features.
func (f *fit) features(rows []int) ([][]float64, error) {
	t, err := f.sigTable(rows)
	if err != nil {
		return nil, err
	}
	z, err := f.sel.Transform(t)
	if err != nil {
		return nil, err
	}
	return z.X, nil
}

// Chosen implements evaluate.Fitted.
func (f *fit) Chosen() int { return f.chosen }

// Empty implements evaluate.Fitted.
func (f *fit) Empty() bool { return f.empty() }
