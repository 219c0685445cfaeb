package radiomics

import (
	"errors"
	"fmt"
	"slices"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/volume"
)

// family is one feature class as Extract runs it.
type family struct {
	class    string
	registry func() []feature.Def
	compute  func(d *Discretized, s Settings) ([]feature.Value, error)
}

// families lists the classes this build computes, in pyradiomics' output
// order; families whose package is not in this build are absent.
func families() []family {
	return []family{
		{"firstorder", FirstOrderRegistry, FirstOrder},
	}
}

// Registry returns every feature Extract computes with default settings, in
// output order: pyradiomics' default-enabled features of the classes in this
// build.
func Registry() []feature.Def {
	var out []feature.Def
	for _, f := range families() {
		out = append(out, f.registry()...)
	}
	return out
}

// ErrResampling is returned when Settings ask for pyradiomics' resampling,
// which this package leaves to package preprocess.
var ErrResampling = errors.New("radiomics: resampledPixelSpacing is not applied here; resample with package preprocess (scirad preprocess) first")

// Extract computes the enabled feature classes of one image and ROI, as
// pyradiomics' RadiomicsFeatureExtractor.execute does for the Original image
// type: optional normalisation of the whole image, ROI checks and cropping
// (PrepareROI), discretisation (Discretize), then each class. Values come in
// registry order; the class-qualified name is Value.Key().
func Extract(img, mask *volume.Volume, s Settings) ([]feature.Value, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if len(s.ResampledPixelSpacing) > 0 {
		return nil, ErrResampling
	}
	if img == nil || mask == nil {
		return nil, errors.New("radiomics: nil image or mask")
	}
	if s.Normalize {
		var err error
		if img, err = normalizeImage(img, s); err != nil {
			return nil, err
		}
	}
	roi, err := PrepareROI(img, mask, s)
	if err != nil {
		return nil, err
	}
	d, err := roi.Bin(s)
	if err != nil {
		return nil, err
	}
	return ExtractDiscretized(d, s)
}

// ExtractDiscretized computes the enabled classes of an already discretised
// ROI.
func ExtractDiscretized(d *Discretized, s Settings) ([]feature.Value, error) {
	enabled := s.EnabledClasses()
	var out []feature.Value
	for _, f := range families() {
		if !slices.Contains(enabled, f.class) {
			continue
		}
		vals, err := f.compute(d, s)
		if err != nil {
			return nil, fmt.Errorf("radiomics: %s: %w", f.class, err)
		}
		out = append(out, vals...)
	}
	return out, nil
}
