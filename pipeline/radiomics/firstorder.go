package radiomics

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/scirad/scirad/pipeline/internal/bufcache"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// First-order features describe the distribution of ROI intensities
// X = {x₁ … x_N}, ignoring where the voxels are (IBSI chapter 3.3
// "Intensity-based statistical features" and 3.5 "Intensity histogram
// features"; pyradiomics radiomics/firstorder.py). Notation:
//
//	N     number of ROI voxels
//	x̄     mean of X
//	c     voxelArrayShift (Settings.VoxelArrayShift), added before squaring
//	V     voxel volume in mm³
//	P(i)  fraction of ROI voxels in grey level i after discretisation
//	ε     machine epsilon 2.220446049250313e-16 (numpy.spacing(1))
//
// All are computed in float64 on the unrounded intensities except Entropy
// and Uniformity, which use the discretised grey levels (Discretize).
// Special cases: a flat ROI (one intensity) gives Skewness and Kurtosis 0
// (pyradiomics' convention; IBSI leaves them undefined), Variance, Range,
// MAD and RMAD 0, Entropy ≈ 0 and Uniformity 1.

// firstOrderDefs is the first-order registry in pyradiomics' output order
// (alphabetical by method name).
var firstOrderDefs = []feature.Def{
	{Class: "firstorder", Name: "10Percentile", IBSI: "QG58", Summary: "10th percentile of intensities"},
	{Class: "firstorder", Name: "90Percentile", IBSI: "8DWT", Summary: "90th percentile of intensities"},
	{Class: "firstorder", Name: "Energy", IBSI: "N8CA", Summary: "Σ (x + c)²"},
	{Class: "firstorder", Name: "Entropy", IBSI: "TLU2", Summary: "−Σ P(i) log₂(P(i) + ε) over grey levels"},
	{Class: "firstorder", Name: "InterquartileRange", IBSI: "SALO", Summary: "P75 − P25"},
	{Class: "firstorder", Name: "Kurtosis", IBSI: "IPH6", Summary: "m₄/m₂² (not excess: IBSI value + 3)"},
	{Class: "firstorder", Name: "Maximum", IBSI: "84IY", Summary: "largest intensity"},
	{Class: "firstorder", Name: "Mean", IBSI: "Q4LE", Summary: "mean intensity"},
	{Class: "firstorder", Name: "MeanAbsoluteDeviation", IBSI: "4FUA", Summary: "mean |x − x̄|"},
	{Class: "firstorder", Name: "Median", IBSI: "Y12H", Summary: "median intensity"},
	{Class: "firstorder", Name: "Minimum", IBSI: "1GSF", Summary: "smallest intensity"},
	{Class: "firstorder", Name: "Range", IBSI: "2OJQ", Summary: "max − min"},
	{Class: "firstorder", Name: "RobustMeanAbsoluteDeviation", IBSI: "1128", Summary: "mean absolute deviation of the intensities within [P10, P90]"},
	{Class: "firstorder", Name: "RootMeanSquared", IBSI: "5ZWQ", Summary: "√(Σ (x + c)² / N)"},
	{Class: "firstorder", Name: "Skewness", IBSI: "KE2A", Summary: "m₃/m₂^1.5"},
	{Class: "firstorder", Name: "TotalEnergy", IBSI: "", Summary: "V Σ (x + c)² (pyradiomics only)"},
	{Class: "firstorder", Name: "Uniformity", IBSI: "BJ5W", Summary: "Σ P(i)² over grey levels"},
	{Class: "firstorder", Name: "Variance", IBSI: "ECT3", Summary: "m₂, the population variance"},
}

// FirstOrderRegistry returns the 18 default first-order features.
func FirstOrderRegistry() []feature.Def { return slices.Clone(firstOrderDefs) }

// firstOrder holds what the first-order features share.
type firstOrder struct {
	sorted  []float64 // ROI intensities, ascending
	mean    float64
	shift   float64   // voxelArrayShift
	voxel   float64   // voxel volume, mm³
	p       []float64 // P(i) for the grey levels present, ascending level
	moments [5]float64
	energyV float64 // Energy once computed (Energy, TotalEnergy and RMS share it)
	energyK bool
}

