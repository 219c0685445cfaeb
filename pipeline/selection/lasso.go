package selection

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Family is the LASSO's response model.
type Family int

const (
	// Gaussian: least squares, the paper's "LASSO regression" with a
	// mean-squared-error CV curve (the zero value).
	Gaussian Family = iota
	// Binomial: logistic regression on 0/1 labels.
	Binomial
)

func (f Family) String() string {
	if f == Binomial {
		return "binomial"
	}
	return "gaussian"
}

// Measure is the cross-validation loss.
type Measure int

const (
	// MeasureDefault is glmnet's default: MSE for Gaussian, deviance for
	// Binomial.
	MeasureDefault Measure = iota
	// MeasureMSE is the mean squared error; for Binomial glmnet's
	// (1−y−(1−p))² + (y−p)² = 2(y−p)².
	MeasureMSE
	// MeasureDeviance is −2 log-likelihood per patient (Binomial, with p
	// clipped to [1e-5, 1−1e-5] as glmnet does); for Gaussian it is the MSE.
	MeasureDeviance
	// MeasureClass is the misclassification rate at p = 0.5 (Binomial).
	MeasureClass
)

func (m Measure) name(f Family) string {
	switch m {
	case MeasureMSE:
		return "mse"
	case MeasureDeviance:
		if f == Gaussian {
			return "mse"
		}
		return "deviance"
	case MeasureClass:
		return "class"
	}
	if f == Binomial {
		return "deviance"
	}
	return "mse"
}

// LambdaRule picks λ from the cross-validation curve.
type LambdaRule int

const (
	// LambdaMin is the λ of least CV error (the zero value; scikit-learn's
	// LassoCV choice).
	LambdaMin LambdaRule = iota
	// Lambda1SE is the largest λ whose CV error is within one standard
	// error of the minimum.
	Lambda1SE
)

func (r LambdaRule) String() string {
	if r == Lambda1SE {
		return "lambda.1se"
	}
	return "lambda.min"
}

// Lasso fits L1-penalised linear or logistic regression along a λ path by
// cyclic coordinate descent with warm starts and active-set sweeps, as
// glmnet does (Friedman, Hastie and Tibshirani, J Stat Softw 33(1), 2010),
// with glmnet's standardize = TRUE, intercept = TRUE, alpha = 1 semantics.
// Each column is standardised with its mean and population SD; the
// problem solved at each λ is
//
//	Gaussian:  min (1/2n) Σ (y_i − β₀ − x̃_iᵀβ)² + λ Σ_j |β_j|
//	Binomial:  min −(1/n) Σ [y_i η_i − log(1 + e^{η_i})] + λ Σ_j |β_j|,
//	           η_i = β₀ + x̃_iᵀβ
//
// with x̃ the standardised features; coefficients are reported on the
// original scale (β_j/σ_j, and the intercept adjusted for the means).
// Binomial uses glmnet's IRLS outer loop (quadratic approximation at the
// current fit) around the coordinate descent. A constant column is left
// out with coefficient 0, as glmnet does (it happens inside CV folds).
//
// The default path has NLambda values from λ_max = max_j |x̃_jᵀ(y − ȳ)|/n,
// where every β is 0, down to LambdaMinRatio·λ_max, evenly spaced in log λ;
// LambdaMinRatio defaults to 0.01 when n < p and 1e-4 otherwise. As glmnet,
// a default path stops early, from the 5th λ on, when the fraction of
// (null) deviance explained exceeds 0.999 or grows by less than 1e-5
// (relative to itself for Gaussian, absolute for Binomial); a path given
// in Lambda is computed in full, except that a Binomial path, given or
// not, ends once the fit saturates (mean μ(1−μ) ≤ about 1e-9, glmnet's
// pmin rule).
type Lasso struct {
	Family         Family
	NLambda        int       // path length; 0 means 100
	LambdaMinRatio float64   // 0 means glmnet's rule above
	Lambda         []float64 // explicit decreasing path; overrides the two above
	// Thresh is glmnet's convergence threshold: coordinate descent stops
	// when every coefficient's update satisfies w_j Δβ_j² < Thresh (on
	// standardised features and, for Gaussian, a unit-variance response).
	// 0 means 1e-18, far tighter than glmnet's default 1e-7 (which stops up
	// to 4e-4 from the optimum); the tests compare with glmnet run at
	// thresh = 1e-18 as well.
	Thresh  float64
	MaxIter int // coordinate sweeps per λ; 0 means 100000
}

