package selection

import (
	"fmt"
	"math"
	"sort"
)

// MannWhitney is the result of a two-sided Mann–Whitney U test.
type MannWhitney struct {
	U     float64 // U1 = R1 − n1(n1+1)/2, the statistic of the first sample
	P     float64 // two-sided p-value, clipped to [0, 1]
	Exact bool    // whether P comes from the exact null distribution
}

// MannWhitneyU tests whether x and y come from the same distribution,
// exactly as scipy.stats.mannwhitneyu(x, y) does with its defaults
// (SciPy 1.10: two-sided, use_continuity=True, method='auto'):
//
//	U1 = R1 − n1(n1+1)/2,   U = max(U1, n1·n2 − U1)
//
// If min(n1, n2) ≤ 8 and no value is tied, P = 2·Pr(U' ≥ U) under the exact
// null distribution of U' (the coefficients of the Gaussian binomial
// [n1+n2 choose n1]_q, Mann and Whitney 1947); otherwise P = 2·(1 − Φ(z))
// with the tie-corrected normal approximation and continuity correction
//
//	z = (U − n1·n2/2 − ½) / √( n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1))) )
//
// where t runs over the sizes of groups of tied values and n = n1 + n2.
//
// Special cases: an empty sample, a NaN, or all n1+n2 values equal (the
// variance of U is 0; scipy returns NaN) are errors.
func MannWhitneyU(x, y []float64) (MannWhitney, error) {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return MannWhitney{}, fmt.Errorf("selection: Mann–Whitney needs two non-empty samples (got %d and %d)", n1, n2)
	}
	xy := make([]float64, 0, n1+n2)
	xy = append(append(xy, x...), y...)
	for _, v := range xy {
		if math.IsNaN(v) {
			return MannWhitney{}, fmt.Errorf("selection: Mann–Whitney: NaN in the data")
		}
	}
	ranks, tieTerm := rankAverage(xy)
	var r1 float64
	for _, r := range ranks[:n1] {
		r1 += r
	}
	fn1, fn2 := float64(n1), float64(n2)
	u1 := r1 - fn1*(fn1+1)/2
	u := max(u1, fn1*fn2-u1)
	res := MannWhitney{U: u1}
	if (n1 <= 8 || n2 <= 8) && tieTerm == 0 {
		res.Exact = true
		res.P = min(1, 2*exactSF(int(u), n1, n2))
		return res, nil
	}
	n := fn1 + fn2
	s := math.Sqrt(fn1 * fn2 / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	if s == 0 {
		return MannWhitney{}, fmt.Errorf("selection: Mann–Whitney: all %d values are equal", n1+n2)
	}
	z := (u - fn1*fn2/2 - 0.5) / s
	res.P = min(1, math.Erfc(z/math.Sqrt2))
	return res, nil
}

// exactSF is Pr(U ≥ k) for the Mann–Whitney statistic of samples of sizes
// m and n without ties, by symmetry Pr(U ≤ mn − k): the cumulated
// coefficients of ∏_{i=1..m} (1 − q^{n+i})/(1 − q^i) divided by C(m+n, m).
// The coefficients are integers held exactly in float64 while C(m+n, m) <
// 2^53.
func exactSF(k, m, n int) float64 {
	if m > n {
		m, n = n, m
	}
	top := m * n
	c := make([]float64, top+1)
	c[0] = 1
	deg := 0
	for i := 1; i <= m; i++ {
		// multiply by (1 − q^{n+i})
		s := n + i
		for d := deg; d >= 0; d-- {
			if d+s <= top {
				c[d+s] -= c[d]
			}
		}
		deg = min(top, deg+s)
		// divide by (1 − q^i): running sum with stride i
		for d := i; d <= top; d++ {
			c[d] += c[d-i]
		}
	}
	total := 0.0
	for _, v := range c {
		total += v
	}
	var sum float64
	for d := 0; d <= top-k && d <= top; d++ {
		sum += c[d] / total
	}
	return sum
}

// rankAverage returns the ranks (1-based, ties get their average rank, as
// scipy.stats.rankdata's default) and the tie term Σ(t³ − t).
func rankAverage(x []float64) (ranks []float64, tieTerm float64) {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	ranks = make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // average of ranks i+1 … j
		for _, k := range idx[i:j] {
			ranks[k] = r
		}
		if t := float64(j - i); t > 1 {
			tieTerm += t*t*t - t
		}
		i = j
	}
	return ranks, tieTerm
}

// MannWhitneyFilter tests every column of X between the classes of y (0/1)
// and returns the p-values and the indices of the columns with p < alpha,
// in column order.
func MannWhitneyFilter(X [][]float64, y []int, alpha float64, names []string) (p []float64, keep []int, err error) {
	if len(X) != len(y) {
		panic(fmt.Sprintf("selection: %d rows but %d labels", len(X), len(y)))
	}
	if err := checkClasses(y); err != nil {
		return nil, nil, err
	}
	pk := 0
	if len(X) > 0 {
		pk = len(X[0])
	}
	p = make([]float64, pk)
	var a, b []float64
	for j := 0; j < pk; j++ {
		a, b = a[:0], b[:0]
		for i, row := range X {
			if y[i] == 1 {
				b = append(b, row[j])
			} else {
				a = append(a, row[j])
			}
		}
		r, err := MannWhitneyU(a, b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", featName(names, j), err)
		}
		p[j] = r.P
		if r.P < alpha {
			keep = append(keep, j)
		}
	}
	return p, keep, nil
}

func checkClasses(y []int) error {
	var n1 int
	for i, v := range y {
		switch v {
		case 0:
		case 1:
			n1++
		default:
			return fmt.Errorf("selection: label %d in row %d is not 0 or 1", v, i+1)
		}
	}
	if n1 == 0 || n1 == len(y) {
		return fmt.Errorf("selection: the labels hold a single class (all %d rows are %d): need both 0 and 1", len(y), y[0])
	}
	return nil
}
