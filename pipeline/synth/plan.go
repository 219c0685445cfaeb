package synth

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/scirad/scirad/pipeline/cohort"
)

// Options control the generator.
type Options struct {
	N       int    // patients; 0 means 82, the paper's analysed cohort
	Seed    uint64 // every random draw derives from it
	Size    Size
	Workers int // patients rendered at once by Write; 0 means 1
}

// Case is the hidden truth of one synthetic patient: the injury parameters
// that shape the image and drive the outcome. Write does not save it; tests
// and sanity checks use it.
type Case struct {
	ID, Center string
	Slices     int

	LesionCenter  float64 // mm below the foramen magnum
	LesionLength  float64 // mm, cranio-caudal extent of the oedema
	LesionWidth   float64 // fraction (0–1) of the cord cross-section involved
	Oedema        float64 // T2 brightening of the oedema, 0–1
	Heterogeneity float64 // haemorrhagic (T2-dark) foci within the lesion, 0–1
	Compression   float64 // fractional narrowing of the canal at the lesion, 0–0.55
	Swelling      float64 // fractional widening of the cord over the lesion, 0–0.3
	CordTexture   float64 // diffuse whole-cord heterogeneity, 0–1

	Severity float64 // the latent score of the outcome model (higher = worse)
	Good     bool    // good prognosis under the paper's rule
}

// Cohort is a planned synthetic cohort: clinical rows and hidden cases.
// Images are rendered on demand (Render) or written by Write.
type Cohort struct {
	Options
	Patients []cohort.Patient // clinical rows (no paths)
	Cases    []Case
}

// Centres: the paper's three hospitals (86/118/19 recruited) with a
// plausible 35/38/9 split after exclusions.
var centerNames = []string{"A", "B", "C"}
var centerShare = []float64{35, 38, 9}

// Outcome model weights on the standardised injury parameters (see the
// package doc); severityNoise is the standard deviation of the
// non-imaging part.
var (
	weightLength      = 0.8
	weightWidth       = 0.5
	weightHetero      = 0.6
	weightCompression = 0.6
	weightTexture     = 0.5
	weightSwelling    = 0.3
	severityNoise     = 0.7
)

// Table 1 of the paper: group sizes and per-group summaries, in the
// orders of cohort.Sexes, Causes and Grades.
var (
	paperGood, paperPoor = 49, 33
	countsSex            = [2][]float64{{34, 15}, {29, 4}}
	countsCause          = [2][]float64{{20, 11, 5, 13}, {15, 6, 3, 9}}
	countsASIAAdm        = [2][]float64{{8, 6, 16, 15, 4}, {5, 9, 7, 10, 2}}
	countsASIA1y         = [2][]float64{{4, 4, 5, 29, 7}, {3, 3, 7, 18, 2}}
	ageMeanSD            = [2][2]float64{{52.07, 12.7}, {52.73, 12.53}}
	daysMeanSD           = [2][2]float64{{15.3, 17.87}, {11.16, 9.73}}
	uemsAdmMeanSD        = [2][2]float64{{25.57, 16.05}, {22.64, 14.41}}
)

// cut is the integer boundary of the change score δ: good patients get
// δ ≤ cut−1, poor ones δ ≥ cut, and the cohort mean is steered into
// (cut−1, cut), so the paper's rule reproduces the planned classes exactly
// and the threshold lands near the paper's −4.55.
const cut = -4

// paperThreshold is the threshold the paper reports (Methods).
const paperThreshold = -4.55

