package display

import (
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"

	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
)

// CentreEta2 measures how much of each feature's variance the centre
// explains: the one-way ANOVA effect size
//
//	η²_j = Σ_c n_c (x̄_cj − x̄_j)² / Σ_i (x_ij − x̄_j)²
//
// over the centres c of metadata column batch, with n_c patients and mean
// x̄_cj in centre c. It is 0 when every centre has the same mean and 1 when
// the centre explains everything; ComBat should push it towards 0. A
// feature constant over all patients has η² = 0. It is an error for the
// batch column to be missing or a value to be non-finite.
func CentreEta2(t *table.Table, batch string) ([]float64, error) {
	centres, err := t.MetaColumn(batch)
	if err != nil {
		return nil, err
	}
	levels := Levels(centres)
	eta := make([]float64, len(t.Names))
	for j := range t.Names {
		var sum float64
		for i := range t.X {
			if math.IsNaN(t.X[i][j]) || math.IsInf(t.X[i][j], 0) {
				return nil, fmt.Errorf("display: %s of %s is %v", t.Names[j], t.IDs[i], t.X[i][j])
			}
			sum += t.X[i][j]
		}
		mean := sum / float64(len(t.X))
		var total, between float64
		for i := range t.X {
			d := t.X[i][j] - mean
			total += d * d
		}
		for _, c := range levels {
			var s float64
			n := 0
			for i := range t.X {
				if centres[i] == c {
					s += t.X[i][j]
					n++
				}
			}
			d := s/float64(n) - mean
			between += float64(n) * d * d
		}
		if total > 0 {
			eta[j] = between / total
		}
	}
	return eta, nil
}

// ByCentre draws the values of one feature of t as a histogram per centre
// (metadata column batch), the centres' bars side by side.
func ByCentre(id, title string, t *table.Table, batch, feature string) (*charts.Bar, error) {
	j := t.Col(feature)
	if j < 0 {
		return nil, fmt.Errorf("display: no feature %q", feature)
	}
	centres, err := t.MetaColumn(batch)
	if err != nil {
		return nil, err
	}
	levels := Levels(centres)
	groups := make([]report.BarSeries, len(levels))
	for g, c := range levels {
		groups[g].Name = "centre " + c
		for i := range t.X {
			if centres[i] == c {
				groups[g].Values = append(groups[g].Values, t.X[i][j])
			}
		}
	}
	return report.Histogram(id, title, groups, 10), nil
}

// Levels returns the distinct values of s, sorted.
func Levels(s []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(s)))
}

// ScatterColumns draws feature yName of t against feature xName, one group
// of points per class: row i goes to group classNames[labels[i]].
func ScatterColumns(id, title string, t *table.Table, xName, yName string, labels []int, classNames []string) (*charts.Scatter, error) {
	jx, jy := t.Col(xName), t.Col(yName)
	if jx < 0 || jy < 0 {
		return nil, fmt.Errorf("display: table has no feature %q or %q", xName, yName)
	}
	if len(labels) != t.Rows() {
		return nil, fmt.Errorf("display: %d labels for %d rows", len(labels), t.Rows())
	}
	groups := make([]Points, len(classNames))
	for g := range groups {
		groups[g].Name = classNames[g]
	}
	for i, y := range labels {
		if y < 0 || y >= len(classNames) {
			return nil, fmt.Errorf("display: label %d of row %s has no class name", y, t.IDs[i])
		}
		groups[y].X = append(groups[y].X, t.X[i][jx])
		groups[y].Y = append(groups[y].Y, t.X[i][jy])
	}
	return Scatter(id, title, xName, yName, groups), nil
}
