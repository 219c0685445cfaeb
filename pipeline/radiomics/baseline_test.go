package radiomics

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// The pyradiomics baselines (testdata/pyradiomics/baseline/*.csv, data/baseline
// of AIM-Harvard/pyradiomics at 8ed5793; README there) were written by
// pyradiomics' own test generator, one column per test case. Settings of the
// brain1 and breast1 columns: binWidth 25, voxelArrayShift 2000,
// minimumROIDimensions 1, label 1, everything else default.
var baselineSettings = Settings{BinWidth: 25, VoxelArrayShift: 2000, MinimumROIDimensions: 1}

// staleShape are the four brain1 shape values that baseline_shape.csv holds
// from a pre-release pyradiomics; current pyradiomics (8ed5793) gives these
// (testdata/pyradiomics/README.md).
var staleShape = map[string]float64{
	"shape_MeshVolume":         16147.51180013021,
	"shape_SurfaceArea":        6438.821603779402,
	"shape_Sphericity":         0.4798234536231475,
	"shape_SurfaceVolumeRatio": 0.3987500788652454,
}

// readBaseline returns feature key (glcm_Contrast) → value for one column of
// every baseline CSV.
func readBaseline(t testing.TB, column string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, class := range Classes() {
		f, err := os.Open("../../testdata/pyradiomics/baseline/baseline_" + class + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == column {
				col = i
			}
		}
		if col < 0 {
			continue
		}
		for _, r := range rows[1:] {
			const prefix = "original_"
			if len(r[0]) <= len(prefix) || r[0][:len(prefix)] != prefix || r[col] == "" {
				continue
			}
			v, err := strconv.ParseFloat(r[col], 64)
			if err != nil {
				t.Fatalf("%s %s: %v", r[0], column, err)
			}
			out[r[0][len(prefix):]] = v
		}
	}
	if column == "brain1" {
		for k, v := range staleShape {
			out[k] = v
		}
	}
	return out
}

