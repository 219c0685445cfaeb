package run

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
)

// figureSignature is the signature of Figs 3 and 4: the paper's best,
// Rad+ResNet34, or the first fused or available one, among those that
// kept a feature (the first signature when none did).
func (r *Result) figureSignature() *SignatureResult {
	for _, name := range []string{"Rad+ResNet34"} {
		for _, s := range r.Sigs {
			if s.Sig.Name == name && s.Empty == "" {
				return s
			}
		}
	}
	for _, s := range r.Sigs {
		if s.Fusion() && s.Empty == "" {
			return s
		}
	}
	for _, s := range r.Sigs {
		if s.Empty == "" {
			return s
		}
	}
	return r.Sigs[0]
}

func htmlOf(write func(io.Writer) error) template.HTML {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return template.HTML(template.HTMLEscapeString(err.Error()))
	}
	return template.HTML(b.String())
}

func chartID(parts ...string) string {
	s := strings.Join(parts, "_")
	return strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return c
		}
		return '_'
	}, s)
}

// Document builds the report of a finished run.
func (r *Result) Document() *report.Document {
	d := &report.Document{Title: "scirad: prognosis of cervical spinal cord injury from T2 MRI — " + r.Config.Profile.Name + " profile"}
	d.Sections = append(d.Sections, r.cohortSection(), r.selectionSection(), r.rocSection())
	d.Sections = append(d.Sections, r.tableSection(false), r.tableSection(true), r.robustnessSection(), r.externalSection(), r.decisionSection())
	if s := r.gradcamSection(); s != nil {
		d.Sections = append(d.Sections, *s)
	}
	if s := r.mapsSection(); s != nil {
		d.Sections = append(d.Sections, *s)
	}
	d.Sections = append(d.Sections, r.checklistSection(), r.provenanceSection())
	return d
}

func (r *Result) cohortSection() report.Section {
	c := r.Cohort
	return report.Section{
		Title: "Table 1. Patient characteristics by prognosis",
		Text: fmt.Sprintf("%d patients from %d centres; outcome by the paper's rule: δ = UEMS at admission − UEMS at one year, threshold = mean of δ over %s (%.2f; the paper's −4.55); good prognosis when δ is below it: %d good, %d poor (the paper: 49 and 33). Continuous variables: mean (SD), two-sample t-test; categorical: counts, chi-square test. Training/test split: %d/%d patients, stratified.\n\nOn scirad's synthetic cohort (scirad synth) the threshold near −4.55 is forced by construction: the generator moves single points of δ until the cohort mean is the paper's −4.55, so agreeing with the paper there is not a finding.",
			len(c.Patients), len(uniq(c.Centers())), r.thresholdFrom(), c.Outcome.Threshold, c.Outcome.Good, c.Outcome.Poor, len(r.Train), len(r.Test)),
		Blocks: []template.HTML{htmlOf(r.Table1.WriteHTML)},
	}
}

