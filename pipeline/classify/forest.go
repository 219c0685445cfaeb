package classify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// RandomForest is Breiman's random forest of CART trees, scikit-learn's
// RandomForestClassifier.
//
// Each tree is grown on a bootstrap sample (n draws with replacement, the
// draw counts acting as sample weights, as in scikit-learn) by recursive
// binary splits x_j ≤ t that minimise the weighted Gini impurity of the
// children,
//
//	G(S) = 1 − Σ_c (W_c / W)²,   cost = W_L G(L) + W_R G(R),
//
// with t the midpoint between adjacent distinct values. At each node the
// features are visited in a random order until MaxFeatures non-constant
// ones have been tried. A node becomes a leaf when it is pure, holds fewer
// than 2·MinSamplesLeaf distinct rows, or is at MaxDepth; a leaf predicts
// its weighted share of class 1, and the forest averages its trees.
//
// The fitted model carries the out-of-bag accuracy (each row predicted by
// the trees whose bootstrap left it out, rows never left out skipped) and
// the impurity importance (mean decrease in impurity: each tree's weighted
// Gini decreases per feature normalised to sum 1, averaged over trees,
// normalised again). PermutationImportance gives the permutation kind.
type RandomForest struct {
	// Trees is the number of trees; zero means 100.
	Trees int
	// MaxFeatures is the number of features tried per split; zero means
	// max(1, ⌊√p⌋).
	MaxFeatures int
	// MaxDepth bounds the depth; zero means unlimited.
	MaxDepth int
	// MinSamplesLeaf is the least number of distinct rows in a leaf; zero
	// means 1.
	MinSamplesLeaf int
	// Seed seeds the bootstrap samples and the feature orders.
	Seed uint64
	// Workers bounds the trees grown at once; zero means GOMAXPROCS. The
	// forest does not depend on it.
	Workers int
}

// Name returns "rf".
func (RandomForest) Name() string { return "rf" }

// Tree is one fitted CART tree in flat arrays. Node 0 is the root; node k
// is a leaf when Feature[k] < 0, and otherwise sends x to Left[k] when
// x[Feature[k]] ≤ Threshold[k], else to Right[k]. Value[k] is the leaf's
// P(class 1).
type Tree struct {
	Feature   []int     `json:"feature"`
	Threshold []float64 `json:"threshold"`
	Left      []int     `json:"left"`
	Right     []int     `json:"right"`
	Value     []float64 `json:"value"`
}

// ForestModel is a fitted random forest.
type ForestModel struct {
	Trees []Tree `json:"trees"`
	P     int    `json:"n_features"`
	// OOBScore is the out-of-bag accuracy (threshold 0.5).
	OOBScore float64 `json:"oob_score"`
	// Importance is the impurity importance of each feature, summing to 1
	// (all zero when no tree split).
	Importance []float64 `json:"importance"`
}

// Fit grows the forest.
func (rf RandomForest) Fit(X [][]float64, y []int) (Model, error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, err
	}
	nt := rf.Trees
	if nt == 0 {
		nt = 100
	}
	mf := rf.MaxFeatures
	if mf == 0 {
		mf = max(1, int(math.Sqrt(float64(p))))
	}
	msl := rf.MinSamplesLeaf
	if msl == 0 {
		msl = 1
	}
	if nt < 0 || mf < 0 || mf > p || rf.MaxDepth < 0 || msl < 0 {
		return nil, fmt.Errorf("classify: rf: bad settings (trees %d, max features %d of %d, max depth %d, min samples leaf %d)", nt, mf, p, rf.MaxDepth, msl)
	}
	n := len(X)
	master := newRand(rf.Seed)
	m := &ForestModel{P: p, Trees: make([]Tree, nt), Importance: make([]float64, p)}
	oobSum := make([]float64, n)
	oobCnt := make([]int, n)
	// Each tree gets its own seed, drawn in order, so the forest does not
	// depend on how many trees grow at once; results are combined in tree
	// order, so the sums are the same too.
	seeds := make([]uint64, nt)
	for k := range seeds {
		seeds[k] = master.Uint64()
	}
	type grown struct {
		imp []float64
		w   []float64
	}
	out := make([]grown, nt)
	workers := rf.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, nt) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				r := newRand(seeds[k])
				w := make([]float64, n)
				for i := 0; i < n; i++ {
					w[r.IntN(n)]++
				}
				g := &treeGrower{X: X, y: y, w: w, mf: mf, maxDepth: rf.MaxDepth, msl: msl, r: r, imp: make([]float64, p)}
				var rows []int
				for i := 0; i < n; i++ {
					if w[i] > 0 {
						rows = append(rows, i)
					}
				}
				g.grow(rows, 0)
				m.Trees[k] = g.t
				out[k] = grown{imp: g.imp, w: w}
			}
		}()
	}
	for k := 0; k < nt; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	for k, o := range out {
		var tot float64
		for _, v := range o.imp {
			tot += v
		}
		if tot > 0 {
			for j, v := range o.imp {
				m.Importance[j] += v / tot
			}
		}
		for i := 0; i < n; i++ {
			if o.w[i] == 0 {
				oobSum[i] += m.Trees[k].predict(X[i])
				oobCnt[i]++
			}
		}
	}
	var tot float64
	for _, v := range m.Importance {
		tot += v
	}
	if tot > 0 {
		for j := range m.Importance {
			m.Importance[j] /= tot
		}
	}
	var right, seen int
	for i := 0; i < n; i++ {
		if oobCnt[i] == 0 {
			continue
		}
		seen++
		pred := 0
		if oobSum[i]/float64(oobCnt[i]) > 0.5 {
			pred = 1
		}
		if pred == y[i] {
			right++
		}
	}
	if seen > 0 {
		m.OOBScore = float64(right) / float64(seen)
	}
	return m, nil
}

