package radiomics

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/volume"
)

// ImageType is one enabled pyradiomics image type (imageType key: Original,
// LoG, Wavelet, …) with the settings its features are extracted with.
type ImageType struct {
	Name     string
	settings Settings
}

// NewImageType enables image type name with settings s (their own
// ImageTypes are ignored).
func NewImageType(name string, s Settings) ImageType {
	s.ImageTypes = nil
	return ImageType{Name: name, settings: s}
}

// Settings are the settings the type's features are extracted with.
func (t ImageType) Settings() Settings { return t.settings }

// NamedValue is one feature of one derived image, named as pyradiomics
// names it: Image_class_Feature (original_shape_MeshVolume,
// log-sigma-3-0-mm-3D_firstorder_Mean, wavelet-LLH_glcm_Contrast, …).
type NamedValue struct {
	Image string // pyradiomics image type name: original, square, wavelet-LLH, …
	feature.Value
}

// FullName is the pyradiomics column name.
func (v NamedValue) FullName() string { return v.Image + "_" + v.Key() }

// EnabledImageTypes returns the image types Extract would run: ImageTypes,
// or Original alone with s.
func (s Settings) EnabledImageTypes() []ImageType {
	if len(s.ImageTypes) == 0 {
		return []ImageType{NewImageType("Original", s)}
	}
	return s.ImageTypes
}

// filtersUsed reports whether any enabled image type is not Original.
func (s Settings) filtersUsed() bool {
	for _, t := range s.ImageTypes {
		if t.Name != "Original" {
			return true
		}
	}
	return false
}

// ExtractImageTypes is pyradiomics' RadiomicsFeatureExtractor.execute for
// every enabled image type: the image is normalised and resampled as for
// Extract (with preCrop and no resampling, cropped to the ROI box plus
// padDistance), shape is computed once from the original image's mask,
// then each image type's filter (package filter) makes its derived images
// from the whole (pre-cropped) image and each derived image is cropped to
// the ROI and extracted with the type's settings, every class but shape.
// Values come image by image in the order of the params file, classes in
// registry order; the Original image keeps Extract's order (shape second).
func ExtractImageTypes(img, mask *volume.Volume, s Settings) ([]NamedValue, error) {
	if err := s.Validate(); err != nil {
		return nil, err
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
	resampled := len(s.ResampledPixelSpacing) > 0
	if resampled {
		var err error
		if img, mask, err = resampleLikePyradiomics(img, mask, s); err != nil {
			return nil, err
		}
	}
	roi, err := PrepareROI(img, mask, s)
	if err != nil {
		return nil, err
	}
	shapeROI, origBox := roi, roi.Box
	if s.ResegmentRange != nil {
		// The filters see the re-segmented mask, shape the original one
		// (pyradiomics' execute).
		if roi, shapeROI, err = resegment(img, roi, s); err != nil {
			return nil, err
		}
	}
	// The mask on img's grid, label 1 (correctMask may have resampled it).
	full := volume.New(img.Grid)
	for k := roi.Box.Min[2]; k < roi.Box.Max[2]; k++ {
		for j := roi.Box.Min[1]; j < roi.Box.Max[1]; j++ {
			for i := roi.Box.Min[0]; i < roi.Box.Max[0]; i++ {
				if roi.Mask[roi.Image.Index(i-roi.Box.Min[0], j-roi.Box.Min[1], k-roi.Box.Min[2])] {
					full.Set(i, j, k, 1)
				}
			}
		}
	}
	box := roi.Box
	if s.PreCrop && !resampled && s.filtersUsed() {
		pad := s.PadDistance
		if pad == 0 {
			pad = 5 // pyradiomics' default padDistance
		}
		// pyradiomics pre-crops in loadImage, around the original ROI,
		// before resegmentation.
		grown := origBox.Grow(pad, img.Grid)
		img, full = img.Crop(grown), full.Crop(grown)
		for a := 0; a < 3; a++ {
			box.Min[a] -= grown.Min[a]
			box.Max[a] -= grown.Min[a]
		}
	}
	types := splitSigmas(s.EnabledImageTypes())
	// The pointwise filters' common scale, computed once.
	var maxAbs float64
	var scale *float64
	if slices.ContainsFunc(types, func(t ImageType) bool {
		return slices.Contains([]string{"Square", "SquareRoot", "Logarithm", "Exponential"}, t.Name)
	}) {
		maxAbs = filter.MaxAbs(img)
		scale = &maxAbs
	}
	results := make([][]NamedValue, len(types))
	errs := make([]error, len(types))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for ti, t := range types {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[ti], errs[ti] = extractImageType(t, s, img, full, roi, shapeROI, box, scale)
		}()
	}
	wg.Wait()
	var out []NamedValue
	for ti := range types {
		if errs[ti] != nil {
			return nil, errs[ti]
		}
		out = append(out, results[ti]...)
	}
	if !slices.ContainsFunc(types, func(t ImageType) bool { return t.Name == "Original" }) && slices.Contains(s.EnabledClasses(), "shape") {
		// pyradiomics computes shape even when Original is not enabled.
		sv, err := ExtractDiscretized(&Discretized{Dims: roi.Image.Dims, Spacing: roi.Image.Spacing, ROI: shapeROI}, Settings{Classes: []string{"shape"}, Features: s.Features})
		if err != nil {
			return nil, err
		}
		shape := make([]NamedValue, len(sv))
		for i, v := range sv {
			shape[i] = NamedValue{Image: "original", Value: v}
		}
		out = append(shape, out...)
	}
	return out, nil
}

