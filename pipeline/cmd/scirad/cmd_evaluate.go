package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
)

// runEvaluate computes the AUC with its DeLong CI and the threshold metrics
// of one predictions file (see pipeline/evaluate).
func runEvaluate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("evaluate",
		"-in predictions.csv [-label label -score probability] [-threshold youden|0.5|x] [-train train_predictions.csv] [-o metrics.csv]",
		"scirad evaluate -in test_predictions.csv -train train_predictions.csv -o metrics.csv",
		stderr)
	in := fs.String("in", "", "predictions CSV (id, label, score columns), e.g. from scirad classify")
	label := fs.String("label", "label", "0/1 label column")
	score := fs.String("score", "probability", "score column (higher = class 1)")
	thr := fs.String("threshold", "youden", "cut-off: youden, or a number (score >= it is positive)")
	train := fs.String("train", "", "with -threshold youden: choose the threshold on these (training) predictions instead of on -in")
	out := fs.String("o", "", "output metrics CSV (default: standard output)")
	if err := parse(fs, args, "in"); err != nil {
		return err
	}
	if *out != "" {
		if err := notAnInput(*out, *in, *train); err != nil {
			return err
		}
	}
	s, y, err := readPredictions(*in, *label, *score)
	if err != nil {
		return err
	}
	var t float64
	switch {
	case *thr == "youden" && *train != "":
		ts, ty, err := readPredictions(*train, *label, *score)
		if err != nil {
			return err
		}
		if t, err = evaluate.Youden(ts, ty); err != nil {
			return fmt.Errorf("%s: %v", *train, err)
		}
	case *thr == "youden":
		if t, err = evaluate.Youden(s, y); err != nil {
			return fmt.Errorf("%s: %v", *in, err)
		}
		fmt.Fprintf(stderr, "scirad evaluate: threshold %s chosen by Youden on %s itself (apparent metrics; pass -train to choose it on training predictions, as the paper does)\n", table.FormatFloat(t), *in)
	default:
		if t, err = strconv.ParseFloat(*thr, 64); err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("-threshold %s: want youden or a finite number", outpath.Quote(*thr))
		}
	}
	r, err := evaluate.Assess(s, y, t)
	if err != nil {
		return fmt.Errorf("%s: %v", *in, err)
	}
	write := func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(strings.Split("n,auc,auc_ci_low,auc_ci_high,threshold,acc,sen,spe,ppv,npv", ","))
		m := r.Metrics
		rec := []string{strconv.Itoa(m.N)}
		for _, v := range []float64{r.AUC.AUC, r.AUC.Low, r.AUC.High, m.Threshold, m.Accuracy, m.Sensitivity, m.Specificity, m.PPV, m.NPV} {
			rec = append(rec, table.FormatFloat(v))
		}
		cw.Write(rec)
		cw.Flush()
		return cw.Error()
	}
	if *out == "" {
		return write(stdout)
	}
	return table.WriteFileAtomic(*out, write)
}

// readPredictions reads the label and score columns of a predictions file.
func readPredictions(path, label, score string) ([]float64, []int, error) {
	t, err := table.ReadFile(path, label)
	if err != nil {
		return nil, nil, err
	}
	y, err := t.Labels(label)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	j := t.Col(score)
	if j < 0 {
		return nil, nil, fmt.Errorf("%s: no score column %q (have %s)", path, score, strings.Join(t.Names, ", "))
	}
	return t.Column(j), y, nil
}
