package evaluate

import (
	"errors"
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/classify"
)

// AUCResult is an AUC with its DeLong variance and confidence interval.
type AUCResult struct {
	// AUC is the Mann–Whitney area (ties count ½).
	AUC float64
	// Var is DeLong's variance estimate of AUC.
	Var float64
	// Low and High bound the confidence interval, clipped to [0, 1].
	Low, High float64
	// Level is the interval's confidence level (0.95).
	Level float64
	// N0, N1 are the numbers of controls (class 0) and cases (class 1).
	N0, N1 int
}

// checkScores validates paired scores and labels.
func checkScores(score []float64, y []int) (n0, n1 int, err error) {
	if len(score) != len(y) {
		return 0, 0, fmt.Errorf("evaluate: %d scores but %d labels", len(score), len(y))
	}
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, 0, fmt.Errorf("evaluate: score %d is %v: scores must be finite", i, s)
		}
		switch y[i] {
		case 0:
			n0++
		case 1:
			n1++
		default:
			return 0, 0, fmt.Errorf("evaluate: label %d of row %d is not 0 or 1", y[i], i)
		}
	}
	if n0 == 0 || n1 == 0 {
		return n0, n1, fmt.Errorf("evaluate: the labels hold a single class (%d rows): need both 0 and 1", len(y))
	}
	return n0, n1, nil
}

// psi is the Mann–Whitney kernel: 1 if the case outranks the control,
// ½ on a tie, 0 otherwise.
func psi(caseScore, controlScore float64) float64 {
	switch {
	case caseScore > controlScore:
		return 1
	case caseScore == controlScore:
		return 0.5
	}
	return 0
}

// AUC is the area under the ROC curve in Mann–Whitney form,
//
//	AUC = (1 / (n₀ n₁)) Σ_{i ∈ cases} Σ_{j ∈ controls} ψ(s_i, s_j),
//
// ψ(a, b) = 1 if a > b, ½ if a = b, 0 otherwise. Higher scores mean
// class 1. It is an error for a class to be absent.
func AUC(score []float64, y []int) (float64, error) {
	if _, _, err := checkScores(score, y); err != nil {
		return 0, err
	}
	// The O(n log n) mid-rank form (classify.AUC, which cross-validation
	// scores with) equals the pair count exactly: both are integers and
	// halves over n₀n₁. DeLong needs the placements, so it counts pairs.
	return classify.AUC(score, y), nil
}

// placements returns the AUC and DeLong's placement values: V₁₀ (sums over
// controls, one per case) and V₀₁ (sums over cases, one per control),
// not yet divided by n₀ and n₁.
func placements(score []float64, y []int) (auc float64, v10, v01 []float64) {
	var cases, controls []float64
	for i, s := range score {
		if y[i] == 1 {
			cases = append(cases, s)
		} else {
			controls = append(controls, s)
		}
	}
	v10 = make([]float64, len(cases))
	v01 = make([]float64, len(controls))
	var total float64
	for i, a := range cases {
		for j, b := range controls {
			p := psi(a, b)
			v10[i] += p
			v01[j] += p
			total += p
		}
	}
	return total / (float64(len(cases)) * float64(len(controls))), v10, v01
}

// DeLong returns the AUC with DeLong's variance and the normal confidence
// interval at level (0 means 0.95), as R pROC's ci.auc(method = "delong")
// with direction = "<". With V₁₀(i) = (1/n₀) Σ_j ψ(s_i, s_j) for each case
// i and V₀₁(j) = (1/n₁) Σ_i ψ(s_i, s_j) for each control j,
//
//	S₁₀ = Σ_i (V₁₀(i) − AUC)² / (n₁ − 1),   S₀₁ = Σ_j (V₀₁(j) − AUC)² / (n₀ − 1)
//	Var = S₁₀ / n₁ + S₀₁ / n₀
//	CI  = AUC ± z_{(1+level)/2} √Var, clipped to [0, 1].
//
// Special cases: a perfect separation has Var 0 and CI [AUC, AUC]. It is
// an error for either class to have fewer than two members (the variance
// is undefined).
func DeLong(score []float64, y []int, level float64) (AUCResult, error) {
	n0, n1, err := checkScores(score, y)
	if err != nil {
		return AUCResult{}, err
	}
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return AUCResult{}, fmt.Errorf("evaluate: confidence level %g is not in (0, 1)", level)
	}
	auc, v10, v01 := placements(score, y)
	r := AUCResult{AUC: auc, Level: level, N0: n0, N1: n1}
	if n0 < 2 || n1 < 2 {
		return r, errors.New("evaluate: DeLong variance needs at least two cases and two controls")
	}
	var s10, s01 float64
	for i := range v10 {
		d := v10[i]/float64(n0) - auc
		s10 += d * d
	}
	for j := range v01 {
		d := v01[j]/float64(n1) - auc
		s01 += d * d
	}
	s10 /= float64(n1 - 1)
	s01 /= float64(n0 - 1)
	r.Var = s10/float64(n1) + s01/float64(n0)
	z := normalQuantile((1 + level) / 2)
	sd := math.Sqrt(r.Var)
	r.Low = math.Max(0, auc-z*sd)
	r.High = math.Min(1, auc+z*sd)
	return r, nil
}

// normalQuantile is the standard normal quantile Φ⁻¹(p) = √2 erf⁻¹(2p − 1).
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}
