package radiomics

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"gopkg.in/yaml.v3"
)

// Settings are pyradiomics' extraction settings that scirad applies, under
// their pyradiomics names (the YAML key is given after each field). The zero
// value is pyradiomics' default for every field, so Settings{} extracts
// exactly what `pyradiomics image mask` does with no params file:
// bin width 25, label 1, no normalisation, no resampling, shift 0,
// minimumROIDimensions 2, distance 1, symmetrical GLCM, all seven classes.
type Settings struct {
	// BinWidth is the fixed bin width (binWidth); 0 means 25 unless BinCount
	// is set.
	BinWidth float64
	// BinCount is the fixed number of bins (binCount); when positive it
	// replaces BinWidth (pyradiomics gives binCount precedence too).
	BinCount int
	// Label is the ROI's value in the label map (label); 0 means 1.
	Label int
	// VoxelArrayShift is added to intensities in Energy, TotalEnergy and
	// RootMeanSquared (voxelArrayShift).
	VoxelArrayShift float64
	// MinimumROIDimensions is the least number of axes along which the ROI
	// spans more than one voxel (minimumROIDimensions, 1..3); 0 means 2,
	// pyradiomics' extractor default.
	MinimumROIDimensions int
	// MinimumROISize, when positive, is the least voxel count the ROI must
	// exceed (minimumROISize).
	MinimumROISize int
	// GeometryTolerance is the image/mask grid tolerance (geometryTolerance):
	// origins and spacings may differ by GeometryTolerance × the image's first
	// spacing, direction cosines by GeometryTolerance, as in SimpleITK. 0
	// means DefaultGeometryTolerance.
	GeometryTolerance float64
	// CorrectMask resamples a mask whose grid differs from the image's onto
	// the image grid by nearest neighbour (correctMask), after checking that
	// the ROI lies inside the image.
	CorrectMask bool
	// Normalize z-scores the whole image before extraction (normalize):
	// f(x) = s (x − μ)/σ over all voxels, σ the sample standard deviation as
	// in SimpleITK's NormalizeImageFilter.
	Normalize bool
	// NormalizeScale is s above (normalizeScale); 0 means 1.
	NormalizeScale float64
	// RemoveOutliers, when positive, clips normalised values to ±n before
	// scaling (removeOutliers).
	RemoveOutliers float64
	// ResegmentRange re-segments the ROI by intensity (resegmentRange), as
	// pyradiomics' resegmentMask after normalisation and resampling: one
	// threshold keeps voxels ≥ it, two keep those within the closed range.
	// nil: no re-segmentation. ResegmentMode says what the thresholds are
	// (resegmentMode): "absolute" ("" too), "relative" (fractions of the
	// ROI's maximum) or "sigma" (mean + t·SD of the ROI, population SD).
	// Shape uses the original mask, cropped to the re-segmented ROI's
	// bounding box as pyradiomics does, unless ResegmentShape
	// (resegmentShape) is set.
	ResegmentRange []float64
	ResegmentMode  string
	ResegmentShape bool
	// ResampledPixelSpacing and Interpolator are pyradiomics' resampling
	// (resampledPixelSpacing, interpolator: sitkBSpline by default,
	// sitkLinear, sitkNearestNeighbor), applied by Extract as pyradiomics'
	// resampleImage does. ExtractCohort refuses them: the cohort's grid is
	// set by package preprocess.
	ResampledPixelSpacing []float64
	Interpolator          string
	// Force2D computes texture matrices in 2D slices (force2D), the slice
	// plane being normal to Force2DDimension.
	Force2D bool
	// Force2DDimension is pyradiomics' axis (force2Ddimension) in its z,y,x
	// array order: 0 = slices normal to k (our axis 2), 1 = normal to j,
	// 2 = normal to i. Use Force2DAxis for our axis.
	Force2DDimension int
	// Distances are the neighbour distances of GLCM, NGTDM and GLDM
	// (distances); nil means [1].
	Distances []int
	// AsymmetricalGLCM turns off GLCM symmetrisation (symmetricalGLCM:
	// false). The zero value keeps pyradiomics' default, symmetrical.
	AsymmetricalGLCM bool
	// GLDMAlpha is the GLDM dependence cut-off α (gldm_a).
	GLDMAlpha float64
	// WeightingNorm merges the GLCM and GLRLM direction matrices before
	// computing features (weightingNorm): "" (pyradiomics' None) averages
	// the features over directions; "no_weighting" sums the matrices;
	// "manhattan", "euclidean" and "infinity" weight each direction by
	// exp(−‖d‖²) of its offset in mm under that norm.
	WeightingNorm string
	// PadDistance and PreCrop are accepted for compatibility; they do not
	// change feature values when no resampling or filter is applied.
	PadDistance int
	PreCrop     bool
	// Filter holds the image-type settings (sigma, wavelet, start_level,
	// level, gradientUseSpacing, lbp2D…, lbp3D…; package filter).
	Filter filter.Params
	// ImageTypes are the enabled image types (imageType keys, in the
	// params file's order), each with its effective settings: these
	// Settings with the type's own keys applied over them, as pyradiomics
	// merges them. nil means Original alone with these Settings.
	ImageTypes []ImageType
	// Classes lists the enabled feature classes in pyradiomics' names
	// (featureClass keys); nil means all seven default classes.
	Classes []string
	// Features restricts a class to the named features (featureClass:
	// glcm: [Contrast, …]); a class absent from the map computes all of its
	// default-enabled features.
	Features map[string][]string
}

