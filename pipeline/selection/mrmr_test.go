package selection

import (
	"math"
	"slices"
	"testing"
)

func TestMutualInfoClosedForm(t *testing.T) {
	// I(a; a) = H(a); a uniform on two states: ln 2.
	a := []int{0, 1, 0, 1, 0, 1, 0, 1}
	if got := mutualInfo(a, a, 2, 2); math.Abs(got-math.Ln2) > 1e-15 {
		t.Errorf("I(a;a) = %v, want ln 2", got)
	}
	// Independent by construction: every (u, v) pair once.
	b := []int{0, 0, 1, 1, 2, 2}
	c := []int{0, 1, 0, 1, 0, 1}
	if got := mutualInfo(b, c, 3, 2); math.Abs(got) > 1e-15 {
		t.Errorf("I(b;c) = %v, want 0", got)
	}
}

func TestMRMROrder(t *testing.T) {
	y := []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}
	// x0 is −2 in five patients of class 0, +2 in five of class 1 and 0
	// in one of each: mean 0, σ = √(40/12), states low/high/middle, so
	// I(x0; y) = ln 2 − (2/12) ln 2 = (5/6) ln 2. x1 is x0's copy
	// (maximally redundant); x2 has one extreme value per class, a
	// little relevance and little redundancy.
	x0 := []float64{-2, -2, -2, -2, -2, 0, 0, 2, 2, 2, 2, 2}
	x2 := []float64{-3, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0.1, 3}
	X := make([][]float64, len(y))
	for i := range y {
		X[i] = []float64{x0[i], x0[i], x2[i]}
	}
	for _, crit := range []MRMRCriterion{MID, MIQ} {
		idx, score := MRMR{Criterion: crit, K: 2}.Select(X, y)
		// x0 (the first of two maxima) then x2: x1's redundancy with x0
		// equals its relevance (MID 0, MIQ 1), x2's is far smaller.
		if !slices.Equal(idx, []int{0, 2}) {
			t.Errorf("%v: order %v, want [0 2]", crit, idx)
		}
		if math.Abs(score[0]-5*math.Ln2/6) > 1e-15 {
			t.Errorf("%v: first score %v, want (5/6) ln 2", crit, score[0])
		}
	}
	all, _ := MRMR{}.Select(X, y)
	if len(all) != 3 {
		t.Errorf("K = 0 selected %d, want all 3", len(all))
	}
}

func TestZScore(t *testing.T) {
	X := [][]float64{{1, 10}, {2, 10.5}, {3, 11}, {4, 12}}
	z, err := FitZScore(X, nil)
	if err != nil {
		t.Fatal(err)
	}
	// column 0: mean 2.5, population SD √1.25 (closed form)
	if math.Abs(z.Mean[0]-2.5) > 1e-15 || math.Abs(z.SD[0]-math.Sqrt(1.25)) > 1e-15 {
		t.Errorf("mean %v sd %v", z.Mean[0], z.SD[0])
	}
	Z := z.Apply(X)
	if math.Abs(Z[0][0]+1.5/math.Sqrt(1.25)) > 1e-15 {
		t.Errorf("z[0][0] = %v", Z[0][0])
	}
	if _, err := FitZScore([][]float64{{1, 2}, {1, 3}}, []string{"flat", "ok"}); err == nil || err.Error() != `selection: feature "flat" is constant (1 in all 2 rows): cannot z-score it` {
		t.Errorf("constant: err = %v", err)
	}
	if _, err := FitZScore([][]float64{{1}, {math.NaN()}}, []string{"bad"}); err == nil {
		t.Error("NaN: no error")
	}
}
