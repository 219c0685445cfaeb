package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/scirad/scirad/pipeline/harmonize"
	"github.com/scirad/scirad/pipeline/internal/outpath"
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
	if err := refuseOverwrite(*out, *in, *fitPath); err != nil {
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
	o := harmonize.Options{NonParametric: *nonPar, MeanOnly: *meanOnly, RejectConstant: *strict}
	model, err := harmonize.FitTable(train, *batchCol, covs, o)
	if err != nil {
		return fmt.Errorf("%s: %v", harmonizeSource(*fitPath, *in), err)
	}
	aligned, err := model.ApplyTable(target)
	if err != nil {
		return fmt.Errorf("%s: %v", *in, err)
	}
	if err := aligned.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "harmonised %d patients × %d features across %d centres (%s); model from %d patients\n",
		aligned.Rows(), len(aligned.Names), len(model.Batches), strings.Join(model.Batches, ", "), model.Rows())
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

func harmonizeSource(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// refuseOverwrite refuses an output path that is one of the inputs, by
// file identity once links are followed (outpath.Check).
func refuseOverwrite(out string, inputs ...string) error {
	return outpath.Check(out, inputs...)
}
