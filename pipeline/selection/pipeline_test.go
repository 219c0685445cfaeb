package selection

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// synthTable is an 82 × 1230 feature table shaped like the paper's
// (1070 radiomics + 160 ResNet34 columns, 49/33 classes): features come
// in correlated families, a few carry a class shift, one is constant.
func synthTable(seed uint64) (*table.Table, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	n := 82
	y := make([]int, n)
	for i := range y {
		if i < 49 {
			y[i] = 1
		}
	}
	r.Shuffle(n, func(a, b int) { y[a], y[b] = y[b], y[a] })
	t := &table.Table{IDName: "patient_id"}
	for j := 0; j < 1070; j++ {
		roi := "lesion"
		if j >= 535 {
			roi = "cord"
		}
		t.Names = append(t.Names, fmt.Sprintf("%s_original_glcm_F%04d", roi, j))
	}
	for j := 0; j < 160; j++ {
		t.Names = append(t.Names, fmt.Sprintf("resnet34_median_pc%03d", j))
	}
	p := len(t.Names)
	// 60 latent factors; each feature is a noisy copy of one, so
	// families are strongly correlated. Factors 0–5 depend on the class.
	lat := make([][]float64, n)
	for i := range lat {
		lat[i] = make([]float64, 60)
		for f := range lat[i] {
			lat[i][f] = r.NormFloat64()
			if f < 6 {
				lat[i][f] += 0.9 * float64(y[i])
			}
		}
	}
	for i := 0; i < n; i++ {
		t.IDs = append(t.IDs, fmt.Sprintf("P%03d", i+1))
		row := make([]float64, p)
		for j := range row {
			f := (j * 7) % 60
			row[j] = 5 + float64(j%11) + (1+float64(j%5))*(lat[i][f]+0.15*r.NormFloat64())
		}
		row[17] = 3 // constant
		t.X = append(t.X, row)
	}
	return t, y
}

func TestPipeline(t *testing.T) {
	tb, y := synthTable(3)
	res, err := Pipeline{}.Fit(tb, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	var counts []string
	for k, s := range res.Steps {
		counts = append(counts, fmt.Sprintf("%s %d", s.Step, s.Count))
		if k > 0 && s.Count > res.Steps[k-1].Count {
			t.Errorf("step %s kept %d > %d", s.Step, s.Count, res.Steps[k-1].Count)
		}
	}
	t.Log(strings.Join(counts, ", "))
	// The zero Pipeline's defaults: Mann–Whitney at p < 0.05, mRMR keeps
	// 20 (when the Spearman step leaves more).
	step := map[string]int{}
	for _, s := range res.Steps {
		step[s.Step] = s.Count
	}
	below := 0
	for _, pv := range res.PValues {
		if pv.P < 0.05 {
			below++
		}
	}
	if step["mann-whitney"] != below {
		t.Errorf("Mann–Whitney kept %d, but %d p values are below 0.05", step["mann-whitney"], below)
	}
	if want := min(20, step["spearman"]); step["mrmr"] != want {
		t.Errorf("mRMR kept %d of %d, want %d", step["mrmr"], step["spearman"], want)
	}
	if !slices.Equal(res.Constant, []string{tb.Names[17]}) {
		t.Errorf("constant = %v", res.Constant)
	}
	if len(res.Selected) == 0 {
		t.Fatal("nothing selected")
	}
	for _, s := range res.Selected {
		if !slices.Contains(res.MRMR, s) {
			t.Errorf("%s selected but not in the mRMR set", s)
		}
	}
	// Rad-score on the training table = the LASSO's linear predictor on
	// the z-scored mRMR columns at the chosen λ.
	cols := make([]int, len(res.MRMR))
	for k, n := range res.MRMR {
		cols[k] = slices.Index(res.ZNames, n)
	}
	all := make([]int, len(res.ZNames))
	for k := range all {
		all[k] = tb.Col(res.ZNames[k])
	}
	Z := subCols(res.ZScore.Apply(subCols(tb.X, all)), cols)
	pred := res.Lasso.Path.Predict(Z, res.Lasso.Lambda)
	for i := range pred {
		if math.Abs(pred[i]-res.Score[i]) > 1e-12*max(1, math.Abs(pred[i])) {
			t.Fatalf("row %d: rad-score %v, LASSO prediction %v", i, res.Score[i], pred[i])
		}
	}
	// Same seed, same result.
	again, err := Pipeline{}.Fit(tb, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Selected, res.Selected) || !slices.Equal(again.Score, res.Score) {
		t.Error("refit with the same seed differs")
	}
	// Transform: selected columns, z-scored with the training parameters.
	tr, err := res.Transform(tb)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr.Names, res.Selected) {
		t.Errorf("Transform names %v", tr.Names)
	}
}

