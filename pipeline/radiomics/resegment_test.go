package radiomics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/internal/toyvol"
	"github.com/scirad/scirad/pipeline/preprocess"
)

// resegGolden is testdata/radiomics/reseg_golden.json, made by
// make_reseg_golden.py there with pyradiomics 8ed5793 run from source.
type resegGolden struct {
	Cases []struct {
		Image, Mask, Params string
		ParamsName          string              `json:"params_name"`
		Values              map[string]*float64 `json:"values"`
	} `json:"cases"`
}

// TestResegmentPyradiomics: resegmentRange in the absolute (two and one
// thresholds), relative and sigma modes (one case where only the population
// SD gives pyradiomics' mask), resegmentShape, binCount, an Original image
// with its own settings, derived image types (Square; Wavelet after preCrop,
// which crops around the original ROI, not the re-segmented one) against
// pyradiomics on the spinal-cord ROI,
// within 1e-9 relative; through ExtractImageTypes and, for the Original
// image, through Extract too.
func TestResegmentPyradiomics(t *testing.T) {
	b, err := os.ReadFile("../../testdata/radiomics/reseg_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g resegGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) != 7 {
		t.Fatalf("%d cases, want 7", len(g.Cases))
	}
	for _, c := range g.Cases {
		s, err := ParseParams(strings.NewReader(c.Params))
		if err != nil {
			t.Fatalf("%s: %v", c.ParamsName, err)
		}
		img := readTestNIfTI(t, filepath.Join("../../testdata", c.Image))
		mask := readTestNIfTI(t, filepath.Join("../../testdata", c.Mask))
		vals, err := ExtractImageTypes(img, mask, s)
		if err != nil {
			t.Fatalf("%s: %v", c.ParamsName, err)
		}
		got := map[string]float64{}
		for _, v := range vals {
			got[v.FullName()] = v.Value.Value
		}
		es := s.withoutImageTypes() // the Original image's effective settings
		for _, it := range s.ImageTypes {
			if it.Name == "Original" {
				es = it.Settings()
			}
		}
		orig, err := Extract(img, mask, es)
		if err != nil {
			t.Fatalf("%s: Extract: %v", c.ParamsName, err)
		}
		gotOrig := map[string]float64{}
		for _, v := range orig {
			gotOrig["original_"+v.Def.Class+"_"+v.Def.Name] = v.Value
		}
		var names []string
		for name := range c.Values {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			want := c.Values[name]
			check := func(via string, x float64, ok bool) {
				switch {
				case !ok:
					t.Errorf("%s (%s): %s missing", c.ParamsName, via, name)
				case want == nil:
					if !math.IsNaN(x) {
						t.Errorf("%s (%s): %s = %g, pyradiomics NaN", c.ParamsName, via, name, x)
					}
				case math.Abs(x-*want) > 1e-9*math.Max(math.Abs(x), math.Abs(*want))+1e-12:
					t.Errorf("%s (%s): %s = %.12g, pyradiomics %.12g", c.ParamsName, via, name, x, *want)
				}
			}
			x, ok := got[name]
			check("ExtractImageTypes", x, ok)
			if strings.HasPrefix(name, "original_") {
				x, ok := gotOrig[name]
				check("Extract", x, ok)
			}
		}
		if len(got) != len(c.Values) {
			t.Errorf("%s: %d features, pyradiomics %d", c.ParamsName, len(got), len(c.Values))
		}
	}
}

// TestResegmentErrors: a range that keeps at most one voxel is a one-line
// error, as in pyradiomics.
func TestResegmentErrors(t *testing.T) {
	img := readTestNIfTI(t, "../../testdata/spine/sct_testing_data/t2/t2.nii.gz")
	mask := readTestNIfTI(t, "../../testdata/spine/sct_testing_data/t2/t2_seg-manual.nii.gz")
	for _, r := range [][]float64{{1e6}, {550, 550}} {
		_, err := Extract(img, mask, Settings{ResegmentRange: r})
		if err == nil || !strings.Contains(err.Error(), "resegmentRange") {
			t.Errorf("resegmentRange %v: error %v, want one naming resegmentRange", r, err)
		}
	}
	if _, err := Extract(img, mask, Settings{ResegmentRange: []float64{1}, ResegmentMode: "max"}); err == nil {
		t.Error("resegmentMode max: no error")
	}
}

// TestPyradiomicsResegmentationBaselines: the pyradiomics baselines'
// brain1_resegmentation and breast1_resegmentation columns (resegmentMode
// sigma, resegmentRange [-3, 3], everything else default; written by
// pyradiomics 2.0.1b1), every class but shape (which has no such column),
// within 1e-6 relative.
func TestPyradiomicsResegmentationBaselines(t *testing.T) {
	for _, c := range []string{"brain1", "breast1"} {
		t.Run(c, func(t *testing.T) {
			img := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_image.nrrd")
			mask := readTestNRRD(t, "../../testdata/pyradiomics/"+c+"_label.nrrd")
			want := readBaseline(t, c+"_resegmentation")
			got, err := Extract(img, mask, Settings{ResegmentRange: []float64{-3, 3}, ResegmentMode: "sigma"})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, v := range got {
				if v.Def.Class == "shape" {
					continue
				}
				w, ok := want[v.Key()]
				if !ok {
					t.Errorf("%s: no baseline value", v.Key())
					continue
				}
				n++
				if !relClose(v.Value, w, 1e-6) {
					t.Errorf("%s = %.17g, pyradiomics %.17g (rel %.2g)", v.Key(), v.Value, w, math.Abs(v.Value/w-1))
				}
			}
			if n != 93 {
				t.Errorf("%d values compared, want 93", n)
			}
		})
	}
}

// TestExtractImagesResegment: in the cohort path each preprocessed image is
// re-segmented on its own intensities, as Extract does for one image.
func TestExtractImagesResegment(t *testing.T) {
	img, mask := toyvol.Patient(5, [3]float64{0.8, 0.8, 2})
	cs := PaperCohortSettings()
	cs.Features.ResegmentRange = []float64{-1, 1.5}
	cs.Features.ResegmentMode = "sigma"
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ExtractImages(pre, cs)
	if err != nil {
		t.Fatal(err)
	}
	s := cs.Features
	s.Label = 1
	for _, i := range []int{0, 2} {
		direct, err := Extract(pre.Images[i], pre.Mask, s)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := Extract(pre.Images[i], pre.Mask, noReseg(cs.Features))
		if err != nil {
			t.Fatal(err)
		}
		same := true
		for j, v := range direct {
			if got := all[i*107+j]; got != v.Value {
				t.Fatalf("image %d: %s: %v, Extract %v", i, v.Key(), got, v.Value)
			}
			same = same && v.Value == plain[j].Value
		}
		if same {
			t.Errorf("image %d: resegmentation changed no feature", i)
		}
	}
}

func noReseg(s Settings) Settings {
	s.Label = 1
	s.ResegmentRange, s.ResegmentMode = nil, ""
	return s
}