// extractImageType makes one image type's derived images from img (mask
// full, max|x| maxAbs) and extracts each within roi's box; shape comes
// from shapeROI.
func extractImageType(t ImageType, s Settings, img, full *volume.Volume, roi, shapeROI *ROI, box volume.Box, maxAbs *float64) ([]NamedValue, error) {
	var out []NamedValue
	{
		ts := t.Settings()
		// The filters compute only the ROI box and return it cropped.
		o := filter.Options{Force2D: ts.Force2D, Force2DDimension: ts.Force2DDimension, Label: 1, Region: &box, Crop: true, MaxAbs: maxAbs}
		images, err := filter.Apply(t.Name, img, full, ts.Filter, o)
		if err != nil {
			return nil, fmt.Errorf("radiomics: image type %s: %w", t.Name, err)
		}
		for _, im := range images {
			r := &ROI{Image: im.Volume, Mask: roi.Mask, Box: roi.Box, N: roi.N}
			cs := ts
			if t.Name != "Original" {
				cs.Classes = slices.DeleteFunc(cs.EnabledClasses(), func(c string) bool { return c == "shape" })
				if len(cs.Classes) == 0 {
					continue
				}
			} else if ts.Hash() != s.withoutImageTypes().Hash() && slices.Contains(cs.EnabledClasses(), "shape") {
				// shape comes from the global settings, as pyradiomics' computeShape
				cs.Classes = slices.DeleteFunc(cs.EnabledClasses(), func(c string) bool { return c == "shape" })
				sv, err := ExtractDiscretized(&Discretized{Dims: roi.Image.Dims, Spacing: roi.Image.Spacing, ROI: shapeROI}, Settings{Classes: []string{"shape"}, Features: s.Features})
				if err != nil {
					return nil, err
				}
				for _, v := range sv {
					out = append(out, NamedValue{Image: "original", Value: v})
				}
			}
			d, err := r.Bin(cs)
			if err != nil {
				return nil, fmt.Errorf("radiomics: %s image: %w", im.Name, err)
			}
			if shapeROI != roi {
				d.shapeROI = shapeROI
			}
			vals, err := ExtractDiscretized(d, cs)
			if err != nil {
				return nil, fmt.Errorf("radiomics: %s image: %w", im.Name, err)
			}
			for _, v := range vals {
				out = append(out, NamedValue{Image: im.Name, Value: v})
			}
		}
	}
	return out, nil
}

func (s Settings) withoutImageTypes() Settings {
	s.ImageTypes = nil
	return s
}

// splitSigmas gives each LoG sigma its own task (same order), so that the
// image types' goroutines share the work evenly.
func splitSigmas(types []ImageType) []ImageType {
	var out []ImageType
	for _, t := range types {
		p := t.settings.Filter
		if t.Name != "LoG" || len(p.Sigma) < 2 {
			out = append(out, t)
			continue
		}
		for i, sg := range p.Sigma {
			u := t
			u.settings.Filter.Sigma = []float64{sg}
			u.settings.Filter.SigmaInt = nil
			if i < len(p.SigmaInt) {
				u.settings.Filter.SigmaInt = []bool{p.SigmaInt[i]}
			}
			out = append(out, u)
		}
	}
	return out
}