func (r *Result) selectionSection() report.Section {
	var rows [][]string
	header := []string{"Signature"}
	for _, s := range r.Sigs {
		row := []string{s.Sig.Name}
		if s.Sel != nil {
			for k, c := range s.Sel.Steps {
				if k+1 >= len(header) {
					header = append(header, c.Step)
				}
				row = append(row, fmt.Sprint(c.Count))
			}
		}
		rows = append(rows, row)
	}
	for k := range rows {
		for len(rows[k]) < len(header) {
			rows[k] = append(rows[k], "0") // nothing passed an earlier step
		}
	}
	s := r.figureSignature()
	if s.Empty != "" || s.Sel == nil || s.Sel.Lasso == nil {
		return report.Section{
			Title:  "Feature selection and rad-score (Fig. 4)",
			Text:   "Features surviving each step, fitted on the training patients only. No signature kept a feature (" + s.Empty + "): there is no LASSO path or rad-score to draw.",
			Blocks: []template.HTML{report.Table("Surviving features per step", header, rows)},
		}
	}
	lf := s.Sel.Lasso
	names := s.Sel.LassoNames()
	// Fig 4A: the coefficient path of the features the LASSO kept.
	var path []report.Curve
	for j, n := range names {
		if !slices.Contains(s.Sel.Selected, n) {
			continue
		}
		cv := report.Curve{Name: n}
		for k, lam := range lf.Path.Lambda {
			cv.X = append(cv.X, math.Log(lam))
			cv.Y = append(cv.Y, lf.Path.Beta[k][j])
		}
		path = append(path, cv)
	}
	logLam := make([]float64, len(lf.Path.Lambda))
	for k, lam := range lf.Path.Lambda {
		logLam[k] = math.Log(lam)
	}
	lo, hi := make([]float64, len(lf.CVM)), make([]float64, len(lf.CVM))
	for k := range lf.CVM {
		lo[k], hi[k] = lf.CVM[k]-lf.CVSD[k], lf.CVM[k]+lf.CVSD[k]
	}
	ymin, ymax := slices.Min(lo), slices.Max(hi)
	cvCurves := []report.Curve{
		{Name: "CV " + lf.Measure, X: logLam, Y: lf.CVM},
		{Name: "− 1 SE", X: logLam, Y: lo, Dashed: true},
		{Name: "+ 1 SE", X: logLam, Y: hi, Dashed: true},
		{Name: "λ.min", X: []float64{math.Log(lf.LambdaMin), math.Log(lf.LambdaMin)}, Y: []float64{ymin, ymax}, Dashed: true},
		{Name: "λ.1se", X: []float64{math.Log(lf.Lambda1SE), math.Log(lf.Lambda1SE)}, Y: []float64{ymin, ymax}, Dashed: true},
	}
	var wNames []string
	var wVals []float64
	for _, w := range s.Sel.Weights {
		wNames = append(wNames, w.Name)
		wVals = append(wVals, w.Coef)
	}
	var good, poor []float64
	for i, y := range s.TrainY {
		if y == 1 {
			good = append(good, s.RadTrain[i])
		} else {
			poor = append(poor, s.RadTrain[i])
		}
	}
	id := chartID("fig4", s.Sig.Name)
	return report.Section{
		Title:  "Feature selection and rad-score (Fig. 4)",
		Text:   fmt.Sprintf("Features surviving each step, fitted on the training patients only (the paper kept 6 radiomics, 5 deep and 11 Rad+ResNet34 features). Figure 4 shows %s: the LASSO path, the 10-fold CV error with λ.min and λ.1se, the selected features' weights, and the rad-score of the training patients by outcome.", s.Sig.Name),
		Blocks: []template.HTML{report.Table("Surviving features per step", header, rows)},
		Figures: []report.Figure{
			{ID: id + "_path", Title: "LASSO path", Chart: report.XY(id+"_path", "LASSO coefficient path ("+s.Sig.Name+")", "log λ", "coefficient", path, false)},
			{ID: id + "_cv", Title: "LASSO CV error", Chart: report.XY(id+"_cv", "10-fold CV "+lf.Measure, "log λ", lf.Measure, cvCurves, false)},
			{ID: id + "_weights", Title: "Feature weights", Chart: report.Bars(id+"_weights", "Selected feature weights", wNames, []report.BarSeries{{Name: "LASSO coefficient", Values: wVals}}, true)},
			{ID: id + "_radscore", Title: "Rad-score", Chart: report.Histogram(id+"_radscore", "Rad-score, training patients", []report.BarSeries{{Name: "good prognosis", Values: good}, {Name: "poor prognosis", Values: poor}}, 12)},
		},
	}
}

func rocCurve(name string, score []float64, y []int) report.Curve {
	pts, err := evaluate.ROC(score, y)
	c := report.Curve{Name: name}
	if err != nil {
		return c
	}
	for _, p := range pts {
		c.X = append(c.X, p.FPR)
		c.Y = append(c.Y, p.TPR)
	}
	return c
}

func (r *Result) rocSection() report.Section {
	sec := report.Section{
		Title: "ROC curves, training and test (Fig. 2)",
		Text:  "One chart per signature and cohort; each curve is one of the six models, its AUC in the legend.",
	}
	for _, s := range r.Sigs {
		for _, c := range []string{"train", "test"} {
			var curves []report.Curve
			for _, m := range s.Models {
				score, y, res := m.TrainScore, s.TrainY, m.Train
				if c == "test" {
					score, y, res = m.TestScore, s.TestY, m.Test
				}
				curves = append(curves, rocCurve(fmt.Sprintf("%s (AUC %.3f)", evaluate.ModelLabel[m.Name], res.AUC.AUC), score, y))
			}
			id := chartID("fig2", s.Sig.Name, c)
			sec.Figures = append(sec.Figures, report.Figure{ID: id, Title: s.Sig.Name + " " + c,
				Chart: report.XY(id, s.Sig.Name+" — "+c, "1 − specificity", "sensitivity", curves, true)})
		}
	}
	return sec
}

func (r *Result) tableSection(fusion bool) report.Section {
	rows := r.tableRows(fusion)
	title := "Table 2. Radiomics and deep-learning signatures"
	if fusion {
		title = "Table 3. Fused signatures (radiomics + ResNet)"
	}
	return report.Section{
		Title:  title,
		Text:   "Threshold by Youden's index on the training patients, applied unchanged to the test patients. AUC 95% CI by DeLong. " + r.reportedText(fusion),
		Blocks: []template.HTML{htmlOf(func(w io.Writer) error { return evaluate.WriteTableHTML(w, title, rows) })},
	}
}

