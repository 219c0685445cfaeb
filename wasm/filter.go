package main

import (
	"fmt"
	"math"
	"time"

	"github.com/scirad/scirad/pipeline/filter/gallery"
	"github.com/scirad/scirad/pipeline/volume"
)

// FilterSlice is a filtered image (a filter of package gallery, the list
// the notebooks show too) drawn on the sagittal slice that sagittal draws
// for the original, without the ROI overlay: grey levels from Lo to Hi, the
// filtered values' range on that slice.
type FilterSlice struct {
	Slice
	Name, Group, Type, Note string
	Lo, Hi                  float64
	Seconds                 float64 // time to filter the whole volume
}

// filterSlice filters img with the gallery's filter called name (LBP3D
// filters the ROI of label 1 of mask) and draws the slice through the ROI.
func filterSlice(img, mask *volume.Volume, name string) (*FilterSlice, error) {
	if img == nil {
		return nil, fmt.Errorf("no image loaded")
	}
	if mask != nil && mask.Dims != img.Dims {
		mask = nil
	}
	e, err := gallery.Lookup(name)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	v, err := gallery.Apply(e, img, mask)
	if err != nil {
		return nil, err
	}
	secs := time.Since(t0).Seconds()
	s := sagittalView(v, mask, false)
	out := &FilterSlice{Slice: *s, Name: e.Name, Group: e.Group, Type: e.Type, Note: e.Note, Lo: math.Inf(1), Hi: math.Inf(-1), Seconds: secs}
	for _, q := range sagittalIndex(v, s) {
		if x := v.Data[q]; !math.IsNaN(x) && !math.IsInf(x, 0) {
			out.Lo, out.Hi = math.Min(out.Lo, x), math.Max(out.Hi, x)
		}
	}
	return out, nil
}
