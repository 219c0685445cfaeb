package classify_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/classify"
)

// Fit a model with scikit-learn's defaults, predict, save and reload it.
func Example() {
	X := [][]float64{{0.1, 1}, {0.4, 0}, {0.35, 1}, {0.8, 0}, {0.9, 1}, {0.7, 0}}
	y := []int{0, 0, 0, 1, 1, 1}
	m, err := classify.Standardized{Model: classify.GaussianNB{}}.Fit(X, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := m.PredictProba([][]float64{{0.2, 0}, {0.85, 1}})
	fmt.Printf("P(class 1) = %.3f, %.3f\n", p[0], p[1])

	data, _ := classify.Marshal(m)
	back, _ := classify.Unmarshal(data)
	q, _ := back.PredictProba([][]float64{{0.2, 0}, {0.85, 1}})
	fmt.Println("same after JSON:", p[0] == q[0] && p[1] == q[1])
	// Output:
	// P(class 1) = 0.000, 1.000
	// same after JSON: true
}

// A grid search picks hyperparameters by cross-validated AUC.
func ExampleGridSearchCV() {
	pts, _ := classify.Grid("lr", 1)
	fmt.Println(len(pts), "grid points for lr")
	_, err := classify.New("knn", 1)
	fmt.Println(err)
	// Output:
	// 5 grid points for lr
	// classify: unknown model "knn" (want one of lr, svm, rf, nb, mlp, gbdt)
}
