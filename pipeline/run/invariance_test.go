package run

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
)

// TestTestImagesInvariance: rotating the images (and masks) of the test
// patients among themselves changes what the run says about the test
// patients and nothing else: every training-side output (selection, ICC,
// the training rows of Tables 2-3 and of the harmonised features, every
// fitted model, the robustness table but its test columns) is
// byte-identical. A step fitted on all patients (ComBat, selection, a
// network) breaks it.
func TestTestImagesInvariance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline twice")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "cohort")
	if _, err := synth.Write(src, synth.Options{N: 30, Seed: 9, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	p := nullProfile()
	p.Repeats, p.Perms, p.Bootstraps = 1, 5, 5
	if deep := os.Getenv("SCIRAD_INVARIANCE_DEEP"); deep != "" {
		p.DeepArchs = []string{"resnet18"}
		p.DeepEpochs, p.DeepBatch, p.DeepSize = 1, 16, 32
	}
	a, err := Run(context.Background(), Config{Cohort: src, Out: filepath.Join(dir, "a"), Profile: p, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	rotated := filepath.Join(dir, "rotated")
	rotateTestImages(t, src, rotated, a)
	b, err := Run(context.Background(), Config{Cohort: rotated, Out: filepath.Join(dir, "b"), Profile: p, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Test, b.Test) {
		t.Fatalf("the split changed: %v, then %v", a.Test, b.Test)
	}
	same := func(name string, x, y []byte) {
		t.Helper()
		if !bytes.Equal(x, y) {
			t.Errorf("%s changed when only the test patients' images moved:\n%s\n---\n%s", name, x, y)
		}
	}
	for _, f := range []string{"tables/selection.csv", "tables/icc.csv"} {
		same(f, read(t, a, f), read(t, b, f))
	}
	models, _ := filepath.Glob(filepath.Join(a.Config.Out, "models", "*_*.json"))
	if len(models) == 0 {
		t.Fatal("no model written")
	}
	for _, m := range models {
		if strings.HasSuffix(m, "bundle_rad.json") {
			continue
		}
		f := filepath.Join("models", filepath.Base(m))
		same(f, read(t, a, f), read(t, b, f))
	}
	for _, f := range []string{"tables/table2.csv", "tables/table3.csv"} {
		same(f+" (training rows)", trainRows(read(t, a, f)), trainRows(read(t, b, f)))
	}
	same("robustness.csv (all but the test columns)", dropTestColumns(t, read(t, a, "tables/robustness.csv")), dropTestColumns(t, read(t, b, "tables/robustness.csv")))
	trainIDs := map[string]bool{}
	for _, i := range a.Train {
		trainIDs[a.Cohort.Patients[i].ID] = true
	}
	for _, f := range []string{"features_harmonized.csv", "radiomics.csv"} {
		same(f+" (training rows)", rowsOf(read(t, a, f), trainIDs), rowsOf(read(t, b, f), trainIDs))
	}
	// The rotation did reach the test patients.
	testIDs := map[string]bool{}
	for _, i := range a.Test {
		testIDs[a.Cohort.Patients[i].ID] = true
	}
	if bytes.Equal(rowsOf(read(t, a, "radiomics.csv"), testIDs), rowsOf(read(t, b, "radiomics.csv"), testIDs)) {
		t.Error("the test patients' radiomics did not change: the rotation reached nobody")
	}
}

func read(t *testing.T, r *Result, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Config.Out, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rotateTestImages writes to dst a copy of the cohort src whose manifest
// gives each test patient of r the next test patient's image and masks.
func rotateTestImages(t *testing.T, src, dst string, r *Result) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(src, "clinical.csv"), filepath.Join(dst, "clinical.csv")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(src, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]int{}
	for i, rec := range recs[1:] {
		row[rec[0]] = i + 1
		for j := 2; j < len(rec); j++ {
			rec[j] = filepath.Join(src, rec[j])
		}
	}
	var files [][]string
	for _, i := range r.Test {
		files = append(files, slices.Clone(recs[row[r.Cohort.Patients[i].ID]][2:]))
	}
	for k, i := range r.Test {
		copy(recs[row[r.Cohort.Patients[i].ID]][2:], files[(k+1)%len(files)])
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(recs)
	if err := os.WriteFile(filepath.Join(dst, "manifest.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trainRows keeps a Table 2/3 CSV's header and rows before the first Test row.
func trainRows(b []byte) []byte {
	if i := bytes.Index(b, []byte(",Test,")); i >= 0 {
		return b[:bytes.LastIndexByte(b[:i], '\n')+1]
	}
	return b
}

// dropTestColumns removes robustness.csv's test_* columns.
func dropTestColumns(t *testing.T, b []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, r := range recs {
		var keep []string
		for j, h := range recs[0] {
			if !strings.HasPrefix(h, "test_") {
				keep = append(keep, r[j])
			}
		}
		w.Write(keep)
	}
	w.Flush()
	return out.Bytes()
}

// rowsOf keeps a feature table's header and the rows whose id is in ids.
func rowsOf(b []byte, ids map[string]bool) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	out := lines[0]
	for _, l := range lines[1:] {
		if id, _, ok := strings.Cut(l, ","); ok && ids[id] {
			out += l
		}
	}
	return []byte(out)
}
