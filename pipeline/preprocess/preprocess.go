package preprocess

import (
	"fmt"
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/volume"
)

// ImageNames are the five images Run returns, in order.
var ImageNames = []string{"original", "mean", "box", "gaussian", "median"}

// Interp selects an image interpolator.
type Interp int

const (
	Linear  Interp = iota // trilinear (the default)
	BSpline               // cubic B-spline
	Nearest               // nearest neighbour (used for masks)
)

// Settings configures Run. The zero value does nothing but crop; Paper()
// returns the paper's settings.
type Settings struct {
	Normalize      bool       // min–max to [0, 1]
	ClipPercentile float64    // clip to [p, 100−p] percentiles before normalising; 0 = off
	Spacing        [3]float64 // target spacing in mm; zeros = keep the input grid
	Interpolator   Interp     // for the image; masks always use nearest neighbour
	MeanSize       int        // mean filter width in voxels (odd); 0 = 3
	BoxSize        int        // box filter width in voxels (odd); 0 = 5
	GaussianSigma  float64    // Gaussian σ in mm; 0 = 1
	MedianSize     int        // median filter width; only 3 is supported; 0 = 3
	Margin         float64    // mm kept around the ROI bounding box; 0 = 5
	FullField      bool       // keep the whole field of view instead of cropping
}

// Paper returns the paper's preprocessing: [0,1] normalisation, 1 mm
// isotropic linear resampling, the filter defaults of docs/contract.md.
func Paper() Settings {
	return Settings{Normalize: true, Spacing: [3]float64{1, 1, 1}, Interpolator: Linear}
}

func (s Settings) withDefaults() Settings {
	if s.MeanSize == 0 {
		s.MeanSize = 3
	}
	if s.BoxSize == 0 {
		s.BoxSize = 5
	}
	if s.GaussianSigma == 0 {
		s.GaussianSigma = 1
	}
	if s.MedianSize == 0 {
		s.MedianSize = 3
	}
	if s.Margin == 0 {
		s.Margin = 5
	}
	return s
}

// Result holds the preprocessed images, named as ImageNames, and the mask on
// their grid.
type Result struct {
	Names  []string
	Images []*volume.Volume
	Mask   *volume.Volume
}

// Image returns the image called name, or nil.
func (r *Result) Image(name string) *volume.Volume {
	if i := slices.Index(r.Names, name); i >= 0 {
		return r.Images[i]
	}
	return nil
}

// Run preprocesses img with its label map mask. It is an error for the grids
// to differ (beyond volume.DefaultTolerance), for the mask to be empty, or
// for the image to hold NaN or Inf.
func Run(img, mask *volume.Volume, s Settings) (*Result, error) {
	s = s.withDefaults()
	img, mask, err := prepare(img, mask, s, 5)
	if err != nil {
		return nil, err
	}
	if err := filterFits(img.Grid, s); err != nil {
		return nil, err
	}
	if err := membudget.Check("preprocess: four filtered images", 8*6*float64(img.Len())); err != nil {
		return nil, err
	}
	r := &Result{Names: slices.Clone(ImageNames), Mask: mask}
	r.Images = []*volume.Volume{img}
	for _, name := range ImageNames[1:] {
		r.Images = append(r.Images, paperFilter(name, img, s))
	}
	return r, nil
}

// RunOriginal is Run without the four filters: the preprocessed
// (normalised, resampled, cropped) original alone, named "original", with
// its mask. Filters of another registry (package gallery) start from it;
// images is the number of images the caller will hold at once, original
// included, for the memory check before resampling.
func RunOriginal(img, mask *volume.Volume, s Settings, images int) (*Result, error) {
	s = s.withDefaults()
	img, mask, err := prepare(img, mask, s, images)
	if err != nil {
		return nil, err
	}
	return &Result{Names: []string{"original"}, Images: []*volume.Volume{img}, Mask: mask}, nil
}

// PaperFilters are the paper's four filters, ImageNames without the
// original.
func PaperFilters() []string { return slices.Clone(ImageNames[1:]) }

// PaperFilter applies the paper's filter called name (mean, box,
// gaussian, median; see PaperFilters) to img with s's widths, as Run does.
func PaperFilter(name string, img *volume.Volume, s Settings) (*volume.Volume, error) {
	s = s.withDefaults()
	if !slices.Contains(ImageNames[1:], name) {
		return nil, fmt.Errorf("preprocess: no paper filter %q (have %v)", name, ImageNames[1:])
	}
	if err := validate(s); err != nil {
		return nil, err
	}
	if err := filterFits(img.Grid, s); err != nil {
		return nil, err
	}
	return paperFilter(name, img, s), nil
}

