//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/scirad/scirad/pipeline/filter/gallery"
)

// filters lists the filters of the gallery (package gallery: the paper's
// four, pyradiomics' image types, IBSI chapter 2), in its order:
//
//	scirad.filters() → JSON [{name, group, type, note}, …]
func (a *app) filters(args []js.Value) (any, error) {
	var out []map[string]string
	for _, e := range gallery.Entries() {
		out = append(out, map[string]string{"name": e.Name, "group": e.Group, "type": e.Type, "note": e.Note})
	}
	return toJSON(out)
}

// filterImage filters the loaded image with one filter of the gallery and
// draws the sagittal slice through the lesion (the one scirad.slice shows)
// without the overlay:
//
//	scirad.filterImage(name) → {width, height, pixelW, pixelH, axis, index, count, rgba, name, group, type, note, lo, hi, seconds} | {error}
func (a *app) filterImage(args []js.Value) (any, error) {
	if len(args) != 1 || args[0].Type() != js.TypeString {
		return nil, errors.New("filterImage(name): want a filter name such as log-sigma-2-0-mm-3D")
	}
	f, err := filterSlice(a.img, a.mask, args[0].String())
	if err != nil {
		return nil, err
	}
	px := js.Global().Get("Uint8ClampedArray").New(len(f.RGBA))
	js.CopyBytesToJS(px, f.RGBA)
	return map[string]any{
		"width": f.Width, "height": f.Height, "pixelW": f.PixelW, "pixelH": f.PixelH,
		"axis": f.Axis, "index": f.Index, "count": f.Count, "rgba": px,
		"name": f.Name, "group": f.Group, "type": f.Type, "note": f.Note, "lo": f.Lo, "hi": f.Hi, "seconds": f.Seconds,
	}, nil
}
