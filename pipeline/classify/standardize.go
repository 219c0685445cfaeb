package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/table"
)

// Scaler is a fitted z-score transform, scikit-learn's StandardScaler:
//
//	z_j = (x_j − μ_j) / s_j
//
// with μ_j the training mean and s_j the training population standard
// deviation (ddof 0); a constant feature gets s_j = 1, as in scikit-learn,
// so it maps to 0 rather than dividing by zero.
type Scaler struct {
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
}

// Standardize fits a Scaler on X.
func Standardize(X [][]float64) (*Scaler, error) {
	p, err := checkX(X, -1)
	if err != nil {
		return nil, err
	}
	if len(X) == 0 {
		return nil, errors.New("classify: standardize: no rows")
	}
	s := &Scaler{Mean: make([]float64, p), Scale: make([]float64, p)}
	for j := 0; j < p; j++ {
		s.Mean[j] = mean(X, nil, j)
		sd := math.Sqrt(variance(X, nil, j))
		if sd == 0 {
			sd = 1
		}
		s.Scale[j] = sd
	}
	return s, nil
}

// Apply returns the z-scored copy of X.
func (s *Scaler) Apply(X [][]float64) ([][]float64, error) {
	if _, err := checkX(X, len(s.Mean)); err != nil {
		return nil, err
	}
	out := make([][]float64, len(X))
	for i, x := range X {
		r := make([]float64, len(x))
		for j, v := range x {
			r[j] = (v - s.Mean[j]) / s.Scale[j]
		}
		out[i] = r
	}
	return out, nil
}

// Standardized is an Estimator that z-scores the training features (a
// Scaler fitted on the training rows only) before fitting Model; its
// fitted model is a Pipeline that applies the same transform at predict
// time. Resampling code (cross-validation, bootstrap) should wrap models in
// it, so that the scaling is learnt inside each training fold.
type Standardized struct {
	Model Estimator
}

// Name returns the wrapped model's name.
func (s Standardized) Name() string { return s.Model.Name() }

// Fit fits the scaler, then the model on the scaled rows.
func (s Standardized) Fit(X [][]float64, y []int) (Model, error) {
	if _, err := checkXY(X, y); err != nil {
		return nil, err
	}
	sc, err := Standardize(X)
	if err != nil {
		return nil, err
	}
	Z, err := sc.Apply(X)
	if err != nil {
		return nil, err
	}
	m, err := s.Model.Fit(Z, y)
	if err != nil {
		return nil, err
	}
	return &Pipeline{Scaler: sc, Model: m}, nil
}

// Pipeline is a fitted model behind a Scaler, with the names of the
// features it was fitted on (nil when fitted on plain slices). It
// marshals as {"model":"pipeline","params":{"features":…,"scaler":…,"inner":{…}}}.
type Pipeline struct {
	Features []string
	Scaler   *Scaler
	Model    Model
}

// FitTable fits est, behind z-scoring, on the feature columns of t with
// labels from column label.
func FitTable(est Estimator, t *table.Table, label string) (*Pipeline, error) {
	names, X, y, err := tableXY(t, label)
	if err != nil {
		return nil, err
	}
	m, err := Standardized{Model: est}.Fit(X, y)
	if err != nil {
		return nil, err
	}
	p := m.(*Pipeline)
	p.Features = names
	return p, nil
}

// SearchTable is FitTable for a grid search that also returns the
// search's scores. The z-scoring is fitted once on the whole training
// table, before the folds (it uses no labels).
func SearchTable(gs GridSearchCV, t *table.Table, label string) (*Pipeline, *SearchResult, error) {
	names, X, y, err := tableXY(t, label)
	if err != nil {
		return nil, nil, err
	}
	if _, err := checkXY(X, y); err != nil {
		return nil, nil, err
	}
	sc, err := Standardize(X)
	if err != nil {
		return nil, nil, err
	}
	Z, err := sc.Apply(X)
	if err != nil {
		return nil, nil, err
	}
	r, err := gs.Search(Z, y)
	if err != nil {
		return nil, nil, err
	}
	return &Pipeline{Features: names, Scaler: sc, Model: r.Model}, r, nil
}

// tableXY returns t's feature names, rows and labels, leaving the label
// column out of the features when it was read as one.
func tableXY(t *table.Table, label string) ([]string, [][]float64, []int, error) {
	y, err := t.Labels(label)
	if err != nil {
		return nil, nil, nil, err
	}
	X := t.X
	names := slices.Clone(t.Names)
	if j := t.Col(label); j >= 0 {
		names = slices.Delete(names, j, j+1)
		sub, _ := t.SelectColumns(names)
		X = sub.X
	}
	if len(names) == 0 {
		return nil, nil, nil, errors.New("classify: the table has no feature columns")
	}
	return names, X, y, nil
}

// PredictTable returns P(class 1) for each row of t, taking the columns by
// the names the pipeline was fitted on. It is an error for a name to be
// missing from t.
func (p *Pipeline) PredictTable(t *table.Table) ([]float64, error) {
	if p.Features == nil {
		return nil, errors.New("classify: pipeline has no feature names; use PredictProba")
	}
	var missing []string
	for _, n := range p.Features {
		if t.Col(n) < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("classify: the table lacks %d feature column(s) the model was fitted on: %s", len(missing), strings.Join(missing, ", "))
	}
	sub, err := t.SelectColumns(p.Features)
	if err != nil {
		return nil, err
	}
	return p.PredictProba(sub.X)
}

// PredictProba scales X and predicts with the inner model.
func (p *Pipeline) PredictProba(X [][]float64) ([]float64, error) {
	Z, err := p.Scaler.Apply(X)
	if err != nil {
		return nil, err
	}
	return p.Model.PredictProba(Z)
}

// NumFeatures is the number of input features.
func (p *Pipeline) NumFeatures() int { return len(p.Scaler.Mean) }

// Kind returns "pipeline".
func (p *Pipeline) Kind() string { return "pipeline" }

type pipelineJSON struct {
	Features []string        `json:"features,omitempty"`
	Scaler   *Scaler         `json:"scaler"`
	Inner    json.RawMessage `json:"inner"`
}

// MarshalJSON writes the features, the scaler and the inner model's
// envelope.
func (p *Pipeline) MarshalJSON() ([]byte, error) {
	inner, err := Marshal(p.Model)
	if err != nil {
		return nil, err
	}
	return json.Marshal(pipelineJSON{Features: p.Features, Scaler: p.Scaler, Inner: inner})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Pipeline) UnmarshalJSON(data []byte) error {
	var j pipelineJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Scaler == nil || len(j.Scaler.Mean) != len(j.Scaler.Scale) || len(j.Scaler.Mean) == 0 {
		return errors.New("pipeline: missing or inconsistent scaler")
	}
	m, err := Unmarshal(j.Inner)
	if err != nil {
		return err
	}
	if m.NumFeatures() != len(j.Scaler.Mean) {
		return fmt.Errorf("pipeline: scaler has %d features, model %d", len(j.Scaler.Mean), m.NumFeatures())
	}
	if j.Features != nil && len(j.Features) != len(j.Scaler.Mean) {
		return fmt.Errorf("pipeline: %d feature names for %d features", len(j.Features), len(j.Scaler.Mean))
	}
	*p = Pipeline{Features: j.Features, Scaler: j.Scaler, Model: m}
	return nil
}
