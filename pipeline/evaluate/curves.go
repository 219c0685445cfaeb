package evaluate

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// ROCPoint is one point of an ROC curve: calling score ≥ Threshold
// positive gives false-positive rate FPR = 1 − specificity and
// true-positive rate TPR = sensitivity.
type ROCPoint struct {
	Threshold, FPR, TPR float64
}

// ROC returns the ROC curve from (0, 0) at threshold +Inf through one point
// per distinct score (threshold = that score), in decreasing threshold
// order, ending at (1, 1), as scikit-learn's roc_curve with
// drop_intermediate=False.
func ROC(score []float64, y []int) ([]ROCPoint, error) {
	n0, n1, err := checkScores(score, y)
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	pts := []ROCPoint{{Threshold: math.Inf(1)}}
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
		pts = append(pts, ROCPoint{Threshold: v, FPR: float64(fp) / float64(n0), TPR: float64(tp) / float64(n1)})
	}
	return pts, nil
}

// checkProba validates probabilities in [0, 1].
func checkProba(p []float64, y []int) error {
	if _, _, err := checkScores(p, y); err != nil {
		return err
	}
	for i, v := range p {
		if v < 0 || v > 1 {
			return fmt.Errorf("evaluate: probability %d is %v, outside [0, 1]", i, v)
		}
	}
	return nil
}

// NetBenefit is one point of a decision curve.
type NetBenefit struct {
	// Threshold is the threshold probability p_t: treat when p ≥ p_t.
	Threshold float64
	// Model is the model's net benefit, TP/n − FP/n · p_t/(1 − p_t).
	Model float64
	// TreatAll is the net benefit of treating everyone,
	// π − (1 − π) p_t/(1 − p_t), π the prevalence.
	TreatAll float64
	// TreatNone is the net benefit of treating no one, 0.
	TreatNone float64
}

// DecisionCurve returns the net benefit (Vickers and Elkin 2006) at each
// threshold probability (each in (0, 1)); nil thresholds means 0.01, 0.02,
// …, 0.99.
func DecisionCurve(p []float64, y []int, thresholds []float64) ([]NetBenefit, error) {
	if err := checkProba(p, y); err != nil {
		return nil, err
	}
	if thresholds == nil {
		for k := 1; k < 100; k++ {
			thresholds = append(thresholds, float64(k)/100)
		}
	}
	n := float64(len(y))
	var n1 int
	for _, v := range y {
		n1 += v
	}
	prev := float64(n1) / n
	out := make([]NetBenefit, len(thresholds))
	for k, pt := range thresholds {
		if !(pt > 0 && pt < 1) {
			return nil, fmt.Errorf("evaluate: decision-curve threshold %v is not in (0, 1)", pt)
		}
		w := pt / (1 - pt)
		var tp, fp int
		for i, v := range p {
			if v >= pt {
				if y[i] == 1 {
					tp++
				} else {
					fp++
				}
			}
		}
		out[k] = NetBenefit{
			Threshold: pt,
			Model:     float64(tp)/n - float64(fp)/n*w,
			TreatAll:  prev - (1-prev)*w,
		}
	}
	return out, nil
}

// CalibrationBin is one bin of a calibration curve.
type CalibrationBin struct {
	// Lo, Hi bound the bin: (Lo, Hi], the first one [0, Hi].
	Lo, Hi float64
	// N is the number of predictions in the bin.
	N int
	// MeanPredicted is their mean probability; FractionPositive the share
	// of class 1 among them.
	MeanPredicted, FractionPositive float64
}

// CalibrationCurve bins the probabilities into bins equal-width bins on
// [0, 1] (zero means 10) and returns the non-empty ones, as
// scikit-learn's calibration_curve(strategy="uniform"): bin k holds
// (k/bins, (k+1)/bins], the first bin includes 0.
func CalibrationCurve(p []float64, y []int, bins int) ([]CalibrationBin, error) {
	if err := checkProba(p, y); err != nil {
		return nil, err
	}
	if bins == 0 {
		bins = 10
	}
	if bins < 1 {
		return nil, fmt.Errorf("evaluate: %d calibration bins", bins)
	}
	step := 1 / float64(bins)
	edges := make([]float64, bins+1)
	for k := range edges {
		edges[k] = float64(k) * step
	}
	edges[bins] = 1
	cnt := make([]int, bins)
	sumP := make([]float64, bins)
	pos := make([]int, bins)
	for i, v := range p {
		// The number of interior edges strictly below v.
		k, _ := slices.BinarySearch(edges[1:bins], v)
		cnt[k]++
		sumP[k] += v
		pos[k] += y[i]
	}
	var out []CalibrationBin
	for k := 0; k < bins; k++ {
		if cnt[k] == 0 {
			continue
		}
		out = append(out, CalibrationBin{Lo: edges[k], Hi: edges[k+1], N: cnt[k],
			MeanPredicted: sumP[k] / float64(cnt[k]), FractionPositive: float64(pos[k]) / float64(cnt[k])})
	}
	return out, nil
}

