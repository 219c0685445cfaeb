package run

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/internal/pool"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/selection"
	"github.com/scirad/scirad/pipeline/table"
)

// SignatureResult is one of the paper's signatures: its selected features
// and the six models fitted on them, with everything the resampling of
// its whole process found.
type SignatureResult struct {
	Sig           selection.Signature
	Sel           *selection.Result
	TrainIDs      []string
	TestIDs       []string
	TrainX, TestX [][]float64 // selected, z-scored features (nil when none was selected)
	TrainY, TestY []int
	RadTrain      []float64 // rad-scores
	RadTest       []float64
	Models        []*ModelResult // in evaluate.ModelOrder (classify.Names) order
	// Best is the index in Models of the reported model: the one the
	// process chose by a 5-fold CV inside the training patients (never by
	// a test AUC). The robustness stage re-runs that choice in every
	// resample.
	Best int
	// Empty says why no feature survived selection; every model then
	// predicts the training prevalence.
	Empty string
	// InnerAUC[m] is model m's mean AUC in the choosing CV (NaN: not fitted).
	InnerAUC []float64

	// Robustness (beyond the paper): the whole process resampled on the
	// training patients. NotResampled says why it was not, "" when it was.
	NotResampled string
	CV           *evaluate.ProcedureCV
	Boot         *evaluate.ProcedureOptimism
	// External is leave-one-centre-out validation over every patient.
	External []evaluate.GroupValidation

	proc *procedure
	fit  *fit
}

// Fusion reports whether the signature fuses radiomics and deep features
// (the paper's Table 3).
func (s *SignatureResult) Fusion() bool { return strings.Contains(s.Sig.Name, "+") }

// ModelResult is one classifier on one signature.
type ModelResult struct {
	Name        string         // lr, svm, rf, nb, mlp, gbdt
	Model       classify.Model // nil when it could not fit
	NotFitted   string         // why it could not fit
	TrainScore  []float64
	TestScore   []float64
	Train, Test evaluate.Result
	// CV is the model's own repeated CV AUC with the whole process refitted
	// in every fold (no choice); Perm and Optimism are set on the
	// signature's reported model (Best) only, and are those of the whole
	// process, its choice of model included: Optimism is the .632+
	// bootstrap estimate (SignatureResult.Boot.Harrell has Harrell's).
	CV         evaluate.CVResult
	Perm       *evaluate.PermResult
	Optimism   *evaluate.OptimismResult
	Importance []float64 // random forest impurity importance
}

// Label is the paper's row name, e.g. "Rad + ResNet34_RandomForest".
func (m *ModelResult) Label(sig string) string {
	return evaluate.SignatureName(evaluate.DisplaySignature(sig), m.Name)
}

// trainLabels returns the labels of the training patients.
func (r *Result) trainLabels() []int { return pick(r.Cohort.Labels(), r.Train) }

// mainSeeds are the seeds of the fit on the training split, by part.
func (r *Result) mainSeeds(sig string) func(string) uint64 {
	return func(part string) uint64 {
		if name, ok := strings.CutPrefix(part, "model/"); ok {
			return r.seed("model/" + sig + "/" + name)
		}
		if strings.HasPrefix(part, "deep/") {
			return r.seed(part)
		}
		return r.seed(part + "/" + sig)
	}
}

