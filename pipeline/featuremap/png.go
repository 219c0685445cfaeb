package featuremap

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/volume"
)

// Overlay is a feature map drawn over one slice of its image.
type Overlay struct {
	Axis, Index int     // the slice: index along axis (volume.Plane's layout)
	Lo, Hi      float64 // the map values at the two ends of the colour bar
}

// SagittalOverlayPNG draws m over the sagittal slice of img where the ROI
// (label of mask) is largest — the slice the deep-learning stage and
// Grad-CAM use (volume.SagittalAxis, volume.LargestROISlice) — and writes
// it as PNG; see OverlayPNG.
func SagittalOverlayPNG(w io.Writer, img, mask, m *volume.Volume, label, scale int) (Overlay, error) {
	axis := volume.SliceAxis(mask.Grid, -1)
	best, idx := -1, 0
	for s := range mask.Dims[axis] {
		_, _, plane := mask.Plane(axis, s)
		n := 0
		for _, x := range plane {
			if int(x) == label {
				n++
			}
		}
		if n > best {
			best, idx = n, s
		}
	}
	if best <= 0 {
		return Overlay{}, errors.New("featuremap: the ROI is empty")
	}
	return OverlayPNG(w, img, mask, m, label, axis, idx, scale)
}

// OverlayPNG draws slice index along axis of img in grey (its 1st to 99th
// percentile over the slice) with the map m in colour (viridis, from the
// map's smallest to its largest value over the slice's ROI voxels, NaN left
// grey) over the voxels of the ROI (label of mask), each voxel scale × scale
// pixels, and writes it as PNG.
func OverlayPNG(w io.Writer, img, mask, m *volume.Volume, label, axis, index, scale int) (Overlay, error) {
	if img.Dims != mask.Dims || img.Dims != m.Dims {
		return Overlay{}, errors.New("featuremap: image, mask and map must share a grid")
	}
	if axis < 0 || axis > 2 || index < 0 || index >= img.Dims[axis] {
		return Overlay{}, errors.New("featuremap: slice outside the image")
	}
	scale = max(scale, 1)
	wd, ht, grey := img.Plane(axis, index)
	_, _, lab := mask.Plane(axis, index)
	_, _, val := m.Plane(axis, index)
	o := Overlay{Axis: axis, Index: index, Lo: math.Inf(1), Hi: math.Inf(-1)}
	sorted := append([]float64(nil), grey...)
	slices.Sort(sorted)
	glo, ghi := sorted[len(sorted)/100], sorted[len(sorted)-1-len(sorted)/100]
	for i, l := range lab {
		if int(l) == label && !math.IsNaN(val[i]) {
			o.Lo, o.Hi = math.Min(o.Lo, val[i]), math.Max(o.Hi, val[i])
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, wd*scale, ht*scale))
	for r := range ht {
		for c := range wd {
			i := r*wd + c
			g := 0.0
			if ghi > glo {
				g = math.Min(math.Max((grey[i]-glo)/(ghi-glo), 0), 1)
			}
			px := color.RGBA{uint8(255 * g), uint8(255 * g), uint8(255 * g), 255}
			if int(lab[i]) == label && !math.IsNaN(val[i]) {
				t := 0.5
				if o.Hi > o.Lo {
					t = (val[i] - o.Lo) / (o.Hi - o.Lo)
				}
				px = Viridis(t)
			}
			for y := r * scale; y < (r+1)*scale; y++ {
				for x := c * scale; x < (c+1)*scale; x++ {
					out.SetRGBA(x, y, px)
				}
			}
		}
	}
	return o, png.Encode(w, out)
}

// Viridis is matplotlib's viridis colour map at t ∈ [0, 1], interpolated
// between nine of its entries: the maps' colours (dark blue = smallest).
func Viridis(t float64) color.RGBA {
	stops := [9][3]float64{
		{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
		{39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
	}
	t = math.Min(math.Max(t, 0), 1) * 8
	k := min(int(t), 7)
	f := t - float64(k)
	var c [3]uint8
	for i := range c {
		c[i] = uint8(math.Round(stops[k][i] + f*(stops[k+1][i]-stops[k][i])))
	}
	return color.RGBA{c[0], c[1], c[2], 255}
}
