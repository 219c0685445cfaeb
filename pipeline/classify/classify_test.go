package classify

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// synthetic returns an n × p standard-normal design whose first three
// features shift with the class, about the shape of the paper's 57 × 11
// training tables.
func synthetic(n, p int, seed uint64) ([][]float64, []int) {
	r := newRand(seed)
	X := make([][]float64, n)
	y := make([]int, n)
	for i := range X {
		y[i] = i % 5 % 2 // 60 % class 0
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = r.NormFloat64()
			if j < 3 {
				X[i][j] += 0.9 * float64(y[i])
			}
		}
	}
	return X, y
}

func allModels(seed uint64) []Estimator {
	var out []Estimator
	for _, n := range Names {
		e, _ := New(n, seed)
		out = append(out, e)
	}
	return append(out, SVM{Kernel: "linear", Seed: seed}, MLP{EarlyStopping: true, Seed: seed})
}

// TestJSONRoundTrip: every model, marshalled and read back, predicts the
// same probabilities bit for bit.
func TestJSONRoundTrip(t *testing.T) {
	X, y := synthetic(57, 11, 1)
	Xt, _ := synthetic(25, 11, 2)
	for _, est := range allModels(3) {
		m, err := Standardized{Model: est}.Fit(X, y)
		if err != nil {
			t.Fatalf("%s: %v", est.Name(), err)
		}
		data, err := Marshal(m)
		if err != nil {
			t.Fatalf("%s: %v", est.Name(), err)
		}
		back, err := Unmarshal(data)
		if err != nil {
			t.Fatalf("%s: %v", est.Name(), err)
		}
		p1, _ := m.PredictProba(Xt)
		p2, err := back.PredictProba(Xt)
		if err != nil {
			t.Fatalf("%s: %v", est.Name(), err)
		}
		if !slices.Equal(p1, p2) {
			t.Errorf("%s: predictions differ after a JSON round trip", est.Name())
		}
		inner, _ := Marshal(m.(*Pipeline).Model)
		if !bytes.HasPrefix(inner, []byte(`{"model":"`+est.Name()+`"`)) {
			t.Errorf("%s: envelope starts %.30s", est.Name(), inner)
		}
	}
}

// TestDeterministic: the same seed gives the same probabilities; a
// different seed changes the random models.
func TestDeterministic(t *testing.T) {
	X, y := synthetic(57, 11, 1)
	for _, name := range Names {
		a, _ := New(name, 7)
		b, _ := New(name, 7)
		ma, err := a.Fit(X, y)
		if err != nil {
			t.Fatal(err)
		}
		mb, _ := b.Fit(X, y)
		pa, _ := ma.PredictProba(X)
		pb, _ := mb.PredictProba(X)
		if !slices.Equal(pa, pb) {
			t.Errorf("%s: same seed, different predictions", name)
		}
		for _, p := range pa {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%s: probability %v outside [0, 1]", name, p)
			}
		}
	}
}

// TestBadInput: data problems are errors that say what is wrong.
func TestBadInput(t *testing.T) {
	X, y := synthetic(40, 4, 1)
	one := make([]int, len(y))
	nanX := cloneX(X)
	nanX[3][2] = math.NaN()
	for _, est := range allModels(1) {
		if _, err := est.Fit(X, one); err == nil || !strings.Contains(err.Error(), "single class") {
			t.Errorf("%s: one class: err = %v", est.Name(), err)
		}
		if _, err := est.Fit(nanX, y); err == nil || !strings.Contains(err.Error(), "finite") {
			t.Errorf("%s: NaN: err = %v", est.Name(), err)
		}
		if _, err := est.Fit(X, y[:10]); err == nil {
			t.Errorf("%s: label count mismatch accepted", est.Name())
		}
		m, err := est.Fit(X, y)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.PredictProba([][]float64{{1, 2, 3}}); err == nil || !strings.Contains(err.Error(), "has 3 features, want 4") {
			t.Errorf("%s: feature-count mismatch: err = %v", est.Name(), err)
		}
		if _, err := m.PredictProba([][]float64{{1, 2, math.Inf(1), 4}}); err == nil {
			t.Errorf("%s: Inf accepted at predict time", est.Name())
		}
	}
	if _, err := New("xgboost", 1); err == nil || !strings.Contains(err.Error(), `unknown model "xgboost"`) {
		t.Errorf("unknown model: err = %v", err)
	}
	if _, err := Unmarshal([]byte(`{"model":"knn","params":{}}`)); err == nil {
		t.Error("unknown model in JSON accepted")
	}
	if _, err := Unmarshal([]byte(`{"model":"rf","params":{"trees":[{"feature":[0],"threshold":[0],"left":[0],"right":[0],"value":[0]}],"n_features":1}}`)); err == nil {
		t.Error("a tree whose node points at itself was accepted")
	}
}

