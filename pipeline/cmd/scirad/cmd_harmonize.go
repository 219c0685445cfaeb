package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/harmonize"
	"github.com/scirad/scirad/pipeline/table"
)

// runHarmonize is `scirad harmonize`: ComBat across centres, learned on
// -fit (default: -in itself) and applied to -in.
func runHarmonize(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("harmonize", "-in features.csv -batch center [-covariates outcome,age] [-fit train.csv] -o harmonized.csv",
		"scirad harmonize -in test.csv -fit train.csv -batch center -covariates outcome,age -o test_harmonized.csv", stderr)
	in := fs.String("in", "", "feature table to harmonise (CSV)")
	batchCol := fs.String("batch", "center", "column naming each patient's centre")
	covList := fs.String("covariates", "", "comma-separated columns whose effect is preserved (numeric, or categorical: dummy-coded)")
	fitPath := fs.String("fit", "", "table to learn the ComBat model from (default: -in)")
	out := fs.String("o", "", "output table (CSV)")
	nonPar := fs.Bool("nonparametric", false, "non-parametric empirical-Bayes priors (sva par.prior=FALSE)")
	meanOnly := fs.Bool("mean-only", false, "adjust centre location only (needed when a centre has one patient)")
	strict := fs.Bool("strict", false, "refuse features constant within a centre instead of leaving them unadjusted (as sva does)")
	if err := parse(fs, args, "in", "o"); err != nil {
		return err
	}
	if err := distinctOutput(*out, *in, *fitPath); err != nil {
		return err
	}
	var covs []string
	if *covList != "" {
		for _, c := range strings.Split(*covList, ",") {
			if c = strings.TrimSpace(c); c != "" {
				covs = append(covs, c)
			}
		}
	}
	meta := append([]string{*batchCol}, covs...)
	target, err := table.ReadFile(*in, meta...)
	if err != nil {
		return err
	}
	train := target
	if *fitPath != "" {
		if train, err = table.ReadFile(*fitPath, meta...); err != nil {
			return err
		}
	}
	trBatch, err := train.MetaColumn(*batchCol)
	if err != nil {
		return fmt.Errorf("%s: %v", nameOr(*fitPath, *in), err)
	}
	enc, err := newCovariateEncoder(train, covs, nameOr(*fitPath, *in))
	if err != nil {
		return err
	}
	trCov, err := enc.encode(train, nameOr(*fitPath, *in))
	if err != nil {
		return err
	}
	o := harmonize.Options{NonParametric: *nonPar, MeanOnly: *meanOnly, RejectConstant: *strict, Names: train.Names, CovariateNames: enc.names}
	model, err := harmonize.Fit(train.X, trBatch, trCov, o)
	if err != nil {
		return fmt.Errorf("%s: %v", nameOr(*fitPath, *in), err)
	}
	// Apply to -in, with the training table's feature columns.
	aligned, err := target.SelectColumns(train.Names)
	if err != nil {
		return fmt.Errorf("%s: %v (the -fit table's features must all be present)", *in, err)
	}
	inBatch, err := target.MetaColumn(*batchCol)
	if err != nil {
		return fmt.Errorf("%s: %v", *in, err)
	}
	inCov, err := enc.encode(target, *in)
	if err != nil {
		return err
	}
	X, err := model.Apply(aligned.X, inBatch, inCov)
	if err != nil {
		return fmt.Errorf("%s: %v", *in, err)
	}
	aligned.X = X
	if err := aligned.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "harmonised %d patients × %d features across %d centres (%s); model from %d patients\n",
		aligned.Rows(), len(aligned.Names), len(model.Batches), strings.Join(model.Batches, ", "), sum(model.Counts))
	if n := len(model.Unadjusted); n > 0 {
		var names []string
		for _, j := range model.Unadjusted {
			names = append(names, train.Names[j])
		}
		if n > 5 {
			names = append(names[:5], fmt.Sprintf("… %d more", n-5))
		}
		fmt.Fprintf(stderr, "scirad harmonize: %d features constant within a centre were left unadjusted: %s\n", n, strings.Join(names, ", "))
	}
	return nil
}

func nameOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sum(x []int) int {
	s := 0
	for _, v := range x {
		s += v
	}
	return s
}

// distinctOutput refuses an output path that is one of the inputs.
func distinctOutput(out string, inputs ...string) error {
	ao, _ := filepath.Abs(out)
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if ai, _ := filepath.Abs(in); ai == ao {
			return fmt.Errorf("-o %s would overwrite an input", out)
		}
	}
	return nil
}

// covariateEncoder turns covariate columns into numbers: a numeric column
// as is, any other column as 0/1 indicators of its levels but the first
// (sorted), as R's model.matrix does with a factor.
type covariateEncoder struct {
	cols   []string
	levels [][]string // nil for numeric columns
	names  []string   // encoded column names
}

func newCovariateEncoder(t *table.Table, cols []string, file string) (*covariateEncoder, error) {
	e := &covariateEncoder{cols: cols}
	for _, c := range cols {
		vals, err := t.MetaColumn(c)
		if err != nil {
			return nil, fmt.Errorf("%s: covariate: %v", file, err)
		}
		numeric := true
		for _, v := range vals {
			if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
				numeric = false
				break
			}
		}
		if numeric {
			e.levels = append(e.levels, nil)
			e.names = append(e.names, c)
			continue
		}
		lv := slices.Clone(vals)
		sort.Strings(lv)
		lv = slices.Compact(lv)
		if len(lv) < 2 {
			return nil, fmt.Errorf("%s: covariate %q has a single level %q", file, c, lv[0])
		}
		e.levels = append(e.levels, lv)
		for _, l := range lv[1:] {
			e.names = append(e.names, c+"="+l)
		}
	}
	return e, nil
}

func (e *covariateEncoder) encode(t *table.Table, file string) ([][]float64, error) {
	if len(e.cols) == 0 {
		return nil, nil
	}
	out := make([][]float64, t.Rows())
	for i := range out {
		out[i] = make([]float64, 0, len(e.names))
	}
	for k, c := range e.cols {
		vals, err := t.MetaColumn(c)
		if err != nil {
			return nil, fmt.Errorf("%s: covariate: %v", file, err)
		}
		for i, v := range vals {
			if e.levels[k] == nil {
				x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return nil, fmt.Errorf("%s: row %s, covariate %q: %q is not a number", file, t.IDs[i], c, v)
				}
				out[i] = append(out[i], x)
				continue
			}
			if !slices.Contains(e.levels[k], v) {
				return nil, fmt.Errorf("%s: row %s, covariate %q: level %q was not in the training table", file, t.IDs[i], c, v)
			}
			for _, l := range e.levels[k][1:] {
				x := 0.0
				if v == l {
					x = 1
				}
				out[i] = append(out[i], x)
			}
		}
	}
	return out, nil
}
