package cohort

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// TTestResult is the outcome of Student's two-sample t-test.
type TTestResult struct {
	T  float64 // the t statistic, positive when mean(a) > mean(b)
	DF float64 // degrees of freedom, n_a + n_b − 2
	P  float64 // two-sided p-value
}

// TTest is Student's two-sample t-test with pooled variance, the test
// scipy.stats.ttest_ind runs by default (equal_var=True) and the one that
// reproduces the paper's Table 1 p-values from its means and SDs:
//
//	s²  = ((n_a−1)s_a² + (n_b−1)s_b²) / (n_a+n_b−2)
//	t   = (x̄_a − x̄_b) / (s·√(1/n_a + 1/n_b))
//	p   = I_{ν/(ν+t²)}(ν/2, 1/2),  ν = n_a+n_b−2
//
// where I is the regularised incomplete beta function (the two-sided tail
// of Student's t).
//
// Special cases are:
//
//	fewer than two values in a group, or fewer than three in all: error
//	both groups constant and equal means: error (t is 0/0; scipy gives NaN)
//	both groups constant, different means: T = ±Inf, P = 0
func TTest(a, b []float64) (TTestResult, error) {
	na, nb := float64(len(a)), float64(len(b))
	if len(a) < 1 || len(b) < 1 || len(a)+len(b) < 3 {
		return TTestResult{}, fmt.Errorf("t-test needs at least one value per group and three in all, got %d and %d", len(a), len(b))
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	df := na + nb - 2
	pooled := ((na-1)*va + (nb-1)*vb) / df
	se := math.Sqrt(pooled * (1/na + 1/nb))
	diff := ma - mb
	if se == 0 {
		if diff == 0 {
			return TTestResult{DF: df}, errors.New("t-test undefined: both groups constant with equal means")
		}
		return TTestResult{T: math.Copysign(math.Inf(1), diff), DF: df, P: 0}, nil
	}
	t := diff / se
	p := mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
	return TTestResult{T: t, DF: df, P: p}, nil
}

// meanVar is the mean and the unbiased (n−1) variance; the variance of one
// value is 0.
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		d := v - mean
		variance += d * d
	}
	return mean, variance / float64(len(x)-1)
}

// ChiSquareResult is the outcome of Pearson's chi-square test of
// independence.
type ChiSquareResult struct {
	Chi2 float64 // the statistic
	DF   int     // (rows−1)(columns−1) after dropping empty rows and columns
	P    float64 // upper-tail p-value
}

// ChiSquare is Pearson's chi-square test of independence on a contingency
// table of counts (rows = categories, columns = groups), without Yates'
// continuity correction:
//
//	Eᵢⱼ = rowᵢ·colⱼ / N
//	χ²  = Σᵢⱼ (Oᵢⱼ − Eᵢⱼ)² / Eᵢⱼ
//	p   = Q(ν/2, χ²/2),  ν = (r−1)(c−1)
//
// where Q is the regularised upper incomplete gamma function. This is
// scipy.stats.chi2_contingency(table, correction=False); without the
// correction it reproduces the paper's sex p-value (0.052; Yates gives
// 0.093), so the paper did not apply it either.
//
// Rows and columns whose total is zero (a category nobody has) are dropped
// first; scipy refuses such tables instead.
//
// Special cases are:
//
//	fewer than two non-empty rows or columns: error (the test is undefined)
//	negative or non-finite counts: error
func ChiSquare(table [][]float64) (ChiSquareResult, error) {
	if len(table) == 0 {
		return ChiSquareResult{}, errors.New("chi-square: empty table")
	}
	nc := len(table[0])
	for _, r := range table {
		if len(r) != nc {
			panic("cohort: ragged contingency table")
		}
		for _, x := range r {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return ChiSquareResult{}, fmt.Errorf("chi-square: count %g is not a non-negative number", x)
			}
		}
	}
	rowSum := make([]float64, len(table))
	colSum := make([]float64, nc)
	var total float64
	for i, r := range table {
		for j, x := range r {
			rowSum[i] += x
			colSum[j] += x
			total += x
		}
	}
	var rows, cols []int
	for i, s := range rowSum {
		if s > 0 {
			rows = append(rows, i)
		}
	}
	for j, s := range colSum {
		if s > 0 {
			cols = append(cols, j)
		}
	}
	if len(rows) < 2 || len(cols) < 2 {
		return ChiSquareResult{}, fmt.Errorf("chi-square undefined: %d non-empty categories and %d non-empty groups (need 2 each)", len(rows), len(cols))
	}
	var chi2 float64
	for _, i := range rows {
		for _, j := range cols {
			e := rowSum[i] * colSum[j] / total
			d := table[i][j] - e
			chi2 += d * d / e
		}
	}
	df := (len(rows) - 1) * (len(cols) - 1)
	p := mathext.GammaIncRegComp(float64(df)/2, chi2/2)
	return ChiSquareResult{Chi2: chi2, DF: df, P: p}, nil
}
