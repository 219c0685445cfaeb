package selection_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/selection"
)

// A small sample without ties takes scipy's exact p-value; the numbers
// match scipy.stats.mannwhitneyu([1, 4, 5, 8, 9], [2, 3, 6, 7, 10, 11, 12])
// (SciPy 1.10.1: statistic 12.0, p-value 0.4318181818181819).
func ExampleMannWhitneyU() {
	r, err := selection.MannWhitneyU([]float64{1, 4, 5, 8, 9}, []float64{2, 3, 6, 7, 10, 11, 12})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("U = %g, p = %.10f, exact = %v\n", r.U, r.P, r.Exact)
	// Output: U = 12, p = 0.4318181818, exact = true
}

func ExampleSignatures() {
	for _, s := range selection.Signatures() {
		fmt.Print(s.Name, " ")
	}
	fmt.Println()
	// Output: Rad ResNet18 ResNet34 ResNet152 Rad+ResNet18 Rad+ResNet34 Rad+ResNet152
}