// Path is a fitted coefficient path: the LASSO coefficient-path figure.
type Path struct {
	Lambda    []float64   // decreasing
	Intercept []float64   // β₀ per λ, original scale
	Beta      [][]float64 // Beta[k][j]: feature j at Lambda[k], original scale
	DevRatio  []float64   // fraction of null deviance explained
	NonZero   []int       // number of nonzero coefficients per λ
	NullDev   float64     // null deviance
}

func (l Lasso) defaults(n, p int) Lasso {
	if l.NLambda == 0 {
		l.NLambda = 100
	}
	if l.LambdaMinRatio == 0 {
		if n < p {
			l.LambdaMinRatio = 0.01
		} else {
			l.LambdaMinRatio = 1e-4
		}
	}
	if l.Thresh == 0 {
		l.Thresh = 1e-18
	}
	if l.MaxIter == 0 {
		l.MaxIter = 100000
	}
	return l
}

// standardised holds the column-major standardised design.
type standardised struct {
	n, p int
	x    [][]float64 // x[j][i]
	mean []float64
	sd   []float64
}

func standardise(X [][]float64, names []string) (*standardised, error) {
	n := len(X)
	p := len(X[0])
	s := &standardised{n: n, p: p, x: make([][]float64, p), mean: make([]float64, p), sd: make([]float64, p)}
	for j := 0; j < p; j++ {
		col := column(X, j)
		if err := checkFinite(col, names, j); err != nil {
			return nil, err
		}
		m, sd := meanSD(col)
		if sd == 0 {
			// glmnet leaves a constant column out (its coefficient stays
			// 0); this happens in CV folds of discrete features.
			for i := range col {
				col[i] = 0
			}
			s.x[j], s.mean[j], s.sd[j] = col, m, 1
			continue
		}
		for i := range col {
			col[i] = (col[i] - m) / sd
		}
		s.x[j], s.mean[j], s.sd[j] = col, m, sd
	}
	return s, nil
}

// Fit computes the coefficient path of y on X (rows of patients). For
// Binomial y must hold 0 and 1 only. names (may be nil) label errors.
func (l Lasso) Fit(X [][]float64, y []float64, names []string) (*Path, error) {
	n := len(X)
	if n != len(y) {
		panic(fmt.Sprintf("selection: LASSO: %d rows but %d responses", n, len(y)))
	}
	if n < 3 {
		return nil, fmt.Errorf("selection: LASSO needs at least 3 rows, got %d", n)
	}
	if len(X[0]) == 0 {
		return nil, fmt.Errorf("selection: LASSO: no features")
	}
	l = l.defaults(n, len(X[0]))
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("selection: LASSO: response in row %d is %v", i+1, v)
		}
		if l.Family == Binomial && v != 0 && v != 1 {
			return nil, fmt.Errorf("selection: LASSO: binomial response in row %d is %v, not 0 or 1", i+1, v)
		}
	}
	s, err := standardise(X, names)
	if err != nil {
		return nil, err
	}
	if l.Family == Binomial {
		return l.fitBinomial(s, y)
	}
	return l.fitGaussian(s, y)
}

// firstPenalty is the penalty solved at the default path's first λ,
// λ_max: "infinite", as glmnet's alm = big, so that every coefficient is
// exactly 0 there (solving at λ_max itself leaves ±1e-16 from rounding).
const firstPenalty = math.MaxFloat64

// errNoSignal: λ_max = max_j |x_jᵀ r|/n is 0 (every feature constant, or
// none correlated with the response), so the default path would be all
// zeros.
var errNoSignal = errors.New("selection: LASSO: every feature is constant or uncorrelated with the response (λ_max = 0)")

