package ibsi

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// resampleGolden is testdata/ibsi_prepare/resample_golden.json, made by
// make_golden.py there with scipy.ndimage.map_coordinates on MIRP's
// grid-centred sample positions.
type resampleGolden struct {
	Dims       [3]int     `json:"dims"`
	NewDims    [3]int     `json:"new_dims"`
	Spacing    [3]float64 `json:"spacing"`
	NewSpacing [3]float64 `json:"new_spacing"`
	Image      []float64  `json:"image"`
	Mask       []float64  `json:"mask"`
	Linear     []float64  `json:"linear"`
	Cubic      []float64  `json:"cubic"`
	MaskLinear []float64  `json:"mask_linear"`
}

// TestResampleScipy checks the grid alignment, linear and cubic B-spline
// interpolation (order 1 and 3, mode "nearest") and the mask's linear
// interpolation (mode "constant") against scipy.
func TestResampleScipy(t *testing.T) {
	b, err := os.ReadFile("../../../testdata/ibsi_prepare/resample_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g resampleGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	var pos [3][]float64
	for a := range 3 {
		var m int
		m, pos[a] = samplePositions(g.Dims[a], g.Spacing[a], g.NewSpacing[a])
		if m != g.NewDims[a] {
			t.Fatalf("axis %d: %d samples, scipy grid has %d", a, m, g.NewDims[a])
		}
	}
	for _, c := range []struct {
		name  string
		in    []float64
		order int
		zero  bool
		want  []float64
	}{
		{"linear", g.Image, 1, false, g.Linear},
		{"cubic", g.Image, 3, false, g.Cubic},
		{"mask", g.Mask, 1, true, g.MaskLinear},
	} {
		got := resample(c.in, g.Dims, pos, c.order, c.zero)
		if len(got) != len(c.want) {
			t.Fatalf("%s: %d values, want %d", c.name, len(got), len(c.want))
		}
		worst := 0.0
		for i := range got {
			worst = max(worst, math.Abs(got[i]-c.want[i]))
		}
		if worst > 1e-9 {
			t.Errorf("%s: largest difference from scipy %.3g", c.name, worst)
		}
	}
}

// TestPrepareErrors: mismatched grids and empty ROIs are errors, not panics.
func TestPrepareErrors(t *testing.T) {
	cfg, _ := ConfigByName("C")
	img := volume.New(volume.NewGrid([3]int{4, 4, 4}, [3]float64{1, 1, 1}))
	mask := volume.New(volume.NewGrid([3]int{4, 4, 3}, [3]float64{1, 1, 1}))
	if _, err := Prepare(cfg, img, mask); err == nil {
		t.Error("mismatched grids: no error")
	}
	mask = volume.New(img.Grid)
	if _, err := Prepare(cfg, img, mask); err == nil {
		t.Error("empty mask: no error")
	}
	if _, err := ConfigByName("F"); err == nil {
		t.Error("unknown configuration: no error")
	}
}

// TestDiscretise: IBSI's FBN (the maximum goes to the last bin) and FBS
// (from the range's lower bound) on hand-computed cases.
func TestDiscretise(t *testing.T) {
	p := &Prepared{NX: 5, NY: 1, NZ: 1, Spacing: [3]float64{1, 1, 1},
		Image:   []float64{0, 2.5, 5, 10, 99},
		IntMask: []bool{true, true, true, true, false}}
	p.MorphMask = p.IntMask
	fbn := Config{Range: [2]float64{math.NaN(), math.NaN()}, Disc: Discretisation{Method: DiscFBN, Bins: 4}}
	levels, ng := p.Discretise(fbn)
	if want := []int32{1, 2, 3, 4, 0}; ng != 4 || !slices.Equal(levels, want) {
		t.Errorf("FBN: levels %v ng %d, want %v 4", levels, ng, want)
	}
	p.Image = []float64{-500, -475.0001, -475, 400, 0}
	fbs := Config{Range: [2]float64{-500, 400}, Disc: Discretisation{Method: DiscFBS, Width: 25}}
	levels, ng = p.Discretise(fbs)
	if want := []int32{1, 1, 2, 37, 0}; ng != 37 || !slices.Equal(levels, want) {
		t.Errorf("FBS: levels %v ng %d, want %v 37", levels, ng, want)
	}
}

// TestPrepareNonFinite: a NaN intensity is an error, not a NaN feature.
func TestPrepareNonFinite(t *testing.T) {
	cfg, _ := ConfigByName("A")
	g := volume.NewGrid([3]int{3, 3, 3}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range mask.Data {
		mask.Data[i] = 1
	}
	img.Data[4] = math.NaN()
	if _, err := Prepare(cfg, img, mask); err == nil {
		t.Error("NaN intensity: no error")
	}
}

// TestNonTextureHugeRange: raw intensities over a huge range give NaN IVH
// features instead of a histogram of 1e12 bins.
func TestNonTextureHugeRange(t *testing.T) {
	cfg, _ := ConfigByName("D")
	g := volume.NewGrid([3]int{4, 4, 4}, [3]float64{2, 2, 2})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(i%7) * 1e11
		mask.Data[i] = 1
	}
	cfg.Interpolate, cfg.OutlierSigma = false, 0
	p, err := Prepare(cfg, img, mask)
	if err != nil {
		t.Fatal(err)
	}
	f := NonTexture(cfg, p)
	if !math.IsNaN(f["ivh_i10"]) || math.IsNaN(f["stat_mean"]) {
		t.Errorf("ivh_i10 %v (want NaN), stat_mean %v", f["ivh_i10"], f["stat_mean"])
	}
}