// DefaultGeometryTolerance is the image/mask tolerance used when
// GeometryTolerance is 0. SimpleITK's own default (1e-6 of the first spacing)
// rejects masks re-saved by common tools (the spine case t2_fake_lesion
// differs from its image by 2.9e-6 mm at 0.8 mm spacing); 1e-3 of a voxel is
// still far below any real misregistration. This is a deliberate deviation
// from pyradiomics, which leaves SimpleITK's default unless geometryTolerance
// is set.
const DefaultGeometryTolerance = 1e-3

// Classes are pyradiomics' default-enabled feature classes, in its output
// order.
var classOrder = []string{"firstorder", "shape", "glcm", "glrlm", "glszm", "ngtdm", "gldm"}

// Classes returns pyradiomics' seven default feature classes in output order.
func Classes() []string { return slices.Clone(classOrder) }

// binning returns the effective bin width and bin count (exactly one is
// non-zero).
func (s Settings) binning() (width float64, count int) {
	if s.BinCount > 0 {
		return 0, s.BinCount
	}
	if s.BinWidth > 0 {
		return s.BinWidth, 0
	}
	return 25, 0
}

func (s Settings) label() int {
	if s.Label == 0 {
		return 1
	}
	return s.Label
}

func (s Settings) minDims() int {
	if s.MinimumROIDimensions == 0 {
		return 2
	}
	return s.MinimumROIDimensions
}

func (s Settings) geometryTolerance() float64 {
	if s.GeometryTolerance == 0 {
		return DefaultGeometryTolerance
	}
	return s.GeometryTolerance
}

// DistanceList returns the neighbour distances, [1] by default.
func (s Settings) DistanceList() []int {
	if len(s.Distances) == 0 {
		return []int{1}
	}
	return slices.Clone(s.Distances)
}

// Force2DAxis is the axis of our x-fastest (i, j, k) grid that is held fixed
// within a 2D slice when Force2D is set: pyradiomics' force2Ddimension d
// counts axes in z, y, x order, so it is axis 2 − d here.
func (s Settings) Force2DAxis() int { return 2 - s.Force2DDimension }

// EnabledClasses returns the enabled classes in pyradiomics' output order.
func (s Settings) EnabledClasses() []string {
	if s.Classes == nil {
		return Classes()
	}
	var out []string
	for _, c := range classOrder {
		if slices.Contains(s.Classes, c) {
			out = append(out, c)
		}
	}
	return out
}

