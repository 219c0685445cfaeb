package filter

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// MaxAbs is the largest absolute intensity of v (NaN if v holds a NaN),
// for Options.MaxAbs.
func MaxAbs(v *volume.Volume) float64 { return maxAbs(v) }

// Image is one derived image with its pyradiomics image type name
// (e.g. "log-sigma-3-0-mm-3D", "wavelet-LLH", "square").
type Image struct {
	Name   string
	Volume *volume.Volume
}

// Params are the filter settings of pyradiomics' image types, under their
// pyradiomics keys. The zero value is pyradiomics' default for each.
type Params struct {
	// Sigma lists the LoG widths in mm (sigma); LoG needs at least one.
	// SigmaInt marks those written as integers, which pyradiomics names
	// without a decimal (log-sigma-3-mm-3D for 3, log-sigma-3-0-mm-3D for
	// 3.0); it may be shorter than Sigma.
	Sigma    []float64
	SigmaInt []bool
	// Wavelet is the PyWavelets wavelet (wavelet); "" means coif1.
	Wavelet string
	// StartLevel is the first wavelet level kept (start_level, 0-based).
	StartLevel int
	// Level is the number of wavelet levels kept (level); 0 means 1.
	Level int
	// GradientNoSpacing computes the gradient in voxel units
	// (gradientUseSpacing: false).
	GradientNoSpacing bool
	// LBP2DRadius (lbp2DRadius, 0 means 1), LBP2DSamples (lbp2DSamples, 0
	// means 8) and LBP2DMethod (lbp2DMethod, "" means uniform).
	LBP2DRadius  float64
	LBP2DSamples int
	LBP2DMethod  string
	// LBP3DLevels (lbp3DLevels, 0 means 2), LBP3DIcosphereRadius
	// (lbp3DIcosphereRadius, 0 means 1) and LBP3DIcosphereSubdivision
	// (lbp3DIcosphereSubdivision, 0 means pyradiomics' default 1; a bare
	// icosahedron is not offered).
	LBP3DLevels               int
	LBP3DIcosphereRadius      float64
	LBP3DIcosphereSubdivision int
}

// Types are pyradiomics' image types, in the order of its documentation;
// "Original" is the unfiltered image.
var Types = []string{"Original", "LoG", "Wavelet", "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient", "LBP2D", "LBP3D"}

// Known reports whether typ is one of Types or a valid IBSI filter
// specification (ibsi-…, see IBSIPrefix).
func Known(typ string) bool {
	for _, t := range Types {
		if t == typ {
			return true
		}
	}
	_, err := ParseIBSIType(typ)
	return err == nil
}

// Validate reports the first parameter outside its range.
func (p Params) Validate() error {
	for _, s := range p.Sigma {
		if !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("sigma %g must be a positive number of mm", s)
		}
	}
	if p.Wavelet != "" {
		if _, ok := pywtFilters[p.Wavelet]; !ok {
			return fmt.Errorf("wavelet %q is not a PyWavelets discrete wavelet (e.g. haar, db2, sym4, coif1, bior1.3, rbio2.2, dmey)", p.Wavelet)
		}
	}
	if p.StartLevel < 0 || p.Level < 0 || p.StartLevel+max(p.Level, 1) > MaxWaveletLevel {
		return fmt.Errorf("wavelet start_level %d, level %d: want start_level ≥ 0, level ≥ 1, start_level + level ≤ %d", p.StartLevel, p.Level, MaxWaveletLevel)
	}
	if p.LBP2DRadius < 0 || math.IsNaN(p.LBP2DRadius) || math.IsInf(p.LBP2DRadius, 0) {
		return fmt.Errorf("lbp2DRadius %g must be positive", p.LBP2DRadius)
	}
	if p.LBP2DSamples < 0 || p.LBP2DSamples > 30 {
		return fmt.Errorf("lbp2DSamples %d must be 1..30", p.LBP2DSamples)
	}
	switch p.LBP2DMethod {
	case "", "uniform", "default", "ror":
	default:
		return fmt.Errorf("lbp2DMethod %q: want uniform, default or ror", p.LBP2DMethod)
	}
	if p.LBP3DLevels < 0 || p.LBP3DLevels > 10 {
		return fmt.Errorf("lbp3DLevels %d must be 1..10", p.LBP3DLevels)
	}
	if p.LBP3DIcosphereRadius < 0 || math.IsNaN(p.LBP3DIcosphereRadius) || p.LBP3DIcosphereRadius > 100 {
		return fmt.Errorf("lbp3DIcosphereRadius %g must be in (0, 100] voxels", p.LBP3DIcosphereRadius)
	}
	if p.LBP3DIcosphereSubdivision < 0 || p.LBP3DIcosphereSubdivision > 4 {
		return fmt.Errorf("lbp3DIcosphereSubdivision %d must be 1..4", p.LBP3DIcosphereSubdivision)
	}
	return nil
}

