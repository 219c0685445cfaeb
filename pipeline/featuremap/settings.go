package featuremap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/radiomics"
	"gopkg.in/yaml.v3"
)

// MaxKernelRadius bounds kernelRadius: a kernel of radius r holds (2r+1)³
// voxels, so r = 10 is already 9261 voxels per map voxel.
const MaxKernelRadius = 10

// Settings are pyradiomics' voxel-based settings (its voxelSetting
// section) on top of the extraction settings. The zero value is
// pyradiomics' default: kernelRadius 1, masked kernel, initValue 0, one
// batch.
type Settings struct {
	// Settings are the extraction settings (binning, label, distances,
	// force2D, gldm_a, weightingNorm, symmetricalGLCM, voxelArrayShift,
	// enabled classes and features). Normalisation and resampling are
	// refused: maps live on the image grid as given.
	radiomics.Settings
	// KernelRadius is kernelRadius: the kernel of a voxel is the cube of
	// side 2r+1 around it (the square in the plane with force2D); 0 means 1.
	KernelRadius int
	// Unmasked is maskedKernel: false — the kernel holds every image
	// voxel, not only the ROI's, and grey levels are binned over the
	// cropped image (the ROI's box grown by the radius).
	Unmasked bool
	// InitValue is initValue: the value of every map voxel outside the ROI,
	// and of a batch's voxels where pyradiomics' computation fails (MCC,
	// see package doc).
	InitValue float64
	// VoxelBatch is voxelBatch: ROI voxels are computed in batches of this
	// many (pyradiomics' order, z slowest); 0 or -1 means one batch. It
	// only changes MCC (see package doc).
	VoxelBatch int
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int

	// noSlide rebuilds every kernel from its box (no sliding counters):
	// the reference path the tests compare the sliding one with.
	noSlide bool
}

func (s Settings) radius() int {
	if s.KernelRadius == 0 {
		return 1
	}
	return s.KernelRadius
}

// Validate reports the first setting outside pyradiomics' schema or not
// supported for maps.
func (s Settings) Validate() error {
	if err := s.Settings.Validate(); err != nil {
		return err
	}
	switch {
	case s.KernelRadius < 0 || s.KernelRadius > MaxKernelRadius:
		return fmt.Errorf("featuremap: kernelRadius %d must be 1..%d", s.KernelRadius, MaxKernelRadius)
	case s.VoxelBatch < -1:
		return fmt.Errorf("featuremap: voxelBatch %d must be positive (or -1 for one batch)", s.VoxelBatch)
	case s.Workers < 0:
		return fmt.Errorf("featuremap: workers %d must be positive", s.Workers)
	case math.IsInf(s.InitValue, 0):
		return fmt.Errorf("featuremap: initValue %g must be finite or NaN", s.InitValue)
	case s.Normalize:
		return errors.New("featuremap: normalize is not supported for maps (normalise the image first)")
	case len(s.ResampledPixelSpacing) > 0:
		return errors.New("featuremap: resampledPixelSpacing is not supported for maps: maps are on the image grid (resample the image first)")
	case s.ResegmentRange != nil:
		return errors.New("featuremap: resegmentRange is not supported for maps")
	case slices.Contains(s.Classes, "shape") && len(s.Classes) == 1:
		return errors.New("featuremap: shape has no voxel-based maps (pyradiomics computes shape per ROI only)")
	}
	for _, d := range s.DistanceList() {
		if d > 2*MaxKernelRadius {
			return fmt.Errorf("featuremap: distance %d is larger than any kernel", d)
		}
	}
	return nil
}

