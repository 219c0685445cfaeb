package radiomics

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"github.com/scirad/scirad/pipeline/filter/gallery"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/radiomics/shape"
	"github.com/scirad/scirad/pipeline/volume"
)

// ROISpec names one ROI of the label map: its column prefix and label.
type ROISpec struct {
	Name  string
	Label int
}

// PaperROIs are the paper's two ROIs (docs/contract.md): the injured cord (label 1) and the rest
// of the cord (label 2).
var PaperROIs = []ROISpec{{"lesion", 1}, {"cord", 2}}

// CohortSettings configure the extraction of one patient's preprocessed
// images (ExtractImages); package batch runs them over a cohort.
type CohortSettings struct {
	// Preprocess makes the images of each patient: the original, then
	// each of Filters (gallery.Preprocess).
	Preprocess preprocess.Settings
	// Features are the extraction settings; Label is replaced by each ROI's.
	Features Settings
	// ROIs are the regions extracted; nil means PaperROIs.
	ROIs []ROISpec
	// Filters name the filtered images extracted beside the original, from
	// the filter registry (package gallery: the paper's four, pyradiomics'
	// image types, IBSI chapter 2 filters), each applied to the
	// preprocessed original. Nil means the paper's four (mean, box,
	// gaussian, median); LBP3D images are refused (gallery.CheckFilters).
	Filters []string `json:",omitempty"`
}

// ImageNames are the images each ROI is extracted from, in column order:
// "original" then Filters (preprocess.ImageNames when Filters is nil).
func (cs CohortSettings) ImageNames() []string { return gallery.ImageNames(cs.Filters) }

// CheckFilters checks Filters: known names of the registry, none twice,
// no LBP3D.
func (cs CohortSettings) CheckFilters() error {
	if err := gallery.CheckFilters(cs.Filters); err != nil {
		return fmt.Errorf("settings Filters: %w", err)
	}
	return nil
}

// PreprocessImages preprocesses one patient's image and label map into
// the images of ImageNames (gallery.Preprocess).
func (cs CohortSettings) PreprocessImages(img, mask *volume.Volume) (*preprocess.Result, error) {
	if err := cs.CheckFilters(); err != nil {
		return nil, err
	}
	return gallery.Preprocess(img, mask, cs.Preprocess, cs.Filters)
}

// PaperCohortSettings is the paper profile: preprocess.Paper() ([0,1]
// normalisation, 1 mm resampling, the four filters) and a fixed bin count of
// 32 (docs/contract.md: a bin width of 25 would leave one grey level on [0,1]
// images).
func PaperCohortSettings() CohortSettings {
	return CohortSettings{Preprocess: preprocess.Paper(), Features: Settings{BinCount: 32}}
}

func (cs CohortSettings) rois() []ROISpec {
	if len(cs.ROIs) == 0 {
		return PaperROIs
	}
	return cs.ROIs
}

