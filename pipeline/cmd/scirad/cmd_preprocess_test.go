package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volio"
)

func TestPreprocessCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 4, Seed: 3, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "images", "SCI001.nii.gz")
	mask := filepath.Join(dir, "masks", "SCI001.nii.gz")
	out := filepath.Join(dir, "prep")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"preprocess", "-image", img, "-mask", mask, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	m, err := volio.ReadLabelMap(filepath.Join(out, "mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Spacing != [3]float64{1, 1, 1} {
		t.Fatalf("mask spacing %v, want 1 mm", m.Spacing)
	}
	if labels, _ := m.Labels(); len(labels) != 2 {
		t.Fatalf("mask labels %v, want [1 2]", labels)
	}
	for _, name := range []string{"original", "mean", "box", "gaussian", "median"} {
		v, err := volio.ReadImage(filepath.Join(out, name+".nii.gz"))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.SameGrid(m.Grid, 1e-6); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if lo, hi := v.MinMax(); lo < 0 || hi > 1 {
			t.Fatalf("%s: intensities %g..%g outside [0,1]", name, lo, hi)
		}
	}

	// Inputs are never overwritten: an input named like an output in -out is refused.
	same := filepath.Join(dir, "same")
	os.MkdirAll(same, 0o755)
	data, _ := os.ReadFile(mask)
	os.WriteFile(filepath.Join(same, "mask.nii.gz"), data, 0o644)
	stderr.Reset()
	if code := Main([]string{"preprocess", "-image", img, "-mask", filepath.Join(same, "mask.nii.gz"), "-out", same}, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "refusing to write over an input") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}

	// A mask on another grid is a one-line error naming both grids.
	other := filepath.Join(dir, "masks", "SCI002.nii.gz")
	stderr.Reset()
	if code := Main([]string{"preprocess", "-image", img, "-mask", other, "-out", out}, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "grids differ") {
		t.Fatalf("grid mismatch: exit %d, stderr %q", code, stderr.String())
	}
}
