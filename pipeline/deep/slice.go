package deep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/scirad/scirad/pipeline/volume"
)

// Image is one 2-D grey image, row-major: Data[r·W + c].
type Image struct {
	H, W int
	Data []float64
}

// ImageNet's per-channel normalisation (torchvision.transforms.Normalize in
// every ImageNet recipe).
var (
	imagenetMean = [3]float64{0.485, 0.456, 0.406}
	imagenetStd  = [3]float64{0.229, 0.224, 0.225}
)

// ExtractSlice returns slice s of v along axis as an Image (volume.Plane's
// layout: columns along the lower remaining axis, rows along the higher).
func ExtractSlice(v *volume.Volume, axis, s int) Image {
	w, h, data := v.Plane(axis, s)
	return Image{H: h, W: w, Data: data}
}

// MinMax rescales img to [0, 1] by its own minimum and maximum (a constant
// image becomes 0). NaN or Inf is an error.
func (img Image) MinMax() (Image, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range img.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Image{}, errors.New("deep: image holds NaN or Inf")
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	out := Image{H: img.H, W: img.W, Data: make([]float64, len(img.Data))}
	if hi > lo {
		for i, v := range img.Data {
			out.Data[i] = (v - lo) / (hi - lo)
		}
	}
	return out, nil
}

// Resize resamples img to h × w bilinearly with pixel centres aligned as
// torch.nn.functional.interpolate(mode="bilinear", align_corners=False)
// (no antialiasing): output pixel (r, c) samples the input at
// ((r + ½)·H/h − ½, (c + ½)·W/w − ½), clamped to the edge.
func (img Image) Resize(h, w int) Image {
	if h == img.H && w == img.W {
		return img
	}
	out := Image{H: h, W: w, Data: make([]float64, h*w)}
	sy, sx := float64(img.H)/float64(h), float64(img.W)/float64(w)
	for r := range h {
		y := math.Max((float64(r)+0.5)*sy-0.5, 0)
		for c := range w {
			x := math.Max((float64(c)+0.5)*sx-0.5, 0)
			out.Data[r*w+c] = img.bilinear(y, x)
		}
	}
	return out
}

// bilinear samples img at (y, x), clamping to the edge.
func (img Image) bilinear(y, x float64) float64 {
	y = math.Min(math.Max(y, 0), float64(img.H-1))
	x = math.Min(math.Max(x, 0), float64(img.W-1))
	y0, x0 := int(y), int(x)
	y1, x1 := min(y0+1, img.H-1), min(x0+1, img.W-1)
	fy, fx := y-float64(y0), x-float64(x0)
	at := func(r, c int) float64 { return img.Data[r*img.W+c] }
	return (1-fy)*((1-fx)*at(y0, x0)+fx*at(y0, x1)) + fy*((1-fx)*at(y1, x0)+fx*at(y1, x1))
}

// Augment is the paper's augmentation: a random shift of up to MaxShift of
// the side, a random rotation of up to MaxRotate degrees about the centre
// and a horizontal flip with probability ½, drawn from rng; pixels from
// outside the image are 0.
type Augment struct {
	MaxShift  float64 // fraction of the side; 0.1 = ±10 %
	MaxRotate float64 // degrees
	Flip      bool
}

// Apply returns an augmented copy of img.
func (a Augment) Apply(img Image, rng *rand.Rand) Image {
	dy := (2*rng.Float64() - 1) * a.MaxShift * float64(img.H)
	dx := (2*rng.Float64() - 1) * a.MaxShift * float64(img.W)
	th := (2*rng.Float64() - 1) * a.MaxRotate * math.Pi / 180
	flip := a.Flip && rng.Float64() < 0.5
	cy, cx := float64(img.H-1)/2, float64(img.W-1)/2
	sin, cos := math.Sincos(th)
	out := Image{H: img.H, W: img.W, Data: make([]float64, len(img.Data))}
	for r := range img.H {
		for c := range img.W {
			// Inverse map: output pixel → source position.
			y, x := float64(r)-cy-dy, float64(c)-cx-dx
			sy, sx := cos*y+sin*x+cy, -sin*y+cos*x+cx
			if flip {
				sx = float64(img.W-1) - sx
			}
			if sy < -0.5 || sx < -0.5 || sy > float64(img.H)-0.5 || sx > float64(img.W)-0.5 {
				continue
			}
			out.Data[r*img.W+c] = img.bilinear(sy, sx)
		}
	}
	return out
}

// ToBatch stacks grey images of one size into a network input: each grey
// value copied to three channels and normalised with ImageNet's mean and
// standard deviation.
func ToBatch(imgs []Image) (Batch, error) {
	if len(imgs) == 0 {
		return Batch{}, errors.New("deep: no images")
	}
	h, w := imgs[0].H, imgs[0].W
	b := Batch{N: len(imgs), H: h, W: w, Data: make([]float32, len(imgs)*h*w*3)}
	for n, img := range imgs {
		if img.H != h || img.W != w {
			return Batch{}, fmt.Errorf("deep: image %d is %d×%d, the first is %d×%d", n, img.H, img.W, h, w)
		}
		for i, v := range img.Data {
			o := (n*h*w + i) * 3
			for c := range 3 {
				b.Data[o+c] = float32((v - imagenetMean[c]) / imagenetStd[c])
			}
		}
	}
	return b, nil
}
