package harmonize

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// The golden files in testdata/harmonize were written by
// testdata/harmonize/make_fixtures.R with R 4.2.2 and sva 3.46.0
// (Debian bookworm r-bioc-sva): `Rscript make_fixtures.R`.
const fixtures = "../../testdata/harmonize"

type fixture struct {
	X      [][]float64
	batch  []string
	covars [][]float64 // outcome, age
	names  []string
}

func readFixture(t *testing.T, name string) fixture {
	t.Helper()
	tb, err := table.ReadFile(filepath.Join(fixtures, name), "age")
	if err != nil {
		t.Fatal(err)
	}
	batch, err := tb.MetaColumn("center")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := tb.MetaColumn("outcome")
	age, _ := tb.MetaColumn("age")
	f := fixture{X: tb.X, batch: batch, names: tb.Names}
	for i := range out {
		o, err1 := strconv.ParseFloat(out[i], 64)
		a, err2 := strconv.ParseFloat(age[i], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %d: bad covariates %q %q", i, out[i], age[i])
		}
		// sva's model.matrix(~ outcome + age) has an intercept column;
		// pass it too, to check that Fit drops it as sva does.
		f.covars = append(f.covars, []float64{1, o, a})
	}
	return f
}

func readExpected(t *testing.T, name string) [][]float64 {
	t.Helper()
	tb, err := table.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return tb.X
}

// sd is the sample standard deviation of column j.
func sd(X [][]float64, j int) float64 {
	var m float64
	for _, r := range X {
		m += r[j]
	}
	m /= float64(len(X))
	var v float64
	for _, r := range X {
		v += (r[j] - m) * (r[j] - m)
	}
	return math.Sqrt(v / float64(len(X)-1))
}

func TestComBatMatchesSva(t *testing.T) {
	cases := []struct {
		golden string
		input  string
		cov    bool
		o      Options
	}{
		{"combat_param.csv", "input.csv", false, Options{}},
		{"combat_param_cov.csv", "input.csv", true, Options{}},
		{"combat_nonparam.csv", "input.csv", false, Options{NonParametric: true}},
		{"combat_nonparam_cov.csv", "input.csv", true, Options{NonParametric: true}},
		{"combat_meanonly.csv", "input.csv", false, Options{MeanOnly: true}},
		{"combat_meanonly_nonparam_cov.csv", "input.csv", true, Options{MeanOnly: true, NonParametric: true}},
		{"combat_constant_cov.csv", "input_constant.csv", true, Options{}},
		{"combat_single_meanonly_cov.csv", "input_single.csv", true, Options{MeanOnly: true}},
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(c.golden, ".csv"), func(t *testing.T) {
			f := readFixture(t, c.input)
			want := readExpected(t, c.golden)
			var cov [][]float64
			if c.cov {
				cov = f.covars
			}
			got, m, err := FitApply(f.X, f.batch, cov, c.o)
			if err != nil {
				t.Fatal(err)
			}
			// Tolerance: 1e-9 of each feature's SD (the acceptance bound
			// is 1e-5). sva's convergence rule is copied, so both stop
			// after the same iteration; seen: ≤ 5e-14.
			var worst float64
			for j := range f.names {
				s := sd(f.X, j)
				for i := range got {
					d := math.Abs(got[i][j]-want[i][j]) / s
					worst = max(worst, d)
					if d > 1e-9 {
						t.Errorf("%s row %d: got %.17g, sva %.17g (|Δ|/SD = %.3g)", f.names[j], i+1, got[i][j], want[i][j], d)
					}
				}
			}
			t.Logf("max |Δ|/SD = %.3g, iterations %v, unadjusted %v", worst, m.Iterations, m.Unadjusted)
			if c.input == "input_constant.csv" {
				if len(m.Unadjusted) != 1 || m.Unadjusted[0] != 4 {
					t.Errorf("Unadjusted = %v, want [4] (f05)", m.Unadjusted)
				}
			}
		})
	}
}

