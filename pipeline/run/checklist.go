package run

import (
	"fmt"
	"html/template"
	"io"
	"runtime/debug"
	"strings"

	"github.com/scirad/scirad/pipeline/evaluate"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/report"
)

// reportedText names each signature's reported model and its test AUC:
// the model chosen inside the training patients, never the best of the
// test AUCs.
func (r *Result) reportedText(fusion bool) string {
	var parts []string
	for _, s := range r.Sigs {
		if s.Fusion() != fusion {
			continue
		}
		m := s.Models[s.Best]
		parts = append(parts, fmt.Sprintf("%s: %s (test AUC %.3f)", evaluate.DisplaySignature(s.Sig.Name), evaluate.ModelLabel[m.Name], m.Test.AUC.AUC))
	}
	return "The reported model of each signature is chosen by a 5-fold CV inside the training patients, never by the test AUCs below (picking the best of them would select on the test set): " +
		strings.Join(parts, "; ") + ". Rows marked NA could not be fitted (the note says why)."
}

func (r *Result) robustnessSection() report.Section {
	p := r.Config.Profile
	rows := r.robustnessRows()
	text := fmt.Sprintf(`Every resample re-runs the whole process on its own rows: the ICC filter, ComBat, z-score, Mann–Whitney, Spearman, mRMR, LASSO-CV, the classifiers%s and the choice of the reported model (a 5-fold CV inside the resample's rows). Nothing fitted in a resample sees the rows it is scored on. Within the %d training patients: %d× repeated stratified 5-fold CV; for the reported model, a label-permutation test of the whole process (%d permutations of the 5-fold CV AUC, p = (1 + #null ≥ observed)/(1 + permutations)) and a bootstrap of the whole process (%d resamples).

A "reported" row is the process with its choice of model: its CV AUC is that of the model chosen inside each fold, its corrected AUC that of the model chosen inside each bootstrap sample. A candidate row is one model refitted with the whole process in every fold, no choice. The corrected AUC is Efron and Tibshirani's .632+ bootstrap estimate (out-of-bag AUCs weighted by how much the apparent AUC overfits). Harrell's optimism-corrected AUC, from the same replicates, is shown beside it but not relied on: it stays optimistic for models that memorise their training rows (a random forest's apparent AUC is 1; each bootstrap model has seen about 63 %% of the rows it is scored on), and on label-shuffled cohorts it still reports about 0.75 where the .632+ estimate reports ½. Test AUC, Brier score and Hosmer–Lemeshow p (min(10, n/5) groups) are those of the single held-out test split of Tables 2–3.`,
		map[bool]string{true: " (with their grid searches)", false: ""}[p.Grid], len(r.Train), p.Repeats, p.Perms, p.Bootstraps)
	for _, s := range r.Sigs {
		if s.NotResampled != "" {
			text += "\n\n" + evaluate.DisplaySignature(s.Sig.Name) + ": " + s.NotResampled + "."
		}
	}
	return report.Section{
		Title:  "Beyond the paper: the whole pipeline resampled",
		Text:   text,
		Blocks: []template.HTML{htmlOf(func(w io.Writer) error { return evaluate.WriteRobustnessHTML(w, "", rows) })},
	}
}

func (r *Result) externalSection() report.Section {
	return report.Section{
		Title:  "Beyond the paper: leave one centre out",
		Text:   fmt.Sprintf("External validation across centres: for each centre, every signature's whole process (ICC filter, ComBat, selection, the six models and the choice of the reported one) is fitted on all patients of the other centres, both splits, and scored on the centre's patients; AUC with its 95%% DeLong CI. ComBat has never seen the held-out centre: its patients are aligned to the fitted grand mean and pooled variance with their own location and scale (estimated from their features, no label). A centre with fewer than %d patients of a class gets no AUC and says so. tables/external.csv has every model.", minPerClass),
		Blocks: []template.HTML{htmlOf(func(w io.Writer) error { return evaluate.WriteExternalHTML(w, "", r.externalRows) })},
	}
}