// Plan draws the clinical table and the hidden injury parameters. It is
// cheap (no image is rendered) and deterministic for o.
func Plan(o Options) (*Cohort, error) {
	if o.N == 0 {
		o.N = 82
	}
	if o.N < 4 {
		return nil, fmt.Errorf("synth: need at least 4 patients, got %d", o.N)
	}
	if o.N > 9999 {
		return nil, fmt.Errorf("synth: at most 9999 patients, got %d", o.N)
	}
	if o.Size != Small && o.Size != Paper {
		return nil, fmt.Errorf("synth: unknown size %d", o.Size)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5c1a_d0c0))
	geo := o.Size.geometry()
	n := o.N
	c := &Cohort{Options: o, Cases: make([]Case, n), Patients: make([]cohort.Patient, n)}

	centers := apportion(centerShare, n)
	centerOf := make([]string, 0, n)
	for i, k := range centers {
		for range k {
			centerOf = append(centerOf, centerNames[i])
		}
	}
	rng.Shuffle(n, func(i, j int) { centerOf[i], centerOf[j] = centerOf[j], centerOf[i] })

	for i := range c.Cases {
		c.Cases[i] = drawCase(rng, geo)
		c.Cases[i].ID = fmt.Sprintf("SCI%03d", i+1)
		c.Cases[i].Center = centerOf[i]
	}
	// Good prognosis: the lowest-severity patients, as many as the paper's
	// 49 of 82.
	nGood := int(math.Round(float64(n) * float64(paperGood) / float64(paperGood+paperPoor)))
	nGood = min(max(nGood, 1), n-1)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(c.Cases[a].Severity, c.Cases[b].Severity) })
	groups := [2][]int{order[:nGood], order[nGood:]} // by increasing severity
	for _, i := range groups[0] {
		c.Cases[i].Good = true
	}
	for i := range c.Patients {
		c.Patients[i].ID = c.Cases[i].ID
		c.Patients[i].Center = c.Cases[i].Center
	}
	for g, idx := range groups {
		drawClinical(rng, c.Patients, idx, g)
	}
	if err := steerDelta(rng, c.Patients, groups); err != nil {
		return nil, err
	}
	out, err := cohort.DeriveOutcome(c.Patients)
	if err != nil {
		return nil, err
	}
	for i, l := range out.Labels {
		if (l == 1) != c.Cases[i].Good {
			return nil, fmt.Errorf("synth: internal error: patient %s planned %v, derived %d", c.Cases[i].ID, c.Cases[i].Good, l)
		}
	}
	return c, nil
}

// drawCase draws one patient's injury and scan parameters, and the latent
// severity.
func drawCase(rng *rand.Rand, geo geometry) Case {
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	var k Case
	k.Slices = geo.minSlices + rng.IntN(geo.maxSl-geo.minSlices+1)
	k.LesionCenter = u(45, 90) // C3 to C6/7
	logLen := math.Log(18) + 0.45*rng.NormFloat64()
	k.LesionLength = math.Min(55, math.Max(6, math.Exp(logLen)))
	k.LesionWidth = u(0.45, 0.95)
	k.Oedema = u(0.45, 1)
	k.Heterogeneity = u(0, 1)
	if rng.Float64() < 0.6 {
		k.Compression = u(0.05, 0.55)
	}
	k.Swelling = u(0, 0.3)
	k.CordTexture = u(0, 1)
	// Standardise each parameter by its population mean and SD.
	zLen := (math.Log(k.LesionLength) - math.Log(18)) / 0.45
	zWidth := (k.LesionWidth - 0.7) / (0.5 / math.Sqrt(12))
	zHet := (k.Heterogeneity - 0.5) / (1 / math.Sqrt(12))
	const compMean, compSD = 0.18, 0.19 // of the 60/40 mixture above
	zComp := (k.Compression - compMean) / compSD
	zTex := (k.CordTexture - 0.5) / (1 / math.Sqrt(12))
	zSwell := (k.Swelling - 0.15) / (0.3 / math.Sqrt(12))
	k.Severity = weightLength*zLen + weightWidth*zWidth + weightHetero*zHet +
		weightCompression*zComp + weightTexture*zTex + weightSwelling*zSwell +
		severityNoise*rng.NormFloat64()
	return k
}

