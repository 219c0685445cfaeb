package run

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/table"
)

// minPerClass is the least number of patients of each class a held-out
// centre needs for its AUC and DeLong CI to be reported.
const minPerClass = 3

// resampleOptions are the resampling settings of sig's process.
func (r *Result) resampleOptions(s *SignatureResult, stage string, step func()) evaluate.ResampleOptions {
	p := r.Config.Profile
	o := evaluate.ResampleOptions{Candidates: len(s.proc.models), Folds: p.folds(), Repeats: p.Repeats, Permutations: p.Perms,
		Bootstraps: p.Bootstraps, Seed: r.seed(stage + "/" + s.Sig.Name), Workers: r.Config.workers(), Step: step}
	if len(s.proc.archs) > 0 {
		o.Repeats = 1 // networks retrained in every fold: one repeat
	}
	return o
}

// resampled reports whether sig's permutation test and bootstrap run: not
// for a signature with deep features (15 networks per fit).
func (s *SignatureResult) permuted() bool { return s.NotResampled == "" && len(s.proc.archs) == 0 }

// robustness resamples, beyond the paper, every signature's whole process
// on the training patients: repeated stratified CV (each model on its own,
// and the reported model chosen inside every fold), and for the process
// with its choice a label-permutation test and Harrell's optimism
// bootstrap. A signature whose features were learnt once from every
// training label (deep features without DeepInFolds) is not resampled.
func (r *Result) robustness(ctx context.Context) (string, error) {
	ytrain := r.trainLabels()
	total := 0
	for _, s := range r.Sigs {
		s.NotResampled = s.proc.contaminated()
		if s.NotResampled != "" {
			continue
		}
		o := r.resampleOptions(s, "cv", nil)
		total += o.CVFits()
		if s.permuted() {
			total += o.PermutationFits() + o.BootstrapFits()
		}
	}
	bar := progress.New(r.Config.Log, "whole-pipeline fits", total)
	var done []string
	for _, s := range r.Sigs {
		if s.NotResampled != "" {
			continue
		}
		cv, err := evaluate.CrossValidate(ctx, s.proc, r.Train, ytrain, r.resampleOptions(s, "cv", bar.Step))
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.Sig.Name, err)
		}
		s.CV = cv
		for m, c := range cv.Candidates {
			s.Models[m].CV = c.CVResult
		}
		if !s.permuted() {
			done = append(done, s.Sig.Name+" (CV only, one repeat: networks retrained in every fold)")
			continue
		}
		perm, err := evaluate.PermuteProcedure(ctx, s.proc, r.Train, ytrain, r.resampleOptions(s, "perm", bar.Step))
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.Sig.Name, err)
		}
		o := r.resampleOptions(s, "boot", bar.Step)
		o.Full = s.fit // the fit the tables report: its apparent AUC is corrected
		boot, err := evaluate.BootstrapProcedure(ctx, s.proc, r.Train, ytrain, o)
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.Sig.Name, err)
		}
		s.Boot = boot
		best := s.Models[s.Best]
		best.Perm, best.Optimism = &perm, &boot.Plus632
		done = append(done, s.Sig.Name)
	}
	if err := table.WriteFileAtomic(r.path("tables", "robustness.csv"), func(w io.Writer) error {
		return evaluate.WriteRobustnessCSV(w, r.robustnessRows())
	}); err != nil {
		return "", err
	}
	p := r.Config.Profile
	var rep []string
	for _, s := range r.Sigs {
		if m := s.Models[s.Best]; m.Perm != nil {
			rep = append(rep, fmt.Sprintf("%s CV %.3f, p %.3f, corrected %.3f", s.Sig.Name, s.CV.Chosen.Mean, m.Perm.P, m.Optimism.Corrected))
		}
	}
	summary := fmt.Sprintf("whole pipeline refitted in %d fits: %d×%d-fold CV, %d permutations, %d bootstraps for %s", total, p.Repeats, p.folds(), p.Perms, p.Bootstraps, strings.Join(done, ", "))
	if len(done) < len(r.Sigs) {
		summary += fmt.Sprintf("; %d signatures not resampled (deep features learnt from every training label)", len(r.Sigs)-len(done))
	}
	if len(rep) > 0 {
		summary += "; reported: " + strings.Join(rep, "; ")
	}
	return summary, nil
}

