package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// TestMapsCommand runs `scirad maps` on the spine lesion and compares two of
// its maps with pyradiomics' voxel-based values (testdata/featuremap), voxel
// by voxel, within 1e-6 relative (the maps are float32); outside the ROI a
// map holds initValue 0.
func TestMapsCommand(t *testing.T) {
	const dir = "../../../testdata/spine/sct_testing_data/t2/"
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main([]string{"maps", "-image", dir + "t2_fake_lesion.nii.gz", "-mask", dir + "t2_fake_lesion_lesion_seg.nii.gz",
		"-features", "glcm_Contrast,firstorder_Mean", "-out", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open("../../../testdata/featuremap/golden.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Name     string
			IJK      [][3]int
			Features map[string][]*float64
		}
	}
	if err := json.NewDecoder(z).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Cases[0].Name != "lesion_r1" {
		t.Fatalf("first golden case is %s", doc.Cases[0].Name)
	}
	c := doc.Cases[0]
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Fatalf("%d files in -out, want 2", len(entries))
	}
	for _, name := range []string{"glcm_Contrast", "firstorder_Mean"} {
		v, err := nifti.ReadFile(filepath.Join(out, "original_"+name+".nii.gz"))
		if err != nil {
			t.Fatal(err)
		}
		inROI := map[[3]int]bool{}
		for n, ijk := range c.IJK {
			inROI[ijk] = true
			got, want := v.At(ijk[0], ijk[1], ijk[2]), *c.Features[name][n]
			if math.Abs(got-want) > 1e-6*math.Abs(want) {
				t.Errorf("%s at %v: %g, pyradiomics %g", name, ijk, got, want)
			}
		}
		for idx, x := range v.Data {
			i, j, k := v.Coords(idx)
			if !inROI[[3]int{i, j, k}] && x != 0 {
				t.Fatalf("%s at (%d,%d,%d) outside the ROI: %g, want initValue 0", name, i, j, k, x)
			}
		}
	}
	// Bad settings are one-line errors.
	params := filepath.Join(out, "p.yaml")
	os.WriteFile(params, []byte("voxelSetting:\n  voxelBatch: 0\n"), 0o644)
	for _, args := range [][]string{
		{"-kernel-radius", "99"},
		{"-params", params},
		{"-features", "shape_MeshVolume"},
	} {
		stderr.Reset()
		a := append([]string{"maps", "-image", dir + "t2_fake_lesion.nii.gz", "-mask", dir + "t2_fake_lesion_lesion_seg.nii.gz", "-out", out}, args...)
		if code := Main(a, &stdout, &stderr); code != 1 || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and one line", args, code, stderr.String())
		}
	}
}
