package icc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// fixtures reads testdata/radiomics/icc: the ratings (icc_inputs.csv) and
// psych::ICC(x, lmer = FALSE)'s results for them (icc_fixtures.csv), made by
// gen_icc.R with R 4.2.2 and psych 2.2.9:
//
//	Rscript testdata/radiomics/icc/gen_icc.R
func fixtures(t *testing.T) (inputs map[string][][]float64, want map[string][][]float64, order []string) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open("../../../testdata/radiomics/icc/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows[1:]
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	inputs, want = map[string][][]float64{}, map[string][][]float64{}
	for _, r := range read("icc_inputs.csv") {
		var row []float64
		for _, s := range r[1:] {
			if s != "NA" {
				row = append(row, num(s))
			}
		}
		if inputs[r[0]] == nil {
			order = append(order, r[0])
		}
		inputs[r[0]] = append(inputs[r[0]], row)
	}
	for _, r := range read("icc_fixtures.csv") {
		var row []float64
		for _, s := range r[2:] {
			row = append(row, num(s))
		}
		want[r[0]] = append(want[r[0]], row)
	}
	return inputs, want, order
}

func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300) || got == want
}

func TestComputeMatchesPsych(t *testing.T) {
	inputs, want, order := fixtures(t)
	if len(order) != 5 {
		t.Fatalf("%d fixture cases", len(order))
	}
	worstICC, worstP := 0.0, 0.0
	for _, c := range order {
		r, err := Compute(inputs[c], 0.05)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for i, w := range want[c] { // ICC, F, df1, df2, p, lower, upper
			got := []float64{r.ICC[i], r.F[i], r.DF1[i], r.DF2[i], r.P[i], r.Lower[i], r.Upper[i]}
			names := []string{"ICC", "F", "df1", "df2", "p", "lower", "upper"}
			for k := range got {
				// Every column to 1e-10 relative (measured: 1.3e-14 for ICC, F
				// and df; 4.3e-14 for p and the bounds, which go through
				// gonum's incomplete beta and F quantile).
				tol := 1e-10
				rel := math.Abs(got[k]-w[k]) / math.Max(math.Abs(w[k]), 1e-300)
				if k < 4 {
					worstICC = math.Max(worstICC, rel)
				} else {
					worstP = math.Max(worstP, rel)
				}
				if !close(got[k], w[k], tol) {
					t.Errorf("%s %s %s = %.17g, psych %.17g", c, Names[i], names[k], got[k], w[k])
				}
			}
		}
	}
	t.Logf("largest relative difference from psych: ICC/F/df %.2g, p/bounds %.2g", worstICC, worstP)
}

func TestComputeErrors(t *testing.T) {
	for name, x := range map[string][][]float64{
		"one subject": {{1, 2}},
		"one rater":   {{1}, {2}},
		"ragged":      {{1, 2}, {3}},
		"NaN":         {{1, 2}, {math.NaN(), 3}},
	} {
		if _, err := Compute(x, 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Compute([][]float64{{2, 2}, {2, 2}, {2, 2}}, 0); !errors.Is(err, ErrConstant) {
		t.Errorf("constant ratings: %v", err)
	}
}

func TestFeatures(t *testing.T) {
	inputs, want, _ := fixtures(t)
	good, poor := inputs["two_raters_good"], inputs["two_raters_poor"]
	n := 15
	r1 := &table.Table{Names: []string{"good", "poor", "flat"}}
	r2 := &table.Table{Names: []string{"flat", "good", "poor"}}
	for i := 0; i < n; i++ {
		id := strconv.Itoa(i)
		r1.IDs = append(r1.IDs, id)
		r1.X = append(r1.X, []float64{good[i][0], poor[i][0], 1})
	}
	for i := n - 1; i >= 0; i-- { // other order, one extra patient
		r2.IDs = append(r2.IDs, strconv.Itoa(i))
		r2.X = append(r2.X, []float64{1, good[i][1], poor[i][1]})
	}
	r2.IDs = append(r2.IDs, "extra")
	r2.X = append(r2.X, []float64{1, 2, 3})
	fs, err := Features(r1, r2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !fs[0].Keep || fs[1].Keep || fs[2].Keep || fs[2].Note == "" || !math.IsNaN(fs[2].ICC21) {
		t.Errorf("keep flags: %+v", fs)
	}
	// The poor feature's ICC(2,1) over its 15 subjects is psych's.
	if !close(fs[1].ICC21, want["two_raters_poor"][1][0], 1e-10) || !close(fs[1].ICC31, want["two_raters_poor"][2][0], 1e-10) {
		t.Errorf("poor: ICC21 %v ICC31 %v, psych %v %v", fs[1].ICC21, fs[1].ICC31, want["two_raters_poor"][1][0], want["two_raters_poor"][2][0])
	}
	kept, err := Filter(r1, fs)
	if err != nil || len(kept.Names) != 1 || kept.Names[0] != "good" {
		t.Errorf("Filter: %v %v", kept.Names, err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, fs); err != nil || !strings.HasPrefix(b.String(), "feature,icc21,icc31,keep,note\ngood,") {
		t.Errorf("WriteCSV: %q %v", b.String(), err)
	}
	if _, err := Features(r1, &table.Table{Names: []string{"good"}, IDs: []string{"0", "1"}, X: [][]float64{{1}, {2}}}, Options{}); err == nil {
		t.Error("missing column: no error")
	}
}

// TestConstantWithRounding: equal ratings whose mean does not round back to
// the value (sum/6 of 0.7835631358807189) are constant, not an arbitrary ICC.
func TestConstantWithRounding(t *testing.T) {
	v := 0.7835631358807189
	x := [][]float64{{v, v}, {v, v}, {v, v}}
	if _, err := Compute(x, 0); !errors.Is(err, ErrConstant) {
		t.Errorf("constant ratings: %v", err)
	}
	x[0][0] = math.Nextafter(v, 1) // one ulp of real disagreement is still noise
	if _, err := Compute(x, 0); !errors.Is(err, ErrConstant) {
		t.Errorf("one-ulp ratings: %v", err)
	}
	x[0][0] = v * (1 + 1e-9)
	if _, err := Compute(x, 0); err != nil {
		t.Errorf("1e-9 relative spread: %v", err)
	}
}
