package classify

import (
	"errors"
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/internal/membudget"
)

// SVM is a C-support-vector classifier with Platt-scaled probabilities,
// scikit-learn's SVC(probability=True), which is libsvm.
//
// With labels t_i = +1 (class 1) or −1 (class 0) it solves libsvm's dual
//
//	min_α ½ αᵀQα − Σ α_i   subject to 0 ≤ α_i ≤ C, Σ t_i α_i = 0,   Q_ij = t_i t_j K(x_i, x_j)
//
// by SMO with libsvm's second-order working-set selection (WSS3, Fan, Chen
// and Lin 2005) and no shrinking, to libsvm's stopping tolerance. The
// decision function is f(x) = Σ α_i t_i K(x_i, x) − ρ, positive for class 1.
//
// Kernels: "rbf" K(u, v) = exp(−γ ‖u − v‖²) (the default) and "linear"
// K(u, v) = u·v. Gamma 0 means scikit-learn's 'scale':
//
//	γ = 1 / (p · Var(X))
//
// with Var(X) the population variance of all entries of the training
// matrix (1 when that is 0).
//
// Probabilities follow libsvm (Lin, Lin and Weng 2007): decision values
// from an internal 5-fold cross-validation of the training set (folds
// seeded by Seed) fit a sigmoid P(1 | f) = 1 / (1 + exp(A f + B)) by
// Newton's method with backtracking on Platt's smoothed targets. libsvm
// draws its folds from C's rand(), so its probabilities differ from ours by
// the folds; the decision function itself is the same problem and solver.
type SVM struct {
	// Kernel is "rbf" (the default when empty) or "linear".
	Kernel string
	// C is the box constraint; zero means 1.
	C float64
	// Gamma is the RBF width; zero means 'scale'.
	Gamma float64
	// Tol is the SMO stopping tolerance on the KKT gap; zero means 1e-3.
	Tol float64
	// Seed seeds the folds of the Platt cross-validation.
	Seed uint64
}

// Name returns "svm".
func (SVM) Name() string { return "svm" }

// SVMModel is a fitted SVM: its support vectors with coefficients α_i t_i.
type SVMModel struct {
	Kernel string      `json:"kernel"`
	Gamma  float64     `json:"gamma"`
	SV     [][]float64 `json:"sv"`
	Coef   []float64   `json:"coef"` // α_i t_i
	Rho    float64     `json:"rho"`
	ProbA  float64     `json:"prob_a"`
	ProbB  float64     `json:"prob_b"`
}

func (s SVM) settings(X [][]float64) (kernel string, C, gamma, tol float64, err error) {
	kernel = s.Kernel
	if kernel == "" {
		kernel = "rbf"
	}
	if kernel != "rbf" && kernel != "linear" {
		return "", 0, 0, 0, fmt.Errorf("classify: svm: unknown kernel %q (want rbf or linear)", kernel)
	}
	C = s.C
	if C == 0 {
		C = 1
	}
	if C < 0 {
		return "", 0, 0, 0, fmt.Errorf("classify: svm: C %g is negative", C)
	}
	gamma = s.Gamma
	if gamma < 0 {
		return "", 0, 0, 0, fmt.Errorf("classify: svm: gamma %g is negative", gamma)
	}
	if gamma == 0 {
		var sum, sum2 float64
		var n float64
		for _, r := range X {
			for _, v := range r {
				sum += v
				n++
			}
		}
		mu := sum / n
		for _, r := range X {
			for _, v := range r {
				sum2 += (v - mu) * (v - mu)
			}
		}
		v := sum2 / n
		if v == 0 {
			v = 1
		}
		gamma = 1 / (float64(len(X[0])) * v)
	}
	tol = s.Tol
	if tol == 0 {
		tol = 1e-3
	}
	return kernel, C, gamma, tol, nil
}

