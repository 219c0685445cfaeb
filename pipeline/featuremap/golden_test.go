package featuremap

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// goldenCase is one case of testdata/featuremap/golden.json.gz, written by
// pyradiomics' own voxel-based code (make_golden.py).
type goldenCase struct {
	Name     string                `json:"name"`
	ROI      string                `json:"roi"`
	Settings map[string]any        `json:"settings"`
	Classes  []string              `json:"classes"`
	IJK      [][3]int              `json:"ijk"`
	Features map[string][]*float64 `json:"features"`
}

func readGolden(t testing.TB) []goldenCase {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "featuremap", "golden.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.NewDecoder(z).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Cases
}

const spineDir = "../../testdata/spine/sct_testing_data/t2"

// spineROI reads the image and a 0/1 mask of the named ROI, as make_golden.py.
func spineROI(t testing.TB, name string) (img, mask *volume.Volume) {
	t.Helper()
	read := func(f string, label bool) *volume.Volume {
		var v *volume.Volume
		var err error
		if label {
			v, err = volio.ReadLabelMap(filepath.Join(spineDir, f))
		} else {
			v, err = volio.ReadImage(filepath.Join(spineDir, f))
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	switch name {
	case "lesion":
		img, mask = read("t2_fake_lesion.nii.gz", false), read("t2_fake_lesion_lesion_seg.nii.gz", true)
		mask.Grid = img.Grid // 2.9e-6 mm apart (see radiomics.DefaultGeometryTolerance)
	case "cord", "cordpatch":
		img, mask = read("t2.nii.gz", false), read("t2_seg-manual.nii.gz", true)
		for idx := range mask.Data {
			_, j, _ := mask.Coords(idx)
			if mask.Data[idx] != 1 || (name == "cordpatch" && (j < 20 || j > 22)) {
				mask.Data[idx] = 0
			}
		}
	case "unf01lesion":
		const d = "../../testdata/spine/ivadomed_data-testing/"
		var err error
		if img, err = volio.ReadImage(d + "sub-unf01/anat/sub-unf01_T2w.nii.gz"); err != nil {
			t.Fatal(err)
		}
		if mask, err = volio.ReadLabelMap(d + "derivatives/labels/sub-unf01/anat/sub-unf01_T2w_lesion-manual.nii.gz"); err != nil {
			t.Fatal(err)
		}
		// The lesion mask (soft, float32) is on a slightly different grid
		// (its own sform); make_golden.py reads both as arrays, and so do we.
		mask.Grid = img.Grid
		for i, x := range mask.Data {
			mask.Data[i] = 0
			if x > 0.5 {
				mask.Data[i] = 1
			}
		}
	default:
		t.Fatalf("unknown ROI %q", name)
	}
	return img, mask
}

// caseSettings maps the pyradiomics keyword arguments of a case.
func caseSettings(t testing.TB, c goldenCase) Settings {
	var s Settings
	for k, v := range c.Settings {
		switch k {
		case "binWidth":
			s.BinWidth = v.(float64)
		case "binCount":
			s.BinCount = int(v.(float64))
		case "kernelRadius":
			s.KernelRadius = int(v.(float64))
		case "maskedKernel":
			s.Unmasked = !v.(bool)
		case "distances":
			for _, d := range v.([]any) {
				s.Distances = append(s.Distances, int(d.(float64)))
			}
		case "gldm_a":
			s.GLDMAlpha = v.(float64)
		case "symmetricalGLCM":
			s.AsymmetricalGLCM = !v.(bool)
		case "force2D":
			s.Force2D = v.(bool)
		case "force2Ddimension":
			s.Force2DDimension = int(v.(float64))
		case "voxelBatch":
			s.VoxelBatch = int(v.(float64))
		case "initValue":
			s.InitValue = v.(float64)
		case "weightingNorm":
			s.WeightingNorm = v.(string)
		default:
			t.Fatalf("%s: setting %s not mapped", c.Name, k)
		}
	}
	s.Classes = c.Classes
	return s
}

// relDiff is |a−b| / max(|a|, |b|), 0 when both are equal (NaN included).
func relDiff(a, b float64) float64 {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return 0
	}
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.Inf(1)
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// within is the tolerance, 1e-6 relative, with no absolute floor
// (measured: 6e-12 at most).
func within(a, b float64) bool { return relDiff(a, b) <= 1e-6 }

// TestPyradiomicsVoxelBased compares every map of every case with
// pyradiomics' voxel-based values, voxel by voxel, within 1e-6 relative.
func TestPyradiomicsVoxelBased(t *testing.T) {
	for _, c := range readGolden(t) {
		t.Run(c.Name, func(t *testing.T) {
			img, mask := spineROI(t, c.ROI)
			s := caseSettings(t, c)
			maps, err := Compute(img, mask, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(maps) != len(c.Features) {
				t.Fatalf("%d maps, pyradiomics has %d", len(maps), len(c.Features))
			}
			worst, worstAt := 0.0, ""
			for _, m := range maps {
				want, ok := c.Features[m.Key()]
				if !ok {
					t.Fatalf("map %s not in pyradiomics' output", m.Key())
				}
				bad := 0
				for n, ijk := range c.IJK {
					got := m.Volume.At(ijk[0], ijk[1], ijk[2])
					w := math.NaN()
					if want[n] != nil {
						w = *want[n]
					}
					if d := relDiff(got, w); d > worst && within(got, w) {
						worst, worstAt = d, fmt.Sprintf("%s at %v", m.Key(), ijk)
					}
					if !within(got, w) {
						if bad < 3 {
							t.Errorf("%s at %v: got %.17g, pyradiomics %.17g", m.Key(), ijk, got, w)
						}
						bad++
					}
				}
				if bad > 3 {
					t.Errorf("%s: %d of %d voxels differ", m.Key(), bad, len(c.IJK))
				}
			}
			t.Logf("%d maps × %d voxels; largest relative difference %.2g (%s)", len(maps), len(c.IJK), worst, worstAt)
		})
	}
}
