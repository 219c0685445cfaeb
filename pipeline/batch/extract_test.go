package batch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/toyvol"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

func writeToyCohort(t *testing.T, n int) []cohort.ManifestEntry {
	dir := t.TempDir()
	var rows []cohort.ManifestEntry
	for p := 0; p < n; p++ {
		img, mask := toyvol.Patient(p, [3]float64{0.8, 0.8, 2})
		id := string(rune('a' + p))
		e := cohort.ManifestEntry{ID: id, Center: "c1",
			Image: filepath.Join(dir, id+"_img.nii.gz"), Mask: filepath.Join(dir, id+"_mask.nii.gz")}
		if err := nifti.WriteFile(e.Image, img, nil); err != nil {
			t.Fatal(err)
		}
		if err := nifti.WriteFile(e.Mask, mask, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
			t.Fatal(err)
		}
		if p%2 == 0 { // rater 2 drew a slightly smaller lesion
			for i, x := range mask.Data {
				if x == 1 {
					if ii, _, _ := mask.Coords(i); ii == 8 {
						mask.Data[i] = 2
					}
				}
			}
			e.Mask2 = filepath.Join(dir, id+"_mask2.nii.gz")
			if err := nifti.WriteFile(e.Mask2, mask, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, e)
	}
	return rows
}

func TestExtractCohort(t *testing.T) {
	rows := writeToyCohort(t, 3)
	cs := radiomics.PaperCohortSettings()
	if got := len(cs.Columns()); got != 1070 {
		t.Fatalf("%d columns, want 1070", got)
	}
	if c := cs.Columns(); c[0] != "lesion_original_firstorder_10Percentile" || c[1069] != "cord_median_gldm_SmallDependenceLowGrayLevelEmphasis" {
		t.Errorf("column names %s … %s", c[0], c[1069])
	}
	side := filepath.Join(t.TempDir(), "resume.csv")
	var bar bytes.Buffer
	res, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 2, Progress: &bar, Resume: side})
	if err != nil {
		t.Fatal(err)
	}
	if res.Features.Rows() != 3 || len(res.Features.Names) != 1070 || res.Rater2 == nil || res.Rater2.Rows() != 2 || res.Reused != 0 {
		t.Fatalf("result shape: %d rows, %d cols, rater2 %v, reused %d", res.Features.Rows(), len(res.Features.Names), res.Rater2, res.Reused)
	}
	if !strings.Contains(bar.String(), "5/5") {
		t.Errorf("progress bar %q", bar.String())
	}
	// Each row equals a direct extraction of that patient.
	img, _ := nifti.ReadFile(rows[1].Image)
	mask, _ := nifti.ReadFile(rows[1].Mask)
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range []int{0, 4} {
		s := cs.Features
		s.Label = 2
		direct, err := radiomics.Extract(pre.Images[im], pre.Mask, s)
		if err != nil {
			t.Fatal(err)
		}
		off := 535 + im*107
		for j, v := range direct {
			if got := res.Features.X[1][off+j]; got != v.Value {
				t.Fatalf("%s: cohort %v, direct Extract %v", res.Features.Names[off+j], got, v.Value)
			}
		}
	}
	// Shape repeats across the five images of an ROI.
	for j, name := range res.Features.Names[:107] {
		if strings.Contains(name, "_shape_") && res.Features.X[0][j] != res.Features.X[0][j+4*107] {
			t.Errorf("%s differs between original and median", name)
		}
	}
	rel, err := res.Reliability(icc.Options{})
	if err != nil || len(rel) != 1070 {
		t.Fatalf("Reliability: %d features, %v", len(rel), err)
	}
	// The ICC pairs each rater-2 row with the same patient's rater-1 row
	// (patients a and c; b has no second mask).
	j := res.Features.Col("lesion_original_firstorder_Mean")
	want, err := icc.Compute([][]float64{
		{res.Features.X[0][j], res.Rater2.X[0][j]},
		{res.Features.X[2][j], res.Rater2.X[1][j]},
	}, 0)
	if err != nil || rel[j].ICC21 != want.ICC21() || rel[j].ICC31 != want.ICC31() {
		t.Errorf("lesion Mean ICC %v/%v, direct %v (%v)", rel[j].ICC21, rel[j].ICC31, want, err)
	}
	// A rerun reuses every row.
	res2, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 1, Resume: side})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Reused != 5 {
		t.Errorf("rerun reused %d extractions, want 5", res2.Reused)
	}
	for i := range res.Features.X {
		for j := range res.Features.X[i] {
			if res.Features.X[i][j] != res2.Features.X[i][j] {
				t.Fatalf("resumed value differs at %d,%d", i, j)
			}
		}
	}
	// Other settings: nothing reused.
	cs16 := cs
	cs16.Features.BinCount = 16
	res3, err := ExtractCohort(context.Background(), rows[:1], cs16, Options{Resume: side})
	if err != nil || res3.Reused != 0 {
		t.Errorf("new settings reused %d rows (err %v)", res3.Reused, err)
	}
}

func TestExtractCohortErrors(t *testing.T) {
	rows := writeToyCohort(t, 2)
	empty := volume.New(volume.NewGrid([3]int{20, 24, 10}, [3]float64{0.8, 0.8, 2}))
	for k := 3; k < 7; k++ { // a cord without a lesion
		for j := 5; j < 15; j++ {
			for i := 8; i < 12; i++ {
				empty.Set(i, j, k, 2)
			}
		}
	}
	if err := nifti.WriteFile(rows[1].Mask, empty, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		t.Fatal(err)
	}
	_, err := ExtractCohort(context.Background(), rows, radiomics.PaperCohortSettings(), Options{})
	if err == nil || !strings.Contains(err.Error(), "patient b (rater 1)") || !strings.Contains(err.Error(), "lesion ROI") {
		t.Errorf("error %v, want one naming patient b's lesion ROI", err)
	}
	// No rows (an empty shard): empty tables with the columns, no error.
	if res, err := ExtractCohort(context.Background(), nil, radiomics.PaperCohortSettings(), Options{}); err != nil || res.Features.Rows() != 0 || len(res.Features.Names) != 1070 || res.Rater2 != nil {
		t.Errorf("no rows: %+v, %v", res, err)
	}
	// A filtered image type is refused, not silently left out.
	s, err := radiomics.ParseParams(strings.NewReader("imageType:\n  Original: {}\n  LoG:\n    sigma: [2.0]\n"))
	if err != nil {
		t.Fatal(err)
	}
	cs := radiomics.PaperCohortSettings()
	cs.Features = s
	if _, err := ExtractCohort(context.Background(), rows, cs, Options{}); err == nil || !strings.Contains(err.Error(), "imageType LoG") {
		t.Errorf("LoG image type: error %v, want one naming imageType LoG", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ExtractCohort(ctx, rows, radiomics.PaperCohortSettings(), Options{}); err == nil {
		t.Error("cancelled context: no error")
	}
	_ = os.Remove
}
