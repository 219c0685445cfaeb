package cohort_test

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

var (
	toyOnce sync.Once
	toyDir  string
	toyErr  error
)

// toy writes a 12-patient small synthetic cohort once per test binary.
func toy(t *testing.T) string {
	t.Helper()
	toyOnce.Do(func() {
		dir, err := os.MkdirTemp("", "scirad-cohort-toy")
		if err != nil {
			toyErr = err
			return
		}
		toyDir = dir
		_, toyErr = synth.Write(dir, synth.Options{N: 12, Seed: 1, Size: synth.Small, Workers: 2})
	})
	if toyErr != nil {
		t.Fatal(toyErr)
	}
	return toyDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if toyDir != "" {
		os.RemoveAll(toyDir)
	}
	os.Exit(code)
}

// copyToy copies the toy cohort's CSVs into a fresh folder whose manifest
// points at the toy's images by absolute path, so a test can edit them.
func copyToy(t *testing.T) string {
	src := toy(t)
	dst := t.TempDir()
	clin, err := os.ReadFile(filepath.Join(src, "clinical.csv"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dst, "clinical.csv"), string(clin))
	rows := readRows(t, filepath.Join(src, "manifest.csv"))
	for _, r := range rows[1:] {
		for c := 2; c < len(r); c++ {
			r[c] = filepath.Join(src, r[c])
		}
	}
	writeRows(t, filepath.Join(dst, "manifest.csv"), rows)
	return dst
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func writeRows(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func col(rows [][]string, name string) int {
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	return -1
}

func TestLoadToy(t *testing.T) {
	c, err := cohort.Load(toy(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Patients) != 12 {
		t.Fatalf("%d patients, want 12", len(c.Patients))
	}
	// round(12·49/82) = 7 good.
	if c.Outcome.Good != 7 || c.Outcome.Poor != 5 {
		t.Errorf("classes %d good / %d poor, want 7 / 5", c.Outcome.Good, c.Outcome.Poor)
	}
	for _, p := range c.Patients {
		for _, f := range []string{p.Image, p.Mask, p.Mask2} {
			if !filepath.IsAbs(f) {
				t.Errorf("%s: path %q is not absolute", p.ID, f)
			}
		}
	}
	if got := c.Labels(); len(got) != 12 {
		t.Errorf("Labels has %d entries", len(got))
	}
	m := c.Manifest()
	if len(m) != 12 || m[3].ID != c.Patients[3].ID || m[3].Mask2 != c.Patients[3].Mask2 || m[3].Mask2 == "" {
		t.Errorf("Manifest()[3] = %+v", m[3])
	}
	if ids, cs := c.IDs(), c.Centers(); ids[5] != c.Patients[5].ID || cs[5] != c.Patients[5].Center {
		t.Errorf("IDs/Centers disagree with Patients")
	}
}

func TestDeriveOutcome(t *testing.T) {
	// δ = 10−20, 10−12, 10−10, 10−6 = −10, −2, 0, 4: mean −2, so only −10
	// is below it (−2 equals the threshold: poor).
	ps := []cohort.Patient{{ID: "a", UEMSAdmission: 10, UEMS1y: 20}, {ID: "b", UEMSAdmission: 10, UEMS1y: 12},
		{ID: "c", UEMSAdmission: 10, UEMS1y: 10}, {ID: "d", UEMSAdmission: 10, UEMS1y: 6}}
	o, err := cohort.DeriveOutcome(ps)
	if err != nil {
		t.Fatal(err)
	}
	if o.Threshold != -2 || o.Good != 1 || o.Labels[0] != 1 || o.Labels[1] != 0 {
		t.Errorf("got threshold %g labels %v", o.Threshold, o.Labels)
	}
	for i := range ps {
		ps[i].UEMS1y = 10
	}
	if _, err := cohort.DeriveOutcome(ps); !errors.Is(err, cohort.ErrOneClass) {
		t.Errorf("constant δ: err %v, want ErrOneClass", err)
	}
}

// TestBadInput edits the toy cohort's files and checks that each problem is
// reported with the offending patients.
func TestBadInput(t *testing.T) {
	type edit func(t *testing.T, dir string)
	setCell := func(file, column string, row int, val string) edit {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, file)
			rows := readRows(t, p)
			rows[row][col(rows, column)] = val
			writeRows(t, p, rows)
		}
	}
	dropColumn := func(file, column string) edit {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, file)
			rows := readRows(t, p)
			c := col(rows, column)
			for i := range rows {
				rows[i] = append(rows[i][:c:c], rows[i][c+1:]...)
			}
			writeRows(t, p, rows)
		}
	}
	dropRow := func(file string, row int) edit {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, file)
			rows := readRows(t, p)
			writeRows(t, p, append(rows[:row:row], rows[row+1:]...))
		}
	}
	for _, tc := range []struct {
		name string
		edit edit
		want []string
	}{
		{"missing column", dropColumn("clinical.csv", "uems_1y"), []string{"clinical.csv", "missing column(s) uems_1y"}},
		{"missing manifest column", dropColumn("manifest.csv", "mask"), []string{"manifest.csv", "missing column(s) mask"}},
		{"unknown sex", setCell("clinical.csv", "sex", 3, "X"), []string{"column sex: unknown category", `SCI003 ("X")`}},
		{"unknown grade", setCell("clinical.csv", "asia_1y", 5, "F"), []string{"column asia_1y", `SCI005 ("F")`}},
		{"non-numeric", setCell("clinical.csv", "age", 2, "forty"), []string{"column age: not a finite number", `SCI002 ("forty")`}},
		{"NaN", setCell("clinical.csv", "uems_admission", 4, "NaN"), []string{"column uems_admission: not a finite number", "SCI004"}},
		{"UEMS out of range", setCell("clinical.csv", "uems_1y", 6, "51"), []string{"column uems_1y: outside [0, 50]", "SCI006 (51)"}},
		{"duplicate id", setCell("clinical.csv", "patient_id", 2, "SCI001"), []string{"duplicate patient_id: SCI001"}},
		{"duplicate manifest id", setCell("manifest.csv", "patient_id", 9, "SCI004"), []string{"manifest.csv", "duplicate patient_id: SCI004"}},
		{"clinical without images", dropRow("manifest.csv", 7), []string{"without a manifest.csv row (no images): SCI007"}},
		{"images without clinical", dropRow("clinical.csv", 11), []string{"manifest.csv without a clinical.csv row: SCI011"}},
		{"both directions", func(t *testing.T, dir string) {
			setCell("clinical.csv", "patient_id", 1, "X1")(t, dir)
			setCell("manifest.csv", "patient_id", 2, "Y2")(t, dir)
		}, []string{"(no images): SCI002, X1", "without a clinical.csv row: SCI001, Y2"}},
		{"centre mismatch", setCell("manifest.csv", "center", 1, "Z"), []string{"centre differs", "SCI001"}},
		{"missing image file", setCell("manifest.csv", "image", 8, "nowhere.nii.gz"), []string{"column image: file not found", "SCI008 (nowhere.nii.gz)"}},
		{"mask on another grid", func(t *testing.T, dir string) {
			rows := readRows(t, filepath.Join(dir, "manifest.csv"))
			rows[2][col(rows, "mask")] = rows[1][col(rows, "mask")] // patient 1's mask for patient 2
			rows[3][col(rows, "mask_rater2")] = rows[1][col(rows, "mask")]
			writeRows(t, filepath.Join(dir, "manifest.csv"), rows)
		}, []string{"mask not on the image grid: SCI002", "mask_rater2 not on the image grid: SCI003"}},
		{"mask lacks label 1", func(t *testing.T, dir string) {
			rows := readRows(t, filepath.Join(dir, "manifest.csv"))
			m, err := nifti.ReadFile(rows[5][col(rows, "mask")])
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range m.Data {
				if x == 1 {
					m.Data[i] = 2
				}
			}
			m.Data[0] = 7
			p := filepath.Join(dir, "bad.nii.gz")
			if err := nifti.WriteFile(p, m, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
				t.Fatal(err)
			}
			rows[5][col(rows, "mask")] = "bad.nii.gz"
			writeRows(t, filepath.Join(dir, "manifest.csv"), rows)
		}, []string{"mask: unknown label value(s) 7 (expected 0, 1, 2) and no voxel with label 1 (injured cord): SCI005"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyToy(t)
			tc.edit(t, dir)
			_, err := cohort.Load(dir)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestListsEveryOffender checks that one error names all bad patients.
func TestListsEveryOffender(t *testing.T) {
	dir := copyToy(t)
	p := filepath.Join(dir, "clinical.csv")
	rows := readRows(t, p)
	for _, r := range []int{2, 5, 9} {
		rows[r][col(rows, "cause")] = "meteor"
	}
	writeRows(t, p, rows)
	_, err := cohort.LoadOptions(dir, &cohort.Options{SkipImages: true})
	if err == nil || !strings.Contains(err.Error(), `SCI002 ("meteor"), SCI005 ("meteor"), SCI009 ("meteor")`) {
		t.Errorf("error %v", err)
	}
}

// readScipy reads testdata/cohort/table1_scipy.csv: name → (statistic, df, p).
func readScipy(t *testing.T) map[string][3]float64 {
	rows := readRows(t, filepath.Join("..", "..", "testdata", "cohort", "table1_scipy.csv"))
	out := map[string][3]float64{}
	for _, r := range rows[1:] {
		var v [3]float64
		for i := range v {
			x, err := strconv.ParseFloat(r[i+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			v[i] = x
		}
		out[r[0]] = v
	}
	return out
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(b), 1e-300)
}

// n30 reads the committed 30-patient fixture (testdata/cohort/README.md)
// and derives its outcome.
func n30(t *testing.T) ([]cohort.Patient, cohort.Outcome) {
	t.Helper()
	ps, err := cohort.ReadClinical(filepath.Join("..", "..", "testdata", "cohort", "clinical_n30.csv"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := cohort.DeriveOutcome(ps)
	if err != nil {
		t.Fatal(err)
	}
	return ps, o
}

// TestTable1Scipy compares Table 1's statistics on the committed fixture
// with scipy's (testdata/cohort/table1_scipy.py: scipy 1.10.1,
// ttest_ind and chi2_contingency(correction=False)), to 1e-8 relative.
func TestTable1Scipy(t *testing.T) {
	ref := readScipy(t)
	ps, o := n30(t)
	th := ref["n30_threshold"]
	if o.Threshold != th[0] || float64(o.Good) != th[1] || float64(o.Poor) != th[2] {
		t.Errorf("outcome: threshold %g, %d good, %d poor; scipy script %v", o.Threshold, o.Good, o.Poor, th)
	}
	tab, err := cohort.BuildTable1(ps, o.Labels, o.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	byLabel := map[string]cohort.Row{}
	for _, r := range tab.Rows {
		if !r.Level {
			byLabel[r.Label] = r
		}
	}
	for key, label := range map[string]string{
		"n30_age":             "Age, mean (SD), y",
		"n30_days_to_surgery": "Time from injury to surgery, mean (SD), day",
		"n30_uems_admission":  "ASIA motor score-upper extremities at admission, mean (SD)",
		"n30_uems_1y":         "ASIA motor score-upper extremities at one years, mean (SD)",
		"n30_sex":             "Sex",
		"n30_cause":           "Cause of injury",
		"n30_asia_admission":  "ASIA grade at admission",
		"n30_asia_1y":         "ASIA grade at 1 years",
	} {
		r, ok := byLabel[label]
		if !ok || !r.HasP {
			t.Errorf("%s: no p-value (%s)", label, r.Note)
			continue
		}
		if !near(r.P, ref[key][2], 1e-8) {
			t.Errorf("%s: p = %.17g, scipy %.17g", key, r.P, ref[key][2])
		}
	}
}

// TestTestsScipy checks the two tests on the paper's own counts and on the
// fixture's columns, statistic and p, against scipy.
func TestTestsScipy(t *testing.T) {
	ref := readScipy(t)
	for name, table := range map[string][][]float64{
		"paper_sex":            {{34, 29}, {15, 4}},
		"paper_cause":          {{20, 15}, {11, 6}, {5, 3}, {13, 9}},
		"paper_asia_admission": {{8, 5}, {6, 9}, {16, 7}, {15, 10}, {4, 2}},
		"paper_asia_1y":        {{4, 3}, {4, 3}, {5, 7}, {29, 18}, {7, 2}},
	} {
		res, err := cohort.ChiSquare(table)
		if err != nil {
			t.Fatal(err)
		}
		want := ref[name]
		if !near(res.Chi2, want[0], 1e-10) || float64(res.DF) != want[1] || !near(res.P, want[2], 1e-8) {
			t.Errorf("%s: χ² %.17g df %d p %.17g; scipy %v", name, res.Chi2, res.DF, res.P, want)
		}
	}
	ps, o := n30(t)
	var good, poor []float64
	for i, p := range ps {
		if o.Labels[i] == 1 {
			good = append(good, p.Age)
		} else {
			poor = append(poor, p.Age)
		}
	}
	res, err := cohort.TTest(good, poor)
	if err != nil {
		t.Fatal(err)
	}
	want := ref["n30_age"]
	if !near(res.T, want[0], 1e-10) || res.DF != want[1] || !near(res.P, want[2], 1e-8) {
		t.Errorf("age t-test: t %.17g df %g p %.17g; scipy %v", res.T, res.DF, res.P, want)
	}
}

func TestTestsSpecialCases(t *testing.T) {
	if _, err := cohort.TTest([]float64{1}, nil); err == nil {
		t.Error("empty group: no error")
	}
	if _, err := cohort.TTest([]float64{2, 2}, []float64{2, 2}); err == nil {
		t.Error("constant equal groups: no error")
	}
	if r, err := cohort.TTest([]float64{1, 1}, []float64{2, 2}); err != nil || !math.IsInf(r.T, -1) || r.P != 0 {
		t.Errorf("constant different groups: %+v, %v", r, err)
	}
	// A category nobody has is dropped: same as the table without it.
	a, err := cohort.ChiSquare([][]float64{{34, 29}, {0, 0}, {15, 4}})
	b, _ := cohort.ChiSquare([][]float64{{34, 29}, {15, 4}})
	if err != nil || a != b {
		t.Errorf("empty row: %+v vs %+v (%v)", a, b, err)
	}
	if _, err := cohort.ChiSquare([][]float64{{3, 4}, {0, 0}}); err == nil {
		t.Error("one non-empty category: no error")
	}
	if _, err := cohort.ChiSquare([][]float64{{3, -1}, {2, 2}}); err == nil {
		t.Error("negative count: no error")
	}
}

func TestTable1Renderings(t *testing.T) {
	ps, o := n30(t)
	tab, err := cohort.BuildTable1(ps, o.Labels, o.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// header + 4 continuous + 4 categorical with 2+4+5+5 levels
	if len(lines) != 1+4+4+16 {
		t.Errorf("%d CSV lines:\n%s", len(lines), b.String())
	}
	if lines[0] != "Characteristics,Good prognosis (n = 18),Bad prognosis (n = 12),P-value" {
		t.Errorf("header %q", lines[0])
	}
	// scipy: p = 0.8518715902470579 for age.
	if !strings.HasPrefix(lines[1], `"Age, mean (SD), y",`) || !strings.HasSuffix(lines[1], ",0.852") {
		t.Errorf("age line %q", lines[1])
	}
	b.Reset()
	if err := tab.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<table", "Good prognosis (n = 18)", "<td>0.852</td>", `class="level"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestGridTolerance checks that a mask saved with float noise in its
// spacing still loads (within volume.DefaultTolerance).
func TestGridTolerance(t *testing.T) {
	dir := copyToy(t)
	rows := readRows(t, filepath.Join(dir, "manifest.csv"))
	m, err := nifti.ReadFile(rows[1][col(rows, "mask")])
	if err != nil {
		t.Fatal(err)
	}
	m.Spacing[0] *= 1 + 1e-6
	p := filepath.Join(dir, "m.nii.gz")
	if err := nifti.WriteFile(p, m, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		t.Fatal(err)
	}
	rows[1][col(rows, "mask")] = p
	writeRows(t, filepath.Join(dir, "manifest.csv"), rows)
	if _, err := cohort.Load(dir); err != nil {
		t.Error(err)
	}
}

// TestCroppedMask checks that a mask saved cropped to its bounding box, as
// 3D Slicer saves segmentations, is padded back onto the image grid.
func TestCroppedMask(t *testing.T) {
	dir := copyToy(t)
	rows := readRows(t, filepath.Join(dir, "manifest.csv"))
	m, err := nifti.ReadFile(rows[1][col(rows, "mask")])
	if err != nil {
		t.Fatal(err)
	}
	cropped := m.Crop(m.BoundingBox(func(x float64) bool { return x > 0 }))
	if cropped.Len() >= m.Len() {
		t.Fatal("crop did not shrink the mask")
	}
	p := filepath.Join(dir, "cropped.nii.gz")
	if err := nifti.WriteFile(p, cropped, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		t.Fatal(err)
	}
	rows[1][col(rows, "mask")] = p
	writeRows(t, filepath.Join(dir, "manifest.csv"), rows)
	if _, err := cohort.Load(dir); err != nil {
		t.Error(err)
	}
}

// TestNonFiniteImage checks that NaN voxels are reported by patient.
func TestNonFiniteImage(t *testing.T) {
	dir := copyToy(t)
	rows := readRows(t, filepath.Join(dir, "manifest.csv"))
	img, err := nifti.ReadFile(rows[4][col(rows, "image")])
	if err != nil {
		t.Fatal(err)
	}
	img.Data[100] = math.NaN()
	p := filepath.Join(dir, "nan.nii.gz")
	if err := nifti.WriteFile(p, img, nil); err != nil { // float32 keeps the NaN
		t.Fatal(err)
	}
	rows[4][col(rows, "image")] = p
	writeRows(t, filepath.Join(dir, "manifest.csv"), rows)
	_, err = cohort.Load(dir)
	if err == nil || !strings.Contains(err.Error(), "image with NaN or Inf: SCI004") {
		t.Errorf("error %v", err)
	}
}

// TestNoSecondRater checks that mask_rater2 is optional.
func TestNoSecondRater(t *testing.T) {
	dir := copyToy(t)
	p := filepath.Join(dir, "manifest.csv")
	rows := readRows(t, p)
	c := col(rows, "mask_rater2")
	for i := range rows {
		rows[i] = rows[i][:c]
	}
	writeRows(t, p, rows)
	co, err := cohort.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range co.Patients {
		if pt.Mask2 != "" || pt.Mask == "" {
			t.Errorf("%s: mask %q, mask2 %q", pt.ID, pt.Mask, pt.Mask2)
		}
	}
}
