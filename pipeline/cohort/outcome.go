package cohort

import (
	"errors"
	"fmt"
)

// Outcome is the paper's binary prognosis ("ASIA-scale" rule, Methods):
//
//	δᵢ = uems_admissionᵢ − uems_1yᵢ
//	T  = (1/n) Σᵢ δᵢ
//	yᵢ = 1 (good prognosis) if δᵢ < T, else 0 (poor)
//
// A negative δ is an improvement, so good prognosis means improving by more
// than the cohort's mean change. The paper reports T = −4.55.
type Outcome struct {
	Threshold  float64   // T, the cohort mean of δ
	Delta      []float64 // δᵢ in patient order
	Labels     []int     // yᵢ in patient order
	Good, Poor int       // class sizes
}

// ErrOneClass is returned when every patient falls in the same class.
var ErrOneClass = errors.New("outcome has one class only")

// DeriveOutcome applies the paper's rule to ps. It fails when ps is empty
// or when all patients get the same label (all δ equal).
func DeriveOutcome(ps []Patient) (Outcome, error) {
	if len(ps) == 0 {
		return Outcome{}, errors.New("no patients")
	}
	o := Outcome{Delta: make([]float64, len(ps)), Labels: make([]int, len(ps))}
	var sum float64
	for i, p := range ps {
		o.Delta[i] = p.Delta()
		sum += o.Delta[i]
	}
	o.Threshold = sum / float64(len(ps))
	for i, d := range o.Delta {
		if d < o.Threshold {
			o.Labels[i] = 1
			o.Good++
		} else {
			o.Poor++
		}
	}
	if o.Good == 0 || o.Poor == 0 {
		return o, fmt.Errorf("%w: %d good, %d poor (threshold %g)", ErrOneClass, o.Good, o.Poor, o.Threshold)
	}
	return o, nil
}
