package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const breastCancer = "../../../testdata/classify/breast_cancer.csv"

func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	rc := Main(args, &out, &errb)
	return rc, out.String(), errb.String()
}

// TestClassifyEvaluate runs classify then evaluate on the committed
// breast-cancer table (fit and predict on the same 569 rows, so the AUC is
// the apparent one, above scikit-learn's test AUC of 0.9956 for LR).
func TestClassifyEvaluate(t *testing.T) {
	dir := t.TempDir()
	pred := filepath.Join(dir, "pred.csv")
	model := filepath.Join(dir, "model.json")
	if rc, _, e := runMain("classify", "-train", breastCancer, "-test", breastCancer, "-label", "target", "-model", "lr", "-o", pred, "-save", model); rc != 0 {
		t.Fatalf("classify: rc %d: %s", rc, e)
	}
	data, _ := os.ReadFile(pred)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != "id,label,probability" || len(lines) != 570 || !strings.HasPrefix(lines[1], "bc000,0,") {
		t.Fatalf("predictions start %q, %d lines", lines[:2], len(lines))
	}
	if js, _ := os.ReadFile(model); !bytes.HasPrefix(js, []byte(`{"model":"pipeline"`)) {
		t.Errorf("model JSON starts %.40s", js)
	}
	rc, out, e := runMain("evaluate", "-in", pred, "-threshold", "0.5")
	if rc != 0 {
		t.Fatalf("evaluate: rc %d: %s", rc, e)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if rows[0] != "n,auc,auc_ci_low,auc_ci_high,threshold,acc,sen,spe,ppv,npv" {
		t.Fatalf("header %q", rows[0])
	}
	f := strings.Split(rows[1], ",")
	auc, _ := strconv.ParseFloat(f[1], 64)
	if f[0] != "569" || auc < 0.99 || f[4] != "0.5" {
		t.Errorf("metrics %q", rows[1])
	}
	// Youden on the file itself says so.
	if rc, _, e := runMain("evaluate", "-in", pred); rc != 0 || !strings.Contains(e, "chosen by Youden on") {
		t.Errorf("youden: rc %d, stderr %q", rc, e)
	}
	// -train: the threshold comes from the other file, silently.
	if rc, out, e := runMain("evaluate", "-in", pred, "-train", pred); rc != 0 || e != "" || !strings.HasPrefix(strings.Split(out, "\n")[1], "569,") {
		t.Errorf("-train: rc %d, stderr %q, out %q", rc, e, out)
	}
	// Grid search runs and reports its choice.
	if rc, _, e := runMain("classify", "-train", breastCancer, "-test", breastCancer, "-label", "target", "-model", "nb", "-grid", "-o", pred); rc != 0 || !strings.Contains(e, "grid search chose") {
		t.Errorf("grid: rc %d, stderr %q", rc, e)
	}
}

// TestClassifyBadInput: clear one-line errors.
func TestClassifyBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	train := write("train.csv", "id,target,a,b\n1,0,1,2\n2,1,2,1\n3,0,1,3\n4,1,3,1\n5,0,0,2\n6,1,2,0\n")
	oneClass := write("one.csv", "id,target,a,b\n1,0,1,2\n2,0,2,1\n3,0,1,3\n")
	wrongCols := write("cols.csv", "id,target,a,c\n1,0,1,2\n")
	nan := write("nan.csv", "id,target,a,b\n1,0,1,NaN\n")
	out := filepath.Join(dir, "p.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-train", train, "-test", train, "-model", "knn"}, `unknown model "knn"`},
		{[]string{"-train", oneClass, "-test", train, "-model", "lr"}, "single class"},
		{[]string{"-train", train, "-test", wrongCols, "-model", "lr"}, "lacks 1 feature column(s) the model was fitted on: b"},
		{[]string{"-train", nan, "-test", train, "-model", "lr"}, "not a finite number"},
		{[]string{"-train", train, "-test", train, "-model", "lr", "-label", "outcome"}, `no column "outcome"`},
	} {
		rc, _, e := runMain(append(append([]string{"classify"}, c.args...), "-o", out)...)
		if rc != 1 || !strings.Contains(e, c.want) || strings.Count(e, "\n") != 1 {
			t.Errorf("%v: rc %d, stderr %q, want %q", c.args, rc, e, c.want)
		}
	}
	if rc, _, e := runMain("classify", "-train", train, "-test", train, "-model", "lr", "-o", train); rc != 1 || !strings.Contains(e, "refusing to write over an input") {
		t.Errorf("overwrite input: rc %d, %q", rc, e)
	}
	if rc, _, e := runMain("evaluate", "-in", train, "-label", "target", "-score", "zz"); rc != 1 || !strings.Contains(e, `no score column "zz"`) {
		t.Errorf("evaluate missing score: rc %d, %q", rc, e)
	}
	if rc, _, e := runMain("evaluate", "-in", train, "-label", "target", "-score", "a", "-threshold", "high"); rc != 1 || !strings.Contains(e, "want youden or a finite number") {
		t.Errorf("evaluate bad threshold: rc %d, %q", rc, e)
	}
}
