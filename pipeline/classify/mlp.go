package classify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// MLP is a one-hidden-layer perceptron, scikit-learn's MLPClassifier with
// hidden_layer_sizes=(H,), activation="relu", solver="adam".
//
//	h = ReLU(W₁ x + b₁),   P(1 | x) = σ(w₂·h + b₂)
//
// It minimises, per mini-batch B, the mean log-loss plus the L2 penalty
// α/(2|B|) (‖W₁‖² + ‖w₂‖²) (biases unpenalised), with Adam (β₁ 0.9, β₂
// 0.999, ε 1e-8). Weights and biases start uniform on ±√(f/(fan_in +
// fan_out)) with f = 6 for the hidden layer and f = 2 for the logistic
// output (scikit-learn's Glorot scheme). Each epoch shuffles the rows
// (seeded) and runs batches of min(200, n). Training stops after MaxIter
// epochs, or when for 10 epochs the training loss has not fallen by 1e-4
// below its best — or, with EarlyStopping, when the accuracy on a
// stratified 10 % validation split has not risen by 1e-4 above its best;
// the weights with the best validation accuracy are then kept.
type MLP struct {
	// Hidden is the hidden-layer width; zero means 100.
	Hidden int
	// Alpha is the L2 penalty; zero means 1e-4. (Use a tiny positive
	// value for no penalty.)
	Alpha float64
	// LearningRate is Adam's step; zero means 1e-3.
	LearningRate float64
	// MaxIter is the number of epochs; zero means 200.
	MaxIter int
	// BatchSize is the mini-batch size; zero means min(200, n).
	BatchSize int
	// EarlyStopping holds out 10 % of the rows for validation.
	EarlyStopping bool
	// NoShuffle keeps the rows in order each epoch (scikit-learn's
	// shuffle=False).
	NoShuffle bool
	// Start, when set, replaces the Glorot initialisation with a copy of
	// these weights (scikit-learn's warm_start); its shape must match
	// Hidden and the feature count.
	Start *MLPModel
	// Seed seeds the initial weights, the shuffles and the validation split.
	Seed uint64
}

// Name returns "mlp".
func (MLP) Name() string { return "mlp" }

// MLPModel is a fitted MLP.
type MLPModel struct {
	W1 [][]float64 `json:"w1"` // Hidden × p
	B1 []float64   `json:"b1"`
	W2 []float64   `json:"w2"`
	B2 float64     `json:"b2"`
	// Epochs is the number of epochs run.
	Epochs int `json:"epochs"`
}

// Fit trains the network: mlpSettings fills the defaults, the rows are
// split for early stopping, initMLP draws the Glorot weights, and each
// epoch runs one batchGradient and one adam.step per mini-batch, then asks
// the stopper whether to go on.
func (c MLP) Fit(X [][]float64, y []int) (Model, error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, err
	}
	set, err := c.settings()
	if err != nil {
		return nil, err
	}
	r := newRand(c.Seed)
	trainRows := make([]int, len(X))
	for i := range trainRows {
		trainRows[i] = i
	}
	var valRows []int
	if c.EarlyStopping {
		tr, va, err := StratifiedSplit(y, 0.1, r.Uint64())
		if err != nil {
			return nil, fmt.Errorf("classify: mlp: early-stopping validation split: %v", err)
		}
		trainRows, valRows = tr, va
	}
	n := len(trainRows)
	bs := c.BatchSize
	if bs == 0 {
		bs = min(200, n)
	}
	bs = min(bs, n)
	m, err := initMLP(r, set.hidden, p, c.Start)
	if err != nil {
		return nil, err
	}

	net := newMLPNet(m)
	g := newMLPGrad(set.hidden, p)
	opt := newAdam(len(g.grad), set.lr)
	stop := mlpStopper{bestLoss: math.Inf(1), bestVal: math.Inf(-1)}
	var epochs int
	order := append([]int(nil), trainRows...)
	for epoch := 0; epoch < set.maxIter; epoch++ {
		if !c.NoShuffle {
			r.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		var epochLoss float64
		for lo := 0; lo < n; lo += bs {
			batch := order[lo:min(lo+bs, n)]
			loss := g.batch(net, X, y, batch, set.alpha)
			epochLoss += loss * float64(len(batch))
			opt.step(net, g)
		}
		epochs = epoch + 1
		epochLoss /= float64(n)
		var done bool
		if c.EarlyStopping {
			m = net.model(epochs)
			done = stop.validation(m, m.accuracy(X, y, valRows))
		} else {
			done = stop.loss(epochLoss)
		}
		if done {
			break
		}
	}
	if c.EarlyStopping && stop.best != nil {
		stop.best.Epochs = epochs
		return stop.best, nil
	}
	return net.model(epochs), nil
}

