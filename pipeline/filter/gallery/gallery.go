// Package gallery is the one list of image filters that scirad's front ends
// show side by side: the paper's four preprocessing filters (package
// preprocess), pyradiomics' image types (package filter: LoG at several σ,
// the eight wavelet decompositions, square, square root, logarithm,
// exponential, gradient, LBP 2D and 3D) and IBSI chapter 2 filters run as
// image types (filter.IBSIPrefix). Each entry yields one image, named as
// the extraction names it (log-sigma-2-0-mm-3D, wavelet-LLH, ibsi-…), so
// notebook 02 (notebooks/02_preprocessing_and_filters) and the browser demo (wasm/,
// scirad.filterImage) offer exactly the filters that `scirad features` and
// `scirad extract` compute, under the names of their features.
package gallery

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volume"
)

// Groups of entries, in the order Entries lists them.
const (
	Paper       = "paper"       // the paper's preprocessing filters (preprocess.Run)
	PyRadiomics = "pyradiomics" // pyradiomics' image types (filter.Apply)
	IBSI2       = "IBSI 2"      // IBSI chapter 2 filters (filter.ParseIBSIType)
)

// Entry is one filter of the gallery.
type Entry struct {
	// Name is the derived image's name: preprocess.ImageNames for the
	// paper's filters, pyradiomics' image name for its types (Apply's
	// Image.Name), filter.IBSI.Name for the IBSI filters.
	Name  string
	Group string
	// Type is the image type as a params YAML names it (imageType: key;
	// "LoG", "Wavelet", "ibsi-log sigma=1.5", …); for the paper's filters
	// the preprocess function.
	Type   string
	Params filter.Params
	// Note says in a few words what the filter shows.
	Note string
}

// Label is the entry's text in a picker: its group and name.
func (e Entry) Label() string { return e.Group + " · " + e.Name }

// logSigmas are the LoG widths shown (mm), pyradiomics' usual list.
var logSigmas = []float64{1, 2, 3, 5}

// ibsiTypes are the IBSI chapter 2 filters shown, one per kind at least:
// the settings of IBSI 2 phase 2's configurations where they fit a small
// MRI slab (2D where IBSI's configuration is 2D).
var ibsiTypes = []struct{ spec, note string }{
	{"ibsi-mean size=5 boundary=mirror", "5×5×5 mean"},
	{"ibsi-log sigma=1.5", "Laplacian of Gaussian σ 1.5 mm, truncated at 4σ"},
	{"ibsi-laws kernels=L5E5E5 delta=7 invariant pooling=max", "Laws L5E5E5 energy (δ 7), rotation invariant"},
	{"ibsi-gabor sigma=5 gamma=1.5 lambda=2 theta=0 step=22.5 invariant 2d", "Gabor σ 5 mm λ 2 mm, orientations pooled, per slice"},
	{"ibsi-wavelet wavelet=db3 set=LLH level=1 invariant", "Daubechies 3 LLH, rotation invariant"},
	{"ibsi-wavelet wavelet=haar set=HHH level=2 invariant", "Haar HHH level 2, rotation invariant"},
	{"ibsi-simoncelli level=1", "Simoncelli band 1"},
	{"ibsi-riesz-log sigma=3 order=1,0,0", "Riesz transform (order 1,0,0) of LoG σ 3 mm"},
	{"ibsi-riesz-simoncelli level=1 order=1,0,0", "Riesz transform (order 1,0,0) of Simoncelli band 1"},
}

// Entries lists the gallery: the paper's four filters, every pyradiomics
// image type (LoG once per σ of logSigmas, Wavelet once per decomposition,
// LBP3D once per output), then the IBSI chapter 2 filters.
func Entries() []Entry {
	var out []Entry
	for _, p := range []struct{ name, typ, note string }{
		{"mean", "preprocess.BoxFilter(3)", "3×3×3 average"},
		{"box", "preprocess.BoxFilter(5)", "5×5×5 box"},
		{"gaussian", "preprocess.GaussianFilter(1 mm)", "Gaussian σ 1 mm"},
		{"median", "preprocess.MedianFilter3", "3×3×3 median"},
	} {
		out = append(out, Entry{Name: p.name, Group: Paper, Type: p.typ, Note: p.note})
	}
	for _, s := range logSigmas {
		out = append(out, Entry{Name: filter.SigmaName(s, false), Group: PyRadiomics, Type: "LoG",
			Params: filter.Params{Sigma: []float64{s}}, Note: fmt.Sprintf("Laplacian of Gaussian σ %g mm (SimpleITK)", s)})
	}
	for _, d := range []string{"LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL"} {
		out = append(out, Entry{Name: "wavelet-" + d, Group: PyRadiomics, Type: "Wavelet",
			Note: "coif1 level 1: x " + lh(d[0]) + ", y " + lh(d[1]) + ", z " + lh(d[2])})
	}
	for _, p := range []struct{ name, typ, note string }{
		{"square", "Square", "(x²) rescaled"},
		{"squareroot", "SquareRoot", "√|x| rescaled"},
		{"logarithm", "Logarithm", "log(|x|+1) rescaled"},
		{"exponential", "Exponential", "exp(x) rescaled"},
		{"gradient", "Gradient", "gradient magnitude (mm)"},
		{"lbp-2D", "LBP2D", "local binary pattern, radius 1, 8 samples, uniform"},
		{"lbp-3D-m1", "LBP3D", "spherical-harmonics LBP level 1 (ROI only)"},
		{"lbp-3D-m2", "LBP3D", "spherical-harmonics LBP level 2 (ROI only)"},
		{"lbp-3D-k", "LBP3D", "kurtosis of the LBP samples (ROI only)"},
	} {
		out = append(out, Entry{Name: p.name, Group: PyRadiomics, Type: p.typ, Note: p.note})
	}
	for _, t := range ibsiTypes {
		f, err := filter.ParseIBSIType(t.spec)
		if err != nil {
			panic("gallery: " + err.Error()) // TestEntries: every spec parses
		}
		out = append(out, Entry{Name: f.Name(), Group: IBSI2, Type: t.spec, Note: t.note})
	}
	return out
}

