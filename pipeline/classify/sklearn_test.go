package classify

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// breastCancer loads testdata/classify/breast_cancer.csv (the Wisconsin
// diagnostic data shipped in scikit-learn 1.2.1, with its fixed stratified
// 70/30 split) and returns the z-scored training and test sets, scaled on
// the training rows as make_reference.py does.
func breastCancer(t testing.TB) (Xtr [][]float64, ytr []int, Xte [][]float64, yte []int, ids []string) {
	t.Helper()
	tab, err := table.ReadFile("../../testdata/classify/breast_cancer.csv")
	if err != nil {
		t.Fatal(err)
	}
	y, err := tab.Labels("target")
	if err != nil {
		t.Fatal(err)
	}
	split, err := tab.MetaColumn("split")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range split {
		if s == "train" {
			Xtr = append(Xtr, tab.X[i])
			ytr = append(ytr, y[i])
		} else {
			Xte = append(Xte, tab.X[i])
			yte = append(yte, y[i])
			ids = append(ids, tab.IDs[i])
		}
	}
	sc, err := Standardize(Xtr)
	if err != nil {
		t.Fatal(err)
	}
	Xtr, _ = sc.Apply(Xtr)
	Xte, _ = sc.Apply(Xte)
	return Xtr, ytr, Xte, yte, ids
}

