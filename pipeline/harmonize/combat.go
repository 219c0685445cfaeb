package harmonize

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Options configures Fit. The zero value is sva::ComBat's default:
// parametric priors, location and scale adjusted, features constant within
// a centre passed through unadjusted.
type Options struct {
	// NonParametric uses sva's non-parametric empirical-Bayes priors
	// (par.prior = FALSE) instead of the normal/inverse-gamma priors.
	NonParametric bool
	// MeanOnly adjusts only the centre location (mean.only = TRUE), leaving
	// the scale alone. Required when a centre has a single patient.
	MeanOnly bool
	// RejectConstant makes a feature with zero variance within a centre an
	// error instead of a pass-through.
	RejectConstant bool
	// Names are the feature names used in error messages; nil means
	// "column 1", "column 2"… It is not kept in the Model.
	Names []string
	// CovariateNames name the covariate columns in error messages.
	CovariateNames []string
}

// convergence is sva's it.sol stopping threshold (conv = 1e-4) on the
// largest relative change of γ* and δ²*.
const convergence = 1e-4

// maxIterations bounds the parametric fixed-point loop; sva has no bound,
// and in practice converges in tens of iterations.
const maxIterations = 10000

// Model is a fitted ComBat model. Its slices must not be modified.
type Model struct {
	Batches    []string    // centres in the order of the rows below (sorted)
	Counts     []int       // training patients per centre
	Features   int         // number of feature columns
	Covariates int         // number of covariate columns (after dropping an intercept)
	Intercept  []bool      // per given covariate column: dropped as all ones
	Unadjusted []int       // feature columns passed through unchanged (constant within a centre)
	GrandMean  []float64   // α̂_g, per feature (0 for unadjusted ones)
	Beta       [][]float64 // β̂[c][g]: covariate c's coefficient for feature g
	VarPooled  []float64   // σ̂²_g
	GammaHat   [][]float64 // γ̂[i][g], per centre i
	DeltaHat   [][]float64 // δ̂²[i][g]
	GammaStar  [][]float64 // γ*[i][g], the shrunk location
	DeltaStar  [][]float64 // δ²*[i][g], the shrunk scale
	GammaBar   []float64   // prior mean γ̄_i
	Tau2       []float64   // prior variance τ_i²
	APrior     []float64   // inverse-gamma shape λ_i (parametric only)
	BPrior     []float64   // inverse-gamma scale θ_i (parametric only)
	Iterations []int       // parametric EB iterations per centre (0 otherwise)
	Options    Options     // the options it was fitted with (Names cleared)
}

func colName(names []string, j int, what string) string {
	if j < len(names) && names[j] != "" {
		return fmt.Sprintf("%s %q", what, names[j])
	}
	return fmt.Sprintf("%s column %d", what, j+1)
}

// checkInputs validates shapes and finiteness; it panics on programmer
// errors (ragged slices) and returns errors for data problems.
func checkInputs(X [][]float64, batch []string, covars [][]float64, o Options, p, q int) error {
	if len(batch) != len(X) {
		panic(fmt.Sprintf("harmonize: %d rows but %d batch labels", len(X), len(batch)))
	}
	if covars != nil && len(covars) != len(X) {
		panic(fmt.Sprintf("harmonize: %d rows but %d covariate rows", len(X), len(covars)))
	}
	for i, row := range X {
		if len(row) != p {
			panic(fmt.Sprintf("harmonize: row %d has %d features, want %d", i+1, len(row), p))
		}
		if batch[i] == "" {
			return fmt.Errorf("harmonize: row %d: empty centre", i+1)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("harmonize: row %d, %s: value %v is not finite", i+1, colName(o.Names, j, "feature"), v)
			}
		}
		if covars != nil {
			if len(covars[i]) != q {
				panic(fmt.Sprintf("harmonize: covariate row %d has %d values, want %d", i+1, len(covars[i]), q))
			}
			for c, v := range covars[i] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("harmonize: row %d, %s: value %v is not finite", i+1, colName(o.CovariateNames, c, "covariate"), v)
				}
			}
		}
	}
	return nil
}