func lh(c byte) string {
	if c == 'L' {
		return "low"
	}
	return "high"
}

// Lookup returns the entry called name.
func Lookup(name string) (Entry, error) {
	var names []string
	for _, e := range Entries() {
		if e.Name == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return Entry{}, fmt.Errorf("gallery: no filter %q (known: %s)", name, strings.Join(names, ", "))
}

// Apply filters img (its ROI label map mask, on the same grid, is needed by
// LBP3D, which filters the voxels of label 1 only) and returns the image
// called e.Name.
func Apply(e Entry, img, mask *volume.Volume) (*volume.Volume, error) {
	if e.Group == Paper {
		// The paper's widths: preprocess.Settings' defaults.
		return preprocess.PaperFilter(e.Name, img, preprocess.Settings{})
	}
	if e.Type == "LBP3D" && mask == nil {
		return nil, fmt.Errorf("gallery: %s needs the ROI label map", e.Name)
	}
	imgs, err := filter.Apply(e.Type, img, mask, e.Params, filter.Options{Label: 1})
	if err != nil {
		return nil, err
	}
	for _, im := range imgs {
		if im.Name == e.Name {
			return im.Volume, nil
		}
	}
	var got []string
	for _, im := range imgs {
		got = append(got, im.Name)
	}
	return nil, fmt.Errorf("gallery: %s gave %v, not %s", e.Type, got, e.Name)
}

// CheckFilters checks the filters of a cohort extraction (see Preprocess):
// every name is an entry's, none comes twice, and none is an LBP3D image,
// which filters the voxels of one ROI label only while the cohort's images
// serve every ROI (extract those of one ROI with scirad features). Nil or
// empty is the paper's four.
func CheckFilters(names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if n == "original" {
			return fmt.Errorf("gallery: filter %q: the original image always comes first; list only filters", n)
		}
		e, err := Lookup(n)
		if err != nil {
			return err
		}
		if seen[n] {
			return fmt.Errorf("gallery: filter %q listed twice", n)
		}
		seen[n] = true
		if e.Type == "LBP3D" {
			return fmt.Errorf("gallery: filter %s: LBP3D filters one ROI label's voxels only, and a cohort's images serve every ROI; extract it for one ROI with scirad features", n)
		}
	}
	return nil
}

// ImageNames are the images Preprocess returns for filters: "original",
// then the filters in their order (the paper's four when filters is
// empty: preprocess.ImageNames).
func ImageNames(filters []string) []string {
	if len(filters) == 0 {
		return slices.Clone(preprocess.ImageNames)
	}
	return append([]string{"original"}, filters...)
}

// Preprocess is preprocess.Run with the filters of this gallery: the
// preprocessed (normalised, resampled, cropped) original, then each filter
// applied to it, named as ImageNames(filters). Empty filters is exactly
// preprocess.Run (the paper's four); the paper's filters in a list use s's
// widths, as preprocess.Run does. Filters of one type and parameters (the
// eight wavelet decompositions) are computed once.
func Preprocess(img, mask *volume.Volume, s preprocess.Settings, filters []string) (*preprocess.Result, error) {
	if len(filters) == 0 {
		return preprocess.Run(img, mask, s)
	}
	if err := CheckFilters(filters); err != nil {
		return nil, err
	}
	r, err := preprocess.RunOriginal(img, mask, s, 1+len(filters))
	if err != nil {
		return nil, err
	}
	orig := r.Images[0]
	if err := membudget.Check(fmt.Sprintf("preprocess: %d filtered images", len(filters)), 8*float64(len(filters)+2)*float64(orig.Len())); err != nil {
		return nil, err
	}
	done := map[string][]filter.Image{} // filter.Apply's images by type and parameters
	for _, n := range filters {
		e, _ := Lookup(n) // CheckFilters found it
		var v *volume.Volume
		if e.Group == Paper {
			if v, err = preprocess.PaperFilter(n, orig, s); err != nil {
				return nil, err
			}
		} else {
			key := e.Type + "|" + e.Params.String()
			imgs, ok := done[key]
			if !ok {
				if imgs, err = filter.Apply(e.Type, orig, r.Mask, e.Params, filter.Options{Label: 1}); err != nil {
					return nil, fmt.Errorf("filter %s: %w", n, err)
				}
				done[key] = imgs
			}
			for _, im := range imgs {
				if im.Name == n {
					v = im.Volume
				}
			}
			if v == nil {
				return nil, fmt.Errorf("gallery: %s gave no image %s", e.Type, n)
			}
		}
		r.Names = append(r.Names, n)
		r.Images = append(r.Images, v)
	}
	return r, nil
}
