package radiomics

import (
	"fmt"
	"math"
	"slices"
	"sync"

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

// firstOrder holds what the first-order features share, all computed by
// newFirstOrder: the order statistics by selection (selectKeys), the sums
// in one pass each over the intensities in grid order.
type firstOrder struct {
	n        float64
	min, max float64
	mean     float64
	pct      [5]float64 // P10, P25, P50, P75, P90
	median   float64
	shift    float64 // voxelArrayShift
	voxel    float64 // voxel volume, mm³
	moments  [5]float64
	energyV  float64 // Σ (x + c)²
	madV     float64 // Σ |x − x̄| / N
	rmadV    float64
	entropyV float64
	uniformV float64
	whole    []int32 // wholeNumbers' counts, nil on the general path
	wholeBuf *[]int32
}

// firstOrderFuncs are the features in registry order (firstOrderDefs).
var firstOrderFuncs = [...]func(*firstOrder) float64{
	(*firstOrder).percentile10, (*firstOrder).percentile90, (*firstOrder).energy,
	(*firstOrder).entropy, (*firstOrder).interquartileRange, (*firstOrder).kurtosis,
	(*firstOrder).maximum, (*firstOrder).meanValue, (*firstOrder).meanAbsoluteDeviation,
	(*firstOrder).median50, (*firstOrder).minimum, (*firstOrder).rangeValue,
	(*firstOrder).robustMeanAbsoluteDeviation, (*firstOrder).rootMeanSquared,
	(*firstOrder).skewness, (*firstOrder).totalEnergy, (*firstOrder).uniformity,
	(*firstOrder).variance,
}

// FirstOrder computes the first-order features of a discretised ROI, in
// registry order. It is an error for the ROI to be empty.
func FirstOrder(d *Discretized, s Settings) ([]feature.Value, error) {
	if d == nil || d.ROI == nil || d.ROI.N == 0 {
		return nil, fmt.Errorf("radiomics: first order: %w: empty ROI", ErrROI)
	}
	want := s.Features["firstorder"]
	for _, n := range want {
		if !slices.ContainsFunc(firstOrderDefs, func(d feature.Def) bool { return d.Name == n }) {
			return nil, fmt.Errorf("radiomics: unknown firstorder feature %q", n)
		}
	}
	var f firstOrder
	f.compute(d, s)
	out := make([]feature.Value, 0, len(firstOrderDefs))
	for k, def := range firstOrderDefs {
		if want != nil && !slices.Contains(want, def.Name) {
			continue
		}
		out = append(out, feature.Value{Def: def, Value: firstOrderFuncs[k](&f)})
	}
	return out, nil
}

// compute fills f from the ROI's intensities, gathered in grid order into
// a reused buffer: their sum and range (one pass), the moments about the
// mean, Σ (x + c)² and Σ |x − x̄| (a second pass, which also counts the
// intensities' order-preserving keys into buckets for selectKeys), the
// percentiles' order statistics (selectKeys) and the robust MAD over the
// intensities in [P10, P90] (two more passes). Each sum adds the voxels in
// grid order, in lanes (sumKeys).
func (f *firstOrder) compute(d *Discretized, s Settings) {
	r := d.ROI
	f.shift = s.VoxelArrayShift
	sp := r.Spacing()
	f.voxel = sp[0] * sp[1] * sp[2]
	xp := getFloats(r.N)
	defer floatScratch.Put(xp)
	x := r.gather((*xp)[:0])
	*xp = x
	n := len(x)
	f.n = float64(n)
	sum, kmin, kmax, frac, mz := sumKeys(x)
	f.mean = sum / f.n
	f.min, f.max = keyFloat(kmin), keyFloat(kmax)

	// The ranks numpy.percentile (linear) and the median read.
	var ranks ranks12
	nr := 0
	var lo [5]int
	for k, q := range [5]float64{10, 25, 50, 75, 90} {
		pos := q / 100 * float64(n-1)
		lo[k] = int(math.Floor(pos))
		ranks[nr] = min(lo[k], n-1)
		ranks[nr+1] = min(lo[k]+1, n-1)
		nr += 2
	}
	ranks[nr], ranks[nr+1] = (n-1)/2, n/2
	nr += 2
	var vals values12
	if frac == 0 && mz != 0 && f.max-f.min < float64(2*n+256) {
		vals = f.wholeNumbers(x, ranks, nr)
	} else {
		var sel keySelector
		sel.init(f.min, f.max, n)
		m2, m3, m4, e, ad := momentSums(x, f.mean, f.shift, &sel)
		f.moments[2], f.moments[3], f.moments[4] = m2/f.n, m3/f.n, m4/f.n
		f.energyV, f.madV = e, ad/f.n
		vals = sel.values(x, ranks, nr, 3)
		sel.release()
	}
	for k, q := range [5]float64{10, 25, 50, 75, 90} {
		f.pct[k] = lerpPercentile(q, n, lo[k], vals[2*k], vals[2*k+1])
	}
	if a, b := vals[10], vals[11]; n%2 == 1 {
		f.median = b
	} else {
		f.median = (a + b) / 2
	}
	if f.whole != nil {
		f.wholeRobust()
		intScratch.Put(f.wholeBuf)
	} else if rs, rn := robustSum(x, f.pct[0], f.pct[4], 0, false); rn > 0 {
		// The robust MAD over the intensities in [P10, P90].
		ra, _ := robustSum(x, f.pct[0], f.pct[4], rs/float64(rn), true)
		f.rmadV = ra / float64(rn)
	}

	f.entropyV, f.uniformV = 0, 0
	for _, c := range d.levelCounts() {
		if c > 0 {
			p := float64(c) / f.n
			f.entropyV -= p * math.Log2(p+eps)
			f.uniformV += p * p
		}
	}
}

// wholeNumbers is first order's moments, sums and order statistics (the
// values of ranks r[:m]) when every intensity is a whole number (no -0)
// and their range is not much more than their count: from the count of
// each value between the minimum and the maximum, one pass over x. The
// order statistics are those of a sort; the sums over the values run in
// ascending value, each value's term times its count (Σ x and Σ (x + c)²
// of whole numbers, c whole, are exact in any order). It leaves the
// counts in f.whole for wholeRobust.
func (f *firstOrder) wholeNumbers(x []float64, r ranks12, m int) values12 {
	base := f.min
	nv := int(f.max-base) + 1
	f.wholeBuf = getInt32s(nv)
	cnt := (*f.wholeBuf)[:nv]
	clear(cnt)
	for _, v := range x {
		cnt[int(v-base)]++
	}
	f.whole = cnt
	var out values12
	order := ascending(r, m)
	i, cum := 0, 0
	for _, k := range order[:m] {
		for cum+int(cnt[i]) <= r[k] {
			cum += int(cnt[i])
			i++
		}
		out[k] = base + float64(i)
	}
	mean, sh := f.mean, f.shift
	var m2, m3, m4, e, ad float64
	for i, c := range cnt {
		if c == 0 {
			continue
		}
		v, w := base+float64(i), float64(c)
		dx := v - mean
		d2 := dx * dx
		m2 += w * d2
		m3 += w * (d2 * dx)
		m4 += w * (d2 * d2)
		y := v + sh
		e += w * (y * y)
		ad += w * math.Abs(dx)
	}
	f.moments[2], f.moments[3], f.moments[4] = m2/f.n, m3/f.n, m4/f.n
	f.energyV, f.madV = e, ad/f.n
	return out
}

// wholeRobust is the robust MAD from wholeNumbers' counts: the values in
// [P10, P90] are those from ⌈P10⌉ to ⌊P90⌋.
func (f *firstOrder) wholeRobust() {
	base, cnt := f.min, f.whole
	a := max(int(math.Ceil(f.pct[0]-base)), 0)
	b := min(int(math.Floor(f.pct[4]-base)), len(cnt)-1)
	var rs float64
	rn := 0
	for i := a; i <= b; i++ {
		rs += float64(cnt[i]) * (base + float64(i))
		rn += int(cnt[i])
	}
	if rn == 0 {
		return
	}
	mr := rs / float64(rn)
	var ra float64
	for i := a; i <= b; i++ {
		if c := cnt[i]; c != 0 {
			ra += float64(c) * math.Abs(base+float64(i)-mr)
		}
	}
	f.rmadV = ra / float64(rn)
}

// intScratch holds wholeNumbers' counts between calls.
var intScratch = sync.Pool{New: func() any { return new([]int32) }}

func getInt32s(n int) *[]int32 {
	p := intScratch.Get().(*[]int32)
	if cap(*p) < n {
		*p = make([]int32, n)
	}
	return p
}

// ascending returns the indices of r[:m] in ascending order of rank.
func ascending(r ranks12, m int) [12]int {
	var order [12]int
	for i := range m {
		order[i] = i
		for k := i; k > 0 && r[order[k]] < r[order[k-1]]; k-- {
			order[k], order[k-1] = order[k-1], order[k]
		}
	}
	return order
}

// The sums of first order add the voxels in grid order in lanes: voxel i
// goes to lane i mod 4 (i mod 2 for momentSums' five sums), each lane adds
// its voxels in order, and the lanes are added pairwise at the end,
// ((l₀ + l₁) + (l₂ + l₃)). The lanes' additions do not wait for each other.

// sumKeys returns Σ x, the smallest and largest of the keys of x
// (floatKey), frac, 0 when every x is a whole number, and mz, 0 when one
// is -0. (The lanes are scalars: Go keeps an array's elements in
// memory, where each addition would wait for the last one's store.)
func sumKeys(x []float64) (sum float64, kmin, kmax, frac, mz uint64) {
	kmin, mz = ^uint64(0), ^uint64(0)
	var l0, l1, l2, l3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		l0 += v[0]
		l1 += v[1]
		l2 += v[2]
		l3 += v[3]
		k0, k1, k2, k3 := floatKey(v[0]), floatKey(v[1]), floatKey(v[2]), floatKey(v[3])
		kmin = min(kmin, min(k0, k1), min(k2, k3))
		kmax = max(kmax, max(k0, k1), max(k2, k3))
		frac |= fracBits(v[0]) | fracBits(v[1]) | fracBits(v[2]) | fracBits(v[3])
		mz = min(mz, min(k0^negZeroKey, k1^negZeroKey), min(k2^negZeroKey, k3^negZeroKey))
	}
	for _, v := range x[i:] {
		k := floatKey(v)
		kmin, kmax = min(kmin, k), max(kmax, k)
		frac |= fracBits(v)
		mz = min(mz, k^negZeroKey)
	}
	switch tail := x[i:]; len(tail) {
	case 3:
		l2 += tail[2]
		fallthrough
	case 2:
		l1 += tail[1]
		fallthrough
	case 1:
		l0 += tail[0]
	}
	return (l0 + l1) + (l2 + l3), kmin, kmax, frac, mz
}