// paperFilter applies one of the paper's four filters with s's widths
// (s has its defaults).
func paperFilter(name string, img *volume.Volume, s Settings) *volume.Volume {
	switch name {
	case "mean":
		return BoxFilter(img, s.MeanSize)
	case "box":
		return BoxFilter(img, s.BoxSize)
	case "gaussian":
		return GaussianFilter(img, s.GaussianSigma)
	}
	return MedianFilter3(img)
}

// prepare checks, crops, normalises and resamples img and mask (s has its
// defaults); images is the number of images the caller holds at once.
func prepare(img, mask *volume.Volume, s Settings, images int) (*volume.Volume, *volume.Volume, error) {
	fail := func(err error) (*volume.Volume, *volume.Volume, error) { return nil, nil, err }
	if err := validate(s); err != nil {
		return fail(err)
	}
	if err := img.Grid.Check(); err != nil {
		return fail(fmt.Errorf("image grid: %w", err))
	}
	if err := mask.Grid.Check(); err != nil {
		return fail(fmt.Errorf("mask grid: %w", err))
	}
	if err := img.SameGrid(mask.Grid, volume.DefaultTolerance); err != nil {
		return fail(fmt.Errorf("image and mask: %w", err))
	}
	if err := img.CheckFinite(); err != nil {
		return fail(fmt.Errorf("image: %w", err))
	}
	if err := mask.CheckFinite(); err != nil {
		return fail(fmt.Errorf("mask: %w", err))
	}
	lo, hi := img.MinMax()
	if s.ClipPercentile > 0 {
		lo, hi = Percentiles(img.Data, s.ClipPercentile, 100-s.ClipPercentile)
	}
	if !s.FullField {
		b := mask.BoundingBox(func(x float64) bool { return x != 0 })
		if b.Empty() {
			return fail(fmt.Errorf("mask: no voxel with a non-zero label"))
		}
		b = growMM(b, s.Margin, img.Grid)
		sz := b.Size()
		if err := membudget.Check("preprocess: cropping", 16*float64(sz[0])*float64(sz[1])*float64(sz[2])); err != nil {
			return fail(err)
		}
		img, mask = img.Crop(b), mask.Crop(b)
	} else {
		if err := membudget.Check("preprocess: copying the image", 8*float64(img.Len())); err != nil {
			return fail(err)
		}
		img = img.Clone()
	}
	if s.Normalize {
		Normalize(img, lo, hi)
	}
	if s.Spacing != [3]float64{} {
		// Refuse before allocating: a tiny target spacing in a params
		// file would otherwise ask for terabytes.
		n := 1.0
		for a := range 3 {
			n *= math.Ceil(float64(img.Dims[a]) * img.Spacing[a] / s.Spacing[a])
		}
		if n > volume.MaxVoxels {
			return fail(fmt.Errorf("preprocess: resampling to %v mm gives %.3g voxels, more than %d", s.Spacing, n, volume.MaxVoxels))
		}
		// Every volume the stage holds at once: the resampled image and
		// mask, four filtered images, the filters' working copy and the
		// B-spline coefficients of the cropped image.
		if err := membudget.Check(fmt.Sprintf("preprocess: 1+%d volumes of %.3g voxels at %v mm", images, n, s.Spacing), 8*(float64(images+2)*n+float64(img.Len()))); err != nil {
			return fail(err)
		}
		g := ResampleGrid(img.Grid, s.Spacing)
		img = Resample(img, g, s.Interpolator)
		mask = Resample(mask, g, Nearest)
	}
	if _, n := countNonZero(mask); n == 0 {
		return fail(fmt.Errorf("mask: ROI vanished after resampling to %v mm", s.Spacing))
	}
	return img, mask, nil
}

// Validate checks settings before any image is met (Run checks them too,
// and the filter sizes against the image): filter widths, σ, margin, clip
// percentile, target spacing and the interpolator.
func (s Settings) Validate() error { return validate(s.withDefaults()) }

// MaxMargin bounds the margin around the ROI (mm): 10 m is more than any
// field of view; a larger one is a damaged setting, not a choice (use
// FullField to keep the whole image).
const MaxMargin = 1e4

