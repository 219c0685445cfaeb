//go:build !js

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volio"
)

// BenchmarkPredictToy is the native time of what the browser test times in
// Chromium: bundle.Predict on the first toy patient (SCI001 of
// `scirad synth -n 8 -seed 1 -size small`) with testdata's bundle.
// feature-ms is the extraction alone, pre-ms the preprocessing.
//
//	go test -run '^$' -bench PredictToy ./wasm
func BenchmarkPredictToy(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, toyOptions()); err != nil {
		b.Fatal(err)
	}
	rows, err := cohort.ReadManifest(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(testBundle)
	if err != nil {
		b.Fatal(err)
	}
	bd, err := bundle.Read(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	p := rows[0]
	img, err := volio.ReadImage(p.Image)
	if err != nil {
		b.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(p.Mask)
	if err != nil {
		b.Fatal(err)
	}
	var pre, feat float64
	for b.Loop() {
		r, err := bd.Predict(img, mask, p.Center)
		if err != nil {
			b.Fatal(err)
		}
		pre += r.PreprocessSeconds
		feat += r.FeatureSeconds
	}
	b.ReportMetric(1000*pre/float64(b.N), "pre-ms")
	b.ReportMetric(1000*feat/float64(b.N), "feature-ms")
}
