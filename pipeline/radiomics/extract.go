package radiomics

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/radiomics/shape"
	"github.com/scirad/scirad/pipeline/radiomics/texture"
	"github.com/scirad/scirad/pipeline/volume"
)

// family is one feature class as Extract runs it.
type family struct {
	class    string
	registry func() []feature.Def
	compute  func(d *Discretized, s Settings) ([]feature.Value, error)
	texture  bool // computed with the other texture classes (texture.Families)
}

// familyList is families(), made once.
var familyList = families()

// families lists the classes Extract computes, in pyradiomics' output
// order.
func families() []family {
	tex := func(class string, fn func(*texture.Image, texture.Options) ([]feature.Value, error)) family {
		return family{
			class:    class,
			texture:  true,
			registry: func() []feature.Def { return classDefs(texture.Registry(), class) },
			compute: func(d *Discretized, s Settings) ([]feature.Value, error) {
				return fn(d.TextureImage(), textureOptions(d, s))
			},
		}
	}
	return []family{
		{"firstorder", FirstOrderRegistry, FirstOrder, false},
		{"shape", shape.Registry, func(d *Discretized, _ Settings) ([]feature.Value, error) {
			if d.shapeROI != nil {
				return shape.Compute(d.shapeROI.Mask, d.Dims, d.Spacing)
			}
			return shape.Compute(d.ROI.Mask, d.Dims, d.Spacing)
		}, false},
		tex("glcm", texture.GLCM),
		tex("glrlm", texture.GLRLM),
		tex("glszm", texture.GLSZM),
		tex("ngtdm", texture.NGTDM),
		tex("gldm", texture.GLDM),
	}
}

func classDefs(defs []feature.Def, class string) []feature.Def {
	var out []feature.Def
	for _, d := range defs {
		if d.Class == class {
			out = append(out, d)
		}
	}
	return out
}

// TextureImage is the discretised ROI in the texture families' form (the
// slices are shared, not copied).
func (d *Discretized) TextureImage() *texture.Image {
	return &texture.Image{Dims: d.Dims, Levels: d.Levels}
}

// usableDistances drops the distances as long as the ROI box or longer
// along every axis that the texture families may step along (force2D
// holds one fixed): they find no neighbour (pyradiomics skips them too),
// and dropping them bounds the box padding by the box itself. It is nil
// when no distance is left (textureFits refuses that), except for a box of
// one voxel, which keeps [1] for the families' own "no direction" error.
func usableDistances(d *Discretized, s Settings) []int {
	longest := 0
	for a, n := range d.Dims {
		if !s.Force2D || a != s.Force2DAxis() {
			longest = max(longest, n)
		}
	}
	var out []int
	for _, x := range s.DistanceList() {
		if x < longest {
			out = append(out, x)
		}
	}
	if len(out) == 0 && longest <= 1 {
		return []int{1} // a box of one voxel: the families report no direction
	}
	return out
}

// textureFits checks the texture families' memory before they run, against
// the budget (package membudget): the padded box, and a GLCM of one matrix
// per direction over the grey levels present in the ROI.
func textureFits(d *Discretized, s Settings) error {
	tex := false
	for _, c := range s.EnabledClasses() {
		tex = tex || (c != "firstorder" && c != "shape")
	}
	if !tex {
		return nil
	}
	ds := usableDistances(d, s)
	if ds == nil {
		return fmt.Errorf("radiomics: distances %v: none is shorter than the ROI's bounding box %v, so no voxel has a neighbour that far", clipInts(s.DistanceList()), d.Dims)
	}
	pad := 2 * float64(slices.Max(ds))
	box := (float64(d.Dims[0]) + pad) * (float64(d.Dims[1]) + pad) * (float64(d.Dims[2]) + pad)
	nPresent := levelsPresent(d)
	// The directions at Chebyshev distance x that fit in the box, as
	// texture's angles lists them: the cube of radius x less the one of
	// radius x−1, each clipped to the box, halved (±a count once).
	cube := func(x int) float64 {
		n := 1.0
		for a, m := range d.Dims {
			if !s.Force2D || a != s.Force2DAxis() {
				n *= float64(2*min(x, m-1) + 1)
			}
		}
		return n
	}
	dirs := 0.0
	for _, x := range ds {
		dirs += (cube(x) - cube(x-1)) / 2
	}
	nl := float64(nPresent)
	need := 5*box + 2*8*nl*nl*dirs
	if need <= float64(membudget.Limit()) {
		return nil // (the message below costs more than the rest of this check)
	}
	return membudget.Check(fmt.Sprintf("radiomics: texture matrices of %d grey levels, %d distances", nPresent, len(ds)), need)
}

