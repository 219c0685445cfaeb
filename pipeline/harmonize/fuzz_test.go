package harmonize

import (
	"math"
	"strings"
	"testing"
)

// FuzzFit fits ComBat on small tables drawn from the bytes (4–15 patients,
// 1–4 features, two or three centres, values with many ties, an optional
// covariate) in every mode. Invariants: no panic; an error is one line
// starting "harmonize: "; a fitted model applied to its own data gives
// finite values.
func FuzzFit(f *testing.F) {
	f.Add([]byte{8, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, uint8(0))
	f.Add([]byte{5, 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, uint8(3))
	f.Add([]byte{12, 4, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5}, uint8(6))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		if len(data) < 2 {
			return
		}
		n, p := int(data[0])%12+4, int(data[1])%4+1
		data = data[2:]
		at := func(k int) float64 {
			if k < len(data) {
				return float64(data[k] % 16)
			}
			return float64(k % 5)
		}
		centres := []string{"A", "B", "C"}[:2+int(mode>>2)%2]
		X := make([][]float64, n)
		batch := make([]string, n)
		var cov [][]float64
		if mode&8 != 0 {
			cov = make([][]float64, n)
		}
		for i := range X {
			batch[i] = centres[i%len(centres)]
			X[i] = make([]float64, p)
			for j := range X[i] {
				X[i][j] = at(i*p + j)
			}
			if cov != nil {
				cov[i] = []float64{at(n*p + i)}
			}
		}
		o := Options{NonParametric: mode&1 != 0, MeanOnly: mode&2 != 0}
		m, err := Fit(X, batch, cov, o)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "harmonize: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		out, err := m.Apply(X, batch, cov)
		if err != nil {
			t.Fatalf("the model does not apply to its own data: %v", err)
		}
		for i, row := range out {
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("row %d feature %d harmonised to %v (mode %d)\nX %v\nbatch %v\ncov %v", i, j, v, mode, X, batch, cov)
				}
			}
		}
	})
}
