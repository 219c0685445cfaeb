package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/harmonize"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volume"
)

// FormatVersion is the Format field of the bundles this package writes and
// reads.
const FormatVersion = "scirad-bundle/1"

// Bundle is a trained predictor of one radiomics signature.
type Bundle struct {
	Format    string `json:"format"`
	Signature string `json:"signature"` // the paper's signature name, "Rad"
	Seed      uint64 `json:"seed"`      // the seed of the run that trained it

	// Settings are the extraction settings of the run.
	Settings radiomics.CohortSettings `json:"settings"`
	// Combat harmonises the selected features by centre (batch "center").
	Combat *harmonize.TableModel `json:"combat"`
	// Features are the selected features in the classifier's column order
	// (selection.Result.Selected), with their training z-score parameters.
	Features []string  `json:"features"`
	Mean     []float64 `json:"mean"`
	SD       []float64 `json:"sd"`
	// Weights are the rad-score's LASSO coefficients on the z-scored
	// features, in the order the rad-score sums them
	// (selection.Result.Weights), and Intercept its β₀.
	Weights   []selection.Weight `json:"weights"`
	Intercept float64            `json:"intercept"`
	// ModelName is the classifier's short name (lr, svm, rf, nb, mlp, gbdt)
	// and Model the fitted model; Threshold is its Youden cut-off on the
	// training patients (probability ≥ Threshold is called good).
	ModelName string         `json:"model_name"`
	Model     classify.Model `json:"-"`
	Threshold float64        `json:"threshold"`
	// Cohort is every patient of the run, training then test.
	Cohort []Score `json:"cohort"`
}

// Score is one patient of the training run.
type Score struct {
	ID          string  `json:"id"`
	Center      string  `json:"center"`
	Split       string  `json:"split"` // "train" or "test"
	Label       int     `json:"label"` // 1 = good prognosis
	RadScore    float64 `json:"rad_score"`
	Probability float64 `json:"probability"`
}