// treeGrower holds one tree's training state.
type treeGrower struct {
	X        [][]float64
	y        []int
	w        []float64
	mf       int
	maxDepth int
	msl      int
	r        *rand.Rand
	imp      []float64
	t        Tree
}

func (g *treeGrower) addNode() int {
	g.t.Feature = append(g.t.Feature, -1)
	g.t.Threshold = append(g.t.Threshold, 0)
	g.t.Left = append(g.t.Left, -1)
	g.t.Right = append(g.t.Right, -1)
	g.t.Value = append(g.t.Value, 0)
	return len(g.t.Feature) - 1
}

// gini returns the weighted Gini impurity of class weights w0, w1.
func gini(w0, w1 float64) float64 {
	W := w0 + w1
	if W == 0 {
		return 0
	}
	a, b := w0/W, w1/W
	return 1 - a*a - b*b
}

// grow builds the subtree of rows at depth and returns its node index.
func (g *treeGrower) grow(rows []int, depth int) int {
	node := g.addNode()
	var w0, w1 float64
	for _, i := range rows {
		if g.y[i] == 1 {
			w1 += g.w[i]
		} else {
			w0 += g.w[i]
		}
	}
	g.t.Value[node] = w1 / (w0 + w1)
	imp := gini(w0, w1)
	if imp == 0 || len(rows) < 2*g.msl || len(rows) < 2 || (g.maxDepth > 0 && depth >= g.maxDepth) {
		return node
	}
	p := len(g.X[0])
	order := g.r.Perm(p)
	bestCost := math.Inf(1)
	bestF, bestPos := -1, -1
	var bestThr float64
	var bestRows []int
	sorted := make([]int, len(rows))
	tried := 0
	for _, f := range order {
		if tried >= g.mf {
			break
		}
		copy(sorted, rows)
		slices.SortFunc(sorted, func(a, b int) int {
			va, vb := g.X[a][f], g.X[b][f]
			switch {
			case va < vb:
				return -1
			case va > vb:
				return 1
			}
			return a - b
		})
		if g.X[sorted[0]][f] == g.X[sorted[len(sorted)-1]][f] {
			continue // constant here: does not count towards MaxFeatures
		}
		tried++
		var l0, l1 float64
		for k := 0; k < len(sorted)-1; k++ {
			i := sorted[k]
			if g.y[i] == 1 {
				l1 += g.w[i]
			} else {
				l0 += g.w[i]
			}
			a, b := g.X[i][f], g.X[sorted[k+1]][f]
			if a == b || k+1 < g.msl || len(sorted)-k-1 < g.msl {
				continue
			}
			cost := (l0+l1)*gini(l0, l1) + (w0+w1-l0-l1)*gini(w0-l0, w1-l1)
			if cost < bestCost-1e-12*(w0+w1) {
				bestCost, bestF, bestPos = cost, f, k+1
				bestThr = a/2 + b/2
				if bestThr >= b {
					bestThr = a
				}
				bestRows = append(bestRows[:0], sorted...)
			}
		}
	}
	if bestF < 0 {
		return node
	}
	g.imp[bestF] += (w0+w1)*imp - bestCost
	g.t.Feature[node] = bestF
	g.t.Threshold[node] = bestThr
	left := slices.Clone(bestRows[:bestPos])
	right := slices.Clone(bestRows[bestPos:])
	l := g.grow(left, depth+1)
	r := g.grow(right, depth+1)
	g.t.Left[node], g.t.Right[node] = l, r
	return node
}

// predict returns the leaf value reached by x.
func (t *Tree) predict(x []float64) float64 {
	k := 0
	for t.Feature[k] >= 0 {
		if x[t.Feature[k]] <= t.Threshold[k] {
			k = t.Left[k]
		} else {
			k = t.Right[k]
		}
	}
	return t.Value[k]
}

// PredictProba averages the trees' leaf shares of class 1.
func (m *ForestModel) PredictProba(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, m.P); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		var s float64
		for k := range m.Trees {
			s += m.Trees[k].predict(x)
		}
		out[i] = s / float64(len(m.Trees))
	}
	return out, nil
}

// Kind returns "rf".
func (m *ForestModel) Kind() string { return "rf" }

// NumFeatures is the number of features.
func (m *ForestModel) NumFeatures() int { return m.P }

func (m *ForestModel) validate() error {
	if len(m.Trees) == 0 || m.P <= 0 {
		return errors.New("rf: no trees")
	}
	for k, t := range m.Trees {
		if err := t.validate(m.P); err != nil {
			return fmt.Errorf("rf: tree %d: %v", k, err)
		}
	}
	return nil
}

// validate checks that a loaded tree is well formed: every child index is
// later than its parent (so prediction terminates) and in range.
func (t *Tree) validate(p int) error {
	n := len(t.Feature)
	if n == 0 || len(t.Threshold) != n || len(t.Left) != n || len(t.Right) != n || len(t.Value) != n {
		return errors.New("inconsistent node arrays")
	}
	for k := 0; k < n; k++ {
		if t.Feature[k] < 0 {
			continue
		}
		if t.Feature[k] >= p || t.Left[k] <= k || t.Right[k] <= k || t.Left[k] >= n || t.Right[k] >= n {
			return fmt.Errorf("node %d is malformed", k)
		}
	}
	return nil
}