// mlpSettings are an MLP's settings with the defaults filled in.
type mlpSettings struct {
	hidden    int
	alpha, lr float64
	maxIter   int
}

func (c MLP) settings() (mlpSettings, error) {
	s := mlpSettings{hidden: c.Hidden, alpha: c.Alpha, lr: c.LearningRate, maxIter: c.MaxIter}
	if s.hidden == 0 {
		s.hidden = 100
	}
	if s.alpha == 0 {
		s.alpha = 1e-4
	}
	if s.lr == 0 {
		s.lr = 1e-3
	}
	if s.maxIter == 0 {
		s.maxIter = 200
	}
	if s.hidden < 0 || s.alpha < 0 || s.lr < 0 || s.maxIter < 0 || c.BatchSize < 0 {
		return s, fmt.Errorf("classify: mlp: negative setting (hidden %d, alpha %g, lr %g, max iter %d, batch %d)", s.hidden, s.alpha, s.lr, s.maxIter, c.BatchSize)
	}
	return s, nil
}

// initMLP draws scikit-learn's Glorot-uniform weights, coefficients then
// intercepts per layer; with start the draws are still made (so the random
// stream is the same) but the weights are a copy of start.
func initMLP(r *rand.Rand, H, p int, start *MLPModel) (*MLPModel, error) {
	m := &MLPModel{W1: make([][]float64, H), B1: make([]float64, H), W2: make([]float64, H)}
	b1 := math.Sqrt(6 / float64(p+H))
	if start != nil {
		if err := start.validate(); err != nil || len(start.W1) != H || start.NumFeatures() != p {
			return nil, fmt.Errorf("classify: mlp: Start weights do not fit %d hidden units and %d features", H, p)
		}
		b1 = 0 // the draws below are discarded
	}
	for h := 0; h < H; h++ {
		m.W1[h] = make([]float64, p)
	}
	for j := 0; j < p; j++ {
		for h := 0; h < H; h++ {
			m.W1[h][j] = (2*r.Float64() - 1) * b1
		}
	}
	for h := 0; h < H; h++ {
		m.B1[h] = (2*r.Float64() - 1) * b1
	}
	b2 := math.Sqrt(2 / float64(H+1))
	for h := 0; h < H; h++ {
		m.W2[h] = (2*r.Float64() - 1) * b2
	}
	m.B2 = (2*r.Float64() - 1) * b2
	if start != nil {
		m = start.clone()
		m.Epochs = 0
	}
	return m, nil
}

// mlpNet is an MLP's parameters during training, one flat vector laid out
// for the inner loops: W₁ transposed (p × H, feature-major, so that a
// row's hidden pre-activations and W₁'s gradient are H-long axpy loops),
// then b₁, w₂ and b₂. Every sum keeps the order of the textbook loops (per
// hidden unit, features in order; rows in batch order), so the weights are
// those of the H × p layout bit for bit.
type mlpNet struct {
	H, p  int
	theta []float64
}

func newMLPNet(m *MLPModel) *mlpNet {
	H, p := len(m.W1), m.NumFeatures()
	n := &mlpNet{H: H, p: p, theta: make([]float64, H*p+H+H+1)}
	for h, w := range m.W1 {
		for j, v := range w {
			n.theta[j*H+h] = v
		}
	}
	copy(n.theta[H*p:], m.B1)
	copy(n.theta[H*p+H:], m.W2)
	n.theta[len(n.theta)-1] = m.B2
	return n
}