// negZeroKey is floatKey(-0).
const negZeroKey = 1<<63 - 1

// fracBits is 0 when v is a whole number (the bits of v − ⌊v⌋ toward 0,
// +0 then), else not.
func fracBits(v float64) uint64 { return math.Float64bits(v - math.Trunc(v)) }

// momentSums returns Σ (x − mean)², Σ (x − mean)³, Σ (x − mean)⁴,
// Σ (x + c)² and Σ |x − mean| in two lanes, and counts x in sel.
func momentSums(x []float64, mean, c float64, sel *keySelector) (m2, m3, m4, e, ad float64) {
	var a2, a3, a4, ae, aa, b2, b3, b4, be, ba float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		v := x[i : i+2 : i+2]
		dx, dy := v[0]-mean, v[1]-mean
		d2, e2 := dx*dx, dy*dy
		a2 += d2
		b2 += e2
		a3 += d2 * dx
		b3 += e2 * dy
		a4 += d2 * d2
		b4 += e2 * e2
		y, z := v[0]+c, v[1]+c
		ae += y * y
		be += z * z
		aa += math.Abs(dx)
		ba += math.Abs(dy)
		sel.count(v[0])
		sel.count(v[1])
	}
	if i < len(x) {
		v := x[i]
		dx := v - mean
		d2 := dx * dx
		a2 += d2
		a3 += d2 * dx
		a4 += d2 * d2
		ae += (v + c) * (v + c)
		aa += math.Abs(dx)
		sel.count(v)
	}
	return a2 + b2, a3 + b3, a4 + b4, ae + be, aa + ba
}

