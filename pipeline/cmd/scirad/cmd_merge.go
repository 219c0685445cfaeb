package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scirad/scirad/pipeline/batch"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
)

// runMerge joins the shard files of scirad extract -shard K/N into the
// tables a single scirad extract writes, byte for byte.
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "-o radiomics.csv SHARD.csv...",
		"scirad merge -o out/radiomics.csv out/radiomics.shard-*.csv", stderr)
	define := func(fs *flag.FlagSet) (out *string, threshold *float64) {
		out = fs.String("o", "", "output feature table `file` (CSV); <o>_rater2.csv and <o>_icc.csv too when the shards hold second-rater rows")
		threshold = fs.Float64("icc", icc.DefaultThreshold, "ICC(2,1) `threshold` below which a feature is flagged unreliable (as scirad extract)")
		return out, threshold
	}
	out, threshold := define(fs)
	// The shard files follow the flags: a probe finds where they start, so
	// that parse sees the flags alone and reports their mistakes as every
	// command does.
	probe := flag.NewFlagSet("probe", flag.ContinueOnError)
	probe.SetOutput(io.Discard)
	define(probe)
	var shards []string
	if probe.Parse(args) == nil {
		shards = probe.Args()
		args = args[:len(args)-len(shards)]
	}
	if err := parse(fs, args, "o"); err != nil {
		return err
	}
	if len(shards) == 0 {
		fmt.Fprintf(fs.Output(), "%s: no shard files given (%s -h lists the flags)\n", fs.Name(), fs.Name())
		return errUsage
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return fmt.Errorf("-icc %g: want an ICC threshold in [0, 1]", *threshold)
	}
	base := strings.TrimSuffix(*out, ".csv")
	if err := outpath.CheckAll([]string{*out, base + "_rater2.csv", base + "_icc.csv"}, shards); err != nil {
		return err
	}
	res, h, err := batch.Merge(shards)
	if err != nil {
		return err
	}
	if err := res.Features.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d patients x %d features from %d shards (settings %s)\n",
		*out, res.Features.Rows(), len(res.Features.Names), h.Shards, h.Settings)
	return writeRater2(stdout, base, res, *threshold)
}
