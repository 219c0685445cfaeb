package icc

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// FuzzCompute: ratings drawn from the bytes (2–9 subjects, 2–4 raters,
// values with many ties and a wide range). Invariants: no panic; errors are
// one line starting "icc: "; only constant ratings fail when the shape and
// alpha are valid; a result has no NaN or +Inf ICC, every ICC but ICC2k at
// most 1, and p-values in [0, 1].
func FuzzCompute(f *testing.F) {
	f.Add([]byte{5, 2, 1, 2, 2, 3, 4, 4, 5, 7, 8, 8}, 0.0)
	f.Add([]byte{3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0.05)
	f.Add([]byte{2, 2, 9, 1, 1, 9}, 0.5)
	f.Fuzz(func(t *testing.T, data []byte, alpha float64) {
		if len(data) < 2 {
			return
		}
		n, k := int(data[0])%8+2, int(data[1])%3+2
		data = data[2:]
		x := make([][]float64, n)
		for i := range x {
			x[i] = make([]float64, k)
			for j := range x[i] {
				if v := i*k + j; v < len(data) {
					x[i][j] = float64(data[v]%32) * math.Pow(10, float64(data[v]/32)-3)
				}
			}
		}
		r, err := Compute(x, alpha)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "icc: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q", msg)
			}
			if alpha == 0 || alpha > 0 && alpha < 1 {
				if !errors.Is(err, ErrConstant) {
					t.Fatalf("valid shape and alpha %v, error %v\n%v", alpha, err, x)
				}
			}
			return
		}
		for c, v := range r.ICC {
			// ICC2k's denominator MSB + (MSJ − MSE)/n can be negative, so
			// it alone may exceed 1: psych::ICC 2.2.9 gives 3.0437 for
			// {{0.16, 0.16, 2.4}, {2.4, 0, 0}}, as Compute does (corpus
			// file 319a84c16f6b345c).
			// MSB = 0 makes a denominator vanish: −Inf, as psych gives for
			// {{0, 0.16}, {0.16, 0}} (corpus file eaa9e46a0992abce).
			// MSB = MSE = 0 (subjects equal, raters offset) makes ICC3 0/0.
			if math.IsNaN(v) && r.MSB != 0 || math.IsInf(v, 1) || c != 4 && v > 1+1e-12 {
				t.Fatalf("ICC[%d] = %v\n%v\n%+v", c, v, x, r)
			}
			if math.IsNaN(r.P[c]) && !math.IsNaN(r.F[c]) || r.P[c] < 0 || r.P[c] > 1 {
				t.Fatalf("p[%d] = %v\n%v\n%+v", c, r.P[c], x, r)
			}
		}
	})
}
