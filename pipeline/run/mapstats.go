package run

import (
	"context"
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/featuremap"
	"github.com/scirad/scirad/pipeline/internal/pool"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// withMapStats appends to the radiomics tables (rater 1, and rater 2 when
// present) the summary statistics of every voxel-based feature map
// (featuremap.Summaries: mean, SD, P10, P90 over the ROI) of each ROI on the
// preprocessed original image, with the run's radiomics settings (bin count
// 32, kernelRadius 1): up to 93 maps × 4 statistics × 2 ROIs = 744 columns
// named {roi}_original_{class}_{Feature}_{stat}. They go through the ICC
// filter, ComBat and selection like every radiomics column. A statistic
// that takes discrete values (the P90 of a run percentage, an MCC left at
// initValue by pyradiomics' batch rule) would leave ComBat without variance
// within a centre's training patients: columns with a NaN, or with a value
// repeated within a centre, are left out (variedColumns; outcomes are not
// looked at). Off unless Config.MapStats.
func (r *Result) withMapStats(ctx context.Context, rater1, rater2 *table.Table) (*table.Table, *table.Table, error) {
	cs := r.Config.cohortSettings()
	// stats computes the columns of the rows of rt (patients by id), with
	// each patient's first or second rater's mask.
	stats := func(rt *table.Table, second bool) (*table.Table, error) {
		n := rt.Rows()
		t := &table.Table{IDName: "patient_id", IDs: make([]string, n), X: make([][]float64, n)}
		names := make([][]string, n)
		label := "map stats"
		if second {
			label = "map stats, rater 2"
		}
		bar := progress.New(r.Config.Log, label, n)
		byID := map[string]int{}
		for i, p := range r.Cohort.Patients {
			byID[p.ID] = i
		}
		err := pool.ForEach(ctx, r.Config.workers(), n, func(i int) error {
			k, ok := byID[rt.IDs[i]]
			if !ok {
				return fmt.Errorf("feature maps: patient %s not in the cohort", rt.IDs[i])
			}
			p := r.Cohort.Patients[k]
			t.IDs[i] = p.ID
			mask := p.Mask
			if second {
				mask = p.Mask2
			}
			img, err := volio.ReadImage(p.Image)
			if err != nil {
				return err
			}
			lab, err := volio.ReadLabelMap(mask)
			if err != nil {
				return err
			}
			// The maps are of the original image: its filters are not needed.
			pre, err := preprocess.RunOriginal(img, lab, cs.Preprocess, 1)
			if err != nil {
				return fmt.Errorf("patient %s: %w", p.ID, err)
			}
			for _, roi := range radiomics.PaperROIs {
				var s featuremap.Settings
				s.Settings = cs.Features
				s.Label = roi.Label
				s.Workers = 1
				sum, err := featuremap.Summaries(pre.Image("original"), pre.Mask, s)
				if err != nil {
					return fmt.Errorf("patient %s, %s maps: %w", p.ID, roi.Name, err)
				}
				for _, m := range sum {
					for k, st := range featuremap.SummaryStats {
						names[i] = append(names[i], roi.Name+"_"+m.Name+"_"+st)
						t.X[i] = append(t.X[i], m.Values[k])
					}
				}
			}
			bar.Step()
			return nil
		})
		if err != nil {
			return nil, err
		}
		t.Names = names[0]
		return t, nil
	}
	t1, err := stats(rater1, false)
	if err != nil {
		return nil, nil, err
	}
	keep := r.variedColumns(t1)
	if t1, err = t1.SelectColumns(keep); err != nil {
		return nil, nil, err
	}
	if rater1, err = table.Join(rater1, t1); err != nil {
		return nil, nil, err
	}
	if rater2 != nil {
		t2, err := stats(rater2, true)
		if err != nil {
			return nil, nil, err
		}
		if t2, err = t2.SelectColumns(keep); err != nil {
			return nil, nil, err
		}
		if rater2, err = table.Join(rater2, t2); err != nil {
			return nil, nil, err
		}
	}
	return rater1, rater2, nil
}

// variedColumns returns the columns of t without NaN and without any value
// repeated among the patients of one centre.
func (r *Result) variedColumns(t *table.Table) []string {
	center := map[string]string{}
	for _, p := range r.Cohort.Patients {
		center[p.ID] = p.Center
	}
	var keep []string
	for j, n := range t.Names {
		seen := map[[2]any]bool{}
		ok := true
		for i, id := range t.IDs {
			v := t.X[i][j]
			key := [2]any{center[id], v}
			if math.IsNaN(v) || seen[key] {
				ok = false
				break
			}
			seen[key] = true
		}
		if ok {
			keep = append(keep, n)
		}
	}
	return keep
}