func validate(s Settings) error {
	switch s.Interpolator {
	case Linear, BSpline, Nearest:
	default:
		return fmt.Errorf("preprocess: interpolator %d is not one of 0 (linear), 1 (B-spline), 2 (nearest)", s.Interpolator)
	}
	for _, w := range []int{s.MeanSize, s.BoxSize} {
		if w < 1 || w%2 == 0 {
			return fmt.Errorf("preprocess: filter width %d must be odd and positive", w)
		}
	}
	if s.MedianSize != 3 {
		return fmt.Errorf("preprocess: median width %d: only 3 is supported", s.MedianSize)
	}
	if !(s.GaussianSigma > 0) || math.IsInf(s.GaussianSigma, 0) {
		return fmt.Errorf("preprocess: Gaussian sigma %g must be positive and finite", s.GaussianSigma)
	}
	if !(s.Margin >= 0) || s.Margin > MaxMargin {
		return fmt.Errorf("preprocess: margin %g mm must be non-negative and finite, at most %g", s.Margin, MaxMargin)
	}
	if !(s.ClipPercentile >= 0 && s.ClipPercentile < 50) {
		return fmt.Errorf("preprocess: clip percentile %g must be in [0, 50)", s.ClipPercentile)
	}
	for _, sp := range s.Spacing {
		if sp < 0 || math.IsNaN(sp) || math.IsInf(sp, 0) || (sp == 0 && s.Spacing != [3]float64{}) || (sp > 0 && sp < volume.MinSpacing) {
			return fmt.Errorf("preprocess: target spacing %v must be positive and finite", s.Spacing)
		}
	}
	return nil
}

// filterFits refuses filter sizes that the image cannot meet: a box width
// or a Gaussian kernel (3σ each side) reaching more than four times the
// image's extent beyond it. Such a filter gives a constant image at a cost
// that grows with the kernel (σ = 10⁶ mm would run for hours).
func filterFits(g volume.Grid, s Settings) error {
	for a := range 3 {
		reach := float64(4*g.Dims[a] + 64)
		if float64(max(s.MeanSize, s.BoxSize)) > 2*reach+1 {
			return fmt.Errorf("preprocess: filter width %d is wider than the image (%d voxels along axis %d)", max(s.MeanSize, s.BoxSize), g.Dims[a], a)
		}
		if r := math.Ceil(3 * s.GaussianSigma / g.Spacing[a]); !(r <= reach) {
			return fmt.Errorf("preprocess: Gaussian sigma %g mm reaches %.3g voxels along axis %d, where the image has %d: want a sigma within the image", s.GaussianSigma, r, a, g.Dims[a])
		}
	}
	return nil
}

func countNonZero(v *volume.Volume) (*volume.Volume, int) {
	n := 0
	for _, x := range v.Data {
		if x != 0 {
			n++
		}
	}
	return v, n
}

// growMM widens b by mm millimetres on every side (rounded up to whole
// voxels per axis), clipped to g.
func growMM(b volume.Box, mm float64, g volume.Grid) volume.Box {
	for a := 0; a < 3; a++ {
		// Clamped before the conversion: a margin of 1e300 mm would
		// overflow an int.
		m := int(math.Min(math.Ceil(mm/g.Spacing[a]), float64(g.Dims[a])))
		b.Min[a] = max(0, b.Min[a]-m)
		b.Max[a] = min(g.Dims[a], b.Max[a]+m)
	}
	return b
}

// Normalize maps [lo, hi] linearly onto [0, 1] in place, clipping values
// outside. A flat image (hi == lo) becomes all zeros.
func Normalize(v *volume.Volume, lo, hi float64) {
	if hi <= lo {
		clear(v.Data)
		return
	}
	scale := 1 / (hi - lo)
	for i, x := range v.Data {
		v.Data[i] = math.Min(1, math.Max(0, (x-lo)*scale))
	}
}

// Percentiles returns the p-th and q-th percentiles of x (0–100, linear
// interpolation between order statistics, numpy's default "linear" method).
func Percentiles(x []float64, p, q float64) (float64, float64) {
	s := slices.Clone(x)
	slices.Sort(s)
	at := func(p float64) float64 {
		h := p / 100 * float64(len(s)-1)
		lo := int(math.Floor(h))
		if lo >= len(s)-1 {
			return s[len(s)-1]
		}
		return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
	}
	return at(p), at(q)
}
