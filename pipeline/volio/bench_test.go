package volio

import (
	"path/filepath"
	"testing"
)

// The real spine cases of testdata/spine: a 60×55×52 cervical T2 (SCT) and
// its cord mask, and the 131×141×16 float32 T2 of ivadomed's sub-unf01.
var (
	benchT2     = filepath.Join(testdata, "spine/sct_testing_data/t2/t2.nii.gz")
	benchT2Mask = filepath.Join(testdata, "spine/sct_testing_data/t2/t2_seg-manual.nii.gz")
	benchUnf01  = filepath.Join(testdata, "spine/ivadomed_data-testing/sub-unf01/anat/sub-unf01_T2w.nii.gz")
)

func BenchmarkReadImage(b *testing.B) {
	for _, p := range []string{benchT2, benchUnf01} {
		b.Run(filepath.Base(p), func(b *testing.B) {
			for b.Loop() {
				if _, err := ReadImage(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadLabelMapOn(b *testing.B) {
	g, err := ReadGrid(benchT2)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadLabelMapOn(benchT2Mask, g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteImage(b *testing.B) {
	v, err := ReadImage(benchT2)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, name := range []string{"t2.nii.gz", "t2.nrrd"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := WriteImage(filepath.Join(dir, name), v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
