package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scirad/scirad/pipeline/batch"
	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/filter/gallery"
	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/table"
)

// maxSide bounds a network's input side (-size): 224 is the paper's; a
// side of 4096 already needs gigabytes of activations per image.
const maxSide = 4096

// runDeep trains one ResNet per image channel and writes the PCA-reduced
// pooled features of every patient (package deep).
func runDeep(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("deep", "-manifest manifest.csv -arch resnet18|resnet34|resnet152 -o deep.csv [-weights file.safetensors] [-profile quick|paper] [-seed 1]",
		"scirad deep -manifest out/toy/manifest.csv -arch resnet18 -o deep_resnet18.csv\n"+
			"  scirad deep -manifest out/toy/manifest.csv -arch resnet18 -o deep_resnet18_log.csv -filters "+filtersExample+"   # 7 networks", stderr)
	manifest := fs.String("manifest", "", "manifest.csv (patient_id,center,image,mask); clinical.csv beside it gives the outcome")
	arch := fs.String("arch", "resnet18", "network: resnet18, resnet34 or resnet152")
	out := fs.String("o", "", "output CSV: patient_id, center, split, {arch}_{image}_pc01…pc32")
	weights := fs.String("weights", "", "backbone weights (safetensors converted from torchvision; see testdata/deep/torch_to_safetensors.py); none: train from scratch")
	profile := fs.String("profile", "quick", "quick (32 px, 3 epochs) or paper (224 px, 50 epochs, batch 64)")
	seed := fs.Uint64("seed", 1, "seed of the 70/30 stratified split, initialisation, shuffling and augmentation")
	epochs := fs.Int("epochs", 0, "override the profile's number of epochs (0: the profile's)")
	size := fs.Int("size", 0, "override the profile's slice side in pixels, at least 32 (0: the profile's)")
	shardFlag := fs.String("shard", "", "only read and preprocess shard `K/N`'s patients (as scirad extract -shard) into <o without .csv>.shard-K-of-N.inputs and stop; train later with -inputs")
	shards := fs.Int("shards", 0, "the number of shards `N`, with SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX giving K")
	inputs := fs.String("inputs", "", "comma-separated `files or globs` of -shard outputs: every patient's preprocessed volumes, instead of reading the images")
	filtersV := filtersFlag(fs)
	if err := parse(fs, args, "manifest", "o"); err != nil {
		return err
	}
	filters, err := parseFilters(fs, *filtersV)
	if err != nil {
		return err
	}
	images := gallery.ImageNames(filters)
	if *size != 0 && (*size < 32 || *size > maxSide) {
		return fmt.Errorf("-size %d: want 32 to %d pixels (0: the profile's)", *size, maxSide)
	}
	if *epochs < 0 || *epochs > 10000 {
		return fmt.Errorf("-epochs %d: want 0 (the profile's) to 10000", *epochs)
	}
	clinPath := filepath.Join(filepath.Dir(*manifest), "clinical.csv")
	if err := outpath.Check(*out, *manifest, clinPath, *weights); err != nil {
		return err
	}
	var cfg deep.Config
	switch *profile {
	case "quick":
		cfg = deep.QuickConfig(*arch)
	case "paper":
		cfg = deep.PaperConfig(*arch)
	default:
		return fmt.Errorf("-profile %q: want quick or paper", *profile)
	}
	if _, err := deep.ArchByName(*arch); err != nil {
		return err
	}
	cfg.Train.Seed = *seed
	if *epochs > 0 {
		cfg.Train.Epochs = *epochs
	}
	if *size != 0 {
		cfg.Size = *size
	}
	if *weights != "" {
		w, err := deep.ReadSafetensors(*weights)
		if err != nil {
			return err
		}
		cfg.Weights = w
	}
	if len(filters) > 0 {
		cfg.Images = images
	}
	shard, err := batch.ShardFromEnv(*shardFlag, *shards, os.Getenv)
	if err != nil {
		return err
	}
	if !shard.Whole() && *inputs != "" {
		return fmt.Errorf("-inputs with a shard: a shard only prepares inputs, the training reads them all")
	}
	entries, err := cohort.ReadManifest(*manifest)
	if err != nil {
		return err
	}
	if !shard.Whole() {
		return deepShard(entries, shard, *out, filters, stdout)
	}
	for _, e := range entries {
		if err := outpath.Check(*out, e.Image, e.Mask, e.Mask2); err != nil {
			return err
		}
	}
	// The slices of every patient (one per image, float32, and a copy)
	// are held through training.
	side := float64(cfg.Size)
	if err := membudget.Check(fmt.Sprintf("deep: %d patients' slices of %d images at %d px", len(entries), len(images), cfg.Size), float64(len(entries))*float64(len(images))*side*side*4*2); err != nil {
		return err
	}
	clin, err := cohort.ReadClinical(clinPath)
	if err != nil {
		return fmt.Errorf("the outcome labels come from clinical.csv beside the manifest: %w", err)
	}
	outcome, err := cohort.DeriveOutcome(clin)
	if err != nil {
		return fmt.Errorf("%s: %w", clinPath, err)
	}
	labelOf := map[string]int{}
	for i, p := range clin {
		labelOf[p.ID] = outcome.Labels[i]
	}
	b, err := deep.NewBackend()
	if err != nil {
		return err
	}
	start := time.Now()
	var patients []deep.Patient
	var labels []int
	var centers []string
	var prepared []batch.Volumes
	if *inputs != "" {
		if prepared, err = deepInputs(*inputs, entries, filters); err != nil {
			return err
		}
	}
	for i, e := range entries {
		l, ok := labelOf[e.ID]
		if !ok {
			return fmt.Errorf("%s: patient %s has no row in %s", *manifest, e.ID, clinPath)
		}
		var p deep.Patient
		if prepared != nil {
			p = deep.Patient{ID: prepared[i].ID, Images: prepared[i].Images, Mask: prepared[i].Mask}
		} else if p, err = deep.LoadPatientImages(e.ID, e.Image, e.Mask, preprocess.Paper(), filters); err != nil {
			return err
		}
		patients = append(patients, p)
		labels = append(labels, l)
		centers = append(centers, e.Center)
	}
	fmt.Fprintf(stderr, "deep: %d patients read and preprocessed in %.1fs; backend %s\n", len(patients), time.Since(start).Seconds(), b.Name())
	trainIdx, _, err := classify.StratifiedSplit(labels, 0.3, *seed)
	if err != nil {
		return err
	}
	train := make([]bool, len(patients))
	split := make([]string, len(patients))
	for i := range split {
		split[i] = "test"
	}
	for _, i := range trainIdx {
		train[i], split[i] = true, "train"
	}
	res, err := deep.Features(context.Background(), b, patients, labels, train, cfg, stderr)
	if err != nil {
		return err
	}
	t := res.Table
	t.SetMeta("center", centers)
	t.SetMeta("split", split)
	fmt.Fprintf(stderr, "deep: %s features of %d patients in %.1fs\n", *arch, len(patients), time.Since(start).Seconds())
	return table.WriteFileAtomic(*out, t.Write)
}

