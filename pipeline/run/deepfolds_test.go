package run

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/compute"

	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/table"
)

// deepFoldsProfile is the paper profile (DeepInFolds, grid search) cut to
// what one CPU test can afford: ResNet18 only, 32 px, one epoch, two cheap
// classifiers, one CV repeat, a few permutations and bootstraps.
func deepFoldsProfile() Profile {
	p := Paper()
	p.DeepArchs = []string{"resnet18"}
	p.DeepSize, p.DeepEpochs, p.DeepBatch = 32, 1, 16
	p.Models = []string{"lr", "nb"}
	p.Repeats, p.Perms, p.Bootstraps = 1, 5, 3
	return p
}

// retrainLog records, through the hooks of procedure.go, every retraining
// of the networks inside a resample (the patients it trained on and the
// feature table it produced) and every scoring of a fit.
type retrainLog struct {
	mu     sync.Mutex
	calls  map[*table.Table]*retrainCall // a retrained feature table → the call that trained it
	scores []scoreCall
}

// retrainCall is the input of one retraining.
type retrainCall struct {
	patients []deep.Patient
	labels   []int
	train    []bool
	cfg      deep.Config
}

type scoreCall struct {
	fit  *fit
	rows []int
}

// trainer is deep.Features or a stand-in with its signature.
type trainer = func(context.Context, compute.Backend, []deep.Patient, []int, []bool, deep.Config, io.Writer) (*deep.Result, error)

// install sets the hooks, retraining with train; the returned function
// restores them.
func (l *retrainLog) install(train trainer) func() {
	l.calls = map[*table.Table]*retrainCall{}
	oldFeatures, oldScored := deepFeatures, scored
	deepFeatures = func(ctx context.Context, b compute.Backend, patients []deep.Patient, labels []int, mask []bool, cfg deep.Config, w io.Writer) (*deep.Result, error) {
		res, err := train(ctx, b, patients, labels, mask, cfg, w)
		if err == nil {
			l.mu.Lock()
			l.calls[res.Table] = &retrainCall{patients, slices.Clone(labels), slices.Clone(mask), cfg}
			l.mu.Unlock()
		}
		return res, err
	}
	scored = func(f *fit, rows []int) {
		l.mu.Lock()
		l.scores = append(l.scores, scoreCall{f, slices.Clone(rows)})
		l.mu.Unlock()
	}
	return func() { deepFeatures, scored = oldFeatures, oldScored }
}

var deepFolds = flag.Bool("deep-folds", false, "run TestDeepInFoldsResNet: the paper profile's path with real ResNet18s retrained in every fold and held-out centre (about 2 CPU-minutes, 3 to 6 minutes on two busy cores)")

// TestDeepInFolds: checkDeepInFolds with a stand-in for the networks'
// training (standInFeatures) inside the resamples, so that it runs in the
// normal test run; TestDeepInFoldsResNet trains the real networks.
func TestDeepInFolds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline with deep features retrained inside resamples")
	}
	checkDeepInFolds(t, standInFeatures)
}

// TestDeepInFoldsResNet: checkDeepInFolds with ResNet18s (five networks
// and their PCA) trained for real in every CV fold and held-out centre.
func TestDeepInFoldsResNet(t *testing.T) {
	if !*deepFolds {
		t.Skip("trains 15 sets of five ResNet18s (about 2 CPU-minutes): go test ./pipeline/run -run TestDeepInFoldsResNet -deep-folds -v -timeout 30m")
	}
	checkDeepInFolds(t, deep.Features)
}

