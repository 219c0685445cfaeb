package icc

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Result holds the ANOVA of an n × k ratings table and the six ICCs of
// Shrout and Fleiss in psych::ICC's order and naming.
type Result struct {
	N, K int // subjects, raters

	// Mean squares of the two-way ANOVA: between subjects (MSB, df n−1),
	// between raters (MSJ, df k−1), residual (MSE, df (n−1)(k−1)) and
	// within subjects (MSW = (SSJ + SSE)/(n(k−1)), the one-way residual).
	MSB, MSJ, MSE, MSW float64

	// ICC are, in order: ICC1 (one-way random, single rater), ICC2 (ICC(2,1):
	// two-way random, absolute agreement, single rater), ICC3 (ICC(3,1):
	// two-way mixed, consistency, single rater), and ICC1k, ICC2k, ICC3k,
	// the same for the mean of k raters:
	//
	//	ICC1  = (MSB − MSW) / (MSB + (k−1) MSW)
	//	ICC2  = (MSB − MSE) / (MSB + (k−1) MSE + k (MSJ − MSE)/n)
	//	ICC3  = (MSB − MSE) / (MSB + (k−1) MSE)
	//	ICC1k = (MSB − MSW) / MSB
	//	ICC2k = (MSB − MSE) / (MSB + (MSJ − MSE)/n)
	//	ICC3k = (MSB − MSE) / MSB
	ICC [6]float64
	// F, DF1, DF2 and P are each ICC's F test of ICC = 0: F = MSB/MSW for
	// ICC1 and ICC1k, MSB/MSE for the others; P is the upper tail.
	F, DF1, DF2, P [6]float64
	// Lower and Upper are the 1 − alpha confidence bounds, computed as
	// psych::ICC does (for ICC2 and ICC2k, Satterthwaite's approximate
	// degrees of freedom of McGraw and Wong).
	Lower, Upper [6]float64
}

