package selection

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// sample reads values with many ties and a wide range from b.
func sample(b []byte) []float64 {
	x := make([]float64, len(b))
	for i, v := range b {
		x[i] = float64(v%16-8) * math.Pow(10, float64(v/16)-8)
	}
	return x
}

// FuzzMannWhitneyU: no panic; errors are one line starting "selection: ";
// U lies in [0, n1·n2], P in [0, 1], and swapping the samples keeps P and
// mirrors U.
func FuzzMannWhitneyU(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{4, 5, 6, 7})
	f.Add([]byte{9, 9, 9, 9, 9, 9, 9, 9, 9, 1}, []byte{9, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Add([]byte{200, 17, 33}, []byte{255})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > 60 || len(b) > 60 {
			return
		}
		x, y := sample(a), sample(b)
		r, err := MannWhitneyU(x, y)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "selection: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		n1n2 := float64(len(x) * len(y))
		if !(r.U >= 0 && r.U <= n1n2) || !(r.P >= 0 && r.P <= 1) {
			t.Fatalf("U %v P %v for %v vs %v", r.U, r.P, x, y)
		}
		s, err := MannWhitneyU(y, x)
		if err != nil {
			t.Fatalf("swapped samples: %v", err)
		}
		if math.Abs(s.P-r.P) > 1e-12 || s.U != n1n2-r.U {
			t.Fatalf("swapped: U %v→%v P %v→%v", r.U, s.U, r.P, s.P)
		}
	})
}

// FuzzLasso fits Gaussian and binomial LASSO paths on small tables drawn
// from the bytes (3–12 rows, 1–5 features). Invariants: no panic; errors
// are one line; a fitted path is finite, its λ strictly decreasing, and
// its first λ leaves every coefficient at 0.
func FuzzLasso(f *testing.F) {
	f.Add([]byte{8, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, false)
	f.Add([]byte{5, 1, 9, 1, 9, 1, 9, 0, 1, 0, 1, 0}, true)
	f.Add([]byte{10, 4, 17, 3, 3, 3, 200, 100, 50, 25, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, true)
	f.Fuzz(func(t *testing.T, data []byte, binomial bool) {
		if len(data) < 2 {
			return
		}
		n, p := int(data[0])%10+3, int(data[1])%5+1
		vals := sample(data[2:])
		at := func(k int) float64 {
			if k < len(vals) {
				return vals[k]
			}
			return float64(k % 3)
		}
		X := make([][]float64, n)
		y := make([]float64, n)
		for i := range X {
			X[i] = make([]float64, p)
			for j := range X[i] {
				X[i][j] = at(i*p + j)
			}
			y[i] = at(n*p + i)
			if binomial {
				y[i] = float64(int(math.Abs(y[i])*1e8) % 2)
			}
		}
		l := Lasso{NLambda: 20}
		if binomial {
			l.Family = Binomial
		}
		path, err := l.Fit(X, y, nil)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "selection: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		for k, lam := range path.Lambda {
			if !(lam > 0) || math.IsInf(lam, 0) || k > 0 && lam >= path.Lambda[k-1] {
				t.Fatalf("λ path %v", path.Lambda)
			}
			if math.IsNaN(path.Intercept[k]) || math.IsInf(path.Intercept[k], 0) {
				t.Fatalf("intercept %v at λ %v", path.Intercept[k], lam)
			}
			for j, b := range path.Beta[k] {
				if math.IsNaN(b) || math.IsInf(b, 0) || k == 0 && b != 0 {
					t.Fatalf("β[%d] = %v at λ %v (step %d)\nX %v\ny %v", j, b, lam, k, X, y)
				}
			}
		}
	})
}

// FuzzPipeline runs every selection step on small tables drawn from the
// bytes (8–19 patients, 2–7 discrete features, labels from the bytes).
// Invariants: no panic; errors are one line naming the selection step; a
// fitted result gives finite rad-scores on its training table.
func FuzzPipeline(f *testing.F) {
	f.Add([]byte{12, 3, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 9, 1, 2, 8, 2, 3, 7, 3, 4, 6, 4, 5, 5, 5, 6, 4, 6, 7, 3, 7, 8, 2, 8, 9, 1, 9}, uint64(1))
	f.Add([]byte{8, 1, 0, 0, 0, 0, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5}, uint64(2))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		if len(data) < 2 {
			return
		}
		n, p := int(data[0])%12+8, int(data[1])%6+2
		data = data[2:]
		at := func(k int) byte {
			if k < len(data) {
				return data[k]
			}
			return byte(k * 7 % 11)
		}
		tb := &table.Table{IDName: "patient_id"}
		for j := range p {
			tb.Names = append(tb.Names, fmt.Sprintf("lesion_original_glcm_F%d", j))
		}
		y := make([]int, n)
		for i := range n {
			y[i] = int(at(i) % 2)
			tb.IDs = append(tb.IDs, fmt.Sprintf("P%02d", i))
			row := make([]float64, p)
			for j := range row {
				row[j] = float64(at(n+i*p+j)%8) + float64(y[i])*float64(at(n+i*p+j)/128)
			}
			tb.X = append(tb.X, row)
		}
		res, err := (Pipeline{MinKeep: 2}).Fit(tb, y, seed)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "selection: ") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		scores, err := res.RadScore(tb)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range scores {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				t.Fatalf("rad-score of row %d is %v", i, s)
			}
		}
		if _, err := res.Transform(tb); err != nil {
			t.Fatal(err)
		}
	})
}