// Validate reports the first setting outside pyradiomics' schema
// (paramSchema.yaml) or not supported here.
func (s Settings) Validate() error {
	if err := s.Filter.Validate(); err != nil {
		return fmt.Errorf("radiomics: %w", err)
	}
	for _, t := range s.ImageTypes {
		if !filter.Known(t.Name) {
			return fmt.Errorf("radiomics: unknown image type %q (known: %s)", t.Name, strings.Join(filter.Types, ", "))
		}
		if err := t.Settings().Validate(); err != nil {
			return fmt.Errorf("imageType.%s: %w", t.Name, err)
		}
	}
	switch {
	case s.BinWidth < 0 || math.IsNaN(s.BinWidth) || math.IsInf(s.BinWidth, 0):
		return fmt.Errorf("radiomics: binWidth %g must be positive", s.BinWidth)
	case s.BinCount < 0:
		return fmt.Errorf("radiomics: binCount %d must be positive", s.BinCount)
	case s.BinCount > MaxBins:
		return fmt.Errorf("radiomics: binCount %d: at most %d bins", s.BinCount, MaxBins)
	case s.Label < 0:
		return fmt.Errorf("radiomics: label %d must be positive", s.Label)
	case s.MinimumROIDimensions < 0 || s.MinimumROIDimensions > 3:
		return fmt.Errorf("radiomics: minimumROIDimensions %d must be 1, 2 or 3", s.MinimumROIDimensions)
	case s.MinimumROISize < 0:
		return fmt.Errorf("radiomics: minimumROISize %d must be positive", s.MinimumROISize)
	case s.GeometryTolerance < 0 || math.IsNaN(s.GeometryTolerance):
		return fmt.Errorf("radiomics: geometryTolerance %g must be positive", s.GeometryTolerance)
	case s.NormalizeScale < 0 || math.IsNaN(s.NormalizeScale):
		return fmt.Errorf("radiomics: normalizeScale %g must be positive", s.NormalizeScale)
	case s.RemoveOutliers < 0 || math.IsNaN(s.RemoveOutliers):
		return fmt.Errorf("radiomics: removeOutliers %g must be positive", s.RemoveOutliers)
	case s.Force2DDimension < 0 || s.Force2DDimension > 2:
		return fmt.Errorf("radiomics: force2Ddimension %d must be 0, 1 or 2", s.Force2DDimension)
	case s.GLDMAlpha < 0 || math.IsNaN(s.GLDMAlpha):
		return fmt.Errorf("radiomics: gldm_a %g must be non-negative", s.GLDMAlpha)
	case math.IsNaN(s.VoxelArrayShift) || math.IsInf(s.VoxelArrayShift, 0):
		return fmt.Errorf("radiomics: voxelArrayShift %g must be finite", s.VoxelArrayShift)
	case s.WeightingNorm != "" && !slices.Contains([]string{"no_weighting", "manhattan", "euclidean", "infinity"}, s.WeightingNorm):
		return fmt.Errorf("radiomics: weightingNorm %q must be manhattan, euclidean, infinity or no_weighting", s.WeightingNorm)
	case s.PadDistance < 0:
		return fmt.Errorf("radiomics: padDistance %d must be non-negative", s.PadDistance)
	case len(s.ResegmentRange) > 2:
		return fmt.Errorf("radiomics: resegmentRange %v: want 1 or 2 thresholds", s.ResegmentRange)
	case s.ResegmentMode != "" && !slices.Contains([]string{"absolute", "relative", "sigma"}, s.ResegmentMode):
		return fmt.Errorf("radiomics: resegmentMode %s must be absolute, relative or sigma", quote(s.ResegmentMode))
	}
	for _, t := range s.ResegmentRange {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("radiomics: resegmentRange %v: thresholds must be finite", s.ResegmentRange)
		}
	}
	for _, sp := range s.ResampledPixelSpacing {
		if !(sp >= 0) || math.IsInf(sp, 0) || (sp > 0 && sp < 1e-6) {
			return fmt.Errorf("radiomics: resampledPixelSpacing %v: want values of 0 (keep) or at least 1e-6 mm, finite", s.ResampledPixelSpacing)
		}
	}
	switch s.Interpolator {
	case "", "sitkBSpline", "3", "sitkLinear", "2", "sitkNearestNeighbor", "1":
	default:
		return fmt.Errorf("radiomics: interpolator %s is not supported (sitkBSpline, sitkLinear, sitkNearestNeighbor)", quote(s.Interpolator))
	}
	for _, d := range s.Distances {
		if d <= 0 || d > MaxDistance {
			return fmt.Errorf("radiomics: distances %v must be positive and at most %d voxels", clipInts(s.Distances), MaxDistance)
		}
	}
	if len(s.Distances) > MaxDistance {
		return fmt.Errorf("radiomics: distances: %d values, at most %d", len(s.Distances), MaxDistance)
	}
	for _, c := range s.Classes {
		if !slices.Contains(classOrder, c) {
			return fmt.Errorf("radiomics: unknown feature class %q (known: %s)", c, strings.Join(classOrder, ", "))
		}
	}
	for c := range s.Features {
		if !slices.Contains(classOrder, c) {
			return fmt.Errorf("radiomics: unknown feature class %q (known: %s)", c, strings.Join(classOrder, ", "))
		}
	}
	return nil
}

// MaxBins bounds the grey levels of either binning (binCount, or the range
// over binWidth): more would only build matrices the size of the ROI squared.
const MaxBins = 1 << 24

