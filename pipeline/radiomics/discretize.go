package radiomics

import (
	"fmt"
	"math"
	"sort"

	"github.com/scirad/scirad/pipeline/volume"
)

// Discretized is the grey-level image the texture families read: the ROI's
// bounding box with each ROI voxel's bin number (1..Ng) and 0 outside the
// ROI, x fastest. Dims and Levels have the layout of texture.Image.
type Discretized struct {
	Dims    [3]int     // bounding-box size along i, j, k
	Spacing [3]float64 // mm
	Levels  []int32    // bin number 1..Ng inside the ROI, 0 outside
	Ng      int        // largest bin number in the ROI (bins may be empty below it)
	Edges   []float64  // bin edges; bin b is [Edges[b-1], Edges[b])
	ROI     *ROI       // the cropped intensities and mask it was made from
	// shapeROI, when set, is the mask shape is computed from (on ROI's
	// box): the original mask when resegmentation changed ROI.
	shapeROI *ROI
	// hist, when Bin made it, counts the ROI voxels of each level 0 … Ng
	// (Levels is not to be changed after Bin).
	hist []int
}

// Discretize checks and crops the ROI (PrepareROI) and bins its intensities
// (Bin).
func Discretize(img, mask *volume.Volume, s Settings) (*Discretized, error) {
	roi, err := PrepareROI(img, mask, s)
	if err != nil {
		return nil, err
	}
	return roi.Bin(s)
}

// Bin discretises the ROI's intensities as pyradiomics' binImage does: bin
// edges from the ROI's intensities (BinEdges), then each voxel's bin is the
// number of edges at or below its intensity (numpy.digitize), so the
// lowest bin is 1. Voxels outside the ROI get 0.
func (r *ROI) Bin(s Settings) (*Discretized, error) { return r.bin(s, nil) }

