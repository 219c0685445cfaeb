package main

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

func TestHarmonizeCommand(t *testing.T) {
	dir := t.TempDir()
	fixture := "../../../testdata/harmonize"
	out := filepath.Join(dir, "h.csv")
	var stdout, stderr bytes.Buffer
	args := []string{"harmonize", "-in", filepath.Join(fixture, "input.csv"), "-batch", "center", "-covariates", "outcome,age", "-o", out}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := table.ReadFile(out, "age")
	if err != nil {
		t.Fatal(err)
	}
	// sva 3.46.0, ComBat(mod = model.matrix(~ outcome + age)); see
	// testdata/harmonize/make_fixtures.R.
	want, err := table.ReadFile(filepath.Join(fixture, "combat_param_cov.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.X {
		for j := range want.X[i] {
			if d := math.Abs(got.X[i][j] - want.X[i][j]); d > 1e-9*math.Max(1, math.Abs(want.X[i][j])) {
				t.Fatalf("row %d %s: %v, sva %v", i, want.Names[j], got.X[i][j], want.X[i][j])
			}
		}
	}
	// Learn on centres A and B only, apply to a table with C: an error naming C.
	all, _ := table.ReadFile(filepath.Join(fixture, "input.csv"), "age")
	centre, _ := all.MetaColumn("center")
	var ab []int
	for i, c := range centre {
		if c != "C" {
			ab = append(ab, i)
		}
	}
	train := filepath.Join(dir, "train.csv")
	if err := all.Subset(ab).WriteFile(train); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	args = []string{"harmonize", "-in", filepath.Join(fixture, "input.csv"), "-fit", train, "-o", filepath.Join(dir, "x.csv")}
	if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `centre "C" was not in the training data`) {
		t.Errorf("unseen centre: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	args = []string{"harmonize", "-in", filepath.Join(fixture, "input.csv"), "-batch", "site", "-o", filepath.Join(dir, "x.csv")}
	if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `no column "site"`) {
		t.Errorf("missing batch column: exit %d, %s", code, stderr.String())
	}
}
