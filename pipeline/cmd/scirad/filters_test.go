package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/run"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/table"
)

// A bad -filters value is a usage error of one line naming -filters (exit
// 2, before any input is read); an unknown name first lists the registry's
// names, group by group. -h shows the flag and an example.
func TestFiltersFlagErrors(t *testing.T) {
	for _, cmd := range []string{"run", "extract", "deep", "preprocess"} {
		args := map[string][]string{
			"run":        {"-cohort", "nowhere", "-out", "nowhere-out"},
			"extract":    {"-manifest", "nowhere.csv", "-o", "out.csv"},
			"deep":       {"-manifest", "nowhere.csv", "-o", "out.csv"},
			"preprocess": {"-image", "a.nii", "-mask", "b.nii", "-out", "o"},
		}[cmd]
		for _, c := range []struct{ value, want string }{
			{"square,nope", `-filters: no filter "nope" (the registry's filters are listed above)`},
			{"square,square", `-filters: filter "square" listed twice`},
			{"lbp-3D-m1", "-filters: filter lbp-3D-m1: LBP3D filters one ROI label's voxels only"},
			{"square,,gradient", `-filters: "square,,gradient" has an empty name`},
			{"original,square", `-filters: filter "original": the original image always comes first`},
		} {
			var stdout, stderr bytes.Buffer
			code := Main(append([]string{cmd, "-filters", c.value}, args...), &stdout, &stderr)
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			last := lines[len(lines)-1]
			if code != 2 || !strings.HasPrefix(last, "scirad "+cmd+": ") || !strings.Contains(last, c.want) {
				t.Errorf("%s -filters %s: exit %d, last line %q; want exit 2 and %q", cmd, c.value, code, last, c.want)
			}
			unknown := strings.Contains(c.value, "nope")
			if unknown != (len(lines) == 5) || (unknown && !strings.Contains(lines[2], "pyradiomics: log-sigma-1-0-mm-3D,")) {
				t.Errorf("%s -filters %s: %d lines:\n%s", cmd, c.value, len(lines), stderr.String())
			}
		}
		var stdout, stderr bytes.Buffer
		if code := Main([]string{cmd, "-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-filters images") ||
			(cmd != "preprocess" && !strings.Contains(stderr.String(), "-filters "+filtersExample)) {
			t.Errorf("%s -h: exit %d, no -filters or no example:\n%s", cmd, code, stderr.String())
		}
	}
}

// scirad run hands -filters to the run (Config.Filters), nil without it.
func TestRunFiltersFlag(t *testing.T) {
	defer func(f func(context.Context, run.Config) (*run.Result, error)) { runPipeline = f }(runPipeline)
	var got run.Config
	runPipeline = func(_ context.Context, c run.Config) (*run.Result, error) {
		got = c
		return nil, errors.New("stopped by the test")
	}
	dir := t.TempDir()
	for _, c := range []struct {
		flags []string
		want  []string
	}{{nil, nil}, {[]string{"-filters", "log-sigma-3-0-mm-3D,wavelet-HHL"}, []string{"log-sigma-3-0-mm-3D", "wavelet-HHL"}}} {
		got = run.Config{Filters: []string{"unset"}}
		var stdout, stderr bytes.Buffer
		code := Main(append([]string{"run", "-cohort", dir, "-out", filepath.Join(dir, "out")}, c.flags...), &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "stopped by the test") || !slices.Equal(got.Filters, c.want) || (c.want == nil) != (got.Filters == nil) {
			t.Errorf("%v: exit %d, Config.Filters %q, want %q (%s)", c.flags, code, got.Filters, c.want, stderr.String())
		}
	}
}

// scirad extract -filters writes the original and the chosen images'
// columns.
func TestExtractFiltersCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 4, Seed: 3, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rad.csv")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"extract", "-manifest", filepath.Join(dir, "manifest.csv"), "-o", out, "-q", "-filters", "wavelet-HLL, gradient"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	tab, err := table.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var images []string
	for _, n := range tab.Names {
		if p := strings.SplitN(n, "_", 3); p[0] == "lesion" && !slices.Contains(images, p[1]) {
			images = append(images, p[1])
		}
	}
	if tab.Rows() != 4 || len(tab.Names) != 2*3*107 || !slices.Equal(images, []string{"original", "wavelet-HLL", "gradient"}) {
		t.Errorf("%d rows, %d columns, images %v", tab.Rows(), len(tab.Names), images)
	}
	// scirad preprocess -filters writes those images.
	prep := filepath.Join(dir, "prep")
	if code := Main([]string{"preprocess", "-image", filepath.Join(dir, "images", "SCI001.nii.gz"), "-mask", filepath.Join(dir, "masks", "SCI001.nii.gz"),
		"-out", prep, "-filters", "square"}, &stdout, &stderr); code != 0 {
		t.Fatalf("preprocess: exit %d: %s", code, stderr.String())
	}
	ents, err := os.ReadDir(prep)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range ents {
		files = append(files, e.Name())
	}
	if !slices.Equal(files, []string{"mask.nii.gz", "original.nii.gz", "square.nii.gz"}) {
		t.Errorf("preprocess -filters square wrote %v", files)
	}
}