func (l Lasso) lambdas(lmax float64) (lam []float64, user bool) {
	if len(l.Lambda) > 0 {
		for k := 1; k < len(l.Lambda); k++ {
			if !(l.Lambda[k] < l.Lambda[k-1]) {
				panic("selection: Lasso.Lambda must be strictly decreasing")
			}
		}
		return l.Lambda, true
	}
	lam = make([]float64, l.NLambda)
	alf := math.Pow(l.LambdaMinRatio, 1/float64(l.NLambda-1))
	for k := range lam {
		lam[k] = lmax * math.Pow(alf, float64(k))
	}
	return lam, false
}

// earlyStop is glmnet's path stopping rule (fdev = 1e-5, devmax = 0.999,
// mnlam = 5) after the m-th λ (0-based k = m−1).
func earlyStop(dev []float64, k int, relative bool) bool {
	if k+1 < 5 {
		return false
	}
	d, d0 := dev[k], dev[k-1]
	if relative {
		if d-d0 < 1e-5*d {
			return true
		}
	} else if d-d0 < 1e-5 {
		return true
	}
	return d > 0.999
}

func softThreshold(z, g float64) float64 {
	switch {
	case z > g:
		return z - g
	case z < -g:
		return z + g
	}
	return 0
}

func (l Lasso) fitGaussian(s *standardised, y []float64) (*Path, error) {
	n, p := s.n, s.p
	fn := float64(n)
	ym, ys := meanSD(y)
	if ys == 0 {
		return nil, fmt.Errorf("selection: LASSO: the response is constant (%g)", y[0])
	}
	// Work with the standardised response, as glmnet does; λ scales by 1/ys.
	r := make([]float64, n)
	for i, v := range y {
		r[i] = (v - ym) / ys
	}
	var lmax float64
	for j := 0; j < p; j++ {
		lmax = max(lmax, math.Abs(dot(s.x[j], r))/fn)
	}
	if lmax == 0 && len(l.Lambda) == 0 {
		return nil, errNoSignal
	}
	lam, user := l.lambdas(lmax * ys)
	path := &Path{NullDev: ys * ys * fn}
	b := make([]float64, p)
	active := make([]bool, p)
	for k, lk := range lam {
		g := lk / ys
		if k == 0 && !user {
			g = firstPenalty
		}
		if err := l.cdGaussian(s, r, b, active, g); err != nil {
			return nil, fmt.Errorf("selection: LASSO at λ = %g: %v", lk, err)
		}
		rss := dot(r, r)
		l.record(path, s, b, lk, ym, ys, 1-rss/fn)
		if !user && earlyStop(path.DevRatio, k, true) {
			break
		}
	}
	return path, nil
}

// cdGaussian runs coordinate descent at penalty g on the unit-variance
// problem; r is the residual, updated in place.
func (l Lasso) cdGaussian(s *standardised, r, b []float64, active []bool, g float64) error {
	fn := float64(s.n)
	sweep := func(all bool) float64 {
		var dlx float64
		for j := 0; j < s.p; j++ {
			if !all && !active[j] {
				continue
			}
			xj := s.x[j]
			z := dot(xj, r)/fn + b[j]
			nb := softThreshold(z, g)
			d := nb - b[j]
			if d == 0 {
				continue
			}
			b[j] = nb
			active[j] = true
			axpy(-d, xj, r)
			dlx = max(dlx, d*d)
		}
		return dlx
	}
	for it := 0; ; {
		// full sweep, then iterate on the active set until converged
		dlx := sweep(true)
		it++
		if dlx < l.Thresh {
			return nil
		}
		for {
			if it >= l.MaxIter {
				return fmt.Errorf("coordinate descent did not converge in %d sweeps", l.MaxIter)
			}
			d := sweep(false)
			it++
			if d < l.Thresh {
				break
			}
		}
	}
}