// MaxDistance bounds each neighbour distance (distances): the texture
// families enumerate the (2d+1)³ offsets within the largest distance d and
// pad the ROI box by it (pyradiomics' examples use 1 to 5).
const MaxDistance = 256

func clipInts(x []int) string {
	if len(x) > 6 {
		return fmt.Sprint(x[:6]) + "…"
	}
	return fmt.Sprint(x)
}

// quote prints a value from the params file for an error: quoted, at most
// 60 bytes of it.
func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// key prints a YAML key for an error: as written when it is a short plain
// word, else quoted and clipped as quote does.
func key(s string) string {
	if len(s) <= 60 && strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == '"' || r >= 0x7f }) < 0 {
		return s
	}
	return quote(s)
}

// Hash is a short hex digest of every setting that changes feature values,
// for resumable extraction: two Settings with the same Hash give the same
// features.
func (s Settings) Hash() string {
	w, n := s.binning()
	var b bytes.Buffer
	fmt.Fprintf(&b, "bw=%v bc=%d label=%d shift=%v mindims=%d minsize=%d gtol=%v correct=%v ",
		w, n, s.label(), s.VoxelArrayShift, s.minDims(), s.MinimumROISize, s.geometryTolerance(), s.CorrectMask)
	fmt.Fprintf(&b, "norm=%v scale=%v outl=%v resample=%v interp=%q f2d=%v f2dd=%d dist=%v asym=%v a=%v ",
		s.Normalize, s.NormalizeScale, s.RemoveOutliers, s.ResampledPixelSpacing, s.Interpolator,
		s.Force2D, s.Force2DDimension, s.DistanceList(), s.AsymmetricalGLCM, s.GLDMAlpha)
	fmt.Fprintf(&b, "weight=%q ", s.WeightingNorm)
	if s.ResegmentRange != nil || s.ResegmentMode != "" || s.ResegmentShape {
		// Only when set, so that the hashes of existing settings stay.
		fmt.Fprintf(&b, "reseg=%v mode=%q shape=%v ", s.ResegmentRange, s.ResegmentMode, s.ResegmentShape)
	}
	fmt.Fprintf(&b, "classes=%v ", s.EnabledClasses())
	keys := make([]string, 0, len(s.Features))
	for k := range s.Features {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v ", k, s.Features[k])
	}
	fmt.Fprintf(&b, "filter=%s ", s.Filter)
	if s.filtersUsed() {
		// preCrop changes what a filter sees at the image's edges.
		fmt.Fprintf(&b, "precrop=%v pad=%d ", s.PreCrop, s.PadDistance)
	}
	for _, t := range s.ImageTypes {
		fmt.Fprintf(&b, "image=%s:%s ", t.Name, t.Settings().Hash())
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:8])
}

// maxParamsFile bounds a params file (pyradiomics' examples are about 2 KB).
const maxParamsFile = 1 << 20

