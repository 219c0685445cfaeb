package harmonize_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/harmonize"
)

// Learn ComBat on training patients, then harmonise a new patient of a
// centre seen in training.
func ExampleFit() {
	train := [][]float64{{1.0, 10}, {1.2, 11}, {0.9, 12}, {2.1, 20}, {2.4, 23}, {2.0, 21}}
	centre := []string{"A", "A", "A", "B", "B", "B"}
	m, err := harmonize.Fit(train, centre, nil, harmonize.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := m.Apply([][]float64{{2.2, 22}}, []string{"B"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("centres %v, new patient %.3f\n", m.Batches, out[0])
	_, err = m.Apply([][]float64{{2.2, 22}}, []string{"C"}, nil)
	fmt.Println(err)
	// Output:
	// centres [A B], new patient [1.593 16.850]
	// harmonize: row 1: centre "C" was not in the training data (have A, B)
}
