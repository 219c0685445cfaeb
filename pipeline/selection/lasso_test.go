package selection

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// The LASSO golden files were written by testdata/selection/make_lasso.R
// with R 4.2.2 and glmnet 4.1-6 (Debian bookworm r-cran-glmnet):
// `cd testdata/selection && Rscript make_lasso.R`. Every glmnet call there
// uses thresh = 1e-14 and the fixed fold ids stored in the input file.
const testdata = "../../testdata/selection"

type lassoInput struct {
	X      [][]float64
	yg, yb []float64
	folds  []int
	names  []string
}

func readLassoInput(t *testing.T, tag string) lassoInput {
	t.Helper()
	tb, err := table.ReadFile(filepath.Join(testdata, "lasso_"+tag+"_input.csv"), "y_gaussian", "y_binomial", "foldid")
	if err != nil {
		t.Fatal(err)
	}
	in := lassoInput{X: tb.X, names: tb.Names}
	get := func(name string) []float64 {
		col, err := tb.MetaColumn(name)
		if err != nil {
			t.Fatal(err)
		}
		v := make([]float64, len(col))
		for i, s := range col {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	in.yg, in.yb = get("y_gaussian"), get("y_binomial")
	for _, f := range get("foldid") {
		in.folds = append(in.folds, int(f))
	}
	return in
}

// readCSV returns a golden CSV as a header and rows of numbers.
func readCSV(t *testing.T, name string) ([]string, [][]float64) {
	t.Helper()
	tb, err := table.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	return tb.Names, tb.X
}

func readGolden(t *testing.T, name string) map[string][]float64 {
	t.Helper()
	// The golden CSVs have no id column; prepend one on the fly.
	raw, err := readLines(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := table.Read(raw)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for j, n := range tb.Names {
		out[n] = tb.Column(j)
	}
	return out
}

func TestLassoPathMatchesGlmnet(t *testing.T) {
	for _, tag := range []string{"tall", "wide"} {
		in := readLassoInput(t, tag)
		for _, fam := range []Family{Gaussian, Binomial} {
			t.Run(tag+"_"+fam.String(), func(t *testing.T) {
				g := readGolden(t, fmt.Sprintf("lasso_%s_%s_path.csv", tag, fam))
				y := in.yg
				if fam == Binomial {
					y = in.yb
				}
				path, err := Lasso{Family: fam}.Fit(in.X, y, in.names)
				if err != nil {
					t.Fatal(err)
				}
				// glmnet stops the default path by its deviance rules;
				// the same rules must stop at the same λ.
				if len(path.Lambda) != len(g["lambda"]) {
					t.Fatalf("path length %d, glmnet %d", len(path.Lambda), len(g["lambda"]))
				}
				var worst float64
				for k := range path.Lambda {
					// λ: closed form, 1e-12 relative (glmnet reports
					// its first λ extrapolated from the next two).
					if d := math.Abs(path.Lambda[k]-g["lambda"][k]) / g["lambda"][k]; d > 1e-12 {
						t.Errorf("λ[%d] = %.17g, glmnet %.17g", k, path.Lambda[k], g["lambda"][k])
					}
					// Coefficients: 1e-6 of max(1, |value|) (iterative
					// solver; the intercepts of the p > n case reach 23).
					cmp := func(name string, got, want float64) {
						d := math.Abs(got-want) / max(1, math.Abs(want))
						worst = max(worst, d)
						if d > 1e-6 {
							t.Errorf("λ[%d] %s = %.12g, glmnet %.12g", k, name, got, want)
						}
					}
					cmp("a0", path.Intercept[k], g["a0"][k])
					for j, n := range in.names {
						cmp(n, path.Beta[k][j], g[n][k])
					}
				}
				t.Logf("%d λ, max |Δcoef| = %.3g", len(path.Lambda), worst)
			})
		}
	}
}

func TestLassoCVMatchesGlmnet(t *testing.T) {
	cases := []struct {
		tag, file string
		fam       Family
		m         Measure
	}{
		{"tall", "gaussian_cv", Gaussian, MeasureDefault},
		{"tall", "binomial_cv", Binomial, MeasureDefault},
		{"tall", "binomial_mse_cv", Binomial, MeasureMSE},
		{"wide", "gaussian_cv", Gaussian, MeasureDefault},
		{"wide", "binomial_cv", Binomial, MeasureDefault},
		{"wide", "binomial_mse_cv", Binomial, MeasureMSE},
	}
	for _, c := range cases {
		t.Run(c.tag+"_"+c.file, func(t *testing.T) {
			in := readLassoInput(t, c.tag)
			y := in.yg
			if c.fam == Binomial {
				y = in.yb
			}
			g := readGolden(t, fmt.Sprintf("lasso_%s_%s.csv", c.tag, c.file))
			ch := readGolden(t, fmt.Sprintf("lasso_%s_%s_choice.csv", c.tag, c.file))
			fit, err := LassoCV{Lasso: Lasso{Family: c.fam}, Folds: in.folds, Measure: c.m}.Fit(in.X, y, in.names)
			if err != nil {
				t.Fatal(err)
			}
			if len(fit.CVM) != len(g["cvm"]) {
				t.Fatalf("%d CV points, glmnet %d", len(fit.CVM), len(g["cvm"]))
			}
			var worst float64
			for k := range fit.CVM {
				for _, v := range [][3]float64{{fit.CVM[k], g["cvm"][k]}, {fit.CVSD[k], g["cvsd"][k]}} {
					d := math.Abs(v[0]-v[1]) / math.Abs(v[1])
					worst = max(worst, d)
					// 1e-6 relative: interpolated fold predictions of
					// iterative fits.
					if d > 1e-6 {
						t.Errorf("λ[%d]: got %.12g, glmnet %.12g", k, v[0], v[1])
					}
				}
				if fit.Path.NonZero[k] != int(g["nzero"][k]) {
					t.Errorf("λ[%d]: %d nonzero, glmnet %v", k, fit.Path.NonZero[k], g["nzero"][k])
				}
			}
			if fit.IndexMin+1 != int(ch["index_min"][0]) || fit.Index1SE+1 != int(ch["index_1se"][0]) {
				t.Errorf("λ.min index %d, λ.1se index %d; glmnet %v, %v", fit.IndexMin+1, fit.Index1SE+1, ch["index_min"][0], ch["index_1se"][0])
			}
			t.Logf("max rel Δ(cvm, cvsd) = %.3g; λ.min %g (#%d), λ.1se %g (#%d)", worst, fit.LambdaMin, fit.IndexMin+1, fit.Lambda1SE, fit.Index1SE+1)
		})
	}
}

// readLines returns the CSV at path with an id column prepended, so that
// table.Read can parse golden files that have none.
func readLines(path string) (io.Reader, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if i == 0 {
			sb.WriteString("id," + line + "\n")
		} else {
			fmt.Fprintf(&sb, "r%d,%s\n", i, line)
		}
	}
	return strings.NewReader(sb.String()), nil
}

// A constant column stays at 0 and leaves the other coefficients as they
// are without it (glmnet's behaviour), for both families.
func TestLassoConstantColumn(t *testing.T) {
	in := readLassoInput(t, "tall")
	withConst := make([][]float64, len(in.X))
	for i, r := range in.X {
		withConst[i] = append(append([]float64(nil), r...), 7)
	}
	for _, fam := range []Family{Gaussian, Binomial} {
		y := in.yg
		if fam == Binomial {
			y = in.yb
		}
		// Same λ path for both (the default ratio depends on p).
		base, err := Lasso{Family: fam}.Fit(in.X, y, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Lasso{Family: fam, Lambda: base.Lambda[1:]}.Fit(withConst, y, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k := range got.Lambda {
			if c := got.Beta[k][len(in.names)]; c != 0 {
				t.Fatalf("%v λ[%d]: constant column has coefficient %v", fam, k, c)
			}
			for j := range in.names {
				if d := math.Abs(got.Beta[k][j] - base.Beta[k+1][j]); d > 1e-9 {
					t.Fatalf("%v λ[%d] %s: %v with the constant column, %v without", fam, k, in.names[j], got.Beta[k][j], base.Beta[k+1][j])
				}
			}
		}
	}
}

// Nearly and perfectly separated classes drive the binomial path to
// glmnet's stopping rules and to large coefficients at small λ
// (make_lasso.R, "separable" with the default path, "separated" with a
// given path down to λ = 1e-8).
func TestLassoSeparableMatchesGlmnet(t *testing.T) {
	for _, tag := range []string{"separable", "separated"} {
		tb, err := table.ReadFile(filepath.Join(testdata, "lasso_"+tag+"_input.csv"), "y_binomial")
		if err != nil {
			t.Fatal(err)
		}
		yl, err := tb.Labels("y_binomial")
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, len(yl))
		for i, v := range yl {
			y[i] = float64(v)
		}
		g := readGolden(t, "lasso_"+tag+"_binomial_path.csv")
		l := Lasso{Family: Binomial}
		if tag == "separated" {
			l.Lambda = g["lambda"]
		}
		path, err := l.Fit(tb.X, y, tb.Names)
		if err != nil {
			t.Fatal(err)
		}
		if len(path.Lambda) != len(g["lambda"]) {
			t.Fatalf("%s: path length %d, glmnet %d", tag, len(path.Lambda), len(g["lambda"]))
		}
		var worst float64
		for k := range path.Lambda {
			for j, n := range append([]string{"a0"}, tb.Names...) {
				got := path.Intercept[k]
				if j > 0 {
					got = path.Beta[k][j-1]
				}
				// 1e-6 of max(1, |value|), as above.
				d := math.Abs(got-g[n][k]) / max(1, math.Abs(g[n][k]))
				worst = max(worst, d)
				if d > 1e-6 {
					t.Errorf("%s λ[%d] %s = %.12g, glmnet %.12g", tag, k, n, got, g[n][k])
				}
			}
		}
		t.Logf("%s: %d λ, max rel Δ %.3g", tag, len(path.Lambda), worst)
	}
}

// With as many patients as features glmnet's lambda.min.ratio is 1e-4
// (0.01 only when n < p): make_lasso.R, "square", 20 × 20.
func TestLassoSquareMatchesGlmnet(t *testing.T) {
	tb, err := table.ReadFile(filepath.Join(testdata, "lasso_square_input.csv"), "y_gaussian")
	if err != nil {
		t.Fatal(err)
	}
	ys, _ := tb.MetaColumn("y_gaussian")
	y := make([]float64, len(ys))
	for i, s := range ys {
		if y[i], err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatal(err)
		}
	}
	g := readGolden(t, "lasso_square_gaussian_path.csv")
	path, err := Lasso{}.Fit(tb.X, y, tb.Names)
	if err != nil {
		t.Fatal(err)
	}
	if len(path.Lambda) != len(g["lambda"]) {
		t.Fatalf("path length %d, glmnet %d", len(path.Lambda), len(g["lambda"]))
	}
	for k := range path.Lambda {
		// closed form: 1e-12 relative
		if d := math.Abs(path.Lambda[k]-g["lambda"][k]) / g["lambda"][k]; d > 1e-12 {
			t.Fatalf("λ[%d] = %.17g, glmnet %.17g", k, path.Lambda[k], g["lambda"][k])
		}
		for j, n := range tb.Names {
			if d := math.Abs(path.Beta[k][j]-g[n][k]) / max(1, math.Abs(g[n][k])); d > 1e-6 {
				t.Errorf("λ[%d] %s = %.12g, glmnet %.12g", k, n, path.Beta[k][j], g[n][k])
			}
		}
	}
}