// ReadParamsFile parses a pyradiomics params file (see ParseParams) of at
// most 1 MiB.
func ReadParamsFile(path string) (Settings, error) {
	b, err := outpath.ReadFile(path, maxParamsFile)
	if err != nil {
		return Settings{}, err
	}
	s, err := ParseParams(bytes.NewReader(b))
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseParams reads a params file in pyradiomics' YAML layout:
//
//	setting:      {binWidth: 25, label: 1, …}
//	imageType:    {Original: {}}
//	featureClass: {firstorder: [], glcm: [Contrast, Idmn], …}
//
// Keys absent keep pyradiomics' defaults (the zero Settings). A key that
// pyradiomics does not define, or one that scirad cannot honour (an image
// voxel-based settings), is an error naming the key. featureClass lists
// the enabled classes: an empty list or null enables the class's default
// features, a list names them. imageType enables pyradiomics' image types
// (Original, LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential,
// Gradient, LBP2D, LBP3D; package filter) in the file's order; each type's
// own settings are applied over setting for that type only (ImageTypes).
func ParseParams(r io.Reader) (Settings, error) {
	var s Settings
	var types []*yaml.Node
	var root yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return s, nil // empty file: all defaults
		}
		return s, fmt.Errorf("params: %v", err)
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = *root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return s, nil
	}
	if root.Kind != yaml.MappingNode {
		return s, fmt.Errorf("params: line %d: top level must be a mapping of setting, imageType, featureClass", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "setting":
			err = parseSettingMap(&s, v, "setting")
		case "imageType":
			types = append(types, v)
		case "featureClass":
			err = parseFeatureClasses(&s, v)
		case "voxelSetting":
			err = fmt.Errorf("line %d: voxelSetting: voxel-based extraction (feature maps) is not supported", k.Line)
		default:
			err = fmt.Errorf("line %d: unknown key %s (pyradiomics params have setting, imageType, featureClass)", k.Line, quote(k.Value))
		}
		if err != nil {
			return Settings{}, fmt.Errorf("params: %w", err)
		}
	}
	for _, v := range types {
		if err := parseImageTypes(&s, v); err != nil {
			return Settings{}, fmt.Errorf("params: %w", err)
		}
	}
	if err := s.Validate(); err != nil {
		return Settings{}, fmt.Errorf("params: %w", err)
	}
	return s, nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func parseImageTypes(s *Settings, v *yaml.Node) error {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: imageType must be a mapping", v.Line)
	}
	var types []ImageType
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, sub := v.Content[i], v.Content[i+1]
		if !filter.Known(k.Value) {
			if err := filter.IBSITypeError(k.Value); err != nil {
				return fmt.Errorf("line %d: imageType: %w", k.Line, err)
			}
			return fmt.Errorf("line %d: unknown image type %s (pyradiomics' image types: %s)", k.Line, quote(k.Value), strings.Join(filter.Types, ", "))
		}
		ts := *s
		ts.ImageTypes = nil
		if err := parseSettingMap(&ts, sub, "imageType."+k.Value); err != nil {
			return err
		}
		if err := ts.Validate(); err != nil {
			return fmt.Errorf("line %d: imageType.%s: %w", k.Line, k.Value, err)
		}
		types = append(types, NewImageType(k.Value, ts))
	}
	if len(types) == 0 {
		return fmt.Errorf("line %d: imageType enables no image type", v.Line)
	}
	if len(types) == 1 && types[0].Name == "Original" {
		*s = types[0].settings // Original alone: its settings are the settings
		return nil
	}
	s.ImageTypes = types
	return nil
}

func parseFeatureClasses(s *Settings, v *yaml.Node) error {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: featureClass must be a mapping", v.Line)
	}
	s.Classes = []string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, sub := v.Content[i], v.Content[i+1]
		if !slices.Contains(classOrder, k.Value) {
			return fmt.Errorf("line %d: unknown key featureClass.%s (supported: %s)", k.Line, key(k.Value), strings.Join(classOrder, ", "))
		}
		s.Classes = append(s.Classes, k.Value)
		if isNull(sub) {
			continue
		}
		if sub.Kind != yaml.SequenceNode {
			return fmt.Errorf("line %d: featureClass.%s must be a list of feature names", sub.Line, k.Value)
		}
		if len(sub.Content) == 0 {
			continue
		}
		var names []string
		for _, n := range sub.Content {
			if n.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: featureClass.%s must list names", n.Line, k.Value)
			}
			names = append(names, n.Value)
		}
		if s.Features == nil {
			s.Features = map[string][]string{}
		}
		s.Features[k.Value] = names
	}
	return nil
}

func parseSettingMap(s *Settings, v *yaml.Node, where string) error {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping", v.Line, where)
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if err := setKey(s, k.Value, val); err != nil {
			return fmt.Errorf("line %d: %s.%s: %w", k.Line, where, key(k.Value), err)
		}
	}
	return nil
}

// unsupported are pyradiomics settings scirad knows but cannot honour.
var unsupported = map[string]string{
	"label_channel":  "vector (multi-channel) segmentations are not supported; use a label map",
	"additionalInfo": "", // diagnostics only: accepted and ignored
}

