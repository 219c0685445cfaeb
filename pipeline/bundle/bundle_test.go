package bundle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/run"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// trained runs the whole pipeline (radiomics only, few resamples) on a
// small synthetic cohort and returns the run, its bundle and the cohort.
func trained(t *testing.T) (*run.Result, *bundle.Bundle, []byte) {
	t.Helper()
	dir := t.TempDir()
	cohortDir := filepath.Join(dir, "cohort")
	if _, err := synth.Write(cohortDir, synth.Options{N: 40, Seed: 8, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	p := run.Quick()
	p.DeepArchs = nil
	p.Repeats, p.Perms, p.Bootstraps = 2, 10, 10
	r, err := run.Run(context.Background(), run.Config{Cohort: cohortDir, Out: filepath.Join(dir, "run"), Profile: p, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	path, err := r.WriteBundle()
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "run", "models", "bundle_rad.json") {
		t.Errorf("bundle written to %s", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r, b, data
}

// close reports whether a and b agree to rel relative to their size.
func close(a, b, rel float64) bool {
	return a == b || math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// A patient scored through the bundle gets exactly what the run computed for
// them: the extracted and harmonised features (radiomics.csv,
// features_harmonized.csv), the rad-score and the best model's probability.
// The run and Predict call the same functions on the same machine, so the
// tolerance is only the CSV round trip's (none: FormatFloat is exact).
func TestPredictReproducesTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline")
	}
	r, b, data := trained(t)
	rad, err := table.ReadFile(filepath.Join(r.Config.Out, "radiomics.csv"), "center")
	if err != nil {
		t.Fatal(err)
	}
	harm, err := table.ReadFile(filepath.Join(r.Config.Out, "features_harmonized.csv"), "center", "outcome", "split")
	if err != nil {
		t.Fatal(err)
	}
	sig := r.Sigs[0]
	if sig.Sig.Name != "Rad" || b.Signature != "Rad" || !slices.Equal(b.Features, sig.Sel.Selected) {
		t.Fatalf("bundle signature %s features %v; run %s %v", b.Signature, b.Features, sig.Sig.Name, sig.Sel.Selected)
	}
	best := sig.Models[sig.Best]
	if b.ModelName != best.Name || b.Threshold != best.Train.Metrics.Threshold {
		t.Errorf("bundle model %s threshold %v; run best %s %v", b.ModelName, b.Threshold, best.Name, best.Train.Metrics.Threshold)
	}
	if len(b.Cohort) != len(r.Cohort.Patients) {
		t.Errorf("bundle cohort has %d patients, run %d", len(b.Cohort), len(r.Cohort.Patients))
	}
	byID := map[string]cohort.Patient{}
	for _, p := range r.Cohort.Patients {
		byID[p.ID] = p
	}
	cases := []struct {
		id         string
		rad, proba float64
	}{
		{sig.TrainIDs[0], sig.RadTrain[0], best.TrainScore[0]},
		{sig.TestIDs[0], sig.RadTest[0], best.TestScore[0]},
	}
	for _, c := range cases {
		p := byID[c.id]
		img, err := volio.ReadImage(p.Image)
		if err != nil {
			t.Fatal(err)
		}
		mask, err := volio.ReadLabelMap(p.Mask)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Predict(img, mask, p.Center)
		if err != nil {
			t.Fatal(err)
		}
		if got.RadScore != c.rad || got.Probability != c.proba {
			t.Errorf("%s: rad-score %v, probability %v; the run had %v, %v", c.id, got.RadScore, got.Probability, c.rad, c.proba)
		}
		row := slices.Index(rad.IDs, c.id)
		for _, f := range got.Features {
			if want := rad.X[row][rad.Col(f.Name)]; f.Raw != want {
				t.Errorf("%s %s: extracted %v, radiomics.csv %v", c.id, f.Name, f.Raw, want)
			}
			if want := harm.X[row][harm.Col(f.Name)]; f.Harmonized != want {
				t.Errorf("%s %s: harmonised %v, features_harmonized.csv %v", c.id, f.Name, f.Harmonized, want)
			}
		}
		if got.FeatureSeconds <= 0 {
			t.Errorf("%s: feature time %v", c.id, got.FeatureSeconds)
		}
	}

	// Write(Read(file)) is the file: nothing is lost or reformatted.
	var again bytes.Buffer
	if err := b.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), data) {
		t.Errorf("Write(Read(bundle)) differs from the bundle")
	}

	readErrors(t, data)

	// Bad input: an unknown centre, a mask on another grid, an empty mask.
	p := byID[cases[0].id]
	img, _ := volio.ReadImage(p.Image)
	mask, _ := volio.ReadLabelMap(p.Mask)
	if _, err := b.Predict(img, mask, "Z"); err == nil || !strings.Contains(err.Error(), `centre "Z"`) {
		t.Errorf("unknown centre: err = %v", err)
	}
	moved := &volume.Volume{Grid: mask.Grid, Data: mask.Data}
	moved.Origin[0] += 10
	if _, err := b.Predict(img, moved, p.Center); err == nil || !strings.Contains(err.Error(), "image and mask") {
		t.Errorf("mask on another grid: err = %v", err)
	}
	empty := &volume.Volume{Grid: mask.Grid, Data: make([]float64, len(mask.Data))}
	if _, err := b.Predict(img, empty, p.Center); err == nil || !strings.Contains(err.Error(), "mask") {
		t.Errorf("empty mask: err = %v", err)
	}
}

// readErrors checks that Read refuses damaged bundles with a message
// naming the problem, starting from a good one.
func readErrors(t *testing.T, good []byte) {
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("\x89PNG\r\n"), "not a scirad bundle"},
		{"other format", edit(func(m map[string]any) { m["format"] = "scirad-bundle/0" }), `format "scirad-bundle/0"`},
		{"unknown field", edit(func(m map[string]any) { m["extra"] = 1 }), `unknown field "extra"`},
		{"no model", edit(func(m map[string]any) { delete(m, "model") }), "no model"},
		{"feature dropped", edit(func(m map[string]any) { m["features"] = m["features"].([]any)[1:] }), "features"},
		{"short SD", edit(func(m map[string]any) { m["sd"] = m["sd"].([]any)[1:] }), "SDs"},
		{"zero SD", edit(func(m map[string]any) { m["sd"].([]any)[0] = 0.0 }), "SD 0"},
		{"ComBat centre missing", edit(func(m map[string]any) {
			m["combat"].(map[string]any)["GammaStar"] = m["combat"].(map[string]any)["GammaStar"].([]any)[1:]
		}), "ComBat"},
	} {
		_, err := bundle.Read(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
}
