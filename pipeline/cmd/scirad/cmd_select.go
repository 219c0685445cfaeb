package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/table"
)

// runSelect is `scirad select`: the paper's selection chain on one
// (training) table, for each signature its columns support.
func runSelect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("select", "-in features.csv -label outcome -o selected.csv [-signature all|Rad|Rad+ResNet34|…] [-figures lasso.json]",
		"scirad select -in train_harmonized.csv -label outcome -signature Rad+ResNet34 -o selected.csv -figures lasso.json", stderr)
	in := fs.String("in", "", "training feature table (CSV)")
	label := fs.String("label", "outcome", "0/1 outcome column")
	out := fs.String("o", "", "output table: ids, metadata, the selected features (raw values) and one radscore_<signature> column per signature")
	sig := fs.String("signature", "all", "signature to select for: all (every one the columns support), or Rad, ResNet18, ResNet34, ResNet152, Rad+ResNet18, Rad+ResNet34, Rad+ResNet152, or features (every column as one set)")
	seed := fs.Uint64("seed", 1, "seed of the LASSO cross-validation folds")
	family := fs.String("family", "gaussian", "LASSO family: gaussian (the paper's linear rad-score) or binomial")
	rule := fs.String("lambda", "min", "LASSO λ choice: min or 1se")
	measure := fs.String("measure", "default", "CV loss: default (mse for gaussian, deviance for binomial), mse, deviance, class")
	folds := fs.Int("folds", 10, "LASSO cross-validation folds")
	alpha := fs.Float64("alpha", 0.05, "Mann–Whitney p-value threshold")
	rho := fs.Float64("rho", 0.9, "Spearman |ρ| redundancy threshold")
	minKeep := fs.Int("min-keep", 0, "if fewer features pass the Mann–Whitney test, keep this many of smallest p instead of failing (0: fail)")
	k := fs.Int("mrmr-k", 20, "features kept by mRMR (-1: all)")
	crit := fs.String("mrmr", "MIQ", "mRMR criterion: MIQ or MID")
	figs := fs.String("figures", "", "write the LASSO path, CV curve, weights and rad-scores as JSON here")
	apply := fs.String("apply", "", "also apply the fitted selection to this (test) table: same columns as -o, rad-scores from the training fit")
	applyOut := fs.String("apply-o", "", "output for -apply (required with it)")
	if err := parse(fs, args, "in", "o"); err != nil {
		return err
	}
	if err := outpath.CheckAll([]string{*out, *figs, *applyOut}, []string{*in, *apply}); err != nil {
		return err
	}
	if *figs != "" {
		if err := refuseOverwrite(*figs, *in, *out); err != nil {
			return err
		}
	}
	if (*apply == "") != (*applyOut == "") {
		return fmt.Errorf("-apply and -apply-o go together")
	}
	if *apply != "" {
		if err := refuseOverwrite(*applyOut, *in, *out, *apply, *figs); err != nil {
			return err
		}
	}
	opt := selectOptions{alpha: *alpha, rho: *rho, minKeep: *minKeep, k: *k, folds: *folds,
		crit: *crit, family: *family, rule: *rule, measure: *measure}
	p, err := opt.pipeline()
	if err != nil {
		return err
	}
	t, err := table.ReadFile(*in, *label)
	if err != nil {
		return err
	}
	y, err := t.Labels(*label)
	if err != nil {
		return fmt.Errorf("%s: %v", *in, err)
	}
	sigs, err := signaturesFor(*sig, t, *in)
	if err != nil {
		return err
	}
	union, results, fig, err := fitSignatures(t, y, sigs, p, *seed, *in, stdout, stderr)
	if err != nil {
		return err
	}
	if err := writeSelected(t, union, sigs, results, *out); err != nil {
		return err
	}
	if *apply != "" {
		test, err := table.ReadFile(*apply, *label)
		if err != nil {
			return err
		}
		if err := writeSelected(test, union, sigs, results, *applyOut); err != nil {
			return fmt.Errorf("%s: %v", *apply, err)
		}
	}
	if *figs != "" {
		err := table.WriteFileAtomic(*figs, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", " ")
			return enc.Encode(fig)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// selectOptions are the flags of `scirad select` that configure the chain.
type selectOptions struct {
	alpha, rho                  float64
	minKeep, k, folds           int
	crit, family, rule, measure string
}

// pipeline turns the flags into a selection.Pipeline; an unknown choice is
// an error naming the flag.
func (o selectOptions) pipeline() (selection.Pipeline, error) {
	if err := checkSelectFlags(o.alpha, o.rho, o.folds, o.k, o.minKeep); err != nil {
		return selection.Pipeline{}, err
	}
	p := selection.Pipeline{Alpha: o.alpha, Rho: o.rho, MinKeep: o.minKeep}
	p.MRMR.K = o.k
	switch strings.ToUpper(o.crit) {
	case "MIQ":
	case "MID":
		p.MRMR.Criterion = selection.MID
	default:
		return p, fmt.Errorf("-mrmr %q: want MIQ or MID", o.crit)
	}
	p.Lasso.NFolds = o.folds
	switch o.family {
	case "gaussian":
	case "binomial":
		p.Lasso.Family = selection.Binomial
	default:
		return p, fmt.Errorf("-family %q: want gaussian or binomial", o.family)
	}
	switch o.rule {
	case "min":
	case "1se":
		p.Lasso.Rule = selection.Lambda1SE
	default:
		return p, fmt.Errorf("-lambda %q: want min or 1se", o.rule)
	}
	switch o.measure {
	case "default":
	case "mse":
		p.Lasso.Measure = selection.MeasureMSE
	case "deviance":
		p.Lasso.Measure = selection.MeasureDeviance
	case "class":
		p.Lasso.Measure = selection.MeasureClass
	default:
		return p, fmt.Errorf("-measure %q: want default, mse, deviance or class", o.measure)
	}
	return p, nil
}

// signaturesFor resolves -signature against t's columns: "features" (every
// column as one set), "all" (every signature the columns support) or one
// signature by name.
func signaturesFor(name string, t *table.Table, in string) ([]selection.Signature, error) {
	switch name {
	case "features":
		return []selection.Signature{{Name: "features", Prefixes: []string{""}}}, nil
	case "all":
		sigs := selection.Available(t.Names)
		if len(sigs) == 0 {
			return nil, fmt.Errorf("%s: no column starts with lesion_, cord_ or resnetNN_; use -signature features to select among all columns", in)
		}
		return sigs, nil
	}
	s, err := selection.SignatureByName(name)
	if err != nil {
		return nil, err
	}
	return []selection.Signature{s}, nil
}

// fitSignatures runs the chain for each signature on its columns of t,
// printing one row of step counts per signature (and warnings for a relaxed
// Mann–Whitney step or an empty LASSO), and returns the union of selected
// columns, the fits and the -figures content.
func fitSignatures(t *table.Table, y []int, sigs []selection.Signature, p selection.Pipeline, seed uint64, in string, stdout, stderr io.Writer) ([]string, []*selection.Result, figureFile, error) {
	var fig figureFile
	var union []string
	var results []*selection.Result
	fmt.Fprintf(stdout, "%-14s %7s %8s %7s %7s %7s %7s\n", "signature", "input", "nonconst", "mwu", "rho", "mrmr", "lasso")
	for _, s := range sigs {
		sub, err := t.SelectColumns(s.Columns(t.Names))
		if err != nil {
			return nil, nil, fig, err
		}
		res, err := p.Fit(sub, y, seed)
		if err != nil {
			return nil, nil, fig, fmt.Errorf("%s: signature %s: %v", in, s.Name, err)
		}
		fmt.Fprintf(stdout, "%-14s", s.Name)
		for k, st := range res.Steps {
			w := 7
			if k == 1 {
				w = 8
			}
			fmt.Fprintf(stdout, " %*d", w, st.Count)
		}
		fmt.Fprintln(stdout)
		if res.Relaxed {
			fmt.Fprintf(stderr, "scirad select: signature %s: fewer than %d features had Mann–Whitney p < %g; kept the %d of smallest p\n", s.Name, p.MinKeep, p.Alpha, res.Steps[2].Count)
		}
		if len(res.Selected) == 0 {
			fmt.Fprintf(stderr, "scirad select: signature %s: the LASSO kept no feature at %s = %.4g; its rad-score is the intercept alone\n", s.Name, res.Lasso.Rule, res.Lasso.Lambda)
		}
		for _, n := range res.Selected {
			if !slices.Contains(union, n) {
				union = append(union, n)
			}
		}
		results = append(results, res)
		fig.Signatures = append(fig.Signatures, newSignatureFigure(s.Name, res, y))
	}
	return union, results, fig, nil
}

// writeSelected writes t's ids, metadata, the union of selected columns
// (raw values) and one radscore_<signature> column per fitted signature.
func writeSelected(t *table.Table, union []string, sigs []selection.Signature, results []*selection.Result, path string) error {
	out, err := t.SelectColumns(union)
	if err != nil {
		return err
	}
	for k, s := range sigs {
		score, err := results[k].RadScore(t)
		if err != nil {
			return err
		}
		out.Names = append(out.Names, "radscore_"+s.Name)
		for i := range out.X {
			out.X[i] = append(out.X[i], score[i])
		}
	}
	return out.WriteFile(path)
}

// figureFile is the -figures JSON: per signature, everything the LASSO
// figures and the rad-score histogram need.
type figureFile struct {
	Signatures []signatureFigure `json:"signatures"`
}

type signatureFigure struct {
	Name      string                `json:"name"`
	Steps     []selection.StepCount `json:"steps"`
	Family    string                `json:"family"`
	Measure   string                `json:"measure"`
	Features  []string              `json:"lasso_features"`
	Lambda    []float64             `json:"lambda"`
	Beta      map[string][]float64  `json:"beta"`
	CVM       []float64             `json:"cvm"`
	CVSD      []float64             `json:"cvsd"`
	LambdaMin float64               `json:"lambda_min"`
	Lambda1SE float64               `json:"lambda_1se"`
	Chosen    float64               `json:"lambda_chosen"`
	Intercept float64               `json:"intercept"`
	Weights   []selection.Weight    `json:"weights"`
	Scores    []map[string]any      `json:"radscores"`
}

func newSignatureFigure(name string, r *selection.Result, y []int) signatureFigure {
	f := signatureFigure{
		Name: name, Steps: r.Steps, Family: r.Lasso.Family.String(), Measure: r.Lasso.Measure,
		Features: r.LassoNames(), Lambda: r.Lasso.Path.Lambda, Beta: map[string][]float64{},
		CVM: r.Lasso.CVM, CVSD: r.Lasso.CVSD, LambdaMin: r.Lasso.LambdaMin, Lambda1SE: r.Lasso.Lambda1SE,
		Chosen: r.Lasso.Lambda, Intercept: r.Intercept, Weights: r.Weights,
	}
	for j, n := range r.LassoNames() {
		col := make([]float64, len(r.Lasso.Path.Beta))
		for k, b := range r.Lasso.Path.Beta {
			col[k] = b[j]
		}
		f.Beta[n] = col
	}
	for i, id := range r.IDs {
		f.Scores = append(f.Scores, map[string]any{"id": id, "label": y[i], "radscore": r.Score[i]})
	}
	return f
}
