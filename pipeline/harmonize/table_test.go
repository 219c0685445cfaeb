package harmonize

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// A categorical covariate is coded as R's model.matrix codes a factor, so
// outcome given as "poor"/"good" must give sva's result for outcome 1/0
// (testdata/harmonize/combat_param_cov.csv, sva 3.46.0).
func TestFitTableCategorical(t *testing.T) {
	tb, err := table.ReadFile(filepath.Join(fixtures, "input.csv"), "age")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := tb.MetaColumn("outcome")
	words := make([]string, len(out))
	for i, v := range out {
		words[i] = map[string]string{"0": "good", "1": "poor"}[v]
	}
	tb.SetMeta("prognosis", words)
	m, err := FitTable(tb, "center", []string{"prognosis", "age"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Encoded, ",") != "prognosis=poor,age" {
		t.Errorf("encoded covariates %v", m.Encoded)
	}
	got, err := m.ApplyTable(tb)
	if err != nil {
		t.Fatal(err)
	}
	want := readExpected(t, "combat_param_cov.csv")
	for i := range want {
		for j := range want[i] {
			if d := math.Abs(got.X[i][j]-want[i][j]) / sd(tb.X, j); d > 1e-9 {
				t.Fatalf("row %d col %d: %v, sva %v", i, j, got.X[i][j], want[i][j])
			}
		}
	}
	other := tb.Subset([]int{0})
	other.Meta[len(other.Meta)-1][0] = "unknown"
	if _, err := m.ApplyTable(other); err == nil || !strings.Contains(err.Error(), `level "unknown"`) {
		t.Errorf("unseen level: err = %v", err)
	}
	if _, err := FitTable(tb, "site", nil, Options{}); err == nil || !strings.Contains(err.Error(), `"site"`) {
		t.Errorf("missing centre column: err = %v", err)
	}
}
