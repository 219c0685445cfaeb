package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestHistogramNonFinite: a NaN or ±Inf among the values (a failed score
// upstream) is left out of the range and the counts instead of crashing
// the report.
func TestHistogramNonFinite(t *testing.T) {
	h := Histogram("h", "Rad-score", []BarSeries{
		{Name: "good", Values: []float64{0, math.NaN(), 1, math.Inf(1)}},
		{Name: "poor", Values: []float64{math.Inf(-1), 1}},
	}, 2)
	if len(h.MultiSeries) != 2 {
		t.Fatalf("%d series", len(h.MultiSeries))
	}
	var b bytes.Buffer
	if err := (&Document{Title: "t", Sections: []Section{{Title: "s", Figures: []Figure{{ID: "h", Chart: h}}}}}).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	// Bins [0, 0.5) and [0.5, 1]: good counts 1 and 1, poor 0 and 1.
	for _, want := range []string{`"name":"good","type":"bar","data":[{"value":1},{"value":1}]`, `"name":"poor","type":"bar","data":[{"value":0},{"value":1}]`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// Only non-finite values: the default [0, 1] range, zero counts.
	if h := Histogram("h2", "empty", []BarSeries{{Name: "g", Values: []float64{math.NaN()}}}, 3); len(h.MultiSeries) != 1 {
		t.Fatal("no series")
	}
}

// TestProgrammerErrorsPanicWithPrefix: bad ids, mismatched lengths and a
// bin count below one are programmer errors: panics that start "report: ".
func TestProgrammerErrorsPanicWithPrefix(t *testing.T) {
	for name, f := range map[string]func(){
		"bad id":       func() { XY("1roc", "", "", "", nil, false) },
		"curve length": func() { XY("roc", "", "", "", []Curve{{Name: "c", X: []float64{1}}}, false) },
		"bar length":   func() { Bars("b", "", []string{"a"}, []BarSeries{{Name: "s"}}, false) },
		"zero bins":    func() { Histogram("h", "", []BarSeries{{Name: "g", Values: []float64{1}}}, 0) },
		"figure id": func() {
			(&Document{Sections: []Section{{Figures: []Figure{{ID: "a-b"}}}}}).WriteHTML(&bytes.Buffer{})
		},
	} {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "report: ") {
					t.Errorf("%s: recovered %v, want a panic starting \"report: \"", name, r)
				}
			}()
			f()
		}()
	}
}