// String is a canonical text of every parameter (for settings hashes).
func (p Params) String() string {
	type plain Params // no String method: no recursion
	return fmt.Sprintf("%+v", plain(p))
}

// Options are the extraction settings a filter reads besides its own.
type Options struct {
	Force2D          bool
	Force2DDimension int // pyradiomics' z,y,x numbering
	Label            int // LBP3D's ROI label
	// Region, if not nil, is the only part of the image the caller reads
	// (the ROI's bounding box): LoG, LBP2D, a one-level Wavelet and the
	// pointwise filters then compute only what its
	// voxels need (bit-identical there) and leave 0 elsewhere.
	Region *volume.Box
	// Crop, with Region, returns every image cropped to Region (clipped to
	// the image), as Volume.Crop would give it, without the whole-size
	// image: LoG, Wavelet, LBP2D, LBP3D, Gradient and the pointwise filters
	// compute and allocate only that part.
	Crop bool
	// MaxAbs, if not nil, is the image's largest absolute intensity (the
	// scale of Square, SquareRoot, Logarithm and Exponential), for callers
	// that run several of them on one image; nil computes it.
	MaxAbs *float64
}

// SigmaName is pyradiomics' name of the LoG image of one sigma: Python's
// str(sigma) with '.' replaced by '-' (log-sigma-3-0-mm-3D for 3.0).
func SigmaName(sigma float64, integer bool) string {
	s := strconv.FormatFloat(sigma, 'g', -1, 64)
	if integer {
		// YAML 3 is a Python int: str(3) = "3".
		s = strconv.FormatInt(int64(sigma), 10)
	} else if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return "log-sigma-" + strings.ReplaceAll(s, ".", "-") + "-mm-3D"
}

// Apply computes the images of one pyradiomics image type, in
// pyradiomics' order, from the (normalised, resampled) image and its mask.
// Original returns the image itself.
func Apply(typ string, img, mask *volume.Volume, p Params, o Options) ([]Image, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("filter: %s: %w", typ, err)
	}
	if o.Crop && o.Region != nil {
		box := clipBox(img, o.Region)
		if box.Empty() {
			return nil, fmt.Errorf("filter: %s: the region %v is outside the %v image", typ, *o.Region, img.Dims)
		}
		return applyCropped(typ, img, mask, p, o, box)
	}
	one := func(name string, v *volume.Volume, err error) ([]Image, error) {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		return []Image{{Name: name, Volume: v}}, nil
	}
	switch typ {
	case "Original":
		return []Image{{Name: "original", Volume: img}}, nil
	case "LoG":
		return logImages(p, func(s float64) (*volume.Volume, error) { return LoGRegion(img, s, o.Region) })
	case "Wavelet":
		return WaveletRegion(img, p.Wavelet, p.StartLevel, max(p.Level, 1), waveletAxes(o), o.Region)
	case "Square":
		v, err := SquareRegion(img, o.Region)
		return one("square", v, err)
	case "SquareRoot":
		v, err := SquareRootRegion(img, o.Region)
		return one("squareroot", v, err)
	case "Logarithm":
		v, err := LogarithmRegion(img, o.Region)
		return one("logarithm", v, err)
	case "Exponential":
		v, err := ExponentialRegion(img, o.Region)
		return one("exponential", v, err)
	case "Gradient":
		box := clipBox(img, o.Region)
		return one("gradient", uncrop(img, box, gradientBox(img, !p.GradientNoSpacing, box)), nil)
	case "LBP2D":
		r, n, m := p.LBP2DRadius, p.LBP2DSamples, p.LBP2DMethod
		if r == 0 {
			r = 1
		}
		if n == 0 {
			n = 8
		}
		if m == "" {
			m = "uniform"
		}
		v, err := LBP2DRegion(img, r, n, m, o.Force2DDimension, o.Region)
		return one("lbp-2D", v, err)
	case "LBP3D":
		return LBP3D(img, mask, o.Label, p)
	}
	if strings.HasPrefix(strings.ToLower(typ), IBSIPrefix) {
		f, err := ParseIBSIType(typ)
		if err != nil {
			return nil, fmt.Errorf("filter: %w", err)
		}
		f.Region = o.Region
		v, err := f.Apply(img)
		return one(f.Name(), v, err)
	}
	return nil, fmt.Errorf("filter: unknown image type %q (known: %s)", typ, strings.Join(Types, ", "))
}