// model unpacks the parameters into an MLPModel.
func (n *mlpNet) model(epochs int) *MLPModel {
	H, p := n.H, n.p
	m := &MLPModel{W1: make([][]float64, H), B1: make([]float64, H), W2: make([]float64, H), B2: n.theta[len(n.theta)-1], Epochs: epochs}
	for h := range m.W1 {
		m.W1[h] = make([]float64, p)
		for j := range m.W1[h] {
			m.W1[h][j] = n.theta[j*H+h]
		}
	}
	copy(m.B1, n.theta[H*p:])
	copy(m.W2, n.theta[H*p+H:])
	return m
}

// mlpGrad holds the gradient, laid out as mlpNet's parameters, and the
// per-row scratch of the backward pass.
type mlpGrad struct {
	H, p    int
	grad    []float64
	hid, dh []float64
}

func newMLPGrad(H, p int) *mlpGrad {
	return &mlpGrad{H: H, p: p, grad: make([]float64, H*p+H+H+1), hid: make([]float64, H), dh: make([]float64, H)}
}

// batch sets g.grad to the gradient of the mini-batch's mean log-loss plus
// the L2 penalty α/(2|B|)(‖W₁‖² + ‖w₂‖²), and returns that loss.
func (g *mlpGrad) batch(n *mlpNet, X [][]float64, y []int, batch []int, alpha float64) float64 {
	H, p, grad, hid, dh := g.H, g.p, g.grad, g.hid, g.dh
	np := len(grad)
	w1, b1, w2, b2 := n.theta[:H*p], n.theta[H*p:H*p+H], n.theta[H*p+H:H*p+2*H], n.theta[np-1]
	gw1, gb1, gw2 := grad[:H*p], grad[H*p:H*p+H], grad[H*p+H:H*p+2*H]
	hid, dh = hid[:H], dh[:H]
	clear(grad)
	var loss float64
	for _, i := range batch {
		x := X[i][:p]
		copy(hid, b1)
		for j, v := range x {
			row := w1[j*H : j*H+H]
			row = row[:len(hid)]
			for h := range hid {
				hid[h] += row[h] * v
			}
		}
		z2 := b2
		for h, z := range hid {
			if z < 0 {
				z = 0
				hid[h] = 0
			}
			z2 += w2[h] * z
		}
		q := sigmoid(z2)
		// Log-loss with scikit-learn's clipping of q to [ε, 1 − ε], ε the
		// float64 machine epsilon.
		const eps = 0x1p-52
		qc := math.Min(math.Max(q, eps), 1-eps)
		if y[i] == 1 {
			loss -= math.Log(qc)
		} else {
			loss -= math.Log(1 - qc)
		}
		d2 := q - float64(y[i])
		for h, z := range hid {
			gw2[h] += d2 * z
			if z > 0 {
				dh[h] = d2 * w2[h]
			} else {
				dh[h] = 0
			}
		}
		grad[np-1] += d2
		// A zero dh adds ±0, which leaves every sum as skipping it would:
		// a gradient entry starts at +0 and a sum is never −0.
		for j, v := range x {
			row := gw1[j*H : j*H+H]
			row = row[:len(dh)]
			for h, d := range dh {
				row[h] += d * v
			}
		}
		for h, d := range dh {
			gb1[h] += d
		}
	}
	nb := float64(len(batch))
	var sq float64
	for h := 0; h < H; h++ {
		for j := 0; j < p; j++ {
			w := w1[j*H+h]
			sq += w * w
			gw1[j*H+h] = (gw1[j*H+h] + alpha*w) / nb
		}
		gb1[h] /= nb
		sq += w2[h] * w2[h]
		gw2[h] = (gw2[h] + alpha*w2[h]) / nb
	}
	grad[np-1] /= nb
	return loss/nb + 0.5*alpha*sq/nb
}