func (r *Result) selectFeatures() (string, error) {
	ytrain := r.trainLabels()
	var counts []string
	for _, sig := range selection.Available(r.Features.Names) {
		p := r.procedure(sig)
		f, err := p.selectWith(r.features, r.Train, ytrain, r.mainSeeds(sig.Name))
		if err != nil {
			return "", err
		}
		sr := &SignatureResult{Sig: sig, Sel: f.sel, TrainY: ytrain, TestY: pick(r.Cohort.Labels(), r.Test), Empty: f.why, proc: p, fit: f}
		for _, i := range r.Train {
			sr.TrainIDs = append(sr.TrainIDs, r.Cohort.Patients[i].ID)
		}
		for _, i := range r.Test {
			sr.TestIDs = append(sr.TestIDs, r.Cohort.Patients[i].ID)
		}
		if !f.empty() {
			for _, c := range []struct {
				rows []int
				x    *[][]float64
				rs   *[]float64
			}{{r.Train, &sr.TrainX, &sr.RadTrain}, {r.Test, &sr.TestX, &sr.RadTest}} {
				t, err := f.sigTable(c.rows)
				if err != nil {
					return "", err
				}
				z, err := f.sel.Transform(t)
				if err != nil {
					return "", err
				}
				*c.x = z.X
				if *c.rs, err = f.sel.RadScore(t); err != nil {
					return "", err
				}
			}
		}
		r.Sigs = append(r.Sigs, sr)
		kept := 0
		if f.sel != nil {
			kept = len(f.sel.Selected)
		}
		counts = append(counts, fmt.Sprintf("%s %d", sig.Name, kept))
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

// models fits every signature's candidates on the training patients,
// chooses its reported model inside them, and evaluates every model on
// both cohorts (Tables 2 and 3).
func (r *Result) models(ctx context.Context) (string, error) {
	bar := progress.New(r.Config.Log, "signatures", len(r.Sigs))
	err := pool.ForEach(ctx, r.Config.workers(), len(r.Sigs), func(k int) error {
		s := r.Sigs[k]
		seeds := r.mainSeeds(s.Sig.Name)
		f := s.fit
		if err := f.fitCandidates(seeds); err != nil {
			return fmt.Errorf("%s: %w", s.Sig.Name, err)
		}
		f.choose(seeds("choose"))
		s.Best, s.InnerAUC = f.chosen, f.inner
		train, err := f.Scores(r.Train)
		if err != nil {
			return err
		}
		test, err := f.Scores(r.Test)
		if err != nil {
			return err
		}
		for m, name := range s.proc.models {
			mr := &ModelResult{Name: name, Model: f.models[m], NotFitted: f.failed[m], TrainScore: train[m], TestScore: test[m]}
			if f.empty() {
				mr.NotFitted = "no model: " + f.why + " (it predicts the training prevalence)"
			}
			if mr.TrainScore != nil {
				tr, te, err := evaluate.PaperRows(s.Sig.Name, name, mr.TrainScore, s.TrainY, mr.TestScore, s.TestY)
				if err != nil {
					return err
				}
				mr.Train, mr.Test = tr.Result, te.Result
			}
			if name == "rf" && mr.Model != nil {
				if mr.Importance, err = evaluate.ForestImportance(mr.Model); err != nil {
					return err
				}
			}
			s.Models = append(s.Models, mr)
		}
		bar.Step()
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := r.writeModels(); err != nil {
		return "", err
	}
	var rep []string
	for _, s := range r.Sigs {
		m := s.Models[s.Best]
		rep = append(rep, fmt.Sprintf("%s %s %.3f", s.Sig.Name, evaluate.ModelLabel[m.Name], m.Test.AUC.AUC))
	}
	return fmt.Sprintf("%d models; test AUC of each signature's reported model (chosen by CV inside the training patients): %s",
		len(r.Sigs)*len(r.Config.Profile.models()), strings.Join(rep, ", ")), nil
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
			name := m.Label(s.Sig.Name)
			train = append(train, evaluate.Row{Signature: name, Cohort: "Train", Result: m.Train, Note: m.NotFitted})
			test = append(test, evaluate.Row{Signature: name, Cohort: "Test", Result: m.Test, Note: m.NotFitted})
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
			if m.Model == nil {
				continue
			}
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

// writeSelection writes each signature's surviving count per step and its
// selected features with their LASSO weights.
func (r *Result) writeSelection() error {
	return table.WriteFileAtomic(r.path("tables", "selection.csv"), func(w io.Writer) error {
		fmt.Fprintln(w, "signature,step,count")
		for _, s := range r.Sigs {
			if s.Sel == nil {
				continue
			}
			for _, c := range s.Sel.Steps {
				fmt.Fprintf(w, "%s,%s,%d\n", s.Sig.Name, c.Step, c.Count)
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "signature,feature,coefficient")
		for _, s := range r.Sigs {
			if s.Sel == nil {
				continue
			}
			ws := slices.Clone(s.Sel.Weights)
			for _, wt := range ws {
				fmt.Fprintf(w, "%s,%s,%s\n", s.Sig.Name, wt.Name, table.FormatFloat(wt.Coef))
			}
		}
		return nil
	})
}