// Fit solves the dual on all rows and fits the Platt sigmoid on 5-fold
// cross-validated decision values.
func (s SVM) Fit(X [][]float64, y []int) (Model, error) {
	if _, err := checkXY(X, y); err != nil {
		return nil, err
	}
	kernel, C, gamma, tol, err := s.settings(X)
	if err != nil {
		return nil, err
	}
	if len(X) > maxSVMRows {
		return nil, fmt.Errorf("classify: svm: %d training rows; this solver keeps the full kernel matrix and takes at most %d", len(X), maxSVMRows)
	}
	if err := membudget.Check(fmt.Sprintf("classify: svm: the kernel matrix of %d training rows", len(X)), 8*float64(len(X))*float64(len(X))); err != nil {
		return nil, err
	}
	m := solveSVC(X, y, kernel, gamma, C, tol)
	// Platt scaling on cross-validated decision values, as libsvm's
	// svm_binary_svc_probability.
	dec := make([]float64, len(y))
	folds := plattFolds(len(y), 5, s.Seed)
	for _, held := range folds {
		trainIdx := Complement(len(y), held)
		Xt, yt := Rows(X, y, trainIdx)
		n0, n1 := classCounts(yt)
		switch {
		case n1 == 0:
			for _, i := range held {
				dec[i] = -1
			}
		case n0 == 0:
			for _, i := range held {
				dec[i] = 1
			}
		default:
			fm := solveSVC(Xt, yt, kernel, gamma, C, tol)
			for _, i := range held {
				dec[i] = fm.decision(X[i])
			}
		}
	}
	m.ProbA, m.ProbB = plattSigmoid(dec, y)
	return m, nil
}

// maxSVMRows bounds the training rows: the solver holds the whole n × n
// kernel matrix (8 n² bytes; 800 MB at 10 000 rows).
const maxSVMRows = 10000

