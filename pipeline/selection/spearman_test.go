package selection

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// spearman.json was written by testdata/selection/make_spearman.py with
// SciPy 1.10.1 (Debian bookworm python3-scipy): scipy.stats.spearmanr(X).
func readSpearman(t *testing.T) (X, rho [][]float64) {
	b, err := os.ReadFile(filepath.Join(testdata, "spearman.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ X, Rho [][]float64 }
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g.X, g.Rho
}

func TestSpearmanMatchesScipy(t *testing.T) {
	X, want := readSpearman(t)
	got, err := SpearmanMatrix(X, nil)
	if err != nil {
		t.Fatal(err)
	}
	for a := range want {
		for b := range want {
			// closed form: 1e-12 relative to max(|ρ|, 1e-3)
			if d := math.Abs(got[a][b] - want[a][b]); d > 1e-12*max(math.Abs(want[a][b]), 1e-3) {
				t.Errorf("ρ[%d][%d] = %.17g, scipy %.17g", a, b, got[a][b], want[a][b])
			}
		}
	}
	if r := Spearman(column(X, 0), column(X, 5)); math.Abs(r-want[0][5]) > 1e-12 {
		t.Errorf("Spearman(0, 5) = %v, scipy %v", r, want[0][5])
	}
}

func TestRedundancyFilter(t *testing.T) {
	X, _ := readSpearman(t)
	// Columns 0, 1, 3 and 5 are pairwise |ρ| > 0.9 (scipy values above).
	// Round 1: all four have 3 partners; column 1 has the largest mean |ρ|
	// (0.694 against 0.685) and goes. Round 2: 0, 3 and 5 have 2 partners;
	// 5 has the largest mean (0.6105 against 0.6075). Round 3: 0 and 3 tie
	// exactly (column 3 is −column 0³, same ranks reversed), so the later,
	// 3, goes.
	keep, dropped, err := RedundancyFilter(X, 0.9, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(keep, []int{0, 2, 4}) || !slices.Equal(dropped, []int{1, 5, 3}) {
		t.Errorf("keep %v dropped %v; want [0 2 4] and [1 5 3]", keep, dropped)
	}
	flat := [][]float64{{1, 2}, {1, 3}, {1, 1}}
	if _, _, err := RedundancyFilter(flat, 0.9, []string{"c", "d"}); err == nil {
		t.Error("constant column: no error")
	}
}