// Hash identifies the settings: rows written with another hash are not
// reused by a resumed extraction, and shards written with another hash are
// not merged (package batch).
func (cs CohortSettings) Hash() string {
	b := fmt.Appendf(nil, "%s|%+v|%v", cs.Features.Hash(), cs.Preprocess, cs.rois())
	if len(cs.Filters) > 0 && !slices.Equal(cs.Filters, preprocess.PaperFilters()) {
		// Only when set to other filters: the paper's hash stays that of
		// the settings before Filters existed (and the paper's four named
		// explicitly give the same images), so its resume files, shards
		// and bundles match.
		b = fmt.Appendf(b, "|filters=%q", cs.Filters)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Columns returns the feature columns ExtractImages returns, in order:
// {roi}_{image}_{class}_{Feature} for each ROI, image and registered
// feature.
func (cs CohortSettings) Columns() []string {
	var out []string
	for _, r := range cs.rois() {
		for _, img := range cs.ImageNames() {
			for _, d := range enabledDefs(cs.Features) {
				out = append(out, r.Name+"_"+img+"_"+d.Key())
			}
		}
	}
	return out
}

// enabledDefs lists the features s computes, in output order.
func enabledDefs(s Settings) []feature.Def {
	var out []feature.Def
	enabled := s.EnabledClasses()
	for _, f := range familyList {
		if !slices.Contains(enabled, f.class) {
			continue
		}
		for _, d := range f.registry() {
			if want := s.Features[f.class]; want == nil || slices.Contains(want, d.Name) {
				out = append(out, d)
			}
		}
	}
	return out
}

// ExtractImages extracts every ROI of every preprocessed image, in
// CohortSettings.Columns order, on one goroutine. The ROI is prepared once
// per label and the shape features, which depend on the mask only, are
// computed once per ROI and repeated for each image (the paper extracted
// each filtered image as an "original" image, so shape repeats).
func ExtractImages(pre *preprocess.Result, cs CohortSettings) ([]float64, error) {
	return ExtractImagesParallel(pre, cs, 1)
}

// ExtractImagesParallel is ExtractImages with the ROI × image extractions
// spread over up to workers goroutines (for one patient on many cores;
// batch.ExtractCohort parallelises over patients instead). The values do not
// depend on workers.
func ExtractImagesParallel(pre *preprocess.Result, cs CohortSettings, workers int) ([]float64, error) {
	want := cs.ImageNames()
	if len(pre.Images) != len(want) || len(pre.Names) != len(want) {
		return nil, fmt.Errorf("radiomics: preprocess gave %d images, want %d (%v)", len(pre.Images), len(want), want)
	}
	for i, name := range pre.Names {
		if name != want[i] {
			return nil, fmt.Errorf("radiomics: preprocess image %d is %q, want %q", i, name, want[i])
		}
		if err := pre.Images[i].SameGrid(pre.Mask.Grid, volume.DefaultTolerance); err != nil {
			return nil, fmt.Errorf("radiomics: %s image and mask: %w", name, err)
		}
	}
	images := pre.Images
	if cs.Features.Normalize {
		// As pyradiomics, which would z-score each of these images when
		// extracted as an "original" image.
		images = make([]*volume.Volume, len(pre.Images))
		for i, im := range pre.Images {
			var err error
			if images[i], err = normalizeImage(im, cs.Features); err != nil {
				return nil, fmt.Errorf("%s image: %w", pre.Names[i], err)
			}
		}
	}
	rois := cs.rois()
	per := len(enabledDefs(cs.Features))
	nimg := len(images)
	out := make([]float64, len(rois)*nimg*per)
	type task struct{ r, i int }
	var tasks []task
	prepared := make([]*ROI, len(rois))
	shapes := make([][]feature.Value, len(rois))
	settings := make([]Settings, len(rois))
	withShape := slices.Contains(cs.Features.EnabledClasses(), "shape")
	for r, spec := range rois {
		s := cs.Features
		s.Label = spec.Label
		settings[r] = s
		roi, err := PrepareROI(images[0], pre.Mask, s)
		if err != nil {
			return nil, fmt.Errorf("%s ROI: %w", spec.Name, err)
		}
		prepared[r] = roi
		if withShape && s.ResegmentRange == nil {
			if shapes[r], err = shapeOf(roi, s); err != nil {
				return nil, fmt.Errorf("%s ROI: %w", spec.Name, err)
			}
		}
		for i := range nimg {
			tasks = append(tasks, task{r, i})
		}
	}
	run := func(t task) error {
		roi, s := prepared[t.r], settings[t.r]
		if t.i > 0 {
			roi = &ROI{Image: images[t.i].Crop(roi.Box), Mask: roi.Mask, Box: roi.Box, N: roi.N, idx: roi.idx}
			if err := roi.checkFinite(); err != nil {
				return err
			}
		}
		shapeVals := shapes[t.r]
		if s.ResegmentRange != nil {
			// Each image is its own pyradiomics run: re-segmented on its
			// own intensities, with its own shape box (see Extract).
			var shapeROI *ROI
			var err error
			if roi, shapeROI, err = resegment(images[t.i], roi, s); err != nil {
				return err
			}
			if withShape {
				if shapeVals, err = shapeOf(shapeROI, s); err != nil {
					return err
				}
			}
		}
		d, err := roi.Bin(s)
		if err != nil {
			return err
		}
		noShape := s
		noShape.Classes = slices.DeleteFunc(s.EnabledClasses(), func(c string) bool { return c == "shape" })
		vals, err := ExtractDiscretized(d, noShape)
		if err != nil {
			return err
		}
		// Shape goes where Registry order has it: after first order.
		k := slices.IndexFunc(vals, func(v feature.Value) bool { return v.Class != "firstorder" })
		if k < 0 {
			k = len(vals)
		}
		vals = slices.Concat(vals[:k], shapeVals, vals[k:])
		if len(vals) != per {
			return fmt.Errorf("radiomics: %d values, want %d", len(vals), per)
		}
		off := (t.r*nimg + t.i) * per
		for j, v := range vals {
			out[off+j] = v.Value
		}
		return nil
	}
	errs := make([]error, len(tasks))
	if workers <= 1 {
		for k, t := range tasks {
			errs[k] = run(t)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(workers, len(tasks)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range next {
					errs[k] = run(tasks[k])
				}
			}()
		}
		for k := range tasks {
			next <- k
		}
		close(next)
		wg.Wait()
	}
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s ROI, %s image: %w", rois[tasks[k].r].Name, pre.Names[tasks[k].i], err)
		}
	}
	return out, nil
}

// shapeOf computes the enabled shape features of an ROI.
func shapeOf(roi *ROI, s Settings) ([]feature.Value, error) {
	vals, err := shape.Compute(roi.Mask, roi.Image.Dims, roi.Image.Spacing)
	if err != nil {
		return nil, err
	}
	if want := s.Features["shape"]; want != nil {
		return selectFeatures(vals, "shape", want)
	}
	return vals, nil
}

func (r *ROI) checkFinite() error {
	for _, i := range r.voxels() {
		if !isFinite(r.Image.Data[i]) {
			return fmt.Errorf("radiomics: intensity %g inside the ROI: intensities must be finite", r.Image.Data[i])
		}
	}
	return nil
}

func isFinite(x float64) bool { return x-x == 0 }
