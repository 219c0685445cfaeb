package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/compute"

	"github.com/scirad/scirad/pipeline/batch"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/harmonize"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// Result holds everything a run produced, for the report and for callers
// (notebooks) that want the objects rather than the files.
type Result struct {
	Config   Config
	Cohort   *cohort.Cohort
	Table1   *cohort.Table1
	Train    []int // patient indices (cohort order) of the training split
	Test     []int
	ICC      []icc.Feature
	Features *table.Table           // fused, harmonised features, all patients, with outcome
	Deep     map[string]*DeepOutput // by architecture
	Sigs     []*SignatureResult     // the paper's signatures, Table 2 then Table 3 order
	Timings  []StageTiming
	Started  time.Time

	radRaw       *table.Table          // radiomics of every patient (rater 1), before the ICC filter
	rater2       *table.Table          // the same from the second rater's masks; nil without
	features     *featureModel         // the process's step 1 fitted on the training patients
	combatRad    *harmonize.TableModel // ComBat model of the radiomics table
	deepPatients []deep.Patient        // the deep inputs, kept when the profile retrains networks in resamples
	backend      compute.Backend
	externalRows []evaluate.ExternalRow // leave-one-centre-out validation
	prov         *Provenance            // input hashes, computed once
}

// Run executes the whole pipeline and writes its outputs under cfg.Out.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Cohort == "" || cfg.Out == "" {
		return nil, fmt.Errorf("run: need a cohort folder and an output folder")
	}
	if err := cfg.cohortSettings().CheckFilters(); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if same, _ := sameDir(cfg.Cohort, cfg.Out); same {
		return nil, fmt.Errorf("run: the output folder %s is the cohort folder: choose another, inputs are never overwritten", cfg.Out)
	}
	for _, d := range []string{"", "tables", "figures", "models"} {
		if err := os.MkdirAll(filepath.Join(cfg.Out, d), 0o755); err != nil {
			return nil, err
		}
	}
	r := &Result{Config: cfg, Deep: map[string]*DeepOutput{}, Started: time.Now()}
	st := &stages{log: cfg.Log}
	steps := []struct {
		name string
		f    func() (string, error)
	}{
		{"cohort", func() (string, error) { return r.loadCohort() }},
		{"split", func() (string, error) { return r.split() }},
		{"radiomics", func() (string, error) { return r.radiomics(ctx) }},
		{"deep", func() (string, error) { return r.deep(ctx) }},
		{"harmonize", func() (string, error) { return r.harmonize(ctx) }},
		{"select", func() (string, error) { return r.selectFeatures() }},
		{"models", func() (string, error) { return r.models(ctx) }},
		{"robustness", func() (string, error) { return r.robustness(ctx) }},
		{"external", func() (string, error) { return r.external(ctx) }},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := st.do(s.name, s.f); err != nil {
			return nil, err
		}
	}
	if err := st.do("report", func() (string, error) {
		r.Timings = st.timings
		bundle, err := r.WriteBundle()
		if errors.Is(err, errNoBundle) {
			bundle, err = err.Error(), nil
		}
		if err != nil {
			return "", err
		}
		rep, err := r.writeReport()
		return rep + "; predictor for scirad predict and the browser demo: " + bundle, err
	}); err != nil {
		return nil, err
	}
	r.Timings = st.timings
	if err := r.writeProvenance(); err != nil {
		return nil, err
	}
	return r, nil
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(sa, sb), nil
}

func (r *Result) path(parts ...string) string {
	return filepath.Join(append([]string{r.Config.Out}, parts...)...)
}

// seed derives the seed of one stage from the run's seed, so that adding a
// stage never shifts another's random numbers.
func (r *Result) seed(stage string) uint64 { return StageSeed(r.Config.Seed, stage) }

func (r *Result) loadCohort() (string, error) {
	c, err := cohort.LoadOptions(r.Config.Cohort, &cohort.Options{ReadImage: volio.ReadImage, ReadLabelMap: volio.ReadLabelMap})
	if err != nil {
		return "", err
	}
	r.Cohort = c
	t1, err := c.Table1()
	if err != nil {
		return "", err
	}
	r.Table1 = t1
	if err := table.WriteFileAtomic(r.path("tables", "table1.csv"), t1.WriteCSV); err != nil {
		return "", err
	}
	if err := table.WriteFileAtomic(r.path("tables", "table1.html"), t1.WriteHTML); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d patients from %d centres: %d good, %d poor (threshold %.2f)",
		len(c.Patients), len(uniq(c.Centers())), c.Outcome.Good, c.Outcome.Poor, c.Outcome.Threshold), nil
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (r *Result) split() (string, error) {
	train, test, err := Split(r.Cohort, r.Config.Profile, r.Config.Seed)
	if err != nil {
		return "", err
	}
	r.Train, r.Test = train, test
	note, err := r.trainThreshold()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d training, %d test patients (stratified, seed %d)%s", len(train), len(test), r.Config.Seed, note), nil
}

