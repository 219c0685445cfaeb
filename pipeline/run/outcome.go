package run

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/table"
)

// thresholdFrom names the patients whose mean δ is the outcome threshold.
func (r *Result) thresholdFrom() string {
	if r.Config.ThresholdFrom == "train" {
		return "the training patients only"
	}
	return "all patients"
}

// trainThreshold applies Config.ThresholdFrom = "train" after the split:
// the threshold becomes the mean δ of the training patients and every
// patient is labelled by it, so that no test patient's outcome shapes a
// training label (the split itself stays stratified on the paper's
// labels). Table 1 is rewritten with the new labels. It is an error for
// either split to lose a class.
func (r *Result) trainThreshold() (string, error) {
	switch r.Config.ThresholdFrom {
	case "", "all":
		return "", nil
	case "train":
	default:
		return "", fmt.Errorf("run: outcome threshold from %q: want all or train", r.Config.ThresholdFrom)
	}
	c := r.Cohort
	var sum float64
	for _, i := range r.Train {
		sum += c.Patients[i].Delta()
	}
	o := cohort.Outcome{Threshold: sum / float64(len(r.Train)), Delta: make([]float64, len(c.Patients)), Labels: make([]int, len(c.Patients))}
	for i, p := range c.Patients {
		o.Delta[i] = p.Delta()
		if o.Delta[i] < o.Threshold {
			o.Labels[i] = 1
			o.Good++
		} else {
			o.Poor++
		}
	}
	for _, part := range []struct {
		name string
		idx  []int
	}{{"training", r.Train}, {"test", r.Test}} {
		var n1 int
		for _, i := range part.idx {
			n1 += o.Labels[i]
		}
		if n1 == 0 || n1 == len(part.idx) {
			return "", fmt.Errorf("run: with the threshold from the training patients (%.2f) the %s patients hold one class", o.Threshold, part.name)
		}
	}
	c.Outcome = o
	t1, err := cohort.BuildTable1(c.Patients, o.Labels, o.Threshold)
	if err != nil {
		return "", err
	}
	r.Table1 = t1
	if err := table.WriteFileAtomic(r.path("tables", "table1.csv"), t1.WriteCSV); err != nil {
		return "", err
	}
	if err := table.WriteFileAtomic(r.path("tables", "table1.html"), t1.WriteHTML); err != nil {
		return "", err
	}
	return fmt.Sprintf("; outcome threshold from the training patients: %.2f (%d good, %d poor)", o.Threshold, o.Good, o.Poor), nil
}
