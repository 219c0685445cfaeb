package cohort_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/cohort"
)

// The paper's rule on four patients: δ = −10, −2, 0, 4 has mean −2, so
// only the first improved by more than the cohort mean.
func ExampleDeriveOutcome() {
	ps := []cohort.Patient{
		{ID: "p1", UEMSAdmission: 10, UEMS1y: 20},
		{ID: "p2", UEMSAdmission: 10, UEMS1y: 12},
		{ID: "p3", UEMSAdmission: 10, UEMS1y: 10},
		{ID: "p4", UEMSAdmission: 10, UEMS1y: 6},
	}
	o, err := cohort.DeriveOutcome(ps)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.Threshold, o.Labels)
	// Output: -2 [1 0 0 0]
}

// The paper's sex counts (good 34 male / 15 female, poor 29 / 4) give its
// printed p = 0.052 without continuity correction (scipy 1.10.1
// chi2_contingency(correction=False): 0.05163687530891399).
func ExampleChiSquare() {
	res, err := cohort.ChiSquare([][]float64{{34, 29}, {15, 4}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("chi2 = %.4f, df = %d, p = %.4f\n", res.Chi2, res.DF, res.P)
	// Output: chi2 = 3.7875, df = 1, p = 0.0516
}
