package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// TestFeaturesCommand runs `scirad features` on pyradiomics' brain1 with the
// settings of its baseline (testdata/pyradiomics/README.md) and compares
// with the baseline values written by pyradiomics.
func TestFeaturesCommand(t *testing.T) {
	dir := t.TempDir()
	params := filepath.Join(dir, "params.yaml")
	os.WriteFile(params, []byte("setting:\n  binWidth: 25\n  voxelArrayShift: 2000\n  minimumROIDimensions: 1\nimageType:\n  Original: {}\n"), 0o644)
	out := filepath.Join(dir, "brain1.csv")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"features", "-image", "../../../testdata/pyradiomics/brain1_image.nrrd",
		"-mask", "../../../testdata/pyradiomics/brain1_label.nrrd", "-params", params, "-o", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 108 || rows[0][0] != "feature" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	// pyradiomics' baseline_{firstorder,glcm}.csv, column brain1.
	want := map[string]float64{
		"original_firstorder_Energy":       33122817481.0,
		"original_firstorder_Kurtosis":     2.1807729393860265,
		"original_glcm_Idmn":               0.9614021696232272,
		"original_glszm_SmallAreaEmphasis": 0.6564478999587141,
		"original_shape_Maximum3DDiameter": 69.6009903059,
	}
	seen := 0
	for _, r := range rows[1:] {
		if w, ok := want[r[0]]; ok {
			seen++
			v, _ := strconv.ParseFloat(r[1], 64)
			if math.Abs(v-w) > 1e-6*math.Abs(w) {
				t.Errorf("%s = %v, pyradiomics %v", r[0], v, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d features", seen, len(want))
	}
	// -wide: one header and one value row; stdout when -o is absent.
	stdout.Reset()
	if code := Main([]string{"features", "-image", "../../../testdata/pyradiomics/breast1_image.nrrd",
		"-mask", "../../../testdata/pyradiomics/breast1_label.nrrd", "-wide"}, &stdout, &stderr); code != 0 {
		t.Fatalf("-wide: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || len(strings.Split(lines[0], ",")) != 107 {
		t.Errorf("-wide output: %d lines", len(lines))
	}
	// Errors: absent label, unknown params key.
	stderr.Reset()
	if code := Main([]string{"features", "-image", "../../../testdata/pyradiomics/breast1_image.nrrd",
		"-mask", "../../../testdata/pyradiomics/breast1_label.nrrd", "-label", "7"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "label 7 not present") {
		t.Errorf("absent label: exit %d, %s", code, stderr.String())
	}
	os.WriteFile(params, []byte("setting:\n  binWdith: 25\n"), 0o644)
	stderr.Reset()
	if code := Main([]string{"features", "-image", "x.nii", "-mask", "y.nii", "-params", params}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "binWdith") {
		t.Errorf("unknown key: exit %d, %s", code, stderr.String())
	}
}

// TestExtractCommand runs `scirad extract` twice on a two-patient cohort
// with rater-2 masks: 1070 columns, an ICC table, and a resumed second run.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	var es []cohort.ManifestEntry
	for p := 0; p < 3; p++ {
		g := volume.NewGrid([3]int{20, 24, 8}, [3]float64{0.8, 0.8, 2})
		img, mask := volume.New(g), volume.New(g)
		for idx := range img.Data {
			i, j, k := g.Coords(idx)
			img.Data[idx] = 100 + 30*math.Sin(float64(i*3+j*5+k*7+p)) + float64((i*j+p*k)%13)
			di, dk := float64(i-10), float64(k-4)
			if di*di+dk*dk < 9 && j > 2 && j < 21 {
				mask.Data[idx] = 2
				if dj := float64(j - 12); di*di+dj*dj+dk*dk < 6 {
					mask.Data[idx] = 1
				}
			}
		}
		id := "P" + strconv.Itoa(p)
		e := cohort.ManifestEntry{ID: id, Center: "A", Image: "images/" + id + ".nii.gz", Mask: "masks/" + id + ".nii.gz", Mask2: "masks/" + id + "_r2.nii.gz"}
		os.MkdirAll(filepath.Join(dir, "images"), 0o755)
		os.MkdirAll(filepath.Join(dir, "masks"), 0o755)
		if err := nifti.WriteFile(filepath.Join(dir, e.Image), img, nil); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{e.Mask, e.Mask2} {
			if err := nifti.WriteFile(filepath.Join(dir, m), mask, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
				t.Fatal(err)
			}
		}
		es = append(es, e)
	}
	var man bytes.Buffer
	cohort.WriteManifest(&man, es)
	os.WriteFile(filepath.Join(dir, "manifest.csv"), man.Bytes(), 0o644)
	out := filepath.Join(dir, "radiomics.csv")
	for run := 0; run < 2; run++ {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"extract", "-manifest", filepath.Join(dir, "manifest.csv"), "-o", out, "-workers", "2"}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, stderr.String())
		}
		want := "3 patients x 1070 features (0 reused"
		if run == 1 {
			want = "3 patients x 1070 features (6 reused"
		}
		if !strings.Contains(stdout.String(), want) || !strings.Contains(stderr.String(), "6/6") {
			t.Errorf("run %d: stdout %q stderr %q", run, stdout.String(), stderr.String())
		}
	}
	icc, err := os.ReadFile(filepath.Join(dir, "radiomics_icc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Identical rater masks: every defined ICC is 1, or undefined for a
	// feature equal in all patients.
	lines := strings.Split(strings.TrimSpace(string(icc)), "\n")
	if len(lines) != 1071 {
		t.Fatalf("%d ICC rows", len(lines)-1)
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if v, _ := strconv.ParseFloat(f[1], 64); !(math.Abs(v-1) < 1e-9 || (math.IsNaN(v) && f[4] != "")) {
			t.Errorf("ICC row %s", l)
			break
		}
	}
}

// TestFeaturesWorkers: -workers shares one ROI's extraction between
// goroutines without changing a byte of the output; a negative count is a
// one-line error.
func TestFeaturesWorkers(t *testing.T) {
	dir := t.TempDir()
	run := func(workers string) ([]byte, int, string) {
		out := filepath.Join(dir, "w"+workers+".csv")
		var stdout, stderr bytes.Buffer
		code := Main([]string{"features", "-image", "../../../testdata/pyradiomics/brain1_image.nrrd",
			"-mask", "../../../testdata/pyradiomics/brain1_label.nrrd", "-workers", workers, "-o", out}, &stdout, &stderr)
		b, _ := os.ReadFile(out)
		return b, code, stderr.String()
	}
	one, code, msg := run("1")
	if code != 0 {
		t.Fatalf("-workers 1: exit %d: %s", code, msg)
	}
	two, code, msg := run("2")
	if code != 0 {
		t.Fatalf("-workers 2: exit %d: %s", code, msg)
	}
	if !bytes.Equal(one, two) || len(one) == 0 {
		t.Errorf("-workers 2 wrote %d bytes that differ from -workers 1's %d", len(two), len(one))
	}
	if _, code, msg := run("-1"); code != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "-workers -1") {
		t.Errorf("-workers -1: exit %d, %q", code, msg)
	}
}
