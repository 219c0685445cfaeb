package radiomics

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestExtractBadInput: the data contract's bad inputs (docs/contract.md) give a clear error or
// pyradiomics-consistent finite values, never a panic.
func TestExtractBadInput(t *testing.T) {
	g := volume.NewGrid([3]int{6, 5, 4}, [3]float64{1, 1, 2})
	img := volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(100 + (i*37)%50)
	}
	empty := volume.New(g)
	one := volume.New(g)
	one.Set(2, 2, 2, 1)
	edge := volume.New(g) // a corner block touching three faces
	for k := 2; k < 4; k++ {
		for j := 3; j < 5; j++ {
			for i := 4; i < 6; i++ {
				edge.Set(i, j, k, 1)
			}
		}
	}
	flatImg := img.Clone()
	for i, x := range edge.Data {
		if x == 1 {
			flatImg.Data[i] = 42
		}
	}
	nanImg := img.Clone()
	nanImg.Set(5, 4, 3, math.NaN())

	for _, c := range []struct {
		name      string
		img, mask *volume.Volume
		s         Settings
		err       string // "" = must succeed with finite values
	}{
		{"empty mask", img, empty, Settings{}, "not present"},
		{"absent label", img, edge, Settings{Label: 2}, "label 2 not present in mask (labels present: [1])"},
		{"one voxel", img, one, Settings{}, "single voxel"},
		{"edge", img, edge, Settings{}, ""},
		{"flat", flatImg, edge, Settings{}, ""},
		{"NaN in ROI", nanImg, edge, Settings{}, "must be finite"},
		{"NaN outside ROI", nanImg, one, Settings{MinimumROIDimensions: 1}, "single voxel"},
		{"bin count 32", img, edge, Settings{BinCount: 32}, ""},
	} {
		vals, err := Extract(c.img, c.mask, c.s)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one containing %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(vals) != 107 {
			t.Errorf("%s: %d values", c.name, len(vals))
		}
		for _, v := range vals {
			if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
				t.Errorf("%s: %s = %v", c.name, v.Key(), v.Value)
			}
		}
	}
	if _, err := Extract(img, empty, Settings{}); !errors.Is(err, ErrROI) {
		t.Errorf("empty mask error does not wrap ErrROI: %v", err)
	}
}

// TestFlatROIFirstOrder: a flat ROI's first-order values follow pyradiomics'
// conventions (moments 0, not NaN).
func TestFlatROIFirstOrder(t *testing.T) {
	g := volume.NewGrid([3]int{3, 3, 3}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = 7
		mask.Data[i] = 1
	}
	d, err := Discretize(img, mask, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	vals, err := FirstOrder(d, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"Skewness": 0, "Kurtosis": 0, "Variance": 0, "Range": 0, "Uniformity": 1,
		"Mean": 7, "Energy": 27 * 49, "Entropy": -math.Log2(1 + eps), "RobustMeanAbsoluteDeviation": 0,
	}
	for _, v := range vals {
		if w, ok := want[v.Name]; ok && v.Value != w {
			t.Errorf("%s = %v, want %v", v.Name, v.Value, w)
		}
	}
}

// TestSpineFakeLesionGeometry: the spine case t2_fake_lesion (testdata/spine)
// has masks whose origin differs from the image's by about 2.9e-6 mm; with
// the default tolerance they load, and the lesion has 163 voxels (README).
func TestSpineFakeLesionGeometry(t *testing.T) {
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	img := readTestNIfTI(t, dir+"t2_fake_lesion.nii.gz")
	lesion := readTestNIfTI(t, dir+"t2_fake_lesion_lesion_seg.nii.gz")
	var d float64
	for a := 0; a < 3; a++ {
		d = math.Max(d, math.Abs(img.Origin[a]-lesion.Origin[a]))
	}
	if d < 1e-6 || d > 1e-5 {
		t.Fatalf("origin difference %g mm, README says 2.9e-6", d)
	}
	r, err := PrepareROI(img, lesion, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 163 {
		t.Errorf("lesion has %d voxels, README says 163", r.N)
	}
	// SimpleITK's own default (1e-6 of the spacing) would refuse it.
	if _, err := PrepareROI(img, lesion, Settings{GeometryTolerance: 1e-6}); err == nil {
		t.Errorf("tolerance 1e-6 accepted a %g mm shift", d)
	}
}
