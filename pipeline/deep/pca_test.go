package deep

import (
	"encoding/json"
	"os"
	"testing"
)

// TestPCAMatchesSklearn compares with testdata/deep/pca_reference.json
// (make_pca_reference.py: scikit-learn 1.2.1 PCA(svd_solver="full")).
func TestPCAMatchesSklearn(t *testing.T) {
	b, err := os.ReadFile("../../testdata/deep/pca_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		X          [][]float64 `json:"x"`
		TrainRows  int         `json:"train_rows"`
		Components [][]float64 `json:"components"`
		Variance   []float64   `json:"explained_variance"`
		Scores     [][]float64 `json:"scores"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	p, err := FitPCA(ref.X[:ref.TrainRows], len(ref.Components))
	if err != nil {
		t.Fatal(err)
	}
	f32 := func(x []float64) []float32 {
		out := make([]float32, len(x))
		for i, v := range x {
			out[i] = float32(v)
		}
		return out
	}
	// float32 only to reuse assertClose; the tolerance is far above its rounding.
	assertClose(t, "variance", f32(p.Variance), ref.Variance, 1e-6)
	for c := range ref.Components {
		assertClose(t, "component", f32(p.Components[c]), ref.Components[c], 1e-6)
	}
	for i, row := range ref.X {
		assertClose(t, "scores", f32(p.Transform(row)), ref.Scores[i], 1e-6)
	}
	// More components than the rank: the surplus scores are zero.
	p, err = FitPCA(ref.X[:3], 4)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Transform(ref.X[5]); s[2] != 0 || s[3] != 0 || s[1] == 0 {
		t.Errorf("scores with 3 training rows = %v, want the last two 0", s)
	}
}