func (r *Result) decisionSection() report.Section {
	s := r.figureSignature()
	var dca, cal []report.Curve
	var rf *ModelResult
	all, none := report.Curve{Name: "treat all", Dashed: true}, report.Curve{Name: "treat none", Dashed: true}
	for _, m := range s.Models {
		if nb, err := evaluate.DecisionCurve(m.TestScore, s.TestY, nil); err == nil {
			c := report.Curve{Name: evaluate.ModelLabel[m.Name]}
			for _, p := range nb {
				c.X, c.Y = append(c.X, p.Threshold), append(c.Y, clipNB(p.Model))
			}
			dca = append(dca, c)
			if len(all.X) == 0 {
				for _, p := range nb {
					all.X, all.Y = append(all.X, p.Threshold), append(all.Y, clipNB(p.TreatAll))
					none.X, none.Y = append(none.X, p.Threshold), append(none.Y, p.TreatNone)
				}
			}
		}
		if bins, err := evaluate.CalibrationCurve(m.TestScore, s.TestY, 5); err == nil {
			c := report.Curve{Name: evaluate.ModelLabel[m.Name]}
			for _, b := range bins {
				if b.N > 0 {
					c.X, c.Y = append(c.X, b.MeanPredicted), append(c.Y, b.FractionPositive)
				}
			}
			cal = append(cal, c)
		}
		if m.Name == "rf" {
			rf = m
		}
	}
	dca = append(dca, all, none)
	return r.decisionFigures(s, dca, cal, rf)
}

func (r *Result) decisionFigures(s *SignatureResult, dca, cal []report.Curve, rf *ModelResult) report.Section {
	id := chartID("fig3", s.Sig.Name)
	sec := report.Section{
		Title: "Decision curves, calibration and random-forest importance (Fig. 3)",
		Text:  fmt.Sprintf("%s, test patients: net benefit of each model against treating all or none; calibration in five equal-width bins; the random forest's impurity importance of the selected features.", s.Sig.Name),
		Figures: []report.Figure{
			{ID: id + "_dca", Title: "Decision curves", Chart: report.XY(id+"_dca", "Decision curves ("+s.Sig.Name+", test)", "threshold probability", "net benefit", dca, false)},
			{ID: id + "_cal", Title: "Calibration", Chart: report.XY(id+"_cal", "Calibration ("+s.Sig.Name+", test)", "mean predicted probability", "fraction good prognosis", cal, true)},
		},
	}
	if rf != nil && s.Sel != nil && len(rf.Importance) == len(s.Sel.Selected) {
		type kv struct {
			n string
			v float64
		}
		var imp []kv
		for j, n := range s.Sel.Selected {
			imp = append(imp, kv{n, rf.Importance[j]})
		}
		sort.SliceStable(imp, func(a, b int) bool { return imp[a].v < imp[b].v })
		var names []string
		var vals []float64
		for _, x := range imp {
			names, vals = append(names, x.n), append(vals, x.v)
		}
		sec.Figures = append(sec.Figures, report.Figure{ID: id + "_rf", Title: "RF importance",
			Chart: report.Bars(id+"_rf", "Random forest importance ("+s.Sig.Name+")", names, []report.BarSeries{{Name: "mean decrease in Gini impurity", Values: vals}}, true)})
	}
	return sec
}

func (r *Result) provenanceSection() report.Section {
	p := r.provenance()
	rows := [][]string{
		{"scirad version", p.Version},
		{"seed", fmt.Sprint(p.Seed)},
		{"profile", p.Profile.Name},
		{"cohort", p.Cohort},
		{"input files hashed (SHA-256)", fmt.Sprintf("%d, combined %s", len(p.Inputs), p.InputsDigest)},
		{"GOMLX_BACKEND", p.Backend},
	}
	var timing [][]string
	total := 0.0
	for _, t := range r.Timings {
		timing = append(timing, []string{t.Name, fmt.Sprintf("%.1f s", t.Seconds), fmt.Sprintf("%.0f MB", t.PeakRSSMB), t.Summary})
		total += t.Seconds
	}
	timing = append(timing, []string{"total (before the report)", fmt.Sprintf("%.1f s", total), "", ""})
	return report.Section{
		Title:  "Provenance",
		Text:   "Everything needed to reproduce this report; run.json has the full settings and per-file hashes. The same seed gives byte-identical tables.",
		Blocks: []template.HTML{report.Table("", []string{"item", "value"}, rows), report.Table("Stage timings", []string{"stage", "wall time", "peak RSS", "summary"}, timing)},
	}
}

func (r *Result) writeReport() (string, error) {
	d := r.Document()
	if err := d.WriteFigures(r.path("figures")); err != nil {
		return "", err
	}
	if err := table.WriteFileAtomic(r.path("report.html"), d.WriteHTML); err != nil {
		return "", err
	}
	n := 0
	for _, s := range d.Sections {
		n += len(s.Figures)
	}
	return fmt.Sprintf("%s with %d figures (also in figures/)", r.path("report.html"), n), nil
}

// clipNB hides net benefits below −0.1 (drawn as a gap), where treat-all
// plunges at high thresholds and would flatten every other curve.
func clipNB(x float64) float64 {
	if x < -0.1 {
		return math.NaN()
	}
	return x
}