// levelsPresent is the number of grey levels above 0 in d.Levels: from
// Bin's counts, or one flag per level (a map costs more than the rest of
// textureFits on a large ROI).
func levelsPresent(d *Discretized) int {
	n := 0
	if d.hist != nil {
		for _, c := range d.hist[1:] {
			if c > 0 {
				n++
			}
		}
		return n
	}
	seen := make([]bool, max(d.Ng, 0)+1)
	for _, l := range d.Levels {
		if l <= 0 {
			continue
		}
		if int(l) >= len(seen) {
			seen = append(seen, make([]bool, int(l)+1-len(seen))...)
		}
		if !seen[l] {
			seen[l] = true
			n++
		}
	}
	return n
}

func textureOptions(d *Discretized, s Settings) texture.Options {
	return texture.Options{
		Distances:        usableDistances(d, s),
		Asymmetric:       s.AsymmetricalGLCM,
		Force2D:          s.Force2D,
		Force2DDimension: s.Force2DDimension,
		GLDMAlpha:        s.GLDMAlpha,
		Weighting:        s.WeightingNorm,
		Spacing:          d.Spacing,
	}
}

// Registry returns every feature Extract computes with default settings, in
// output order: pyradiomics' default-enabled features of the classes in this
// build.
func Registry() []feature.Def {
	var out []feature.Def
	for _, f := range familyList {
		out = append(out, f.registry()...)
	}
	return out
}

// Extract computes the enabled feature classes of one image and ROI, as
// pyradiomics' RadiomicsFeatureExtractor.execute does for the Original image
// type: optional normalisation of the whole image, optional resampling
// (resampledPixelSpacing, as pyradiomics' resampleImage), ROI checks and
// cropping (PrepareROI), discretisation (Discretize), then each class. Values come in
// registry order; the class-qualified name is Value.Key().
func Extract(img, mask *volume.Volume, s Settings) ([]feature.Value, error) {
	return ExtractWorkers(img, mask, s, 1)
}

// ExtractWorkers is Extract with up to workers goroutines for this one
// region (first order and shape beside the texture classes, whose matrices
// are split over the workers); the values do not depend on workers, to the
// bit.
func ExtractWorkers(img, mask *volume.Volume, s Settings, workers int) ([]feature.Value, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if img == nil || mask == nil {
		return nil, errors.New("radiomics: nil image or mask")
	}
	if err := img.Grid.Check(); err != nil {
		return nil, fmt.Errorf("radiomics: image grid: %w", err)
	}
	if err := mask.Grid.Check(); err != nil {
		return nil, fmt.Errorf("radiomics: mask grid: %w", err)
	}
	if s.Normalize {
		var err error
		if img, err = normalizeImage(img, s); err != nil {
			return nil, err
		}
	}
	if len(s.ResampledPixelSpacing) > 0 {
		var err error
		if img, mask, err = resampleLikePyradiomics(img, mask, s); err != nil {
			return nil, err
		}
	}
	// The ROI's mask, voxel list and levels in arrays of an earlier
	// extraction (extractPool), handed back when the values are out:
	// nothing keeps them.
	bufs := extractPool.Get().(*extractBufs)
	roi, err := prepareROI(img, mask, s, bufs)
	if err != nil {
		extractPool.Put(bufs)
		return nil, err
	}
	var shapeROI *ROI
	if s.ResegmentRange != nil {
		if roi, shapeROI, err = resegment(img, roi, s); err != nil {
			return nil, err
		}
	} else {
		bufs.mask, bufs.idx = roi.Mask, roi.idx
	}
	d, err := roi.bin(s, bufs)
	if err != nil {
		return nil, err
	}
	d.shapeROI = shapeROI
	vals, err := ExtractDiscretizedWorkers(d, s, workers)
	bufs.levels = d.Levels
	extractPool.Put(bufs)
	return vals, err
}

