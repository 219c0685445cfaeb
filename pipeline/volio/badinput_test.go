package volio

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestBadInput: each data problem the dispatcher itself checks gives one
// line naming the file and what was expected.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	g := volume.Grid{Dims: [3]int{2, 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}}
	neg := volume.New(g)
	neg.Data[1] = -1
	negPath := filepath.Join(dir, "neg.nii")
	if err := WriteImage(negPath, neg); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "short.nii.gz")
	b, err := os.ReadFile(filepath.Join(testdata, "spine/sct_testing_data/t2/t2_seg-manual.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "absent.nrrd")
	for _, c := range []struct {
		name string
		call func() error
		path string
		want string
	}{
		{"negative label", func() error { _, err := ReadLabelMap(negPath); return err },
			negPath, "label map voxel (1,0,0) is -1: labels must be non-negative whole numbers"},
		{"truncated gzip", func() error { _, err := ReadLabelMap(truncated); return err }, truncated, ""},
		{"missing file", func() error { _, err := ReadImage(missing); return err }, missing, ""},
		{"missing label map", func() error { _, err := ReadLabelMapOn(missing, g); return err }, missing, ""},
		{"grid of a missing file", func() error { _, err := ReadGrid(missing); return err }, missing, ""},
		{"grid of an unknown format", func() error { _, err := ReadGrid("scan.mha"); return err }, "scan.mha", `unknown image format ".mha"`},
		{"write a segmentation", func() error { return WriteImage(filepath.Join(dir, "m.seg.nrrd"), neg) },
			filepath.Join(dir, "m.seg.nrrd"), "writing Slicer segmentations is not supported"},
		{"write an unknown format", func() error { return WriteImage(filepath.Join(dir, "m.png"), neg) },
			filepath.Join(dir, "m.png"), `unknown image format ".png"`},
	} {
		err := c.call()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.path) || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q\nwant one line naming %s and holding %q", c.name, msg, c.path, c.want)
		}
	}
}