func (l Lasso) fitBinomial(s *standardised, y []float64) (*Path, error) {
	n, p := s.n, s.p
	fn := float64(n)
	ym, _ := meanSD(y)
	if ym == 0 || ym == 1 {
		return nil, fmt.Errorf("selection: LASSO: the labels hold a single class")
	}
	resid := make([]float64, n)
	for i, v := range y {
		resid[i] = v - ym
	}
	var lmax float64
	for j := 0; j < p; j++ {
		lmax = max(lmax, math.Abs(dot(s.x[j], resid))/fn)
	}
	if lmax == 0 && len(l.Lambda) == 0 {
		return nil, errNoSignal
	}
	lam, user := l.lambdas(lmax)
	nullDev := -2 * fn * (ym*math.Log(ym) + (1-ym)*math.Log(1-ym))
	path := &Path{NullDev: nullDev}
	b := make([]float64, p)
	b0 := math.Log(ym / (1 - ym))
	eta := make([]float64, n)
	for i := range eta {
		eta[i] = b0
	}
	active := make([]bool, p)
	for k, lk := range lam {
		var err error
		var saturated bool
		pen := lk
		if k == 0 && !user {
			pen = firstPenalty
		}
		b0, saturated, err = l.irls(s, y, b, b0, eta, active, pen)
		if err != nil {
			return nil, fmt.Errorf("selection: LASSO at λ = %g: %v", lk, err)
		}
		var dev float64
		for i, e := range eta {
			mu := min(max(1/(1+math.Exp(-e)), pMin), 1-pMin)
			dev -= y[i]*math.Log(mu) + (1-y[i])*math.Log(1-mu)
		}
		dev *= 2
		// record expects the intercept on the standardised scale.
		l.record(path, s, b, lk, b0, 1, 1-dev/nullDev)
		// glmnet ends every path, given or default, once the fit is
		// saturated (all fitted probabilities within pMin of 0 or 1).
		if saturated || (!user && earlyStop(path.DevRatio, k, false)) {
			break
		}
	}
	return path, nil
}

// pMin is glmnet's pmin: fitted probabilities closer than this to 0 or 1
// are treated as exactly 0 or 1 (weight 0), and deviances clip them to
// [pMin, 1 − pMin].
const pMin = 1e-9

// etaMax = log(1/pMin − 1): linear predictors beyond ±etaMax give
// probabilities within pMin of 0 or 1.
const etaMax = 20.72326583594641

// irls solves the binomial problem at λ by successive weighted
// least-squares approximations, each solved by coordinate descent.
//
// b and eta are updated in place; the new intercept is returned.
//
// saturated reports glmnet's stop condition: the mean IRLS weight
// (1/n) Σ μ(1−μ) fell to (1+pMin)·pMin·(1−pMin) or below.
func (l Lasso) irls(s *standardised, y, b []float64, b0 float64, eta []float64, active []bool, lam float64) (b0new float64, saturated bool, err error) {
	n, p := s.n, s.p
	fn := float64(n)
	w := make([]float64, n)
	r := make([]float64, n) // w·(z − η) = y − μ
	xv := make([]float64, p)
	bOld := make([]float64, p)
	for outer := 0; outer < 1000; outer++ {
		var xmz float64
		for i, e := range eta {
			var mu float64
			switch {
			case e < -etaMax:
				mu, w[i] = 0, 0
			case e > etaMax:
				mu, w[i] = 1, 0
			default:
				mu = 1 / (1 + math.Exp(-e))
				w[i] = mu * (1 - mu)
			}
			xmz += w[i]
			r[i] = y[i] - mu
		}
		if xmz/fn <= (1+pMin)*pMin*(1-pMin) {
			return b0, true, nil
		}
		for j := 0; j < p; j++ {
			var v float64
			for i, x := range s.x[j] {
				v += w[i] * x * x
			}
			xv[j] = v / fn
		}
		sw := 0.0
		for _, v := range w {
			sw += v
		}
		copy(bOld, b)
		b0Old := b0
		sweep := func(all bool) float64 {
			var dlx float64
			for j := 0; j < p; j++ {
				if (!all && !active[j]) || xv[j] == 0 {
					continue
				}
				xj := s.x[j]
				var gj float64
				for i, x := range xj {
					gj += x * r[i]
				}
				nb := softThreshold(gj/fn+xv[j]*b[j], lam) / xv[j]
				d := nb - b[j]
				if d == 0 {
					continue
				}
				b[j] = nb
				active[j] = true
				for i, x := range xj {
					r[i] -= w[i] * x * d
				}
				dlx = max(dlx, xv[j]*d*d)
			}
			var sr float64
			for _, v := range r {
				sr += v
			}
			d0 := sr / sw
			b0 += d0
			for i := range r {
				r[i] -= w[i] * d0
			}
			return max(dlx, sw/fn*d0*d0)
		}
		it := 0
		for conv := false; !conv; {
			dlx := sweep(true)
			it++
			if dlx < l.Thresh {
				break
			}
			for {
				if it >= l.MaxIter {
					return b0, false, fmt.Errorf("coordinate descent did not converge in %d sweeps", l.MaxIter)
				}
				d := sweep(false)
				it++
				if d < l.Thresh {
					break
				}
			}
		}
		// new linear predictor
		var dmax float64
		for j := 0; j < p; j++ {
			d := b[j] - bOld[j]
			dmax = max(dmax, xv[j]*d*d)
		}
		dmax = max(dmax, sw/fn*(b0-b0Old)*(b0-b0Old))
		for i := range eta {
			e := b0
			for j := 0; j < p; j++ {
				if b[j] != 0 {
					e += b[j] * s.x[j][i]
				}
			}
			eta[i] = e
		}
		if dmax < l.Thresh {
			return b0, false, nil
		}
	}
	return b0, false, fmt.Errorf("IRLS did not converge in 1000 steps")
}