// logImages is the LoG type's images, one per sigma (named as pyradiomics
// names them), each computed by f.
func logImages(p Params, f func(sigma float64) (*volume.Volume, error)) ([]Image, error) {
	if len(p.Sigma) == 0 {
		return nil, fmt.Errorf("filter: LoG needs sigma (a list of widths in mm)")
	}
	var out []Image
	for i, s := range p.Sigma {
		v, err := f(s)
		if err != nil {
			return nil, err
		}
		isInt := i < len(p.SigmaInt) && p.SigmaInt[i] && s == math.Trunc(s)
		out = append(out, Image{Name: SigmaName(s, isInt), Volume: v})
	}
	return out, nil
}

// waveletAxes are the axes the wavelet decomposes: all three, or the two of
// each force2D slice.
func waveletAxes(o Options) []int {
	axes := []int{0, 1, 2}
	if o.Force2D {
		axes = slicesDelete(axes, 2-o.Force2DDimension)
	}
	return axes
}

func slicesDelete(s []int, x int) []int {
	var out []int
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// applyCropped is Apply with Options.Crop: the images inside box (not
// empty), box-sized.
func applyCropped(typ string, img, mask *volume.Volume, p Params, o Options, box volume.Box) ([]Image, error) {
	one := func(name string, c []float64, err error) ([]Image, error) {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		return []Image{{Name: name, Volume: cropped(img, box, c)}}, nil
	}
	switch typ {
	case "LoG":
		return logImages(p, func(s float64) (*volume.Volume, error) { return logRegionCropped(img, s, &box) })
	case "Wavelet":
		return waveletRegion(img, p.Wavelet, p.StartLevel, max(p.Level, 1), waveletAxes(o), &box, true)
	case "Square", "SquareRoot", "Logarithm", "Exponential":
		name := strings.ToLower(typ)
		m := 0.0
		if o.MaxAbs != nil {
			m = *o.MaxAbs
		} else {
			m = maxAbs(img)
		}
		f, err := pointwiseScaled(name, m)
		if err != nil {
			return one(name, nil, err)
		}
		return one(name, mappedBox(img, f, box), nil)
	case "Gradient":
		return one("gradient", gradientBox(img, !p.GradientNoSpacing, box), nil)
	case "LBP2D":
		r, n, m := p.LBP2DRadius, p.LBP2DSamples, p.LBP2DMethod
		if r == 0 {
			r = 1
		}
		if n == 0 {
			n = 8
		}
		if m == "" {
			m = "uniform"
		}
		_, c, err := lbp2DBox(img, r, n, m, o.Force2DDimension, &box)
		return one("lbp-2D", c, err)
	case "LBP3D":
		return lbp3D(img, mask, o.Label, p, &box)
	}
	o.Crop = false
	ims, err := Apply(typ, img, mask, p, o)
	if err != nil {
		return nil, err
	}
	for i := range ims {
		ims[i].Volume = ims[i].Volume.Crop(box)
	}
	return ims, nil
}
