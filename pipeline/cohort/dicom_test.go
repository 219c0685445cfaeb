package cohort_test

import (
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

// TestDICOMCohort: a cohort whose images are DICOM series folders and whose
// masks (both raters) are RTSTRUCTs — plastimatch's copy of three toy
// patients (testdata/dicom/toy3_dicom.tar.gz, made by
// testdata/dicom/toy_cohort_dicom.sh) — loads and validates like the NIfTI
// cohort: each image equals its NIfTI original voxel for voxel (the NIfTI
// grid runs its slices the other way; ReadLabelMapOn reorders it), and each
// label equals the NIfTI mask (Dice ≥ 0.999; the cord spans its slices
// from edge to edge, which plastimatch writes as open curves that package
// dicom joins along the image's edge).
func TestDICOMCohort(t *testing.T) {
	dir := dicomtest.Extract(t, "../../testdata/dicom/toy3_dicom.tar.gz")
	c, err := cohort.Load(filepath.Join(dir, "dicom"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := cohort.ReadManifest(filepath.Join(dir, "dicom", "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || c == nil {
		t.Fatalf("%d manifest rows, want 3", len(es))
	}
	for _, e := range es {
		img, err := volio.ReadImage(e.Image)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := volio.ReadLabelMapOn(filepath.Join(dir, "nifti", "images", e.ID+".nii.gz"), img.Grid)
		if err != nil {
			t.Fatalf("%s: NIfTI image not on the DICOM voxels: %v", e.ID, err)
		}
		for i := range img.Data {
			if img.Data[i] != orig.Data[i] {
				t.Fatalf("%s: voxel %d: DICOM %g, NIfTI %g", e.ID, i, img.Data[i], orig.Data[i])
			}
		}
		for _, m := range []struct{ dicom, nifti string }{{e.Mask, e.ID + ".nii.gz"}, {e.Mask2, e.ID + "_rater2.nii.gz"}} {
			got, err := volio.ReadLabelMap(m.dicom)
			if err != nil {
				t.Fatal(err)
			}
			want, err := volio.ReadLabelMapOn(filepath.Join(dir, "nifti", "masks", m.nifti), img.Grid)
			if err != nil {
				t.Fatal(err)
			}
			for l := 1; l <= 2; l++ {
				na, nb, both := 0, 0, 0
				for i := range got.Data {
					a, b := got.Data[i] == float64(l), want.Data[i] == float64(l)
					if a {
						na++
					}
					if b {
						nb++
					}
					if a && b {
						both++
					}
				}
				d := 2 * float64(both) / float64(na+nb)
				if d < 0.999 {
					t.Errorf("%s %s label %d: Dice %.3f (%d vs %d voxels), want ≥ 0.999", e.ID, filepath.Base(m.dicom), l, d, na, nb)
				}
				t.Logf("%s %s label %d: Dice %.3f (%d vs %d voxels)", e.ID, filepath.Base(m.dicom), l, d, na, nb)
			}
		}
	}
}