// record appends one λ's solution, mapping standardised coefficients b
// (on a response scaled by ys, intercept c0 meaning the standardised-x
// intercept plus, for Gaussian, the response mean) to the original scale.
func (l Lasso) record(path *Path, s *standardised, b []float64, lam, c0, ys, devRatio float64) {
	beta := make([]float64, s.p)
	a0 := c0
	nz := 0
	for j, v := range b {
		if v == 0 {
			continue
		}
		nz++
		beta[j] = v * ys / s.sd[j]
		a0 -= beta[j] * s.mean[j]
	}
	path.Lambda = append(path.Lambda, lam)
	path.Intercept = append(path.Intercept, a0)
	path.Beta = append(path.Beta, beta)
	path.DevRatio = append(path.DevRatio, devRatio)
	path.NonZero = append(path.NonZero, nz)
}

// Predict returns the linear predictor β₀ + xᵀβ of each row of X at
// penalty lam, interpolating the coefficients linearly in λ between the
// two neighbouring path values and clamping lam to the path's range
// (glmnet's predict with s = lam).
func (p *Path) Predict(X [][]float64, lam float64) []float64 {
	a0, beta := p.At(lam)
	out := make([]float64, len(X))
	for i, row := range X {
		v := a0
		for j, b := range beta {
			v += b * row[j]
		}
		out[i] = v
	}
	return out
}

// At returns the intercept and coefficients at lam (see Predict).
func (p *Path) At(lam float64) (float64, []float64) {
	k := len(p.Lambda)
	if k == 1 || lam >= p.Lambda[0] {
		return p.Intercept[0], p.Beta[0]
	}
	if lam <= p.Lambda[k-1] {
		return p.Intercept[k-1], p.Beta[k-1]
	}
	right := 1
	for p.Lambda[right] > lam {
		right++
	}
	left := right - 1
	f := (lam - p.Lambda[right]) / (p.Lambda[left] - p.Lambda[right])
	beta := make([]float64, len(p.Beta[left]))
	for j := range beta {
		beta[j] = f*p.Beta[left][j] + (1-f)*p.Beta[right][j]
	}
	return f*p.Intercept[left] + (1-f)*p.Intercept[right], beta
}

// LassoCV chooses λ by K-fold cross-validation, as glmnet's cv.glmnet with
// the same settings: the full-data path fixes the λ values; each fold's
// model is fitted on the other folds with its own default path (or
// Lasso.Lambda if given) and predicts its held-out patients at every full
// λ by Path.Predict; the per-patient losses are averaged within each fold,
// and
//
//	CVM(λ) = Σ_k n_k L_k(λ) / n,  CVSD(λ) = √( Σ_k n_k (L_k − CVM)² / n / (K − 1) )
//
// (with fewer than 3 patients per fold, glmnet's ungrouped form over
// patients: √(mean (L_i − CVM)² / (n − 1))). λ.min is the largest λ
// attaining the minimum CVM; λ.1se the largest λ with CVM ≤ CVM(λ.min) +
// CVSD(λ.min).
type LassoCV struct {
	Lasso
	NFolds  int     // 0 means 10, or n when n < 10 (leave-one-out)
	Folds   []int   // fold of each row, 1…K; nil: a seeded random split
	Measure Measure // CV loss
	Rule    LambdaRule
	Seed    uint64 // for the random split
}

