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
	return ExtractImageTypesWorkers(img, mask, s, 0)
}

// ExtractImageTypesWorkers is ExtractImageTypes on at most workers
// goroutines: the image types run side by side, and when there are fewer
// types than workers each type's extractions share the rest
// (ExtractDiscretizedWorkers), so that one ROI of one image uses every
// worker. workers ≤ 0 runs the types on GOMAXPROCS goroutines, each
// extraction on one. The values do not depend on workers, to the bit.
func ExtractImageTypesWorkers(img, mask *volume.Volume, s Settings, workers int) ([]NamedValue, error) {
	in, err := prepareImageTypes(img, mask, s)
	if err != nil {
		return nil, err
	}
	types := in.types
	results := make([][]NamedValue, len(types))
	errs := make([]error, len(types))
	par := runtime.GOMAXPROCS(0)
	in.workers = 1
	if workers > 0 {
		par = min(workers, len(types))
		in.workers = max(1, workers/max(1, len(types)))
	}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for ti := range types {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[ti], errs[ti] = in.extract(ti)
		}()
	}
	wg.Wait()
	in.release()
	var out []NamedValue
	for ti := range types {
		if errs[ti] != nil {
			return nil, errs[ti]
		}
		out = append(out, results[ti]...)
	}
	if !slices.ContainsFunc(types, func(t ImageType) bool { return t.Name == "Original" }) && slices.Contains(s.EnabledClasses(), "shape") {
		// pyradiomics computes shape even when Original is not enabled.
		sv, err := ExtractDiscretized(&Discretized{Dims: in.roi.Image.Dims, Spacing: in.roi.Image.Spacing, ROI: in.shapeROI}, Settings{Classes: []string{"shape"}, Features: s.Features})
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

// imageTypesInput is what every image type of ExtractImageTypes starts
// from: the (normalised, resampled, pre-cropped) image, its mask with
// label 1, the ROI (re-segmented) and shape's ROI, the ROI's box in img,
// the pointwise filters' scale and the tasks (one per LoG sigma).
type imageTypesInput struct {
	s             Settings
	img, full     *volume.Volume
	roi, shapeROI *ROI
	box           volume.Box
	scale         *float64
	types         []ImageType
	maskBuf       *[]float64 // full's buffer (maskBufs)
	workers       int        // goroutines of each extraction (ExtractDiscretizedWorkers)
}

// prepareImageTypes is ExtractImageTypes up to the filters.
func prepareImageTypes(img, mask *volume.Volume, s Settings) (*imageTypesInput, error) {
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
	// The mask on img's grid, label 1 (correctMask may have resampled it),
	// in a buffer reused between calls (release gives it back).
	bp := maskBufs.Get().(*[]float64)
	if cap(*bp) < img.Len() {
		*bp = make([]float64, img.Len())
	}
	full := &volume.Volume{Grid: img.Grid, Data: (*bp)[:img.Len()]}
	clear(full.Data)
	b := roi.Box
	m := 0
	for k := b.Min[2]; k < b.Max[2]; k++ {
		for j := b.Min[1]; j < b.Max[1]; j++ {
			row := full.Data[full.Index(b.Min[0], j, k):][:b.Max[0]-b.Min[0]]
			for i := range row {
				if roi.Mask[m] {
					row[i] = 1
				}
				m++
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
	return &imageTypesInput{s: s, img: img, full: full, roi: roi, shapeROI: shapeROI, box: box, scale: scale, types: types, maskBuf: bp}, nil
}

// imageTypesWorkersHook, when set by a test, sees the workers of each
// extraction of ExtractImageTypesWorkers.
var imageTypesWorkersHook func(workers int)

// maskBufs holds the whole-grid mask buffers of prepareImageTypes.
var maskBufs = sync.Pool{New: func() any { return new([]float64) }}

// release gives the mask buffer back; in is not used after.
func (in *imageTypesInput) release() {
	if in.maskBuf != nil {
		maskBufs.Put(in.maskBuf)
		in.maskBuf, in.full = nil, nil
	}
}

// extract is task ti's features: its filter's images (filter), then
// their features (features).
func (in *imageTypesInput) extract(ti int) ([]NamedValue, error) {
	images, err := in.filter(ti)
	if err != nil {
		return nil, err
	}
	return in.features(ti, images)
}

// filter makes task ti's derived images, each over the ROI's box alone.
func (in *imageTypesInput) filter(ti int) ([]filter.Image, error) {
	t := in.types[ti]
	ts := t.Settings()
	o := filter.Options{Force2D: ts.Force2D, Force2DDimension: ts.Force2DDimension, Label: 1, Region: &in.box, Crop: true, MaxAbs: in.scale}
	images, err := filter.Apply(t.Name, in.img, in.full, ts.Filter, o)
	if err != nil {
		return nil, fmt.Errorf("radiomics: image type %s: %w", t.Name, err)
	}
	return images, nil
}

// features extracts task ti's images (box-sized, from filter) with the
// type's settings; shape comes from shapeROI.
func (in *imageTypesInput) features(ti int, images []filter.Image) ([]NamedValue, error) {
	t, s, roi, shapeROI := in.types[ti], in.s, in.roi, in.shapeROI
	ts := t.Settings()
	var out []NamedValue
	for _, im := range images {
		r := &ROI{Image: im.Volume, Mask: roi.Mask, Box: roi.Box, N: roi.N, idx: roi.idx}
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
		if imageTypesWorkersHook != nil {
			imageTypesWorkersHook(in.workers)
		}
		vals, err := ExtractDiscretizedWorkers(d, cs, max(1, in.workers))
		if err != nil {
			return nil, fmt.Errorf("radiomics: %s image: %w", im.Name, err)
		}
		for _, v := range vals {
			out = append(out, NamedValue{Image: im.Name, Value: v})
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