// FirstOrder computes the first-order features of a discretised ROI, in
// registry order. It is an error for the ROI to be empty.
func FirstOrder(d *Discretized, s Settings) ([]feature.Value, error) {
	if d == nil || d.ROI == nil || d.ROI.N == 0 {
		return nil, fmt.Errorf("radiomics: first order: %w: empty ROI", ErrROI)
	}
	f := newFirstOrder(d, s)
	defer floatBufs.Put(f.sorted)
	funcs := map[string]func() float64{
		"10Percentile": f.percentile10, "90Percentile": f.percentile90,
		"Energy": f.energy, "Entropy": f.entropy, "InterquartileRange": f.interquartileRange,
		"Kurtosis": f.kurtosis, "Maximum": f.maximum, "Mean": f.meanValue,
		"MeanAbsoluteDeviation": f.meanAbsoluteDeviation, "Median": f.median,
		"Minimum": f.minimum, "Range": f.rangeValue,
		"RobustMeanAbsoluteDeviation": f.robustMeanAbsoluteDeviation,
		"RootMeanSquared":             f.rootMeanSquared, "Skewness": f.skewness,
		"TotalEnergy": f.totalEnergy, "Uniformity": f.uniformity, "Variance": f.variance,
	}
	want := s.Features["firstorder"]
	var out []feature.Value
	for _, def := range firstOrderDefs {
		if want != nil && !slices.Contains(want, def.Name) {
			continue
		}
		out = append(out, feature.Value{Def: def, Value: funcs[def.Name]()})
	}
	if want != nil {
		for _, n := range want {
			if _, ok := funcs[n]; !ok {
				return nil, fmt.Errorf("radiomics: unknown firstorder feature %q", n)
			}
		}
	}
	return out, nil
}

func newFirstOrder(d *Discretized, s Settings) *firstOrder {
	r := d.ROI
	f := &firstOrder{sorted: r.appendValues(floatBufs.Get(r.N)[:0]), shift: s.VoxelArrayShift}
	sp := r.Spacing()
	f.voxel = sp[0] * sp[1] * sp[2]
	sortFloats(f.sorted)
	n := float64(len(f.sorted))
	var sum float64
	for _, x := range f.sorted {
		sum += x
	}
	f.mean = sum / n
	// The sums in registers (the same additions in the same order as
	// into f.moments, which would store and reload each one per voxel).
	var m2, m3, m4 float64
	for _, x := range f.sorted {
		dx := x - f.mean
		d2 := dx * dx
		m2 += d2
		m3 += d2 * dx
		m4 += d2 * d2
	}
	f.moments[2], f.moments[3], f.moments[4] = m2/n, m3/n, m4/n
	counts := make([]int, d.Ng+1)
	for i, in := range r.Mask {
		if in {
			counts[d.Levels[i]]++
		}
	}
	for _, c := range counts {
		if c > 0 {
			f.p = append(f.p, float64(c)/n)
		}
	}
	return f
}

// floatBufs and keyBufs keep first order's sorted intensities and sort
// keys between calls (package bufcache): for a large ROI, allocating and
// faulting them in was a tenth of first order's time.
var (
	floatBufs bufcache.Cache[float64]
	keyBufs   bufcache.Cache[uint64]
)

