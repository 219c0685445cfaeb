package radiomics

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestExtractImageTypesWorkers: ExtractImageTypesWorkers gives
// ExtractImageTypes' values to the bit for any number of workers, and
// shares the workers left over by the image types with each extraction:
// one image type on two workers extracts on two goroutines, two types on
// two workers each on one.
func TestExtractImageTypesWorkers(t *testing.T) {
	img := readTestNRRD(t, "../../testdata/pyradiomics/brain1_image.nrrd")
	mask := readTestNRRD(t, "../../testdata/pyradiomics/brain1_label.nrrd")
	for _, c := range []struct {
		params string
		want   map[int][]int // workers → the workers each extraction saw
	}{
		{"setting:\n  binWidth: 25\nimageType:\n  Original: {}\n", map[int][]int{1: {1}, 2: {2}, 3: {3}}},
		{"setting:\n  binWidth: 25\nimageType:\n  Original: {}\n  Square: {}\n", map[int][]int{1: {1, 1}, 2: {1, 1}, 4: {2, 2}}},
	} {
		s, err := ParseParams(strings.NewReader(c.params))
		if err != nil {
			t.Fatal(err)
		}
		want, err := ExtractImageTypes(img, mask, s)
		if err != nil {
			t.Fatal(err)
		}
		for w, wantSeen := range c.want {
			var mu sync.Mutex
			var seen []int
			imageTypesWorkersHook = func(n int) { mu.Lock(); seen = append(seen, n); mu.Unlock() }
			got, err := ExtractImageTypesWorkers(img, mask, s, w)
			imageTypesWorkersHook = nil
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(seen, wantSeen) {
				t.Errorf("%d workers, %d image types: extractions on %v goroutines, want %v", w, strings.Count(c.params, "{}"), seen, wantSeen)
			}
			if len(got) != len(want) {
				t.Fatalf("%d workers: %d values, want %d", w, len(got), len(want))
			}
			for k := range want {
				if got[k].Image != want[k].Image || got[k].FullName() != want[k].FullName() ||
					math.Float64bits(got[k].Value.Value) != math.Float64bits(want[k].Value.Value) && !(math.IsNaN(got[k].Value.Value) && math.IsNaN(want[k].Value.Value)) {
					t.Errorf("%d workers: %s = %v, one worker %v", w, got[k].FullName(), got[k].Value.Value, want[k].Value.Value)
				}
			}
		}
	}
}
