package selection

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mannwhitney.json was written by testdata/selection/make_mannwhitney.py
// with SciPy 1.10.1 and NumPy 1.24.2 (Debian bookworm python3-scipy):
// scipy.stats.mannwhitneyu(x, y) with its defaults.
func TestMannWhitneyMatchesScipy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testdata, "mannwhitney.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			Name string
			X, Y []float64
			U, P float64
		}
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	for _, c := range golden.Cases {
		r, err := MannWhitneyU(c.X, c.Y)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if r.U != c.U {
			t.Errorf("%s: U = %v, scipy %v", c.Name, r.U, c.U)
		}
		// p: 1e-10 relative (the acceptance bound) for p ≥ 1e-300.
		if d := math.Abs(r.P-c.P) / c.P; d > 1e-10 {
			t.Errorf("%s: p = %.17g, scipy %.17g (rel %.3g, exact %v)", c.Name, r.P, c.P, d, r.Exact)
		}
		if wantExact := strings.HasPrefix(c.Name, "exact") || c.Name == "one_vs_many"; r.Exact != wantExact {
			t.Errorf("%s: exact = %v, want %v", c.Name, r.Exact, wantExact)
		}
	}
}

func TestMannWhitneyBadInput(t *testing.T) {
	if _, err := MannWhitneyU(nil, []float64{1}); err == nil {
		t.Error("empty sample: no error")
	}
	if _, err := MannWhitneyU([]float64{1, math.NaN()}, []float64{1, 2}); err == nil {
		t.Error("NaN: no error")
	}
	if _, err := MannWhitneyU([]float64{3, 3, 3, 3, 3, 3, 3, 3, 3}, []float64{3, 3, 3, 3, 3, 3, 3, 3, 3}); err == nil || !strings.Contains(err.Error(), "all 18 values are equal") {
		t.Errorf("all tied: err = %v", err)
	}
	X := [][]float64{{1}, {2}, {3}, {4}}
	if _, _, err := MannWhitneyFilter(X, []int{1, 1, 1, 1}, 0.05, []string{"f"}); err == nil || !strings.Contains(err.Error(), "single class") {
		t.Errorf("single class: err = %v", err)
	}
	if _, _, err := MannWhitneyFilter([][]float64{{1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}}, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.05, []string{"flat"}); err == nil || !strings.Contains(err.Error(), `"flat"`) {
		t.Errorf("constant feature: err = %v", err)
	}
}

func TestExactDistribution(t *testing.T) {
	// m = 2, n = 2: U ∈ {0,1,2,2,3,4} over C(4,2) = 6 arrangements, so
	// Pr(U ≥ 3) = 2/6 (closed form).
	if got := exactSF(3, 2, 2); math.Abs(got-2.0/6) > 1e-15 {
		t.Errorf("Pr(U ≥ 3 | 2, 2) = %v, want 1/3", got)
	}
	if got := exactSF(0, 3, 5); math.Abs(got-1) > 1e-15 {
		t.Errorf("Pr(U ≥ 0) = %v, want 1", got)
	}
}
