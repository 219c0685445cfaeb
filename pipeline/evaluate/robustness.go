package evaluate

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/scirad/scirad/pipeline/internal/htmltable"
)

// RobustnessOptions sets the resampling sizes of Robustness; zero fields
// take the defaults of RepeatedCV (5 × 5), PermutationTest (100
// permutations) and OptimismCorrectedAUC (200 bootstrap samples).
type RobustnessOptions struct {
	Folds, Repeats, Permutations, Bootstraps int
	Seed                                     uint64
}

// RobustnessRow is what the paper's single split cannot show for one
// signature × model, reported beside its Table 2/3 rows.
type RobustnessRow struct {
	Signature string
	CV        CVResult
	Perm      PermResult
	Optimism  OptimismResult
}

// Robustness runs RepeatedCV, PermutationTest and OptimismCorrectedAUC on
// one (training) table.
func Robustness(signature string, f Factory, X [][]float64, y []int, o RobustnessOptions) (RobustnessRow, error) {
	r := RobustnessRow{Signature: signature}
	var err error
	if r.CV, err = RepeatedCV(f, X, y, o.Folds, o.Repeats, o.Seed); err != nil {
		return r, fmt.Errorf("%s: %v", signature, err)
	}
	if r.Perm, err = PermutationTest(f, X, y, o.Folds, o.Permutations, o.Seed); err != nil {
		return r, fmt.Errorf("%s: %v", signature, err)
	}
	if r.Optimism, err = OptimismCorrectedAUC(f, X, y, o.Bootstraps, o.Seed); err != nil {
		return r, fmt.Errorf("%s: %v", signature, err)
	}
	return r, nil
}

// RobustnessHeader is the column order of the robustness table.
var RobustnessHeader = []string{"Signature", "CV AUC", "CV SD", "CV range", "Permutation p", "Apparent AUC", "Optimism", "Corrected AUC"}

func robustnessCells(rows []RobustnessRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.Signature,
			fmt3(r.CV.Mean), fmt3(r.CV.SD), fmt.Sprintf("%.3f–%.3f", r.CV.Min, r.CV.Max),
			fmt3(r.Perm.P), fmt3(r.Optimism.Apparent), fmt3(r.Optimism.Optimism), fmt3(r.Optimism.Corrected)}
	}
	return out
}

// WriteRobustnessCSV writes the robustness rows as CSV (RobustnessHeader),
// three decimals.
func WriteRobustnessCSV(w io.Writer, rows []RobustnessRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RobustnessHeader); err != nil {
		return err
	}
	if err := cw.WriteAll(robustnessCells(rows)); err != nil {
		return err
	}
	return cw.Error()
}

// WriteRobustnessHTML writes the robustness rows as an HTML table.
func WriteRobustnessHTML(w io.Writer, caption string, rows []RobustnessRow) error {
	return htmltable.Write(w, "scirad-robustness", caption, RobustnessHeader, robustnessCells(rows))
}
