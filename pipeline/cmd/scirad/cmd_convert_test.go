package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

// featureRows runs scirad features and returns label → feature → value.
func featureRows(t *testing.T, args ...string) map[string]map[string]float64 {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Main(append([]string{"features"}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("features %v: exit %d: %s", args, code, stderr.String())
	}
	recs, err := csv.NewReader(&stdout).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]float64{}
	for _, r := range recs[1:] {
		label, name, val := "1", r[0], r[1]
		if len(r) == 4 {
			label, name, val = r[0], r[2], r[3]
		}
		x, err := strconv.ParseFloat(val, 64)
		if err != nil {
			t.Fatal(err)
		}
		if out[label] == nil {
			out[label] = map[string]float64{}
		}
		out[label][name] = x
	}
	return out
}

// TestConvertDICOMSpine: plastimatch's DICOM + RTSTRUCT copy of the real
// spine MRI (testdata/dicom) through scirad convert gives the NIfTI image
// in world space and labels 1 and 2; scirad features -label all on the
// DICOM folder gives one row set per label, and both labels (whose
// RTSTRUCT masks equal the NIfTI masks) match the features of the NIfTI
// original within 1e-6 relative.
func TestConvertDICOMSpine(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, "../../../testdata/dicom/spine_plastimatch.tar.gz"), "spine")
	rts, _ := filepath.Glob(filepath.Join(dir, "rtss*.dcm"))
	if len(rts) != 1 {
		t.Fatalf("RTSTRUCT %v", rts)
	}
	out := t.TempDir()
	img, lab := filepath.Join(out, "image.nii.gz"), filepath.Join(out, "labels.nii.gz")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"convert", "-image", dir, "-mask", rts[0], "-o", img, "-mask-out", lab}, &stdout, &stderr); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, stderr.String())
	}
	v, err := volio.ReadImage(img)
	if err != nil {
		t.Fatal(err)
	}
	s := "../../../testdata/spine/sct_testing_data/t2/"
	orig, err := volio.ReadImage(s + "t2_fake_lesion.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	// Every voxel of the converted image is the NIfTI voxel at its place.
	for idx, x := range v.Data {
		i, j, k := v.Coords(idx)
		p := orig.PhysicalToIndex(v.IndexToPhysical([3]float64{float64(i), float64(j), float64(k)}))
		var c [3]int
		for a := range 3 {
			c[a] = int(math.Round(p[a]))
			if math.Abs(p[a]-float64(c[a])) > 1e-3 || !orig.Contains(c[0], c[1], c[2]) && a == 2 {
				t.Fatalf("voxel (%d,%d,%d) falls at NIfTI index %v", i, j, k, p)
			}
		}
		if y := orig.At(c[0], c[1], c[2]); y != x {
			t.Fatalf("voxel (%d,%d,%d) = %g, NIfTI %g", i, j, k, x, y)
		}
	}
	lm, err := volio.ReadLabelMap(lab)
	if err != nil {
		t.Fatal(err)
	}
	if _, n1 := lm.Label(1); n1 != 163 {
		t.Errorf("label 1: %d voxels, the NIfTI lesion mask has 163", n1)
	}
	// Features: the NIfTI original with its own label map vs the DICOM.
	lesion, _ := volio.ReadImage(s + "t2_fake_lesion_lesion_seg.nii.gz")
	cord, _ := volio.ReadImage(s + "t2_fake_lesion_sc_seg.nii.gz")
	want := volume.New(orig.Grid)
	for i := range want.Data {
		if lesion.Data[i] > 0 {
			want.Data[i] = 1
		} else if cord.Data[i] > 0 {
			want.Data[i] = 2
		}
	}
	origLab := filepath.Join(out, "orig_labels.nii.gz")
	if err := volio.WriteImage(origLab, want); err != nil {
		t.Fatal(err)
	}
	ref := featureRows(t, "-image", s+"t2_fake_lesion.nii.gz", "-mask", origLab, "-label", "all")
	got := featureRows(t, "-image", dir, "-mask", rts[0], "-label", "all")
	if len(got) != 2 || len(got["1"]) != 107 || len(got["2"]) != 107 {
		t.Fatalf("labels %d, features %d and %d: want 2 labels of 107", len(got), len(got["1"]), len(got["2"]))
	}
	for _, l := range []string{"1", "2"} {
		if len(ref[l]) != 107 {
			t.Fatalf("NIfTI label %s: %d features", l, len(ref[l]))
		}
		for name, r := range ref[l] {
			g := got[l][name]
			if math.Abs(g-r) > 1e-6*math.Max(math.Abs(r), 1e-12) && !(math.Abs(r) < 1e-9 && math.Abs(g) < 1e-9) {
				t.Errorf("label %s %s: DICOM %.10g, NIfTI %.10g", l, name, g, r)
			}
		}
	}
	// -labels 2 is the second row set alone.
	two := featureRows(t, "-image", dir, "-mask", rts[0], "-labels", "2")
	if len(two) != 1 || two["2"]["original_firstorder_Mean"] != got["2"]["original_firstorder_Mean"] {
		t.Errorf("-labels 2: %d labels", len(two))
	}
	// convert refuses to write over an input, and -mask without -mask-out.
	stderr.Reset()
	if code := Main([]string{"convert", "-image", dir, "-o", rts[0]}, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "input") {
		t.Errorf("writing over the RTSTRUCT: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := Main([]string{"convert", "-image", dir, "-mask", rts[0], "-o", img}, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "-mask-out") {
		t.Errorf("-mask without -mask-out: exit %d, %s", code, stderr.String())
	}
}