// plattFolds is libsvm's probability CV: a seeded permutation cut into k
// contiguous folds (not stratified, as in libsvm's binary case). Each fold
// is returned sorted.
func plattFolds(n, k int, seed uint64) [][]int {
	perm := newRand(seed).Perm(n)
	folds := make([][]int, k)
	for f := 0; f < k; f++ {
		lo, hi := f*n/k, (f+1)*n/k
		fold := make([]int, 0, hi-lo)
		fold = append(fold, perm[lo:hi]...)
		sortInts(fold)
		folds[f] = fold
	}
	return folds
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// kernelFunc returns K for the kernel.
func kernelFunc(kernel string, gamma float64) func(u, v []float64) float64 {
	if kernel == "linear" {
		return func(u, v []float64) float64 {
			var s float64
			for j := range u {
				s += u[j] * v[j]
			}
			return s
		}
	}
	return func(u, v []float64) float64 {
		var s float64
		for j := range u {
			d := u[j] - v[j]
			s += d * d
		}
		return math.Exp(-gamma * s)
	}
}

// solveSVC runs libsvm's Solver (C-SVC, Cp = Cn = C) on the full kernel
// matrix and returns the model without probabilities: the dual is solved by
// SMO, each iteration choosing a working pair by second-order selection
// (selectPair), updating it analytically within the box (updatePair) and
// the gradient with it; the bias comes from calculateRho.
func solveSVC(X [][]float64, y []int, kernel string, gamma, C, eps float64) *SVMModel {
	s := newSMO(X, y, kernel, gamma, C)
	maxIter := max(10000000, 100*len(X))
	for iter := 0; iter < maxIter; iter++ {
		i, j, gap := s.selectPair()
		if gap < eps || j == -1 || i == -1 {
			break
		}
		s.updatePair(i, j)
	}
	m := &SVMModel{Kernel: kernel, Gamma: gamma, Rho: s.calculateRho()}
	for i, a := range s.alpha {
		if a > 0 {
			m.SV = append(m.SV, append([]float64(nil), X[i]...))
			m.Coef = append(m.Coef, a*s.t[i])
		}
	}
	return m
}

// smoTau replaces a non-positive curvature in the pair updates (libsvm's TAU).
const smoTau = 1e-12

// smo is the state of libsvm's SMO solver for C-SVC.
type smo struct {
	C     float64
	t     []float64   // labels as ±1
	Q     [][]float64 // Q_ij = t_i t_j K(x_i, x_j)
	alpha []float64
	G     []float64 // gradient Qα − e
}

func newSMO(X [][]float64, y []int, kernel string, gamma, C float64) *smo {
	l := len(X)
	K := kernelFunc(kernel, gamma)
	s := &smo{C: C, t: make([]float64, l), Q: make([][]float64, l), alpha: make([]float64, l), G: make([]float64, l)}
	for i, v := range y {
		s.t[i] = float64(2*v - 1)
	}
	for i := range s.Q {
		s.Q[i] = make([]float64, l)
	}
	for i := 0; i < l; i++ {
		for j := i; j < l; j++ {
			q := s.t[i] * s.t[j] * K(X[i], X[j])
			s.Q[i][j], s.Q[j][i] = q, q
		}
	}
	for i := range s.G {
		s.G[i] = -1
	}
	return s
}

func (s *smo) upper(i int) bool { return s.alpha[i] >= s.C }
func (s *smo) lower(i int) bool { return s.alpha[i] <= 0 }

// selectPair is libsvm's WSS3: i maximises −t_i G_i over I_up, j minimises
// the second-order decrease of the objective over I_low; gap is the
// maximal violation m(α) − M(α) that stops the solver below eps.
func (s *smo) selectPair() (i, j int, gap float64) {
	t, G, Q := s.t, s.G, s.Q
	gmax, gmax2 := math.Inf(-1), math.Inf(-1)
	i = -1
	for k := range t {
		if t[k] == 1 {
			if !s.upper(k) && -G[k] >= gmax {
				gmax, i = -G[k], k
			}
		} else if !s.lower(k) && G[k] >= gmax {
			gmax, i = G[k], k
		}
	}
	j = -1
	objMin := math.Inf(1)
	for k := range t {
		if t[k] == 1 {
			if !s.lower(k) {
				diff := gmax + G[k]
				if G[k] >= gmax2 {
					gmax2 = G[k]
				}
				if diff > 0 && i >= 0 {
					quad := Q[i][i] + Q[k][k] - 2*t[i]*Q[i][k]
					if quad <= 0 {
						quad = smoTau
					}
					if obj := -diff * diff / quad; obj <= objMin {
						objMin, j = obj, k
					}
				}
			}
		} else if !s.upper(k) {
			diff := gmax - G[k]
			if -G[k] >= gmax2 {
				gmax2 = -G[k]
			}
			if diff > 0 && i >= 0 {
				quad := Q[i][i] + Q[k][k] + 2*t[i]*Q[i][k]
				if quad <= 0 {
					quad = smoTau
				}
				if obj := -diff * diff / quad; obj <= objMin {
					objMin, j = obj, k
				}
			}
		}
	}
	return i, j, gmax + gmax2
}

// updatePair solves the two-variable subproblem of (i, j) analytically,
// clips it to the box [0, C], and updates the gradient.
func (s *smo) updatePair(i, j int) {
	alpha, G, Q, C := s.alpha, s.G, s.Q, s.C
	oldAi, oldAj := alpha[i], alpha[j]
	if s.t[i] != s.t[j] {
		quad := Q[i][i] + Q[j][j] + 2*Q[i][j]
		if quad <= 0 {
			quad = smoTau
		}
		delta := (-G[i] - G[j]) / quad
		diff := alpha[i] - alpha[j]
		alpha[i] += delta
		alpha[j] += delta
		if diff > 0 {
			if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, diff
			}
		} else if alpha[i] < 0 {
			alpha[i], alpha[j] = 0, -diff
		}
		if diff > 0 {
			if alpha[i] > C {
				alpha[i], alpha[j] = C, C-diff
			}
		} else if alpha[j] > C {
			alpha[j], alpha[i] = C, C+diff
		}
	} else {
		quad := Q[i][i] + Q[j][j] - 2*Q[i][j]
		if quad <= 0 {
			quad = smoTau
		}
		delta := (G[i] - G[j]) / quad
		sum := alpha[i] + alpha[j]
		alpha[i] -= delta
		alpha[j] += delta
		if sum > C {
			if alpha[i] > C {
				alpha[i], alpha[j] = C, sum-C
			}
		} else if alpha[j] < 0 {
			alpha[j], alpha[i] = 0, sum
		}
		if sum > C {
			if alpha[j] > C {
				alpha[j], alpha[i] = C, sum-C
			}
		} else if alpha[i] < 0 {
			alpha[i], alpha[j] = 0, sum
		}
	}
	dAi, dAj := alpha[i]-oldAi, alpha[j]-oldAj
	for k := range G {
		G[k] += Q[i][k]*dAi + Q[j][k]*dAj
	}
}

