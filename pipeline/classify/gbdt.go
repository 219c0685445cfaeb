package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// GBDT is gradient-boosted decision trees in LightGBM's style, matching
// scikit-learn's HistGradientBoostingClassifier(loss="log_loss") defaults.
//
// Features are binned once: a feature with at most MaxBins distinct values
// gets a bin edge midway between each adjacent pair; otherwise the edges
// are the MaxBins−1 interior percentiles (numpy's midpoint rule),
// deduplicated.
// Boosting starts from the training log-odds F₀ = log(p̄ / (1 − p̄)); round
// m fits one tree to the log-loss gradients g_i = σ(F(x_i)) − y_i and
// hessians h_i = σ(F)(1 − σ(F)), grown leaf-wise (best-first: always split
// the leaf with the largest gain) up to NumLeaves leaves, where a split of
// a node into L and R gains
//
//	gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
//
// (G, H the sums of g, h), each child must keep MinDataInLeaf rows and a
// hessian sum of at least 1e-3, and only positive gains split. A leaf adds
//
//	−η G / (H + λ)
//
// to F. P(1 | x) = σ(F(x)). The model is deterministic: it uses every row
// and every feature in every round.
//
// Two details make the trees the same as scikit-learn's: the gradients
// and hessians are rounded to float32, as scikit-learn stores them (near
// ties between splits are decided by that rounding), and a gain within
// 1e-12 of the node's scale (Σ|g|)²/(H + λ) counts as zero, so pure nodes
// are not split on rounding noise. On the breast-cancer test split the
// probabilities agree with HistGradientBoostingClassifier 1.2.1's to 1e-8.
type GBDT struct {
	// Rounds is the number of boosting rounds; zero means 100.
	Rounds int
	// LearningRate is the shrinkage η; zero means 0.1.
	LearningRate float64
	// NumLeaves bounds the leaves per tree; zero means 31.
	NumLeaves int
	// MinDataInLeaf is the least number of rows in a leaf; zero means 20.
	MinDataInLeaf int
	// Lambda is the L2 penalty λ on leaf values; zero means none, as in
	// LightGBM and scikit-learn.
	Lambda float64
	// MaxBins bounds the histogram bins per feature (2…255); zero means 255.
	MaxBins int
}

// Name returns "gbdt".
func (GBDT) Name() string { return "gbdt" }

// GBDTModel is a fitted GBDT: F(x) = Init + Σ_t tree_t(x). Tree leaf
// values are already scaled by the learning rate.
type GBDTModel struct {
	Init  float64 `json:"init"`
	Trees []Tree  `json:"trees"`
	P     int     `json:"n_features"`
}

// Fit boosts the trees.
func (c GBDT) Fit(X [][]float64, y []int) (Model, error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, err
	}
	rounds := c.Rounds
	if rounds == 0 {
		rounds = 100
	}
	eta := c.LearningRate
	if eta == 0 {
		eta = 0.1
	}
	leaves := c.NumLeaves
	if leaves == 0 {
		leaves = 31
	}
	minLeaf := c.MinDataInLeaf
	if minLeaf == 0 {
		minLeaf = 20
	}
	maxBins := c.MaxBins
	if maxBins == 0 {
		maxBins = 255
	}
	if rounds < 0 || eta < 0 || leaves < 2 || minLeaf < 0 || c.Lambda < 0 || maxBins < 2 || maxBins > 255 {
		return nil, fmt.Errorf("classify: gbdt: bad settings (rounds %d, learning rate %g, leaves %d, min data in leaf %d, lambda %g, max bins %d)", rounds, eta, leaves, minLeaf, c.Lambda, maxBins)
	}
	n := len(X)
	edges := make([][]float64, p)
	bins := make([][]uint8, p) // bins[j][i]
	for j := 0; j < p; j++ {
		edges[j] = binEdges(X, j, maxBins)
		bins[j] = make([]uint8, n)
		for i := 0; i < n; i++ {
			bins[j][i] = uint8(binOf(edges[j], X[i][j]))
		}
	}
	_, n1 := classCounts(y)
	pbar := float64(n1) / float64(n)
	m := &GBDTModel{Init: math.Log(pbar / (1 - pbar)), P: p}
	F := make([]float64, n)
	for i := range F {
		F[i] = m.Init
	}
	g := make([]float64, n)
	h := make([]float64, n)
	b := &gbdtBuilder{bins: bins, edges: edges, g: g, h: h, lambda: c.Lambda, minLeaf: minLeaf}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	for t := 0; t < rounds; t++ {
		for i := range F {
			q := sigmoid(F[i])
			g[i] = float64(float32(q - float64(y[i])))
			h[i] = float64(float32(q * (1 - q)))
		}
		tree, leafOf := b.grow(all, leaves, eta)
		for i := range F {
			F[i] += tree.Value[leafOf[i]]
		}
		m.Trees = append(m.Trees, tree)
	}
	return m, nil
}

// binEdges returns feature j's bin edges: x ≤ edges[k] falls in bin ≤ k.
func binEdges(X [][]float64, j, maxBins int) []float64 {
	col := make([]float64, len(X))
	for i, r := range X {
		col[i] = r[j]
	}
	slices.Sort(col)
	distinct := slices.Compact(slices.Clone(col))
	var e []float64
	if len(distinct) <= maxBins {
		for k := 0; k+1 < len(distinct); k++ {
			e = append(e, (distinct[k]+distinct[k+1])*0.5)
		}
		return e
	}
	// Interior percentiles at 100·k/maxBins, k = 1…maxBins−1, each the
	// midpoint of the two order statistics around it (numpy's
	// method="midpoint", as scikit-learn bins), deduplicated.
	n := float64(len(col))
	for k := 1; k < maxBins; k++ {
		pos := float64(k) / float64(maxBins) * (n - 1)
		lo := int(math.Floor(pos))
		hi := int(math.Ceil(pos))
		q := (col[lo] + col[hi]) / 2
		if len(e) == 0 || q > e[len(e)-1] {
			e = append(e, q)
		}
	}
	return e
}

