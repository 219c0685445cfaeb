package harmonize

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// A subset model gives, for its features, exactly the full model's output,
// which is sva's (combat_constant_cov.csv: R 4.2.2, sva 3.46.0,
// `Rscript make_fixtures.R`); f05 is constant within centre B and must stay
// unadjusted after the columns are renumbered.
func TestSubsetMatchesFullModel(t *testing.T) {
	tb, err := table.ReadFile(filepath.Join(fixtures, "input_constant.csv"), "age")
	if err != nil {
		t.Fatal(err)
	}
	full, err := FitTable(tb, "center", []string{"outcome", "age"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"f07", "f05", "f01"}
	sub, err := full.Subset(names)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Features != 3 || len(sub.Unadjusted) != 1 || sub.Unadjusted[0] != 1 {
		t.Fatalf("subset: %d features, unadjusted %v; want 3 and [1]", sub.Features, sub.Unadjusted)
	}
	whole, err := full.ApplyTable(tb)
	if err != nil {
		t.Fatal(err)
	}
	part, err := sub.ApplyTable(tb)
	if err != nil {
		t.Fatal(err)
	}
	want := readExpected(t, "combat_constant_cov.csv")
	for k, n := range names {
		j := whole.Col(n)
		if part.Names[k] != n {
			t.Fatalf("subset column %d is %q, want %q", k, part.Names[k], n)
		}
		for i := range part.X {
			if part.X[i][k] != whole.X[i][j] {
				t.Errorf("%s row %d: subset %v, full model %v", n, i, part.X[i][k], whole.X[i][j])
			}
			if d := math.Abs(part.X[i][k]-want[i][j]) / sd(tb.X, j); d > 1e-9 {
				t.Errorf("%s row %d: %v, sva %v", n, i, part.X[i][k], want[i][j])
			}
		}
	}
	for _, bad := range [][]string{{"f01", "nope"}, {"f01", "f01"}} {
		if _, err := full.Subset(bad); err == nil || !strings.Contains(err.Error(), bad[1]) {
			t.Errorf("Subset(%v): err = %v", bad, err)
		}
	}
}

// Keep one feature of a fitted model: it harmonises that feature exactly as
// the whole model does.
func ExampleTableModel_Subset() {
	t := &table.Table{
		IDName: "patient_id", IDs: []string{"P1", "P2", "P3", "P4", "P5", "P6"},
		MetaName: []string{"center"}, Meta: [][]string{{"A", "A", "A", "B", "B", "B"}},
		Names: []string{"f1", "f2"},
		X:     [][]float64{{1.0, 10}, {1.2, 11}, {0.9, 12}, {2.1, 20}, {2.4, 23}, {2.0, 21}},
	}
	full, err := FitTable(t, "center", nil, Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub, err := full.Subset([]string{"f2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := full.ApplyTable(t)
	b, _ := sub.ApplyTable(t)
	fmt.Printf("%v: %.3f, full model %.3f\n", sub.Names, b.X[3][0], a.X[3][1])
	// Output:
	// [f2]: 15.444, full model 15.444
}