// percentile is numpy.percentile's default (linear) interpolation: the
// value at rank q(N − 1) of the sorted intensities, interpolated between
// neighbours (Hyndman & Fan type 7).
func (f *firstOrder) percentile(q float64) float64 {
	pos := q / 100 * float64(len(f.sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(f.sorted)-1 {
		return f.sorted[len(f.sorted)-1]
	}
	t := pos - float64(lo)
	a, b := f.sorted[lo], f.sorted[lo+1]
	if t >= 0.5 { // numpy's _lerp, for the same rounding
		return b - (b-a)*(1-t)
	}
	return a + (b-a)*t
}

// percentile10 is the 10th percentile P10 (IBSI QG58).
func (f *firstOrder) percentile10() float64 { return f.percentile(10) }

// percentile90 is the 90th percentile P90 (IBSI 8DWT).
func (f *firstOrder) percentile90() float64 { return f.percentile(90) }

// energy (IBSI N8CA) is
//
//	Energy = Σᵢ (xᵢ + c)²
//
// with c = voxelArrayShift (pyradiomics shifts so that negative intensities
// do not add energy; IBSI has c = 0).
func (f *firstOrder) energy() float64 {
	if f.energyK {
		return f.energyV
	}
	var e float64
	for _, x := range f.sorted {
		y := x + f.shift
		e += y * y
	}
	f.energyV, f.energyK = e, true
	return e
}

// totalEnergy (no IBSI counterpart) is Energy scaled by the voxel volume:
//
//	TotalEnergy = V Σᵢ (xᵢ + c)²
func (f *firstOrder) totalEnergy() float64 { return f.energy() * f.voxel }

// entropy (IBSI TLU2, intensity-histogram entropy) is
//
//	Entropy = −Σᵢ P(i) log₂(P(i) + ε)
//
// over the discretised grey levels (ε keeps log₂ finite, as pyradiomics).
func (f *firstOrder) entropy() float64 {
	var h float64
	for _, p := range f.p {
		h -= p * math.Log2(p+eps)
	}
	return h
}

// eps is numpy.spacing(1), pyradiomics' guard against log(0).
const eps = 2.220446049250313e-16

// minimum (IBSI 1GSF) is the smallest ROI intensity.
func (f *firstOrder) minimum() float64 { return f.sorted[0] }

// maximum (IBSI 84IY) is the largest ROI intensity.
func (f *firstOrder) maximum() float64 { return f.sorted[len(f.sorted)-1] }

// meanValue (IBSI Q4LE) is x̄ = Σ xᵢ / N.
func (f *firstOrder) meanValue() float64 { return f.mean }

// median (IBSI Y12H) is the middle intensity, or the mean of the two middle
// ones when N is even.
func (f *firstOrder) median() float64 {
	n := len(f.sorted)
	if n%2 == 1 {
		return f.sorted[n/2]
	}
	return (f.sorted[n/2-1] + f.sorted[n/2]) / 2
}

// interquartileRange (IBSI SALO) is P75 − P25.
func (f *firstOrder) interquartileRange() float64 { return f.percentile(75) - f.percentile(25) }

// rangeValue (IBSI 2OJQ) is max − min.
func (f *firstOrder) rangeValue() float64 { return f.maximum() - f.minimum() }

// meanAbsoluteDeviation (IBSI 4FUA) is
//
//	MAD = Σᵢ |xᵢ − x̄| / N
func (f *firstOrder) meanAbsoluteDeviation() float64 {
	var s float64
	for _, x := range f.sorted {
		s += math.Abs(x - f.mean)
	}
	return s / float64(len(f.sorted))
}

// robustMeanAbsoluteDeviation (IBSI 1128) is the mean absolute deviation of
// the intensities X₁₀₋₉₀ that lie in [P10, P90], about their own mean:
//
//	rMAD = Σ_{x∈X₁₀₋₉₀} |x − x̄₁₀₋₉₀| / |X₁₀₋₉₀|
func (f *firstOrder) robustMeanAbsoluteDeviation() float64 {
	p10, p90 := f.percentile10(), f.percentile90()
	// The values sorted: those in [P10, P90] are one run of them.
	lo := sort.SearchFloat64s(f.sorted, p10)
	hi := lo + sort.Search(len(f.sorted)-lo, func(k int) bool { return f.sorted[lo+k] > p90 })
	in := f.sorted[lo:hi]
	n := len(in)
	if n == 0 {
		return 0
	}
	var sum float64
	for _, x := range in {
		sum += x
	}
	m := sum / float64(n)
	var s float64
	for _, x := range in {
		s += math.Abs(x - m)
	}
	return s / float64(n)
}

// rootMeanSquared (IBSI 5ZWQ) is
//
//	RMS = √(Σᵢ (xᵢ + c)² / N)
func (f *firstOrder) rootMeanSquared() float64 {
	return math.Sqrt(f.energy() / float64(len(f.sorted)))
}

// skewness (IBSI KE2A) is
//
//	Skewness = m₃ / m₂^{3/2},  m_k = Σᵢ (xᵢ − x̄)^k / N
//
// and 0 for a flat ROI (m₂ = 0).
func (f *firstOrder) skewness() float64 {
	if f.moments[2] == 0 {
		return 0
	}
	return f.moments[3] / math.Pow(f.moments[2], 1.5)
}

// kurtosis (IBSI IPH6) is
//
//	Kurtosis = m₄ / m₂²
//
// pyradiomics' kurtosis, not IBSI's excess kurtosis: IBSI's value is this
// minus 3. A flat ROI gives 0.
func (f *firstOrder) kurtosis() float64 {
	if f.moments[2] == 0 {
		return 0
	}
	return f.moments[4] / (f.moments[2] * f.moments[2])
}

// variance (IBSI ECT3) is the population variance m₂ = Σᵢ (xᵢ − x̄)² / N.
func (f *firstOrder) variance() float64 { return f.moments[2] }

// uniformity (IBSI BJ5W, intensity-histogram uniformity) is
//
//	Uniformity = Σᵢ P(i)²
//
// over the discretised grey levels.
func (f *firstOrder) uniformity() float64 {
	var u float64
	for _, p := range f.p {
		u += p * p
	}
	return u
}

// sortFloats sorts finite values ascending: slices.Sort for a few, an LSD
// radix sort on order-preserving keys of the float64 bits for many (one
// counting pass for all eight bytes, then one scatter per byte that is not
// the same in every key). The result is slices.Sort's array, except that
// -0 comes before +0.
func sortFloats(x []float64) {
	if len(x) < 4096 {
		slices.Sort(x)
		return
	}
	keys := keyBufs.Get(len(x))
	defer keyBufs.Put(keys)
	// The keys first, with the bits that differ between them (and = the
	// bits set in all, or = those set in any): only the bytes that differ
	// need a histogram and a pass (whole numbers leave most of the
	// mantissa's bytes 0 in every key).
	and, or := ^uint64(0), uint64(0)
	for i, v := range x {
		u := math.Float64bits(v)
		if u>>63 != 0 {
			u = ^u
		} else {
			u |= 1 << 63
		}
		keys[i] = u
		and &= u
		or |= u
	}
	if diff := and ^ or; diff != 0 {
		// Keys that differ only in a few bits (whole numbers of a small
		// range, like most images' intensities) are counted instead: one
		// counter per value of those bits, then written out in order.
		lo := bits.TrailingZeros64(diff)
		span := 64 - bits.LeadingZeros64(diff) - lo
		if span <= 20 && len(x) >= 1<<span/4 {
			mask := uint64(1)<<span - 1
			base := and &^ (mask << lo)
			cnt := make([]uint32, 1<<span)
			for _, u := range keys {
				cnt[(u>>lo)&mask]++
			}
			i := 0
			for d, c := range cnt {
				if c == 0 {
					continue
				}
				u := base | uint64(d)<<lo
				if u>>63 != 0 {
					u &^= 1 << 63
				} else {
					u = ^u
				}
				v := math.Float64frombits(u)
				for range c {
					x[i] = v
					i++
				}
			}
			return
		}
	}
	var bytes []int
	for b := range 8 {
		if byte((and^or)>>(8*b)) != 0 {
			bytes = append(bytes, b)
		}
	}
	var hist [8][256]int
	for _, u := range keys {
		for _, b := range bytes {
			hist[b][byte(u>>(8*b))]++
		}
	}
	tmp := make([]uint64, len(x))
	for _, b := range bytes {
		h := &hist[b]
		pos := 0
		for d, c := range h {
			h[d] = pos
			pos += c
		}
		for _, u := range keys {
			d := byte(u >> (8 * b))
			tmp[h[d]] = u
			h[d]++
		}
		keys, tmp = tmp, keys
	}
	for i, u := range keys {
		if u>>63 != 0 {
			u &^= 1 << 63
		} else {
			u = ^u
		}
		x[i] = math.Float64frombits(u)
	}
}
