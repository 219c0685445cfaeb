package table

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// paperTable is a feature table of the paper's size: 82 patients, a centre
// and an outcome column, and 1230 features (1070 radiomics + 160 deep),
// with values drawn from a fixed seed.
func paperTable() *Table {
	r := rand.New(rand.NewPCG(1, 2))
	tb := &Table{IDName: "patient_id", MetaName: []string{"center", "outcome"}, Meta: make([][]string, 2)}
	for j := range 1230 {
		tb.Names = append(tb.Names, fmt.Sprintf("lesion_original_glcm_F%04d", j))
	}
	for i := range 82 {
		tb.IDs = append(tb.IDs, fmt.Sprintf("SCI%03d", i+1))
		tb.Meta[0] = append(tb.Meta[0], string(rune('A'+i%3)))
		tb.Meta[1] = append(tb.Meta[1], fmt.Sprint(i%2))
		row := make([]float64, len(tb.Names))
		for j := range row {
			row[j] = r.NormFloat64() * 1e3
		}
		tb.X = append(tb.X, row)
	}
	return tb
}

func BenchmarkRead82x1230(b *testing.B) {
	var buf bytes.Buffer
	if err := paperTable().Write(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite82x1230(b *testing.B) {
	tb := paperTable()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := tb.Write(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