// LassoFit is a cross-validated LASSO: everything the LASSO figures need.
type LassoFit struct {
	Family    Family
	Measure   string // "mse", "deviance" or "class"
	Rule      LambdaRule
	Path      *Path     // full-data coefficient path
	CVM       []float64 // CV error per Path.Lambda
	CVSD      []float64 // its standard error
	LambdaMin float64
	Lambda1SE float64
	IndexMin  int // index of LambdaMin in Path.Lambda
	Index1SE  int
	Chosen    int       // index of the λ chosen by Rule
	Lambda    float64   // the chosen λ
	Intercept float64   // β₀ at the chosen λ
	Coef      []float64 // β at the chosen λ, one per input column
	Folds     []int     // the folds used
}

// Folds assigns n rows to k folds as cv.glmnet does: a random permutation
// of 1, 2, …, k, 1, 2, … (length n), here from a PCG generator seeded with
// seed.
func Folds(n, k int, seed uint64) []int {
	f := make([]int, n)
	for i := range f {
		f[i] = i%k + 1
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed5c1ad))
	r.Shuffle(n, func(a, b int) { f[a], f[b] = f[b], f[a] })
	return f
}

// Fit runs the cross-validation and returns the fit at the chosen λ: the
// full-data path, the folds (foldsFor), each held-out patient's loss at
// every λ (foldLosses), CVM and CVSD (cvCurve), and the choice of λ.min,
// λ.1se and the rule's λ (choose).
func (c LassoCV) Fit(X [][]float64, y []float64, names []string) (*LassoFit, error) {
	full, err := c.Lasso.Fit(X, y, names)
	if err != nil {
		return nil, err
	}
	folds, K, err := c.foldsFor(len(X))
	if err != nil {
		return nil, err
	}
	loss, err := c.foldLosses(X, y, names, folds, K, full)
	if err != nil {
		return nil, err
	}
	cvm, cvsd := cvCurve(loss, folds, K)
	fit := &LassoFit{Family: c.Family, Measure: c.Measure.name(c.Family), Rule: c.Rule, Path: full, CVM: cvm, CVSD: cvsd, Folds: folds}
	fit.choose()
	return fit, nil
}

// foldsFor returns the fold of each of n rows (c.Folds, or a seeded random
// split into NFolds) and the number of folds K, at least 3.
func (c LassoCV) foldsFor(n int) (folds []int, K int, err error) {
	folds = c.Folds
	if folds == nil {
		k := c.NFolds
		if k == 0 {
			k = min(10, n)
		}
		if k > n {
			return nil, 0, fmt.Errorf("selection: LASSO CV: %d folds for %d patients", k, n)
		}
		folds = Folds(n, k, c.Seed)
	}
	if len(folds) != n {
		panic("selection: LassoCV.Folds length mismatch")
	}
	for _, f := range folds {
		if f < 1 {
			panic("selection: LassoCV.Folds must be 1…K")
		}
		K = max(K, f)
	}
	if K < 3 {
		return nil, 0, fmt.Errorf("selection: LASSO CV needs at least 3 folds, got %d", K)
	}
	return folds, K, nil
}

