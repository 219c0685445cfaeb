package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// Options control how ExtractCohort runs; none changes the values.
type Options struct {
	// Workers is the number of patients processed at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if not nil, receives a one-line progress bar, redrawn as
	// patients finish.
	Progress io.Writer
	// Resume, if not empty, is a sidecar CSV: rows already there with the
	// same settings hash, the same input files (path, size, modification
	// time) and an intact checksum are reused instead of recomputed, and
	// each finished patient is appended at once, so an interrupted run
	// loses at most the patients in flight.
	Resume string
	// ReadImage and ReadLabelMap read the manifest's files; nil means
	// volio.ReadImage and volio.ReadLabelMap (NIfTI, NRRD, Slicer .seg.nrrd).
	ReadImage, ReadLabelMap func(path string) (*volume.Volume, error)
}

// Result is the output of ExtractCohort.
type Result struct {
	// Features has one row per patient (manifest order), the center as
	// metadata and CohortSettings.Columns() as features, from the rater-1
	// masks.
	Features *table.Table
	// Rater2 is the same from the mask_rater2 masks, for the patients that
	// have one; nil when none has.
	Rater2 *table.Table
	// Reused counts the extractions taken from the resume file.
	Reused int
}

// Reliability returns each feature's inter-rater ICC between Features and
// Rater2 (package icc; the paper's step: features with ICC(2,1) < 0.75 are
// flagged). It is an error when no patient has a rater-2 mask.
func (r *Result) Reliability(o icc.Options) ([]icc.Feature, error) {
	if r.Rater2 == nil {
		return nil, errors.New("batch: no patient has a mask_rater2; the ICC needs two raters")
	}
	return icc.Features(r.Features, r.Rater2, o)
}

// job is one extraction: a patient's image with one rater's mask.
type job struct {
	row   int // index into the manifest rows
	rater int // 1 or 2
	mask  string
	key   string // resume key
}

// ExtractCohort extracts every patient of rows: for each, it reads the
// image once, then for each rater's mask reads the mask, runs
// preprocess.Run (gallery.Preprocess with the settings' Filters) and
// extracts each ROI of each image (radiomics.ExtractImages). Patients run in parallel (ForEach). A patient
// whose extraction fails makes ExtractCohort return an error naming every
// failed patient; with Resume set, the patients that succeeded are kept for
// the next run. Cancelling ctx stops before the next patient. No rows give
// empty tables (an empty shard).
func ExtractCohort(ctx context.Context, rows []cohort.ManifestEntry, cs radiomics.CohortSettings, o Options) (*Result, error) {
	if err := cs.Features.Validate(); err != nil {
		return nil, err
	}
	if len(cs.Features.ResampledPixelSpacing) > 0 {
		return nil, errors.New("batch: resampledPixelSpacing in the params: the cohort's resampling is set by the preprocess settings")
	}
	for _, it := range cs.Features.ImageTypes {
		if it.Name != "Original" {
			return nil, fmt.Errorf("batch: imageType %s in the params: the cohort extraction computes the Original features of each preprocessed image (%s); choose its filters with the settings' Filters (scirad extract -filters), or extract image types of one image with scirad features", it.Name, strings.Join(cs.ImageNames(), ", "))
		}
	}
	if err := cs.CheckFilters(); err != nil {
		return nil, err
	}
	if o.ReadImage == nil {
		o.ReadImage = volio.ReadImage
	}
	if o.ReadLabelMap == nil {
		o.ReadLabelMap = volio.ReadLabelMap
	}
	cols := cs.Columns()
	var jobs []job
	for i, r := range rows {
		jobs = append(jobs, job{i, 1, r.Mask, inputKey(r.ID, 1, r.Image, r.Mask)})
		if r.Mask2 != "" {
			jobs = append(jobs, job{i, 2, r.Mask2, inputKey(r.ID, 2, r.Image, r.Mask2)})
		}
	}
	done := map[string][]float64{}
	var side *sidecar
	if o.Resume != "" {
		var err error
		if done, err = readSidecar(o.Resume, cs.Hash(), cols); err != nil {
			return nil, err
		}
		if side, err = openSidecar(o.Resume, cs.Hash(), cols, len(done) > 0); err != nil {
			return nil, err
		}
		defer side.close()
	}
	results := make([][]float64, len(jobs))
	reused := 0
	// One task per patient, so the image is read once for both raters.
	var todo [][]int
	for j, jb := range jobs {
		if v, ok := done[jb.key]; ok {
			results[j] = v
			reused++
			continue
		}
		if n := len(todo); n > 0 && jobs[todo[n-1][0]].row == jb.row {
			todo[n-1] = append(todo[n-1], j)
		} else {
			todo = append(todo, []int{j})
		}
	}
	bar := progress.New(o.Progress, "extract", len(jobs))
	bar.Add(reused, "")
	errs := make([]error, len(jobs))
	err := ForEach(ctx, o.Workers, len(todo), func(t int) error {
		task := todo[t]
		row := rows[jobs[task[0]].row]
		img, readErr := o.ReadImage(row.Image)
		for _, j := range task {
			jb := jobs[j]
			var vals []float64
			err := readErr
			if err == nil {
				vals, err = extractPatient(img, jb.mask, cs, o)
			}
			if err == nil && side != nil {
				err = side.append(jb.key, vals)
			}
			if err != nil {
				errs[j] = fmt.Errorf("patient %s (rater %d): %w", row.ID, jb.rater, err)
			} else {
				results[j] = vals
			}
			bar.Step()
		}
		return nil // failures are gathered below, every patient named
	})
	if err != nil {
		return nil, err
	}
	var failed []string
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("batch: %d of %d extractions failed:\n  %s", len(failed), len(jobs), strings.Join(failed, "\n  "))
	}
	res := &Result{Reused: reused}
	for rater := 1; rater <= 2; rater++ {
		t := &table.Table{IDName: "patient_id", MetaName: []string{"center"}, Meta: [][]string{nil}, Names: cols}
		for j, jb := range jobs {
			if jb.rater != rater {
				continue
			}
			t.IDs = append(t.IDs, rows[jb.row].ID)
			t.Meta[0] = append(t.Meta[0], rows[jb.row].Center)
			t.X = append(t.X, results[j])
		}
		if rater == 1 {
			res.Features = t
		} else if t.Rows() > 0 {
			res.Rater2 = t
		}
	}
	return res, nil
}

// extractPatient preprocesses and extracts one patient's image with one mask.
func extractPatient(img *volume.Volume, maskPath string, cs radiomics.CohortSettings, o Options) ([]float64, error) {
	mask, err := o.ReadLabelMap(maskPath)
	if err != nil {
		return nil, err
	}
	pre, err := cs.PreprocessImages(img, mask)
	if err != nil {
		return nil, err
	}
	return radiomics.ExtractImages(pre, cs)
}