// scirad predict with a bundle trained on other filters recomputes the
// training columns: its raw values of a training patient equal the run's
// radiomics.csv.
func TestPredictFiltersBundle(t *testing.T) {
	dir := t.TempDir()
	cohortDir := filepath.Join(dir, "cohort")
	if _, err := synth.Write(cohortDir, synth.Options{N: 30, Seed: 8, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	p := run.Quick()
	p.DeepArchs = nil
	p.Repeats, p.Perms, p.Bootstraps = 1, 2, 2
	runOut := filepath.Join(dir, "run")
	r, err := run.Run(context.Background(), run.Config{Cohort: cohortDir, Out: runOut, Profile: p, Seed: 3, Workers: 2,
		Filters: []string{"log-sigma-2-0-mm-3D", "square"}})
	if err != nil {
		t.Fatal(err)
	}
	rad, err := table.ReadFile(filepath.Join(runOut, "radiomics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := cohort.ReadManifest(filepath.Join(cohortDir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pt := rows[slices.IndexFunc(rows, func(e cohort.ManifestEntry) bool { return e.ID == r.Cohort.Patients[r.Train[0]].ID })]
	out := filepath.Join(dir, "pred.csv")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"predict", "-bundle", filepath.Join(runOut, "models", "bundle_rad.json"), "-image", pt.Image, "-mask", pt.Mask, "-center", pt.Center, "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	row := slices.Index(rad.IDs, pt.ID)
	filtered := 0
	for _, rec := range recs[1:] {
		name, ok := strings.CutPrefix(rec[0], "raw:")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(rec[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		if w := rad.X[row][rad.Col(name)]; v != w {
			t.Errorf("%s of patient %s: predict %v, run %v", name, pt.ID, v, w)
		}
		if !strings.Contains(name, "_original_") {
			filtered++
		}
	}
	if filtered == 0 {
		t.Errorf("the bundle selects no filtered column:\n%v", recs)
	}
	// A bundle whose filters are damaged is refused in one line naming
	// the field.
	data, err := os.ReadFile(filepath.Join(runOut, "models", "bundle_rad.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"square"`, `"nope"`, `bundle: settings Filters: gallery: no filter "nope" (known: mean,`},
		{`"square"`, `"log-sigma-2-0-mm-3D"`, `bundle: settings Filters: gallery: filter "log-sigma-2-0-mm-3D" listed twice`},
		{`"square"`, `"lbp-3D-k"`, `bundle: settings Filters: gallery: filter lbp-3D-k: LBP3D`},
	} {
		bad := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(bad, []byte(strings.Replace(string(data), c.from, c.to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		stderr.Reset()
		code := Main([]string{"predict", "-bundle", bad, "-image", pt.Image, "-mask", pt.Mask, "-center", pt.Center}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), c.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("bundle with %s: exit %d, %q; want %q", c.to, code, stderr.String(), c.want)
		}
	}
}