// Fit estimates a ComBat model from X (one row per patient, one column per
// feature), the centre of each row, and optional covariates (one row per
// patient; nil for none). See the package documentation for the model and
// the errors. Its steps, in order:
//
//  1. centres: the centres (sorted) and their members;
//  2. constantFeatures: features constant within a centre pass through
//     unadjusted (sva's zero.rows);
//  3. newDesign: centre indicators and covariates, checked for rank;
//  4. regress: B̂ = (DᵀD)⁻¹DᵀY by Cholesky;
//  5. poolVariance: grand mean α̂, covariate effects β̂, pooled variance σ̂²;
//  6. standardise: s = (X − α̂ − Cβ̂)/σ̂;
//  7. shrinkCentre, per centre: γ̂, δ̂², the priors and the empirical-Bayes
//     estimates γ*, δ²*.
func Fit(X [][]float64, batch []string, covars [][]float64, o Options) (*Model, error) {
	n := len(X)
	if n == 0 {
		return nil, fmt.Errorf("harmonize: no patients")
	}
	p := len(X[0])
	q := 0
	if covars != nil {
		q = len(covars[0])
	}
	if err := checkInputs(X, batch, covars, o, p, q); err != nil {
		return nil, err
	}
	c, err := centres(batch, o.MeanOnly)
	if err != nil {
		return nil, err
	}
	keep, unadjusted, err := constantFeatures(X, c, o)
	if err != nil {
		return nil, err
	}
	d, err := newDesign(covars, q, c, o.CovariateNames)
	if err != nil {
		return nil, err
	}
	Y, B, err := regress(X, keep, d.D)
	if err != nil {
		return nil, err
	}
	m := newModel(p, c, d, unadjusted, o)
	switch len(keep) {
	case 0:
		return m, nil
	case 1:
		// The priors' variance over features of one value is undefined
		// (it would make every result NaN); sva 3.46.0's ComBat stops on a
		// one-feature matrix too ("dim(X) must have a positive length").
		return nil, fmt.Errorf("harmonize: %s is the only feature to adjust: the empirical-Bayes priors pool over features and need at least two", colName(o.Names, keep[0], "feature"))
	}
	if err := m.poolVariance(Y, B, d.D, keep, c, o.Names); err != nil {
		return nil, err
	}
	s := m.standardise(X, covars, keep)
	for k := range c.members {
		if err := m.shrinkCentre(k, s, keep, c, o); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// centreSet is the training centres, sorted, with their members.
type centreSet struct {
	levels  []string // centre names, sorted
	index   []int    // per patient, its centre's position in levels
	members [][]int  // per centre, its patients' rows
	counts  []int    // per centre, len(members)
}

// centres groups the patients by centre. One centre is an error (nothing
// to harmonise), and so is a one-patient centre unless only the means are
// adjusted (its variance cannot be estimated).
func centres(batch []string, meanOnly bool) (centreSet, error) {
	var c centreSet
	c.levels = slices.Clone(batch)
	sort.Strings(c.levels)
	c.levels = slices.Compact(c.levels)
	nb := len(c.levels)
	if nb < 2 {
		return c, fmt.Errorf("harmonize: only one centre (%q): nothing to harmonise", c.levels[0])
	}
	c.members = make([][]int, nb)
	c.index = make([]int, len(batch))
	for i, b := range batch {
		k, _ := slices.BinarySearch(c.levels, b)
		c.index[i] = k
		c.members[k] = append(c.members[k], i)
	}
	c.counts = make([]int, nb)
	for k := range c.members {
		c.counts[k] = len(c.members[k])
		if c.counts[k] == 1 && !meanOnly {
			return c, fmt.Errorf("harmonize: centre %q has one patient, so its variance cannot be estimated; drop it or use the mean-only adjustment", c.levels[k])
		}
	}
	return c, nil
}

// constantFeatures splits the feature columns into those ComBat adjusts
// (keep) and those constant within some centre of two or more patients
// (sva's zero.rows), passed through unadjusted — or an error with
// RejectConstant.
func constantFeatures(X [][]float64, c centreSet, o Options) (keep, unadjusted []int, err error) {
	for j := 0; j < len(X[0]); j++ {
		constant := -1
		for k, m := range c.members {
			if len(m) < 2 {
				continue
			}
			v0 := X[m[0]][j]
			same := true
			for _, i := range m[1:] {
				if X[i][j] != v0 {
					same = false
					break
				}
			}
			if same {
				constant = k
				break
			}
		}
		if constant < 0 {
			keep = append(keep, j)
			continue
		}
		if o.RejectConstant {
			return nil, nil, fmt.Errorf("harmonize: %s is constant within centre %q (%d patients): ComBat cannot scale it", colName(o.Names, j, "feature"), c.levels[constant], c.counts[constant])
		}
		unadjusted = append(unadjusted, j)
	}
	return keep, unadjusted, nil
}

// design is ComBat's design matrix: one indicator column per centre, then
// the covariates that are not all ones.
type design struct {
	D         *mat.Dense
	intercept []bool // per given covariate column: dropped as all ones
	covCols   []int  // the covariate columns kept, in order
}

// newDesign builds the design and refuses one without full column rank
// (covariates confounded with centre or each other) or without residual
// degrees of freedom.
func newDesign(covars [][]float64, q int, c centreSet, covNamesOpt []string) (design, error) {
	d := design{intercept: make([]bool, q)}
	for col := 0; col < q; col++ {
		ones := true
		for i := range covars {
			if covars[i][col] != 1 {
				ones = false
				break
			}
		}
		d.intercept[col] = ones
		if !ones {
			d.covCols = append(d.covCols, col)
		}
	}
	n, nb, nc := len(c.index), len(c.levels), len(d.covCols)
	kd := nb + nc
	d.D = mat.NewDense(n, kd, nil)
	for i := 0; i < n; i++ {
		d.D.Set(i, c.index[i], 1)
		for col, cc := range d.covCols {
			d.D.Set(i, nb+col, covars[i][cc])
		}
	}
	if r := rank(d.D); r < kd {
		if nc == 0 {
			return d, fmt.Errorf("harmonize: design matrix has rank %d < %d", r, kd)
		}
		return d, fmt.Errorf("harmonize: covariates (%s) are confounded with centre or with each other (design rank %d < %d columns)", covNames(covNamesOpt, d.covCols), r, kd)
	}
	if n <= kd {
		return d, fmt.Errorf("harmonize: %d patients for %d design columns (%d centres, %d covariates): no residual variance to standardise by", n, kd, nb, nc)
	}
	return d, nil
}

// regress solves B̂ = (DᵀD)⁻¹ DᵀY for the kept feature columns Y of X.
func regress(X [][]float64, keep []int, D *mat.Dense) (Y, B *mat.Dense, err error) {
	n := len(X)
	Y = mat.NewDense(n, max(len(keep), 1), nil)
	for i := 0; i < n; i++ {
		for jj, j := range keep {
			Y.Set(i, jj, X[i][j])
		}
	}
	var dtd mat.SymDense
	dtd.SymOuterK(1, D.T())
	var chol mat.Cholesky
	if !chol.Factorize(&dtd) {
		return nil, nil, fmt.Errorf("harmonize: design matrix is singular")
	}
	var dty mat.Dense
	dty.Mul(D.T(), Y)
	B = new(mat.Dense)
	if err := chol.SolveTo(B, &dty); err != nil {
		return nil, nil, fmt.Errorf("harmonize: solving the design: %v", err)
	}
	return Y, B, nil
}

// newModel allocates the model; unadjusted features get unit scales.
func newModel(p int, c centreSet, d design, unadjusted []int, o Options) *Model {
	nb, nc := len(c.levels), len(d.covCols)
	m := &Model{
		Batches: c.levels, Counts: c.counts, Features: p, Covariates: nc,
		Intercept: d.intercept, Unadjusted: unadjusted,
		GrandMean: make([]float64, p), VarPooled: make([]float64, p),
		Beta:     make([][]float64, nc),
		GammaHat: newMat(nb, p), DeltaHat: newMat(nb, p),
		GammaStar: newMat(nb, p), DeltaStar: newMat(nb, p),
		GammaBar: make([]float64, nb), Tau2: make([]float64, nb),
		APrior: make([]float64, nb), BPrior: make([]float64, nb),
		Iterations: make([]int, nb),
		Options:    Options{NonParametric: o.NonParametric, MeanOnly: o.MeanOnly, RejectConstant: o.RejectConstant},
	}
	for col := range m.Beta {
		m.Beta[col] = make([]float64, p)
	}
	for _, j := range unadjusted {
		for k := 0; k < nb; k++ {
			m.DeltaStar[k][j] = 1
			m.DeltaHat[k][j] = 1
		}
		m.VarPooled[j] = 1
	}
	return m
}

// poolVariance sets the grand mean α̂ (centre effects weighted by centre
// size), the covariate effects β̂ and the pooled residual variance σ̂² of
// each kept feature; a feature fitted exactly has σ̂² = 0 and is an error.
func (m *Model) poolVariance(Y, B, D *mat.Dense, keep []int, c centreSet, names []string) error {
	n, nb := len(c.index), len(c.levels)
	var fitted mat.Dense
	fitted.Mul(D, B)
	for jj, j := range keep {
		var gm float64
		for k := 0; k < nb; k++ {
			gm += float64(c.counts[k]) / float64(n) * B.At(k, jj)
		}
		m.GrandMean[j] = gm
		for col := range m.Beta {
			m.Beta[col][j] = B.At(nb+col, jj)
		}
		var ss float64
		for i := 0; i < n; i++ {
			r := Y.At(i, jj) - fitted.At(i, jj)
			ss += r * r
		}
		m.VarPooled[j] = ss / float64(n)
		if m.VarPooled[j] == 0 {
			return fmt.Errorf("harmonize: %s is fitted exactly by centre and covariates (pooled variance 0): ComBat cannot standardise it", colName(names, j, "feature"))
		}
	}
	return nil
}

// standardise returns s[i][jj] = (X[i][j] − α̂_j − covariates·β̂_j) / σ̂_j for
// the kept features j = keep[jj].
func (m *Model) standardise(X, covars [][]float64, keep []int) [][]float64 {
	s := newMat(len(X), len(keep))
	for i := range X {
		var cov []float64
		if covars != nil {
			cov = covars[i]
		}
		for jj, j := range keep {
			s[i][jj] = (X[i][j] - m.standMean(j, cov)) / math.Sqrt(m.VarPooled[j])
		}
	}
	return s
}

// shrinkCentre estimates centre k's location γ̂ and scale δ̂² on the
// standardised data, its priors (γ̄, τ², and the inverse-gamma λ, θ), and
// the empirical-Bayes estimates γ*, δ²*: parametric by fixed-point
// iteration, non-parametric by sva's weighted average, or location only.
func (m *Model) shrinkCentre(k int, s [][]float64, keep []int, c centreSet, o Options) error {
	mem := c.members[k]
	pk := len(keep)
	gh := make([]float64, pk)
	dh := make([]float64, pk)
	for jj := range keep {
		var sum float64
		for _, i := range mem {
			sum += s[i][jj]
		}
		mean := sum / float64(len(mem))
		gh[jj] = mean
		if o.MeanOnly {
			dh[jj] = 1
			continue
		}
		var ss float64
		for _, i := range mem {
			d := s[i][jj] - mean
			ss += d * d
		}
		dh[jj] = ss / float64(len(mem)-1)
		// On the standardised scale (pooled variance 1) a variance below
		// rounding noise, (1e-12)², means the covariates fit this centre
		// exactly: δ̂² = 0 cannot be scaled (the priors and likelihoods
		// would divide by it and give NaN).
		if dh[jj] < 1e-24 {
			return fmt.Errorf("harmonize: %s has no variance within centre %q once the covariates are removed: ComBat cannot scale it", colName(o.Names, keep[jj], "feature"), c.levels[k])
		}
	}
	gbar, t2 := meanVar(gh)
	m.GammaBar[k], m.Tau2[k] = gbar, t2
	if !o.MeanOnly {
		m.APrior[k], m.BPrior[k] = aPrior(dh), bPrior(dh)
	}
	var gs, ds []float64
	switch {
	case o.NonParametric:
		gs, ds = nonParametric(s, mem, gh, dh)
	case o.MeanOnly:
		gs, ds = make([]float64, pk), make([]float64, pk)
		for jj := range gs {
			gs[jj] = postMean(gh[jj], gbar, 1, 1, t2)
		}
	default:
		var it int
		var err error
		gs, ds, it, err = iterate(s, mem, gh, dh, gbar, t2, m.APrior[k], m.BPrior[k])
		if err != nil {
			return fmt.Errorf("harmonize: centre %q: %v", c.levels[k], err)
		}
		m.Iterations[k] = it
	}
	if o.MeanOnly {
		for jj := range ds {
			ds[jj] = 1
		}
	}
	for jj, j := range keep {
		m.GammaHat[k][j], m.DeltaHat[k][j] = gh[jj], dh[jj]
		m.GammaStar[k][j], m.DeltaStar[k][j] = gs[jj], ds[jj]
	}
	return nil
}

// standMean is α̂_g + X β̂_g for one patient's covariates (given columns,
// all-ones ones included but ignored).
func (m *Model) standMean(j int, cov []float64) float64 {
	v := m.GrandMean[j]
	c := 0
	for ci, isOne := range m.Intercept {
		if isOne {
			continue
		}
		v += cov[ci] * m.Beta[c][j]
		c++
	}
	return v
}

// Apply harmonises X (rows of patients, the same feature columns as in Fit)
// with the fitted model. batch gives each row's centre, which must be one
// seen in Fit; covars must have the columns given to Fit (nil if none).
// X is not modified.
func (m *Model) Apply(X [][]float64, batch []string, covars [][]float64) ([][]float64, error) {
	q := len(m.Intercept)
	if (covars == nil) != (q == 0) {
		if covars == nil {
			return nil, fmt.Errorf("harmonize: the model was fitted with %d covariates; Apply got none", q)
		}
		return nil, fmt.Errorf("harmonize: the model was fitted without covariates; Apply got %d", len(covars[0]))
	}
	if err := checkInputs(X, batch, covars, Options{}, m.Features, q); err != nil {
		return nil, err
	}
	skip := make([]bool, m.Features)
	for _, j := range m.Unadjusted {
		skip[j] = true
	}
	out := newMat(len(X), m.Features)
	for i, row := range X {
		k, ok := slices.BinarySearch(m.Batches, batch[i])
		if !ok {
			return nil, fmt.Errorf("harmonize: row %d: centre %q was not in the training data (have %s)", i+1, batch[i], strings.Join(m.Batches, ", "))
		}
		var cov []float64
		if covars != nil {
			cov = covars[i]
		}
		for j, y := range row {
			if skip[j] {
				out[i][j] = y
				continue
			}
			sd := math.Sqrt(m.VarPooled[j])
			sm := m.standMean(j, cov)
			z := (y - sm) / sd
			out[i][j] = (z-m.GammaStar[k][j])/math.Sqrt(m.DeltaStar[k][j])*sd + sm
		}
	}
	return out, nil
}

// Rows is the number of training patients.
func (m *Model) Rows() int {
	n := 0
	for _, c := range m.Counts {
		n += c
	}
	return n
}

// FitApply fits a model on X and returns it with X harmonised, the
// equivalent of one sva::ComBat call.
func FitApply(X [][]float64, batch []string, covars [][]float64, o Options) ([][]float64, *Model, error) {
	m, err := Fit(X, batch, covars, o)
	if err != nil {
		return nil, nil, err
	}
	out, err := m.Apply(X, batch, covars)
	return out, m, err
}

// iterate is sva's it.sol: alternate the posterior mean of γ given δ² and
// the posterior mean of δ² given γ until
//
//	max_g max(|γ_new−γ_old|/γ_old, |δ²_new−δ²_old|/δ²_old) ≤ 1e-4
//
// (sva's signed relative change). With n patients in the centre,
//
//	γ_new = (τ² n γ̂ + δ²_old γ̄)/(τ² n + δ²_old)
//	δ²_new = (½ Σ_j (Z_j − γ_new)² + θ)/(n/2 + λ − 1)
func iterate(s [][]float64, mem []int, gh, dh []float64, gbar, t2, a, b float64) (gs, ds []float64, it int, err error) {
	pk := len(gh)
	n := float64(len(mem))
	gOld, dOld := slices.Clone(gh), slices.Clone(dh)
	gNew, dNew := make([]float64, pk), make([]float64, pk)
	for change := 1.0; change > convergence; {
		if it == maxIterations {
			return nil, nil, it, fmt.Errorf("empirical-Bayes iteration did not converge in %d steps", it)
		}
		change = math.Inf(-1)
		for j := 0; j < pk; j++ {
			gNew[j] = postMean(gh[j], gbar, n, dOld[j], t2)
			var sum2 float64
			for _, i := range mem {
				d := s[i][j] - gNew[j]
				sum2 += d * d
			}
			dNew[j] = (0.5*sum2 + b) / (n/2 + a - 1)
			c := max(math.Abs(gNew[j]-gOld[j])/gOld[j], math.Abs(dNew[j]-dOld[j])/dOld[j])
			if math.IsNaN(c) {
				return nil, nil, it, fmt.Errorf("empirical-Bayes iteration produced NaN (a location estimate is exactly 0)")
			}
			change = max(change, c)
		}
		copy(gOld, gNew)
		copy(dOld, dNew)
		it++
	}
	return gNew, dNew, it, nil
}

// nonParametric is sva's int.eprior: for feature g, γ* and δ²* are the
// averages of the other features' γ̂_h, δ̂²_h weighted by
//
//	L_h = (2π δ̂²_h)^(−n/2) exp(−Σ_j (Z_jg − γ̂_h)² / (2 δ̂²_h))
//
// evaluated in log space (the weights are normalised, so only differences
// of log L_h matter).
func nonParametric(s [][]float64, mem []int, gh, dh []float64) (gs, ds []float64) {
	pk := len(gh)
	n := float64(len(mem))
	gs, ds = make([]float64, pk), make([]float64, pk)
	logL := make([]float64, pk)
	norm := make([]float64, pk) // −(n/2) log(2π δ̂²_h)
	for h := range norm {
		norm[h] = -n / 2 * math.Log(2*math.Pi*dh[h])
	}
	for g := 0; g < pk; g++ {
		// Σ_j (Z_jg − γ̂_h)² = SS + n (Z̄_g − γ̂_h)²: O(1) per h, and both
		// terms are non-negative, so nothing cancels.
		var mean float64
		for _, i := range mem {
			mean += s[i][g]
		}
		mean /= n
		var ss float64
		for _, i := range mem {
			d := s[i][g] - mean
			ss += d * d
		}
		best := math.Inf(-1)
		for h := 0; h < pk; h++ {
			if h == g {
				continue
			}
			d := mean - gh[h]
			sum2 := ss + n*d*d
			logL[h] = norm[h] - sum2/(2*dh[h])
			best = max(best, logL[h])
		}
		var w, wg, wd float64
		for h := 0; h < pk; h++ {
			if h == g {
				continue
			}
			e := math.Exp(logL[h] - best)
			w += e
			wg += e * gh[h]
			wd += e * dh[h]
		}
		gs[g], ds[g] = wg/w, wd/w
	}
	return gs, ds
}

// postMean is sva's postmean: (τ² n γ̂ + δ² γ̄)/(τ² n + δ²).
func postMean(gHat, gBar, n, d, t2 float64) float64 {
	return (t2*n*gHat + d*gBar) / (t2*n + d)
}

// aPrior is the method-of-moments inverse-gamma shape, (2s² + m²)/s², from
// the mean m and sample variance s² of the δ̂².
func aPrior(d []float64) float64 {
	m, s2 := meanVar(d)
	return (2*s2 + m*m) / s2
}

// bPrior is the inverse-gamma scale, (m s² + m³)/s².
func bPrior(d []float64) float64 {
	m, s2 := meanVar(d)
	return (m*s2 + m*m*m) / s2
}

// meanVar returns the mean and the sample (n−1) variance.
func meanVar(x []float64) (mean, v float64) {
	for _, a := range x {
		mean += a
	}
	mean /= float64(len(x))
	for _, a := range x {
		d := a - mean
		v += d * d
	}
	if len(x) > 1 {
		v /= float64(len(x) - 1)
	} else {
		v = math.NaN()
	}
	return mean, v
}

func newMat(r, c int) [][]float64 {
	back := make([]float64, r*c)
	m := make([][]float64, r)
	for i := range m {
		m[i] = back[i*c : (i+1)*c : (i+1)*c]
	}
	return m
}

// rank is the numerical rank of D, with R's qr() tolerance (1e-7 relative
// to the largest singular value).
func rank(D *mat.Dense) int {
	var svd mat.SVD
	if !svd.Factorize(D, mat.SVDNone) {
		return 0
	}
	v := svd.Values(nil)
	r := 0
	for _, s := range v {
		if s > 1e-7*v[0] {
			r++
		}
	}
	return r
}

func covNames(names []string, cols []int) string {
	var out []string
	for _, c := range cols {
		out = append(out, strings.TrimPrefix(colName(names, c, "covariate"), "covariate "))
	}
	return strings.Join(out, ", ")
}
