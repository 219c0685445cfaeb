package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/scirad/scirad/pipeline/batch"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
)

// runExtract extracts the paper's 1070 radiomics features of every patient
// in a manifest, and the rater-to-rater ICC when masks of a second rater
// are listed.
func runExtract(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("extract", "-manifest manifest.csv -o radiomics.csv [-params params.yaml] [-filters a,b,…] [-workers N] [-shard K/N | -shards N]",
		`scirad extract -manifest out/toy/manifest.csv -o out/radiomics.csv -workers 2
  scirad extract -manifest out/toy/manifest.csv -o out/radiomics_log.csv -filters `+filtersExample+`
  scirad extract -manifest out/toy/manifest.csv -o out/radiomics.csv -shard 0/4   # writes out/radiomics.shard-0-of-4.csv
  scirad merge -o out/radiomics.csv out/radiomics.shard-*.csv`, stderr)
	manifest := fs.String("manifest", "", "manifest `file` (patient_id,center,image,mask[,mask_rater2])")
	out := fs.String("o", "", "output feature table `file` (CSV); a resume file <o>.resume is kept beside it")
	params := fs.String("params", "", "pyradiomics params YAML `file`; without binWidth/binCount the paper's binCount 32 stays")
	workers := fs.Int("workers", 0, "patients processed at once; 0 = all CPUs")
	threshold := fs.Float64("icc", icc.DefaultThreshold, "ICC(2,1) `threshold` below which a feature is flagged unreliable (needs mask_rater2)")
	quiet := fs.Bool("q", false, "no progress bar")
	shardFlag := fs.String("shard", "", "compute only shard `K/N` (0 ≤ K < N; patients split by a hash of their id) into <o>.shard-K-of-N.csv, for scirad merge; "+
		"without it, SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_COUNT or -shards) or JOB_COMPLETION_INDEX (with -shards) choose the shard")
	shards := fs.Int("shards", 0, "the number of shards `N`, with SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX giving K (needed when only some array tasks are resubmitted)")
	filtersV := filtersFlag(fs)
	if err := parse(fs, args, "manifest", "o"); err != nil {
		return err
	}
	filters, err := parseFilters(fs, *filtersV)
	if err != nil {
		return err
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return fmt.Errorf("-icc %g: want an ICC threshold in [0, 1]", *threshold)
	}
	cs := radiomics.PaperCohortSettings()
	if *params != "" {
		s, err := radiomics.ReadParamsFile(*params)
		if err != nil {
			return err
		}
		if s.BinWidth == 0 && s.BinCount == 0 {
			s.BinCount = 32
		}
		cs.Features = s
	}
	cs.Filters = filters
	shard, err := batch.ShardFromEnv(*shardFlag, *shards, os.Getenv)
	if err != nil {
		return err
	}
	rows, err := cohort.ReadManifest(*manifest)
	if err != nil {
		return err
	}
	if sameFile(*out, *manifest) {
		return fmt.Errorf("refusing to write over input %s: choose another -o", *manifest)
	}
	// Every output, derived ones included, against every input.
	ins := []string{*manifest, *params}
	for _, r := range rows {
		ins = append(ins, r.Image, r.Mask, r.Mask2)
	}
	base := strings.TrimSuffix(*out, ".csv")
	outs := []string{*out, *out + ".resume", base + "_rater2.csv", base + "_icc.csv"}
	if !shard.Whole() {
		outs = []string{shard.Path(*out), shard.Path(*out) + ".resume"}
	}
	if err := outpath.CheckAll(outs, ins); err != nil {
		return err
	}
	var progress io.Writer = stderr
	if *quiet {
		progress = nil
	}
	sub := rows
	if !shard.Whole() {
		sub = nil
		for _, i := range shard.Pick(rows) {
			sub = append(sub, rows[i])
		}
	}
	path := shard.Path(*out)
	if shard.Whole() {
		path = *out
	}
	res, err := batch.ExtractCohort(context.Background(), sub, cs, batch.Options{
		Workers: *workers, Progress: progress, Resume: path + ".resume",
		ReadImage: volio.ReadImage, ReadLabelMap: volio.ReadLabelMap,
	})
	if err != nil {
		return err
	}
	if !shard.Whole() {
		if err := batch.WriteShard(path, shard, rows, cs.Hash(), res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote shard %s %s: %d of %d patients x %d features (%d extractions reused from %s.resume); scirad merge joins the shards\n",
			shard, path, res.Features.Rows(), len(rows), len(res.Features.Names), res.Reused, path)
		return nil
	}
	if err := res.Features.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d patients x %d features (%d reused from %s.resume)\n",
		*out, res.Features.Rows(), len(res.Features.Names), res.Reused, *out)
	return writeRater2(stdout, base, res, *threshold)
}

// writeRater2 writes <base>_rater2.csv and <base>_icc.csv when res has
// second-rater rows (scirad extract and scirad merge write the same).
func writeRater2(stdout io.Writer, base string, res *batch.Result, threshold float64) error {
	if res.Rater2 == nil {
		return nil
	}
	if err := res.Rater2.WriteFile(base + "_rater2.csv"); err != nil {
		return err
	}
	fsICC, err := res.Reliability(icc.Options{Threshold: threshold})
	if err != nil {
		return err
	}
	if err := table.WriteFileAtomic(base+"_icc.csv", func(w io.Writer) error { return icc.WriteCSV(w, fsICC) }); err != nil {
		return err
	}
	kept := 0
	for _, f := range fsICC {
		if f.Keep {
			kept++
		}
	}
	fmt.Fprintf(stdout, "wrote %s_rater2.csv (%d patients) and %s_icc.csv: %d of %d features have ICC(2,1) > %g\n",
		base, res.Rater2.Rows(), base, kept, len(fsICC), threshold)
	return nil
}
