package run

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/featuremap"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// TestWithMapStats adds the 744 map-statistics columns of one patient (the
// spine case: label 1 the synthetic lesion, label 2 the rest of the cord)
// to a radiomics table: every column named, the texture statistics finite.
func TestWithMapStats(t *testing.T) {
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	lesion, err := volio.ReadLabelMap(dir + "t2_fake_lesion_lesion_seg.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	cord, err := volio.ReadLabelMap(dir + "t2_fake_lesion_sc_seg.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	for i := range cord.Data {
		switch {
		case lesion.Data[i] > 0:
			cord.Data[i] = 1
		case cord.Data[i] > 0:
			cord.Data[i] = 2
		}
	}
	mask := filepath.Join(t.TempDir(), "labels.nii.gz")
	if err := nifti.WriteFile(mask, cord, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		t.Fatal(err)
	}
	r := &Result{Cohort: &cohort.Cohort{Patients: []cohort.Patient{{ID: "P1", Image: dir + "t2_fake_lesion.nii.gz", Mask: mask}}}}
	rad := &table.Table{IDName: "patient_id", IDs: []string{"P1"}, Names: []string{"lesion_original_firstorder_Mean"}, X: [][]float64{{1}}}
	got, r2, err := r.withMapStats(context.Background(), rad, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One patient: no value repeats, NaN statistics (none here) would go.
	if r2 != nil || len(got.Names) != 1+2*93*4 {
		t.Fatalf("%d columns, rater 2 %v; want 745 and nil", len(got.Names), r2)
	}
	// Two patients of one centre with the same values: every column repeats.
	r.Cohort.Patients = append(r.Cohort.Patients, cohort.Patient{ID: "P2", Image: r.Cohort.Patients[0].Image, Mask: mask})
	rad2 := &table.Table{IDName: "patient_id", IDs: []string{"P1", "P2"}, Names: []string{"x"}, X: [][]float64{{1}, {2}}}
	if two, _, err := r.withMapStats(context.Background(), rad2, nil); err != nil || len(two.Names) != 1 {
		t.Errorf("two identical patients: %v columns (%v), want only x", two.Names, err)
	}
	j := got.Col("cord_original_glcm_Contrast_mapMean")
	if j < 0 || math.IsNaN(got.X[0][j]) || got.X[0][j] <= 0 {
		t.Fatalf("cord_original_glcm_Contrast_mapMean: column %d, %v", j, got.X[0])
	}
	if got.Col("lesion_original_firstorder_Mean_mapP90") < 0 || featuremap.SummaryStats[3] != "mapP90" {
		t.Error("missing lesion_original_firstorder_Mean_mapP90")
	}
}