// TestPipelineMRMRDefault: with 30 independent informative features (no
// pair near |ρ| 0.9), the zero Pipeline's mRMR keeps its default 20.
func TestPipelineMRMRDefault(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 1))
	tb := &table.Table{IDName: "patient_id"}
	var y []int
	for i := range 60 {
		y = append(y, i%2)
		tb.IDs = append(tb.IDs, fmt.Sprintf("P%02d", i))
		row := make([]float64, 30)
		for j := range row {
			row[j] = 1.5*float64(i%2) + r.NormFloat64()
		}
		tb.X = append(tb.X, row)
	}
	for j := range 30 {
		tb.Names = append(tb.Names, fmt.Sprintf("f%02d", j))
	}
	res, err := Pipeline{}.Fit(tb, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	step := map[string]int{}
	for _, s := range res.Steps {
		step[s.Step] = s.Count
	}
	if step["spearman"] <= 20 || step["mrmr"] != 20 {
		t.Errorf("steps %v: want more than 20 after Spearman and mRMR's default 20", res.Steps)
	}
}

func TestPipelineBadInput(t *testing.T) {
	tb, y := synthTable(3)
	one := make([]int, len(y))
	if _, err := (Pipeline{}).Fit(tb, one, 1); err == nil || !strings.Contains(err.Error(), "single class") {
		t.Errorf("single class: err = %v", err)
	}
	bad := tb.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	bad.X[4][100] = math.NaN()
	if _, err := (Pipeline{}).Fit(bad, y[:10], 1); err == nil || !strings.Contains(err.Error(), tb.Names[100]) {
		t.Errorf("NaN: err = %v", err)
	}
	if _, err := (Pipeline{}).Fit(tb, y, 1); err != nil {
		t.Fatal(err)
	}
	// Pure noise: nothing passes Mann–Whitney, and the error says so.
	noise, _ := synthTable(4)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range noise.X {
		for j := range noise.X[i] {
			noise.X[i][j] = r.NormFloat64()
		}
	}
	small, err := noise.SelectColumns(noise.Names[:3])
	if err != nil {
		t.Fatal(err)
	}
	_, err = Pipeline{Alpha: 1e-6}.Fit(small, y, 1)
	if err == nil || !strings.Contains(err.Error(), "no feature has Mann–Whitney p < 1e-06") || !errors.Is(err, ErrNoFeature) {
		t.Errorf("nothing significant: err = %v", err)
	}
	// MinKeep keeps the smallest p-values instead, and says so.
	res, err := Pipeline{Alpha: 1e-6, MinKeep: 2}.Fit(small, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || res.Steps[2].Count != 2 {
		t.Errorf("MinKeep 2: relaxed %v, steps %v", res.Relaxed, res.Steps)
	}
	worst := 0.0
	kept := 0
	for _, pv := range res.PValues {
		worst = max(worst, pv.P)
	}
	for _, pv := range res.PValues {
		if pv.P < worst {
			kept++
		}
	}
	if kept != 2 {
		t.Errorf("the two kept features are not those of smallest p: %v", res.PValues)
	}
}

func TestSignatures(t *testing.T) {
	names := []string{"lesion_original_glcm_Contrast", "cord_mean_firstorder_Mean", "resnet34_median_pc07", "resnet18_box_pc01", "age"}
	var got []string
	for _, s := range Available(names) {
		got = append(got, s.Name+"="+strings.Join(s.Columns(names), "|"))
	}
	want := []string{
		"Rad=lesion_original_glcm_Contrast|cord_mean_firstorder_Mean",
		"ResNet18=resnet18_box_pc01",
		"ResNet34=resnet34_median_pc07",
		"Rad+ResNet18=lesion_original_glcm_Contrast|cord_mean_firstorder_Mean|resnet18_box_pc01",
		"Rad+ResNet34=lesion_original_glcm_Contrast|cord_mean_firstorder_Mean|resnet34_median_pc07",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Available:\n got %q\nwant %q", got, want)
	}
	if len(Signatures()) != 7 {
		t.Errorf("%d signatures, want the paper's 7", len(Signatures()))
	}
	if _, err := SignatureByName("rad+resnet152"); err != nil {
		t.Error(err)
	}
	if _, err := SignatureByName("ResNet50"); err == nil {
		t.Error("unknown signature: no error")
	}
}

func BenchmarkPipeline82x1230(b *testing.B) {
	tb, y := synthTable(3)
	b.ResetTimer()
	for b.Loop() {
		if _, err := (Pipeline{}).Fit(tb, y, 1); err != nil {
			b.Fatal(err)
		}
	}
}