// standInFeatures stands in for deep.Features at a fraction of its cost
// and with its dependence on the inputs: each image's columns are the
// patient's ROI intensity statistics z-scored with the training patients'
// mean and SD, each scaled by the difference of the training patients'
// class means, plus their projection on that difference. A training
// patient's image or label moves every patient's columns; another
// patient's image moves only its own.
func standInFeatures(_ context.Context, _ compute.Backend, patients []deep.Patient, labels []int, train []bool, cfg deep.Config, _ io.Writer) (*deep.Result, error) {
	const nStats = 4
	tab := &table.Table{IDName: "patient_id", X: make([][]float64, len(patients))}
	for _, p := range patients {
		tab.IDs = append(tab.IDs, p.ID)
	}
	for c, image := range preprocess.ImageNames {
		s := make([][nStats]float64, len(patients))
		for i, p := range patients {
			var n, sum, sq float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for v, m := range p.Mask.Data {
				if m > 0 {
					x := p.Images[c].Data[v]
					n, sum, sq = n+1, sum+x, sq+x*x
					lo, hi = min(lo, x), max(hi, x)
				}
			}
			if n == 0 {
				return nil, fmt.Errorf("stand-in: patient %s: empty mask", p.ID)
			}
			s[i] = [nStats]float64{sum / n, math.Sqrt(max(sq/n-(sum/n)*(sum/n), 0)), lo, hi}
		}
		var mu, sd, d [nStats]float64
		var nt float64
		for i := range patients {
			if train[i] {
				nt++
				for j := range nStats {
					mu[j] += s[i][j]
				}
			}
		}
		for j := range nStats {
			mu[j] /= nt
		}
		for i := range patients {
			if train[i] {
				for j := range nStats {
					sd[j] += (s[i][j] - mu[j]) * (s[i][j] - mu[j])
				}
			}
		}
		z := func(i, j int) float64 { return (s[i][j] - mu[j]) / math.Sqrt(sd[j]/nt) }
		var n1 float64
		for i := range patients {
			if train[i] {
				n1 += float64(labels[i])
			}
		}
		for i := range patients {
			if train[i] {
				for j := range nStats {
					if labels[i] == 1 {
						d[j] += z(i, j) / n1
					} else {
						d[j] -= z(i, j) / (nt - n1)
					}
				}
			}
		}
		for j := range nStats + 1 {
			tab.Names = append(tab.Names, fmt.Sprintf("%s_%s_pc%02d", cfg.Arch, image, j+1))
		}
		for i := range patients {
			var proj float64
			for j := range nStats {
				tab.X[i] = append(tab.X[i], z(i, j)*d[j])
				proj += z(i, j) * d[j]
			}
			tab.X[i] = append(tab.X[i], proj)
		}
	}
	return &deep.Result{Table: tab, Images: preprocess.ImageNames}, nil
}

