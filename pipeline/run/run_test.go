package run

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/synth"
)

// tiny is a profile small enough for a test: every stage runs for real on a
// few patients, with one small ResNet.
func tiny() Profile {
	p := Quick()
	p.DeepArchs = []string{"resnet18"}
	p.DeepEpochs, p.DeepBatch = 1, 16
	p.Repeats, p.Perms, p.Bootstraps = 2, 10, 10
	return p
}

var tables = []string{"tables/table1.csv", "tables/table2.csv", "tables/table3.csv", "tables/selection.csv", "tables/robustness.csv", "tables/external.csv",
	"radiomics.csv", "deep_resnet18.csv", "features_harmonized.csv", "models/bundle_rad.json"}

func TestRunDeterministicAndComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline twice")
	}
	dir := t.TempDir()
	cohortDir := filepath.Join(dir, "cohort")
	if _, err := synth.Write(cohortDir, synth.Options{N: 40, Seed: 8, Size: synth.Small, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	var outs []string
	for k := 0; k < 2; k++ {
		out := filepath.Join(dir, "run"+string(rune('a'+k)))
		var log bytes.Buffer
		r, err := Run(context.Background(), Config{Cohort: cohortDir, Out: out, Profile: tiny(), Seed: 3, Log: &log})
		if err != nil {
			t.Fatalf("run %d: %v\n%s", k, err, log.String())
		}
		var names []string
		for _, s := range r.Sigs {
			names = append(names, s.Sig.Name)
		}
		if strings.Join(names, ",") != "ResNet18,Rad,Rad+ResNet18" && strings.Join(names, ",") != "Rad,ResNet18,Rad+ResNet18" {
			t.Fatalf("signatures %v, want Rad, ResNet18 and Rad+ResNet18", names)
		}
		if d := r.Deep["resnet18"]; d == nil || len(d.Features.Names) != 160 || len(d.GradCAM) != 2 {
			t.Fatalf("deep output %+v", d)
		}
		for _, stage := range []string{"cohort", "split", "radiomics", "deep", "harmonize", "select", "models", "robustness", "external", "report"} {
			if !strings.Contains(log.String(), "   "+stage) {
				t.Errorf("no summary line for stage %s", stage)
			}
		}
		outs = append(outs, out)
	}
	for _, f := range tables {
		a, err := os.ReadFile(filepath.Join(outs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(outs[1], f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	t2, _ := os.ReadFile(filepath.Join(outs[0], "tables/table2.csv"))
	if !strings.HasPrefix(string(t2), "Signature,Cohort,Acc,AUC,95% CI,Sen,Spe,PPV,NPV\n") || !strings.Contains(string(t2), "\nRad_LR,Train,") || !strings.Contains(string(t2), ",Test,") {
		t.Errorf("table2.csv does not have the paper's layout:\n%s", t2)
	}
	var prov Provenance
	b, err := os.ReadFile(filepath.Join(outs[0], "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &prov); err != nil {
		t.Fatal(err)
	}
	if prov.Seed != 3 || len(prov.Inputs) != 2+40*3 || len(prov.Timings) != 10 || len(prov.Train)+len(prov.Test) != 40 {
		t.Errorf("run.json: seed %d, %d inputs, %d timings, %d+%d patients", prov.Seed, len(prov.Inputs), len(prov.Timings), len(prov.Train), len(prov.Test))
	}

	// The report renders offline: every chart draws and nothing errs.
	exe := browsertest.Require(t)
	s, err := browsertest.Start(exe, browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Open("file://"+filepath.Join(outs[0], "report.html"), 60*time.Second); err != nil {
		t.Fatal(err)
	}
	want, err := browsertest.Eval[int](s, "document.querySelectorAll('div.item').length", 10*time.Second)
	if err != nil || want < 9 {
		t.Fatalf("%d chart containers (%v), want at least 9", want, err)
	}
	drawn, err := browsertest.Eval[[]string](s, report.DrawnChartsJS, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn) != want {
		t.Errorf("%d of %d charts drew: %v", len(drawn), want, drawn)
	}
	if e := s.Errors(); len(e) > 0 {
		t.Errorf("page errors: %v", e)
	}
	if r := s.RemoteRequests(); len(r) > 0 {
		t.Errorf("report asked the network for %v", r)
	}
}

func TestRunRefusesToWriteIntoTheCohort(t *testing.T) {
	dir := t.TempDir()
	_, err := Run(context.Background(), Config{Cohort: dir, Out: dir, Profile: tiny()})
	if err == nil || !strings.Contains(err.Error(), "inputs are never overwritten") {
		t.Fatalf("err = %v", err)
	}
}