// ExtractDiscretized computes the enabled classes of an already discretised
// ROI.
func ExtractDiscretized(d *Discretized, s Settings) ([]feature.Value, error) {
	return ExtractDiscretizedWorkers(d, s, 1)
}

// ExtractDiscretizedWorkers is ExtractDiscretized with up to workers
// goroutines (see ExtractWorkers).
func ExtractDiscretizedWorkers(d *Discretized, s Settings, workers int) ([]feature.Value, error) {
	enabled := s.EnabledClasses()
	if err := textureFits(d, s); err != nil {
		return nil, err
	}
	fams := familyList
	var valsA [8][]feature.Value
	var errsA [8]error
	vals, errs := valsA[:len(fams)], errsA[:len(fams)]
	tex := make([]string, 0, len(fams))
	for _, f := range fams {
		if f.texture && slices.Contains(enabled, f.class) {
			tex = append(tex, f.class)
		}
	}
	if workers > 1 {
		// First order and shape on a goroutine of their own (these
		// values and errors then live on the heap).
		hv, he := make([][]feature.Value, len(fams)), make([]error, len(fams))
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			otherFamilies(d, s, enabled, hv, he)
		}()
		textureFamilies(d, s, workers, tex, hv, he)
		wg.Wait()
		vals, errs = hv, he
	} else {
		otherFamilies(d, s, enabled, vals, errs)
		textureFamilies(d, s, workers, tex, vals, errs)
	}
	n := 0
	for k, f := range fams {
		if slices.Contains(enabled, f.class) {
			n += len(vals[k])
		}
	}
	out := make([]feature.Value, 0, n)
	for k, f := range fams {
		if !slices.Contains(enabled, f.class) {
			continue
		}
		vals, err := vals[k], errs[k]
		if err != nil {
			return nil, fmt.Errorf("radiomics: %s: %w", f.class, err)
		}
		if want := s.Features[f.class]; want != nil && f.class != "firstorder" {
			if vals, err = selectFeatures(vals, f.class, want); err != nil {
				return nil, err
			}
		}
		out = append(out, vals...)
	}
	return out, nil
}

// otherFamilies computes the enabled classes that are not texture
// classes (first order and shape) into vals and errs (familyList's
// order).
func otherFamilies(d *Discretized, s Settings, enabled []string, vals [][]feature.Value, errs []error) {
	for k, f := range familyList {
		if !f.texture && slices.Contains(enabled, f.class) {
			vals[k], errs[k] = f.compute(d, s)
		}
	}
}

// textureFamilies computes the texture classes tex together
// (texture.Families) into vals and errs (familyList's order).
func textureFamilies(d *Discretized, s Settings, workers int, tex []string, vals [][]feature.Value, errs []error) {
	if len(tex) == 0 {
		return
	}
	o := textureOptions(d, s)
	o.Workers = workers
	tv, err := texture.Families(d.TextureImage(), o, tex)
	for k, f := range familyList {
		if i := slices.Index(tex, f.class); i >= 0 {
			if err != nil {
				errs[k] = err
			} else {
				vals[k] = tv[i]
			}
		}
	}
}

// selectFeatures keeps the named features of one class (featureClass:
// glcm: [Contrast, …]); a name the class does not have is an error.
func selectFeatures(vals []feature.Value, class string, names []string) ([]feature.Value, error) {
	var out []feature.Value
	for _, n := range names {
		if !slices.ContainsFunc(vals, func(v feature.Value) bool { return v.Name == n }) {
			return nil, fmt.Errorf("radiomics: unknown %s feature %q", class, n)
		}
	}
	for _, v := range vals {
		if slices.Contains(names, v.Name) {
			out = append(out, v)
		}
	}
	return out, nil
}