// Names are psych::ICC's names of Result.ICC's entries.
var Names = [6]string{"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}

// ICC21 is ICC(2,1): two-way random effects, absolute agreement, single rater.
func (r *Result) ICC21() float64 { return r.ICC[1] }

// ICC31 is ICC(3,1): two-way mixed effects, consistency, single rater.
func (r *Result) ICC31() float64 { return r.ICC[2] }

// eps is the float64 machine epsilon.
const eps = 0x1p-52

// ErrConstant is returned when every rating is the same (to within float64
// rounding): the ICC is 0/0.
var ErrConstant = errors.New("icc: all ratings are equal; the ICC is undefined")

// Compute returns the ANOVA and ICCs of x, where x[i][j] is rater j's rating
// of subject i; alpha is the confidence level's complement (psych's default
// 0.05 when 0). It is an error for x to have fewer than two subjects or two
// raters, ragged rows, non-finite values, or no variance at all.
//
// Special cases: when the subjects' mean ratings are all equal (MSB = 0) an
// ICC whose denominator vanishes is −Inf and its confidence bounds NaN, as
// psych::ICC 2.2.9 gives them; when the residual MSE is 0 too (raters that
// differ by a constant on identical subjects) ICC3 and ICC3k are 0/0, NaN
// (psych's sums of squares keep rounding residue there and it prints 1);
// ICC2's bounds are NaN when Satterthwaite's degrees of freedom are not
// positive (R's qf gives NaN); ICC2k's denominator MSB + (MSJ − MSE)/n can
// be negative, so ICC2k alone may exceed 1 (psych: 3.0437 for
// {{0.16, 0.16, 2.4}, {2.4, 0, 0}}).
func Compute(x [][]float64, alpha float64) (*Result, error) {
	if alpha == 0 {
		alpha = 0.05
	}
	if !(alpha > 0 && alpha < 1) {
		return nil, fmt.Errorf("icc: alpha %g must be in (0, 1)", alpha)
	}
	n := len(x)
	if n < 2 {
		return nil, fmt.Errorf("icc: %d subjects; need at least 2", n)
	}
	k := len(x[0])
	if k < 2 {
		return nil, fmt.Errorf("icc: %d raters; need at least 2", k)
	}
	var grand float64
	for i, row := range x {
		if len(row) != k {
			return nil, fmt.Errorf("icc: subject %d has %d ratings, subject 0 has %d", i, len(row), k)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("icc: rating %d of subject %d is %g", j, i, v)
			}
			grand += v
		}
	}
	nf, kf := float64(n), float64(k)
	grand /= nf * kf
	rowMean := make([]float64, n)
	colMean := make([]float64, k)
	for i, row := range x {
		for j, v := range row {
			rowMean[i] += v
			colMean[j] += v
		}
	}
	var ssb, ssj, sse float64
	for i := range rowMean {
		rowMean[i] /= kf
		d := rowMean[i] - grand
		ssb += d * d
	}
	ssb *= kf
	for j := range colMean {
		colMean[j] /= nf
		d := colMean[j] - grand
		ssj += d * d
	}
	ssj *= nf
	for i, row := range x {
		for j, v := range row {
			e := v - rowMean[i] - colMean[j] + grand
			sse += e * e
		}
	}
	// All ratings equal: the sums of squares are 0, or rounding residue of
	// the means (sum/nk need not return the common value exactly), which
	// would give an arbitrary ICC. Spread at the level of float64 rounding
	// counts as none.
	var scale float64
	for _, row := range x {
		for _, v := range row {
			scale = math.Max(scale, math.Abs(v))
		}
	}
	if ss := ssb + ssj + sse; ss <= nf*kf*math.Pow(64*eps*scale, 2) {
		return nil, ErrConstant
	}
	r := &Result{N: n, K: k}
	dfB, dfJ, dfE := nf-1, kf-1, (nf-1)*(kf-1)
	r.MSB, r.MSJ, r.MSE = ssb/dfB, ssj/dfJ, sse/dfE
	r.MSW = (ssj + sse) / (dfJ + dfE)
	msb, msj, mse, msw := r.MSB, r.MSJ, r.MSE, r.MSW

	icc2 := (msb - mse) / (msb + (kf-1)*mse + kf*(msj-mse)/nf)
	r.ICC = [6]float64{
		(msb - msw) / (msb + (kf-1)*msw),
		icc2,
		(msb - mse) / (msb + (kf-1)*mse),
		(msb - msw) / msb,
		(msb - mse) / (msb + (msj-mse)/nf),
		(msb - mse) / msb,
	}
	f11, f21 := msb/msw, msb/mse
	df11n, df11d := nf-1, nf*(kf-1)
	df21n, df21d := nf-1, (nf-1)*(kf-1)
	p11 := fUpper(f11, df11n, df11d)
	p21 := fUpper(f21, df21n, df21d)
	r.F = [6]float64{f11, f21, f21, f11, f21, f21}
	r.DF1 = [6]float64{df11n, df21n, df21n, df11n, df21n, df21n}
	r.DF2 = [6]float64{df11d, df21d, df21d, df11d, df21d, df21d}
	r.P = [6]float64{p11, p21, p21, p11, p21, p21}

	q := func(d1, d2 float64) float64 {
		// Satterthwaite's v is NaN or negative for some degenerate
		// ratings; R's qf gives NaN there, distuv.F would panic.
		if !(d1 > 0 && d2 > 0) {
			return math.NaN()
		}
		return distuv.F{D1: d1, D2: d2}.Quantile(1 - alpha/2)
	}
	f1L := f11 / q(df11n, df11d)
	f1U := f11 * q(df11d, df11n)
	f3L := f21 / q(df21n, df21d)
	f3U := f21 * q(df21d, df21n)
	r.Lower[0], r.Upper[0] = (f1L-1)/(f1L+(kf-1)), (f1U-1)/(f1U+kf-1)
	r.Lower[2], r.Upper[2] = (f3L-1)/(f3L+kf-1), (f3U-1)/(f3U+kf-1)
	r.Lower[3], r.Upper[3] = 1-1/f1L, 1-1/f1U
	r.Lower[5], r.Upper[5] = 1-1/f3L, 1-1/f3U

	// ICC2: McGraw and Wong's approximate F with Satterthwaite's df v.
	fj := msj / mse
	a := nf*(1+(kf-1)*icc2) - kf*icc2
	vn := (kf - 1) * (nf - 1) * (kf*icc2*fj + a) * (kf*icc2*fj + a)
	vd := (nf-1)*kf*kf*icc2*icc2*fj*fj + a*a
	v := vn / vd
	fU := q(nf-1, v)
	fL := q(v, nf-1)
	l2 := nf * (msb - fU*mse) / (fU*(kf*msj+(kf*nf-kf-nf)*mse) + nf*msb)
	u2 := nf * (fL*msb - mse) / (kf*msj + (kf*nf-kf-nf)*mse + nf*fL*msb)
	r.Lower[1], r.Upper[1] = l2, u2
	r.Lower[4], r.Upper[4] = l2*kf/(1+l2*(kf-1)), u2*kf/(1+u2*(kf-1))
	return r, nil
}

// fUpper is the upper tail P(F > f) of the F(d1, d2) distribution, as the
// regularised incomplete beta I_{d2/(d2+d1 f)}(d2/2, d1/2), which keeps full
// relative precision for tiny p (1 − CDF would round to 0).
func fUpper(f, d1, d2 float64) float64 {
	if f <= 0 {
		return 1
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}
