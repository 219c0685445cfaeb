package main

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
)

// runClassify fits one model on a training table and writes the test
// table's predicted probabilities (see pipeline/classify).
func runClassify(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("classify",
		"-train train.csv -test test.csv -label target -model lr|svm|rf|nb|mlp|gbdt [-seed 1] [-grid] -o predictions.csv [-save model.json]",
		"scirad classify -train train.csv -test test.csv -label target -model rf -grid -o predictions.csv",
		stderr)
	train := fs.String("train", "", "training feature table (CSV)")
	test := fs.String("test", "", "table to predict (CSV); its feature columns are matched by name")
	label := fs.String("label", "target", "0/1 label column (1 = the positive class, e.g. good prognosis)")
	model := fs.String("model", "", "lr, svm, rf, nb, mlp or gbdt (scikit-learn defaults unless -grid)")
	seed := fs.Uint64("seed", 1, "seed of every random choice (forest bootstrap, MLP init, SVM Platt folds, CV folds)")
	grid := fs.Bool("grid", false, "choose hyperparameters by 5-fold stratified CV AUC on the training table (grids in pipeline/classify's doc)")
	out := fs.String("o", "", "output predictions CSV: id,label,probability")
	save := fs.String("save", "", "also write the fitted model (z-scoring, feature names and model) as JSON")
	if err := parse(fs, args, "train", "test", "model", "o"); err != nil {
		return err
	}
	if err := outpath.CheckAll([]string{*out, *save}, []string{*train, *test}); err != nil {
		return err
	}
	est, err := classify.New(*model, *seed)
	if err != nil {
		return err
	}
	tr, err := table.ReadFile(*train, *label)
	if err != nil {
		return err
	}
	te, err := table.ReadFile(*test, *label)
	if err != nil {
		return err
	}
	var p *classify.Pipeline
	if *grid {
		pts, err := classify.Grid(*model, *seed)
		if err != nil {
			return err
		}
		gs := classify.GridSearchCV{Points: pts, Seed: *seed}
		var r *classify.SearchResult
		if p, r, err = classify.SearchTable(gs, tr, *label); err != nil {
			return fmt.Errorf("%s: %v", *train, err)
		}
		fmt.Fprintf(stderr, "scirad classify: grid search chose %+v (5-fold CV AUC %.3f ± %.3f)\n", pts[r.Best], r.Scores[r.Best], r.SD[r.Best])
	} else if p, err = classify.FitTable(est, tr, *label); err != nil {
		return fmt.Errorf("%s: %v", *train, err)
	}
	prob, err := p.PredictTable(te)
	if err != nil {
		return fmt.Errorf("%s: %v", *test, err)
	}
	labels, _ := te.MetaColumn(*label) // optional in the test table
	err = table.WriteFileAtomic(*out, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "label", "probability"})
		for i, id := range te.IDs {
			l := ""
			if labels != nil {
				l = labels[i]
			}
			cw.Write([]string{id, l, table.FormatFloat(prob[i])})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	if *save != "" {
		data, err := classify.Marshal(p)
		if err != nil {
			return err
		}
		return table.WriteFileAtomic(*save, func(w io.Writer) error {
			_, err := w.Write(append(data, '\n'))
			return err
		})
	}
	return nil
}

// notAnInput refuses an output path that is one of the inputs, by file
// identity once links are followed (outpath.Check).
func notAnInput(out string, inputs ...string) error {
	return outpath.Check(out, inputs...)
}
