package selection

import (
	"fmt"
	"math"
)

// MRMRCriterion chooses how relevance and redundancy are combined.
type MRMRCriterion int

const (
	// MIQ maximises the quotient relevance / redundancy (the zero value).
	MIQ MRMRCriterion = iota
	// MID maximises the difference relevance − redundancy.
	MID
)

func (c MRMRCriterion) String() string {
	if c == MID {
		return "MID"
	}
	return "MIQ"
}

// MRMR ranks features by minimum redundancy, maximum relevance (Peng, Long
// and Ding, IEEE TPAMI 27(8):1226–1238, 2005). Every feature is first
// discretised into three states at its mean ± Sigma·σ (the paper's
// discretisation of continuous data, σ the population SD; Sigma = 1 unless
// set), and mutual information is the plug-in estimate (natural logarithm)
//
//	I(a; b) = Σ_{u,v} p(u,v) log( p(u,v) / (p(u) p(v)) )
//
// from the empirical frequencies. The first feature is the one most
// relevant to the class, max I(x; y); each later one maximises, over the
// candidates x outside the selected set S,
//
//	MID: I(x; y) − (1/|S|) Σ_{s∈S} I(x; s)
//	MIQ: I(x; y) / ((1/|S|) Σ_{s∈S} I(x; s))
//
// A candidate with zero redundancy under MIQ has quotient +∞ when it is
// relevant and 0 when not. Ties go to the earlier column.
type MRMR struct {
	Criterion MRMRCriterion
	K         int     // features to select; 0 or more than available: all
	Sigma     float64 // discretisation half-width in SDs; 0 means 1
}

// Select returns the indices of the chosen columns of X, in the order
// chosen, and each one's criterion value at the time it was chosen
// (relevance for the first).
func (m MRMR) Select(X [][]float64, y []int) (idx []int, score []float64) {
	if len(X) != len(y) {
		panic(fmt.Sprintf("selection: %d rows but %d labels", len(X), len(y)))
	}
	if len(X) == 0 {
		return nil, nil
	}
	p := len(X[0])
	k := m.K
	if k <= 0 || k > p {
		k = p
	}
	sig := m.Sigma
	if sig == 0 {
		sig = 1
	}
	d := make([][]int, p)
	for j := 0; j < p; j++ {
		d[j] = discretise3(column(X, j), sig)
	}
	rel := make([]float64, p)
	for j := range rel {
		rel[j] = mutualInfo(d[j], y, 3, 2)
	}
	chosen := make([]bool, p)
	redSum := make([]float64, p)
	for len(idx) < k {
		best, bestV := -1, math.Inf(-1)
		for j := 0; j < p; j++ {
			if chosen[j] {
				continue
			}
			var v float64
			switch {
			case len(idx) == 0:
				v = rel[j]
			case m.Criterion == MID:
				v = rel[j] - redSum[j]/float64(len(idx))
			default:
				red := redSum[j] / float64(len(idx))
				switch {
				case red > 0:
					v = rel[j] / red
				case rel[j] > 0:
					v = math.Inf(1)
				default:
					v = 0
				}
			}
			if best < 0 || v > bestV {
				best, bestV = j, v
			}
		}
		chosen[best] = true
		idx = append(idx, best)
		score = append(score, bestV)
		for j := 0; j < p; j++ {
			if !chosen[j] {
				redSum[j] += mutualInfo(d[j], d[best], 3, 3)
			}
		}
	}
	return idx, score
}

// discretise3 maps x to 0 (x < μ − sσ), 1 (within) or 2 (x > μ + sσ).
func discretise3(x []float64, s float64) []int {
	m, sd := meanSD(x)
	out := make([]int, len(x))
	for i, v := range x {
		switch {
		case v < m-s*sd:
			out[i] = 0
		case v > m+s*sd:
			out[i] = 2
		default:
			out[i] = 1
		}
	}
	return out
}

// mutualInfo is the plug-in mutual information (nats) of two discrete
// variables with na and nb states.
func mutualInfo(a, b []int, na, nb int) float64 {
	joint := make([]float64, na*nb)
	pa := make([]float64, na)
	pb := make([]float64, nb)
	n := float64(len(a))
	for i := range a {
		joint[a[i]*nb+b[i]]++
		pa[a[i]]++
		pb[b[i]]++
	}
	var mi float64
	for u := 0; u < na; u++ {
		for v := 0; v < nb; v++ {
			c := joint[u*nb+v]
			if c == 0 {
				continue
			}
			mi += c / n * math.Log(c*n/(pa[u]*pb[v]))
		}
	}
	return mi
}
