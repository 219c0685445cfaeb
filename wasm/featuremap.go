package main

import (
	"fmt"
	"math"
	"time"

	"github.com/scirad/scirad/pipeline/featuremap"
	"github.com/scirad/scirad/pipeline/volume"
)

// MapSlice is a voxel-based feature map drawn over the sagittal slice that
// sagittal draws: the slice in grey, the map in colour (featuremap.Viridis,
// from Lo to Hi over the slice's ROI voxels) where the ROI is.
type MapSlice struct {
	Slice
	Feature string  // class_Feature, e.g. glcm_Contrast
	Lo, Hi  float64 // map values at the ends of the colour scale
	Voxels  int     // ROI voxels mapped (the whole ROI, all slices)
	Seconds float64 // time to compute the map
}

// mapSettings are the demo's map settings: pyradiomics' voxel-based
// defaults (kernelRadius 1, masked kernel), with a fixed bin count of 32 as
// the paper profile, so any intensity scale gives a useful texture.
func mapSettings(feature string, label int) (featuremap.Settings, error) {
	var s featuremap.Settings
	s.BinCount = 32
	s.Label = label
	s.Workers = 1
	if err := featuremap.SelectFeatures(&s, feature); err != nil {
		return s, err
	}
	return s, nil
}

// mapSlice computes one feature's map of ROI label (the lesion, 1) and
// draws it over the sagittal slice through the ROI.
func mapSlice(img, mask *volume.Volume, feature string, label int) (*MapSlice, error) {
	if img == nil || mask == nil {
		return nil, fmt.Errorf("a feature map needs an image and a label map")
	}
	s, err := mapSettings(feature, label)
	if err != nil {
		return nil, err
	}
	if len(featuremap.Names(s)) != 1 {
		return nil, fmt.Errorf("one feature at a time, e.g. glcm_Contrast (got %q)", feature)
	}
	t0 := time.Now()
	maps, err := featuremap.Compute(img, mask, s)
	if err != nil {
		return nil, err
	}
	secs := time.Since(t0).Seconds()
	m := maps[0].Volume
	base := sagittal(img, mask)
	out := &MapSlice{Slice: *base, Feature: maps[0].Key(), Lo: math.Inf(1), Hi: math.Inf(-1), Seconds: secs}
	for _, x := range mask.Data {
		if int(x) == label {
			out.Voxels++
		}
	}
	idx := sagittalIndex(img, base)
	for _, q := range idx {
		if int(mask.Data[q]) == label && !math.IsNaN(m.Data[q]) {
			out.Lo, out.Hi = math.Min(out.Lo, m.Data[q]), math.Max(out.Hi, m.Data[q])
		}
	}
	out.RGBA = append([]byte(nil), base.RGBA...)
	for p, q := range idx {
		if int(mask.Data[q]) != label || math.IsNaN(m.Data[q]) {
			continue
		}
		t := 0.5
		if out.Hi > out.Lo {
			t = (m.Data[q] - out.Lo) / (out.Hi - out.Lo)
		}
		c := featuremap.Viridis(t)
		out.RGBA[4*p], out.RGBA[4*p+1], out.RGBA[4*p+2] = c.R, c.G, c.B
	}
	return out, nil
}

// sagittalIndex returns, for each pixel of s (row-major), the voxel index
// sagittal drew there.
func sagittalIndex(img *volume.Volume, s *Slice) []int {
	d := img.Direction
	comp := func(row, c int) float64 { return d[row*3+c] }
	lr := s.Axis
	si := argmax(func(c int) float64 { return math.Abs(comp(2, c)) }, lr)
	ap := 3 - lr - si
	w, h := s.Width, s.Height
	out := make([]int, w*h)
	for row := range h {
		for col := range w {
			ijk := [3]int{}
			ijk[lr] = s.Index
			ijk[ap] = col
			if comp(1, ap) < 0 {
				ijk[ap] = w - 1 - col
			}
			ijk[si] = h - 1 - row
			if comp(2, si) < 0 {
				ijk[si] = row
			}
			out[row*w+col] = img.Index(ijk[0], ijk[1], ijk[2])
		}
	}
	return out
}
