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

// SliceAxis returns the axis slices are taken along: axis when it is 0, 1
// or 2, otherwise (auto) the axis with the largest spacing, ties going to the
// last of them, so an isotropic volume is sliced along k. Sagittal T2 series
// (and the synthetic cohort and the spine cases) are stacks of sagittal
// slices along k with the largest spacing there.
func SliceAxis(g volume.Grid, axis int) int {
	if axis >= 0 && axis <= 2 {
		return axis
	}
	best := 0
	for a := 1; a < 3; a++ {
		if g.Spacing[a] >= g.Spacing[best] {
			best = a
		}
	}
	return best
}

// LargestROISlice returns the index along axis of the slice of mask with the
// most voxels labelled 1 or 2 (the lesion and the rest of the cord), the
// lowest index on ties. An ROI empty on every slice is an error.
func LargestROISlice(mask *volume.Volume, axis int) (int, error) {
	count := make([]int, mask.Dims[axis])
	for idx, v := range mask.Data {
		if v != 1 && v != 2 {
			continue
		}
		i, j, k := mask.Coords(idx)
		count[[3]int{i, j, k}[axis]]++
	}
	best := 0
	for s, c := range count {
		if c > count[best] {
			best = s
		}
	}
	if count[best] == 0 {
		return 0, errors.New("deep: mask has no voxel labelled 1 or 2 on any slice")
	}
	return best, nil
}

// ExtractSlice returns slice s of v along axis as an image whose columns run
// along the lower remaining axis and rows along the higher one (for k slices:
// columns i, rows j).
func ExtractSlice(v *volume.Volume, axis, s int) Image {
	var ca, ra int
	switch axis {
	case 0:
		ca, ra = 1, 2
	case 1:
		ca, ra = 0, 2
	default:
		ca, ra = 0, 1
	}
	img := Image{H: v.Dims[ra], W: v.Dims[ca]}
	img.Data = make([]float64, img.H*img.W)
	var ijk [3]int
	ijk[axis] = s
	for r := range img.H {
		for c := range img.W {
			ijk[ra], ijk[ca] = r, c
			img.Data[r*img.W+c] = v.At(ijk[0], ijk[1], ijk[2])
		}
	}
	return img
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
