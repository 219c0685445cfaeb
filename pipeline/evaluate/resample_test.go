package evaluate

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/classify"
)

// data returns n rows of p standard-normal features; when signal, the
// first two shift by 1.5 with the class.
func data(n, p int, signal bool, seed uint64) ([][]float64, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	X := make([][]float64, n)
	y := make([]int, n)
	for i := range X {
		y[i] = i % 2
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = r.NormFloat64()
			if signal && j < 2 {
				X[i][j] += 1.5 * float64(y[i])
			}
		}
	}
	return X, y
}

func lrFactory(uint64) classify.Estimator {
	return classify.Standardized{Model: classify.LogisticRegression{}}
}

// TestRepeatedCV: 5 × 5 gives 25 fold AUCs, well above chance on
// informative data, and the same numbers for the same seed.
func TestRepeatedCV(t *testing.T) {
	X, y := data(60, 5, true, 1)
	a, err := RepeatedCV(lrFactory, X, y, 5, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.FoldAUC) != 25 || len(a.RepeatAUC) != 5 || a.Mean < 0.75 || a.SD <= 0 || a.Min > a.Mean || a.Max < a.Mean {
		t.Errorf("%+v", a)
	}
	b, _ := RepeatedCV(lrFactory, X, y, 5, 5, 1)
	if a.Mean != b.Mean {
		t.Error("same seed, different result")
	}
}

// TestPermutationTest: informative data reach the smallest attainable p
// (1/21 with 20 permutations); pure noise does not.
func TestPermutationTest(t *testing.T) {
	X, y := data(60, 5, true, 2)
	r, err := PermutationTest(lrFactory, X, y, 5, 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.P != 1.0/21 || len(r.Null) != 20 {
		t.Errorf("informative: p = %v, observed %v", r.P, r.Observed)
	}
	X, y = data(60, 5, false, 3)
	r, err = PermutationTest(lrFactory, X, y, 5, 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.P < 0.1 {
		t.Errorf("noise: p = %v, observed %v", r.P, r.Observed)
	}
}

// TestOptimism: logistic regression on 12 noise features and 40 rows
// overfits, so its apparent AUC is far above chance, and the bootstrap
// takes a good part of that back (not all: Harrell's estimate is known to
// under-correct when n is small and p large, because each bootstrap model
// has seen about 63 % of the original rows).
func TestOptimism(t *testing.T) {
	X, y := data(40, 12, false, 4)
	r, err := OptimismCorrectedAUC(lrFactory, X, y, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Apparent < 0.8 || r.Optimism < 0.1 || r.Corrected > r.Apparent-0.1 || r.B != 50 {
		t.Errorf("%+v", r)
	}
	rf := func(seed uint64) classify.Estimator { return classify.RandomForest{Trees: 20, Seed: seed} }
	m, _ := rf(1).Fit(X, y)
	imp, err := ForestImportance(m)
	if err != nil || len(imp) != 12 {
		t.Errorf("importance %v, %v", imp, err)
	}
	lr, _ := classify.LogisticRegression{}.Fit(X, y)
	if _, err := ForestImportance(lr); err == nil {
		t.Error("importance of a logistic model accepted")
	}
}

// TestRobustnessTable: a candidate and a reported row, four decimals in
// the CSV, three in the HTML, empty cells where a row has no value.
func TestRobustnessTable(t *testing.T) {
	X, y := data(40, 3, true, 5)
	cv, err := CrossValidate(context.Background(), fixedFeatures{lrFactory, X}, identity(40), y, ResampleOptions{Repeats: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	perm := PermResult{P: 1.0 / 6}
	boot := ProcedureOptimism{Harrell: OptimismResult{Apparent: 0.9, Optimism: 0.05, Corrected: 0.85, B: 5},
		Plus632: OptimismResult{Apparent: 0.9, Optimism: 0.1, Corrected: 0.8, B: 5}, OOB: 0.75}
	c := cv.Candidates[0]
	rows := []RobustnessRow{
		{Signature: "Rad+ResNet34", Model: "lr", Reported: true, CV: &cv.Chosen, Perm: &perm, Boot: &boot},
		{Signature: "Rad+ResNet34", Model: "lr", CV: &c, Note: "a note, with a comma"},
		{Signature: "ResNet18", Model: "rf", Note: "not resampled"},
	}
	var b strings.Builder
	if err := WriteRobustnessCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != strings.Join(RobustnessCSVHeader, ",") || !strings.HasPrefix(lines[1], "Rad+ResNet34,lr,reported,0.") ||
		!strings.Contains(lines[1], ",10/10,0.1667,0.9000,0.1000,0.8000,0.7500,0.0500,0.8500,,,,,") || !strings.HasSuffix(lines[2], `"a note, with a comma"`) ||
		lines[3] != "ResNet18,rf,candidate,,,,,,,,,,,,,,,,,not resampled" {
		t.Errorf("%q", lines)
	}
	b.Reset()
	if err := WriteRobustnessHTML(&b, "Beyond the paper", rows); err != nil {
		t.Fatal(err)
	}
	if h := b.String(); !strings.Contains(h, "<td>Rad + ResNet34</td><td>reported: LR</td>") || !strings.Contains(h, "<td>0.800 (apparent 0.900)</td><td>0.850</td>") {
		t.Error(h)
	}
}