// TestLearnApply checks that a model fitted on some patients adjusts new
// ones of the same centres exactly as it adjusts its own: Apply is a
// row-wise map.
func TestLearnApply(t *testing.T) {
	f := readFixture(t, "input.csv")
	var trX, teX, trC, teC [][]float64
	var trB, teB []string
	for i := range f.X {
		if i%4 == 3 {
			teX, teB, teC = append(teX, f.X[i]), append(teB, f.batch[i]), append(teC, f.covars[i])
		} else {
			trX, trB, trC = append(trX, f.X[i]), append(trB, f.batch[i]), append(trC, f.covars[i])
		}
	}
	m, err := Fit(trX, trB, trC, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := m.Apply(f.X, f.batch, f.covars)
	if err != nil {
		t.Fatal(err)
	}
	test, err := m.Apply(teX, teB, teC)
	if err != nil {
		t.Fatal(err)
	}
	k := 0
	for i := range f.X {
		if i%4 != 3 {
			continue
		}
		for j := range test[k] {
			if test[k][j] != all[i][j] {
				t.Fatalf("row %d col %d: %v alone, %v in batch", i, j, test[k][j], all[i][j])
			}
		}
		k++
	}
	// The training fit must differ from a fit on everyone (no leak).
	full, err := Fit(f.X, f.batch, f.covars, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if full.GammaStar[0][0] == m.GammaStar[0][0] {
		t.Error("fit on a subset equals the fit on everyone")
	}
	if _, err := m.Apply(teX[:1], []string{"Z"}, teC[:1]); err == nil || !strings.Contains(err.Error(), `centre "Z"`) {
		t.Errorf("unseen centre: err = %v", err)
	}
	if _, err := m.Apply(teX, teB, nil); err == nil {
		t.Error("Apply without the fitted covariates: no error")
	}
}

func TestBadInput(t *testing.T) {
	f := readFixture(t, "input.csv")
	clone := func() [][]float64 {
		X := make([][]float64, len(f.X))
		for i := range f.X {
			X[i] = append([]float64(nil), f.X[i]...)
		}
		return X
	}
	o := Options{Names: f.names, CovariateNames: []string{"(Intercept)", "outcome", "age"}}

	X := clone()
	X[3][2] = math.NaN()
	if _, err := Fit(X, f.batch, nil, o); err == nil || !strings.Contains(err.Error(), `"f03"`) || !strings.Contains(err.Error(), "row 4") {
		t.Errorf("NaN: err = %v", err)
	}

	X = clone()
	for i := range X {
		X[i][6] = 2.5
	}
	if _, err := Fit(X, f.batch, nil, Options{Names: f.names, RejectConstant: true}); err == nil || !strings.Contains(err.Error(), `"f07"`) || !strings.Contains(err.Error(), "constant within centre") {
		t.Errorf("constant column, RejectConstant: err = %v", err)
	}
	m, err := Fit(X, f.batch, nil, o)
	if err != nil {
		t.Fatalf("constant column, default: %v", err)
	}
	if len(m.Unadjusted) != 1 || m.Unadjusted[0] != 6 {
		t.Errorf("constant column: Unadjusted = %v, want [6]", m.Unadjusted)
	}

	b := append([]string(nil), f.batch...)
	b[0] = "solo"
	if _, err := Fit(f.X, b, nil, o); err == nil || !strings.Contains(err.Error(), `centre "solo" has one patient`) {
		t.Errorf("one-patient centre: err = %v", err)
	}
	if _, err := Fit(f.X, b, nil, Options{MeanOnly: true}); err != nil {
		t.Errorf("one-patient centre, mean-only: %v", err)
	}

	one := make([]string, len(f.batch))
	for i := range one {
		one[i] = "A"
	}
	if _, err := Fit(f.X, one, nil, o); err == nil || !strings.Contains(err.Error(), "only one centre") {
		t.Errorf("one centre: err = %v", err)
	}

	// A covariate equal to a centre indicator is confounded.
	cov := make([][]float64, len(f.X))
	for i := range cov {
		v := 0.0
		if f.batch[i] == "B" {
			v = 1
		}
		cov[i] = []float64{v}
	}
	if _, err := Fit(f.X, f.batch, cov, Options{CovariateNames: []string{"site_b"}}); err == nil || !strings.Contains(err.Error(), "site_b") || !strings.Contains(err.Error(), "confounded") {
		t.Errorf("confounded covariate: err = %v", err)
	}
}

func BenchmarkComBat82x1230(b *testing.B) {
	X, batch, cov := synthetic(82, 1230, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := FitApply(X, batch, cov, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComBatNonParametric82x1230(b *testing.B) {
	X, batch, cov := synthetic(82, 1230, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := FitApply(X, batch, cov, Options{NonParametric: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// synthetic returns n patients in three centres with p features and one
// covariate, from a fixed linear congruential sequence (no global rand).
func synthetic(n, p int, seed uint64) ([][]float64, []string, [][]float64) {
	state := seed
	u := func() float64 {
		state = state*6364136223846793005 + 1442695040888963407
		return float64(state>>11) / (1 << 53)
	}
	centres := []string{"A", "B", "C"}
	X := make([][]float64, n)
	batch := make([]string, n)
	cov := make([][]float64, n)
	for i := range X {
		k := i % 3
		batch[i] = centres[k]
		cov[i] = []float64{float64(i % 2)}
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = float64(j%7) + float64(k)*0.5 + (1+0.3*float64(k))*(u()+u()+u()-1.5) + 0.4*cov[i][0]
		}
	}
	return X, batch, cov
}
