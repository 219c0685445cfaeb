package icc

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// TestBadInputMessages: each data problem names what is wrong in one line.
func TestBadInputMessages(t *testing.T) {
	for _, c := range []struct {
		name string
		x    [][]float64
		a    float64
		want string
	}{
		{"one subject", [][]float64{{1, 2}}, 0, "icc: 1 subjects; need at least 2"},
		{"one rater", [][]float64{{1}, {2}}, 0, "icc: 1 raters; need at least 2"},
		{"ragged", [][]float64{{1, 2}, {3}}, 0, "icc: subject 1 has 1 ratings, subject 0 has 2"},
		{"NaN", [][]float64{{1, 2}, {math.NaN(), 3}}, 0, "icc: rating 0 of subject 1 is NaN"},
		{"Inf", [][]float64{{1, math.Inf(-1)}, {2, 3}}, 0, "icc: rating 1 of subject 0 is -Inf"},
		{"alpha", [][]float64{{1, 2}, {2, 3}}, 1, "icc: alpha 1 must be in (0, 1)"},
	} {
		if _, err := Compute(c.x, c.a); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	r1 := &table.Table{Names: []string{"f", "g"}, IDs: []string{"a", "b", "c"}, X: [][]float64{{1, 2}, {2, 1}, {3, 5}}}
	one := &table.Table{Names: []string{"f", "g"}, IDs: []string{"c", "z"}, X: [][]float64{{1, 2}, {2, 1}}}
	noG := &table.Table{Names: []string{"f"}, IDs: []string{"a", "b"}, X: [][]float64{{1}, {2}}}
	for _, c := range []struct {
		name string
		r2   *table.Table
		o    Options
		want string
	}{
		{"one shared patient", one, Options{}, "icc: 1 patients have both raters' masks; need at least 2"},
		{"missing column", noG, Options{}, `icc: rater-2 table has no column "g"`},
		{"NaN threshold", r1, Options{Threshold: math.NaN()}, "icc: threshold is NaN"},
	} {
		if _, err := Features(r1, c.r2, c.o); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// TestWriteCSVQuotes: feature names and notes are CSV fields, so a comma or
// quote in one (table.Read accepts quoted headers) must not shift columns.
func TestWriteCSVQuotes(t *testing.T) {
	fs := []Feature{
		{Name: `odd,name "x"`, ICC21: 0.9, ICC31: 0.8, Keep: true},
		{Name: "flat", ICC21: math.NaN(), ICC31: math.NaN(), Note: "all values equal, here"},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, fs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("WriteCSV output is not CSV: %v\n%s", err, b.String())
	}
	want := [][]string{
		{"feature", "icc21", "icc31", "keep", "note"},
		{`odd,name "x"`, "0.9", "0.8", "true", ""},
		{"flat", "NaN", "NaN", "false", "all values equal, here"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

// TestDegenerateRatings: the cases FuzzCompute found. Ratings whose ICC2
// bounds have no valid Satterthwaite df gave a distuv panic; equal subject
// means with no residual make ICC3 0/0, which Features notes.
func TestDegenerateRatings(t *testing.T) {
	r, err := Compute([][]float64{{0.001, 0.002}, {0, 0.003}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(r.Lower[1]) || !math.IsNaN(r.Upper[1]) {
		t.Errorf("ICC2 bounds %v %v, want NaN (psych 2.2.9: NaN)", r.Lower[1], r.Upper[1])
	}
	r1 := &table.Table{Names: []string{"f"}, IDs: []string{"a", "b"}, X: [][]float64{{0}, {0}}}
	r2 := &table.Table{Names: []string{"f"}, IDs: []string{"a", "b"}, X: [][]float64{{0.16}, {0.16}}}
	fs, err := Features(r1, r2, Options{Consistency: true})
	if err != nil {
		t.Fatal(err)
	}
	if f := fs[0]; f.Keep || !math.IsNaN(f.ICC31) || f.ICC21 != 0 || f.Note == "" {
		t.Errorf("raters offset on equal subjects: %+v", f)
	}
}