// ReadParamsFile parses a pyradiomics params file with an optional
// voxelSetting section (see ParseParams).
func ReadParamsFile(path string) (Settings, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Settings{}, err
	}
	s, err := ParseParams(bytes.NewReader(b))
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseParams reads a pyradiomics params file: setting, imageType and
// featureClass as radiomics.ParseParams, plus voxelSetting with
// kernelRadius, maskedKernel, initValue and voxelBatch. Any other
// voxelSetting key is an error naming it.
func ParseParams(r io.Reader) (Settings, error) {
	var s Settings
	var root yaml.Node
	if err := yaml.NewDecoder(r).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		return s, fmt.Errorf("params: %v", err)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value != "voxelSetting" {
				continue
			}
			if err := parseVoxelSetting(&s, doc.Content[i+1]); err != nil {
				return Settings{}, fmt.Errorf("params: %w", err)
			}
			doc.Content = slices.Delete(doc.Content, i, i+2)
			break
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(&root); err != nil {
		return Settings{}, fmt.Errorf("params: %v", err)
	}
	rs, err := radiomics.ParseParams(&buf)
	if err != nil {
		return Settings{}, err
	}
	s.Settings = rs
	if err := s.Validate(); err != nil {
		return Settings{}, fmt.Errorf("params: %w", err)
	}
	return s, nil
}

func parseVoxelSetting(s *Settings, v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: voxelSetting must be a mapping", v.Line)
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		var err error
		switch k.Value {
		case "kernelRadius":
			err = decodeInt(val, &s.KernelRadius)
			if err == nil && s.KernelRadius < 1 {
				err = fmt.Errorf("must be at least 1, got %d", s.KernelRadius)
			}
		case "maskedKernel":
			var masked bool
			err = val.Decode(&masked)
			s.Unmasked = !masked
		case "initValue":
			if val.Value == "nan" || val.Value == ".nan" || val.Value == "NaN" {
				s.InitValue = math.NaN()
			} else {
				err = val.Decode(&s.InitValue)
			}
		case "voxelBatch":
			err = decodeInt(val, &s.VoxelBatch)
			if err == nil && (s.VoxelBatch == 0 || s.VoxelBatch < -1) {
				err = fmt.Errorf("must be positive or -1, got %d", s.VoxelBatch)
			}
		default:
			err = fmt.Errorf("unknown key (voxelSetting has kernelRadius, maskedKernel, initValue, voxelBatch)")
		}
		if err != nil {
			return fmt.Errorf("line %d: voxelSetting.%s: %w", k.Line, k.Value, err)
		}
	}
	return nil
}

func decodeInt(v *yaml.Node, dst *int) error {
	var x float64
	if v.Kind != yaml.ScalarNode || v.Decode(&x) != nil || x != math.Trunc(x) || math.Abs(x) > 1<<31 {
		return fmt.Errorf("want an integer, got %q", v.Value)
	}
	*dst = int(x)
	return nil
}

// SelectFeatures restricts s to the features named in list, a comma-
// separated list of classes (glcm), features (firstorder_Mean, glcm_Contrast)
// or pyradiomics' full names (original_glcm_Contrast). An empty list keeps
// s as it is.
func SelectFeatures(s *Settings, list string) error {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	known := map[string][]string{}
	for _, d := range Registry() {
		known[d.Class] = append(known[d.Class], d.Name)
	}
	classes := []string{}
	features := map[string][]string{}
	whole := map[string]bool{}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimPrefix(strings.TrimSpace(item), "original_")
		if item == "" {
			continue
		}
		class, name, _ := strings.Cut(item, "_")
		if class == "shape" || class == "shape2D" {
			return fmt.Errorf("featuremap: %q: shape has no voxel-based maps (pyradiomics computes shape per ROI only)", item)
		}
		names, ok := known[class]
		if !ok {
			return fmt.Errorf("featuremap: unknown feature class %q in %q (known: firstorder, glcm, glrlm, glszm, ngtdm, gldm)", class, item)
		}
		if name != "" && !slices.Contains(names, name) {
			return fmt.Errorf("featuremap: unknown %s feature %q", class, name)
		}
		if !slices.Contains(classes, class) {
			classes = append(classes, class)
		}
		if name == "" {
			whole[class] = true
		} else if !slices.Contains(features[class], name) {
			features[class] = append(features[class], name)
		}
	}
	if len(classes) == 0 {
		return fmt.Errorf("featuremap: no feature named in %q", list)
	}
	s.Classes = classes
	s.Features = map[string][]string{}
	for c, names := range features {
		if !whole[c] {
			s.Features[c] = names
		}
	}
	return nil
}