// foldLosses fits each fold's model on the other folds and returns, per
// patient, the loss of its held-out prediction at every λ of the full path.
func (c LassoCV) foldLosses(X [][]float64, y []float64, names []string, folds []int, K int, full *Path) ([][]float64, error) {
	nl := len(full.Lambda)
	loss := make([][]float64, len(X)) // per patient, per λ
	for k := 1; k <= K; k++ {
		var trX, teX [][]float64
		var trY []float64
		var te []int
		for i := range X {
			if folds[i] == k {
				teX = append(teX, X[i])
				te = append(te, i)
			} else {
				trX = append(trX, X[i])
				trY = append(trY, y[i])
			}
		}
		if len(te) == 0 {
			return nil, fmt.Errorf("selection: LASSO CV: fold %d is empty", k)
		}
		fp, err := c.Lasso.Fit(trX, trY, names)
		if errors.Is(err, errNoSignal) {
			// No feature varies in this fold's training rows: fit on the
			// full data's λ sequence, as cv.glmnet fits every fold, which
			// gives the intercept-only model.
			l := c.Lasso
			l.Lambda = full.Lambda
			fp, err = l.Fit(trX, trY, names)
		}
		if err != nil {
			return nil, fmt.Errorf("selection: LASSO CV fold %d: %s", k, strings.TrimPrefix(err.Error(), "selection: "))
		}
		for _, i := range te {
			loss[i] = make([]float64, nl)
		}
		for m, lam := range full.Lambda {
			pred := fp.Predict(teX, lam)
			for t, i := range te {
				loss[i][m] = c.pointLoss(y[i], pred[t])
			}
		}
	}
	return loss, nil
}

// cvCurve averages the per-patient losses into CVM and CVSD per λ: grouped
// by fold when folds hold 3 or more patients on average, otherwise over
// patients (glmnet's two forms).
func cvCurve(loss [][]float64, folds []int, K int) (cvm, cvsd []float64) {
	n := len(loss)
	nl := len(loss[0])
	cvm = make([]float64, nl)
	cvsd = make([]float64, nl)
	grouped := float64(n)/float64(K) >= 3
	for m := 0; m < nl; m++ {
		if grouped {
			sum := make([]float64, K+1)
			cnt := make([]float64, K+1)
			for i := range loss {
				sum[folds[i]] += loss[i][m]
				cnt[folds[i]]++
			}
			var tot float64
			for k := 1; k <= K; k++ {
				tot += sum[k]
			}
			mean := tot / float64(n)
			var ss float64
			for k := 1; k <= K; k++ {
				d := sum[k]/cnt[k] - mean
				ss += cnt[k] * d * d
			}
			cvm[m], cvsd[m] = mean, math.Sqrt(ss/float64(n)/float64(K-1))
		} else {
			var tot float64
			for i := range loss {
				tot += loss[i][m]
			}
			mean := tot / float64(n)
			var ss float64
			for i := range loss {
				d := loss[i][m] - mean
				ss += d * d
			}
			cvm[m], cvsd[m] = mean, math.Sqrt(ss/float64(n)/float64(n-1))
		}
	}
	return cvm, cvsd
}

// choose sets λ.min (the first λ, so the largest, attaining the minimum
// CVM), λ.1se (the largest λ with CVM ≤ CVM(λ.min) + CVSD(λ.min)) and the
// rule's λ with its coefficients.
func (fit *LassoFit) choose() {
	cvm, cvsd, full := fit.CVM, fit.CVSD, fit.Path
	fit.IndexMin = 0
	for m := range cvm {
		if cvm[m] < cvm[fit.IndexMin] {
			fit.IndexMin = m
		}
	}
	bound := cvm[fit.IndexMin] + cvsd[fit.IndexMin]
	for m := range cvm {
		if cvm[m] <= bound {
			fit.Index1SE = m
			break
		}
	}
	fit.LambdaMin, fit.Lambda1SE = full.Lambda[fit.IndexMin], full.Lambda[fit.Index1SE]
	fit.Chosen = fit.IndexMin
	if fit.Rule == Lambda1SE {
		fit.Chosen = fit.Index1SE
	}
	fit.Lambda = full.Lambda[fit.Chosen]
	fit.Intercept = full.Intercept[fit.Chosen]
	fit.Coef = full.Beta[fit.Chosen]
}

func (c LassoCV) pointLoss(y, eta float64) float64 {
	if c.Family == Gaussian {
		d := y - eta
		return d * d
	}
	p := 1 / (1 + math.Exp(-eta))
	switch c.Measure {
	case MeasureMSE:
		return 2 * (y - p) * (y - p)
	case MeasureClass:
		if (y == 1) == (p <= 0.5) {
			return 1
		}
		return 0
	}
	p = min(max(p, 1e-5), 1-1e-5)
	return -2 * (y*math.Log(p) + (1-y)*math.Log(1-p))
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