// adam is the Adam optimiser's state (β₁ 0.9, β₂ 0.999, ε 1e-8) over the
// flat parameter vector of mlpNet.
type adam struct {
	lr       float64
	t        int
	mom, vel []float64
}

func newAdam(n int, lr float64) *adam {
	return &adam{lr: lr, mom: make([]float64, n), vel: make([]float64, n)}
}

// step moves n's weights by one bias-corrected Adam step along g's gradient.
func (o *adam) step(n *mlpNet, g *mlpGrad) {
	const beta1, beta2, epsAdam = 0.9, 0.999, 1e-8
	o.t++
	lrT := o.lr * math.Sqrt(1-math.Pow(beta2, float64(o.t))) / (1 - math.Pow(beta1, float64(o.t)))
	theta, grad, mom, vel := n.theta, g.grad[:len(n.theta)], o.mom[:len(n.theta)], o.vel[:len(n.theta)]
	for k, gk := range grad {
		mom[k] = beta1*mom[k] + (1-beta1)*gk
		vel[k] = beta2*vel[k] + (1-beta2)*gk*gk
		theta[k] -= lrT * mom[k] / (math.Sqrt(vel[k]) + epsAdam)
	}
}

// mlpStopper is scikit-learn's stopping rule: stop once, for more than 10
// epochs, the training loss has not fallen by 1e-4 below its best — or,
// with early stopping, the validation accuracy has not risen by 1e-4 above
// its best (best then holds the weights of the best accuracy).
type mlpStopper struct {
	bestLoss, bestVal float64
	best              *MLPModel
	noImprove         int
}

const (
	mlpTol      = 1e-4
	mlpPatience = 10
)

func (s *mlpStopper) loss(l float64) bool {
	if l > s.bestLoss-mlpTol {
		s.noImprove++
	} else {
		s.noImprove = 0
	}
	s.bestLoss = math.Min(s.bestLoss, l)
	return s.noImprove > mlpPatience
}

func (s *mlpStopper) validation(m *MLPModel, acc float64) bool {
	if acc < s.bestVal+mlpTol {
		s.noImprove++
	} else {
		s.noImprove = 0
	}
	if acc > s.bestVal {
		s.bestVal = acc
		s.best = m.clone()
	}
	return s.noImprove > mlpPatience
}

func (m *MLPModel) clone() *MLPModel {
	return &MLPModel{W1: cloneX(m.W1), B1: append([]float64(nil), m.B1...), W2: append([]float64(nil), m.W2...), B2: m.B2, Epochs: m.Epochs}
}

// accuracy is the share of rows predicted right at threshold 0.5.
func (m *MLPModel) accuracy(X [][]float64, y []int, rows []int) float64 {
	var right int
	for _, i := range rows {
		pred := 0
		if m.proba(X[i]) > 0.5 {
			pred = 1
		}
		if pred == y[i] {
			right++
		}
	}
	return float64(right) / float64(len(rows))
}

func (m *MLPModel) proba(x []float64) float64 {
	z2 := m.B2
	for h, w := range m.W1 {
		z := m.B1[h]
		for j, v := range x {
			z += w[j] * v
		}
		if z > 0 {
			z2 += m.W2[h] * z
		}
	}
	return sigmoid(z2)
}

// PredictProba returns σ(w₂·ReLU(W₁x + b₁) + b₂).
func (m *MLPModel) PredictProba(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, m.NumFeatures()); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		out[i] = m.proba(x)
	}
	return out, nil
}

// Kind returns "mlp".
func (m *MLPModel) Kind() string { return "mlp" }

// NumFeatures is the input width.
func (m *MLPModel) NumFeatures() int {
	if len(m.W1) == 0 {
		return 0
	}
	return len(m.W1[0])
}

func (m *MLPModel) validate() error {
	H := len(m.W1)
	if H == 0 || len(m.B1) != H || len(m.W2) != H {
		return errors.New("mlp: inconsistent layer sizes")
	}
	for _, w := range m.W1 {
		if len(w) != len(m.W1[0]) || len(w) == 0 {
			return errors.New("mlp: ragged weights")
		}
	}
	return nil
}
