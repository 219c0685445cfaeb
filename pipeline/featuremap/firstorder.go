package featuremap

import (
	"math"
	"slices"
)

// eps is numpy.spacing(1), pyradiomics' guard inside logarithms.
const eps = 2.220446049250313e-16

// firstOrder holds one worker's scratch for the first-order features of a
// kernel.
type firstOrder struct {
	x         []float64 // the kernel's intensities (ROI voxels only when masked), box order
	sorted    []float64 // x sorted; kept by foSlider when presorted
	presorted bool
	counts    []int // voxels per grey level, 0..Ng
	shift     float64
	voxel     float64 // voxel volume, mm³ (x·y·z as numpy.multiply.reduce)
}

// compute writes the 18 first-order features of f.x (levels counted in
// f.counts) into out, in registry order, with pyradiomics' voxel-based
// formulas (radiomics/firstorder.py on an (Nvox, Nk) array with NaN outside
// the kernel's ROI: nanmean, nanpercentile, nanmedian).
func (f *firstOrder) compute(out []float64) {
	x := f.x
	n := float64(len(x))
	if !f.presorted {
		f.sorted = append(f.sorted[:0], x...)
		slices.Sort(f.sorted)
	}
	s := f.sorted
	var sum, energy float64
	for _, v := range x {
		sum += v
		y := v + f.shift
		energy += y * y
	}
	mean := sum / n
	var m2, m3, m4, mad float64
	for _, v := range x {
		d := v - mean
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
		mad += math.Abs(d)
	}
	m2, m3, m4, mad = m2/n, m3/n, m4/n, mad/n
	var entropy, uniformity float64
	for _, c := range f.counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		entropy -= p * math.Log2(p+eps)
		uniformity += p * p
	}
	p10, p90 := percentile(s, 10), percentile(s, 90)
	var rsum float64
	rn := 0
	for _, v := range s {
		if v >= p10 && v <= p90 {
			rsum += v
			rn++
		}
	}
	rmad := math.NaN()
	if rn > 0 {
		rmean := rsum / float64(rn)
		rmad = 0
		for _, v := range s {
			if v >= p10 && v <= p90 {
				rmad += math.Abs(v - rmean)
			}
		}
		rmad /= float64(rn)
	}
	median := s[len(s)/2]
	if len(s)%2 == 0 {
		median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	d2 := m2
	if d2 == 0 {
		d2 = 1 // pyradiomics: flat kernel, m3 and m4 are returned as they are (0)
	}
	sd := math.Sqrt(m2)
	out[0] = p10
	out[1] = p90
	out[2] = energy
	out[3] = entropy
	out[4] = percentile(s, 75) - percentile(s, 25)
	out[5] = m4 / (d2 * d2)
	out[6] = s[len(s)-1]
	out[7] = mean
	out[8] = mad
	out[9] = median
	out[10] = s[0]
	out[11] = s[len(s)-1] - s[0]
	out[12] = rmad
	out[13] = math.Sqrt(energy / n)
	out[14] = m3 / math.Pow(d2, 1.5)
	out[15] = energy * f.voxel
	out[16] = uniformity
	out[17] = sd * sd
}

// percentile is numpy.percentile's default (linear) method on sorted s,
// with numpy's _lerp for the same rounding.
func percentile(s []float64, q float64) float64 {
	pos := q / 100 * float64(len(s)-1)
	lo := int(math.Floor(pos))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	t := pos - float64(lo)
	a, b := s[lo], s[lo+1]
	if t >= 0.5 {
		return b - (b-a)*(1-t)
	}
	return a + (b-a)*t
}

// foSlider keeps a kernel's first-order histogram (voxels per grey level,
// firstOrder.counts) and its sorted intensities (firstOrder.sorted) as the
// kernel slides along x: a leaving plane's voxels are taken out of both,
// an entering plane's put in (binary search). Counts are integers and the
// sorted values a multiset, so both are what a rebuild gives, to the bit.
// The moments are still summed over the box in pyradiomics' order
// (firstOrder.x), as numpy sums them.
type foSlider struct {
	p *prepared
	f *firstOrder
	slider
}

func (s *foSlider) moveTo(w window) {
	s.slider.moveTo(w, s.p.s.noSlide, s.plane, func() {
		clear(s.f.counts)
		s.f.sorted = s.f.sorted[:0]
	})
}

func (s *foSlider) plane(x int, w window, delta int32) {
	p, f := s.p, s.f
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	for z := w.z0; z <= w.z1; z++ {
		for y := w.y0; y <= w.y1; y++ {
			c := x + n0*y + n01*z
			l := p.lv[c]
			if l == 0 {
				continue
			}
			f.counts[l] += int(delta)
			v := p.x[c]
			i, _ := slices.BinarySearch(f.sorted, v)
			if delta > 0 {
				f.sorted = slices.Insert(f.sorted, i, v)
			} else {
				f.sorted = slices.Delete(f.sorted, i, i+1)
			}
		}
	}
}