// deepPrepHash identifies the deep stage's per-patient preprocessing: the
// settings and, when chosen, the filters (so the paper's hash is that of
// shards written before -filters).
func deepPrepHash(filters []string) string {
	b := fmt.Appendf(nil, "deep|%+v", preprocess.Paper())
	if len(filters) > 0 {
		b = fmt.Appendf(b, "|filters=%q", filters)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// deepShard reads and preprocesses shard s's patients (the per-patient
// part of the deep stage) and writes them for scirad deep -inputs.
func deepShard(entries []cohort.ManifestEntry, s batch.Shard, out string, filters []string, stdout io.Writer) error {
	path := s.Path(strings.TrimSuffix(out, ".csv") + ".inputs")
	if err := outpath.Check(path, out); err != nil {
		return err
	}
	picked := s.Pick(entries)
	vs := make([]batch.Volumes, len(picked))
	start := time.Now()
	err := batch.ForEach(context.Background(), 0, len(picked), func(i int) error {
		e := entries[picked[i]]
		p, err := deep.LoadPatientImages(e.ID, e.Image, e.Mask, preprocess.Paper(), filters)
		vs[i] = batch.Volumes{Row: picked[i], ID: e.ID, Center: e.Center, Images: p.Images, Mask: p.Mask}
		return err
	})
	if err != nil {
		return err
	}
	if err := batch.WriteVolumesShard(path, s, entries, deepPrepHash(filters), vs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote shard %s %s: %d of %d patients read and preprocessed in %.1fs; train with scirad deep -inputs\n",
		s, path, len(vs), len(entries), time.Since(start).Seconds())
	return nil
}

// deepInputs reads every shard named by list (comma-separated files or
// globs) and checks that they are this manifest's, prepared as deep does.
func deepInputs(list string, entries []cohort.ManifestEntry, filters []string) ([]batch.Volumes, error) {
	var files []string
	for _, pat := range strings.Split(list, ",") {
		m, err := filepath.Glob(strings.TrimSpace(pat))
		if err != nil || len(m) == 0 {
			return nil, fmt.Errorf("-inputs: %s matches no file", outpath.Quote(pat))
		}
		files = append(files, m...)
	}
	vs, h, err := batch.MergeVolumes(files)
	if err != nil {
		return nil, err
	}
	if h.Manifest != batch.ManifestHash(entries) {
		return nil, errors.New("-inputs: the shards were prepared from another manifest (other patients, centres or order)")
	}
	if h.Settings != deepPrepHash(filters) {
		return nil, errors.New("-inputs: the shards were prepared with other preprocessing settings or -filters")
	}
	return vs, nil
}
