package ibsi

import (
	"fmt"
	"math"
	"strings"
)

// Discretisation methods.
const (
	// DiscNone uses the intensities as grey levels: they must already be
	// integers ≥ 1 (the digital phantom), or, for the intensity-volume
	// histogram, integers of any sign (CT in HU).
	DiscNone = "none"
	// DiscFBS is a fixed bin size: level = ⌊(x − Min)/Width⌋ + 1.
	DiscFBS = "fbs"
	// DiscFBN is a fixed bin number: level = ⌊Bins (x − min)/(max − min)⌋ + 1,
	// the maximum going to Bins; min and max over the intensity mask.
	DiscFBN = "fbn"
)

// Discretisation is one discretisation setting (IBSI chapter 2.7).
type Discretisation struct {
	Method string  // DiscNone, DiscFBS or DiscFBN
	Width  float64 // bin width (FBS)
	Bins   int     // number of bins (FBN)
}

// Config is one IBSI chapter 1 image-processing configuration: the CT
// phantom's configurations A–E of phase 2 (IBSI reference manual,
// arXiv:1612.07003, table "Configurations for the radiomics phantom"), or
// the digital phantom of phase 1 (no processing).
type Config struct {
	Name string
	// Slice2D: texture is computed per slice (2D and 2.5D aggregations) and
	// interpolation, if any, is in-plane only (z keeps its spacing).
	Slice2D bool
	// Interpolate resamples image and masks to Spacing (mm, x, y, z; for
	// Slice2D the z value is ignored). The new grid has
	// ⌈n·s/s'⌉ voxels per axis and is centred on the old one (IBSI "align
	// grid centres").
	Interpolate bool
	Spacing     [3]float64
	// Spline is the image interpolation order: 1 (linear) or 3 (cubic
	// B-spline, IBSI "tricubic"). Outside the image the nearest voxel is used.
	Spline int
	// RoundIntensity rounds interpolated intensities to the nearest integer
	// (half to even), as IBSI asks for CT in HU.
	RoundIntensity bool
	// MaskThreshold is the partial-volume threshold: the mask is
	// interpolated linearly (0 outside the image) and a voxel belongs to the
	// ROI when the interpolated value is ≥ MaskThreshold.
	MaskThreshold float64
	// Range re-segments the intensity mask to [Range[0], Range[1]] (NaN: no
	// bound on that side).
	Range [2]float64
	// OutlierSigma > 0 also removes intensities outside mean ± OutlierSigma·SD
	// of the (interpolated) ROI, before the range is applied; both bounds
	// combine (the tighter wins).
	OutlierSigma float64
	// Disc is the discretisation for texture and the intensity histogram;
	// IVH the separate one for the intensity-volume histogram.
	Disc Discretisation
	IVH  Discretisation
}

// HasRange reports whether a re-segmentation range bound is set.
func (c Config) HasRange() bool { return !math.IsNaN(c.Range[0]) || !math.IsNaN(c.Range[1]) }

var nan = math.NaN()

// configs are the settings of IBSI chapter 1: the digital phantom (phase 1)
// and the CT phantom's configurations A–E (phase 2). Learned from the
// manual's table and from the public compliant implementation MIRP
// (oncoray/mirp test/ibsi_1_test.py).
var configs = map[string]Config{
	"phantom": {
		Name: "phantom", Range: [2]float64{nan, nan},
		Disc: Discretisation{Method: DiscNone}, IVH: Discretisation{Method: DiscNone},
	},
	"A": {
		Name: "A", Slice2D: true,
		MaskThreshold: 0.5, Range: [2]float64{-500, 400},
		Disc: Discretisation{Method: DiscFBS, Width: 25}, IVH: Discretisation{Method: DiscNone},
	},
	"B": {
		Name: "B", Slice2D: true, Interpolate: true, Spacing: [3]float64{2, 2, 2}, Spline: 1,
		RoundIntensity: true, MaskThreshold: 0.5, Range: [2]float64{-500, 400},
		Disc: Discretisation{Method: DiscFBN, Bins: 32}, IVH: Discretisation{Method: DiscNone},
	},
	"C": {
		Name: "C", Interpolate: true, Spacing: [3]float64{2, 2, 2}, Spline: 1,
		RoundIntensity: true, MaskThreshold: 0.5, Range: [2]float64{-1000, 400},
		Disc: Discretisation{Method: DiscFBS, Width: 25}, IVH: Discretisation{Method: DiscFBS, Width: 2.5},
	},
	"D": {
		Name: "D", Interpolate: true, Spacing: [3]float64{2, 2, 2}, Spline: 1,
		RoundIntensity: true, MaskThreshold: 0.5, Range: [2]float64{nan, nan}, OutlierSigma: 3,
		Disc: Discretisation{Method: DiscFBN, Bins: 32}, IVH: Discretisation{Method: DiscNone},
	},
	"E": {
		Name: "E", Interpolate: true, Spacing: [3]float64{2, 2, 2}, Spline: 3,
		RoundIntensity: true, MaskThreshold: 0.5, Range: [2]float64{-1000, 400}, OutlierSigma: 3,
		Disc: Discretisation{Method: DiscFBN, Bins: 32}, IVH: Discretisation{Method: DiscFBN, Bins: 1000},
	},
}

// ConfigByName returns configuration "A".."E" (case-insensitive) or
// "phantom" (the digital phantom: no interpolation, no re-segmentation, no
// discretisation).
func ConfigByName(name string) (Config, error) {
	key := strings.ToUpper(name)
	if strings.EqualFold(name, "phantom") {
		key = "phantom"
	}
	c, ok := configs[key]
	if !ok {
		return Config{}, fmt.Errorf("ibsi: unknown configuration %q (want A, B, C, D, E or phantom)", name)
	}
	return c, nil
}