// robustSum returns, over the x in [lo, hi], Σ x (abs false) or
// Σ |x − m| (abs true), and their count, in four lanes without branches:
// a value outside adds +0 (all bits cleared), which leaves a lane as it is.
func robustSum(x []float64, lo, hi, m float64, abs bool) (float64, int) {
	var l0, l1, l2, l3 float64
	n := 0
	term := func(v float64) (float64, int) {
		in := inRange(v, lo, hi)
		if abs {
			v = math.Abs(v - m)
		}
		return math.Float64frombits(math.Float64bits(v) & -in), int(in)
	}
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		t0, n0 := term(v[0])
		t1, n1 := term(v[1])
		t2, n2 := term(v[2])
		t3, n3 := term(v[3])
		l0 += t0
		l1 += t1
		l2 += t2
		l3 += t3
		n += n0 + n1 + n2 + n3
	}
	switch tail := x[i:]; len(tail) {
	case 3:
		t, k := term(tail[2])
		l2 += t
		n += k
		fallthrough
	case 2:
		t, k := term(tail[1])
		l1 += t
		n += k
		fallthrough
	case 1:
		t, k := term(tail[0])
		l0 += t
		n += k
	}
	return (l0 + l1) + (l2 + l3), n
}

// inRange is 1 when lo ≤ v ≤ hi, else 0 (lo ≤ hi).
func inRange(v, lo, hi float64) uint64 {
	return b2u(lo <= v) & b2u(v <= hi)
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint64 {
	var u uint64
	if b {
		u = 1
	}
	return u
}

// floatScratch holds first order's intensities between calls; getFloats
// returns one of at least n elements.
var floatScratch = sync.Pool{New: func() any { return new([]float64) }}

func getFloats(n int) *[]float64 {
	p := floatScratch.Get().(*[]float64)
	if cap(*p) < n {
		*p = make([]float64, 0, n)
	}
	return p
}

// lerpPercentile is numpy.percentile's default (linear) interpolation: the
// value at rank q(N − 1) of the sorted intensities, interpolated between
// its neighbours a (rank lo) and b (rank lo + 1) (Hyndman & Fan type 7).
func lerpPercentile(q float64, n, lo int, a, b float64) float64 {
	if lo >= n-1 {
		return b
	}
	pos := q / 100 * float64(n-1)
	t := pos - float64(lo)
	if t >= 0.5 { // numpy's _lerp, for the same rounding
		return b - (b-a)*(1-t)
	}
	return a + (b-a)*t
}

// keyBufs keeps the keys of a large sort between calls (package
// bufcache).
var keyBufs bufcache.Cache[uint64]

// floatKey maps a float64 to a uint64 of the same order (-0 before +0;
// NaN is not expected): the sign bit flipped for positive numbers, all
// bits for negative ones.
func floatKey(v float64) uint64 {
	u := math.Float64bits(v)
	return u ^ (uint64(int64(u)>>63) | 1<<63)
}

// keyFloat is floatKey's inverse.
func keyFloat(k uint64) float64 {
	return math.Float64frombits(k ^ (uint64(int64(^k)>>63) | 1<<63))
}

// selBuckets is keySelector's bucket count.
const selBuckets = 2048

// keySelector finds order statistics of float64s without sorting them all:
// a first pass (count) counts the values in selBuckets buckets of equal
// width between the smallest and largest value (the bucket is monotone in
// the value); values then collects the values of the buckets that hold the
// wanted ranks and finds the ranks among them alone: by sorting their
// order-preserving keys (floatKey), or, for a bucket of many values, by the
// same method again. The values are exactly those of a sort (-0 before
// +0).
type keySelector struct {
	lo, scale float64
	ok        bool // the bucket width is usable (a finite, non-zero span)
	nb        int  // buckets used: about n/2, 64 … selBuckets
	cnt       []int32
	buf       *[]int32 // cnt's array (intScratch)
}

// init prepares the buckets for n values from lo to hi.
func (s *keySelector) init(lo, hi float64, n int) {
	s.nb = 64
	for s.nb < selBuckets && s.nb < n/2 {
		s.nb *= 2
	}
	s.lo, s.scale = lo, float64(s.nb)/(hi-lo)
	s.ok = s.scale > 0 && s.scale <= math.MaxFloat64
	if !s.ok {
		s.scale = 0
	}
	s.buf = getInt32s(s.nb)
	s.cnt = (*s.buf)[:s.nb]
	clear(s.cnt)
}

// release hands the counts back; s is not used after.
func (s *keySelector) release() { intScratch.Put(s.buf) }

func (s *keySelector) bucket(v float64) int {
	b := int((v - s.lo) * s.scale)
	if uint(b) >= uint(s.nb) {
		b = s.nb - 1 // the largest values (or any, with a span of 0 or ∞, which values sorts instead)
	}
	return b
}

func (s *keySelector) count(v float64) { s.cnt[s.bucket(v)]++ }

// ranks12 is up to 12 ranks (or their values), passed by value so that
// the recursion of selectRanks allocates nothing.
type (
	ranks12  [12]int
	values12 [12]float64
)

// selectRanks returns the values of ranks r[:m] (0-based, ascending order)
// among x; x is not changed.
func selectRanks(x []float64, r ranks12, m, depth int) values12 {
	if len(x) <= smallSort || depth == 0 {
		return sortedRanks(x, r, m)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	var s keySelector
	s.init(lo, hi, len(x))
	defer s.release()
	for _, v := range x {
		s.count(v)
	}
	return s.values(x, r, m, depth)
}

// smallSort is the most values selectRanks sorts in a stack array.
const smallSort = 256

// sortedRanks is selectRanks by sorting the keys of x.
func sortedRanks(x []float64, r ranks12, m int) values12 {
	if len(x) <= 16 {
		// A few: insertion sort of the keys in a small array.
		var keys [16]uint64
		for i, v := range x {
			k := floatKey(v)
			j := i
			for ; j > 0 && keys[j-1] > k; j-- {
				keys[j] = keys[j-1]
			}
			keys[j] = k
		}
		var out values12
		for i := range m {
			out[i] = keyFloat(keys[r[i]])
		}
		return out
	}
	if len(x) <= smallSort {
		var small [smallSort]uint64
		return keyRanks(small[:len(x)], x, r, m)
	}
	keys := keyBufs.Get(len(x))
	defer keyBufs.Put(keys)
	return keyRanks(keys, x, r, m)
}

// keyRanks sorts the keys of x in keys and reads ranks r[:m].
func keyRanks(keys []uint64, x []float64, r ranks12, m int) values12 {
	for i, v := range x {
		keys[i] = floatKey(v)
	}
	slices.Sort(keys)
	var out values12
	for i := range m {
		out[i] = keyFloat(keys[r[i]])
	}
	return out
}

// values returns the values of ranks r[:m] among x, whose values count has
// counted; depth bounds the recursion into large buckets.
func (s *keySelector) values(x []float64, r ranks12, m, depth int) values12 {
	if !s.ok {
		return sortedRanks(x, r, m)
	}
	// Each rank's bucket and the rank of its bucket's first value, in one
	// walk over the buckets with the ranks in ascending order.
	order := ascending(r, m)
	var bk, first [12]int
	b, base := 0, 0
	for _, i := range order[:m] {
		for base+int(s.cnt[b]) <= r[i] {
			base += int(s.cnt[b])
			b++
		}
		bk[i], first[i] = b, base
	}
	// The needed buckets (ascending), their sizes and where their values
	// start among the collected ones; then the counts become slots:
	// slot[b] is where bucket b's next value goes, -1 for a bucket not
	// needed.
	var need, size, start [12]int
	nn, total := 0, 0
	for _, i := range order[:m] {
		if nn > 0 && need[nn-1] == bk[i] {
			continue
		}
		need[nn], size[nn], start[nn] = bk[i], int(s.cnt[bk[i]]), total
		total += size[nn]
		nn++
	}
	slot := s.cnt[:s.nb]
	for b := range slot {
		slot[b] = -1
	}
	for k := range nn {
		slot[need[k]] = int32(start[k])
	}
	bp := getFloats(total)
	defer floatScratch.Put(bp)
	buf := (*bp)[:total]
	for _, v := range x {
		if b := s.bucket(v); b < len(slot) && slot[b] >= 0 {
			buf[slot[b]] = v
			slot[b]++
		}
	}
	// Each needed bucket's ranks among its own values.
	var out values12
	for k := range nn {
		var sub ranks12
		var at [12]int
		n := 0
		for i := range m {
			if bk[i] == need[k] {
				sub[n], at[n] = r[i]-first[i], i
				n++
			}
		}
		v := selectRanks(buf[start[k]:start[k]+size[k]], sub, n, depth-1)
		for j := range n {
			out[at[j]] = v[j]
		}
	}
	return out
}

// percentile10 is the 10th percentile P10 (IBSI QG58).
func (f *firstOrder) percentile10() float64 { return f.pct[0] }

// percentile90 is the 90th percentile P90 (IBSI 8DWT).
func (f *firstOrder) percentile90() float64 { return f.pct[4] }

// energy (IBSI N8CA) is
//
//	Energy = Σᵢ (xᵢ + c)²
//
// with c = voxelArrayShift (pyradiomics shifts so that negative intensities
// do not add energy; IBSI has c = 0).
func (f *firstOrder) energy() float64 { return f.energyV }

// totalEnergy (no IBSI counterpart) is Energy scaled by the voxel volume:
//
//	TotalEnergy = V Σᵢ (xᵢ + c)²
func (f *firstOrder) totalEnergy() float64 { return f.energyV * f.voxel }

// entropy (IBSI TLU2, intensity-histogram entropy) is
//
//	Entropy = −Σᵢ P(i) log₂(P(i) + ε)
//
// over the discretised grey levels (ε keeps log₂ finite, as pyradiomics).
func (f *firstOrder) entropy() float64 { return f.entropyV }

// eps is numpy.spacing(1), pyradiomics' guard against log(0).
const eps = 2.220446049250313e-16

// minimum (IBSI 1GSF) is the smallest ROI intensity.
func (f *firstOrder) minimum() float64 { return f.min }

// maximum (IBSI 84IY) is the largest ROI intensity.
func (f *firstOrder) maximum() float64 { return f.max }

// meanValue (IBSI Q4LE) is x̄ = Σ xᵢ / N.
func (f *firstOrder) meanValue() float64 { return f.mean }

// median50 (IBSI Y12H) is the middle intensity, or the mean of the two
// middle ones when N is even.
func (f *firstOrder) median50() float64 { return f.median }

// interquartileRange (IBSI SALO) is P75 − P25.
func (f *firstOrder) interquartileRange() float64 { return f.pct[3] - f.pct[1] }

// rangeValue (IBSI 2OJQ) is max − min.
func (f *firstOrder) rangeValue() float64 { return f.max - f.min }

// meanAbsoluteDeviation (IBSI 4FUA) is
//
//	MAD = Σᵢ |xᵢ − x̄| / N
func (f *firstOrder) meanAbsoluteDeviation() float64 { return f.madV }

// robustMeanAbsoluteDeviation (IBSI 1128) is the mean absolute deviation of
// the intensities X₁₀₋₉₀ that lie in [P10, P90], about their own mean:
//
//	rMAD = Σ_{x∈X₁₀₋₉₀} |x − x̄₁₀₋₉₀| / |X₁₀₋₉₀|
func (f *firstOrder) robustMeanAbsoluteDeviation() float64 { return f.rmadV }

// rootMeanSquared (IBSI 5ZWQ) is
//
//	RMS = √(Σᵢ (xᵢ + c)² / N)
func (f *firstOrder) rootMeanSquared() float64 { return math.Sqrt(f.energyV / f.n) }

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
func (f *firstOrder) uniformity() float64 { return f.uniformV }
