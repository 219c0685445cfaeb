package run

import (
	"fmt"
	"io"
	"runtime"
	"slices"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/radiomics"
)

// Profile is a named set of settings. Quick runs the whole pipeline on the
// toy cohort on two CPU cores in minutes; Paper uses the paper's settings and
// is meant for a GPU.
type Profile struct {
	Name string

	TestFraction float64 // held-out share of patients (the paper's 0.3)
	ICCThreshold float64 // features with ICC(2,1) below are dropped (0.75)

	// Deep learning (paper: 224 px, batch 64, lr 0.01, 50 epochs, cosine).
	DeepArchs  []string
	DeepSize   int
	DeepEpochs int
	DeepBatch  int
	DeepLR     float64
	DeepPCA    int

	LassoFolds int // LASSO cross-validation folds (10)
	// LassoThresh is the LASSO's coordinate-descent convergence threshold:
	// glmnet's default 1e-7 (0 means package selection's 1e-18, which
	// reproduces glmnet run at thresh = 1e-18 to 1e-6 but is five times
	// slower, and the LASSO runs in every resample).
	LassoThresh float64
	MRMRTopK    int  // features kept by mRMR before LASSO
	Grid        bool // grid search every classifier
	// Models are the candidate classifiers (classify.Names when empty).
	Models []string `json:",omitempty"`

	// Beyond the paper: every resample below re-runs the whole process
	// (ICC filter, ComBat, selection, the classifiers and the choice of
	// the reported one) on its own rows.
	Repeats    int // repeated stratified CV: repeats × 5 folds
	Perms      int // label permutations for the permutation test
	Bootstraps int // bootstrap resamples for the optimism-corrected AUC
	// DeepInFolds retrains the ResNets and their PCA inside every fit of
	// a deep or fused signature: its repeated CV (one repeat) and its
	// leave-one-centre-out validation. Without it those signatures are not
	// resampled, since their features were learnt from every training
	// label. Permutations and bootstraps of a deep signature are never
	// run (15 networks per fit with the paper's five images, 3 × (1+N) with
	// N filters).
	DeepInFolds bool
}

// models returns the candidate classifiers.
func (p Profile) models() []string {
	if len(p.Models) == 0 {
		return classify.Names
	}
	return p.Models
}

// folds is k of every stratified k-fold CV of the resampling and of the
// choice of the reported model.
func (Profile) folds() int { return 5 }

// Quick is the default profile.
func Quick() Profile {
	return Profile{
		Name: "quick", TestFraction: 0.3, ICCThreshold: 0.75,
		DeepArchs: []string{"resnet18", "resnet34", "resnet152"},
		DeepSize:  32, DeepEpochs: 3, DeepBatch: 16, DeepLR: 0.01, DeepPCA: 32,
		LassoFolds: 10, LassoThresh: 1e-7, MRMRTopK: 20, Grid: false, Repeats: 5, Perms: 100, Bootstraps: 100,
	}
}

// Paper is the paper's profile.
func Paper() Profile {
	return Profile{
		Name: "paper", TestFraction: 0.3, ICCThreshold: 0.75,
		DeepArchs: []string{"resnet18", "resnet34", "resnet152"},
		DeepSize:  224, DeepEpochs: 50, DeepBatch: 64, DeepLR: 0.01, DeepPCA: 32,
		LassoFolds: 10, LassoThresh: 1e-7, MRMRTopK: 20, Grid: true, Repeats: 5, Perms: 1000, Bootstraps: 200,
		DeepInFolds: true,
	}
}

// ProfileByName returns Quick or Paper.
func ProfileByName(name string) (Profile, error) {
	switch name {
	case "", "quick":
		return Quick(), nil
	case "paper":
		return Paper(), nil
	}
	return Profile{}, fmt.Errorf("run: unknown profile %q (want quick or paper)", name)
}

// Config is one run.
type Config struct {
	Cohort  string // cohort folder (clinical.csv, manifest.csv, images/, masks/)
	Out     string // output folder
	Profile Profile
	Seed    uint64
	Workers int       // parallel workers for feature extraction; 0 = GOMAXPROCS
	Log     io.Writer // progress bars and one summary line per stage; nil = discard
	// ThresholdFrom is where the outcome threshold (the mean of δ) is
	// computed: "all" patients as the paper does (the default), or the
	// "train"ing patients only, so that no test patient's outcome shapes
	// a training label.
	ThresholdFrom string
	// MapStats adds the summary statistics of the voxel-based feature maps
	// (package featuremap: mean, SD, P10, P90 of each of the 93 maps over
	// the ROI, original image, both ROIs: 744 columns) to the radiomics
	// features (withMapStats). Off by default, as in the paper.
	MapStats bool
	// Filters name the filtered images extracted beside the original
	// (radiomics.CohortSettings.Filters: package gallery's registry) and
	// fed to the deep stage, one network per image; nil is the paper's
	// four (mean, box, gaussian, median).
	Filters []string
}

// cohortSettings are the run's extraction settings: the paper's, with
// Config.Filters.
func (c Config) cohortSettings() radiomics.CohortSettings {
	cs := radiomics.PaperCohortSettings()
	if len(c.Filters) > 0 {
		cs.Filters = slices.Clone(c.Filters)
	}
	return cs
}

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}
