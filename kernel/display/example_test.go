package display_test

import (
	"fmt"

	"github.com/scirad/scirad/kernel/display"
	"github.com/scirad/scirad/pipeline/table"
)

// CentreEta2 of a feature whose centres differ in mean only, and of one
// whose centres agree.
func ExampleCentreEta2() {
	t := &table.Table{IDName: "id", IDs: []string{"1", "2", "3", "4"},
		MetaName: []string{"center"}, Meta: [][]string{{"A", "A", "B", "B"}},
		Names: []string{"shifted", "same"},
		X:     [][]float64{{1, 1}, {3, 3}, {11, 1}, {13, 3}}}
	eta, err := display.CentreEta2(t, "center")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f %.4f\n", eta[0], eta[1])
	// Output: 0.9615 0.0000
}

func ExampleComparisonHTML() {
	fmt.Println(display.ComparisonHTML("", []display.Comparison{{Quantity: "patients", Paper: "82", Ours: "40"}}))
	// Output:
	// <table>
	// <thead><tr><th></th><th>Lin et al. 2025</th><th>this run</th><th>note</th></tr></thead>
	// <tbody>
	// <tr><td>patients</td><td>82</td><td>40</td><td></td></tr>
	// </tbody>
	// </table>
}
