package selection

import (
	"math"
	"strings"
	"testing"
)

// TestBadInputMessages: every data problem of the selection steps is an
// error of one line naming the feature, row or count at fault.
func TestBadInputMessages(t *testing.T) {
	tb, y := synthTable(5)
	small := tb.Subset([]int{0, 1, 2})
	y3 := []int{0, 1, 1}
	flat := tb.Subset([]int{0, 1, 2, 3, 4, 5})
	for i := range flat.X {
		for j := range flat.X[i] {
			flat.X[i][j] = 7
		}
	}
	y6 := []int{0, 1, 0, 1, 0, 1}
	label2 := append([]int(nil), y...)
	label2[5] = 2
	noCols, _ := tb.SelectColumns(nil)
	res, err := (Pipeline{}).Fit(tb, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	sel := res.Weights[0].Name
	lacking, _ := tb.SelectColumns(tb.Names[:0])
	inf := tb.Subset([]int{0, 1})
	inf.X[1][tb.Col(sel)] = math.Inf(1)
	deepOnly, _ := tb.SelectColumns(tb.Names[1070:])

	X := [][]float64{{1, 2}, {2, 1}, {3, 3}, {4, 0}}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"label 2", func() error { _, err := (Pipeline{}).Fit(tb, label2, 1); return err },
			"selection: label 2 in row 6 is not 0 or 1"},
		{"three patients", func() error { _, err := (Pipeline{}).Fit(small, y3, 1); return err },
			"selection: 3 training patients: too few"},
		{"no feature columns", func() error { _, err := (Pipeline{}).Fit(noCols, y, 1); return err },
			"selection: the table has no feature columns"},
		{"every feature constant", func() error { _, err := (Pipeline{}).Fit(flat, y6, 1); return err },
			"selection: every feature is constant in the training split"},
		{"rad-score: missing column", func() error { _, err := res.RadScore(lacking); return err },
			`selection: rad-score: the table lacks selected feature "` + sel + `"`},
		{"rad-score: Inf", func() error { _, err := res.RadScore(inf); return err },
			`selection: rad-score: row ` + inf.IDs[1] + `, feature "` + sel + `": +Inf is not finite`},
		{"unknown signature", func() error { _, err := SignatureByName("ResNet50"); return err },
			`selection: unknown signature "ResNet50" (have Rad, ResNet18, ResNet34, ResNet152, Rad+ResNet18, Rad+ResNet34, Rad+ResNet152)`},
		{"signature without radiomics", func() error { s, _ := SignatureByName("Rad+ResNet34"); _, err := s.Table(deepOnly); return err },
			"selection: signature Rad+ResNet34 needs columns starting with lesion_ or cord_ or resnet34_"},
		{"LASSO: two rows", func() error { _, err := (Lasso{}).Fit(X[:2], []float64{0, 1}, nil); return err },
			"selection: LASSO needs at least 3 rows, got 2"},
		{"LASSO: no features", func() error { _, err := (Lasso{}).Fit([][]float64{{}, {}, {}}, []float64{0, 1, 0}, nil); return err },
			"selection: LASSO: no features"},
		{"LASSO: NaN response", func() error { _, err := (Lasso{}).Fit(X, []float64{0, math.NaN(), 1, 0}, nil); return err },
			"selection: LASSO: response in row 2 is NaN"},
		{"LASSO: binomial response 2", func() error {
			_, err := (Lasso{Family: Binomial}).Fit(X, []float64{0, 2, 1, 0}, nil)
			return err
		}, "selection: LASSO: binomial response in row 2 is 2, not 0 or 1"},
		{"LASSO: constant response", func() error { _, err := (Lasso{}).Fit(X, []float64{3, 3, 3, 3}, nil); return err },
			"selection: LASSO: the response is constant (3)"},
		{"LASSO CV: a fold with one class", func() error {
			_, err := LassoCV{Lasso: Lasso{Family: Binomial}, Folds: []int{1, 1, 2, 2, 3, 3}}.Fit(
				[][]float64{{1}, {2}, {3}, {4}, {5}, {6}}, []float64{0, 1, 1, 1, 1, 1}, nil)
			return err
		}, "selection: LASSO CV fold 1: LASSO: the labels hold a single class"},
		{"LASSO CV: two folds", func() error {
			_, err := LassoCV{NFolds: 2}.Fit(X, []float64{0, 1, 1, 0}, nil)
			return err
		}, "selection: LASSO CV needs at least 3 folds, got 2"},
		{"z-score: one row", func() error { _, err := FitZScore(X[:1], []string{"a", "b"}); return err },
			"selection: z-score needs at least 2 rows, got 1"},
		{"Spearman: constant", func() error {
			_, _, err := RedundancyFilter([][]float64{{1, 5}, {2, 5}, {3, 5}}, 0.9, []string{"a", "flat"})
			return err
		}, `selection: feature "flat" is constant: its Spearman correlation is undefined`},
		{"Mann–Whitney: empty", func() error { _, err := MannWhitneyU(nil, []float64{1}); return err },
			"selection: Mann–Whitney needs two non-empty samples (got 0 and 1)"},
		{"Mann–Whitney: NaN", func() error { _, err := MannWhitneyU([]float64{1, math.NaN()}, []float64{1, 2}); return err },
			"selection: Mann–Whitney: NaN in the data"},
	} {
		err := c.err()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v\nwant one line starting %s", c.name, err, c.want)
		}
	}
}

// TestLassoDegenerate: what FuzzLasso found. The default path's first λ
// has every coefficient exactly 0 (glmnet's df = 0 there), and a response
// no feature can explain is an error rather than an all-zero λ path.
func TestLassoDegenerate(t *testing.T) {
	X := [][]float64{{2.49e-06}, {2.48e-06}, {0.1}, {0}, {1}, {2}, {0}, {1}, {2}, {0}, {1}, {2}}
	y := []float64{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}
	p, err := (Lasso{NLambda: 20}).Fit(X, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Beta[0][0] != 0 || p.NonZero[0] != 0 {
		t.Errorf("first λ: β %v, %d nonzero", p.Beta[0], p.NonZero[0])
	}
	flat := [][]float64{{1, 5}, {1, 5}, {1, 5}, {1, 5}}
	for _, fam := range []Family{Gaussian, Binomial} {
		_, err := (Lasso{Family: fam}).Fit(flat, []float64{0, 1, 1, 0}, nil)
		if err == nil || err.Error() != "selection: LASSO: every feature is constant or uncorrelated with the response (λ_max = 0)" {
			t.Errorf("%v, constant features: %v", fam, err)
		}
	}
	// In cross-validation a fold whose training rows hold no varying
	// feature is the intercept-only model, not an error.
	cvX := [][]float64{{5}, {6}, {7}, {0}, {0}, {0}, {0}, {0}, {0}}
	cvY := []float64{3, 1, 2, 0, 1, 0, 2, 1, 0}
	if _, err := (LassoCV{Folds: []int{1, 1, 1, 2, 2, 2, 3, 3, 3}}).Fit(cvX, cvY, nil); err != nil {
		t.Errorf("CV with a constant fold: %v", err)
	}
}
