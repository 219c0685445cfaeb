package preprocess

import (
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
)

// BenchmarkRunSpine: the paper's preprocessing (normalise, 1 mm linear
// resampling, crop to the cord with 5 mm margin, four filters) of a real
// cervical T2 (testdata/spine, SCT t2: 60×55×52) with its cord mask.
func BenchmarkRunSpine(b *testing.B) {
	dir := filepath.Join("..", "..", "testdata", "spine", "sct_testing_data", "t2")
	img, err := volio.ReadImage(filepath.Join(dir, "t2.nii.gz"))
	if err != nil {
		b.Fatal(err)
	}
	mask, err := volio.ReadLabelMapOn(filepath.Join(dir, "t2_seg-manual.nii.gz"), img.Grid)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(img, mask, Paper()); err != nil {
			b.Fatal(err)
		}
	}
}