// TestPipelineTable: column names are checked at predict time, and the
// columns are taken by name, not position.
func TestPipelineTable(t *testing.T) {
	X, y := synthetic(30, 3, 1)
	tab := &table.Table{IDName: "id", Names: []string{"a", "b", "c"}, MetaName: []string{"target"}}
	lab := make([]string, len(y))
	for i := range X {
		tab.IDs = append(tab.IDs, string(rune('A'+i)))
		lab[i] = string(rune('0' + y[i]))
	}
	tab.X = X
	tab.Meta = [][]string{lab}
	p, err := FitTable(LogisticRegression{}, tab, "target")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := p.PredictTable(tab)
	swapped, _ := tab.SelectColumns([]string{"c", "a", "b"})
	got, err := p.PredictTable(swapped)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Error("reordered columns give different predictions")
	}
	renamed, _ := tab.SelectColumns([]string{"a", "b"})
	if _, err := p.PredictTable(renamed); err == nil || !strings.Contains(err.Error(), "c") {
		t.Errorf("missing column: err = %v", err)
	}
	data, _ := json.Marshal(p)
	if !strings.Contains(string(data), `"features":["a","b","c"]`) {
		t.Errorf("pipeline JSON lacks the feature names: %.80s", data)
	}
}

// TestStratifiedSplit: the paper's 82 patients (49 good, 33 bad) split
// 57/25 with the class ratio kept, the same way for the same seed.
func TestStratifiedSplit(t *testing.T) {
	y := make([]int, 82)
	for i := 0; i < 49; i++ {
		y[i] = 1
	}
	tr, te, err := StratifiedSplit(y, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 57 || len(te) != 25 {
		t.Fatalf("sizes %d/%d, want 57/25", len(tr), len(te))
	}
	var te1 int
	for _, i := range te {
		te1 += y[i]
	}
	if te1 != 15 {
		t.Errorf("test set has %d good of 25, want 15", te1)
	}
	tr2, _, _ := StratifiedSplit(y, 0.3, 1)
	if !slices.Equal(tr, tr2) {
		t.Error("same seed, different split")
	}
	folds, err := StratifiedKFold(y, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for _, f := range folds {
		all = append(all, f...)
		if len(f) < 16 || len(f) > 17 {
			t.Errorf("fold size %d, want 16 or 17", len(f))
		}
	}
	slices.Sort(all)
	for i, v := range all {
		if v != i {
			t.Fatal("folds are not a partition")
		}
	}
	if _, _, err := StratifiedSplit(make([]int, 10), 0.3, 1); err == nil {
		t.Error("one-class split accepted")
	}
}

// TestAUC: the Mann–Whitney AUC with ties counted ½ (values by hand:
// pairs (1,0): 0.9>0.1, 0.9>0.5, 0.5=0.5 → ½, 0.5>0.1 → (1+1+½+1)/4).
func TestAUC(t *testing.T) {
	got := AUC([]float64{0.9, 0.5, 0.5, 0.1}, []int{1, 1, 0, 0})
	if math.Abs(got-0.875) > 1e-15 {
		t.Errorf("AUC = %v, want 0.875", got)
	}
}

// TestGridSearch: the search keeps the best-scoring point and refits it;
// on informative data its CV AUC beats chance.
func TestGridSearch(t *testing.T) {
	X, y := synthetic(57, 11, 1)
	for _, name := range Names {
		pts, err := Grid(name, 1)
		if err != nil {
			t.Fatal(err)
		}
		r, err := GridSearchCV{Points: pts, Seed: 1}.Search(X, y)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if slices.Max(r.Scores) != r.Scores[r.Best] || r.Scores[r.Best] < 0.6 {
			t.Errorf("%s: best %d score %.3f of %v", name, r.Best, r.Scores[r.Best], r.Scores)
		}
	}
	if _, err := Grid("knn", 1); err == nil {
		t.Error("unknown grid accepted")
	}
}

// TestForestImportance: the informative features (0–2) get the largest
// impurity and permutation importances, and the OOB accuracy beats chance.
func TestForestImportance(t *testing.T) {
	X, y := synthetic(120, 6, 4)
	m, err := RandomForest{Seed: 1}.Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	f := m.(*ForestModel)
	var s float64
	for _, v := range f.Importance {
		s += v
	}
	if math.Abs(s-1) > 1e-12 {
		t.Errorf("importances sum to %v", s)
	}
	if f.OOBScore < 0.6 {
		t.Errorf("OOB accuracy %.3f", f.OOBScore)
	}
	pm, _, err := PermutationImportance(m, X, y, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range [][]float64{f.Importance, pm} {
		if min(imp[0], imp[1], imp[2]) <= max(imp[3], imp[4], imp[5]) {
			t.Errorf("informative features not ranked first: %.3f", imp)
		}
	}
}

// TestForestWorkers: the forest is the same whatever the parallelism.
func TestForestWorkers(t *testing.T) {
	X, y := synthetic(57, 11, 1)
	a, err := RandomForest{Seed: 3, Workers: 1}.Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RandomForest{Seed: 3, Workers: 4}.Fit(X, y)
	ja, _ := Marshal(a)
	jb, _ := Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("1 and 4 workers grow different forests")
	}
}
