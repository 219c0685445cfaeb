package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volio"
)

// testdata/wasm/bundle_rad.json: the toy cohort's trained Rad predictor
// (testdata/wasm/README.md).
const predictBundle = "../../../testdata/wasm/bundle_rad.json"

// scirad predict writes what bundle.Predict computes, every number exactly
// (shortest round-trip form), and refuses bad input with a clear error.
func TestPredictCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 8, Seed: 1, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	rows, err := cohort.ReadManifest(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := rows[0]
	out := filepath.Join(dir, "prediction.csv")
	var stdout, stderr bytes.Buffer
	if err := runPredict([]string{"-bundle", predictBundle, "-image", p.Image, "-mask", p.Mask, "-center", p.Center, "-o", out}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "features") {
		t.Errorf("no timing on stderr: %q", stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r[1]
	}

	bf, err := os.Open(predictBundle)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(bf)
	bf.Close()
	if err != nil {
		t.Fatal(err)
	}
	img, _ := volio.ReadImage(p.Image)
	mask, _ := volio.ReadLabelMap(p.Mask)
	want, err := b.Predict(img, mask, p.Center)
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "name" || recs[0][1] != "value" || len(recs) != 1+6+3*len(want.Features) {
		t.Fatalf("%d rows, header %v", len(recs), recs[0])
	}
	num := func(key string) float64 {
		v, err := strconv.ParseFloat(got[key], 64)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return v
	}
	if num("probability") != want.Probability || num("rad_score") != want.RadScore || num("threshold") != b.Threshold {
		t.Errorf("probability %s rad_score %s threshold %s; Predict %v %v %v", got["probability"], got["rad_score"], got["threshold"], want.Probability, want.RadScore, b.Threshold)
	}
	if pred := map[bool]string{true: "good", false: "poor"}[want.Good]; got["prediction"] != pred || got["model"] != b.ModelName || got["center"] != p.Center {
		t.Errorf("prediction %s model %s center %s", got["prediction"], got["model"], got["center"])
	}
	for _, ft := range want.Features {
		if num("raw:"+ft.Name) != ft.Raw || num("harmonized:"+ft.Name) != ft.Harmonized || num("z:"+ft.Name) != ft.Z {
			t.Errorf("%s: %s %s %s; Predict %+v", ft.Name, got["raw:"+ft.Name], got["harmonized:"+ft.Name], got["z:"+ft.Name], ft)
		}
	}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown centre", []string{"-bundle", predictBundle, "-image", p.Image, "-mask", p.Mask, "-center", "Z"}, `centre "Z"`},
		{"image as bundle", []string{"-bundle", p.Image, "-image", p.Image, "-mask", p.Mask, "-center", p.Center}, "not a scirad bundle"},
		{"overwrite input", []string{"-bundle", predictBundle, "-image", p.Image, "-mask", p.Mask, "-center", p.Center, "-o", p.Mask}, "refusing to write over"},
		{"mask of another patient", []string{"-bundle", predictBundle, "-image", p.Image, "-mask", rows[1].Mask, "-center", p.Center}, "image and mask"},
	} {
		err := runPredict(c.args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if err := runPredict([]string{"-bundle", predictBundle}, &stdout, &stderr); err != errUsage {
		t.Errorf("missing flags: err = %v", err)
	}
}
