package cohort_test

import (
	"math"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
)

// FuzzTests runs Table 1's two tests on groups and contingency tables
// drawn from the bytes. Invariants: no panic; a result's p-value lies in
// [0, 1], the χ² statistic is non-negative and finite, and swapping the
// groups negates t and keeps p.
func FuzzTests(f *testing.F) {
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7}, uint8(2), uint8(2))
	f.Add([]byte{1, 9, 9, 9}, uint8(4), uint8(2))
	f.Add([]byte{2, 0, 0, 5, 5, 0, 7}, uint8(3), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, rows, cols uint8) {
		if len(data) < 1 || len(data) > 64 {
			return
		}
		na := int(data[0]) % len(data)
		vals := make([]float64, len(data)-1)
		for i, v := range data[1:] {
			vals[i] = float64(v%64) * math.Pow(10, float64(v/64)*3-3)
		}
		na = min(na, len(vals))
		a, b := vals[:na], vals[na:]
		if r, err := cohort.TTest(a, b); err == nil {
			if math.IsNaN(r.T) || !(r.P >= 0 && r.P <= 1) {
				t.Fatalf("t-test %v vs %v: %+v", a, b, r)
			}
			s, err := cohort.TTest(b, a)
			if err != nil || s.T != -r.T || math.Abs(s.P-r.P) > 1e-12 {
				t.Fatalf("swapped: %+v vs %+v (%v)", r, s, err)
			}
		}
		nr, nc := int(rows)%5+1, int(cols)%4+1
		table := make([][]float64, nr)
		for i := range table {
			table[i] = make([]float64, nc)
			for j := range table[i] {
				if k := 1 + i*nc + j; k < len(data) {
					table[i][j] = float64(data[k] % 40)
				}
			}
		}
		if r, err := cohort.ChiSquare(table); err == nil {
			if !(r.Chi2 >= 0) || math.IsInf(r.Chi2, 0) || r.DF < 1 || !(r.P >= 0 && r.P <= 1) {
				t.Fatalf("χ² of %v: %+v", table, r)
			}
		}
	})
}
