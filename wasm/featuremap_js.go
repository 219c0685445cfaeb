//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/scirad/scirad/pipeline/featuremap"
)

// mapFeatures lists the features with a map (class_Feature):
//
//	scirad.mapFeatures() → JSON ["firstorder_10Percentile", …]
func (a *app) mapFeatures(args []js.Value) (any, error) {
	var names []string
	for _, d := range featuremap.Registry() {
		names = append(names, d.Key())
	}
	return toJSON(names)
}

// featureMap computes one feature's voxel-based map of the lesion (label 1)
// of the loaded image and mask and draws it over the sagittal slice:
//
//	scirad.featureMap(name) → {width, height, pixelW, pixelH, axis, index, count, lesion, rgba, feature, lo, hi, voxels, seconds} | {error}
func (a *app) featureMap(args []js.Value) (any, error) {
	if len(args) != 1 || args[0].Type() != js.TypeString {
		return nil, errors.New("featureMap(name): want a feature name such as glcm_Contrast")
	}
	m, err := mapSlice(a.img, a.mask, args[0].String(), 1)
	if err != nil {
		return nil, err
	}
	px := js.Global().Get("Uint8ClampedArray").New(len(m.RGBA))
	js.CopyBytesToJS(px, m.RGBA)
	return map[string]any{
		"width": m.Width, "height": m.Height, "pixelW": m.PixelW, "pixelH": m.PixelH,
		"axis": m.Axis, "index": m.Index, "count": m.Count, "lesion": m.Lesion, "rgba": px,
		"feature": m.Feature, "lo": m.Lo, "hi": m.Hi, "voxels": m.Voxels, "seconds": m.Seconds,
	}, nil
}
