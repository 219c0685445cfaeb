package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/scirad/scirad/pipeline/run"
)

// runPipeline is run.Run; tests replace it to see the Config the flags give.
var runPipeline = run.Run

func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "-cohort DIR -out DIR [-profile quick|paper] [-seed N] [-filters a,b,…]",
		"scirad synth -out toy && scirad run -cohort toy -out results -profile quick -seed 1\n"+
			"  scirad run -cohort toy -out results-log -filters "+filtersExample+"   # 7 images: 1498 radiomics columns, 7 networks per ResNet", stderr)
	cohortDir := fs.String("cohort", "", "cohort `folder` (clinical.csv, manifest.csv, images/, masks/)")
	out := fs.String("out", "", "output `folder`: radiomics.csv, deep_*.csv, tables/, figures/, models/, report.html, run.json")
	profile := fs.String("profile", "quick", "quick (2-core CPU, minutes) or paper (the paper's settings; meant for a GPU)")
	seed := fs.Uint64("seed", 1, "seed of every random choice; the same seed gives byte-identical tables")
	workers := fs.Int("workers", 0, "parallel workers; 0 = all cores")
	archs := fs.String("archs", "", "comma-separated ResNets to train (default: the profile's resnet18,resnet34,resnet152; \"none\" skips deep features)")
	thresholdFrom := fs.String("threshold-from", "all", "patients whose mean δ is the outcome threshold: all (the paper) or train (the training patients only, so no test outcome shapes a training label)")
	mapStats := fs.Bool("map-stats", false, "also use summary statistics (mean, SD, P10, P90) of the 93 voxel-based feature maps of each ROI as radiomics features (744 columns; off as in the paper)")
	filtersV := filtersFlag(fs)
	if err := parse(fs, args, "cohort", "out"); err != nil {
		return err
	}
	filters, err := parseFilters(fs, *filtersV)
	if err != nil {
		return err
	}
	if err := runOutsideInputs(*out, *cohortDir); err != nil {
		return err
	}
	p, err := run.ProfileByName(*profile)
	if err != nil {
		return err
	}
	switch *archs {
	case "":
	case "none":
		p.DeepArchs = nil
	default:
		p.DeepArchs = strings.Split(*archs, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := runPipeline(ctx, run.Config{Cohort: *cohortDir, Out: *out, Profile: p, Seed: *seed, Workers: *workers, Log: stderr, MapStats: *mapStats, ThresholdFrom: *thresholdFrom, Filters: filters})
	if err != nil {
		return err
	}
	total := 0.0
	for _, t := range r.Timings {
		total += t.Seconds
	}
	fmt.Fprintf(stdout, "scirad run: %.1f s; report: %s\n", total, r.ReportPath())
	return nil
}
