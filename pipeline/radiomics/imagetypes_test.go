package radiomics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type filterGolden struct {
	Tool  string
	Cases []struct {
		ROI        string
		Image      string
		Mask       string
		ParamsName string `json:"params_name"`
		Params     string
		Values     map[string]*float64
	}
}

// TestImageTypesPyradiomics compares every feature of every pyradiomics
// image type on real spinal-cord MRI with pyradiomics' own values
// (testdata/filters/golden.json, made by testdata/filters/make_golden.py
// with pyradiomics, ITK, PyWavelets, scikit-image and SciPy): within 1e-6
// relative, by pyradiomics' feature name, and no name missing or extra
// (besides original_shape_*, which the golden file leaves to the
// baselines).
func TestImageTypesPyradiomics(t *testing.T) {
	b, err := os.ReadFile("../../testdata/filters/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g filterGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	worst := map[string]float64{} // image type prefix → worst relative deviation
	for _, c := range g.Cases {
		s, err := ParseParams(strings.NewReader(c.Params))
		if err != nil {
			t.Fatalf("%s/%s: %v", c.ROI, c.ParamsName, err)
		}
		img := readTestNIfTI(t, filepath.Join("../../testdata", c.Image))
		mask := readTestNIfTI(t, filepath.Join("../../testdata", c.Mask))
		vals, err := ExtractImageTypes(img, mask, s)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.ROI, c.ParamsName, err)
		}
		got := map[string]float64{}
		for _, v := range vals {
			got[v.FullName()] = v.Value.Value
		}
		var names []string
		for name := range c.Values {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			want := c.Values[name]
			x, ok := got[name]
			switch {
			case !ok:
				t.Errorf("%s/%s: %s missing", c.ROI, c.ParamsName, name)
				continue
			case want == nil:
				if !math.IsNaN(x) {
					t.Errorf("%s/%s: %s = %g, pyradiomics NaN", c.ROI, c.ParamsName, name, x)
				}
				continue
			}
			d := math.Abs(x - *want)
			rel := d / math.Max(math.Abs(*want), 1e-300)
			if d > 1e-6*math.Max(math.Abs(x), math.Abs(*want))+1e-12 {
				t.Errorf("%s/%s: %s = %.12g, pyradiomics %.12g (rel %.2g)", c.ROI, c.ParamsName, name, x, *want, rel)
			}
			typ := name[:strings.Index(name, "_")]
			if d > 1e-12 {
				worst[typ] = math.Max(worst[typ], rel)
			} else if _, ok := worst[typ]; !ok {
				worst[typ] = 0
			}
		}
		for name := range got {
			if _, ok := c.Values[name]; !ok && !strings.HasPrefix(name, "original_shape_") {
				t.Errorf("%s/%s: extra feature %s", c.ROI, c.ParamsName, name)
			}
		}
	}
	var types []string
	for k := range worst {
		types = append(types, k)
	}
	sort.Strings(types)
	for _, k := range types {
		t.Logf("%-22s worst relative deviation %.2g", k, worst[k])
	}
}
