package report

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"testing"
)

// benchDocument is a report of the size `scirad run` writes: 40 charts
// (ROC and calibration curves of 100 points for six models, importance bars
// of 30 features, rad-score histograms) in four sections, and a table.
func benchDocument() *Document {
	d := &Document{Title: "scirad benchmark report"}
	rows := make([][]string, 24)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("signature %d", i), "train", "0.81", "0.85", "0.74–0.93", "0.8", "0.8", "0.8", "0.8"}
	}
	d.Sections = append(d.Sections, Section{Title: "Table 3", Blocks: []template.HTML{Table("Table 3",
		[]string{"Signature", "Cohort", "Acc", "AUC", "95% CI", "Sen", "Spe", "PPV", "NPV"}, rows)}})
	for s := range 4 {
		sec := Section{Title: fmt.Sprintf("Section %d", s)}
		for f := range 10 {
			id := fmt.Sprintf("fig_%d_%d", s, f)
			var c Chart
			switch f % 3 {
			case 0:
				var curves []Curve
				for m := range 6 {
					cv := Curve{Name: fmt.Sprintf("model %d", m)}
					for k := range 100 {
						x := float64(k) / 99
						cv.X = append(cv.X, x)
						cv.Y = append(cv.Y, math.Pow(x, 1/float64(m+2)))
					}
					curves = append(curves, cv)
				}
				c = XY(id, "ROC", "1 − specificity", "sensitivity", curves, true)
			case 1:
				cats := make([]string, 30)
				vals := make([]float64, 30)
				for k := range cats {
					cats[k] = fmt.Sprintf("lesion_median_glcm_Feature%02d", k)
					vals[k] = 1 / float64(k+1)
				}
				c = Bars(id, "Importance", cats, []BarSeries{{Name: "Gini", Values: vals}}, true)
			default:
				var g, p []float64
				for k := range 41 {
					g = append(g, math.Sin(float64(k)))
					p = append(p, math.Cos(float64(k))+0.5)
				}
				c = Histogram(id, "Rad-score", []BarSeries{{Name: "good", Values: g}, {Name: "poor", Values: p}}, 20)
			}
			sec.Figures = append(sec.Figures, Figure{ID: id, Title: id, Caption: "caption", Chart: c})
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}

func BenchmarkWriteHTML40Charts(b *testing.B) {
	d := benchDocument()
	var n int64
	for b.Loop() {
		var buf bytes.Buffer
		if err := d.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
		n = int64(buf.Len())
	}
	b.SetBytes(n)
}

func BenchmarkWriteFigures40Charts(b *testing.B) {
	d := benchDocument()
	dir := b.TempDir()
	for b.Loop() {
		if err := d.WriteFigures(dir); err != nil {
			b.Fatal(err)
		}
	}
}
