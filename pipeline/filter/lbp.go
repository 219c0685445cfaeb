package filter

import (
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// LBP2D is pyradiomics' lbp-2D image: scikit-image's local_binary_pattern
// (P samples on a circle of radius R, bilinear interpolation, 0 outside
// the slice) in every slice normal to pyradiomics' force2Ddimension
// (0 = slices normal to k, 1 = normal to j, 2 = normal to i). method is
// "uniform" (rotation-invariant uniform patterns, 0…P+1), "default" or
// "ror". The slice's rows and columns are numpy's: for dimension 0 rows are
// j and columns i, for 1 rows k and columns i, for 2 rows j and columns k.
func LBP2D(v *volume.Volume, radius float64, samples int, method string, dim int) (*volume.Volume, error) {
	return LBP2DRegion(v, radius, samples, method, dim, nil)
}

// LBP2DRegion is LBP2D computed only for the voxels of region (if not
// nil; each from its whole slice, so equal to LBP2D's), 0 elsewhere.
func LBP2DRegion(v *volume.Volume, radius float64, samples int, method string, dim int, region *volume.Box) (*volume.Volume, error) {
	box, c, err := lbp2DBox(v, radius, samples, method, dim, region)
	if err != nil {
		return nil, err
	}
	return uncrop(v, box, c), nil
}

// lbp2DBox is LBP2DRegion's image inside the clipped region, box-sized.
func lbp2DBox(v *volume.Volume, radius float64, samples int, method string, dim int, region *volume.Box) (volume.Box, []float64, error) {
	if !(radius > 0) || math.IsInf(radius, 0) {
		return volume.Box{}, nil, fmt.Errorf("filter: lbp2DRadius %g must be positive", radius)
	}
	if samples < 1 || samples > 30 {
		return volume.Box{}, nil, fmt.Errorf("filter: lbp2DSamples %d must be 1..30", samples)
	}
	if method != "uniform" && method != "default" && method != "ror" {
		return volume.Box{}, nil, fmt.Errorf("filter: lbp2DMethod %q: want uniform, default or ror", method)
	}
	if dim < 0 || dim > 2 {
		return volume.Box{}, nil, fmt.Errorf("filter: force2Ddimension %d must be 0, 1 or 2", dim)
	}
	// axes (slice, row, col) in our numbering.
	var sl, ra, ca int
	switch dim {
	case 0:
		sl, ra, ca = 2, 1, 0
	case 1:
		sl, ra, ca = 1, 2, 0
	default:
		sl, ra, ca = 0, 1, 2
	}
	st := [3]int{1, v.Dims[0], v.Dims[0] * v.Dims[1]}
	rows, cols := v.Dims[ra], v.Dims[ca]
	rp, cp := make([]float64, samples), make([]float64, samples)
	for i := range samples {
		a := 2 * math.Pi * float64(i) / float64(samples)
		rp[i] = roundHalfEven(-radius*math.Sin(a), 5)
		cp[i] = roundHalfEven(radius*math.Cos(a), 5)
	}
	box := clipBox(v, region)
	bs := box.Size()
	out := make([]float64, bs[0]*bs[1]*bs[2])
	// ost: the box-sized output's strides along slice, row and column.
	ost := [3]int{1, bs[0], bs[0] * bs[1]}
	ostS, ostR, ostC := ost[sl], ost[ra], ost[ca]
	off := box.Min[sl]*ostS + box.Min[ra]*ostR + box.Min[ca]*ostC
	img := make([]float64, rows*cols)
	signed := make([]int, samples)
	lim := [3][2]int{{box.Min[0], box.Max[0]}, {box.Min[1], box.Max[1]}, {box.Min[2], box.Max[2]}}
	// The bilinear taps of sample i at row r (and column c) depend on r
	// (c) and i alone: scikit-image's floor, ceil and fraction of
	// r + rp[i], computed once per row (column) of the box.
	type tap struct {
		lo, hi int
		d      float64
	}
	taps := func(from, to int, off []float64) []tap {
		out := make([]tap, 0, (to-from)*samples)
		for r := from; r < to; r++ {
			for i := range samples {
				rr := float64(r) + off[i]
				lo := math.Floor(rr)
				out = append(out, tap{int(lo), int(math.Ceil(rr)), rr - lo})
			}
		}
		return out
	}
	rowTaps, colTaps := taps(lim[ra][0], lim[ra][1], rp), taps(lim[ca][0], lim[ca][1], cp)
	for s := lim[sl][0]; s < lim[sl][1]; s++ {
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				img[r*cols+c] = v.Data[s*st[sl]+r*st[ra]+c*st[ca]]
			}
		}
		pix := func(r, c int) float64 {
			if r < 0 || c < 0 || r >= rows || c >= cols {
				return 0
			}
			return img[r*cols+c]
		}
		for r := lim[ra][0]; r < lim[ra][1]; r++ {
			rt := rowTaps[(r-lim[ra][0])*samples:][:samples]
			for c := lim[ca][0]; c < lim[ca][1]; c++ {
				centre := img[r*cols+c]
				ct := colTaps[(c-lim[ca][0])*samples:][:samples]
				for i := range samples {
					minr, maxr, dr := rt[i].lo, rt[i].hi, rt[i].d
					minc, maxc, dc := ct[i].lo, ct[i].hi, ct[i].d
					tl, tr := pix(minr, minc), pix(minr, maxc)
					bl, br := pix(maxr, minc), pix(maxr, maxc)
					top := float64((1-dc)*tl) + float64(dc*tr)
					bottom := float64((1-dc)*bl) + float64(dc*br)
					t := float64((1-dr)*top) + float64(dr*bottom)
					signed[i] = 0
					if t-centre >= 0 {
						signed[i] = 1
					}
				}
				lbp := lbpCode(signed, method)
				out[s*ostS+r*ostR+c*ostC-off] = float64(lbp)
			}
		}
	}
	return box, out, nil
}

// lbpCode is scikit-image's code of one pixel from its samples' signs
// (1: the sample ≥ the centre): the number of ones if at most two changes
// around the circle, else samples+1 ("uniform"); the bits ("default"); or
// the bits' smallest rotation ("ror").
func lbpCode(signed []int, method string) int {
	samples := len(signed)
	var lbp int
	switch method {
	case "uniform":
		changes := 0
		for i := 0; i < samples-1; i++ {
			if signed[i] != signed[i+1] {
				changes++
			}
		}
		if changes <= 2 {
			for _, b := range signed {
				lbp += b
			}
		} else {
			lbp = samples + 1
		}
	default:
		for i, b := range signed {
			lbp += b << i
		}
		if method == "ror" {
			best, x := lbp, lbp
			for i := 1; i < samples; i++ {
				x = (x >> 1) | ((x & 1) << (samples - 1))
				best = min(best, x)
			}
			lbp = best
		}
	}
	return lbp
}

// roundHalfEven is numpy.round(x, d): scale by 10^d, round half to even,
// scale back.
func roundHalfEven(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.RoundToEven(x*p) / p
}
