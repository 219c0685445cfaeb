package report

import (
	"bytes"
	"encoding/json"
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

// TestNamesCannotEndTheScript: chart titles, series names and categories
// come from users' CSV headers; one holding "</script>" or "<!--" must
// neither close the chart's <script> element nor change the text shown.
func TestNamesCannotEndTheScript(t *testing.T) {
	evil := `</script><b>x</b><!--"'&`
	c := Bars("b", evil, []string{evil}, []BarSeries{{Name: evil, Values: []float64{1}}}, true)
	d := &Document{Title: evil, Sections: []Section{{Title: evil, Text: evil,
		Figures: []Figure{{ID: "b", Title: evil, Caption: evil, Chart: c}}}}}
	var b bytes.Buffer
	if err := d.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	body := page[strings.LastIndex(page, "<body>"):]
	// Outside the one script element (where it is text) no name is markup.
	outside := body[:strings.Index(body, "<script")] + body[strings.Index(body, "</script>"):]
	if n := strings.Count(outside, "<b>x"); n != 0 {
		t.Errorf("the name became markup %d times:\n%s", n, body)
	}
	if o, c := strings.Count(body, "<script"), strings.Count(body, "</script>"); o != 1 || c != 1 {
		t.Errorf("%d <script> and %d </script> in the body", o, c)
	}
	// The option JSON still decodes to the original names.
	start := strings.Index(body, "let option_b = ") + len("let option_b = ")
	end := strings.Index(body[start:], "\n")
	var opt struct {
		Series []struct{ Name string }
		Title  struct{ Text string }
		YAxis  []struct{ Data []string }
	}
	if err := json.Unmarshal([]byte(body[start:start+end]), &opt); err != nil {
		t.Fatalf("option JSON: %v\n%s", err, body[start:start+end])
	}
	if opt.Series[0].Name != evil || opt.Title.Text != evil || opt.YAxis[0].Data[0] != evil {
		t.Errorf("names changed: %+v", opt)
	}
}
