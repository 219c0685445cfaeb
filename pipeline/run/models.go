package run

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/table"
)

// SignatureResult is one of the paper's signatures: its selected features
// and the six models fitted on them.
type SignatureResult struct {
	Sig           selection.Signature
	Sel           *selection.Result
	TrainIDs      []string
	TestIDs       []string
	TrainX, TestX [][]float64 // selected, z-scored features
	TrainY, TestY []int
	RadTrain      []float64 // rad-scores
	RadTest       []float64
	Models        []*ModelResult // in classify.Names order
	Best          int            // index in Models of the best repeated-CV AUC
}

// Fusion reports whether the signature fuses radiomics and deep features
// (the paper's Table 3).
func (s *SignatureResult) Fusion() bool { return strings.Contains(s.Sig.Name, "+") }

// ModelResult is one classifier on one signature.
type ModelResult struct {
	Name        string // lr, svm, rf, nb, mlp, gbdt
	Model       classify.Model
	TrainScore  []float64
	TestScore   []float64
	Train, Test evaluate.Result
	CV          evaluate.CVResult
	Perm        *evaluate.PermResult     // for the signature's best model only
	Optimism    *evaluate.OptimismResult // likewise
	Importance  []float64                // random forest impurity importance
}

// Label is the paper's row name, e.g. "Rad + ResNet34_RandomForest".
func (m *ModelResult) Label(sig string) string {
	name := strings.ReplaceAll(sig, "+", " + ")
	return name + "_" + evaluate.ModelLabel[m.Name]
}

func (r *Result) selectFeatures() (string, error) {
	y := r.Cohort.Labels()
	train := r.Features.Subset(r.Train)
	test := r.Features.Subset(r.Test)
	ytrain, ytest := pick(y, r.Train), pick(y, r.Test)
	var counts []string
	for _, sig := range selection.Available(r.Features.Names) {
		tr, err := sig.Table(train)
		if err != nil {
			return "", err
		}
		te, err := sig.Table(test)
		if err != nil {
			return "", err
		}
		p := selection.Pipeline{}
		p.MRMR.K = r.Config.Profile.MRMRTopK
		sel, err := p.Fit(tr, ytrain, r.seed("select/"+sig.Name))
		if err != nil {
			return "", fmt.Errorf("%s: %w", sig.Name, err)
		}
		if len(sel.Selected) == 0 {
			return "", fmt.Errorf("%s: LASSO kept no feature", sig.Name)
		}
		sr := &SignatureResult{Sig: sig, Sel: sel, TrainIDs: tr.IDs, TestIDs: te.IDs, TrainY: ytrain, TestY: ytest}
		for _, c := range []struct {
			t  *table.Table
			x  *[][]float64
			rs *[]float64
		}{{tr, &sr.TrainX, &sr.RadTrain}, {te, &sr.TestX, &sr.RadTest}} {
			z, err := sel.Transform(c.t)
			if err != nil {
				return "", err
			}
			*c.x = z.X
			if *c.rs, err = sel.RadScore(c.t); err != nil {
				return "", err
			}
		}
		r.Sigs = append(r.Sigs, sr)
		counts = append(counts, fmt.Sprintf("%s %d", sig.Name, len(sel.Selected)))
	}
	if err := r.writeSelection(); err != nil {
		return "", err
	}
	return "features kept: " + strings.Join(counts, ", "), nil
}

func pick(y []int, idx []int) []int {
	out := make([]int, len(idx))
	for k, i := range idx {
		out[k] = y[i]
	}
	return out
}

// estimator returns model name with scikit-learn's defaults, or behind a
// grid search on the training patients in the paper profile.
func (r *Result) estimator(name string, seed uint64) (classify.Estimator, error) {
	if !r.Config.Profile.Grid {
		return classify.New(name, seed)
	}
	pts, err := classify.Grid(name, seed)
	if err != nil {
		return nil, err
	}
	return classify.GridSearchCV{Points: pts, Folds: 5, Seed: seed, Workers: 1}, nil
}