// relClose reports |got − want| ≤ rel·|want|, with exact 0 required for 0
// (pyradiomics' own test rule, at our tolerance).
func relClose(got, want, rel float64) bool {
	if math.Abs(want) < 1e-12 { // 0, or rounding residue such as -3.2e-16
		return math.Abs(got-want) <= 1e-12
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func TestPyradiomicsBaselines(t *testing.T) {
	for _, c := range []string{"brain1", "breast1"} {
		t.Run(c, func(t *testing.T) {
			img := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_image.nrrd")
			mask := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_label.nrrd")
			want := readBaseline(t, c)
			got, err := Extract(img, mask, baselineSettings)
			if err != nil {
				t.Fatal(err)
			}
			checkBaseline(t, got, want)
		})
	}
}

// TestPyradiomicsNormalization: the baselines' _normalization columns
// (normalize True, normalizeScale 100, binWidth 5, no voxelArrayShift).
func TestPyradiomicsNormalization(t *testing.T) {
	for _, c := range []string{"brain1", "breast1"} {
		t.Run(c, func(t *testing.T) {
			img := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_image.nrrd")
			mask := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_label.nrrd")
			want := readBaseline(t, c+"_normalization")
			got, err := Extract(img, mask, Settings{Normalize: true, NormalizeScale: 100, BinWidth: 5})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, v := range got {
				w, ok := want[v.Key()]
				if !ok {
					continue // shape has no _normalization column
				}
				n++
				if !relClose(v.Value, w, 1e-6) {
					t.Errorf("%s = %.17g, pyradiomics %.17g (rel %.2g)", v.Key(), v.Value, w, math.Abs(v.Value/w-1))
				}
			}
			if n == 0 {
				t.Error("no value compared")
			}
		})
	}
}

// TestPyradiomicsFlatRegion: the baselines' brain1_flatRegion column
// (binWidth 5000, so the ROI is one grey level; its resegmentRange [0]
// removes no voxel, the ROI's minimum being 468). Only the texture classes
// have this column.
func TestPyradiomicsFlatRegion(t *testing.T) {
	img := readTestNRRD(t, "../../testdata/pyradiomics/brain1_image.nrrd")
	mask := readTestNRRD(t, "../../testdata/pyradiomics/brain1_label.nrrd")
	want := readBaseline(t, "brain1_flatRegion")
	got, err := Extract(img, mask, Settings{BinWidth: 5000, Classes: []string{"glcm", "glrlm", "glszm", "ngtdm", "gldm"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 75 || len(want) != 75 {
		t.Fatalf("%d values, %d baseline values; want 75", len(got), len(want))
	}
	for _, v := range got {
		if w := want[v.Key()]; !relClose(v.Value, w, 1e-6) {
			t.Errorf("%s = %.17g, pyradiomics %.17g", v.Key(), v.Value, w)
		}
	}
}

// TestPyradiomicsTextureColumns: the baselines' _2d (force2D, in axial
// slices), _FBN (binCount 64) and _combined (weightingNorm no_weighting,
// GLCM and GLRLM only) columns, which exist for texture classes only; all
// other settings default.
func TestPyradiomicsTextureColumns(t *testing.T) {
	tex := []string{"glcm", "glrlm", "glszm", "ngtdm", "gldm"}
	for _, c := range []struct {
		column string
		s      Settings
	}{
		{"2d", Settings{Force2D: true, Classes: tex}},
		{"FBN", Settings{BinCount: 64, Classes: tex}},
		{"combined", Settings{WeightingNorm: "no_weighting", Classes: []string{"glcm", "glrlm"}}},
	} {
		for _, img := range []string{"brain1", "breast1"} {
			t.Run(img+"_"+c.column, func(t *testing.T) {
				im := readTestNRRD(t, "../../testdata/pyradiomics/"+img+"_image.nrrd")
				mask := readTestNRRD(t, "../../testdata/pyradiomics/"+img+"_label.nrrd")
				want := readBaseline(t, img+"_"+c.column)
				got, err := Extract(im, mask, c.s)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) || len(got) < 40 {
					t.Fatalf("%d values, %d baseline values", len(got), len(want))
				}
				for _, v := range got {
					if w := want[v.Key()]; !relClose(v.Value, w, 1e-6) {
						t.Errorf("%s = %.17g, pyradiomics %.17g", v.Key(), v.Value, w)
					}
				}
			})
		}
	}
}

// TestPyradiomicsResampling: the baselines' breast1_resampling column
// (resampledPixelSpacing [2, 2, 2], sitkBSpline, minimumROIDimensions 2),
// all 107 features through Extract's pyradiomics-style resampling.
func TestPyradiomicsResampling(t *testing.T) {
	img := readTestNRRD(t, "../../testdata/pyradiomics/breast1_image.nrrd")
	mask := readTestNRRD(t, "../../testdata/pyradiomics/breast1_label.nrrd")
	want := readBaseline(t, "breast1_resampling")
	got, err := Extract(img, mask, Settings{ResampledPixelSpacing: []float64{2, 2, 2}, Interpolator: "sitkBSpline"})
	if err != nil {
		t.Fatal(err)
	}
	checkBaseline(t, got, want)
}

// TestBrain1ResamplingDeviation: brain1_resampling is the one baseline
// column that does not match (differences of 0.05–45 %, shape included).
// That column was written by pyradiomics 2.0.1b1 with SimpleITK 0.9.1 (its
// diagnostics rows); breast1_resampling, written by the same run and the
// same code path, matches to 3e-12, and our brain1 first-order and texture
// values do not change when the image is re-expressed with its y axis
// flipped (checked while writing this). The baseline's mask after
// nearest-neighbour resampling holds 1915 voxels of 8 mm³ (VoxelVolume
// 15320), 7 % less than the ROI's physical volume (4137 voxels of
// 0.78125² × 6.5 mm³ = 16413 mm³), which nearest-neighbour resampling of an
// interior ROI preserves to within its boundary voxels; ours holds 2047
// (16376 mm³, 0.2 % off). So the deviation is recorded, not chased: this
// test pins our value to the physical volume.
func TestBrain1ResamplingDeviation(t *testing.T) {
	img := readTestNRRD(t, "../../testdata/pyradiomics/brain1_image.nrrd")
	mask := readTestNRRD(t, "../../testdata/pyradiomics/brain1_label.nrrd")
	got, err := Extract(img, mask, Settings{ResampledPixelSpacing: []float64{2, 2, 2}, Classes: []string{"shape"}})
	if err != nil {
		t.Fatal(err)
	}
	physical := 4137 * img.Spacing[0] * img.Spacing[1] * img.Spacing[2]
	for _, v := range got {
		if v.Name == "VoxelVolume" {
			if v.Value != 16376 || math.Abs(v.Value/physical-1) > 0.005 {
				t.Errorf("VoxelVolume %v, want 16376 (physical %v)", v.Value, physical)
			}
			if base := readBaseline(t, "brain1_resampling")["shape_VoxelVolume"]; base != 15320 {
				t.Errorf("baseline VoxelVolume %v, expected the stale 15320", base)
			}
		}
	}
}

func checkBaseline(t *testing.T, got []feature.Value, want map[string]float64) {
	t.Helper()
	if len(got) != len(Registry()) {
		t.Errorf("%d values, registry has %d", len(got), len(Registry()))
	}
	worst, worstKey := 0.0, ""
	for _, v := range got {
		w, ok := want[v.Key()]
		if !ok {
			t.Errorf("%s: no baseline value", v.Key())
			continue
		}
		if r := math.Abs(v.Value - w); w != 0 && r/math.Abs(w) > worst {
			worst, worstKey = r/math.Abs(w), v.Key()
		}
		if !relClose(v.Value, w, 1e-6) {
			t.Errorf("%s = %.17g, pyradiomics %.17g (rel %.2g)", v.Key(), v.Value, w, math.Abs(v.Value/w-1))
		}
	}
	t.Logf("%d features; largest relative difference %.2g (%s)", len(got), worst, worstKey)
}

// TestRegistryHasReferences: every registered feature has a reference value,
// from IBSI's phantom table or from pyradiomics' brain1 baseline.
func TestRegistryHasReferences(t *testing.T) {
	ibsi := readIBSIPhantom(t)
	brain := readBaseline(t, "brain1")
	for _, d := range Registry() {
		if _, ok := brain[d.Key()]; !ok && !ibsi[d.Key()].has {
			t.Errorf("%s has no reference value", d.Key())
		}
		if ibsi[d.Key()].code != d.IBSI {
			t.Errorf("%s: IBSI code %q, mapping table %q", d.Key(), d.IBSI, ibsi[d.Key()].code)
		}
	}
}
