package toy

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/batch"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/run"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// DeepConfig is the notebooks' setting for one network: deep.QuickConfig
// (32 × 32 slices, batch 16, the paper's learning rate, momentum and
// augmentation) with 8 epochs, enough for a training curve; about ten
// seconds for ResNet18's five models on two cores.
func DeepConfig(arch string) deep.Config {
	c := deep.QuickConfig(arch)
	c.Train.Epochs = 8
	return c
}

// GradCAMConfig is DeepConfig at 64 × 64 pixels and 3 epochs (about 30
// seconds on two cores): at 32 pixels ResNet's layer4, where Grad-CAM
// looks, is 1 × 1 and every heat map is flat; at 64 it is 2 × 2 (at the
// paper's 224, 7 × 7).
func GradCAMConfig(arch string) deep.Config {
	c := deep.QuickConfig(arch)
	c.Size, c.Train.Epochs = 64, 3
	return c
}

// TrainMask marks the training patients of Split.
func TrainMask(c *cohort.Cohort) ([]bool, error) {
	train, _, err := Split(c)
	if err != nil {
		return nil, err
	}
	m := make([]bool, len(c.Patients))
	for _, i := range train {
		m[i] = true
	}
	return m, nil
}

// The toy cohort: 40 patients on the small grid (64×112×8–12 voxels of
// 1.2 mm), seed 1. The paper analysed 82 patients; 40 keep each notebook
// fast while leaving both outcome classes in every centre.
const (
	Patients = 40
	Seed     = 1
)

// EnvOut names the environment variable that overrides Dir.
const EnvOut = "SCIRAD_NOTEBOOK_OUT"

// Dir is the folder the notebooks share: $SCIRAD_NOTEBOOK_OUT, or else
// out/notebooks in the repository that holds the working directory (found
// by walking up to go.mod).
func Dir() (string, error) {
	if d := os.Getenv(EnvOut); d != "" {
		return filepath.Abs(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "out", "notebooks"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("toy: no go.mod above %s; set %s", wd, EnvOut)
		}
	}
}

// Cohort returns the toy cohort folder dir/cohort, writing it with
// synth.Write first if it has no manifest.csv yet.
func Cohort(dir string) (string, error) {
	final := filepath.Join(dir, "cohort")
	if _, err := os.Stat(filepath.Join(final, "manifest.csv")); err == nil {
		return final, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(dir, "cohort.tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if _, err := synth.Write(tmp, synth.Options{N: Patients, Seed: Seed, Size: synth.Small, Workers: 2}); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another notebook finished first: use its cohort.
		if _, serr := os.Stat(filepath.Join(final, "manifest.csv")); serr == nil {
			return final, nil
		}
		return "", err
	}
	return final, nil
}

// Load returns the toy cohort, loaded and validated by cohort.LoadOptions
// with the NIfTI/NRRD readers.
func Load(dir string) (*cohort.Cohort, error) {
	c, err := Cohort(dir)
	if err != nil {
		return nil, err
	}
	return cohort.LoadOptions(c, &cohort.Options{ReadImage: volio.ReadImage, ReadLabelMap: volio.ReadLabelMap})
}

// Radiomics returns the toy cohort's radiomics tables, rater 1 and rater 2
// (batch.ExtractCohort with radiomics.PaperCohortSettings), extracting
// them the first time and caching them as dir/radiomics.csv and
// dir/radiomics_rater2.csv. progress, if not nil, gets the progress bar.
func Radiomics(ctx context.Context, dir string, progress io.Writer) (r1, r2 *table.Table, err error) {
	p1, p2 := filepath.Join(dir, "radiomics.csv"), filepath.Join(dir, "radiomics_rater2.csv")
	if r1, err = table.ReadFile(p1); err == nil {
		if r2, err = table.ReadFile(p2); err == nil {
			return r1, r2, nil
		}
	}
	c, err := Load(dir)
	if err != nil {
		return nil, nil, err
	}
	res, err := batch.ExtractCohort(ctx, c.Manifest(), radiomics.PaperCohortSettings(), batch.Options{Progress: progress})
	if err != nil {
		return nil, nil, err
	}
	if res.Rater2 == nil {
		return nil, nil, fmt.Errorf("toy: the toy cohort has no second-rater masks")
	}
	if err := res.Features.WriteFile(p1); err != nil {
		return nil, nil, err
	}
	if err := res.Rater2.WriteFile(p2); err != nil {
		return nil, nil, err
	}
	return res.Features, res.Rater2, nil
}

// Profile is run.Quick trimmed for notebooks: ResNet34 only (the paper's
// best network; its signatures ResNet34 and Rad+ResNet34 are the paper's
// headline), and fewer repeats, permutations and bootstrap resamples (the
// robustness checks are the slowest part of a quick run).
func Profile() run.Profile {
	p := run.Quick()
	p.Name = "notebook"
	p.DeepArchs = []string{"resnet34"}
	p.Repeats = 2
	p.Perms = 20
	p.Bootstraps = 20
	return p
}

// RunConfig is the configuration of a whole run on the toy cohort with
// Profile, writing to dir/run-name (each notebook its own name, so that two
// notebooks running at once never share an output folder).
func RunConfig(dir, name string, log io.Writer) (run.Config, error) {
	c, err := Cohort(dir)
	if err != nil {
		return run.Config{}, err
	}
	return run.Config{Cohort: c, Out: filepath.Join(dir, "run-"+name), Profile: Profile(), Seed: Seed, Log: log}, nil
}

// Split is the toy cohort's training/test split of patient indices: the
// split run.Run draws for Profile and Seed (run.Split), so a notebook that
// uses it outside a run works on the same training patients as the run.
func Split(c *cohort.Cohort) (train, test []int, err error) {
	return run.Split(c, Profile(), Seed)
}

// DeepPatients reads and preprocesses every patient of c with
// deep.LoadPatient and deep.PaperPreprocessing, as run.Run does: the deep
// stage's inputs, in cohort order.
func DeepPatients(c *cohort.Cohort) ([]deep.Patient, error) {
	s := deep.PaperPreprocessing()
	ps := make([]deep.Patient, len(c.Patients))
	for i, p := range c.Patients {
		var err error
		if ps[i], err = deep.LoadPatient(p.ID, p.Image, p.Mask, s); err != nil {
			return nil, fmt.Errorf("toy: %s: %w", p.ID, err)
		}
	}
	return ps, nil
}
