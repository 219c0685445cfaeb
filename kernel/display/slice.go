package display

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// SliceOptions control how a slice is drawn. The zero value is the
// default.
type SliceOptions struct {
	Height int     // output height in pixels; 0 means 320
	Alpha  float64 // opacity of the ROI colours; 0 means 0.45, negative hides the ROI
}

// ROI colours by label: 1 is the lesion, 2 the rest of the cord (the
// paper's two ROIs; see radiomics.PaperROIs). Other labels are drawn in
// the third colour.
var roiColours = [3]color.RGBA{{230, 40, 40, 255}, {40, 200, 230, 255}, {250, 200, 0, 255}}

// plane is one slice's samples, row-major (volume.Plane).
type plane struct {
	W, H int
	Data []float64
}

// Slice is a rendered slice.
type Slice struct {
	Axis, Index int // the slice drawn: index Index along axis Axis (0 = i, 1 = j, 2 = k)
	PNG         []byte
}

// SlicePNG draws the slice that the deep-learning stage and the browser demo
// use: along the sagittal axis (volume.SagittalAxis) at the slice with the
// largest ROI (volume.LargestROISlice), with the ROI labels coloured over
// the image.
//
// mask may be nil: then the middle slice is drawn without an overlay.
func SlicePNG(img, mask *volume.Volume, o SliceOptions) (Slice, error) {
	axis := volume.SliceAxis(img.Grid, -1)
	s := img.Dims[axis] / 2
	if mask != nil {
		var err error
		if s, err = volume.LargestROISlice(mask, axis); err != nil {
			return Slice{}, fmt.Errorf("display: %w", err)
		}
	}
	return SlicePNGAt(img, mask, axis, s, o)
}

// SlicePNGAt draws slice index along axis (0, 1 or 2). Columns run along
// the lower remaining axis and rows along the higher one (volume.Plane); pixels are stretched to the voxel
// spacing, so anatomy keeps its proportions. Grey levels are the slice's
// minimum to maximum (a flat slice is black). mask, if not nil, must be on
// img's grid.
func SlicePNGAt(img, mask *volume.Volume, axis, index int, o SliceOptions) (Slice, error) {
	if axis < 0 || axis > 2 {
		return Slice{}, fmt.Errorf("display: axis %d is not 0, 1 or 2", axis)
	}
	if index < 0 || index >= img.Dims[axis] {
		return Slice{}, fmt.Errorf("display: slice %d outside [0, %d) along axis %d", index, img.Dims[axis], axis)
	}
	if mask != nil {
		if err := img.SameGrid(mask.Grid, volume.DefaultTolerance); err != nil {
			return Slice{}, fmt.Errorf("display: mask and image: %w", err)
		}
	}
	if o.Height == 0 {
		o.Height = 320
	}
	if o.Alpha == 0 {
		o.Alpha = 0.45
	}
	if o.Height < 1 || o.Alpha > 1 {
		return Slice{}, fmt.Errorf("display: bad slice options %+v", o)
	}
	var im, lab plane
	im.W, im.H, im.Data = img.Plane(axis, index)
	if mask != nil {
		lab.W, lab.H, lab.Data = mask.Plane(axis, index)
	}
	ca, ra := volume.PlaneAxes(axis)
	heightMM := float64(im.H) * img.Spacing[ra]
	widthMM := float64(im.W) * img.Spacing[ca]
	outH := o.Height
	outW := max(1, int(math.Round(float64(outH)*widthMM/heightMM)))

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range im.Data {
		lo, hi = min(lo, v), max(hi, v)
	}
	out := image.NewRGBA(image.Rect(0, 0, outW, outH))
	for y := range outH {
		r := min(im.H-1, y*im.H/outH)
		for x := range outW {
			c := min(im.W-1, x*im.W/outW)
			g := 0.0
			if hi > lo {
				g = (im.Data[r*im.W+c] - lo) / (hi - lo)
			}
			px := [3]float64{255 * g, 255 * g, 255 * g}
			if mask != nil && o.Alpha > 0 {
				if l := int(lab.Data[r*lab.W+c]); l > 0 {
					col := roiColours[min(l, 3)-1]
					px[0] = (1-o.Alpha)*px[0] + o.Alpha*float64(col.R)
					px[1] = (1-o.Alpha)*px[1] + o.Alpha*float64(col.G)
					px[2] = (1-o.Alpha)*px[2] + o.Alpha*float64(col.B)
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(math.Round(px[0])), uint8(math.Round(px[1])), uint8(math.Round(px[2])), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		return Slice{}, err
	}
	return Slice{Axis: axis, Index: index, PNG: b.Bytes()}, nil
}