// robustnessRows are the rows of tables/robustness.csv and of the report:
// per signature its reported process, then each model.
func (r *Result) robustnessRows() []evaluate.RobustnessRow {
	var rows []evaluate.RobustnessRow
	for _, s := range r.Sigs {
		best := s.Models[s.Best]
		rep := evaluate.RobustnessRow{Signature: s.Sig.Name, Model: best.Name, Reported: true, Note: s.NotResampled}
		if s.NotResampled == "" && s.CV != nil {
			c := s.CV.Chosen
			rep.CV = &c
			var chose []string
			for m, n := range s.CV.ChosenCount {
				if n > 0 {
					chose = append(chose, fmt.Sprintf("%s %d", evaluate.ModelLabel[s.Models[m].Name], n))
				}
			}
			rep.Note = fmt.Sprintf("whole process resampled, choice of model included (chosen in the %d folds: %s)", c.Folds, strings.Join(chose, ", "))
			if s.CV.Empty > 0 {
				rep.Note += fmt.Sprintf("; no feature survived selection in %d folds (prevalence predicted)", s.CV.Empty)
			}
			if !s.permuted() {
				rep.Note += "; no permutation test or bootstrap: networks would be retrained in every fit"
			}
		}
		if s.Empty != "" {
			rep.Note = strings.TrimPrefix(rep.Note+"; ", "; ") + "on the training patients " + s.Empty
		}
		if best.Perm != nil {
			rep.Perm, rep.Boot = best.Perm, s.Boot
		}
		r.addCalibration(&rep, s, best)
		rows = append(rows, rep)
		for m, mr := range s.Models {
			row := evaluate.RobustnessRow{Signature: s.Sig.Name, Model: mr.Name, Note: s.NotResampled}
			if s.NotResampled == "" && s.CV != nil {
				c := s.CV.Candidates[m]
				row.CV = &c
				switch {
				case c.Fitted == 0:
					row.Note = "could not fit in any fold"
				case c.Fitted < c.Folds:
					row.Note = fmt.Sprintf("could not fit in %d of %d folds (CV over the others)", c.Folds-c.Fitted, c.Folds)
				}
			}
			if mr.NotFitted != "" {
				row.Note = strings.TrimPrefix(row.Note+"; ", "; ") + mr.NotFitted
			}
			r.addCalibration(&row, s, mr)
			rows = append(rows, row)
		}
	}
	return rows
}

// addCalibration sets a row's test AUC, Brier score and Hosmer–Lemeshow
// test (min(10, n/5) groups of the test patients).
func (r *Result) addCalibration(row *evaluate.RobustnessRow, s *SignatureResult, m *ModelResult) {
	if m.TestScore == nil || m.NotFitted != "" {
		return
	}
	test := m.Test
	row.Test = &test
	row.Brier, _ = evaluate.Brier(m.TestScore, s.TestY)
	hl, err := evaluate.HosmerLemeshowTest(m.TestScore, s.TestY, min(10, max(3, len(s.TestY)/5)))
	if err != nil {
		row.HLNote = err.Error()
		return
	}
	row.HL = &hl
}

// external is leave-one-centre-out validation (beyond the paper): for each
// centre, every signature's whole process is fitted on the patients of the
// other centres (both splits) and scored on the centre's, with DeLong CIs.
func (r *Result) external(ctx context.Context) (string, error) {
	y := r.Cohort.Labels()
	all := make([]int, len(y))
	for i := range all {
		all[i] = i
	}
	centres := r.Cohort.Centers()
	var rows []evaluate.ExternalRow
	bar := progress.New(r.Config.Log, "held-out centres", len(r.Sigs)*len(uniq(centres)))
	var lines []string
	for _, s := range r.Sigs {
		o := r.resampleOptions(s, "external", bar.Step)
		note := s.proc.contaminated()
		var vs []evaluate.GroupValidation
		if note == "" {
			var err error
			if vs, err = evaluate.LeaveGroupOut(ctx, s.proc, all, y, centres, minPerClass, o); err != nil {
				return "", fmt.Errorf("%s: %w", s.Sig.Name, err)
			}
		} else {
			note = strings.Replace(note, "not resampled", "not validated across centres", 1)
			vs = r.centreCounts(all, y, centres)
			for range vs {
				bar.Step()
			}
		}
		s.External = vs
		rows = append(rows, evaluate.ExternalRows(s.Sig.Name, s.proc.models, vs, note)...)
		if note == "" {
			var parts []string
			for _, v := range vs {
				if v.Note != "" || v.Chosen < 0 {
					parts = append(parts, v.Group+" too few")
					continue
				}
				parts = append(parts, fmt.Sprintf("%s %.3f", v.Group, v.AUC[v.Chosen].AUC))
			}
			lines = append(lines, s.Sig.Name+" "+strings.Join(parts, " "))
		}
	}
	if err := table.WriteFileAtomic(r.path("tables", "external.csv"), func(w io.Writer) error { return evaluate.WriteExternalCSV(w, rows) }); err != nil {
		return "", err
	}
	r.externalRows = rows
	return fmt.Sprintf("leave one centre out (reported model's AUC on the held-out centre): %s", strings.Join(lines, "; ")), nil
}

// centreCounts gives each centre's class counts without validating.
func (r *Result) centreCounts(all, y []int, centres []string) []evaluate.GroupValidation {
	byName := map[string]*evaluate.GroupValidation{}
	var out []evaluate.GroupValidation
	for _, c := range uniq(centres) {
		out = append(out, evaluate.GroupValidation{Group: c, Chosen: -1})
	}
	for k := range out {
		byName[out[k].Group] = &out[k]
	}
	for _, i := range all {
		v := byName[centres[i]]
		if y[i] == 1 {
			v.N1++
		} else {
			v.N0++
		}
	}
	sortGroups(out)
	return out
}

func sortGroups(v []evaluate.GroupValidation) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].Group < v[j-1].Group; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
