//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/volume"
)

// app is the page's state: the loaded bundle and the picked volumes.
type app struct {
	bundle    *bundle.Bundle
	img, mask *volume.Volume
	imgName   string
	maskName  string
	funcs     []js.Func
}

// main registers the functions of the global object `scirad` and waits:
//
//	scirad.loadBundle(text)             → JSON {signature, model, threshold, centers, features, cohort} | {error}
//	scirad.setVolume(kind, name, bytes) → JSON {dims, spacing, labels} | {error}   kind: "image" or "mask"
//	scirad.slice()                      → {width, height, pixelW, pixelH, axis, index, count, lesion, rgba} | {error}
//	scirad.predict(center)              → JSON bundle.Prediction | {error}
//	scirad.featureMap(name), scirad.mapFeatures(): feature maps (featuremap_js.go)
//	scirad.filters(), scirad.filterImage(name): filtered slices (filter_js.go)
//
// Every call returns; a Go panic becomes an {error} too, so the page never
// waits on a dead program.
func main() {
	a := &app{}
	obj := js.Global().Get("Object").New()
	for name, f := range map[string]func(args []js.Value) (any, error){
		"loadBundle":  a.loadBundle,
		"setVolume":   a.setVolume,
		"slice":       a.slice,
		"predict":     a.predict,
		"featureMap":  a.featureMap,
		"mapFeatures": a.mapFeatures,
		"filters":     a.filters,
		"filterImage": a.filterImage,
	} {
		fn := js.FuncOf(func(this js.Value, args []js.Value) (result any) {
			defer func() {
				if r := recover(); r != nil {
					result = errorJSON(fmt.Errorf("internal error in %s: %v", name, r))
				}
			}()
			v, err := f(args)
			if err != nil {
				return errorJSON(err)
			}
			return v
		})
		a.funcs = append(a.funcs, fn)
		obj.Set(name, fn)
	}
	obj.Set("ready", true)
	js.Global().Set("scirad", obj)
	if cb := js.Global().Get("sciradReady"); cb.Type() == js.TypeFunction {
		cb.Invoke()
	}
	select {}
}

func errorJSON(err error) string {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	return string(b)
}

func toJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func (a *app) loadBundle(args []js.Value) (any, error) {
	if len(args) != 1 || args[0].Type() != js.TypeString {
		return nil, errors.New("loadBundle(text): want the bundle's JSON text")
	}
	b, err := bundle.Read(strings.NewReader(args[0].String()))
	if err != nil {
		return nil, err
	}
	a.bundle = b
	return toJSON(map[string]any{
		"signature": b.Signature, "model": b.ModelName, "threshold": b.Threshold,
		"centers": b.Centers(), "features": b.Features, "cohort": b.Cohort,
	})
}

func (a *app) setVolume(args []js.Value) (any, error) {
	if len(args) != 3 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
		return nil, errors.New("setVolume(kind, name, bytes): want two strings and a Uint8Array")
	}
	kind, name := args[0].String(), args[1].String()
	if kind != "image" && kind != "mask" {
		return nil, fmt.Errorf("setVolume: kind %q, want image or mask", kind)
	}
	// Forget the previous file first: a failed pick must not leave a stale
	// volume behind.
	if kind == "image" {
		a.img, a.imgName = nil, ""
	} else {
		a.mask, a.maskName = nil, ""
	}
	if !args[2].InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, errors.New("setVolume: the file's bytes must be a Uint8Array")
	}
	data := make([]byte, args[2].Get("length").Int())
	js.CopyBytesToGo(data, args[2])
	v, err := decodeVolume(name, data, kind == "mask")
	if err != nil {
		return nil, err
	}
	info := map[string]any{"name": name, "dims": v.Dims, "spacing": v.Spacing}
	if kind == "image" {
		a.img, a.imgName = v, name
	} else {
		a.mask, a.maskName = v, name
		counts := map[int]int{}
		for _, x := range v.Data {
			if x != 0 {
				counts[int(x)]++
			}
		}
		info["labels"] = counts
	}
	if a.img != nil && a.mask != nil {
		if err := a.img.SameGrid(a.mask.Grid, volume.DefaultTolerance); err != nil {
			return nil, fmt.Errorf("image %s and mask %s: %w", a.imgName, a.maskName, err)
		}
	}
	return toJSON(info)
}

func (a *app) slice(args []js.Value) (any, error) {
	if a.img == nil {
		return nil, errors.New("no image loaded")
	}
	s := sagittal(a.img, a.mask)
	px := js.Global().Get("Uint8ClampedArray").New(len(s.RGBA))
	js.CopyBytesToJS(px, s.RGBA)
	return map[string]any{
		"width": s.Width, "height": s.Height, "pixelW": s.PixelW, "pixelH": s.PixelH,
		"axis": s.Axis, "index": s.Index, "count": s.Count, "lesion": s.Lesion, "rgba": px,
	}, nil
}

func (a *app) predict(args []js.Value) (any, error) {
	switch {
	case a.bundle == nil:
		return nil, errors.New("no model loaded")
	case a.img == nil:
		return nil, errors.New("no image loaded")
	case a.mask == nil:
		return nil, errors.New("no mask loaded")
	case len(args) != 1 || args[0].Type() != js.TypeString:
		return nil, errors.New("predict(center): want the centre's name")
	}
	p, err := a.bundle.Predict(a.img, a.mask, args[0].String())
	if err != nil {
		return nil, err
	}
	return toJSON(p)
}