// calculateRho is libsvm's calculate_rho: the mean of t_i G_i over the free
// vectors, else the middle of the feasible interval.
func (s *smo) calculateRho() float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	var sumFree float64
	var nFree int
	for i, ti := range s.t {
		yG := ti * s.G[i]
		switch {
		case s.upper(i):
			if ti == -1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		case s.lower(i):
			if ti == 1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		default:
			nFree++
			sumFree += yG
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}

// plattSigmoid fits A, B of P(1|f) = 1/(1+exp(A f + B)) by libsvm's
// sigmoid_train (Lin, Lin and Weng 2007, Algorithm 1).
func plattSigmoid(dec []float64, y []int) (A, B float64) {
	const (
		maxIter = 100
		minStep = 1e-10
		sigma   = 1e-12
		eps     = 1e-5
	)
	n0, n1 := classCounts(y)
	prior0, prior1 := float64(n0), float64(n1)
	hi := (prior1 + 1) / (prior1 + 2)
	lo := 1 / (prior0 + 2)
	tgt := make([]float64, len(y))
	for i, v := range y {
		if v == 1 {
			tgt[i] = hi
		} else {
			tgt[i] = lo
		}
	}
	obj := func(a, b float64) float64 {
		var f float64
		for i, d := range dec {
			z := d*a + b
			if z >= 0 {
				f += tgt[i]*z + math.Log1p(math.Exp(-z))
			} else {
				f += (tgt[i]-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return f
	}
	A, B = 0, math.Log((prior0+1)/(prior1+1))
	fval := obj(A, B)
	for it := 0; it < maxIter; it++ {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, d := range dec {
			z := d*A + B
			var p, q float64
			if z >= 0 {
				e := math.Exp(-z)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(z)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += d * d * d2
			h22 += d2
			h21 += d * d2
			d1 := tgt[i] - p
			g1 += d * d1
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= minStep {
			nA, nB := A+step*dA, B+step*dB
			if nf := obj(nA, nB); nf < fval+1e-4*step*gd {
				A, B, fval = nA, nB, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break
		}
	}
	return A, B
}

// decision is f(x) = Σ coef_i K(sv_i, x) − ρ.
func (m *SVMModel) decision(x []float64) float64 {
	K := kernelFunc(m.Kernel, m.Gamma)
	s := -m.Rho
	for i, sv := range m.SV {
		s += m.Coef[i] * K(sv, x)
	}
	return s
}

// Decision returns the decision values f(x), positive for class 1.
func (m *SVMModel) Decision(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, m.NumFeatures()); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		out[i] = m.decision(x)
	}
	return out, nil
}

// PredictProba returns 1 / (1 + exp(A f(x) + B)).
func (m *SVMModel) PredictProba(X [][]float64) ([]float64, error) {
	f, err := m.Decision(X)
	if err != nil {
		return nil, err
	}
	for i, d := range f {
		// libsvm clips to [1e-7, 1 − 1e-7]; sigmoid(−z) is the same
		// formula written without overflow.
		f[i] = math.Min(math.Max(sigmoid(-(d*m.ProbA+m.ProbB)), 1e-7), 1-1e-7)
	}
	return f, nil
}

// Kind returns "svm".
func (m *SVMModel) Kind() string { return "svm" }

// NumFeatures is the support vectors' length.
func (m *SVMModel) NumFeatures() int {
	if len(m.SV) == 0 {
		return 0
	}
	return len(m.SV[0])
}

func (m *SVMModel) validate() error {
	if len(m.SV) == 0 || len(m.SV) != len(m.Coef) {
		return errors.New("svm: no support vectors or a coefficient count mismatch")
	}
	if m.Kernel != "rbf" && m.Kernel != "linear" {
		return fmt.Errorf("svm: unknown kernel %q", m.Kernel)
	}
	for _, sv := range m.SV {
		if len(sv) != len(m.SV[0]) || len(sv) == 0 {
			return errors.New("svm: support vectors of different lengths")
		}
	}
	return nil
}
