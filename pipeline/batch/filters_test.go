package batch

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// The paper's settings keep the hash, columns and column names they had
// before CohortSettings.Filters existed (computed from commit 7046d55, the
// code before the field): resume files, shards and saved bundles of the
// paper's four filters stay valid. Naming the four explicitly is the same
// settings; any other list is not.
func TestCohortFiltersDefaultUnchanged(t *testing.T) {
	const (
		oldHash = "0c62fe2cecd18d1b"
		oldCols = 1070
		oldSHA  = "bf7e125e900ef81ea52fbae3274c5ab0feff74300d91aad1240baf56f6e13c2d" // sha256 of the names joined by \n
	)
	for _, filters := range [][]string{nil, {}, {"mean", "box", "gaussian", "median"}} {
		cs := radiomics.PaperCohortSettings()
		cs.Filters = filters
		cols := cs.Columns()
		sha := fmt.Sprintf("%x", sha256.Sum256([]byte(strings.Join(cols, "\n"))))
		if cs.Hash() != oldHash || len(cols) != oldCols || sha != oldSHA {
			t.Errorf("filters %q: hash %s, %d columns (sha %s); want %s, %d (%s)", filters, cs.Hash(), len(cols), sha, oldHash, oldCols, oldSHA)
		}
	}
	cs := radiomics.PaperCohortSettings()
	for _, filters := range [][]string{{"mean", "box", "gaussian"}, {"box", "mean", "gaussian", "median"}, {"square"}} {
		cs.Filters = filters
		if cs.Hash() == oldHash {
			t.Errorf("filters %q have the paper's hash", filters)
		}
	}
}

// A cohort extracted with other filters has the original and those
// images, named {roi}_{image}_{class}_{Feature}, and each filtered
// image's values are those of the filter (package filter, pyradiomics'
// image types) applied to the preprocessed original and extracted
// directly (radiomics.Extract), to 1e-12 relative.
func TestExtractCohortFilters(t *testing.T) {
	rows := writeToyCohort(t, 2)
	cs := radiomics.PaperCohortSettings()
	cs.Filters = []string{"log-sigma-2-0-mm-3D", "square"}
	res, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	names := res.Features.Names
	if len(names) != 2*3*107 || names[0] != "lesion_original_firstorder_10Percentile" ||
		names[107] != "lesion_log-sigma-2-0-mm-3D_firstorder_10Percentile" || names[2*107] != "lesion_square_firstorder_10Percentile" ||
		names[3*107] != "cord_original_firstorder_10Percentile" || names[len(names)-1] != "cord_square_gldm_SmallDependenceLowGrayLevelEmphasis" {
		t.Fatalf("%d columns: %s, %s, %s, %s … %s", len(names), names[0], names[107], names[214], names[321], names[len(names)-1])
	}
	if res.Features.Rows() != 2 || res.Rater2 == nil {
		t.Fatalf("%d rows, rater 2 %v", res.Features.Rows(), res.Rater2 != nil)
	}
	for p, row := range rows {
		img, err := nifti.ReadFile(row.Image)
		if err != nil {
			t.Fatal(err)
		}
		mask, err := nifti.ReadFile(row.Mask)
		if err != nil {
			t.Fatal(err)
		}
		pre, err := preprocess.Run(img, mask, cs.Preprocess)
		if err != nil {
			t.Fatal(err)
		}
		orig := pre.Image("original")
		for _, f := range []struct {
			typ, name string
			params    filter.Params
		}{{"LoG", "log-sigma-2-0-mm-3D", filter.Params{Sigma: []float64{2}}}, {"Square", "square", filter.Params{}}} {
			imgs, err := filter.Apply(f.typ, orig, pre.Mask, f.params, filter.Options{})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(imgs, func(im filter.Image) bool { return im.Name == f.name })
			if i < 0 {
				t.Fatalf("%s gave no %s", f.typ, f.name)
			}
			for _, roi := range radiomics.PaperROIs {
				s := cs.Features
				s.Label = roi.Label
				direct, err := radiomics.Extract(imgs[i].Volume, pre.Mask, s)
				if err != nil {
					t.Fatal(err)
				}
				if len(direct) != 107 {
					t.Fatalf("%d direct values", len(direct))
				}
				for _, v := range direct {
					col := roi.Name + "_" + f.name + "_" + v.Key()
					j := res.Features.Col(col)
					if j < 0 {
						t.Fatalf("no column %s", col)
					}
					got := res.Features.X[p][j]
					if !(math.Abs(got-v.Value) <= 1e-12*math.Max(math.Abs(got), math.Abs(v.Value))) && !(got == v.Value) {
						t.Errorf("patient %s %s: cohort %v, filter.Apply + Extract %v", row.ID, col, got, v.Value)
					}
				}
			}
		}
	}
	// The original's columns are the paper's settings' (another filter
	// list does not change the original image).
	paper, err := ExtractCohort(context.Background(), rows[:1], radiomics.PaperCohortSettings(), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for j := range 107 {
		if res.Features.X[0][j] != paper.Features.X[0][j] || res.Features.X[0][3*107+j] != paper.Features.X[0][5*107+j] {
			t.Fatalf("%s differs from the paper settings' column", names[j])
		}
	}
}

// Bad filter lists end in a one-line error naming the field and, for an
// unknown name, listing the known ones; nothing is extracted.
func TestExtractCohortFilterErrors(t *testing.T) {
	rows := writeToyCohort(t, 1)
	for _, c := range []struct {
		filters []string
		want    []string
	}{
		{[]string{"log-sigma-7-mm"}, []string{"Filters", `no filter "log-sigma-7-mm"`, "known: mean, box, gaussian, median, log-sigma-1-0-mm-3D", "wavelet-LLH"}},
		{[]string{"square", "square"}, []string{"Filters", `"square" listed twice`}},
		{[]string{"lbp-3D-m1"}, []string{"Filters", "lbp-3D-m1", "LBP3D", "one ROI"}},
		{[]string{"original", "square"}, []string{"Filters", "original image always comes first"}},
	} {
		cs := radiomics.PaperCohortSettings()
		cs.Filters = c.filters
		_, err := ExtractCohort(context.Background(), rows, cs, Options{})
		if err == nil {
			t.Errorf("%q: no error", c.filters)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q does not say %q", c.filters, err, w)
			}
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error on several lines: %q", c.filters, err)
		}
	}
}
