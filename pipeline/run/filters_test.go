package run

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// A run with other filters (Config.Filters, scirad run -filters) extracts
// the original and those images into radiomics.csv, trains one network per
// image, names the images in run.json and the report's checklist, and
// saves a bundle that records the filters, so that its predictions
// recompute the training columns exactly.
func TestRunFilters(t *testing.T) {
	dir := t.TempDir()
	cohortDir := filepath.Join(dir, "cohort")
	if _, err := synth.Write(cohortDir, synth.Options{N: 30, Seed: 8, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	filters := []string{"log-sigma-2-0-mm-3D", "square"}
	images := []string{"original", "log-sigma-2-0-mm-3D", "square"}
	p := tiny()
	p.Repeats, p.Perms, p.Bootstraps = 1, 2, 2
	out := filepath.Join(dir, "run")
	var log bytes.Buffer
	r, err := Run(context.Background(), Config{Cohort: cohortDir, Out: out, Profile: p, Seed: 3, Workers: 2, Log: &log, Filters: filters})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	rad, err := table.ReadFile(filepath.Join(out, "radiomics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, roi := range []string{"lesion", "cord"} {
		for _, im := range images {
			want = append(want, roi+"_"+im+"_firstorder_10Percentile")
		}
	}
	var got []string
	for _, n := range rad.Names {
		if strings.HasSuffix(n, "_firstorder_10Percentile") {
			got = append(got, n)
		}
	}
	if len(rad.Names) != 2*3*107 || !slices.Equal(got, want) {
		t.Fatalf("radiomics.csv: %d columns, images %v; want %d, %v", len(rad.Names), got, 2*3*107, want)
	}
	d := r.Deep["resnet18"]
	if d == nil || !slices.Equal(d.Result.Images, images) || len(d.Result.Models) != 3 || len(d.Features.Names) != 3*p.DeepPCA || len(d.GradCAM) != 2 {
		t.Fatalf("deep stage: %+v", d)
	}
	for c, im := range images {
		if n := d.Features.Names[c*p.DeepPCA]; n != "resnet18_"+im+"_pc01" {
			t.Errorf("deep column %d is %s, want resnet18_%s_pc01", c*p.DeepPCA, n, im)
		}
	}
	var prov Provenance
	if b, err := os.ReadFile(filepath.Join(out, "run.json")); err != nil || json.Unmarshal(b, &prov) != nil || !slices.Equal(prov.Images, images) {
		t.Errorf("run.json images %v (%v), want %v", prov.Images, err, images)
	}
	rep, err := os.ReadFile(r.ReportPath())
	if err != nil || !strings.Contains(string(rep), "images original, log-sigma-2-0-mm-3D, square (") {
		t.Errorf("the report's checklist does not name the images (%v)", err)
	}
	// The feature maps of selected filtered columns are drawn on their image.
	if !strings.Contains(string(rep), "ROI on the log-sigma-2-0-mm-3D image") || strings.Contains(string(rep), "no maps (") {
		t.Errorf("the report has no feature map on the LoG image, or a patient without maps")
	}

	// The bundle records the filters; a prediction recomputes the run's
	// columns of a training patient exactly.
	f, err := os.Open(filepath.Join(out, "models", "bundle_rad.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Settings.Filters, filters) {
		t.Fatalf("bundle filters %v, want %v", b.Settings.Filters, filters)
	}
	pt := r.Cohort.Patients[r.Train[0]]
	img, err := volio.ReadImage(pt.Image)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(pt.Mask)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := b.Predict(img, mask, pt.Center)
	if err != nil {
		t.Fatal(err)
	}
	row := slices.Index(rad.IDs, pt.ID)
	for _, ft := range pred.Features {
		if w := rad.X[row][rad.Col(ft.Name)]; ft.Raw != w {
			t.Errorf("%s of patient %s: bundle %v, run %v", ft.Name, pt.ID, ft.Raw, w)
		}
	}
	// The check means something only if a filtered column is selected (it
	// is with this cohort and seed: LoG and square columns).
	if !slices.ContainsFunc(b.Features, func(n string) bool { return !strings.Contains(n, "_original_") }) {
		t.Errorf("the bundle selects original columns only (%v): no filtered column was recomputed", b.Features)
	}
}

// Bad filter lists stop a run before any stage, in one line.
func TestRunFiltersRefused(t *testing.T) {
	dir := t.TempDir()
	_, err := Run(context.Background(), Config{Cohort: dir, Out: filepath.Join(dir, "out"), Profile: tiny(), Filters: []string{"nope"}})
	if err == nil || !strings.Contains(err.Error(), `Filters: gallery: no filter "nope" (known: mean, box,`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v", err)
	}
}
