package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/selection"
)

// TestTrainThreshold: with ThresholdFrom "train" the threshold is the mean
// δ of the training patients alone, every patient is relabelled by it,
// and a test patient's outcome no longer moves it.
func TestTrainThreshold(t *testing.T) {
	deltas := []float64{-10, -8, -6, -4, -2, 0, 2, 4, -20, 20}
	var ps []cohort.Patient
	for i, d := range deltas {
		ps = append(ps, cohort.Patient{ID: string(rune('a' + i)), Center: "A", Age: 50, Sex: cohort.Sexes[i%2], DaysToSurgery: 10,
			Cause: cohort.Causes[0], ASIAAdmission: cohort.Grades[2], ASIA1y: cohort.Grades[3], UEMSAdmission: 30, UEMS1y: 30 - d})
	}
	o, err := cohort.DeriveOutcome(ps)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "tables"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Result{Config: Config{Out: out, ThresholdFrom: "train"}, Cohort: &cohort.Cohort{Patients: ps, Outcome: o},
		Train: []int{0, 1, 2, 3, 4, 5, 6, 7}, Test: []int{8, 9}}
	note, err := r.trainThreshold()
	if err != nil {
		t.Fatal(err)
	}
	// Training δ: −10 … 4, mean −3; all patients' mean is −1.8.
	if o := r.Cohort.Outcome; o.Threshold != -3 || o.Labels[3] != 1 || o.Labels[4] != 0 || o.Labels[8] != 1 || o.Labels[9] != 0 || !strings.Contains(note, "-3.00") {
		t.Errorf("threshold %v, labels %v, note %q", o.Threshold, o.Labels, note)
	}
	if _, err := os.Stat(filepath.Join(out, "tables", "table1.csv")); err != nil {
		t.Errorf("Table 1 not rewritten: %v", err)
	}
	r.Config.ThresholdFrom = "test"
	if _, err := r.trainThreshold(); err == nil {
		t.Error("unknown ThresholdFrom accepted")
	}
}

// TestReportWithoutFeatures: a signature whose selection kept nothing (a
// label-shuffled cohort, say) gets its row of the selection table and no
// Fig. 4, instead of a panic.
func TestReportWithoutFeatures(t *testing.T) {
	sel := &selection.Result{Steps: []selection.StepCount{{Step: "input", Count: 9}, {Step: "non-constant", Count: 9}, {Step: "mann-whitney", Count: 0}}}
	r := &Result{Sigs: []*SignatureResult{{Sig: selection.Signature{Name: "Rad"}, Sel: sel, Empty: "no feature has Mann–Whitney p < 0.05", TrainY: []int{0, 1}}}}
	sec := r.selectionSection()
	if len(sec.Figures) != 0 || len(sec.Blocks) != 1 || !strings.Contains(sec.Text, "No signature kept a feature") {
		t.Errorf("%+v", sec)
	}
}
