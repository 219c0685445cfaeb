package run

import (
	"errors"
	"fmt"
	"slices"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/table"
)

// errNoBundle is WriteBundle's error when the Rad signature has no fitted
// model to export (no feature survived selection, say); the run goes on
// without a predictor.
var errNoBundle = errors.New("no predictor exported")

// WriteBundle writes the radiomics (Rad) signature's trained predictor to
// models/bundle_rad.json (package bundle) and returns its path: the
// extraction settings, the ComBat model of the selected features, the
// selection and the signature's reported model (Best: chosen by CV inside
// the training patients), with every patient's rad-score and probability. `scirad predict` and the browser demo load it.
func (r *Result) WriteBundle() (string, error) {
	if r.Config.MapStats {
		return "", fmt.Errorf("%w: with -map-stats the signature may use feature-map statistics, which scirad predict does not compute", errNoBundle)
	}
	i := slices.IndexFunc(r.Sigs, func(s *SignatureResult) bool { return s.Sig.Name == "Rad" })
	if i < 0 || r.combatRad == nil {
		return "", fmt.Errorf("run: no radiomics signature to bundle (run the select and models stages first)")
	}
	s := r.Sigs[i]
	if s.Best < 0 || s.Best >= len(s.Models) || s.Models[s.Best] == nil {
		return "", fmt.Errorf("run: the Rad signature has no fitted models (run the models stage first)")
	}
	m := s.Models[s.Best]
	if m.Model == nil {
		return "", fmt.Errorf("%w: the Rad signature's reported model: %s", errNoBundle, m.NotFitted)
	}
	b, err := bundle.New(s.Sig.Name, r.Config.cohortSettings(), r.combatRad, s.Sel, m.Name, m.Model)
	if err != nil {
		return "", err
	}
	b.Seed = r.Config.Seed
	b.Threshold = m.Train.Metrics.Threshold
	center := map[string]string{}
	for _, p := range r.Cohort.Patients {
		center[p.ID] = p.Center
	}
	for _, c := range []struct {
		split string
		ids   []string
		y     []int
		rad   []float64
		prob  []float64
	}{{"train", s.TrainIDs, s.TrainY, s.RadTrain, m.TrainScore}, {"test", s.TestIDs, s.TestY, s.RadTest, m.TestScore}} {
		for k, id := range c.ids {
			b.Cohort = append(b.Cohort, bundle.Score{ID: id, Center: center[id], Split: c.split, Label: c.y[k], RadScore: c.rad[k], Probability: c.prob[k]})
		}
	}
	path := r.path("models", "bundle_rad.json")
	if err := table.WriteFileAtomic(path, b.Write); err != nil {
		return "", err
	}
	return path, nil
}
