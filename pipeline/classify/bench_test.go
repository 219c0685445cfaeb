package classify

import (
	"fmt"
	"testing"
)

// BenchmarkFitPredict times fitting (behind z-scoring) and predicting each
// model's defaults on a 57 × 11 table (the paper's training split) and on
// the breast-cancer split (398 × 30 train, 171 test).
func BenchmarkFitPredict(b *testing.B) {
	X, y := synthetic(57, 11, 1)
	Xt, _ := synthetic(25, 11, 2)
	bXtr, bytr, bXte, _, _ := breastCancer(b)
	for _, data := range []struct {
		name  string
		X, Xt [][]float64
		y     []int
	}{{"57x11", X, Xt, y}, {"breast_cancer", bXtr, bXte, bytr}} {
		for _, name := range Names {
			est, _ := New(name, 1)
			b.Run(fmt.Sprintf("%s/%s", data.name, name), func(b *testing.B) {
				for b.Loop() {
					m, err := Standardized{Model: est}.Fit(data.X, data.y)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := m.PredictProba(data.Xt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkGridSearchPaper times the paper's full model search: 5-fold
// grid search of all six models on seven signatures (tables of 57 rows and
// 5, 6, 5, 5, 10, 11, 10 features: ResNet18/34/152, Rad, and the three
// combined signatures), then the refit.
func BenchmarkGridSearchPaper(b *testing.B) {
	widths := []int{5, 6, 5, 5, 10, 11, 10}
	for b.Loop() {
		for s, p := range widths {
			X, y := synthetic(57, p, uint64(s+1))
			for _, name := range Names {
				pts, _ := Grid(name, 1)
				if _, err := (GridSearchCV{Points: pts, Seed: 1}).Search(X, y); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
