package radiomics

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/scirad/scirad/pipeline/volume"
)

// The definitions first order, PrepareROI and Bin had before they were
// made faster (sorting all intensities; scanning the box's mask), kept as
// the reference the new ones are compared with.

// refFirstOrder is first order from the sorted intensities, as it was:
// percentiles read from the sorted array, every sum in ascending order.
func refFirstOrder(d *Discretized, s Settings) map[string]float64 {
	r := d.ROI
	sorted := r.Values()
	sortFloats(sorted)
	n := float64(len(sorted))
	var sum float64
	for _, x := range sorted {
		sum += x
	}
	mean := sum / n
	var m2, m3, m4 float64
	for _, x := range sorted {
		dx := x - mean
		d2 := dx * dx
		m2 += d2
		m3 += d2 * dx
		m4 += d2 * d2
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	counts := make([]int, d.Ng+1)
	for i, in := range r.Mask {
		if in {
			counts[d.Levels[i]]++
		}
	}
	var p []float64
	for _, c := range counts {
		if c > 0 {
			p = append(p, float64(c)/n)
		}
	}
	percentile := func(q float64) float64 {
		pos := q / 100 * float64(len(sorted)-1)
		lo := int(math.Floor(pos))
		if lo >= len(sorted)-1 {
			return sorted[len(sorted)-1]
		}
		t := pos - float64(lo)
		a, b := sorted[lo], sorted[lo+1]
		if t >= 0.5 {
			return b - (b-a)*(1-t)
		}
		return a + (b-a)*t
	}
	var energy float64
	for _, x := range sorted {
		y := x + s.VoxelArrayShift
		energy += y * y
	}
	sp := r.Spacing()
	var ent, uni float64
	for _, pi := range p {
		ent -= pi * math.Log2(pi+eps)
		uni += pi * pi
	}
	var mad float64
	for _, x := range sorted {
		mad += math.Abs(x - mean)
	}
	median := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		median = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	p10, p90 := percentile(10), percentile(90)
	lo := sort.SearchFloat64s(sorted, p10)
	hi := lo + sort.Search(len(sorted)-lo, func(k int) bool { return sorted[lo+k] > p90 })
	var rmad float64
	if in := sorted[lo:hi]; len(in) > 0 {
		var s float64
		for _, x := range in {
			s += x
		}
		m := s / float64(len(in))
		for _, x := range in {
			rmad += math.Abs(x - m)
		}
		rmad /= float64(len(in))
	}
	var skew, kurt float64
	if m2 != 0 {
		skew, kurt = m3/math.Pow(m2, 1.5), m4/(m2*m2)
	}
	return map[string]float64{
		"10Percentile": p10, "90Percentile": p90, "Energy": energy, "Entropy": ent,
		"InterquartileRange": percentile(75) - percentile(25), "Kurtosis": kurt,
		"Maximum": sorted[len(sorted)-1], "Mean": mean, "MeanAbsoluteDeviation": mad / n,
		"Median": median, "Minimum": sorted[0], "Range": sorted[len(sorted)-1] - sorted[0],
		"RobustMeanAbsoluteDeviation": rmad, "RootMeanSquared": math.Sqrt(energy / n),
		"Skewness": skew, "TotalEnergy": energy * (sp[0] * sp[1] * sp[2]), "Uniformity": uni,
		"Variance": m2,
	}
}

// refPrepareROI is PrepareROI's crop as it was (after the checks of
// settings and geometry): the box from every ROI voxel's coordinates, the
// whole box cropped, then the box's mask scanned.
func refPrepareROI(img, mask *volume.Volume, s Settings) (*ROI, error) {
	label := int64(s.label())
	lo, hi := float64(label), float64(label+1)
	box := volume.Box{Min: img.Dims, Max: [3]int{}}
	n := 0
	for idx, x := range mask.Data {
		if !(x >= lo && x < hi) {
			continue
		}
		n++
		i, j, k := img.Coords(idx)
		c := [3]int{i, j, k}
		for a := 0; a < 3; a++ {
			box.Min[a] = min(box.Min[a], c[a])
			box.Max[a] = max(box.Max[a], c[a]+1)
		}
	}
	if n == 0 {
		return nil, errors.New("empty")
	}
	crop := img.Crop(box)
	sz := box.Size()
	roi := &ROI{Image: crop, Mask: make([]bool, crop.Len()), Box: box, N: n}
	for k := 0; k < sz[2]; k++ {
		for j := 0; j < sz[1]; j++ {
			src := mask.Index(box.Min[0], box.Min[1]+j, box.Min[2]+k)
			dst := crop.Index(0, j, k)
			for i := 0; i < sz[0]; i++ {
				if x := mask.Data[src+i]; !(x >= lo && x < hi) {
					continue
				}
				x := crop.Data[dst+i]
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("radiomics: image voxel (%d,%d,%d) inside the ROI is %g: intensities must be finite",
						box.Min[0]+i, box.Min[1]+j, box.Min[2]+k, x)
				}
				roi.Mask[dst+i] = true
			}
		}
	}
	return roi, nil
}

// refBin is Bin as it was: the box's mask scanned for the range, then for
// the levels.
func refBin(r *ROI, s Settings) (*Discretized, error) {
	width, count := s.binning()
	sp, n := newSpan(), 0
	for i, in := range r.Mask {
		if in {
			if err := sp.add(r.Image.Data[i]); err != nil {
				return nil, err
			}
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("radiomics: %w: no voxels to discretise", ErrROI)
	}
	edges, err := spanEdges(sp.lo, sp.hi, width, count)
	if err != nil {
		return nil, err
	}
	d := &Discretized{Dims: r.Image.Dims, Spacing: r.Image.Spacing, Levels: make([]int32, len(r.Mask)), Edges: edges, ROI: r}
	dg := newDigitizer(edges)
	for i, in := range r.Mask {
		if !in {
			continue
		}
		b := dg.bin(r.Image.Data[i])
		d.Levels[i] = int32(b)
		d.Ng = max(d.Ng, b)
	}
	return d, nil
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