// New assembles a bundle from a run's fitted pieces: the extraction
// settings, the ComBat model of the radiomics table (all its columns; New
// keeps the selected ones), the signature's selection, and its chosen
// classifier, fitted on the selected z-scored features. Cohort and
// Threshold are left for the caller.
func New(signature string, cs radiomics.CohortSettings, combat *harmonize.TableModel, sel *selection.Result, modelName string, model classify.Model) (*Bundle, error) {
	if len(sel.Selected) == 0 {
		return nil, fmt.Errorf("bundle: signature %s selected no feature", signature)
	}
	sub, err := combat.Subset(sel.Selected)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b := &Bundle{
		Format: FormatVersion, Signature: signature, Settings: cs, Combat: sub,
		Features: slices.Clone(sel.Selected), Weights: slices.Clone(sel.Weights), Intercept: sel.Intercept,
		ModelName: modelName, Model: model,
	}
	for _, n := range sel.Selected {
		j := slices.Index(sel.ZNames, n)
		if j < 0 {
			return nil, fmt.Errorf("bundle: selected feature %q has no z-score parameters", n)
		}
		b.Mean = append(b.Mean, sel.ZScore.Mean[j])
		b.SD = append(b.SD, sel.ZScore.SD[j])
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// wire is the JSON layout: Bundle with the model's envelope.
type wire struct {
	*Bundle
	Model json.RawMessage `json:"model"`
}

// Write writes b as indented JSON.
func (b *Bundle) Write(w io.Writer) error {
	if err := b.validate(); err != nil {
		return err
	}
	m, err := classify.Marshal(b.Model)
	if err != nil {
		return fmt.Errorf("bundle: model: %w", err)
	}
	data, err := json.MarshalIndent(wire{b, m}, "", " ")
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Read reads a bundle written by Write and checks that its parts agree.
func Read(r io.Reader) (*Bundle, error) {
	var wb wire
	wb.Bundle = &Bundle{}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wb); err != nil {
		return nil, fmt.Errorf("bundle: not a scirad bundle: %v", err)
	}
	b := wb.Bundle
	if b.Format != FormatVersion {
		return nil, fmt.Errorf("bundle: format %q, want %q", b.Format, FormatVersion)
	}
	if len(wb.Model) == 0 {
		return nil, errors.New("bundle: no model")
	}
	m, err := classify.Unmarshal(wb.Model)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b.Model = m
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// validate checks that the parts of b fit together.
func (b *Bundle) validate() error {
	p := len(b.Features)
	switch {
	case p == 0:
		return errors.New("bundle: no selected feature")
	case len(b.Mean) != p || len(b.SD) != p:
		return fmt.Errorf("bundle: %d features but %d means and %d SDs", p, len(b.Mean), len(b.SD))
	case b.Combat == nil || b.Combat.Model == nil:
		return errors.New("bundle: no ComBat model")
	case !slices.Equal(b.Combat.Names, b.Features):
		return fmt.Errorf("bundle: the ComBat model's features %v are not the selected %v", b.Combat.Names, b.Features)
	case len(b.Combat.Covariates) > 0:
		return fmt.Errorf("bundle: the ComBat model uses covariates %v, which a single new patient does not have", b.Combat.Covariates)
	case b.Model == nil:
		return errors.New("bundle: no model")
	case b.Model.NumFeatures() != p:
		return fmt.Errorf("bundle: the %s model takes %d features, the selection has %d", b.ModelName, b.Model.NumFeatures(), p)
	}
	if err := checkCombat(b.Combat.Model, p); err != nil {
		return err
	}
	if err := b.Settings.Preprocess.Validate(); err != nil {
		return fmt.Errorf("bundle: settings: %w", err)
	}
	if err := b.Settings.Features.Validate(); err != nil {
		return fmt.Errorf("bundle: settings: %w", err)
	}
	if err := b.Settings.CheckFilters(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if !finite(b.Intercept) || !finite(b.Threshold) {
		return fmt.Errorf("bundle: intercept %v and threshold %v: want finite numbers", b.Intercept, b.Threshold)
	}
	cols := b.Settings.Columns()
	for j, n := range b.Features {
		if !slices.Contains(cols, n) {
			return fmt.Errorf("bundle: selected feature %q is not a column of the extraction settings", n)
		}
		if !(b.SD[j] > 0) || math.IsInf(b.SD[j], 0) || math.IsNaN(b.Mean[j]) || math.IsInf(b.Mean[j], 0) {
			return fmt.Errorf("bundle: feature %q: z-score mean %v, SD %v", n, b.Mean[j], b.SD[j])
		}
	}
	for _, w := range b.Weights {
		if !slices.Contains(b.Features, w.Name) {
			return fmt.Errorf("bundle: rad-score weight on %q, which is not selected", w.Name)
		}
		if !finite(w.Coef) {
			return fmt.Errorf("bundle: rad-score weight of %q is %v: want a finite number", w.Name, w.Coef)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// allFinite reports whether every value is finite.
func allFinite(xs ...[]float64) bool {
	for _, x := range xs {
		for _, v := range x {
			if !finite(v) {
				return false
			}
		}
	}
	return true
}

// checkCombat checks the shapes ComBat's Apply indexes, so that a damaged
// file is an error rather than a panic.
func checkCombat(m *harmonize.Model, p int) error {
	nb := len(m.Batches)
	bad := m.Features != p || len(m.GrandMean) != p || len(m.VarPooled) != p ||
		len(m.GammaStar) != nb || len(m.DeltaStar) != nb || nb == 0 || len(m.Beta) != m.Covariates
	for i := 0; !bad && i < nb; i++ {
		bad = len(m.GammaStar[i]) != p || len(m.DeltaStar[i]) != p
	}
	for _, j := range m.Unadjusted {
		bad = bad || j < 0 || j >= p
	}
	if bad || !slices.IsSorted(m.Batches) {
		return fmt.Errorf("bundle: the ComBat model's parameters do not have one entry per feature (%d) and centre", p)
	}
	ok := allFinite(m.GrandMean, m.VarPooled) && allFinite(m.GammaStar...) && allFinite(m.DeltaStar...) && allFinite(m.Beta...)
	for _, v := range m.VarPooled {
		ok = ok && v >= 0
	}
	for _, d := range m.DeltaStar {
		for _, v := range d {
			ok = ok && v >= 0
		}
	}
	if !ok {
		return errors.New("bundle: the ComBat model holds a non-finite or negative variance parameter")
	}
	return nil
}

// Centers returns the training centres, the ones Predict accepts.
func (b *Bundle) Centers() []string { return slices.Clone(b.Combat.Batches) }

// selection rebuilds the part of the run's selection.Result that scores a
// patient, so that Predict uses the selection package's own Transform and
// RadScore.
func (b *Bundle) selection() *selection.Result {
	return &selection.Result{
		Selected:  b.Features,
		Weights:   b.Weights,
		Intercept: b.Intercept,
		ZNames:    b.Features,
		ZScore:    &selection.ZScore{Mean: b.Mean, SD: b.SD},
	}
}

// Feature is one selected feature of one patient at each step.
type Feature struct {
	Name       string  `json:"name"`
	Raw        float64 `json:"raw"`        // as extracted
	Harmonized float64 `json:"harmonized"` // after ComBat
	Z          float64 `json:"z"`          // z-scored with the training parameters: the classifier's input
	Weight     float64 `json:"weight"`     // LASSO coefficient in the rad-score (0 if none)
}

// Prediction is Predict's result.
type Prediction struct {
	Probability float64   `json:"probability"` // P(good prognosis) by the classifier
	Good        bool      `json:"good"`        // Probability ≥ the bundle's threshold
	RadScore    float64   `json:"rad_score"`
	Features    []Feature `json:"features"` // the selected features, in Bundle.Features order
	// Timing, in seconds: preprocessing, feature extraction, and
	// harmonisation + model.
	PreprocessSeconds float64 `json:"preprocess_seconds"`
	FeatureSeconds    float64 `json:"feature_seconds"`
	ModelSeconds      float64 `json:"model_seconds"`
}

// Predict scores one patient: img and its label map mask (labels as in the
// data contract, on img's grid), acquired at centre center (one of
// Centers). See the package doc for the steps.
func (b *Bundle) Predict(img, mask *volume.Volume, center string) (*Prediction, error) {
	if !slices.Contains(b.Combat.Batches, center) {
		return nil, fmt.Errorf("bundle: centre %q was not in the training data (have %s)", center, strings.Join(b.Combat.Batches, ", "))
	}
	t0 := time.Now()
	pre, err := b.Settings.PreprocessImages(img, mask)
	if err != nil {
		return nil, err
	}
	t1 := time.Now()
	vals, err := radiomics.ExtractImages(pre, b.Settings)
	if err != nil {
		return nil, err
	}
	t2 := time.Now()
	raw := &table.Table{IDName: "patient_id", IDs: []string{"patient"}, MetaName: []string{b.Combat.Batch},
		Meta: [][]string{{center}}, Names: b.Settings.Columns(), X: [][]float64{vals}}
	h, err := b.Combat.ApplyTable(raw)
	if err != nil {
		return nil, err
	}
	sel := b.selection()
	z, err := sel.Transform(h)
	if err != nil {
		return nil, err
	}
	rs, err := sel.RadScore(h)
	if err != nil {
		return nil, err
	}
	p, err := b.Model.PredictProba(z.X)
	if err != nil {
		return nil, err
	}
	// Never a NaN or an infinity in the output: name the first feature
	// whose value, once harmonised, z-scored or weighted, is not finite.
	sum := b.Intercept
	for j, n := range b.Features {
		v := []float64{vals[raw.Col(n)], h.X[0][h.Col(n)], z.X[0][j]}
		what := []string{"extracted", "harmonised", "z-scored"}
		for k := range v {
			if !finite(v[k]) {
				return nil, fmt.Errorf("bundle: feature %q is %v once %s: the bundle's parameters do not fit this patient", n, v[k], what[k])
			}
		}
		for _, w := range b.Weights {
			if w.Name == n {
				if sum += w.Coef * z.X[0][j]; !finite(sum) {
					return nil, fmt.Errorf("bundle: the rad-score overflows at feature %q (z %g × weight %g)", n, z.X[0][j], w.Coef)
				}
			}
		}
	}
	if !finite(rs[0]) || !(p[0] >= 0 && p[0] <= 1) {
		return nil, fmt.Errorf("bundle: the %s model gives probability %v and rad-score %v: not finite", b.ModelName, p[0], rs[0])
	}
	out := &Prediction{
		Probability: p[0], Good: p[0] >= b.Threshold, RadScore: rs[0],
		PreprocessSeconds: t1.Sub(t0).Seconds(), FeatureSeconds: t2.Sub(t1).Seconds(), ModelSeconds: time.Since(t2).Seconds(),
	}
	for j, n := range b.Features {
		f := Feature{Name: n, Raw: vals[raw.Col(n)], Harmonized: h.X[0][h.Col(n)], Z: z.X[0][j]}
		for _, w := range b.Weights {
			if w.Name == n {
				f.Weight = w.Coef
			}
		}
		out.Features = append(out.Features, f)
	}
	return out, nil
}