// checkDeepInFolds runs the paper profile's path where the ResNets and
// their PCA are retrained inside every CV fold and every held-out centre
// (Profile.DeepInFolds) on a small synthetic cohort, and checks that
//
//   - the deep (ResNet18) and fused (Rad+ResNet18) signatures get CV rows
//     in robustness.csv and leave-one-centre-out rows in external.csv
//     (not "not resampled"), with no permutation p or corrected AUC
//     (never run for a deep signature) and a note that says so;
//   - every fit that scores a held-out CV fold or a held-out centre for a
//     deep signature does it with networks retrained for that fit, on
//     exactly the fit's patients, none of the scored ones; the held-out
//     folds of a signature's CV cover the training patients once, its
//     held-out centres are whole centres;
//   - the retraining (with train) leaves the held-out patients out:
//     retraining one CV fold's networks and PCA with the held-out
//     patients' images and masks rotated among themselves gives
//     byte-identical features for every other patient, and different ones
//     for some held-out patient.
func checkDeepInFolds(t *testing.T, train trainer) {
	start := time.Now()
	dir := t.TempDir()
	src := filepath.Join(dir, "cohort")
	if _, err := synth.Write(src, synth.Options{N: 36, Seed: 3, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	var log retrainLog
	defer log.install(train)()
	r, err := Run(context.Background(), Config{Cohort: src, Out: filepath.Join(dir, "out"), Profile: deepFoldsProfile(), Seed: 4, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("run: %v, %d retrainings of the networks inside resamples", time.Since(start).Round(time.Second), len(log.calls))

	// (a) Deep and fused signatures are resampled and validated across
	// centres; permutations and bootstraps are reported as not run.
	deepSigs := map[string]bool{}
	for _, s := range r.Sigs {
		if len(s.proc.archs) == 0 {
			continue
		}
		deepSigs[s.Sig.Name] = true
		if s.NotResampled != "" || s.CV == nil {
			t.Errorf("%s: not resampled with DeepInFolds: %q", s.Sig.Name, s.NotResampled)
		}
		if s.Boot != nil || s.Models[s.Best].Perm != nil {
			t.Errorf("%s: a permutation test or bootstrap ran for a deep signature", s.Sig.Name)
		}
	}
	if !deepSigs["ResNet18"] || !deepSigs["Rad+ResNet18"] {
		t.Fatalf("deep signatures %v, want ResNet18 and Rad+ResNet18", deepSigs)
	}
	for _, row := range csvRows(t, filepath.Join(r.Config.Out, "tables", "robustness.csv")) {
		if !deepSigs[row["signature"]] {
			if row["signature"] == "Rad" && row["role"] == "reported" && row["perm_p"] == "" {
				t.Errorf("Rad: no permutation p: %v", row)
			}
			continue
		}
		if strings.HasPrefix(row["note"], "not resampled") {
			t.Errorf("robustness.csv, %s %s: %s", row["signature"], row["model"], row["note"])
		}
		if row["cv_folds_fitted"] == "" || (row["role"] == "reported" && row["cv_auc_mean"] == "") {
			t.Errorf("robustness.csv, %s %s: no CV: %v", row["signature"], row["model"], row)
		}
		for _, c := range []string{"perm_p", "apparent_auc", "corrected_auc", "harrell_corrected_auc"} {
			if row[c] != "" {
				t.Errorf("robustness.csv, %s %s: %s = %s, but no permutation or bootstrap runs for a deep signature", row["signature"], row["model"], c, row[c])
			}
		}
		if row["role"] == "reported" && !strings.Contains(row["note"], "no permutation test or bootstrap") {
			t.Errorf("robustness.csv, %s: the note does not say that no permutation test or bootstrap ran: %q", row["signature"], row["note"])
		}
	}
	validated := map[string]int{}
	for _, row := range csvRows(t, filepath.Join(r.Config.Out, "tables", "external.csv")) {
		if !deepSigs[row["signature"]] {
			continue
		}
		if strings.Contains(row["note"], "not validated") {
			t.Errorf("external.csv, %s %s: %s", row["signature"], row["held_out_centre"], row["note"])
		}
		if row["role"] == "reported" && row["auc"] != "" {
			validated[row["signature"]]++
		}
	}
	for sig := range deepSigs {
		if validated[sig] == 0 {
			t.Errorf("external.csv: no held-out centre validated for %s", sig)
		}
	}

	// (b) The networks that scored a held-out fold or centre were trained
	// on the fit's patients and on none of those scored.
	inTrain := map[int]bool{}
	for _, i := range r.Train {
		inTrain[i] = true
	}
	centres := r.Cohort.Centers()
	heldCV := map[string][]int{}
	heldCentres := map[string]int{}
	var probe *scoreCall // a CV fold of the ResNet18 signature
	for _, c := range log.scores {
		f := c.fit
		if len(f.p.archs) == 0 {
			continue
		}
		sig := f.p.sig.Name
		if f.fm == r.features {
			continue // the fit on the training split (Tables 2-3): TestTestImagesInvariance's business
		}
		var n int
		for _, s := range f.fm.sources {
			if s.name == "radiomics" {
				continue
			}
			n++
			call, ok := log.calls[s.raw]
			if !ok {
				t.Errorf("%s: a resample fit scored %d rows with %s features that were not retrained for it", sig, len(c.rows), s.name)
				continue
			}
			if call.cfg.Arch != s.name {
				t.Errorf("%s: the %s features come from a %s", sig, s.name, call.cfg.Arch)
			}
			mask := call.train
			fitRows := map[int]bool{}
			for _, i := range f.rows {
				fitRows[i] = true
			}
			var extra, missing, leaked []string
			for i, in := range mask {
				switch {
				case in && !fitRows[i]:
					extra = append(extra, r.Cohort.Patients[i].ID)
				case !in && fitRows[i]:
					missing = append(missing, r.Cohort.Patients[i].ID)
				}
			}
			if len(extra)+len(missing) > 0 {
				t.Errorf("%s: the %s networks of a fit on %d patients were also trained on %v and not on %v", sig, s.name, len(fitRows), extra, missing)
			}
			for _, i := range c.rows {
				if mask[i] {
					leaked = append(leaked, r.Cohort.Patients[i].ID)
				}
			}
			if len(leaked) > 0 {
				t.Errorf("%s: %d of the %d held-out patients scored by %s networks trained on them: %v", sig, len(leaked), len(c.rows), s.name, leaked)
			}
		}
		if n != len(f.p.archs) {
			t.Errorf("%s: %d deep sources, want %d", sig, n, len(f.p.archs))
		}
		if allIn(c.rows, inTrain) && allIn(f.rows, inTrain) {
			heldCV[sig] = append(heldCV[sig], c.rows...)
			if sig == "ResNet18" && probe == nil {
				probe = &c
			}
			continue
		}
		heldCentres[sig]++
		var want []int
		for i, ci := range centres {
			if ci == centres[c.rows[0]] {
				want = append(want, i)
			}
		}
		if !slices.Equal(sortedCopy(c.rows), want) {
			t.Errorf("%s: scored rows %v neither a CV fold of training patients nor a whole centre (%s: %v)", sig, c.rows, centres[c.rows[0]], want)
		}
	}
	for sig := range deepSigs {
		if got := sortedCopy(heldCV[sig]); !slices.Equal(got, sortedCopy(r.Train)) {
			t.Errorf("%s: the held-out CV folds cover %v, want every training patient once: %v", sig, got, sortedCopy(r.Train))
		}
		if heldCentres[sig] != validated[sig] {
			t.Errorf("%s: %d held-out centres scored, %d validated in external.csv", sig, heldCentres[sig], validated[sig])
		}
	}

	// (b, behaviour) Retraining one CV fold's networks and PCA with the
	// held-out patients' images (and masks) rotated among themselves
	// changes no other patient's features.
	if probe == nil {
		t.Fatal("no CV fold of the ResNet18 signature was scored")
	}
	raw := probe.fit.fm.sources[0].raw
	call := log.calls[raw]
	if call == nil {
		t.FailNow() // not retrained: reported above
	}
	rotated := slices.Clone(call.patients)
	held := probe.rows
	for k, i := range held {
		rotated[i] = call.patients[held[(k+1)%len(held)]]
		rotated[i].ID = call.patients[i].ID
	}
	again, err := train(context.Background(), r.backend, rotated, call.labels, call.train, call.cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	var moved []string
	for i := range raw.X {
		switch {
		case slices.Contains(held, i):
			if !slices.Equal(raw.X[i], again.Table.X[i]) {
				changed++
			}
		case !slices.Equal(raw.X[i], again.Table.X[i]):
			moved = append(moved, raw.IDs[i])
		}
	}
	if len(moved) > 0 {
		t.Errorf("the fold's ResNet18 features of %d patients not held out changed when only the %d held-out patients' images moved: %v", len(moved), len(held), moved)
	}
	if changed == 0 {
		t.Error("the held-out patients' features did not change: the rotation reached nobody")
	}
	t.Logf("total %v", time.Since(start).Round(time.Second))
}

func allIn(rows []int, set map[int]bool) bool {
	for _, i := range rows {
		if !set[i] {
			return false
		}
	}
	return true
}

func sortedCopy(v []int) []int {
	s := slices.Clone(v)
	slices.Sort(s)
	return s
}

// csvRows reads a CSV file as maps from header to cell.
func csvRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = rec[j]
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no rows", path)
	}
	return out
}

func testLog(t *testing.T) io.Writer {
	if os.Getenv("SCIRAD_TEST_LOG") != "" {
		return os.Stderr
	}
	return nil
}

// TestQuickProfileSaysDeepNotResampled: without DeepInFolds (the quick
// profile), every deep and fused signature is not resampled and its
// robustness rows say why, naming the profile, with no CV, permutation or
// bootstrap number; with it (the paper profile), and for the radiomics
// signature, nothing is withheld.
func TestQuickProfileSaysDeepNotResampled(t *testing.T) {
	for _, p := range []Profile{Quick(), Paper()} {
		r := &Result{Config: Config{Profile: p}}
		for _, sig := range selection.Signatures() {
			proc := r.procedure(sig)
			why := proc.contaminated()
			deepSig := sig.Name != "Rad"
			if want := deepSig && !p.DeepInFolds; (why != "") != want {
				t.Errorf("%s profile, %s: contaminated() = %q, want a reason: %v", p.Name, sig.Name, why, want)
				continue
			}
			if why == "" {
				continue
			}
			if !strings.HasPrefix(why, "not resampled") || !strings.Contains(why, p.Name+" profile") || !strings.Contains(why, "DeepInFolds") {
				t.Errorf("%s profile, %s: the reason does not say what and why: %q", p.Name, sig.Name, why)
			}
			s := &SignatureResult{Sig: sig, NotResampled: why, proc: proc}
			for _, m := range proc.models {
				s.Models = append(s.Models, &ModelResult{Name: m})
			}
			r.Sigs = []*SignatureResult{s}
			for _, row := range r.robustnessRows() {
				if row.Note != why || row.CV != nil || row.Perm != nil || row.Boot != nil {
					t.Errorf("%s profile, %s %s: note %q, CV %v, permutation %v, bootstrap %v", p.Name, sig.Name, row.Model, row.Note, row.CV, row.Perm, row.Boot)
				}
			}
		}
	}
}
