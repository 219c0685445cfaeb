package radiomics

import (
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volume"
)

// resampleLikePyradiomics is pyradiomics' resampleImage (settings
// resampledPixelSpacing, interpolator, padDistance): image and mask are
// resampled onto a grid of the requested spacing, aligned to the mask's
// voxel corner and covering only the ROI's bounding box grown by
// padDistance new voxels (clipped to the image):
//
//	ratio = mask spacing / new spacing          (a new spacing of 0 keeps the mask's)
//	lo    = ⌊(bbmin − ½)·ratio − pad⌋ ≥ 0
//	hi    = ⌈(bbmax + ½)·ratio + pad⌉ ≤ ⌈size·ratio⌉ − 1
//	origin = mask index (new/old − 1)/2 + lo/ratio, in mm
//
// Axes along which the ROI is one voxel thick keep their spacing, and when
// the new spacing equals the image's (numpy.allclose) nothing is
// interpolated. The image is interpolated with interpolator (sitkBSpline,
// the default, sitkLinear or sitkNearestNeighbor, through package
// preprocess, whose B-spline is ITK's order-3 one), the mask by nearest
// neighbour. SimpleITK writes the resampled image in the input's pixel
// type; the type is not kept in a Volume, so an image whose voxels are all
// whole numbers is taken to be of an integer type and the interpolated
// values are truncated toward zero, as ITK's cast does.
func resampleLikePyradiomics(img, mask *volume.Volume, s Settings) (*volume.Volume, *volume.Volume, error) {
	if len(s.ResampledPixelSpacing) != 3 {
		return nil, nil, fmt.Errorf("radiomics: resampledPixelSpacing %v must have 3 values", s.ResampledPixelSpacing)
	}
	var interp preprocess.Interp
	switch s.Interpolator {
	case "", "sitkBSpline", "3":
		interp = preprocess.BSpline
	case "sitkLinear", "2":
		interp = preprocess.Linear
	case "sitkNearestNeighbor", "1":
		interp = preprocess.Nearest
	default:
		return nil, nil, fmt.Errorf("radiomics: interpolator %q is not supported (sitkBSpline, sitkLinear, sitkNearestNeighbor)", s.Interpolator)
	}
	if err := checkGeometry(img.Grid, mask.Grid, s.geometryTolerance()); err != nil && !s.CorrectMask {
		return nil, nil, fmt.Errorf("radiomics: image/mask geometry mismatch (set correctMask or geometryTolerance): %w", err)
	}
	label := float64(s.label())
	box := mask.BoundingBox(func(x float64) bool { return x >= label && x < label+1 })
	if box.Empty() {
		return nil, nil, fmt.Errorf("radiomics: %w: label %d not present in mask (labels present: %v)", ErrROI, s.label(), presentLabels(mask))
	}
	var sp [3]float64
	same := true
	for a := 0; a < 3; a++ {
		sp[a] = s.ResampledPixelSpacing[a]
		if sp[a] < 0 || math.IsNaN(sp[a]) {
			return nil, nil, fmt.Errorf("radiomics: resampledPixelSpacing %v must not be negative", s.ResampledPixelSpacing)
		}
		if sp[a] == 0 || box.Size()[a] == 1 {
			sp[a] = mask.Spacing[a]
		}
		if math.Abs(img.Spacing[a]-sp[a]) > 1e-8+1e-5*math.Abs(sp[a]) {
			same = false
		}
	}
	if same {
		if img.SameGrid(mask.Grid, 0) == nil {
			return img, mask, nil
		}
		return img, preprocess.Resample(mask, img.Grid, preprocess.Nearest), nil
	}
	pad := float64(s.PadDistance)
	if pad == 0 {
		pad = 5 // pyradiomics' default padDistance
	}
	g := mask.Grid
	var origin [3]float64
	voxels := 1.0
	for a := 0; a < 3; a++ {
		ratio := mask.Spacing[a] / sp[a]
		lo := math.Floor((float64(box.Min[a])-0.5)*ratio - pad)
		hi := math.Ceil((float64(box.Max[a])-0.5)*ratio + pad)
		lo = math.Max(lo, 0)
		hi = math.Min(hi, math.Ceil(float64(mask.Dims[a])*ratio)-1)
		// Counted in float64 before any int conversion: a spacing of 1e-300
		// would overflow.
		if voxels *= hi - lo + 1; !(voxels <= volume.MaxVoxels) {
			return nil, nil, fmt.Errorf("radiomics: resampledPixelSpacing %v gives more than %d voxels", s.ResampledPixelSpacing, volume.MaxVoxels)
		}
		g.Dims[a] = int(hi - lo + 1)
		g.Spacing[a] = sp[a]
		origin[a] = 0.5*(sp[a]-mask.Spacing[a])/mask.Spacing[a] + lo/ratio
	}
	g.Origin = mask.IndexToPhysical(origin)
	if err := membudget.Check(fmt.Sprintf("radiomics: resampling to %v mm (%v voxels)", sp, g.Dims), 3*8*voxels); err != nil {
		return nil, nil, err
	}
	out := preprocess.Resample(img, g, interp)
	if integral(img) {
		for i, x := range out.Data {
			out.Data[i] = math.Trunc(x)
		}
	}
	return out, preprocess.Resample(mask, g, preprocess.Nearest), nil
}

func integral(v *volume.Volume) bool {
	for _, x := range v.Data {
		if x != math.Trunc(x) {
			return false
		}
	}
	return true
}
