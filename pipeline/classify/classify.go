package classify

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Estimator is a set of hyperparameters that can be fitted to data.
type Estimator interface {
	// Fit validates X (row-major, finite, rectangular) and y (0/1, both
	// classes present) and returns the fitted model.
	Fit(X [][]float64, y []int) (Model, error)
	// Name is the model's short name: lr, svm, rf, nb, mlp, gbdt.
	Name() string
}

// Model is a fitted, immutable classifier.
type Model interface {
	// PredictProba returns P(class 1 | x) for each row of X. It is an
	// error for a row to have the wrong number of features or a
	// non-finite value.
	PredictProba(X [][]float64) ([]float64, error)
	// NumFeatures is the number of features the model was fitted on.
	NumFeatures() int
	// Kind is the model's short name, the "model" field of its JSON.
	Kind() string
}

// Names lists the model names New accepts, in the paper's order.
var Names = []string{"lr", "svm", "rf", "nb", "mlp", "gbdt"}

// New returns the estimator with scikit-learn's default hyperparameters
// for name (one of Names), seeded with seed where the model is random.
func New(name string, seed uint64) (Estimator, error) {
	switch name {
	case "lr":
		return LogisticRegression{}, nil
	case "svm":
		return SVM{Seed: seed}, nil
	case "rf":
		return RandomForest{Seed: seed}, nil
	case "nb":
		return GaussianNB{}, nil
	case "mlp":
		return MLP{Seed: seed}, nil
	case "gbdt":
		return GBDT{}, nil
	}
	return nil, fmt.Errorf("classify: unknown model %q (want one of %s)", name, strings.Join(Names, ", "))
}

// checkXY validates a training set and returns its feature count.
func checkXY(X [][]float64, y []int) (int, error) {
	if len(X) != len(y) {
		return 0, fmt.Errorf("classify: %d rows but %d labels", len(X), len(y))
	}
	if len(X) == 0 {
		return 0, fmt.Errorf("classify: no training rows")
	}
	p, err := checkX(X, -1)
	if err != nil {
		return 0, err
	}
	var n1 int
	for i, v := range y {
		switch v {
		case 0:
		case 1:
			n1++
		default:
			return 0, fmt.Errorf("classify: label %d of row %d is not 0 or 1", v, i)
		}
	}
	if n1 == 0 || n1 == len(y) {
		return 0, fmt.Errorf("classify: the training labels hold a single class (%d rows, %d of class 1): need both 0 and 1", len(y), n1)
	}
	return p, nil
}

// checkX validates a design matrix: rectangular, finite, with p columns
// when p >= 0. It returns the column count.
func checkX(X [][]float64, p int) (int, error) {
	if len(X) == 0 {
		return p, nil
	}
	if p < 0 {
		p = len(X[0])
		if p == 0 {
			return 0, fmt.Errorf("classify: rows have no features")
		}
	}
	for i, row := range X {
		if len(row) != p {
			return 0, fmt.Errorf("classify: row %d has %d features, want %d", i, len(row), p)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("classify: row %d feature %d is %v: features must be finite", i, j, v)
			}
		}
	}
	return p, nil
}

// newRand returns the package's one kind of random source: PCG seeded by
// seed and a fixed stream constant.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5c1fad))
}

// sigmoid is the logistic function, written to avoid overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// envelope is the JSON shape of every fitted model.
type envelope struct {
	Model  string          `json:"model"`
	Params json.RawMessage `json:"params"`
}

// Marshal returns m's JSON envelope {"model": kind, "params": …}.
func Marshal(m Model) ([]byte, error) {
	p, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Model: m.Kind(), Params: p})
}

// Unmarshal reads a model written by Marshal.
func Unmarshal(data []byte) (Model, error) {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("classify: model JSON: %v", err)
	}
	var m Model
	switch e.Model {
	case "lr":
		m = &LogisticModel{}
	case "svm":
		m = &SVMModel{}
	case "rf":
		m = &ForestModel{}
	case "nb":
		m = &GaussianNBModel{}
	case "mlp":
		m = &MLPModel{}
	case "gbdt":
		m = &GBDTModel{}
	case "pipeline":
		m = &Pipeline{}
	default:
		return nil, fmt.Errorf("classify: model JSON: unknown model %q (want one of %s, pipeline)", e.Model, strings.Join(Names, ", "))
	}
	if err := json.Unmarshal(e.Params, m); err != nil {
		return nil, fmt.Errorf("classify: model JSON (%s): %v", e.Model, err)
	}
	if v, ok := m.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, fmt.Errorf("classify: model JSON (%s): %v", e.Model, err)
		}
	}
	return m, nil
}

// classCounts returns the number of 0s and 1s in y.
func classCounts(y []int) (n0, n1 int) {
	for _, v := range y {
		if v == 1 {
			n1++
		} else {
			n0++
		}
	}
	return n0, n1
}

// cloneX returns a deep copy of X.
func cloneX(X [][]float64) [][]float64 {
	out := make([][]float64, len(X))
	for i, r := range X {
		out[i] = slices.Clone(r)
	}
	return out
}

func nan() float64 { return math.NaN() }
