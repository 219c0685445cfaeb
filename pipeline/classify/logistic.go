package classify

import (
	"errors"
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// LogisticRegression is L2-penalised logistic regression, scikit-learn's
// LogisticRegression(penalty="l2", solver="lbfgs").
//
// With p_i = σ(w·x_i + b), it minimises
//
//	L(w, b) = C Σ_i [−y_i log p_i − (1 − y_i) log(1 − p_i)] + ½ ‖w‖²
//
// (the intercept b is not penalised, as in scikit-learn) by L-BFGS (gonum
// optimize) until the gradient's largest component is below Tol·n, then
// polishes with Newton steps on the exact Hessian so that the optimum is
// reached to rounding; L is strictly convex, so the optimum is unique and
// the probabilities match any other exact solver's.
type LogisticRegression struct {
	// C is the inverse regularisation strength; zero means 1.
	C float64
	// Tol is the gradient tolerance of the scaled objective L/(C·n); zero
	// means 1e-10.
	Tol float64
	// MaxIter bounds the L-BFGS iterations; zero means 10000.
	MaxIter int
}

// Name returns "lr".
func (LogisticRegression) Name() string { return "lr" }

// LogisticModel is a fitted logistic regression: P(1|x) = σ(w·x + b).
type LogisticModel struct {
	Coef      []float64 `json:"coef"`
	Intercept float64   `json:"intercept"`
}

// Fit minimises the penalised log-loss.
func (lr LogisticRegression) Fit(X [][]float64, y []int) (Model, error) {
	p, err := checkXY(X, y)
	if err != nil {
		return nil, err
	}
	C := lr.C
	if C == 0 {
		C = 1
	}
	if C < 0 {
		return nil, fmt.Errorf("classify: lr: C %g is negative", C)
	}
	tol := lr.Tol
	if tol == 0 {
		tol = 1e-10
	}
	maxIter := lr.MaxIter
	if maxIter == 0 {
		maxIter = 10000
	}
	n := float64(len(X))
	// The objective scaled by 1/(C n): mean log-loss + ‖w‖²/(2 C n).
	lam := 1 / (C * n)
	fg := func(theta, grad []float64) float64 {
		w, b := theta[:p], theta[p]
		var f float64
		if grad != nil {
			clear(grad)
		}
		for i, x := range X {
			z := b
			for j, v := range x {
				z += w[j] * v
			}
			// log(1+e^z) − y z, computed stably.
			f += softplus(z) - float64(y[i])*z
			if grad != nil {
				r := sigmoid(z) - float64(y[i])
				for j, v := range x {
					grad[j] += r * v
				}
				grad[p] += r
			}
		}
		f /= n
		var ww float64
		for j := range w {
			ww += w[j] * w[j]
		}
		f += 0.5 * lam * ww
		if grad != nil {
			for j := range grad {
				grad[j] /= n
			}
			for j := range w {
				grad[j] += lam * w[j]
			}
		}
		return f
	}
	prob := optimize.Problem{
		Func: func(t []float64) float64 { return fg(t, nil) },
		Grad: func(g, t []float64) { fg(t, g) },
	}
	settings := &optimize.Settings{
		GradientThreshold: tol,
		MajorIterations:   maxIter,
		Converger:         &optimize.FunctionConverge{Iterations: 50},
	}
	res, err := optimize.Minimize(prob, make([]float64, p+1), settings, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("classify: lr: L-BFGS: %v", err)
	}
	theta := res.X
	if err := newtonPolish(X, y, theta, lam, 5); err != nil {
		return nil, err
	}
	return &LogisticModel{Coef: theta[:p], Intercept: theta[p]}, nil
}

// newtonPolish takes up to steps Newton steps on the scaled objective,
// stopping when a step no longer changes theta.
func newtonPolish(X [][]float64, y []int, theta []float64, lam float64, steps int) error {
	p := len(theta) - 1
	n := float64(len(X))
	if err := membudget.Check(fmt.Sprintf("classify: lr: the Newton step's Hessian of %d features", p), 2*8*float64(p+1)*float64(p+1)); err != nil {
		return err
	}
	for s := 0; s < steps; s++ {
		H := mat.NewSymDense(p+1, nil)
		g := make([]float64, p+1)
		for i, x := range X {
			z := theta[p]
			for j, v := range x {
				z += theta[j] * v
			}
			q := sigmoid(z)
			r := q - float64(y[i])
			d := q * (1 - q) / n
			for a := 0; a <= p; a++ {
				xa := 1.0
				if a < p {
					xa = x[a]
				}
				g[a] += r * xa / n
				for b := a; b <= p; b++ {
					xb := 1.0
					if b < p {
						xb = x[b]
					}
					H.SetSym(a, b, H.At(a, b)+d*xa*xb)
				}
			}
		}
		for j := 0; j < p; j++ {
			g[j] += lam * theta[j]
			H.SetSym(j, j, H.At(j, j)+lam)
		}
		var ch mat.Cholesky
		if !ch.Factorize(H) {
			// A singular Hessian (separable data with a tiny penalty)
			// leaves the L-BFGS solution as it is.
			return nil
		}
		var step mat.VecDense
		if err := ch.SolveVecTo(&step, mat.NewVecDense(p+1, g)); err != nil {
			return nil
		}
		var moved float64
		for j := range theta {
			theta[j] -= step.AtVec(j)
			moved = math.Max(moved, math.Abs(step.AtVec(j)))
		}
		if math.IsNaN(moved) {
			return errors.New("classify: lr: Newton step diverged")
		}
		if moved < 1e-15 {
			break
		}
	}
	return nil
}

// softplus is log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// Kind returns "lr".
func (m *LogisticModel) Kind() string { return "lr" }

// NumFeatures is the number of coefficients.
func (m *LogisticModel) NumFeatures() int { return len(m.Coef) }

func (m *LogisticModel) validate() error {
	if len(m.Coef) == 0 {
		return errors.New("lr: no coefficients")
	}
	return nil
}

// PredictProba returns σ(w·x + b).
func (m *LogisticModel) PredictProba(X [][]float64) ([]float64, error) {
	if _, err := checkX(X, len(m.Coef)); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	for i, x := range X {
		z := m.Intercept
		for j, v := range x {
			z += m.Coef[j] * v
		}
		out[i] = sigmoid(z)
	}
	return out, nil
}
