package selection

import (
	"fmt"
	"math"
)

// Spearman is Spearman's rank correlation of x and y: Pearson's
// correlation of their average ranks (scipy.stats.spearmanr):
//
//	ρ = Σ (r_i − r̄)(s_i − s̄) / √( Σ (r_i − r̄)² Σ (s_i − s̄)² )
//
// A constant x or y has no rank correlation; Spearman returns NaN, and the
// filters below refuse such columns before they get here.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("selection: Spearman length mismatch")
	}
	rx, _ := rankAverage(x)
	ry, _ := rankAverage(y)
	return pearson(rx, ry)
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// SpearmanMatrix returns the p×p matrix of Spearman correlations between
// the columns of X. A constant column is an error naming it.
func SpearmanMatrix(X [][]float64, names []string) ([][]float64, error) {
	if len(X) == 0 {
		return nil, nil
	}
	p := len(X[0])
	n := len(X)
	// Centre and scale the ranks once, so each pair is a dot product.
	r := make([][]float64, p)
	for j := 0; j < p; j++ {
		rk, _ := rankAverage(column(X, j))
		var m float64
		for _, v := range rk {
			m += v
		}
		m /= float64(n)
		var ss float64
		for i := range rk {
			rk[i] -= m
			ss += rk[i] * rk[i]
		}
		if ss == 0 {
			return nil, fmt.Errorf("selection: %s is constant: its Spearman correlation is undefined", featName(names, j))
		}
		s := 1 / math.Sqrt(ss)
		for i := range rk {
			rk[i] *= s
		}
		r[j] = rk
	}
	rho := make([][]float64, p)
	for j := range rho {
		rho[j] = make([]float64, p)
		rho[j][j] = 1
	}
	for a := 0; a < p; a++ {
		for b := a + 1; b < p; b++ {
			var d float64
			for i, v := range r[a] {
				d += v * r[b][i]
			}
			rho[a][b], rho[b][a] = d, d
		}
	}
	return rho, nil
}

// RedundancyFilter removes redundant features by greedy recursive deletion
// (the paper's "retaining only one feature from any pair with a correlation
// coefficient greater than 0.9 … removing the feature with the highest
// redundancy in each iteration"). With ρ the Spearman matrix of the
// remaining features, each round:
//
//  1. counts, for every remaining feature, its partners with |ρ| > threshold;
//  2. stops if every count is 0;
//  3. otherwise deletes the most redundant feature: the largest count; among
//     equal counts the largest mean |ρ| to all other remaining features;
//     among equal means (within 1e-12) the later column, so the earlier
//     one is kept.
//
// It returns the indices kept (in column order) and those dropped, in the
// order they were dropped.
func RedundancyFilter(X [][]float64, threshold float64, names []string) (keep, dropped []int, err error) {
	rho, err := SpearmanMatrix(X, names)
	if err != nil {
		return nil, nil, err
	}
	p := len(rho)
	alive := make([]bool, p)
	for j := range alive {
		alive[j] = true
	}
	for {
		best, bestCount, bestMean := -1, 0, 0.0
		nAlive := 0
		for j := range alive {
			if alive[j] {
				nAlive++
			}
		}
		for j := 0; j < p; j++ {
			if !alive[j] {
				continue
			}
			count := 0
			var sum float64
			for k := 0; k < p; k++ {
				if k == j || !alive[k] {
					continue
				}
				a := math.Abs(rho[j][k])
				sum += a
				if a > threshold {
					count++
				}
			}
			if count == 0 {
				continue
			}
			mean := sum / float64(nAlive-1)
			// Means within 1e-12 count as equal: summing the same
			// |ρ| values in another order may differ in the last bit.
			if count > bestCount || (count == bestCount && mean >= bestMean-1e-12) {
				best, bestCount, bestMean = j, count, mean
			}
		}
		if best < 0 {
			break
		}
		alive[best] = false
		dropped = append(dropped, best)
	}
	for j, a := range alive {
		if a {
			keep = append(keep, j)
		}
	}
	return keep, dropped, nil
}