func (r *Result) manifest() []cohort.ManifestEntry {
	rows := make([]cohort.ManifestEntry, len(r.Cohort.Patients))
	for i, p := range r.Cohort.Patients {
		rows[i] = cohort.ManifestEntry{ID: p.ID, Center: p.Center, Image: p.Image, Mask: p.Mask, Mask2: p.Mask2}
	}
	return rows
}

// radiomics extracts every patient's radiomics features (both raters) and
// reports the ICC(2,1) filter on the training patients; the filter itself
// is step 1 of the process (fitFeatures), refitted in every resample.
func (r *Result) radiomics(ctx context.Context) (string, error) {
	cs := r.Config.cohortSettings()
	res, err := batch.ExtractCohort(ctx, r.manifest(), cs, batch.Options{
		Workers: r.Config.workers(), Progress: r.Config.Log,
		ReadImage: volio.ReadImage, ReadLabelMap: volio.ReadLabelMap,
	})
	if err != nil {
		return "", err
	}
	if r.Config.MapStats {
		if res.Features, res.Rater2, err = r.withMapStats(ctx, res.Features, res.Rater2); err != nil {
			return "", err
		}
	}
	if err := res.Features.WriteFile(r.path("radiomics.csv")); err != nil {
		return "", err
	}
	r.radRaw, r.rater2 = res.Features, res.Rater2
	note := "no second-rater masks: ICC filter skipped"
	if res.Rater2 != nil {
		fs, err := icc.Features(res.Features.Subset(r.Train), res.Rater2, icc.Options{Threshold: r.Config.Profile.ICCThreshold})
		if err != nil {
			return "", err
		}
		r.ICC = fs
		if err := table.WriteFileAtomic(r.path("tables", "icc.csv"), func(w io.Writer) error { return icc.WriteCSV(w, fs) }); err != nil {
			return "", err
		}
		kept := 0
		for _, f := range fs {
			if f.Keep {
				kept++
			}
		}
		note = fmt.Sprintf("ICC(2,1) ≥ %.2f on the training patients keeps %d", r.Config.Profile.ICCThreshold, kept)
	}
	return fmt.Sprintf("%d patients × %d features; %s", res.Features.Rows(), len(res.Features.Names), note), nil
}

// harmonize fits step 1 of the process on the training patients (the ICC
// filter and one ComBat model per feature table, centre as batch) and
// applies it to every patient: features_harmonized.csv.
func (r *Result) harmonize(ctx context.Context) (string, error) {
	var archs []string
	for _, arch := range r.Config.Profile.DeepArchs {
		if r.Deep[arch] != nil {
			archs = append(archs, arch)
		}
	}
	fm, err := r.fitFeatures(ctx, r.Train, r.trainLabels(), true, archs, false, r.mainSeeds(""))
	if err != nil {
		return "", err
	}
	r.features, r.combatRad = fm, fm.sources[0].combat
	all := make([]int, len(r.Cohort.Patients))
	for i := range all {
		all[i] = i
	}
	fused, err := fm.table(all)
	if err != nil {
		return "", err
	}
	labels := make([]string, fused.Rows())
	split := make([]string, fused.Rows())
	for i, y := range r.Cohort.Labels() {
		labels[i] = fmt.Sprint(y)
		split[i] = "train"
	}
	for _, i := range r.Test {
		split[i] = "test"
	}
	fused.SetMeta("outcome", labels)
	fused.SetMeta("split", split)
	r.Features = fused
	if err := fused.WriteFile(r.path("features_harmonized.csv")); err != nil {
		return "", err
	}
	return fmt.Sprintf("ComBat by centre (%s), learned on %d training patients, applied to all: %d columns", fm.mode, len(r.Train), len(fused.Names)), nil
}

// ReportPath is the path of report.html.
func (r *Result) ReportPath() string { return r.path("report.html") }
