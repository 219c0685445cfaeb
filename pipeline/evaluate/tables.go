package evaluate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/internal/htmltable"
)

// Row is one line of the paper's Table 2 or 3: a signature_model name
// (e.g. "ResNet34_RandomForest", "Rad + ResNet34_LR"), its cohort
// ("Train" or "Test") and its result.
type Row struct {
	Signature string
	Cohort    string
	Result    Result
	// Note, when set, says why the row has no result (a model that could
	// not fit): its metrics are written NA and the note stands in the CI.
	Note string
}

// TableHeader is the paper's column order for Tables 2 and 3.
var TableHeader = []string{"Signature", "Cohort", "Acc", "AUC", "95% CI", "Sen", "Spe", "PPV", "NPV"}

// ModelLabel is the paper's name for each classify model name, as in
// "ResNet34_RandomForest".
var ModelLabel = map[string]string{
	"lr": "LR", "svm": "SVM", "rf": "RandomForest", "nb": "NaiveBayes", "mlp": "MLP", "gbdt": "LightGBM",
}

// fmt3 writes a metric with three decimals, "NA" when undefined.
func fmt3(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return fmt.Sprintf("%.3f", x)
}

// cells returns a row's cells in the paper's format: three decimals for
// Acc, AUC, Sen, Spe, PPV, NPV; the CI as "low–high" with four decimals and
// an en dash. The cohort is written only on the first row of a run of rows
// with the same cohort, as in the paper.
func cells(rows []Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		cohort := r.Cohort
		if i > 0 && rows[i-1].Cohort == r.Cohort {
			cohort = ""
		}
		if r.Note != "" {
			out[i] = []string{r.Signature, cohort, "NA", "NA", r.Note, "NA", "NA", "NA", "NA"}
			continue
		}
		m, a := r.Result.Metrics, r.Result.AUC
		out[i] = []string{r.Signature, cohort, fmt3(m.Accuracy), fmt3(a.AUC),
			fmt.Sprintf("%.4f–%.4f", a.Low, a.High),
			fmt3(m.Sensitivity), fmt3(m.Specificity), fmt3(m.PPV), fmt3(m.NPV)}
	}
	return out
}

// WriteTableCSV writes rows as CSV in the paper's layout (TableHeader).
func WriteTableCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TableHeader); err != nil {
		return err
	}
	if err := cw.WriteAll(cells(rows)); err != nil {
		return err
	}
	return cw.Error()
}

// WriteTableHTML writes rows as a self-contained HTML table in the paper's
// layout, with caption as its caption.
func WriteTableHTML(w io.Writer, caption string, rows []Row) error {
	return htmltable.Write(w, "scirad-metrics", caption, TableHeader, cells(rows))
}

// ModelOrder is the order of the six models within a signature in every
// table scirad writes (Tables 2 and 3, robustness, external validation):
// classify.Names. It is scirad's order; the paper's tables are not
// reproduced row for row.
var ModelOrder = classify.Names

// DisplaySignature is a signature's name as the paper's tables write it:
// "Rad+ResNet34" becomes "Rad + ResNet34".
func DisplaySignature(name string) string { return strings.ReplaceAll(name, "+", " + ") }

// SignatureName is the paper's row name for a signature and a classify
// model name: SignatureName("ResNet34", "rf") = "ResNet34_RandomForest",
// SignatureName("Rad + ResNet18", "gbdt") = "Rad + ResNet18_LightGBM".
func SignatureName(signature, model string) string {
	l, ok := ModelLabel[model]
	if !ok {
		l = model
	}
	return signature + "_" + l
}

// PaperRows evaluates one signature × model as the paper does (TrainTest:
// Youden threshold on the training scores) and returns its Train and Test
// rows.
func PaperRows(signature, model string, trainScore []float64, trainY []int, testScore []float64, testY []int) (train, test Row, err error) {
	a, b, err := TrainTest(trainScore, trainY, testScore, testY)
	if err != nil {
		return train, test, fmt.Errorf("evaluate: %s: %v", SignatureName(signature, model), err)
	}
	name := SignatureName(signature, model)
	return Row{Signature: name, Cohort: "Train", Result: a}, Row{Signature: name, Cohort: "Test", Result: b}, nil
}
