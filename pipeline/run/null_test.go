package run

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
)

// Tests that fail when the science is wrong (issue 14): a pipeline that
// fits anything on the rows it scores finds signal in label-shuffled
// cohorts, and a pipeline that lets test patients into a training step
// changes its training outputs when their images are swapped.

var shuffledToy = flag.Bool("shuffled-toy", false, "run the acceptance check on four label-shuffled copies of the toy cohort (synth -seed 1 -size small; the quick profile; about 20 minutes on two busy cores)")

// shuffleOutcome writes a copy of the cohort folder src (clinical.csv
// rewritten, the rest linked) to dst with the outcome permuted across
// patients: each patient gets another's UEMS at admission and at one year
// (so δ, the outcome, moves as a whole), seeded.
func shuffleOutcome(t testing.TB, src, dst string, seed uint64) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"manifest.csv", "images", "masks"} {
		if err := os.Symlink(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(src, "clinical.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cols := []int{slices.Index(recs[0], "uems_admission"), slices.Index(recs[0], "uems_1y")}
	perm := rand.New(rand.NewPCG(seed, 7)).Perm(len(recs) - 1)
	out := [][]string{recs[0]}
	for i := 1; i < len(recs); i++ {
		row := slices.Clone(recs[i])
		for _, c := range cols {
			row[c] = recs[1+perm[i-1]][c]
		}
		out = append(out, row)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(out)
	if err := os.WriteFile(filepath.Join(dst, "clinical.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// reportedRow returns the reported row of signature sig in robustness.csv.
func reportedRow(t testing.TB, out, sig string) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "tables", "robustness.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[0] == sig && r[2] == "reported" {
			m := map[string]float64{}
			for j, h := range recs[0] {
				if v, err := strconv.ParseFloat(r[j], 64); err == nil {
					m[h] = v
				} else {
					m[h] = math.NaN()
				}
			}
			return m
		}
	}
	t.Fatalf("no reported %s row in robustness.csv", sig)
	return nil
}

// TestShuffledToyCohort is issue 14's acceptance check, run with
// -shuffled-toy: on four label-shuffled copies of the toy cohort (scirad
// synth -seed 1 -size small, outcome permuted across patients), the
// reported Rad model's permutation p is below 0.05 in at most one, and the
// mean CV and mean corrected AUC are at most 0.62. It runs the quick
// profile without the ResNets: the Rad signature's process uses no deep
// feature, so its numbers are those of a full run.
func TestShuffledToyCohort(t *testing.T) {
	if !*shuffledToy {
		t.Skip("the acceptance check takes about 20 minutes: go test ./pipeline/run -run TestShuffledToyCohort -shuffled-toy -v -timeout 60m")
	}
	dir := t.TempDir()
	toy := filepath.Join(dir, "toy")
	if _, err := synth.Write(toy, synth.Options{Seed: 1, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	p := Quick()
	p.DeepArchs = nil
	var small int
	var cvs, cors, harrell []float64
	for k := 1; k <= 4; k++ {
		c := filepath.Join(dir, fmt.Sprintf("shuffled%d", k))
		shuffleOutcome(t, toy, c, uint64(k))
		out := filepath.Join(dir, fmt.Sprintf("run%d", k))
		if _, err := Run(context.Background(), Config{Cohort: c, Out: out, Profile: p, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		row := reportedRow(t, out, "Rad")
		t.Logf("shuffle %d: permutation p %.4f, CV AUC %.4f, corrected AUC (.632+) %.4f (apparent %.4f, out-of-bag %.4f), Harrell's %.4f, test AUC %.4f",
			k, row["perm_p"], row["cv_auc_mean"], row["corrected_auc"], row["apparent_auc"], row["oob_auc"], row["harrell_corrected_auc"], row["test_auc"])
		if row["perm_p"] < 0.05 {
			small++
		}
		cvs, cors, harrell = append(cvs, row["cv_auc_mean"]), append(cors, row["corrected_auc"]), append(harrell, row["harrell_corrected_auc"])
	}
	t.Logf("p < 0.05 in %d of 4; mean CV AUC %.4f; mean corrected AUC (.632+) %.4f; mean Harrell's corrected AUC %.4f", small, mean(cvs), mean(cors), mean(harrell))
	if small > 1 || mean(cvs) > 0.62 || mean(cors) > 0.62 {
		t.Errorf("label-shuffled toy cohorts look predictable: p < 0.05 in %d of 4, mean CV AUC %.3f, mean corrected AUC %.3f", small, mean(cvs), mean(cors))
	}
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// nullProfile is the quick profile cut to what a null test needs: no
// ResNets, three cheap classifiers, small resampling counts.
func nullProfile() Profile {
	p := Quick()
	p.DeepArchs = nil
	p.Models = []string{"lr", "nb", "rf"}
	p.Repeats, p.Perms, p.Bootstraps = 1, 19, 10
	return p
}

// TestNullShuffledLabels: on a small synthetic cohort whose labels are
// shuffled (six seeds), the whole-pipeline resampling finds nothing: the
// reported model's permutation p is roughly uniform, its CV and corrected
// AUC centre on ½. The radiomics are extracted once (they see no label);
// each shuffle re-runs every later stage.
func TestNullShuffledLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline on eight shuffles")
	}
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 40, Seed: 5, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	base := &Result{Config: Config{Cohort: dir, Out: filepath.Join(dir, "out"), Profile: nullProfile(), Seed: 1, Log: io.Discard}}
	for _, stage := range []func() (string, error){base.loadCohort, base.split, func() (string, error) { return base.radiomics(context.Background()) }} {
		if err := os.MkdirAll(filepath.Join(base.Config.Out, "tables"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := stage(); err != nil {
			t.Fatal(err)
		}
	}
	var ps, cvs, cors []float64
	for k := uint64(1); k <= 6; k++ {
		r := shuffledCopy(t, base, k)
		if err := r.downstream(context.Background()); err != nil {
			t.Fatal(err)
		}
		s := r.Sigs[0]
		m := s.Models[s.Best]
		ps, cvs, cors = append(ps, m.Perm.P), append(cvs, s.CV.Chosen.Mean), append(cors, m.Optimism.Corrected)
		t.Logf("shuffle %d: p %.3f, CV AUC %.3f, corrected (.632+) %.3f (apparent %.3f), Harrell's %.3f", k, m.Perm.P, s.CV.Chosen.Mean, m.Optimism.Corrected, m.Optimism.Apparent, s.Boot.Harrell.Corrected)
	}
	low := 0
	for _, p := range ps {
		if p <= 0.1 {
			low++
		}
	}
	t.Logf("mean p %.3f (%d of 6 at most 0.1), mean CV AUC %.3f, mean corrected AUC %.3f", mean(ps), low, mean(cvs), mean(cors))
	if low > 2 || mean(ps) < 0.25 || mean(ps) > 0.75 {
		t.Errorf("permutation p on shuffled labels %v: not roughly uniform", ps)
	}
	if m := mean(cvs); m < 0.38 || m > 0.62 {
		t.Errorf("CV AUC on shuffled labels %v: mean %.3f, want about ½", cvs, m)
	}
	if m := mean(cors); m < 0.38 || m > 0.62 {
		t.Errorf("corrected AUC on shuffled labels %v: mean %.3f, want about ½", cors, m)
	}
}

// shuffledCopy returns a Result that shares base's cohort images and
// radiomics but has its outcome labels permuted (seeded), ready for the
// stages after the radiomics.
func shuffledCopy(t *testing.T, base *Result, seed uint64) *Result {
	t.Helper()
	c := *base.Cohort
	o := c.Outcome
	o.Labels = slices.Clone(o.Labels)
	rand.New(rand.NewPCG(seed, 11)).Shuffle(len(o.Labels), func(a, b int) { o.Labels[a], o.Labels[b] = o.Labels[b], o.Labels[a] })
	c.Outcome = o
	out := filepath.Join(t.TempDir(), "run")
	for _, d := range []string{"tables", "figures", "models"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := base.Config
	cfg.Out = out
	r := &Result{Config: cfg, Cohort: &c, Deep: map[string]*DeepOutput{}, radRaw: base.radRaw, rater2: base.rater2}
	return r
}

// downstream runs the stages after the radiomics (no ResNets): split,
// harmonise, select, models, robustness.
func (r *Result) downstream(ctx context.Context) error {
	for _, f := range []func() (string, error){
		r.split,
		func() (string, error) { return r.harmonize(ctx) },
		r.selectFeatures,
		func() (string, error) { return r.models(ctx) },
		func() (string, error) { return r.robustness(ctx) },
	} {
		if _, err := f(); err != nil {
			return err
		}
	}
	return nil
}
