package run

import (
	"fmt"
	"io"
	"runtime"
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

	LassoFolds int  // LASSO cross-validation folds (10)
	MRMRTopK   int  // features kept by mRMR before LASSO
	Grid       bool // grid search every classifier
	Repeats    int  // repeated stratified CV: repeats × 5 folds
	Perms      int  // label permutations for the permutation test
	Bootstraps int  // bootstrap resamples for the optimism-corrected AUC
}

// Quick is the default profile.
func Quick() Profile {
	return Profile{
		Name: "quick", TestFraction: 0.3, ICCThreshold: 0.75,
		DeepArchs: []string{"resnet18", "resnet34", "resnet152"},
		DeepSize:  32, DeepEpochs: 3, DeepBatch: 16, DeepLR: 0.01, DeepPCA: 32,
		LassoFolds: 10, MRMRTopK: 20, Grid: false, Repeats: 5, Perms: 100, Bootstraps: 100,
	}
}

// Paper is the paper's profile.
func Paper() Profile {
	return Profile{
		Name: "paper", TestFraction: 0.3, ICCThreshold: 0.75,
		DeepArchs: []string{"resnet18", "resnet34", "resnet152"},
		DeepSize:  224, DeepEpochs: 50, DeepBatch: 64, DeepLR: 0.01, DeepPCA: 32,
		LassoFolds: 10, MRMRTopK: 20, Grid: true, Repeats: 5, Perms: 1000, Bootstraps: 200,
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
}

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}
