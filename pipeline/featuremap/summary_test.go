package featuremap

import (
	"math"
	"slices"
	"testing"
)

// Summaries' statistics are those of pyradiomics' map values over the ROI
// (the golden lesion maps), computed here with numpy's definitions.
func TestSummariesOfGoldenMaps(t *testing.T) {
	c := readGolden(t)[0] // lesion_r1
	img, mask := spineROI(t, c.ROI)
	var s Settings
	s.Classes = []string{"glcm"}
	s.Features = map[string][]string{"glcm": {"Contrast", "MCC"}}
	sum, err := Summaries(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != 2 || sum[0].Name != "original_glcm_Contrast" || sum[1].Name != "original_glcm_MCC" {
		t.Fatalf("summaries %+v", sum)
	}
	var want []float64
	for _, v := range c.Features["glcm_Contrast"] {
		want = append(want, *v)
	}
	n := float64(len(want))
	mean := 0.0
	for _, v := range want {
		mean += v / n
	}
	sd := 0.0
	for _, v := range want {
		sd += (v - mean) * (v - mean) / n
	}
	sd = math.Sqrt(sd)
	slices.Sort(want)
	for k, w := range []float64{mean, sd, percentile(want, 10), percentile(want, 90)} {
		if relDiff(sum[0].Values[k], w) > 1e-9 {
			t.Errorf("%s %s: %g, want %g", sum[0].Name, SummaryStats[k], sum[0].Values[k], w)
		}
	}
	// MCC is initValue 0 over the whole lesion (pyradiomics' batch rule).
	if sum[1].Values != [4]float64{} {
		t.Errorf("MCC summaries %v, want zeros", sum[1].Values)
	}
}
