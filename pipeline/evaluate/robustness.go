package evaluate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"

	"github.com/scirad/scirad/pipeline/internal/htmltable"
)

// RobustnessRow is one line of the robustness table: what the paper's
// single split cannot show for one signature × model. A candidate row
// (Reported false) is the model refitted, with the whole process, in every
// fold; the reported row of a signature is the whole process with its
// choice of model made inside every resample (ProcedureCV.Chosen,
// PermuteProcedure, BootstrapProcedure), named by the model it chose on
// all training patients.
type RobustnessRow struct {
	Signature string // "Rad", "Rad+ResNet34", …
	Model     string // a classify name
	Reported  bool
	// CV is nil where the row was not resampled (Note says why).
	CV *CandidateCV
	// Perm and Boot are set on reported rows only: the permutation test
	// and the bootstrap (its .632+ AUC is the corrected AUC; Harrell's
	// beside it).
	Perm *PermResult
	Boot *ProcedureOptimism
	// Test is the model's held-out test result (Tables 2–3), Brier its
	// test Brier score and HL its Hosmer–Lemeshow test on the test
	// patients (nil when undefined, HLNote says why).
	Test   *Result
	Brier  float64
	HL     *HosmerLemeshow
	HLNote string
	Note   string
}

// RobustnessCSVHeader is the robustness table's CSV header.
// corrected_auc is the .632+ estimate (apparent − optimism); the Harrell
// columns are Harrell's estimate from the same replicates.
var RobustnessCSVHeader = []string{"signature", "model", "role", "cv_auc_mean", "cv_auc_sd", "cv_auc_min", "cv_auc_max", "cv_folds_fitted",
	"perm_p", "apparent_auc", "optimism", "corrected_auc", "oob_auc", "harrell_optimism", "harrell_corrected_auc",
	"test_auc", "test_brier", "test_hl_chi2", "test_hl_p", "note"}

// f4 writes x with four decimals, "" when x is NaN.
func f4(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return fmt.Sprintf("%.4f", x)
}

func role(r RobustnessRow) string {
	if r.Reported {
		return "reported"
	}
	return "candidate"
}

// WriteRobustnessCSV writes the robustness rows (RobustnessCSVHeader),
// four decimals; empty cells where a row has no value.
func WriteRobustnessCSV(w io.Writer, rows []RobustnessRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RobustnessCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		c := make([]string, len(RobustnessCSVHeader))
		c[0], c[1], c[2] = r.Signature, r.Model, role(r)
		if r.CV != nil && r.CV.Fitted > 0 {
			c[3], c[4], c[5], c[6] = f4(r.CV.Mean), f4(r.CV.SD), f4(r.CV.Min), f4(r.CV.Max)
		}
		if r.CV != nil {
			c[7] = fmt.Sprintf("%d/%d", r.CV.Fitted, r.CV.Folds)
		}
		if r.Perm != nil {
			c[8] = f4(r.Perm.P)
		}
		if b := r.Boot; b != nil {
			c[9], c[10], c[11] = f4(b.Plus632.Apparent), f4(b.Plus632.Optimism), f4(b.Plus632.Corrected)
			c[12], c[13], c[14] = f4(b.OOB), f4(b.Harrell.Optimism), f4(b.Harrell.Corrected)
		}
		if r.Test != nil {
			c[15], c[16] = f4(r.Test.AUC.AUC), f4(r.Brier)
		}
		if r.HL != nil {
			c[17], c[18] = f4(r.HL.Statistic), f4(r.HL.P)
		}
		c[19] = r.Note
		if err := cw.Write(c); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// RobustnessHTMLHeader is the robustness table's HTML header.
var RobustnessHTMLHeader = []string{"Signature", "Model", "CV AUC", "CV range", "Permutation p", "Corrected AUC (.632+)", "Harrell's corrected AUC",
	"Test AUC", "Test Brier", "Test HL p", "Note"}

// WriteRobustnessHTML writes the robustness rows as an HTML table, three
// decimals; the reported row of a signature is marked "reported: model".
func WriteRobustnessHTML(w io.Writer, caption string, rows []RobustnessRow) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		model := ModelLabel[r.Model]
		if model == "" {
			model = r.Model
		}
		if r.Reported {
			model = "reported: " + model
		}
		c := []string{DisplaySignature(r.Signature), model, "", "", "", "", "", "", "", "", r.Note}
		if r.CV != nil && r.CV.Fitted > 0 {
			c[2] = fmt.Sprintf("%.3f ± %.3f", r.CV.Mean, r.CV.SD)
			c[3] = fmt.Sprintf("%.3f–%.3f", r.CV.Min, r.CV.Max)
		}
		if r.Perm != nil {
			c[4] = fmt.Sprintf("%.3f", r.Perm.P)
		}
		if b := r.Boot; b != nil {
			c[5] = fmt.Sprintf("%.3f (apparent %.3f)", b.Plus632.Corrected, b.Plus632.Apparent)
			c[6] = fmt3(b.Harrell.Corrected)
		}
		if r.Test != nil {
			c[7], c[8] = fmt3(r.Test.AUC.AUC), fmt3(r.Brier)
		}
		if r.HL != nil {
			c[9] = fmt3(r.HL.P)
		} else if r.HLNote != "" {
			c[9] = "NA"
		}
		out[i] = c
	}
	return htmltable.Write(w, "scirad-robustness", caption, RobustnessHTMLHeader, out)
}