// binOf returns the number of edges strictly below x.
func binOf(edges []float64, x float64) int {
	k, _ := slices.BinarySearch(edges, x)
	return k
}

// gbdtBuilder grows one tree per round on shared binned data.
type gbdtBuilder struct {
	bins    [][]uint8
	edges   [][]float64
	g, h    []float64
	lambda  float64
	minLeaf int
}

// leafSplit is a leaf's best split.
type leafSplit struct {
	node    int
	rows    []int
	G, H    float64
	gain    float64
	feature int
	bin     int // rows with bin ≤ this go left
}

func (b *gbdtBuilder) score(G, H float64) float64 { return G * G / (H + b.lambda) }

// bestSplit finds the best split of rows, or gain −Inf.
func (b *gbdtBuilder) bestSplit(s *leafSplit) {
	s.gain = math.Inf(-1)
	s.feature = -1
	if len(s.rows) < 2*b.minLeaf || len(s.rows) < 2 {
		return
	}
	parent := b.score(s.G, s.H)
	// A gain within rounding of zero (a pure node: every gradient equal)
	// is no gain; splitting on it would only spend leaves.
	var absG float64
	for _, i := range s.rows {
		absG += math.Abs(b.g[i])
	}
	minGain := 1e-12 * absG * absG / (s.H + b.lambda)
	var hg, hh [256]float64
	var hc [256]int
	for j := range b.bins {
		nb := len(b.edges[j]) + 1
		if nb < 2 {
			continue
		}
		clear(hg[:nb])
		clear(hh[:nb])
		clear(hc[:nb])
		col := b.bins[j]
		for _, i := range s.rows {
			k := col[i]
			hg[k] += b.g[i]
			hh[k] += b.h[i]
			hc[k]++
		}
		var GL, HL float64
		var nL int
		for k := 0; k < nb-1; k++ {
			GL += hg[k]
			HL += hh[k]
			nL += hc[k]
			nR := len(s.rows) - nL
			if nL < b.minLeaf || hc[k] == 0 && nL == 0 {
				continue
			}
			if nR < b.minLeaf {
				break
			}
			HR := s.H - HL
			if HL < 1e-3 || HR < 1e-3 {
				continue
			}
			gain := b.score(GL, HL) + b.score(s.G-GL, HR) - parent
			// Equal gains (to rounding: the same partition summed in a
			// different order) keep the earlier feature and bin.
			if gain > minGain && (s.feature < 0 || gain > s.gain*(1+1e-10)) {
				s.gain, s.feature, s.bin = gain, j, k
			}
		}
	}
}

// grow builds one tree leaf-wise and returns it with each row's leaf.
func (b *gbdtBuilder) grow(rows []int, maxLeaves int, eta float64) (Tree, []int) {
	var t Tree
	add := func() int {
		t.Feature = append(t.Feature, -1)
		t.Threshold = append(t.Threshold, 0)
		t.Left = append(t.Left, -1)
		t.Right = append(t.Right, -1)
		t.Value = append(t.Value, 0)
		return len(t.Feature) - 1
	}
	sums := func(r []int) (G, H float64) {
		for _, i := range r {
			G += b.g[i]
			H += b.h[i]
		}
		return G, H
	}
	root := &leafSplit{node: add(), rows: rows}
	root.G, root.H = sums(rows)
	b.bestSplit(root)
	open := []*leafSplit{root}
	var closed []*leafSplit
	nLeaves := 1
	for nLeaves < maxLeaves {
		best := -1
		for k, s := range open {
			if s.feature >= 0 && (best < 0 || s.gain > open[best].gain) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		s := open[best]
		open = slices.Delete(open, best, best+1)
		var lr, rr []int
		col := b.bins[s.feature]
		for _, i := range s.rows {
			if int(col[i]) <= s.bin {
				lr = append(lr, i)
			} else {
				rr = append(rr, i)
			}
		}
		t.Feature[s.node] = s.feature
		t.Threshold[s.node] = b.edges[s.feature][s.bin]
		l := &leafSplit{node: add(), rows: lr}
		r := &leafSplit{node: add(), rows: rr}
		t.Left[s.node], t.Right[s.node] = l.node, r.node
		l.G, l.H = sums(lr)
		r.G, r.H = sums(rr)
		b.bestSplit(l)
		b.bestSplit(r)
		open = append(open, l, r)
		nLeaves++
	}
	closed = append(closed, open...)
	leafOf := make([]int, len(b.g))
	for _, s := range closed {
		t.Value[s.node] = -eta * s.G / (s.H + b.lambda + 1e-15)
		for _, i := range s.rows {
			leafOf[i] = s.node
		}
	}
	return t, leafOf
}

// PredictProba returns σ(F(x)).
func (m *GBDTModel) PredictProba(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, m.P); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		F := m.Init
		for k := range m.Trees {
			F += m.Trees[k].predict(x)
		}
		out[i] = sigmoid(F)
	}
	return out, nil
}

// Kind returns "gbdt".
func (m *GBDTModel) Kind() string { return "gbdt" }

// NumFeatures is the number of features.
func (m *GBDTModel) NumFeatures() int { return m.P }

func (m *GBDTModel) validate() error {
	if m.P <= 0 {
		return errors.New("gbdt: no features")
	}
	for k, t := range m.Trees {
		if err := t.validate(m.P); err != nil {
			return fmt.Errorf("gbdt: tree %d: %v", k, err)
		}
	}
	return nil
}
