package evaluate

import (
	"fmt"
	"math"
	"slices"
)

// Metrics are the threshold metrics of the paper's Tables 2 and 3.
type Metrics struct {
	// Threshold is the cut-off: score ≥ Threshold is called positive.
	Threshold float64
	// N is the number of rows; TP, FP, TN, FN the confusion counts.
	N, TP, FP, TN, FN int
	// Accuracy = (TP + TN) / N.
	Accuracy float64
	// Sensitivity = TP / (TP + FN), the true-positive rate.
	Sensitivity float64
	// Specificity = TN / (TN + FP), the true-negative rate.
	Specificity float64
	// PPV = TP / (TP + FP), the positive predictive value; NaN (undefined,
	// written "NA") when nothing is called positive.
	PPV float64
	// NPV = TN / (TN + FN), the negative predictive value; NaN (undefined,
	// written "NA") when nothing is called negative.
	NPV float64
}

// AtThreshold returns the metrics of calling score ≥ t positive.
func AtThreshold(score []float64, y []int, t float64) (Metrics, error) {
	if _, _, err := checkScores(score, y); err != nil {
		return Metrics{}, err
	}
	if math.IsNaN(t) {
		return Metrics{}, fmt.Errorf("evaluate: threshold is NaN")
	}
	m := Metrics{Threshold: t, N: len(y)}
	for i, s := range score {
		pos := s >= t
		switch {
		case pos && y[i] == 1:
			m.TP++
		case pos:
			m.FP++
		case y[i] == 1:
			m.FN++
		default:
			m.TN++
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return math.NaN()
		}
		return float64(a) / float64(b)
	}
	m.Accuracy = ratio(m.TP+m.TN, m.N)
	m.Sensitivity = ratio(m.TP, m.TP+m.FN)
	m.Specificity = ratio(m.TN, m.TN+m.FP)
	m.PPV = ratio(m.TP, m.TP+m.FP)
	m.NPV = ratio(m.TN, m.TN+m.FN)
	return m, nil
}

// Youden returns the threshold maximising J = Sensitivity + Specificity − 1
// over the midpoints between adjacent distinct scores and ±Inf; among
// equal J (within 1e-12) the highest threshold wins (see the package doc).
func Youden(score []float64, y []int) (float64, error) {
	n0, n1, err := checkScores(score, y)
	if err != nil {
		return 0, err
	}
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	// Descending scores: lowering the threshold past each distinct value
	// moves its rows to the positive side.
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	best, bestJ := math.Inf(1), -1.0 // +Inf: nobody positive, J = 0
	bestJ = 0
	var tp, fp int
	for k := 0; k < len(idx); {
		v := score[idx[k]]
		for k < len(idx) && score[idx[k]] == v {
			if y[idx[k]] == 1 {
				tp++
			} else {
				fp++
			}
			k++
		}
		t := math.Inf(-1)
		if k < len(idx) {
			t = v/2 + score[idx[k]]/2
		}
		J := float64(tp)/float64(n1) - float64(fp)/float64(n0)
		if J > bestJ+1e-12 {
			best, bestJ = t, J
		}
	}
	return best, nil
}

// Result is a model's row of Table 2 or 3: AUC with CI and the threshold
// metrics.
type Result struct {
	AUC     AUCResult
	Metrics Metrics
}

// Assess returns the AUC with its 95 % DeLong CI and the metrics at t.
func Assess(score []float64, y []int, t float64) (Result, error) {
	a, err := DeLong(score, y, 0.95)
	if err != nil {
		return Result{}, err
	}
	m, err := AtThreshold(score, y, t)
	if err != nil {
		return Result{}, err
	}
	return Result{AUC: a, Metrics: m}, nil
}

// TrainTest is the paper's evaluation of one model: the Youden threshold
// is chosen on the training scores and applied to both cohorts.
func TrainTest(trainScore []float64, trainY []int, testScore []float64, testY []int) (train, test Result, err error) {
	t, err := Youden(trainScore, trainY)
	if err != nil {
		return train, test, fmt.Errorf("training set: %v", err)
	}
	if train, err = Assess(trainScore, trainY, t); err != nil {
		return train, test, fmt.Errorf("training set: %v", err)
	}
	if test, err = Assess(testScore, testY, t); err != nil {
		return train, test, fmt.Errorf("test set: %v", err)
	}
	return train, test, nil
}