// bin is Bin with the levels in the array of bufs when it is not nil.
func (r *ROI) bin(s Settings, bufs *extractBufs) (*Discretized, error) {
	width, count := s.binning()
	idx, data := r.voxels(), r.Image.Data
	if len(idx) == 0 {
		return nil, fmt.Errorf("radiomics: %w: no voxels to discretise", ErrROI)
	}
	lo, hi := r.lo, r.hi
	if !r.spanOK {
		lo, hi = intensityRange(idx, data)
		if lo-lo != 0 || hi-hi != 0 {
			sp := newSpan()
			for _, i := range idx {
				if err := sp.add(data[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	edges, err := spanEdges(lo, hi, width, count)
	if err != nil {
		return nil, err
	}
	d := &Discretized{Dims: r.Image.Dims, Spacing: r.Image.Spacing, Edges: edges, ROI: r}
	if bufs != nil {
		d.Levels = int32sFrom(&bufs.levels, len(r.Mask), true)
	} else {
		d.Levels = make([]int32, len(r.Mask))
	}
	dg := newDigitizer(edges)
	// numpy.digitize is monotone: the largest intensity has the largest bin.
	d.Ng = dg.bin(hi)
	d.hist = make([]int, d.Ng+1)
	if r.spanOK && r.whole && hi-lo < float64(2*len(idx)+256) {
		// Whole numbers of a small range: each value's bin once, in a
		// table (lo + k is exact).
		tp := getInt32s(int(hi-lo) + 1)
		defer intScratch.Put(tp)
		tab := (*tp)[:int(hi-lo)+1]
		for k := range tab {
			tab[k] = int32(dg.bin(lo + float64(k)))
		}
		for _, i := range idx {
			b := tab[int(data[i]-lo)]
			d.Levels[i] = b
			d.hist[b]++
		}
		return d, nil
	}
	for _, i := range idx {
		b := dg.bin(data[i])
		d.Levels[i] = int32(b)
		d.hist[b]++
	}
	return d, nil
}

// intensityRange returns the smallest and largest of data[idx], by
// comparisons (faster than the builtin min and max; the sign of a zero
// bound does not change the bin edges), or NaN for both when one is NaN.
func intensityRange(idx []int32, data []float64) (lo, hi float64) {
	lo, hi = data[idx[0]], data[idx[0]]
	nan := false
	for _, i := range idx {
		v := data[i]
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
		if v != v {
			nan = true
		}
	}
	if nan {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// levelCounts returns the number of ROI voxels in each grey level 0 … Ng.
func (d *Discretized) levelCounts() []int {
	if d.hist != nil {
		return d.hist
	}
	counts := make([]int, d.Ng+1)
	for _, i := range d.ROI.voxels() {
		counts[d.Levels[i]]++
	}
	return counts
}

// BinEdges returns pyradiomics' bin edges (getBinEdges) for the ROI
// intensities x.
//
// Fixed bin width W (count 0): edges are multiples of W from the largest
// multiple at or below min(x):
//
//	e₀ = min − (min mod W)   (mod with the sign of W, as Python's %)
//	eᵢ = e₀ + i·δ,  i = 0 … ⌈(max + 2W − e₀)/W⌉ − 1
//
// (numpy.arange, which steps by δ = (e₀ + W) − e₀ after the first two
// edges). A voxel's bin is then ⌊x/W⌋ − ⌊min/W⌋ + 1 up to rounding, and a
// maximum divisible by W gets a bin of its own (all bins half-open). This
// differs from IBSI's fixed bin size, which bins from min(x) with a ceiling.
//
// Fixed bin count N: N equal bins from min to max (numpy.histogram's
// numpy.linspace edges, eᵢ = min + i·(max − min)/N, e_N = max), with the
// last edge raised by 1 so that the maximum falls in bin N: IBSI's FBN
// discretisation, ⌊N(x − min)/(max − min)⌋ + 1 and N at the maximum. A flat
// ROI (min = max) has the single bin [min − 0.5, min + 1.5).
//
// It is an error for x to be empty or non-finite.
func BinEdges(x []float64, width float64, count int) ([]float64, error) {
	if len(x) == 0 {
		return nil, fmt.Errorf("radiomics: %w: no voxels to discretise", ErrROI)
	}
	sp := newSpan()
	for _, v := range x {
		if err := sp.add(v); err != nil {
			return nil, err
		}
	}
	return spanEdges(sp.lo, sp.hi, width, count)
}

// span is the range of the intensities added to it.
type span struct{ lo, hi float64 }

func newSpan() span { return span{math.Inf(1), math.Inf(-1)} }

// add widens the span to v, as math.Min and math.Max would (-0 is the
// smaller zero); a NaN or infinite v is an error.
func (sp *span) add(v float64) error {
	if v-v != 0 {
		return fmt.Errorf("radiomics: intensity %g in the ROI: intensities must be finite", v)
	}
	if v < sp.lo || v == 0 && sp.lo == 0 && math.Signbit(v) {
		sp.lo = v
	}
	if v > sp.hi || v == 0 && sp.hi == 0 && !math.Signbit(v) {
		sp.hi = v
	}
	return nil
}

// spanEdges is BinEdges for intensities from lo to hi.
func spanEdges(lo, hi, width float64, count int) ([]float64, error) {
	if count > 0 {
		first, last := lo, hi
		if first == last {
			first -= 0.5
			last += 0.5
		}
		edges := make([]float64, count+1)
		step := (last - first) / float64(count)
		for i := range edges {
			if step == 0 {
				edges[i] = float64(i)/float64(count)*(last-first) + first
			} else {
				edges[i] = float64(i)*step + first
			}
		}
		edges[count] = last + 1
		return edges, nil
	}
	if !(width > 0) || math.IsInf(width, 0) {
		return nil, fmt.Errorf("radiomics: bin width %g must be positive", width)
	}
	m := math.Mod(lo, width)
	if m != 0 && (m < 0) != (width < 0) {
		m += width
	}
	start := lo - m
	stop := hi + 2*width
	// Counted in float64 first: a tiny width (1e-300) would overflow an int
	// and silently give one bin.
	nf := math.Ceil((stop - start) / width)
	if !(nf <= MaxBins) {
		return nil, fmt.Errorf("radiomics: binWidth %g gives %.3g bins over the ROI's intensities [%g, %g], more than %d; use a larger binWidth or binCount", width, nf, lo, hi, MaxBins)
	}
	n := int(nf)
	if n <= 1 {
		// numpy.arange gave one edge: pyradiomics makes one bin around it.
		return []float64{start - 0.5, start + 0.5}, nil
	}
	edges := make([]float64, n)
	edges[0] = start
	edges[1] = start + width
	delta := edges[1] - edges[0]
	for i := 2; i < n; i++ {
		edges[i] = start + float64(i)*delta
	}
	return edges, nil
}

// digitize is numpy.digitize(x, edges) for increasing edges: the number of
// edges ≤ x.
func digitize(x float64, edges []float64) int {
	return sort.Search(len(edges), func(i int) bool { return edges[i] > x })
}

// digitizer is digitize for many values: it guesses the bin from the
// edges' mean spacing (they are evenly spaced but for rounding, and the
// bin count's last edge) and then steps to the exact count of edges ≤ x,
// which the guess cannot change.
type digitizer struct {
	edges     []float64
	lo, scale float64
	last      int
}

func newDigitizer(edges []float64) digitizer {
	d := digitizer{edges: edges, lo: edges[0], last: len(edges)}
	if n := len(edges); n > 1 && edges[n-1] > edges[0] {
		d.scale = float64(n-1) / (edges[n-1] - edges[0])
	}
	return d
}

func (d *digitizer) bin(x float64) int {
	e := d.edges
	k := 0
	if g := (x - d.lo) * d.scale; g > 0 {
		if g > float64(d.last) {
			g = float64(d.last)
		}
		k = int(g) // 0 … len(e)
	}
	for k < len(e) && e[k] <= x {
		k++
	}
	for k > 0 && e[k-1] > x {
		k--
	}
	return k
}