func setKey(s *Settings, key string, v *yaml.Node) error {
	if isNull(v) {
		return nil // pyradiomics: None = default
	}
	switch key {
	case "sigma":
		if v.Kind != yaml.SequenceNode {
			return fmt.Errorf("want a list of widths in mm")
		}
		s.Filter.Sigma = make([]float64, len(v.Content))
		s.Filter.SigmaInt = make([]bool, len(v.Content))
		for i, n := range v.Content {
			if err := decodeFloat(n, &s.Filter.Sigma[i]); err != nil {
				return err
			}
			s.Filter.SigmaInt[i] = n.Tag == "!!int"
		}
		return nil
	case "wavelet":
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("want a wavelet name")
		}
		s.Filter.Wavelet = v.Value
		return nil
	case "start_level":
		return decodeInt(v, &s.Filter.StartLevel)
	case "level":
		return decodeInt(v, &s.Filter.Level)
	case "gradientUseSpacing":
		var use bool
		if err := v.Decode(&use); err != nil {
			return err
		}
		s.Filter.GradientNoSpacing = !use
		return nil
	case "lbp2DRadius":
		return decodeFloat(v, &s.Filter.LBP2DRadius)
	case "lbp2DSamples":
		return decodeInt(v, &s.Filter.LBP2DSamples)
	case "lbp2DMethod":
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("want uniform, default or ror")
		}
		s.Filter.LBP2DMethod = v.Value
		return nil
	case "lbp3DLevels":
		return decodeInt(v, &s.Filter.LBP3DLevels)
	case "lbp3DIcosphereRadius":
		return decodeFloat(v, &s.Filter.LBP3DIcosphereRadius)
	case "lbp3DIcosphereSubdivision":
		return decodeInt(v, &s.Filter.LBP3DIcosphereSubdivision)
	case "binWidth":
		return decodeFloat(v, &s.BinWidth)
	case "binCount":
		return decodeInt(v, &s.BinCount)
	case "label":
		return decodeInt(v, &s.Label)
	case "voxelArrayShift":
		return decodeFloat(v, &s.VoxelArrayShift)
	case "minimumROIDimensions":
		return decodeInt(v, &s.MinimumROIDimensions)
	case "minimumROISize":
		return decodeInt(v, &s.MinimumROISize)
	case "geometryTolerance":
		return decodeFloat(v, &s.GeometryTolerance)
	case "correctMask":
		return v.Decode(&s.CorrectMask)
	case "normalize":
		return v.Decode(&s.Normalize)
	case "normalizeScale":
		return decodeFloat(v, &s.NormalizeScale)
	case "removeOutliers":
		return decodeFloat(v, &s.RemoveOutliers)
	case "resampledPixelSpacing":
		return v.Decode(&s.ResampledPixelSpacing)
	case "interpolator":
		var x any
		if err := v.Decode(&x); err != nil {
			return err
		}
		s.Interpolator = fmt.Sprint(x)
		return nil
	case "force2D":
		return v.Decode(&s.Force2D)
	case "force2Ddimension":
		return decodeInt(v, &s.Force2DDimension)
	case "distances":
		if v.Kind != yaml.SequenceNode {
			return fmt.Errorf("want a list of integers")
		}
		s.Distances = make([]int, len(v.Content))
		for i, n := range v.Content {
			if err := decodeInt(n, &s.Distances[i]); err != nil {
				return err
			}
		}
		return nil
	case "symmetricalGLCM":
		var sym bool
		if err := v.Decode(&sym); err != nil {
			return err
		}
		s.AsymmetricalGLCM = !sym
		return nil
	case "gldm_a":
		return decodeFloat(v, &s.GLDMAlpha)
	case "weightingNorm":
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("want a string")
		}
		s.WeightingNorm = v.Value
		return nil
	case "resegmentRange":
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 || len(v.Content) > 2 {
			return fmt.Errorf("want a list of 1 or 2 thresholds")
		}
		s.ResegmentRange = make([]float64, len(v.Content))
		for i, n := range v.Content {
			if err := decodeFloat(n, &s.ResegmentRange[i]); err != nil {
				return err
			}
		}
		return nil
	case "resegmentMode":
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("want absolute, relative or sigma")
		}
		s.ResegmentMode = v.Value
		return nil
	case "resegmentShape":
		return v.Decode(&s.ResegmentShape)
	case "padDistance":
		return decodeInt(v, &s.PadDistance)
	case "preCrop":
		return v.Decode(&s.PreCrop)
	}
	if why, ok := unsupported[key]; ok {
		if why == "" {
			return nil
		}
		return errors.New(why)
	}
	return errors.New("unknown key")
}

func decodeFloat(v *yaml.Node, dst *float64) error {
	if v.Kind != yaml.ScalarNode {
		return fmt.Errorf("want a number")
	}
	var x float64
	if err := v.Decode(&x); err != nil {
		return fmt.Errorf("want a number, got %s", quote(v.Value))
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("want a finite number, got %s", quote(v.Value))
	}
	*dst = x
	return nil
}

func decodeInt(v *yaml.Node, dst *int) error {
	if v.Kind != yaml.ScalarNode {
		return fmt.Errorf("want an integer")
	}
	var x float64 // yaml.v3 would truncate 1.5 into an int: check first
	if err := v.Decode(&x); err != nil || x != math.Trunc(x) || math.Abs(x) > 1<<31 {
		return fmt.Errorf("want an integer, got %s", quote(v.Value))
	}
	*dst = int(x)
	return nil
}
