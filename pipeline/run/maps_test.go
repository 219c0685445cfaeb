package run

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics"
)

// TestPatientMaps draws the report's feature maps of one patient (the
// spine lesion, preprocessed as the run does) and fails on a shape column
// or a column of an unknown image.
func TestPatientMaps(t *testing.T) {
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	cols := []mapColumn{
		{"lesion_original_glcm_Contrast", "lesion", "original", "glcm", "Contrast"},
		{"lesion_median_firstorder_Mean", "lesion", "median", "firstorder", "Mean"},
	}
	figs, err := patientMaps(dir+"t2_fake_lesion.nii.gz", dir+"t2_fake_lesion_lesion_seg.nii.gz", radiomics.PaperCohortSettings(), cols)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 {
		t.Fatalf("%d figures, want 2", len(figs))
	}
	for _, f := range figs {
		im, err := png.Decode(bytes.NewReader(f.PNG))
		if err != nil {
			t.Fatal(err)
		}
		if im.Bounds().Dx() < 40 || !strings.Contains(f.Caption, "(dark blue) to") {
			t.Errorf("figure %dx%d, caption %q", im.Bounds().Dx(), im.Bounds().Dy(), f.Caption)
		}
	}
	bad := []mapColumn{{"lesion_sharpened_glcm_Contrast", "lesion", "sharpened", "glcm", "Contrast"}}
	if _, err := patientMaps(dir+"t2_fake_lesion.nii.gz", dir+"t2_fake_lesion_lesion_seg.nii.gz", radiomics.PaperCohortSettings(), bad); err == nil {
		t.Error("a column of an unknown image gave no error")
	}
}