// ExternalRow is one signature × model on one held-out centre of a
// leave-one-centre-out validation.
type ExternalRow struct {
	Signature, Model string
	Reported         bool // the model the process chose on the other centres
	Centre           string
	N0, N1           int
	AUC              *AUCResult // nil when Note says why there is none
	Note             string
}

// ExternalRows flattens LeaveGroupOut's results for one signature into
// rows, candidates in order, the reported one first within a centre; a
// centre without an AUC gives one row with its note.
func ExternalRows(signature string, models []string, vs []GroupValidation, note string) []ExternalRow {
	var out []ExternalRow
	for _, v := range vs {
		if v.Note != "" || note != "" {
			n := v.Note
			if note != "" {
				n = note
			}
			out = append(out, ExternalRow{Signature: signature, Model: "", Centre: v.Group, N0: v.N0, N1: v.N1, Note: n})
			continue
		}
		order := []int{}
		if v.Chosen >= 0 {
			order = append(order, v.Chosen)
		}
		for m := range models {
			if m != v.Chosen {
				order = append(order, m)
			}
		}
		for _, m := range order {
			r := ExternalRow{Signature: signature, Model: models[m], Reported: m == v.Chosen, Centre: v.Group, N0: v.N0, N1: v.N1}
			switch {
			case v.AUC[m].Level == 0:
				r.Note = "could not fit on the other centres"
			default:
				a := v.AUC[m]
				r.AUC = &a
			}
			if v.Empty {
				r.Note = "no feature survived selection on the other centres: the prevalence is predicted"
			}
			out = append(out, r)
		}
	}
	return out
}

// ExternalCSVHeader is the external-validation table's CSV header.
var ExternalCSVHeader = []string{"signature", "model", "role", "held_out_centre", "n_good", "n_poor", "auc", "ci_low", "ci_high", "note"}

// WriteExternalCSV writes leave-one-centre-out rows (ExternalCSVHeader),
// four decimals.
func WriteExternalCSV(w io.Writer, rows []ExternalRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExternalCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rl := "candidate"
		switch {
		case r.Model == "":
			rl = ""
		case r.Reported:
			rl = "reported"
		}
		c := []string{r.Signature, r.Model, rl, r.Centre, fmt.Sprint(r.N1), fmt.Sprint(r.N0), "", "", "", r.Note}
		if r.AUC != nil {
			c[6], c[7], c[8] = f4(r.AUC.AUC), f4(r.AUC.Low), f4(r.AUC.High)
		}
		if err := cw.Write(c); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExternalHTMLHeader is the external-validation table's HTML header.
var ExternalHTMLHeader = []string{"Signature", "Held-out centre", "Good / poor", "Reported model", "AUC", "95% CI (DeLong)", "Note"}

// WriteExternalHTML writes the reported rows (and the notes of centres
// without one) as an HTML table, three decimals for the AUC and four for
// its CI, as Tables 2–3.
func WriteExternalHTML(w io.Writer, caption string, rows []ExternalRow) error {
	var out [][]string
	for _, r := range rows {
		if r.Model != "" && !r.Reported {
			continue
		}
		c := []string{DisplaySignature(r.Signature), r.Centre, fmt.Sprintf("%d / %d", r.N1, r.N0), ModelLabel[r.Model], "", "", r.Note}
		if r.AUC != nil {
			c[4] = fmt3(r.AUC.AUC)
			c[5] = fmt.Sprintf("%.4f–%.4f", r.AUC.Low, r.AUC.High)
		}
		out = append(out, c)
	}
	return htmltable.Write(w, "scirad-external", caption, ExternalHTMLHeader, out)
}
