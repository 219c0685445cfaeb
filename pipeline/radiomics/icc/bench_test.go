package icc

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// BenchmarkFeatures82x1070: ICCs of every radiomics column (1070) between
// two raters' tables of 82 patients, rater 2 = rater 1 plus noise.
func BenchmarkFeatures82x1070(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	r1, r2 := &table.Table{}, &table.Table{}
	for j := range 1070 {
		n := fmt.Sprintf("lesion_original_firstorder_F%04d", j)
		r1.Names, r2.Names = append(r1.Names, n), append(r2.Names, n)
	}
	for i := range 82 {
		id := fmt.Sprintf("SCI%03d", i+1)
		r1.IDs, r2.IDs = append(r1.IDs, id), append(r2.IDs, id)
		a, c := make([]float64, 1070), make([]float64, 1070)
		for j := range a {
			a[j] = r.NormFloat64()
			c[j] = a[j] + 0.3*r.NormFloat64()
		}
		r1.X, r2.X = append(r1.X, a), append(r2.X, c)
	}
	for b.Loop() {
		if _, err := Features(r1, r2, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
