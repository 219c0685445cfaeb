package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/table"
)

// writeSelectInput writes a small fused table (radiomics + ResNet34) with
// a class signal in a few column families.
func writeSelectInput(t *testing.T, dir string) string {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 5))
	n := 60
	tb := &table.Table{IDName: "patient_id", MetaName: []string{"center", "outcome"}, Meta: make([][]string, 2)}
	for j := 0; j < 120; j++ {
		tb.Names = append(tb.Names, fmt.Sprintf("lesion_original_glcm_F%03d", j))
	}
	for j := 0; j < 32; j++ {
		tb.Names = append(tb.Names, fmt.Sprintf("resnet34_median_pc%02d", j))
	}
	for i := 0; i < n; i++ {
		y := i % 2
		lat := make([]float64, 30)
		for f := range lat {
			lat[f] = r.NormFloat64()
			if f < 4 {
				lat[f] += float64(y)
			}
		}
		row := make([]float64, len(tb.Names))
		for j := range row {
			row[j] = 3 + float64(j%4) + lat[(j*7)%30] + 0.2*r.NormFloat64()
		}
		tb.IDs = append(tb.IDs, fmt.Sprintf("P%02d", i))
		tb.Meta[0] = append(tb.Meta[0], string(rune('A'+i%3)))
		tb.Meta[1] = append(tb.Meta[1], fmt.Sprint(y))
		tb.X = append(tb.X, row)
	}
	path := filepath.Join(dir, "features.csv")
	if err := tb.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSelectCommand(t *testing.T) {
	dir := t.TempDir()
	in := writeSelectInput(t, dir)
	out := filepath.Join(dir, "selected.csv")
	figs := filepath.Join(dir, "lasso.json")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"select", "-in", in, "-label", "outcome", "-o", out, "-figures", figs}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	t.Log("\n" + stdout.String())
	// Rad, ResNet34 and Rad+ResNet34 are the signatures these columns support.
	for _, s := range []string{"Rad ", "ResNet34 ", "Rad+ResNet34 "} {
		if !strings.Contains(stdout.String(), "\n"+s) {
			t.Errorf("no line for %s in\n%s", s, stdout.String())
		}
	}
	sel, err := table.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if sel.Col("radscore_Rad+ResNet34") < 0 {
		t.Errorf("no radscore column in %v", sel.Names)
	}
	b, err := os.ReadFile(figs)
	if err != nil {
		t.Fatal(err)
	}
	var f figureFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Signatures) != 3 || len(f.Signatures[0].CVM) != len(f.Signatures[0].Lambda) {
		t.Errorf("figures: %d signatures", len(f.Signatures))
	}
	// The rad-score in the table is the one in the figures.
	j := sel.Col("radscore_Rad")
	if got, want := sel.X[0][j], f.Signatures[0].Scores[0]["radscore"].(float64); math.Abs(got-want) > 0 {
		t.Errorf("rad-score %v in the table, %v in the figures", got, want)
	}

	// -apply on the training table itself gives the same table as -o.
	applied := filepath.Join(dir, "applied.csv")
	stdout.Reset()
	if code := Main([]string{"select", "-in", in, "-o", filepath.Join(dir, "sel2.csv"), "-apply", in, "-apply-o", applied}, &stdout, &stderr); code != 0 {
		t.Fatalf("-apply: exit %d: %s", code, stderr.String())
	}
	a, errA := os.ReadFile(applied)
	o, errO := os.ReadFile(out)
	if errA != nil || errO != nil || !bytes.Equal(a, o) {
		t.Errorf("-apply on the training table differs from -o (%v, %v)", errA, errO)
	}

	// Bad input: a single class.
	one := filepath.Join(dir, "one.csv")
	tb, _ := table.ReadFile(in)
	for i := range tb.Meta[1] {
		tb.Meta[1][i] = "1"
	}
	if err := tb.WriteFile(one); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := Main([]string{"select", "-in", one, "-o", filepath.Join(dir, "x.csv")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "single class") {
		t.Errorf("single class: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := Main([]string{"select", "-in", in, "-o", in}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "write over an input") {
		t.Errorf("-o = -in: exit %d, %s", code, stderr.String())
	}
}