// Brier is the Brier score, (1/n) Σ (p_i − y_i)².
func Brier(p []float64, y []int) (float64, error) {
	if err := checkProba(p, y); err != nil {
		return 0, err
	}
	var s float64
	for i, v := range p {
		d := v - float64(y[i])
		s += d * d
	}
	return s / float64(len(p)), nil
}

// HosmerLemeshow is the result of the Hosmer–Lemeshow goodness-of-fit test.
type HosmerLemeshow struct {
	// Statistic is Ĉ = Σ_groups (O₁ − E₁)²/E₁ + (O₀ − E₀)²/E₀, with O the
	// observed and E the expected (Σ p, Σ 1 − p) counts of each class.
	Statistic float64
	// Groups is the number of groups used; DF = Groups − 2.
	Groups, DF int
	// P is the upper tail of χ²(DF) at Statistic.
	P float64
}

// HosmerLemeshowTest groups the rows by quantiles of the predicted
// probability, as R ResourceSelection's hoslem.test(g): breaks at the
// type-7 quantiles of p at 0, 1/g, …, 1 (duplicates dropped), intervals
// (a, b] with the lowest closed. Zero g means 10. DF is the number of
// groups left minus 2; hoslem.test keeps g − 2 even when tied
// probabilities merge groups, which overstates the degrees of freedom, so
// the two differ only then. It is an error for fewer than three groups to
// remain, or for a group to have an expected count of zero.
func HosmerLemeshowTest(p []float64, y []int, g int) (HosmerLemeshow, error) {
	if err := checkProba(p, y); err != nil {
		return HosmerLemeshow{}, err
	}
	if g == 0 {
		g = 10
	}
	sorted := slices.Clone(p)
	slices.Sort(sorted)
	n := float64(len(sorted))
	var breaks []float64
	for k := 0; k <= g; k++ {
		// R: probs = seq(0, 1, 1/g) = k·(1/g); index = (n − 1)·prob.
		h := (n - 1) * (float64(k) * (1 / float64(g)))
		lo := int(math.Floor(h))
		hi := min(lo+1, len(sorted)-1)
		q := sorted[lo]
		if f := h - float64(lo); f > 0 && sorted[hi] != q {
			q = (1-f)*q + f*sorted[hi]
		}
		if len(breaks) == 0 || q != breaks[len(breaks)-1] {
			breaks = append(breaks, q)
		}
	}
	groups := len(breaks) - 1
	if groups < 3 {
		return HosmerLemeshow{}, fmt.Errorf("evaluate: Hosmer–Lemeshow: only %d distinct probability groups, need at least 3", groups)
	}
	o1 := make([]float64, groups)
	e1 := make([]float64, groups)
	cnt := make([]float64, groups)
	for i, v := range p {
		k, _ := slices.BinarySearch(breaks[1:], v) // (b_k, b_{k+1}], lowest closed
		k = min(k, groups-1)
		o1[k] += float64(y[i])
		e1[k] += v
		cnt[k]++
	}
	var c float64
	for k := 0; k < groups; k++ {
		e0 := cnt[k] - e1[k]
		o0 := cnt[k] - o1[k]
		if e1[k] == 0 || e0 == 0 {
			return HosmerLemeshow{}, fmt.Errorf("evaluate: Hosmer–Lemeshow: group %d has an expected count of zero", k+1)
		}
		c += (o1[k]-e1[k])*(o1[k]-e1[k])/e1[k] + (o0-e0)*(o0-e0)/e0
	}
	df := groups - 2
	return HosmerLemeshow{Statistic: c, Groups: groups, DF: df,
		P: distuv.ChiSquared{K: float64(df)}.Survival(c)}, nil
}
