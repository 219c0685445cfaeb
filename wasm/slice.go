package main

import (
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// Slice is a 2D view of a volume: RGBA pixels, row-major, top row first.
type Slice struct {
	Width, Height  int
	PixelW, PixelH float64 // mm per pixel across and down, for the aspect ratio
	Axis, Index    int     // the voxel axis held fixed and its index
	Count, Lesion  int     // slices along Axis; lesion voxels on this one
	RGBA           []byte
}

// overlay is the colour (RGB) and opacity of a label: lesion (1) red, the
// rest of the cord (2) green, nothing else.
func overlay(label float64) (rgb [3]float64, alpha float64) {
	switch label {
	case 1:
		return [3]float64{255, 40, 40}, 0.5
	case 2:
		return [3]float64{40, 220, 90}, 0.3
	}
	return rgb, 0
}

// sagittal draws the slice of img that every front end shows (volume's
// slice geometry: the sagittal axis, volume.SagittalAxis, at the slice with
// the largest ROI, volume.LargestROISlice) with mask overlaid. mask may be
// nil, on another grid or empty: then there is no overlay and the middle
// slice is shown. Superior is up and anterior left, as radiology viewers
// show it. Grey levels span the slice's min–max.
func sagittal(img, mask *volume.Volume) *Slice { return sagittalView(img, mask, true) }

// sagittalView is sagittal, with the ROI overlaid only if overlayROI (mask
// still picks the slice).
func sagittalView(img, mask *volume.Volume, overlayROI bool) *Slice {
	if mask != nil && mask.Dims != img.Dims {
		mask = nil
	}
	d := img.Direction
	// Column c of Direction is axis c's direction in LPS (x = R→L, y = A→P,
	// z = I→S).
	comp := func(row, c int) float64 { return d[row*3+c] }
	lr := volume.SagittalAxis(img.Grid)
	si := argmax(func(c int) float64 { return math.Abs(comp(2, c)) }, lr)
	ap := 3 - lr - si
	idx := img.Dims[lr] / 2
	if mask != nil {
		if s, err := volume.LargestROISlice(mask, lr); err == nil {
			idx = s
		}
	}
	w, h := img.Dims[ap], img.Dims[si]
	s := &Slice{Width: w, Height: h, PixelW: img.Spacing[ap], PixelH: img.Spacing[si], Axis: lr, Index: idx, Count: img.Dims[lr], RGBA: make([]byte, 4*w*h)}
	at := func(col, row int) int {
		ijk := [3]int{}
		ijk[lr] = idx
		ijk[ap] = col
		if comp(1, ap) < 0 { // index grows anterior: flip so anterior is left
			ijk[ap] = w - 1 - col
		}
		ijk[si] = h - 1 - row
		if comp(2, si) < 0 { // index grows inferior
			ijk[si] = row
		}
		return img.Index(ijk[0], ijk[1], ijk[2])
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for row := 0; row < h; row++ {
		for col := 0; col < w; col++ {
			x := img.Data[at(col, row)]
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	scale := 0.0
	if hi > lo {
		scale = 255 / (hi - lo)
	}
	for row := 0; row < h; row++ {
		for col := 0; col < w; col++ {
			q := at(col, row)
			g := (img.Data[q] - lo) * scale
			if math.IsNaN(g) || math.IsInf(g, 0) {
				g = 0
			}
			px := [3]float64{g, g, g}
			if mask != nil {
				if overlayROI {
					rgb, a := overlay(mask.Data[q])
					for c := range px {
						px[c] = (1-a)*px[c] + a*rgb[c]
					}
				}
				if mask.Data[q] == 1 {
					s.Lesion++
				}
			}
			p := 4 * (row*w + col)
			for c := range px {
				s.RGBA[p+c] = byte(math.Round(math.Max(0, math.Min(255, px[c]))))
			}
			s.RGBA[p+3] = 255
		}
	}
	return s
}

// argmax returns the axis c ≠ skip with the largest f(c).
func argmax(f func(c int) float64, skip int) int {
	best := -1
	for c := 0; c < 3; c++ {
		if c != skip && (best < 0 || f(c) > f(best)) {
			best = c
		}
	}
	return best
}
