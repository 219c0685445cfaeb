package harmonize

import (
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// TestTableBadInput: each data problem of FitTable and ApplyTable is one
// line naming the column, row or centre.
func TestTableBadInput(t *testing.T) {
	read := func() *table.Table {
		tb, err := table.ReadFile(filepath.Join(fixtures, "input.csv"), "age")
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	tb := read()
	m, err := FitTable(tb, "center", []string{"outcome", "age"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := func(col string, row int, v string) *table.Table {
		u := read()
		vals, err := u.MetaColumn(col)
		if err != nil {
			t.Fatal(err)
		}
		vals[row] = v
		return u
	}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"missing covariate", func() error { _, err := FitTable(tb, "center", []string{"bmi"}, Options{}); return err },
			`harmonize: covariate: table: no column "bmi" (have center, age, outcome)`},
		{"single-level covariate", func() error {
			u := read()
			sex := make([]string, u.Rows())
			for i := range sex {
				sex[i] = "male"
			}
			u.SetMeta("sex", sex)
			_, err := FitTable(u, "center", []string{"sex"}, Options{})
			return err
		}, `harmonize: covariate "sex" has the single level "male"`},
		{"blank category", func() error {
			u := read()
			u.SetMeta("sex", make([]string, u.Rows()))
			_, err := FitTable(u, "center", []string{"sex"}, Options{})
			return err
		}, `harmonize: row P01, covariate "sex": empty value`},
		{"missing age", func() error { _, err := FitTable(set("age", 4, ""), "center", []string{"age"}, Options{}); return err },
			`harmonize: row P05, covariate "age": empty value`},
		{"word in a numeric column", func() error {
			_, err := FitTable(set("age", 4, "n/a"), "center", []string{"age"}, Options{})
			return err
		},
			`harmonize: row P05, covariate "age": "n/a" is not a number, but 29 other rows are`},
		{"NaN age", func() error {
			_, err := FitTable(set("age", 2, "NaN"), "center", []string{"age"}, Options{})
			return err
		},
			`harmonize: row 3, covariate "age": value NaN is not finite`},
		{"empty centre", func() error { _, err := FitTable(set("center", 1, ""), "center", nil, Options{}); return err },
			"harmonize: row 2: empty centre"},
		{"apply: missing feature", func() error {
			u, _ := read().SelectColumns(tb.Names[1:])
			_, err := m.ApplyTable(u)
			return err
		}, `harmonize: table: no feature column "f01" (the table must hold every feature the model was fitted on)`},
		{"apply: missing centre column", func() error {
			u := read()
			u.MetaName[0] = "site"
			_, err := m.ApplyTable(u)
			return err
		}, `harmonize: centre column: table: no column "center" (have site, age, outcome)`},
		{"apply: unseen centre", func() error { _, err := m.ApplyTable(set("center", 0, "Z")); return err },
			`harmonize: row 1: centre "Z" was not in the training data (have A, B, C)`},
		{"apply: age not a number", func() error { _, err := m.ApplyTable(set("age", 0, "old")); return err },
			`harmonize: row P01, covariate "age": "old" is not a number`},
	} {
		err := c.err()
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v\nwant %s", c.name, err, c.want)
		}
	}
}

// TestFitDegenerate: the degenerate fits FuzzFit found return errors
// instead of NaN results.
func TestFitDegenerate(t *testing.T) {
	for _, c := range []struct {
		name  string
		X     [][]float64
		batch []string
		cov   [][]float64
		o     Options
		want  string
	}{
		{"one feature", [][]float64{{1}, {2}, {4}, {3}}, []string{"A", "A", "B", "B"}, nil, Options{Names: []string{"f"}},
			`harmonize: feature "f" is the only feature to adjust: the empirical-Bayes priors pool over features and need at least two`},
		{"saturated design", [][]float64{{0, 1}, {4, 0}, {3, 4}, {2, 3}}, []string{"A", "B", "C", "A"}, [][]float64{{1}, {2}, {3}, {4}}, Options{MeanOnly: true},
			"harmonize: 4 patients for 4 design columns (3 centres, 1 covariates): no residual variance to standardise by"},
		{"covariate fits a centre exactly", [][]float64{{0, 1}, {2, 3}, {4, 0}, {1, 2}, {3, 4}, {0, 1}, {2, 3}}, []string{"A", "B", "C", "A", "B", "C", "A"},
			[][]float64{{4}, {0}, {1}, {2}, {3}, {4}, {0}}, Options{NonParametric: true},
			`harmonize: feature column 1 has no variance within centre "A" once the covariates are removed: ComBat cannot scale it`},
	} {
		if _, err := Fit(c.X, c.batch, c.cov, c.o); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v\nwant %s", c.name, err, c.want)
		}
	}
}