// apportion splits n in proportion to share by largest remainders (ties
// to the earlier entry).
func apportion(share []float64, n int) []int {
	var total float64
	for _, s := range share {
		total += s
	}
	out := make([]int, len(share))
	rem := make([]float64, len(share))
	left := n
	for i, s := range share {
		x := s / total * float64(n)
		out[i] = int(math.Floor(x))
		rem[i] = x - float64(out[i])
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// categories returns a shuffled list of len(idx) category values with the
// paper's group counts scaled to the group size.
func categories(rng *rand.Rand, levels []string, counts []float64, n int) []string {
	k := apportion(counts, n)
	var out []string
	for i, l := range levels {
		for range k[i] {
			out = append(out, l)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// matched draws n values with the given mean and SD: draw() samples,
// then an affine map fixes the sample moments exactly, and fix() rounds
// and clamps; the map is re-fitted 30 times so that the moments survive
// the rounding and clamping as far as the bounds allow.
func matched(n int, mean, sd float64, draw func() float64, fix func(float64) float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = draw()
	}
	if n < 2 {
		for i := range x {
			x[i] = fix(mean)
		}
		return x
	}
	raw := slices.Clone(x)
	a, b := 1.0, 0.0
	for range 30 {
		m, s := moments(x)
		if s == 0 || n < 2 {
			break
		}
		a *= sd / s
		b = b*sd/s + mean - m*sd/s
		for i := range x {
			x[i] = fix(a*raw[i] + b)
		}
	}
	return x
}

func moments(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

// drawClinical fills the clinical fields of the patients idx of group g
// (0 good, 1 poor) except UEMS at one year, from the paper's Table 1.
func drawClinical(rng *rand.Rand, ps []cohort.Patient, idx []int, g int) {
	n := len(idx)
	sex := categories(rng, cohort.Sexes, countsSex[g][:], n)
	cause := categories(rng, cohort.Causes, countsCause[g][:], n)
	age := matched(n, ageMeanSD[g][0], ageMeanSD[g][1], rng.NormFloat64,
		func(x float64) float64 { return math.Min(90, math.Max(18, math.Round(x))) })
	m, s := daysMeanSD[g][0], daysMeanSD[g][1]
	sig := math.Sqrt(math.Log(1 + s*s/(m*m)))
	mu := math.Log(m) - sig*sig/2
	days := matched(n, m, s, func() float64 { return math.Exp(mu + sig*rng.NormFloat64()) },
		func(x float64) float64 { return math.Max(0, math.Round(x)) })
	hi := float64(cohort.MaxUEMS)
	if g == 0 {
		hi = cohort.MaxUEMS + cut - 1 // room to improve by 1−cut points
	}
	adm := matched(n, uemsAdmMeanSD[g][0], uemsAdmMeanSD[g][1], rng.NormFloat64,
		func(x float64) float64 { return math.Min(hi, math.Max(0, math.Round(x))) })
	// ASIA grade at admission follows the admission score's rank: lower
	// score, worse grade.
	grades := gradesByRank(categories(rng, cohort.Grades, countsASIAAdm[g][:], n), adm)
	for r, i := range idx {
		p := &ps[i]
		p.Age, p.Sex, p.DaysToSurgery, p.Cause = age[r], sex[r], days[r], cause[r]
		p.UEMSAdmission, p.ASIAAdmission = adm[r], grades[r]
	}
}

// gradesByRank gives the worst grade (A) to the lowest score; ties keep
// index order.
func gradesByRank(grades []string, score []float64) []string {
	slices.Sort(grades)
	ord := make([]int, len(score))
	for i := range ord {
		ord[i] = i
	}
	slices.SortStableFunc(ord, func(a, b int) int { return cmp.Compare(score[a], score[b]) })
	out := make([]string, len(score))
	for r, i := range ord {
		out[i] = grades[r]
	}
	return out
}

// steerDelta draws the change score δ for every patient and sets UEMS at
// one year (uems_1y = uems_admission − δ). Good patients (groups[0], in
// increasing severity) get δ ≤ cut−1, poor ones δ ≥ cut, monotone in
// severity within a group; then single points are moved until the cohort
// mean is the paper's −4.55 to the nearest 1/n (always strictly between
// cut−1 and cut), which makes the paper's rule give exactly the planned
// classes with no δ equal to the threshold. Finally ASIA grades at one year follow the one-year
// score's rank within each group.
func steerDelta(rng *rand.Rand, ps []cohort.Patient, groups [2][]int) error {
	gamma := func(shape, scale float64) float64 { // shape ≥ 1 (Marsaglia–Tsang)
		d := shape - 1.0/3
		c := 1 / math.Sqrt(9*d)
		for {
			x := rng.NormFloat64()
			v := 1 + c*x
			if v <= 0 {
				continue
			}
			v = v * v * v
			if math.Log(rng.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
				return d * v * scale
			}
		}
	}
	delta := make([]float64, len(ps))
	lo := make([]float64, len(ps)) // δ ≥ uems_adm − 50 (one-year score ≤ 50)
	hi := make([]float64, len(ps)) // δ ≤ uems_adm (one-year score ≥ 0)
	for i, p := range ps {
		lo[i], hi[i] = p.UEMSAdmission-cohort.MaxUEMS, p.UEMSAdmission
	}
	for g, idx := range groups {
		vals := make([]float64, len(idx))
		for r := range vals {
			if g == 0 { // improvement of 5 points or more, mean about 8
				vals[r] = float64(cut-1) - math.Round(gamma(1.5, 2))
			} else { // from a small gain to a loss, mean about +0.6
				vals[r] = float64(cut) + math.Round(gamma(1.2, 3.8))
			}
		}
		slices.Sort(vals) // most improvement first: goes to the least severe
		for r, i := range idx {
			v := math.Min(hi[i], math.Max(lo[i], vals[r]))
			if g == 0 {
				v = math.Min(v, float64(cut-1))
			} else {
				v = math.Max(v, float64(cut))
			}
			delta[i] = v
		}
	}
	good := make([]bool, len(ps))
	for _, i := range groups[0] {
		good[i] = true
	}
	n := float64(len(ps))
	var sum float64
	for _, d := range delta {
		sum += d
	}
	// Aim at the paper's threshold, kept strictly inside (cut−1, cut).
	target := math.Round(n * paperThreshold)
	target = math.Min(n*cut-1, math.Max(n*(cut-1)+1, target))
	for step := 0; sum != target; step++ {
		if step > 100000 {
			return errors.New("synth: cannot place the outcome threshold (internal error)")
		}
		down := sum > target
		var can []int
		for i := range delta {
			switch {
			case down && good[i] && delta[i]-1 >= lo[i]:
				can = append(can, i)
			case down && !good[i] && delta[i]-1 >= max(float64(cut), lo[i]):
				can = append(can, i)
			case !down && good[i] && delta[i]+1 <= cut-1:
				can = append(can, i)
			case !down && !good[i] && delta[i]+1 <= hi[i]:
				can = append(can, i)
			}
		}
		if len(can) == 0 {
			return errors.New("synth: no room to place the outcome threshold (internal error)")
		}
		i := can[rng.IntN(len(can))]
		if down {
			delta[i]--
			sum--
		} else {
			delta[i]++
			sum++
		}
	}
	for i := range ps {
		ps[i].UEMS1y = ps[i].UEMSAdmission - delta[i]
	}
	for g, idx := range groups {
		y := make([]float64, len(idx))
		for r, i := range idx {
			y[r] = ps[i].UEMS1y
		}
		grades := gradesByRank(categories(rng, cohort.Grades, countsASIA1y[g][:], len(idx)), y)
		for r, i := range idx {
			ps[i].ASIA1y = grades[r]
		}
	}
	return nil
}