// readRef reads a small CSV of reference values into a header-keyed map of
// columns.
func readRef(t testing.TB, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for _, r := range recs[1:] {
		for c, h := range recs[0] {
			cols[h] = append(cols[h], r[c])
		}
	}
	return cols
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSklearnProba compares test-set probabilities of LR, GaussianNB and
// the gradient-boosted trees with scikit-learn 1.2.1's on the breast-cancer
// split. Reference values: testdata/classify/sklearn_proba.csv, made by
// `/usr/bin/python3 testdata/classify/make_reference.py`
// (LogisticRegression(C=1, solver="newton-cholesky", tol=1e-12),
// GaussianNB(), HistGradientBoostingClassifier()). Tolerance 1e-6 absolute
// on probabilities (LR iterative; the trees see float32 gradients).
func TestSklearnProba(t *testing.T) {
	Xtr, ytr, Xte, _, ids := breastCancer(t)
	ref := readRef(t, "../../testdata/classify/sklearn_proba.csv")
	for k, id := range ids {
		if ref["id"][k] != id {
			t.Fatalf("row %d: id %s, reference %s", k, id, ref["id"][k])
		}
	}
	for _, tc := range []struct {
		name string
		est  Estimator
	}{{"lr", LogisticRegression{}}, {"nb", GaussianNB{}}, {"gbdt", GBDT{}}} {
		m, err := tc.est.Fit(Xtr, ytr)
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.PredictProba(Xte)
		if err != nil {
			t.Fatal(err)
		}
		var worst float64
		for k := range p {
			worst = math.Max(worst, math.Abs(p[k]-atof(t, ref[tc.name][k])))
		}
		if worst > 1e-6 {
			t.Errorf("%s: largest probability difference from sklearn %.3g > 1e-6", tc.name, worst)
		}
		t.Logf("%s: largest probability difference from sklearn %.3g", tc.name, worst)
	}
}

// TestSklearnAUC checks each model's test AUC against its scikit-learn
// 1.2.1 counterpart (testdata/classify/sklearn_auc.csv, made by
// make_reference.py: LogisticRegression, SVC(probability=True),
// RandomForestClassifier, GaussianNB, MLPClassifier and
// HistGradientBoostingClassifier, defaults, random_state=0), within 0.02.
func TestSklearnAUC(t *testing.T) {
	Xtr, ytr, Xte, yte, _ := breastCancer(t)
	ref := readRef(t, "../../testdata/classify/sklearn_auc.csv")
	for k, name := range ref["model"] {
		want := atof(t, ref["auc"][k])
		est, err := New(name, 1)
		if err != nil {
			t.Fatal(err)
		}
		m, err := est.Fit(Xtr, ytr)
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.PredictProba(Xte)
		if err != nil {
			t.Fatal(err)
		}
		got := AUC(p, yte)
		if math.Abs(got-want) > 0.02 {
			t.Errorf("%s: test AUC %.4f, sklearn %.4f: differ by more than 0.02", name, got, want)
		}
		t.Logf("%s: test AUC %.4f, sklearn %.4f", name, got, want)
	}
}

// TestSklearnSVMDecision compares the SVM's decision function, solved to a
// gap of 1e-8 without shrinking, with scikit-learn 1.2.1's
// SVC(tol=1e-8, shrinking=False).decision_function (libsvm 3.x inside;
// testdata/classify/sklearn_proba.csv, column svm_decision). Tolerance
// 1e-5 absolute: libsvm caches the kernel in float32.
func TestSklearnSVMDecision(t *testing.T) {
	Xtr, ytr, Xte, _, _ := breastCancer(t)
	ref := readRef(t, "../../testdata/classify/sklearn_proba.csv")
	m, err := SVM{Tol: 1e-8}.Fit(Xtr, ytr)
	if err != nil {
		t.Fatal(err)
	}
	d, err := m.(*SVMModel).Decision(Xte)
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for k := range d {
		worst = math.Max(worst, math.Abs(d[k]-atof(t, ref["svm_decision"][k])))
	}
	if worst > 1e-5 {
		t.Errorf("largest decision-value difference from libsvm %.3g > 1e-5", worst)
	}
	t.Logf("largest decision-value difference from libsvm %.3g", worst)
}

// TestSklearnMLPTrajectory starts the MLP from scikit-learn 1.2.1's own
// Glorot draw (MLPClassifier(random_state=0)) and runs ten full-batch,
// unshuffled Adam epochs on the z-scored breast-cancer training rows, as
// make_reference.py does with warm_start; the test-set probabilities must
// agree within 1e-9 (testdata/classify/sklearn_mlp.json). This checks the
// forward pass, the back-propagated gradients, the L2 term and Adam.
func TestSklearnMLPTrajectory(t *testing.T) {
	Xtr, ytr, Xte, _, _ := breastCancer(t)
	data, err := os.ReadFile("../../testdata/classify/sklearn_mlp.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		W1    [][]float64 `json:"w1"` // features × hidden
		B1    []float64   `json:"b1"`
		W2    []float64   `json:"w2"`
		B2    float64     `json:"b2"`
		Proba []float64   `json:"proba"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	H, p := len(ref.B1), len(ref.W1)
	start := &MLPModel{W1: make([][]float64, H), B1: ref.B1, W2: ref.W2, B2: ref.B2}
	for h := range start.W1 {
		start.W1[h] = make([]float64, p)
		for j := 0; j < p; j++ {
			start.W1[h][j] = ref.W1[j][h]
		}
	}
	m, err := MLP{Start: start, NoShuffle: true, BatchSize: len(ytr), MaxIter: 10}.Fit(Xtr, ytr)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.PredictProba(Xte)
	var worst float64
	for k := range got {
		worst = math.Max(worst, math.Abs(got[k]-ref.Proba[k]))
	}
	if worst > 1e-9 {
		t.Errorf("largest probability difference from sklearn after 10 epochs %.3g > 1e-9", worst)
	}
	t.Logf("largest probability difference from sklearn after 10 epochs %.3g", worst)
}

// TestSklearnCART checks one forest tree grown without bootstrap on all
// features to depth 3 against scikit-learn 1.2.1's
// DecisionTreeClassifier(max_depth=3) (testdata/classify/sklearn_cart.json):
// the same sorted leaf probabilities and the same sorted impurity
// importances, to 1e-12. (Sorted, because equal-gain splits on different
// features are broken by sklearn's random feature order.)
func TestSklearnCART(t *testing.T) {
	Xtr, ytr, _, _, _ := breastCancer(t)
	data, err := os.ReadFile("../../testdata/classify/sklearn_cart.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Leaves, Importance []float64 }
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	p := len(Xtr[0])
	w := make([]float64, len(ytr))
	rows := make([]int, len(ytr))
	for i := range w {
		w[i], rows[i] = 1, i
	}
	g := &treeGrower{X: Xtr, y: ytr, w: w, mf: p, maxDepth: 3, msl: 1, r: newRand(1), imp: make([]float64, p)}
	g.grow(rows, 0)
	var leaves []float64
	for k, f := range g.t.Feature {
		if f < 0 {
			leaves = append(leaves, g.t.Value[k])
		}
	}
	slices.Sort(leaves)
	if len(leaves) != len(ref.Leaves) {
		t.Fatalf("%d leaves, sklearn %d", len(leaves), len(ref.Leaves))
	}
	for k := range leaves {
		if math.Abs(leaves[k]-ref.Leaves[k]) > 1e-12 {
			t.Errorf("leaf %d: P = %v, sklearn %v", k, leaves[k], ref.Leaves[k])
		}
	}
	var tot float64
	for _, v := range g.imp {
		tot += v
	}
	imp := make([]float64, p)
	for j := range imp {
		imp[j] = g.imp[j] / tot
	}
	slices.Sort(imp)
	for j := range imp {
		if math.Abs(imp[j]-ref.Importance[j]) > 1e-12 {
			t.Errorf("sorted importance %d = %v, sklearn %v", j, imp[j], ref.Importance[j])
		}
	}
}

// TestPlattSigmoid fits Platt's sigmoid to the libsvm decision values of
// the breast-cancer test rows (sklearn_proba.csv) and compares A and B
// with scipy 1.10's BFGS solution of the same problem
// (testdata/classify/platt.csv, by make_reference.py), 1e-6 relative.
func TestPlattSigmoid(t *testing.T) {
	_, _, _, yte, _ := breastCancer(t)
	ref := readRef(t, "../../testdata/classify/sklearn_proba.csv")
	dec := make([]float64, len(yte))
	for k := range dec {
		dec[k] = atof(t, ref["svm_decision"][k])
	}
	A, B := plattSigmoid(dec, yte)
	want := readRef(t, "../../testdata/classify/platt.csv")
	wa, wb := atof(t, want["A"][0]), atof(t, want["B"][0])
	if math.Abs(A-wa) > 1e-6*math.Abs(wa) || math.Abs(B-wb) > 1e-6*math.Max(1, math.Abs(wb)) {
		t.Errorf("A, B = %v, %v; scipy %v, %v", A, B, wa, wb)
	}
}