func (r *Result) models(ctx context.Context) (string, error) {
	type job struct{ s, m int }
	var jobs []job
	for si, s := range r.Sigs {
		s.Models = make([]*ModelResult, len(classify.Names))
		for mi := range classify.Names {
			jobs = append(jobs, job{si, mi})
		}
	}
	bar := progress.New(r.Config.Log, "signatures × models", len(jobs))
	err := parallel(ctx, r.Config.workers(), len(jobs), func(k int) error {
		j := jobs[k]
		s, name := r.Sigs[j.s], classify.Names[j.m]
		est, err := r.estimator(name, r.seed("model/"+s.Sig.Name+"/"+name))
		if err != nil {
			return err
		}
		m, err := est.Fit(s.TrainX, s.TrainY)
		if err != nil {
			return fmt.Errorf("%s %s: %w", s.Sig.Name, name, err)
		}
		mr := &ModelResult{Name: name, Model: m}
		if mr.TrainScore, err = m.PredictProba(s.TrainX); err != nil {
			return err
		}
		if mr.TestScore, err = m.PredictProba(s.TestX); err != nil {
			return err
		}
		if mr.Train, mr.Test, err = evaluate.TrainTest(mr.TrainScore, s.TrainY, mr.TestScore, s.TestY); err != nil {
			return fmt.Errorf("%s %s: %w", s.Sig.Name, name, err)
		}
		if name == "rf" {
			if mr.Importance, err = evaluate.ForestImportance(m); err != nil {
				return err
			}
		}
		s.Models[j.m] = mr
		bar.Step()
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := r.writeModels(); err != nil {
		return "", err
	}
	best := r.bestTest()
	return fmt.Sprintf("%d models; best test AUC %s %.3f", len(jobs), best.label, best.auc), nil
}

type bestModel struct {
	label string
	auc   float64
}

func (r *Result) bestTest() bestModel {
	var b bestModel
	for _, s := range r.Sigs {
		for _, m := range s.Models {
			if m.Test.AUC.AUC > b.auc {
				b = bestModel{m.Label(s.Sig.Name), m.Test.AUC.AUC}
			}
		}
	}
	return b
}

// robustness computes, beyond the paper, on the training patients: repeated
// stratified 5-fold CV of every model, and for each signature's best model
// by that CV a label-permutation test and Harrell's optimism-corrected AUC.
// The features are those selected once on the training split; only the
// classifier is refitted inside the resamples.
func (r *Result) robustness(ctx context.Context) (string, error) {
	p := r.Config.Profile
	type job struct{ s, m int }
	var jobs []job
	for si := range r.Sigs {
		for mi := range classify.Names {
			jobs = append(jobs, job{si, mi})
		}
	}
	bar := progress.New(r.Config.Log, "repeated CV", len(jobs))
	err := parallel(ctx, r.Config.workers(), len(jobs), func(k int) error {
		j := jobs[k]
		s := r.Sigs[j.s]
		m := s.Models[j.m]
		cv, err := evaluate.RepeatedCV(factory(m.Name), s.TrainX, s.TrainY, 5, p.Repeats, r.seed("cv/"+s.Sig.Name+"/"+m.Name))
		if err != nil {
			return fmt.Errorf("%s %s: %w", s.Sig.Name, m.Name, err)
		}
		m.CV = cv
		bar.Step()
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, s := range r.Sigs {
		s.Best = 0
		for i, m := range s.Models {
			if m.CV.Mean > s.Models[s.Best].CV.Mean {
				s.Best = i
			}
		}
	}
	bar = progress.New(r.Config.Log, "permutation, bootstrap", len(r.Sigs))
	err = parallel(ctx, r.Config.workers(), len(r.Sigs), func(k int) error {
		s := r.Sigs[k]
		m := s.Models[s.Best]
		f := factory(m.Name)
		perm, err := evaluate.PermutationTest(f, s.TrainX, s.TrainY, 5, p.Perms, r.seed("perm/"+s.Sig.Name))
		if err != nil {
			return err
		}
		opt, err := evaluate.OptimismCorrectedAUC(f, s.TrainX, s.TrainY, p.Bootstraps, r.seed("boot/"+s.Sig.Name))
		if err != nil {
			return err
		}
		m.Perm, m.Optimism = &perm, &opt
		bar.Step()
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := table.WriteFileAtomic(r.path("tables", "robustness.csv"), r.writeRobustnessCSV); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d×5-fold CV of %d models; permutation (%d) and bootstrap (%d) for %d best models",
		p.Repeats, len(jobs), p.Perms, p.Bootstraps, len(r.Sigs)), nil
}

func factory(name string) evaluate.Factory {
	return func(seed uint64) classify.Estimator {
		e, err := classify.New(name, seed)
		if err != nil {
			panic("run: " + err.Error()) // name comes from classify.Names
		}
		return e
	}
}

// parallel runs f(0..n-1) on up to workers goroutines and returns the first
// error. Results must be written by index so that they do not depend on the
// schedule.
func parallel(ctx context.Context, workers, n int, f func(int) error) error {
	var (
		mu   sync.Mutex
		next int
		errs = make([]error, n)
		wg   sync.WaitGroup
	)
	for w := 0; w < max(1, min(workers, n)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= n || ctx.Err() != nil {
					return
				}
				errs[k] = f(k)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// tableRows returns the paper's Table 2 (fusion = false) or Table 3 rows:
// every model's training row, then every test row.
func (r *Result) tableRows(fusion bool) []evaluate.Row {
	var train, test []evaluate.Row
	for _, s := range r.Sigs {
		if s.Fusion() != fusion {
			continue
		}
		for _, m := range s.Models {
			train = append(train, evaluate.Row{Signature: m.Label(s.Sig.Name), Cohort: "Train", Result: m.Train})
			test = append(test, evaluate.Row{Signature: m.Label(s.Sig.Name), Cohort: "Test", Result: m.Test})
		}
	}
	return append(train, test...)
}

func (r *Result) writeModels() error {
	for _, t := range []struct {
		name   string
		fusion bool
		title  string
	}{{"table2", false, "Table 2. Radiomics and deep-learning signatures, six models"}, {"table3", true, "Table 3. Fused signatures (radiomics + ResNet), six models"}} {
		rows := r.tableRows(t.fusion)
		if err := table.WriteFileAtomic(r.path("tables", t.name+".csv"), func(w io.Writer) error { return evaluate.WriteTableCSV(w, rows) }); err != nil {
			return err
		}
		if err := table.WriteFileAtomic(r.path("tables", t.name+".html"), func(w io.Writer) error { return evaluate.WriteTableHTML(w, t.title, rows) }); err != nil {
			return err
		}
	}
	for _, s := range r.Sigs {
		for _, m := range s.Models {
			b, err := classify.Marshal(m.Model)
			if err != nil {
				return err
			}
			name := strings.ToLower(strings.ReplaceAll(s.Sig.Name, "+", "_")) + "_" + m.Name + ".json"
			if err := writeBytes(r.path("models", name), b); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeBytes(path string, b []byte) error {
	return table.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

func (r *Result) writeRobustnessCSV(w io.Writer) error {
	fmt.Fprintln(w, "signature,model,cv_auc_mean,cv_auc_sd,cv_auc_min,cv_auc_max,perm_p,apparent_auc,optimism,corrected_auc,test_auc")
	for _, s := range r.Sigs {
		for _, m := range s.Models {
			perm, app, opt, cor := "", "", "", ""
			if m.Perm != nil {
				perm = table.FormatFloat(m.Perm.P)
				app, opt, cor = f4(m.Optimism.Apparent), f4(m.Optimism.Optimism), f4(m.Optimism.Corrected)
			}
			fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", s.Sig.Name, m.Name, f4(m.CV.Mean), f4(m.CV.SD), f4(m.CV.Min), f4(m.CV.Max),
				perm, app, opt, cor, f4(m.Test.AUC.AUC))
		}
	}
	return nil
}

func f4(x float64) string { return fmt.Sprintf("%.4f", x) }

// writeSelection writes each signature's surviving count per step and its
// selected features with their LASSO weights.
func (r *Result) writeSelection() error {
	return table.WriteFileAtomic(r.path("tables", "selection.csv"), func(w io.Writer) error {
		fmt.Fprintln(w, "signature,step,count")
		for _, s := range r.Sigs {
			for _, c := range s.Sel.Steps {
				fmt.Fprintf(w, "%s,%s,%d\n", s.Sig.Name, c.Step, c.Count)
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "signature,feature,coefficient")
		for _, s := range r.Sigs {
			ws := slices.Clone(s.Sel.Weights)
			for _, wt := range ws {
				fmt.Fprintf(w, "%s,%s,%s\n", s.Sig.Name, wt.Name, table.FormatFloat(wt.Coef))
			}
		}
		return nil
	})
}
