package evaluate_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/evaluate"
)

// The paper's evaluation of one model: AUC with DeLong's 95 % CI, and the
// Youden threshold chosen on the training predictions applied to the test
// predictions.
func ExampleTrainTest() {
	trainP := []float64{0.9, 0.8, 0.75, 0.6, 0.55, 0.4, 0.3, 0.2, 0.15, 0.1}
	trainY := []int{1, 1, 1, 0, 1, 1, 0, 0, 0, 0}
	testP := []float64{0.85, 0.7, 0.5, 0.45, 0.35, 0.1}
	testY := []int{1, 0, 1, 1, 0, 0}
	tr, te, err := evaluate.TrainTest(trainP, trainY, testP, testY)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("threshold %.3f\n", tr.Metrics.Threshold)
	fmt.Printf("train AUC %.3f (%.4f–%.4f) Sen %.3f Spe %.3f\n", tr.AUC.AUC, tr.AUC.Low, tr.AUC.High, tr.Metrics.Sensitivity, tr.Metrics.Specificity)
	fmt.Printf("test  AUC %.3f (%.4f–%.4f) Sen %.3f Spe %.3f\n", te.AUC.AUC, te.AUC.Low, te.AUC.High, te.Metrics.Sensitivity, te.Metrics.Specificity)
	// pROC 1.18.0 gives the same CIs and Youden threshold:
	// ci.auc(roc(y, p, direction = "<"), method = "delong").
	// (The test control scored 0.35 sits on the threshold: score ≥ t is
	// positive, so it counts as a false positive.)

	// Output:
	// threshold 0.350
	// train AUC 0.920 (0.7361–1.0000) Sen 1.000 Spe 0.800
	// test  AUC 0.778 (0.2908–1.0000) Sen 1.000 Spe 0.333
}