// checklistSection is what a CLEAR (Kocak et al., Insights Imaging 2023)
// or METRICS (Kocak et al., Insights Imaging 2024) reviewer asks of a
// radiomics study, answered from this run, with what the run cannot know.
func (r *Result) checklistSection() report.Section {
	p := r.Config.Profile
	cs := r.Config.cohortSettings()
	pre := preprocess.Paper()
	var rows [][]string
	add := func(topic, answer string) { rows = append(rows, []string{topic, answer}) }

	add("Software and versions", r.softwareVersions())
	add("Feature extraction settings (params)", fmt.Sprintf("scirad's pure-Go extractor, equal to pyradiomics on its reference data; settings hash %s: %+v; preprocessing %+v", cs.Hash(), cs.Features, pre))
	add("Image types and filters", fmt.Sprintf("sagittal T2; images %s (normalised to [0, 1], resampled to 1 mm); ROIs lesion and cord", strings.Join(cs.ImageNames(), ", ")))
	add("Segmentation and reliability", r.iccText())
	add("Deep features", r.deepText())
	add("Features-to-patients ratio at each step", r.ratioText())
	add("Data partitioning", fmt.Sprintf("stratified %d/%d training/test split (seed %d); outcome threshold from %s; the test patients are used once, for Tables 2–3, the ROC, decision and calibration figures", len(r.Train), len(r.Test), r.Config.Seed, r.thresholdFrom()))
	add("Which steps were fitted where", "training patients only: ICC filter, ComBat, z-score, Mann–Whitney, Spearman, mRMR, LASSO-CV, the classifiers"+
		map[bool]string{true: " and their grid searches", false: ""}[p.Grid]+", the Youden thresholds and the choice of the reported model; the networks and their PCA on the training patients. In the robustness and external tables, all of these are refitted inside every fold, permutation, bootstrap sample and held-out centre; the networks and their PCA only with DeepInFolds, and then only inside CV folds (one repeat) and held-out centres: signatures with deep features get no permutation test or bootstrap")
	add("Harmonisation", "ComBat (sva's parametric empirical Bayes), centre as batch, no covariates, one model per feature table, learnt on the training patients and applied to all; location only when a centre has a single training patient")
	add("Class imbalance", fmt.Sprintf("%d good / %d poor; stratified split and folds; no resampling of classes; AUC as the main metric", r.Cohort.Outcome.Good, r.Cohort.Outcome.Poor))
	add("Model choice", "six classifiers per signature, all reported in Tables 2–3; the reported one chosen by 5-fold CV inside the training patients, never by the test set")
	add("Uncertainty", "DeLong 95% CI of every AUC; repeated-CV SD and range; permutation p; bootstrap .632+ (and Harrell's) corrected AUC; leave-one-centre-out AUCs with DeLong CIs")
	add("Calibration", "Brier score and Hosmer–Lemeshow test on the test patients (robustness table); calibration curves (Fig. 3)")
	add("Clinical utility", "decision curves on the test patients (Fig. 3)")
	add("External validation", "none on an independent cohort; leave-one-centre-out within this cohort (table above)")
	add("Reproducibility", "run.json: seed, every setting, SHA-256 of every input file, per-stage time and memory; the same seed gives byte-identical tables; models/ holds every fitted model, models/bundle_rad.json the Rad predictor")
	add("Left for the author (the run cannot know)", "study design and ethics approval; inclusion and exclusion criteria and their flow; scanner, protocol and acquisition parameters; who segmented and how (the ICC measures agreement, not correctness); the reference standard and blinding; sample-size rationale; missing data handling before the cohort folder; whether the cohort is synthetic; comparison with clinical models; open data and code statements")
	return report.Section{
		Title:  "Reviewer checklist (CLEAR / METRICS), filled from this run",
		Text:   "The items of the CLEAR checklist and the METRICS score that a run can answer about itself, and those it cannot.",
		Blocks: []template.HTML{report.Table("", []string{"item", "this run"}, rows)},
	}
}

// softwareVersions lists Go, scirad and the modules scirad is built from.
func (r *Result) softwareVersions() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "scirad " + Version() + " (no build information)"
	}
	parts := []string{"scirad " + Version(), bi.GoVersion}
	for _, d := range bi.Deps {
		for _, want := range []string{"gomlx", "gonum", "go-echarts", "dicom", "yaml"} {
			if strings.Contains(d.Path, want) {
				parts = append(parts, d.Path+" "+d.Version)
				break
			}
		}
	}
	parts = append(parts, "GOMLX_BACKEND "+r.provenance().Backend)
	return strings.Join(parts, "; ")
}

func (r *Result) iccText() string {
	if r.ICC == nil {
		return "no second rater's masks: no ICC filter"
	}
	kept := 0
	for _, f := range r.ICC {
		if f.Keep {
			kept++
		}
	}
	return fmt.Sprintf("two raters' masks; ICC(2,1) > %.2f on the training patients keeps %d of %d radiomics features (tables/icc.csv)", r.Config.Profile.ICCThreshold, kept, len(r.ICC))
}

func (r *Result) deepText() string {
	p := r.Config.Profile
	if len(p.DeepArchs) == 0 {
		return "none (radiomics only)"
	}
	return fmt.Sprintf("%s, one network per image, %d px, %d epochs, batch %d, learning rate %g, trained on the training patients; PCA to %d components per image fitted on them; retrained inside resamples: %v",
		strings.Join(p.DeepArchs, ", "), p.DeepSize, p.DeepEpochs, p.DeepBatch, p.DeepLR, p.DeepPCA, p.DeepInFolds)
}

// ratioText gives, per signature, the number of features after each
// selection step against the training patients.
func (r *Result) ratioText() string {
	var parts []string
	for _, s := range r.Sigs {
		if s.Sel == nil {
			continue
		}
		var steps []string
		for _, c := range s.Sel.Steps {
			steps = append(steps, fmt.Sprintf("%s %d", c.Step, c.Count))
		}
		parts = append(parts, fmt.Sprintf("%s: %s (for %d training patients: %.2f features per patient after the LASSO)", s.Sig.Name, strings.Join(steps, " → "),
			len(r.Train), float64(s.Sel.Steps[len(s.Sel.Steps)-1].Count)/float64(len(r.Train))))
	}
	return strings.Join(parts, "; ")
}
